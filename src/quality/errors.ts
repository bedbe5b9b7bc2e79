/**
 * The one error class of rep quality: input that cannot be scored (a template without reps or
 * labels, a rep outside the signal, a template recorded on another signal, a bad option).
 */
export class QualityInputError extends RangeError {
  override readonly name = 'QualityInputError';
}

/** Throw unless `v` is finite and > 0. Returns `v`. */
export function requirePositive(what: string, v: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new QualityInputError(`${what} must be a finite number > 0, got ${v}`);
  return v;
}

/** Throw unless `v` is finite and in [lo, hi]. Returns `v`. */
export function requireInRange(what: string, v: number, lo: number, hi: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) {
    throw new QualityInputError(`${what} must be a finite number in [${lo}, ${hi}], got ${v}`);
  }
  return v;
}
