/**
 * Sampling rate from timestamps, and uniform time grids. The median interval is used because
 * it ignores the two things real streams are full of: gaps (long intervals) and bursts of
 * late-then-early BLE packets (short ones).
 */
import { InsufficientSamplesError, SampleParameterError } from './errors';

/** Median of the values in `buf[0, n)`; sorts that range in place. 0 when n = 0. */
export function medianInPlace(buf: Float64Array, n: number = buf.length): number {
  if (n === 0) return 0;
  const v = buf.subarray(0, n).sort();
  const h = n >> 1;
  return n % 2 === 1 ? v[h]! : 0.5 * (v[h - 1]! + v[h]!);
}

/**
 * Median of the positive finite intervals between consecutive finite times in `tS`, s; 0 when
 * there is none. Non-positive intervals (duplicates, time going backwards) are skipped.
 */
export function medianIntervalOrZero(tS: ArrayLike<number>): number {
  const n = tS.length;
  const buf = new Float64Array(Math.max(0, n - 1));
  let m = 0;
  let prev = NaN;
  for (let i = 0; i < n; i++) {
    const t = tS[i]!;
    if (!Number.isFinite(t)) continue;
    const d = t - prev;
    if (d > 0) buf[m++] = d;
    prev = t;
  }
  return medianInPlace(buf, m);
}

/** Median sampling interval, s. Throws {@link InsufficientSamplesError} without a positive interval. */
export function medianIntervalS(tS: ArrayLike<number>): number {
  const d = medianIntervalOrZero(tS);
  if (!(d > 0)) {
    throw new InsufficientSamplesError(`medianIntervalS: need two samples with increasing finite times, got ${tS.length} samples`);
  }
  return d;
}

/** Sampling rate in Hz from the median interval. Throws {@link InsufficientSamplesError}. */
export function estimateRateHz(tS: ArrayLike<number>): number {
  return 1 / medianIntervalS(tS);
}

/** Most grid points {@link uniformGrid} will allocate (guards against a rate given in mHz by mistake). */
export const MAX_GRID_POINTS = 1e9;

/**
 * Times `startS + k / rateHz` for k = 0, 1, … up to and including `endS` (within 1e-9 of a
 * period, so an end that is a whole number of periods away is included despite rounding).
 * Each time is computed from k, not accumulated, so long grids do not drift; the last one is
 * clamped to `endS` so it never lies past the data it was derived from.
 */
export function uniformGrid(startS: number, endS: number, rateHz: number): Float64Array {
  if (!Number.isFinite(startS)) throw new SampleParameterError('startS', startS, 'a finite time in s');
  if (!Number.isFinite(endS) || endS < startS) throw new SampleParameterError('endS', endS, `a finite time ≥ startS (${startS} s)`);
  if (!(rateHz > 0) || !Number.isFinite(rateHz)) throw new SampleParameterError('rateHz', rateHz, 'a finite rate > 0 Hz');
  const span = (endS - startS) * rateHz;
  const n = Math.floor(span + 1e-9 * Math.max(1, span)) + 1;
  if (n > MAX_GRID_POINTS) throw new SampleParameterError('rateHz', rateHz, `small enough for at most ${MAX_GRID_POINTS} points over ${endS - startS} s`);
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const t = startS + k / rateHz;
    out[k] = t > endS ? endS : t;
  }
  return out;
}
