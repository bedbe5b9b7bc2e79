/**
 * Range-of-motion summary of one angle time series (degrees): min, max, range, time spent at
 * end range, each with a ± half-width, and (optionally) percent of the AAOS norm (`norms.ts`).
 *
 * Uncertainty: `noiseDeg` is the sample noise estimated robustly from second differences
 * (σ ≈ 1.4826 · median|x[i+1] − 2x[i] + x[i−1]| / √6, exact for white noise on a signal that is
 * locally linear). An extreme of a noisy series is biased outwards by about that much, so
 * `maxUncertaintyDeg` = (per-sample bound at the max, if given) + 2·noiseDeg, likewise for the
 * min, and `rangeUncertaintyDeg` is their sum — a conservative half-width, not a 1-σ.
 */
import { AngleInputError } from './angleErrors';
import { filtfiltInPlace } from '../math/butterworth';
import { normalRomDeg } from './norms';

export interface RomSummaryParams {
  /** A sample is "at end range" when within this of the max, deg. Default 5. */
  endRangeWindowDeg?: number;
  /** Steps longer than this many median sample intervals are gaps and not counted as time. Default 5. */
  gapFactor?: number;
  /** AAOS motion name (e.g. 'knee-flexion') for `percentOfNormal`; the excursion used is `maxDeg`. */
  motion?: string;
  /**
   * Zero-phase 2nd-order Butterworth low-pass (Hz) applied before the extremes are taken, per
   * stretch between gaps — the usual ~6 Hz smoothing of kinematic data (Winter): joint motion is
   * slower, soft-tissue wobble (10–15 Hz) is not, and an extreme would pick its peak. Default
   * none (raw samples).
   */
  lowPassHz?: number;
}

export interface RomSummary {
  n: number;
  minDeg: number;
  maxDeg: number;
  rangeDeg: number;
  tMinS: number;
  tMaxS: number;
  minUncertaintyDeg: number;
  maxUncertaintyDeg: number;
  rangeUncertaintyDeg: number;
  /** Robust sample-noise estimate, deg. */
  noiseDeg: number;
  /** Total time with angle ≥ maxDeg − endRangeWindowDeg, s. */
  timeAtEndRangeS: number;
  /** Present when `motion` was given: AAOS normal (deg) and 100·maxDeg/normal. */
  normalDeg?: number;
  percentOfNormal?: number;
  percentOfNormalUncertainty?: number;
}

function median(a: Float64Array): number {
  const s = Float64Array.from(a).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
}

/** Zero-phase low-passed copy, filtered separately between gaps (steps > gapFactor × median). */
function smoothed(tS: ArrayLike<number>, a: ArrayLike<number>, cutoffHz: number, gapFactor: number): Float64Array {
  const n = a.length;
  const out = Float64Array.from(a);
  const dt = new Float64Array(n - 1);
  for (let i = 0; i < n - 1; i++) dt[i] = tS[i + 1]! - tS[i]!;
  const step = median(dt);
  const rateHz = 1 / step;
  if (!(step > 0) || cutoffHz >= 0.45 * rateHz) return out; // nothing to remove at this rate
  for (let i0 = 0; i0 < n;) {
    let i1 = i0 + 1;
    while (i1 < n && tS[i1]! - tS[i1 - 1]! <= gapFactor * step) i1++;
    if (i1 - i0 >= 3) filtfiltInPlace(out.subarray(i0, i1), 1, cutoffHz, rateHz);
    i0 = i1;
  }
  return out;
}

export function romSummary(tS: ArrayLike<number>, anglesDeg: ArrayLike<number>, uncertaintyDeg?: ArrayLike<number>, params: RomSummaryParams = {}): RomSummary {
  const n = anglesDeg.length;
  if (n < 1) throw new AngleInputError('romSummary needs at least one sample');
  if (tS.length !== n) throw new AngleInputError(`tS length ${tS.length} differs from anglesDeg length ${n}`);
  if (uncertaintyDeg && uncertaintyDeg.length !== n) throw new AngleInputError(`uncertaintyDeg length ${uncertaintyDeg.length} differs from anglesDeg length ${n}`);
  const win = params.endRangeWindowDeg ?? 5;
  if (!(win >= 0 && Number.isFinite(win))) throw new AngleInputError(`endRangeWindowDeg must be finite and ≥ 0, got ${win}`);
  const gapFactor = params.gapFactor ?? 5;
  if (!(gapFactor >= 1)) throw new AngleInputError(`gapFactor must be ≥ 1, got ${gapFactor}`);
  const lowPassHz = params.lowPassHz;
  if (lowPassHz !== undefined && !(lowPassHz > 0 && Number.isFinite(lowPassHz))) throw new AngleInputError(`lowPassHz must be finite and > 0, got ${lowPassHz}`);
  let iMin = 0;
  let iMax = 0;
  for (let i = 0; i < n; i++) {
    const a = anglesDeg[i]!;
    if (!Number.isFinite(a)) throw new AngleInputError(`anglesDeg[${i}] must be finite, got ${a}`);
  }
  const x = lowPassHz !== undefined && n >= 3 ? smoothed(tS, anglesDeg, lowPassHz, gapFactor) : anglesDeg;
  for (let i = 0; i < n; i++) {
    const a = x[i]!;
    const t = tS[i]!;
    if (!Number.isFinite(a)) throw new AngleInputError(`anglesDeg[${i}] must be finite, got ${a}`);
    if (!Number.isFinite(t)) throw new AngleInputError(`tS[${i}] must be finite, got ${t}`);
    if (i > 0 && !(t > tS[i - 1]!)) throw new AngleInputError(`tS must increase strictly (index ${i})`);
    if (uncertaintyDeg) {
      const u = uncertaintyDeg[i]!;
      if (!(u >= 0 && Number.isFinite(u))) throw new AngleInputError(`uncertaintyDeg[${i}] must be finite and ≥ 0, got ${u}`);
    }
    if (a < x[iMin]!) iMin = i;
    if (a > x[iMax]!) iMax = i;
  }
  let noiseDeg = 0;
  if (n >= 3) {
    const d2 = new Float64Array(n - 2);
    for (let i = 1; i < n - 1; i++) d2[i - 1] = Math.abs(anglesDeg[i + 1]! - 2 * anglesDeg[i]! + anglesDeg[i - 1]!);
    noiseDeg = (1.4826 * median(d2)) / Math.sqrt(6);
  }
  const maxDeg = x[iMax]!;
  const minDeg = x[iMin]!;
  let timeAtEndRangeS = 0;
  if (n >= 2) {
    const dt = new Float64Array(n - 1);
    for (let i = 0; i < n - 1; i++) dt[i] = tS[i + 1]! - tS[i]!;
    const maxStep = gapFactor * median(dt);
    // Each sample stands for the interval to the next one (the last for the one before it).
    for (let i = 0; i < n; i++) {
      if (x[i]! < maxDeg - win) continue;
      const step = i < n - 1 ? dt[i]! : dt[n - 2]!;
      if (step <= maxStep) timeAtEndRangeS += step;
    }
  }
  const maxUncertaintyDeg = (uncertaintyDeg ? uncertaintyDeg[iMax]! : 0) + 2 * noiseDeg;
  const minUncertaintyDeg = (uncertaintyDeg ? uncertaintyDeg[iMin]! : 0) + 2 * noiseDeg;
  const out: RomSummary = {
    n,
    minDeg,
    maxDeg,
    rangeDeg: maxDeg - minDeg,
    tMinS: tS[iMin]!,
    tMaxS: tS[iMax]!,
    minUncertaintyDeg,
    maxUncertaintyDeg,
    rangeUncertaintyDeg: minUncertaintyDeg + maxUncertaintyDeg,
    noiseDeg,
    timeAtEndRangeS,
  };
  if (params.motion !== undefined) {
    const normalDeg = normalRomDeg(params.motion);
    out.normalDeg = normalDeg;
    out.percentOfNormal = (100 * maxDeg) / normalDeg;
    out.percentOfNormalUncertainty = (100 * maxUncertaintyDeg) / normalDeg;
  }
  return out;
}
