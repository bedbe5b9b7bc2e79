/**
 * Small helpers over a {@link MovementSignal}: its sample rate, the samples of a time window,
 * and a smoothed angular velocity that never differentiates across a gap.
 */
import { indexAtOrAfter } from '../math/search';
import { filtfiltInPlace } from '../math/butterworth';
import type { MovementSignal } from '../reps/rep';
import { QualityInputError } from './errors';

/** Rates already worked out, per time array (every rep of a session asks again). */
const rateCache = new WeakMap<Float64Array, number>();

/** Median sample interval → rate, Hz. Robust to a few irregular intervals. */
export function signalRateHz(signal: MovementSignal): number {
  const t = signal.tS;
  const cached = rateCache.get(t);
  if (cached !== undefined && signal.angleDeg.length === t.length) return cached;
  const n = t.length;
  if (n < 2) throw new QualityInputError(`signal '${signal.name}' has ${n} sample(s); at least 2 are needed`);
  if (signal.angleDeg.length !== n) {
    throw new QualityInputError(`signal '${signal.name}': ${n} times but ${signal.angleDeg.length} angles`);
  }
  const m = Math.min(n - 1, 2001);
  const d = new Float64Array(m);
  for (let i = 0; i < m; i++) d[i] = t[i + 1]! - t[i]!;
  d.sort();
  const dt = d[m >> 1]!;
  if (!(dt > 0)) throw new QualityInputError(`signal '${signal.name}': sample times are not increasing`);
  rateCache.set(t, 1 / dt);
  return 1 / dt;
}


/** Sample index range [i0, i1] (inclusive) covering [startS, endS]; throws when it holds < 2 samples. */
export function windowIndices(signal: MovementSignal, startS: number, endS: number, what = 'rep'): [number, number] {
  if (!(Number.isFinite(startS) && Number.isFinite(endS) && endS > startS)) {
    throw new QualityInputError(`${what} [${startS}, ${endS}] s is not a time interval`);
  }
  const t = signal.tS;
  const i0 = indexAtOrAfter(t, startS);
  const i1 = indexAtOrAfter(t, endS + 1e-9) - 1;
  if (i1 - i0 < 1) {
    throw new QualityInputError(
      `${what} [${startS.toFixed(2)}, ${endS.toFixed(2)}] s holds fewer than 2 samples of signal '${signal.name}' (${t[0]?.toFixed(2)}–${t[t.length - 1]?.toFixed(2)} s)`,
    );
  }
  return [i0, i1];
}

/** True when any sample of [i0, i1] is non-finite or a gap of the source falls inside the window. */
export function hasGap(signal: MovementSignal, i0: number, i1: number): boolean {
  for (let i = i0; i <= i1; i++) if (!Number.isFinite(signal.angleDeg[i]!)) return true;
  const a = signal.tS[i0]!, b = signal.tS[i1]!;
  for (const g of signal.gapAfterS ?? []) if (g >= a && g < b) return true;
  return false;
}

export interface VelocityOptions {
  /** Zero-phase low-pass (2nd-order Butterworth, forward–backward) before differencing, Hz. Default 6: rehab movements are well below it, sensor noise is not. */
  smoothingCutoffHz?: number;
}

/**
 * Angular velocity of `angleDeg[i0..i1]`, deg/s: zero-phase low-pass, then central differences.
 * Each run of finite samples is processed on its own (no derivative across a gap); NaN samples
 * stay NaN. Returns [smoothed angle, velocity], both of length i1 − i0 + 1.
 */
export function smoothedVelocity(
  signal: MovementSignal,
  i0: number,
  i1: number,
  rateHz: number,
  options: VelocityOptions = {},
): { angleDeg: Float64Array; velocityDegS: Float64Array } {
  const n = i1 - i0 + 1;
  const cutoff = Math.min(options.smoothingCutoffHz ?? 6, 0.4 * rateHz);
  const angle = Float64Array.from(signal.angleDeg.subarray(i0, i1 + 1));
  const vel = new Float64Array(n).fill(NaN);
  let a = 0;
  while (a < n) {
    while (a < n && !Number.isFinite(angle[a]!)) a++;
    let b = a;
    while (b < n && Number.isFinite(angle[b]!)) b++;
    // Run [a, b). Runs shorter than 3 samples have no central difference.
    if (b - a >= 3) {
      const run = angle.subarray(a, b);
      filtfiltInPlace(run, 1, cutoff, rateHz);
      const dt = 1 / rateHz;
      for (let k = 1; k < run.length - 1; k++) vel[a + k] = (run[k + 1]! - run[k - 1]!) / (2 * dt);
      vel[a] = (run[1]! - run[0]!) / dt;
      vel[b - 1] = (run[run.length - 1]! - run[run.length - 2]!) / dt;
    }
    a = b;
  }
  return { angleDeg: angle, velocityDegS: vel };
}
