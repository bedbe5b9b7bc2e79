/**
 * Resampling and window labels for the exercise recogniser, over SampleBlocks. No tfjs here: plain
 * Float32Arrays the model code turns into tensors.
 *
 * Rate independence: every block is linearly resampled to the model's rate (25 Hz by
 * default, the UCI PT rate) on a uniform grid from its first sample.
 * Normalisation (fixed, so posture — the direction of gravity — stays visible):
 * accelerometer / 9.81 (in g), gyroscope / 2 rad/s, plus |gyro| / 2 rad/s as a 7th channel.
 */
import type { SampleBlock } from '../samples/block';

/** Channels per resampled sample: ax, ay, az (g), gx, gy, gz, |gyro| (÷ 2 rad/s). */
export const SAMPLE_CHANNELS = 7;
const G = 9.81;
const GYR_SCALE = 2;

export interface Resampled {
  /** Time of sample 0, s (the block's first sample). */
  readonly t0S: number;
  readonly rateHz: number;
  /** Number of samples. */
  readonly n: number;
  /** Normalised features, row-major n × {@link SAMPLE_CHANNELS}. */
  readonly x: Float32Array;
}

/**
 * The block's accelerometer + gyroscope, resampled to `rateHz` (linear interpolation; samples
 * with non-finite values are carried over from the previous finite one) and normalised.
 */
export function resampleFeatures(block: SampleBlock, rateHz = 25): Resampled {
  const { tS, accMS2, gyrRadS } = block;
  if (!accMS2 || !gyrRadS) throw new Error(`ml: sensor '${block.info.sensorId}' needs an accelerometer and a gyroscope`);
  const m = tS.length;
  if (m === 0) return { t0S: 0, rateHz, n: 0, x: new Float32Array(0) };
  const t0S = tS[0]!;
  const n = Math.floor((tS[m - 1]! - t0S) * rateHz + 1e-9) + 1;
  const x = new Float32Array(n * SAMPLE_CHANNELS);
  const last = new Float64Array(6);
  let j = 0;
  for (let i = 0; i < n; i++) {
    const t = t0S + i / rateHz;
    while (j < m - 2 && tS[j + 1]! <= t) j++;
    const ta = tS[j]!, tb = tS[Math.min(j + 1, m - 1)]!;
    const f = tb > ta ? Math.min(1, Math.max(0, (t - ta) / (tb - ta))) : 0;
    const o = i * SAMPLE_CHANNELS;
    for (let c = 0; c < 6; c++) {
      const src = c < 3 ? accMS2 : gyrRadS;
      const k = c % 3;
      const a = src[3 * j + k]!, b = src[3 * Math.min(j + 1, m - 1) + k]!;
      let v = a + (b - a) * f;
      if (!Number.isFinite(v)) v = Number.isFinite(a) ? a : Number.isFinite(b) ? b : last[c]!;
      last[c] = v;
      x[o + c] = c < 3 ? v / G : v / GYR_SCALE;
    }
    x[o + 6] = Math.hypot(x[o + 3]!, x[o + 4]!, x[o + 5]!);
  }
  return { t0S, rateHz, n, x };
}

/** Where windows start and how long they are, in resampled samples (see ./features). */
export interface WindowIndex {
  readonly count: number;
  /** Samples per window. */
  readonly steps: number;
  /** Index (in the resampled series) of each window's first sample. */
  readonly startIndex: Int32Array;
}

/**
 * Per-window labels from per-sample labels over the resampled series: the label of the
 * majority of the window's samples (ties: the lower label index).
 */
export function windowLabels(w: WindowIndex, sampleLabels: Int32Array | readonly number[], classCount: number): Int32Array {
  const out = new Int32Array(w.count);
  const counts = new Int32Array(classCount);
  for (let k = 0; k < w.count; k++) {
    counts.fill(0);
    const s0 = w.startIndex[k]!;
    for (let s = 0; s < w.steps; s++) {
      const l = sampleLabels[Math.min(s0 + s, sampleLabels.length - 1)]!;
      counts[l]!++;
    }
    let best = 0;
    for (let c = 1; c < classCount; c++) if (counts[c]! > counts[best]!) best = c;
    out[k] = best;
  }
  return out;
}

/**
 * Motion activity per resampled sample: |gyro| (rad/s) smoothed over `smoothS` seconds
 * (centred moving mean), minus the recording's 10th percentile (the still level, which
 * absorbs a gyro bias).
 */
export function motionActivity(r: Resampled, smoothS = 1): Float64Array {
  const n = r.n;
  const g = new Float64Array(n);
  for (let i = 0; i < n; i++) g[i] = r.x[i * SAMPLE_CHANNELS + 6]! * GYR_SCALE;
  const half = Math.max(1, Math.round((smoothS * r.rateHz) / 2));
  const cum = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) cum[i + 1] = cum[i]! + g[i]!;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = Math.max(0, i - half), b = Math.min(n, i + half + 1);
    out[i] = (cum[b]! - cum[a]!) / (b - a);
  }
  const sorted = Float64Array.from(out).sort();
  const floor = sorted[Math.floor(0.1 * (n - 1))] ?? 0;
  for (let i = 0; i < n; i++) out[i] = Math.max(0, out[i]! - floor);
  return out;
}

/**
 * Per-sample labels for a recording whose sets lie in known time ranges (e.g. UCI PT test
 * recordings: [0,100), [100,160), [160,end) s): within each range, the samples from the first
 * to the last moment of motion (activity above `thresholdRadS`, default 0.1 rad/s) are the exercise — holds and
 * the short pauses between reps included — and everything else is idle.
 */
export function activeSpanLabels(r: Resampled, ranges: readonly (readonly [number, number])[], exerciseLabel: number, idleLabel: number, thresholdRadS = 0.1): Int32Array {
  const act = motionActivity(r);
  const labels = new Int32Array(r.n).fill(idleLabel);
  for (const [a, b] of ranges) {
    const i0 = Math.max(0, Math.ceil((a - r.t0S) * r.rateHz)), i1 = Math.min(r.n, Math.ceil((b - r.t0S) * r.rateHz));
    let first = -1, lastI = -1;
    for (let i = i0; i < i1; i++) {
      if (act[i]! > thresholdRadS) {
        if (first < 0) first = i;
        lastI = i;
      }
    }
    if (first >= 0) labels.fill(exerciseLabel, first, lastI + 1);
  }
  return labels;
}

/** Options of {@link burstSpanLabels}. */
export interface BurstSpanOptions {
  /** Motion activity above this is movement, rad/s. Default 0.1. */
  readonly thresholdRadS?: number;
  /** Movement bursts closer than this merge into one set (a rep's 5-s hold and the pause after it), s. Default 8. */
  readonly mergeGapS?: number;
  /** A merged run shorter than this is a fidget, not a set, s. Default 6. */
  readonly minSetS?: number;
}

/**
 * Per-sample labels from the movement itself, for recordings without hand labels: bursts of
 * motion (activity above `thresholdRadS`) closer than `mergeGapS` form one set — the exercise,
 * holds and pauses between reps included — and runs shorter than `minSetS` (repositioning,
 * a fidget before a set starts) stay idle, like everything outside the sets. No set times are
 * assumed, so a set that starts early or a fidget near a set boundary does not turn a whole
 * idle stretch into exercise.
 */
export function burstSpanLabels(r: Resampled, exerciseLabel: number, idleLabel: number, options: BurstSpanOptions = {}): Int32Array {
  const threshold = options.thresholdRadS ?? 0.1;
  const gap = Math.round((options.mergeGapS ?? 8) * r.rateHz), minLen = Math.round((options.minSetS ?? 6) * r.rateHz);
  const act = motionActivity(r);
  const labels = new Int32Array(r.n).fill(idleLabel);
  let start = -1, last = -1;
  const close = () => {
    if (start >= 0 && last + 1 - start >= minLen) labels.fill(exerciseLabel, start, last + 1);
  };
  for (let i = 0; i < r.n; i++) {
    if (act[i]! <= threshold) continue;
    if (start >= 0 && i - last > gap) { close(); start = -1; }
    if (start < 0) start = i;
    last = i;
  }
  close();
  return labels;
}
