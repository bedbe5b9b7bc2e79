/**
 * The one error class of the simulator: a scenario, trajectory or option that cannot describe
 * a physical session (negative duration, unknown segment, non-finite value, …). Thrown at
 * construction time so a bad setup never turns into NaN samples.
 */
export class SimInputError extends RangeError {
  override readonly name = 'SimInputError';
}

/** Throw unless `v` is a finite number. Returns `v` so it can wrap an assignment. */
export function requireFinite(what: string, v: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new SimInputError(`${what} must be a finite number, got ${v}`);
  return v;
}

/** Throw unless `v` is finite and ≥ 0. */
export function requireNonNegative(what: string, v: number): number {
  requireFinite(what, v);
  if (v < 0) throw new SimInputError(`${what} must be ≥ 0, got ${v}`);
  return v;
}

/** Throw unless `v` is finite and > 0. */
export function requirePositive(what: string, v: number): number {
  requireFinite(what, v);
  if (v <= 0) throw new SimInputError(`${what} must be > 0, got ${v}`);
  return v;
}

/** Throw unless `v` is an array-like of `n` finite numbers. */
export function requireFiniteArray(what: string, v: ArrayLike<number>, n: number): ArrayLike<number> {
  if (v === null || typeof v !== 'object' || v.length !== n) {
    throw new SimInputError(`${what} must have ${n} elements, got ${v === null || v === undefined ? v : v.length}`);
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(v[i])) throw new SimInputError(`${what}[${i}] must be a finite number, got ${v[i]}`);
  }
  return v;
}
