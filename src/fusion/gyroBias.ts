/**
 * Gyroscope bias from still periods of a recording: find stretches where the sensor lies
 * still (gyroscope and accelerometer steady over a sliding window, for a minimum time) and
 * take the mean gyroscope reading there as the bias, with its standard error std/√n.
 *
 * "Steady" is judged by the spread within a window, not by the level, so the bias itself does
 * not prevent detection; `maxBiasRadS` rejects steady rotation (a turntable, a slow constant
 * turn about the vertical), which the spread alone cannot tell from rest. The standard error
 * assumes white noise; with bias random walk or low-frequency noise the true uncertainty of
 * a long period is larger.
 */
import { EmptyInputError, LengthMismatchError, ParameterRangeError } from '../math/errors';
import type { Vec3Like } from '../math/vec3';
import { concatBlocks } from '../samples/block';
import type { InertialBlock } from '../samples/block';
import { medianIntervalOrZero } from '../samples/rate';

export interface StillPeriodParams {
  /** Largest standard deviation of any gyroscope axis within a window, rad/s. Default 0.02 (≈ 1.1°/s). */
  gyrStdRadS?: number;
  /** Largest standard deviation of any accelerometer axis within a window, m/s². Default 0.1. */
  accStdMS2?: number;
  /** Largest magnitude of the mean gyroscope reading (a bias larger than this is treated as rotation), rad/s. Default 0.1 (≈ 5.7°/s). */
  maxBiasRadS?: number;
  /** Sliding window, s. Default 0.5. */
  windowS?: number;
  /** Shortest still period reported, s. Default 2. */
  minDurationS?: number;
  /** An interval longer than this many sampling periods is a gap, which a still period cannot span. Default 1.5. */
  gapFactor?: number;
}

export interface StillPeriod {
  /** First sample (index into the block, or into the concatenation of the blocks). */
  readonly startIndex: number;
  /** One past the last sample. */
  readonly endIndex: number;
  readonly startS: number;
  readonly endS: number;
  readonly samples: number;
  /** Mean gyroscope reading: the bias estimate, rad/s. */
  readonly biasRadS: Float64Array;
  /** Standard deviation of the gyroscope per axis over the period, rad/s. */
  readonly stdRadS: Float64Array;
  /** Standard error of the bias per axis, std/√n, rad/s. */
  readonly uncertaintyRadS: Float64Array;
  /** Mean accelerometer reading (gravity in the sensor frame), m/s². */
  readonly accMeanMS2: Float64Array;
}

type Params = Required<StillPeriodParams>;

function checkParams(p: StillPeriodParams): Params {
  const pos = (what: string, v: number): number => {
    if (!(v > 0) || !Number.isFinite(v)) throw new ParameterRangeError(`${what} must be a positive number, got ${v}`);
    return v;
  };
  const gapFactor = pos('gapFactor', p.gapFactor ?? 1.5);
  if (gapFactor <= 1) throw new ParameterRangeError(`gapFactor must be > 1, got ${gapFactor}`);
  return {
    gyrStdRadS: pos('gyrStdRadS', p.gyrStdRadS ?? 0.02),
    accStdMS2: pos('accStdMS2', p.accStdMS2 ?? 0.1),
    maxBiasRadS: pos('maxBiasRadS', p.maxBiasRadS ?? 0.1),
    windowS: pos('windowS', p.windowS ?? 0.5),
    minDurationS: pos('minDurationS', p.minDurationS ?? 2),
    gapFactor,
  };
}

function oneBlock(input: InertialBlock | readonly InertialBlock[]): InertialBlock {
  if (!Array.isArray(input)) return input as InertialBlock;
  const blocks = input as readonly InertialBlock[];
  if (blocks.length === 0) throw new EmptyInputError('detectStillPeriods blocks');
  return blocks.length === 1 ? blocks[0]! : concatBlocks(blocks).block;
}

/**
 * Still periods of a block (or of consecutive blocks of one sensor), in time order. Samples
 * with a non-finite value and gaps in time end a period.
 */
export function detectStillPeriods(input: InertialBlock | readonly InertialBlock[], params: StillPeriodParams = {}): StillPeriod[] {
  const p = checkParams(params);
  const block = oneBlock(input);
  const t = block.tS;
  const n = t.length;
  const gyr = block.gyrRadS, acc = block.accMS2;
  if (gyr.length !== 3 * n) throw new LengthMismatchError('detectStillPeriods gyrRadS', 3 * n, gyr.length);
  if (acc.length !== 3 * n) throw new LengthMismatchError('detectStillPeriods accMS2', 3 * n, acc.length);
  const periodS = medianIntervalOrZero(t);
  if (n < 2 || !(periodS > 0)) return [];
  const w = Math.max(2, Math.round(p.windowS / periodS));
  if (w > n) return [];

  // Running sums of the 6 channels and their squares, each relative to a reference value so
  // that the variance E[x²] − E[x]² does not cancel catastrophically (gravity ≫ noise).
  // `breaks[i]` counts the non-finite samples among the first i.
  const ref = new Float64Array(6);
  for (let i = 0; i < n; i++) {
    if (finiteSample(gyr, acc, i)) {
      for (let c = 0; c < 3; c++) {
        ref[c] = gyr[3 * i + c]!;
        ref[3 + c] = acc[3 * i + c]!;
      }
      break;
    }
  }
  const sum = new Float64Array(6 * (n + 1));
  const sq = new Float64Array(6 * (n + 1));
  const breaks = new Int32Array(n + 1);
  const maxStep = p.gapFactor * periodS;
  for (let i = 0; i < n; i++) {
    const ok = finiteSample(gyr, acc, i);
    breaks[i + 1] = breaks[i]! + (ok ? 0 : 1);
    for (let c = 0; c < 6; c++) {
      const v = ok ? (c < 3 ? gyr[3 * i + c]! : acc[3 * i + c - 3]!) - ref[c]! : 0;
      sum[6 * (i + 1) + c] = sum[6 * i + c]! + v;
      sq[6 * (i + 1) + c] = sq[6 * i + c]! + v * v;
    }
  }
  // gapsBefore[i]: number of gaps (or backward steps) among the intervals ending at samples
  // 1..i; a window or period may not span one.
  const gapsBefore = new Int32Array(n);
  for (let i = 1; i < n; i++) {
    const d = t[i]! - t[i - 1]!;
    gapsBefore[i] = gapsBefore[i - 1]! + (d > 0 && d <= maxStep ? 0 : 1);
  }

  const still = new Uint8Array(n);
  const gyr2 = p.gyrStdRadS * p.gyrStdRadS;
  const acc2 = p.accStdMS2 * p.accStdMS2;
  const bias2 = p.maxBiasRadS * p.maxBiasRadS;
  for (let e = w; e <= n; e++) {
    const s = e - w; // window = samples [s, e)
    if (breaks[e]! - breaks[s]! > 0) continue;
    if (gapsBefore[e - 1]! - gapsBefore[s]! > 0) continue;
    let quiet = true;
    let mean2 = 0;
    for (let c = 0; c < 6 && quiet; c++) {
      const m = (sum[6 * e + c]! - sum[6 * s + c]!) / w;
      const v = Math.max(0, ((sq[6 * e + c]! - sq[6 * s + c]!) - w * m * m) / (w - 1));
      if (c < 3) {
        quiet = v <= gyr2;
        const g = m + ref[c]!;
        mean2 += g * g;
      } else quiet = v <= acc2;
    }
    if (!quiet || mean2 > bias2) continue;
    still.fill(1, s, e);
  }

  const periods: StillPeriod[] = [];
  let i = 0;
  while (i < n) {
    if (!still[i]) {
      i++;
      continue;
    }
    let j = i + 1;
    // Adjacent still windows separated by a gap are different periods.
    while (j < n && still[j] && gapsBefore[j]! === gapsBefore[i]!) j++;
    if (t[j - 1]! - t[i]! + periodS >= p.minDurationS) periods.push(summarise(block, i, j));
    i = j;
  }
  return periods;
}

/**
 * Bias from the longest still period (most samples), or null when there is none. For a bias
 * that drifts, prefer the period closest in time to the data being corrected (see
 * {@link detectStillPeriods}).
 */
export function estimateGyroBias(input: InertialBlock | readonly InertialBlock[], params: StillPeriodParams = {}): StillPeriod | null {
  let best: StillPeriod | null = null;
  for (const period of detectStillPeriods(input, params)) if (!best || period.samples > best.samples) best = period;
  return best;
}

/** out = gyrRadS − bias for interleaved xyz samples (3n). `out` may alias `gyrRadS`. */
export function subtractGyroBias(out: Float64Array, gyrRadS: ArrayLike<number>, biasRadS: Vec3Like): Float64Array {
  if (gyrRadS.length % 3 !== 0) throw new LengthMismatchError('subtractGyroBias gyrRadS', 'a multiple of 3', gyrRadS.length);
  if (out.length < gyrRadS.length) throw new LengthMismatchError('subtractGyroBias out', `at least ${gyrRadS.length}`, out.length);
  const b0 = biasRadS[0]!, b1 = biasRadS[1]!, b2 = biasRadS[2]!;
  if (!(Number.isFinite(b0) && Number.isFinite(b1) && Number.isFinite(b2))) {
    throw new ParameterRangeError(`biasRadS must be finite, got [${b0}, ${b1}, ${b2}]`);
  }
  for (let k = 0; k < gyrRadS.length; k += 3) {
    out[k] = gyrRadS[k]! - b0;
    out[k + 1] = gyrRadS[k + 1]! - b1;
    out[k + 2] = gyrRadS[k + 2]! - b2;
  }
  return out;
}

/** A copy of the block with the bias removed from its gyroscope samples. */
export function withoutGyroBias<B extends InertialBlock>(block: B, biasRadS: Vec3Like): B {
  return { ...block, gyrRadS: subtractGyroBias(new Float64Array(block.gyrRadS.length), block.gyrRadS, biasRadS) };
}

function finiteSample(gyr: Float64Array, acc: Float64Array, i: number): boolean {
  const k = 3 * i;
  return (
    Number.isFinite(gyr[k]!) && Number.isFinite(gyr[k + 1]!) && Number.isFinite(gyr[k + 2]!) &&
    Number.isFinite(acc[k]!) && Number.isFinite(acc[k + 1]!) && Number.isFinite(acc[k + 2]!)
  );
}

/** Mean, std and standard error over samples [i, j), computed in two passes for accuracy. */
function summarise(block: InertialBlock, i: number, j: number): StillPeriod {
  const gyr = block.gyrRadS, acc = block.accMS2;
  const n = j - i;
  const mean = new Float64Array(3);
  const accMean = new Float64Array(3);
  for (let k = i; k < j; k++) {
    for (let c = 0; c < 3; c++) {
      mean[c] += gyr[3 * k + c]!;
      accMean[c] += acc[3 * k + c]!;
    }
  }
  for (let c = 0; c < 3; c++) {
    mean[c] /= n;
    accMean[c] /= n;
  }
  const std = new Float64Array(3);
  for (let k = i; k < j; k++) {
    for (let c = 0; c < 3; c++) {
      const d = gyr[3 * k + c]! - mean[c]!;
      std[c] += d * d;
    }
  }
  const se = new Float64Array(3);
  for (let c = 0; c < 3; c++) {
    std[c] = n > 1 ? Math.sqrt(std[c]! / (n - 1)) : 0;
    se[c] = std[c]! / Math.sqrt(n);
  }
  return {
    startIndex: i,
    endIndex: j,
    startS: block.tS[i]!,
    endS: block.tS[j - 1]!,
    samples: n,
    biasRadS: mean,
    stdRadS: std,
    uncertaintyRadS: se,
    accMeanMS2: accMean,
  };
}
