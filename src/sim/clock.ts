/**
 * When a simulated sensor samples, what time it writes on each sample, and which samples never
 * arrive. True sampling instants drive the physics; reported timestamps go into the output.
 *
 * With drift d (ppm) the sensor's clock runs fast by d·1e-6: sample k is taken at true time
 * k / (rate·(1 + d·1e-6)) and stamped offset + k / rate. Jitter on either is Gaussian, clamped
 * to ±0.45 of a period so time stays strictly increasing.
 */
import type { ClockParams, DropParams } from './errors';
import type { Rng } from './random';
import { requireNonNegative, requirePositive } from './sim-error';

const JITTER_CLAMP = 0.45;

export interface SampleTimes {
  /** True sampling instants, s since session start. */
  readonly trueTS: Float64Array;
  /** Timestamps as the sensor reports them, s. */
  readonly reportedTS: Float64Array;
}

/** Number of samples k ≥ 0 with k·period < durationS (a tolerance absorbs float round-off). */
export function sampleCount(durationS: number, rateHz: number): number {
  requireNonNegative('durationS', durationS);
  requirePositive('rateHz', rateHz);
  return Math.max(0, Math.ceil(durationS * rateHz - 1e-9));
}

export function sampleTimes(durationS: number, rateHz: number, clock: Required<ClockParams>, rng: Rng): SampleTimes {
  const trueRate = rateHz * (1 + clock.driftPpm * 1e-6);
  const n = sampleCount(durationS, trueRate);
  const trueTS = new Float64Array(n);
  const reportedTS = new Float64Array(n);
  const trueT = 1 / trueRate;
  const nominalT = 1 / rateHz;
  const sj = clock.samplingJitterStdS, tj = clock.timestampJitterStdS;
  for (let k = 0; k < n; k++) {
    let t = k / trueRate;
    if (sj > 0) t += clamp(sj * rng.gaussian(), JITTER_CLAMP * trueT);
    let r = clock.offsetS + k / rateHz;
    if (tj > 0) r += clamp(tj * rng.gaussian(), JITTER_CLAMP * nominalT);
    trueTS[k] = t;
    reportedTS[k] = r;
  }
  return { trueTS, reportedTS };
}

function clamp(v: number, lim: number): number {
  return v > lim ? lim : v < -lim ? -lim : v;
}

/**
 * Which of n samples arrive (1) or are dropped (0): at each sample a dropout starts with
 * probability p and lasts a geometric number of samples with the given mean.
 */
export function dropMask(n: number, drops: Required<DropParams>, rng: Rng): Uint8Array {
  const keep = new Uint8Array(n).fill(1);
  const p = drops.probability;
  if (p <= 0) return keep;
  const m = drops.burstMeanSamples;
  const logStay = m > 1 ? Math.log(1 - 1 / m) : 0;
  let i = 0;
  while (i < n) {
    if (rng.uniform() < p) {
      let len = 1;
      if (m > 1) len = Math.max(1, Math.ceil(Math.log(1 - rng.uniform()) / logStay));
      const end = Math.min(n, i + len);
      for (let k = i; k < end; k++) keep[k] = 0;
      i = end;
    } else i++;
  }
  return keep;
}
