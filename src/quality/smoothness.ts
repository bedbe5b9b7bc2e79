/**
 * Movement smoothness of a speed profile (Balasubramanian, Melendez-Calderon, Roby-Brami,
 * Burdet, "On the analysis of movement smoothness", J NeuroEng Rehabil 12:112, 2015):
 *
 * - SPARC, the spectral arc length: the length of the curve of the normalised Fourier magnitude
 *   spectrum of the speed over [0, ωc], where ωc is the last frequency at which the magnitude is
 *   still above an amplitude threshold (at most a fixed cutoff). More submovements → more
 *   spectral ripple → a longer (more negative) arc. Dimensionless, ≤ 0.
 * - LDLJ, log dimensionless jerk of the speed: −ln( T³ / v_peak² · ∫ (d²v/dt²)² dt ).
 *
 * Both are computed on one discrete movement. Analytic reference: a minimum-jerk move gives
 * SPARC ≈ −1.6 and LDLJ = −ln(720 / 1.875²) ≈ −5.32.
 */
import { fftMagnitude, nextPow2 } from '../math/fft';
import { QualityInputError, requirePositive } from './errors';

export interface SparcOptions {
  /** Magnitude threshold (of the normalised spectrum) that sets the adaptive cutoff. Default 0.05. */
  amplitudeThreshold?: number;
  /** Upper bound of the adaptive cutoff, Hz. Default 10 (human voluntary movement is below it). */
  cutoffHz?: number;
  /** Zero-padding: the FFT length is 2^(⌈log2 n⌉ + padLevel). Default 4 (a fine frequency grid). */
  padLevel?: number;
}

/** Spectral arc length of `speed` sampled at `rateHz`. NaN when the profile is empty or all zero. */
export function sparc(speed: ArrayLike<number>, rateHz: number, options: SparcOptions = {}): number {
  requirePositive('sparc rateHz', rateHz);
  const threshold = options.amplitudeThreshold ?? 0.05;
  const cutoffHz = requirePositive('sparc cutoffHz', options.cutoffHz ?? 10);
  const padLevel = options.padLevel ?? 4;
  if (!Number.isInteger(padLevel) || padLevel < 0 || padLevel > 8) throw new QualityInputError(`sparc padLevel must be an integer in [0, 8], got ${padLevel}`);
  const n = speed.length;
  if (n < 2) return NaN;
  for (let i = 0; i < n; i++) if (!Number.isFinite(speed[i]!)) return NaN;
  const nfft = nextPow2(n) * 2 ** padLevel;
  const mag = fftMagnitude(speed, nfft);
  const df = rateHz / nfft;
  const kc = Math.min(nfft / 2, Math.floor(cutoffHz / df));
  let peak = 0;
  for (let k = 0; k <= kc; k++) if (mag[k]! > peak) peak = mag[k]!;
  if (!(peak > 0)) return NaN;
  // Adaptive band: from the first to the last bin above the threshold, all bins in between.
  let first = -1, last = -1;
  for (let k = 0; k <= kc; k++) {
    if (mag[k]! / peak >= threshold) {
      if (first < 0) first = k;
      last = k;
    }
  }
  if (last <= first) return 0;
  const span = (last - first) * df;
  let arc = 0;
  for (let k = first + 1; k <= last; k++) {
    const dfN = df / span;
    const dm = (mag[k]! - mag[k - 1]!) / peak;
    arc += Math.sqrt(dfN * dfN + dm * dm);
  }
  return -arc;
}

/**
 * Log dimensionless jerk of `speed` sampled at `rateHz` (jerk = second difference of speed).
 * NaN for fewer than 3 samples or a zero profile.
 */
export function logDimensionlessJerk(speed: ArrayLike<number>, rateHz: number): number {
  requirePositive('logDimensionlessJerk rateHz', rateHz);
  const n = speed.length;
  if (n < 3) return NaN;
  const dt = 1 / rateHz;
  let vPeak = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(speed[i]!)) return NaN;
    vPeak = Math.max(vPeak, Math.abs(speed[i]!));
  }
  if (!(vPeak > 0)) return NaN;
  const durationS = n * dt;
  let sum = 0;
  for (let i = 1; i < n - 1; i++) {
    const j = (speed[i + 1]! - 2 * speed[i]! + speed[i - 1]!) / (dt * dt);
    sum += j * j;
  }
  const scale = durationS ** 3 / (vPeak * vPeak);
  return -Math.log(scale * sum * dt);
}
