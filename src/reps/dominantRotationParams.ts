/** Parameters of the automatic single-sensor movement signal (see `dominantRotationSignal`). */
import type { VqfParams } from '../fusion/vqfParams';
import { RepParamError } from './segmenterParams';
import type { DominantRotationMethod } from './twist';

export interface DominantRotationParams {
  /** How the angle is formed from the orientation (see twist.ts). Default 'orientation'. */
  method: DominantRotationMethod;
  /** Gyroscope samples slower than this do not inform the axis (bias, noise), deg/s. Default 5. */
  minRateDegS: number;
  /**
   * Streaming: the axis is fixed once the sensor has turned this much in total (sum of |ω|·dt
   * over samples above `minRateDegS`), deg — about one rep of a typical exercise (out and back). Default 90.
   */
  warmupDeg: number;
  /**
   * Streaming: the axis is also fixed as soon as one movement has gone out and back — the
   * attitude got at least this far from the first one, then turned back from its farthest
   * point by `warmupBackFraction` of that distance — so that the first rep of a small-ROM
   * exercise is not held back until `warmupDeg` has accumulated, deg. Default 8.
   */
  warmupRepDeg: number;
  /**
   * See {@link warmupRepDeg}. Measured from the farthest attitude, not as a return to the first
   * one: the rest pose after a rep is often a few degrees off the first attitude (the filter
   * still settling its inclination, the patient resting differently). Default 0.4.
   */
  warmupBackFraction: number;
  /** See {@link warmupRepDeg}: only after the attitude stayed near its farthest point this long (a hold at end range), s. Default 1. */
  warmupRepHoldS: number;
  /** See {@link warmupRepDeg}: only when that movement's share of one axis (see principalAxis.ts) is at least this. Default 0.85. */
  warmupRepShare: number;
  /** Streaming: the axis is fixed after this long at the latest (if there was any motion), s. Default 20. */
  warmupMaxS: number;
  /** Streaming: highest sample rate the warm-up buffer is sized for, Hz. Default 200. */
  maxRateHz: number;
  /**
   * Streaming: a time step at least this long (s), or a block's `gapBeforeS`, is a gap: the
   * gyroscope is not integrated across it (the rotation during a link loss is unknown, and
   * ω × gap would be a made-up turn); the step after it uses the last normal period. Default 0.25.
   */
  gapS: number;
  /** Orientation filter parameters (6D: the magnetometer is never used). Default VQF defaults. */
  vqf: Partial<VqfParams>;
}

export const DOMINANT_ROTATION_DEFAULTS: Readonly<DominantRotationParams> = Object.freeze({
  method: 'orientation',
  minRateDegS: 5,
  warmupDeg: 90,
  warmupRepDeg: 8,
  warmupBackFraction: 0.4,
  warmupRepShare: 0.85,
  warmupRepHoldS: 1,
  warmupMaxS: 20,
  maxRateHz: 200,
  gapS: 0.25,
  vqf: {},
});

export function resolveDominantRotationParams(p: Partial<DominantRotationParams> = {}): DominantRotationParams {
  const r: DominantRotationParams = { ...DOMINANT_ROTATION_DEFAULTS };
  for (const [k, v] of Object.entries(p)) {
    if (v === undefined) continue;
    if (!(k in DOMINANT_ROTATION_DEFAULTS)) throw new RepParamError(k, v, 'is not a dominant-rotation parameter');
    (r as unknown as Record<string, unknown>)[k] = v;
  }
  if (r.method !== 'orientation' && r.method !== 'inclination') throw new RepParamError('method', r.method, "must be 'orientation' or 'inclination'");
  for (const k of ['minRateDegS', 'warmupDeg', 'warmupRepDeg', 'warmupRepHoldS', 'warmupMaxS', 'maxRateHz', 'gapS'] as const) {
    if (!(r[k] > 0 && Number.isFinite(r[k]))) throw new RepParamError(k, r[k], 'must be positive and finite');
  }
  if (!(r.warmupRepShare >= 1 / 3 && r.warmupRepShare <= 1)) throw new RepParamError('warmupRepShare', r.warmupRepShare, 'must be in [1/3, 1]');
  if (!(r.warmupBackFraction > 0 && r.warmupBackFraction < 1)) throw new RepParamError('warmupBackFraction', r.warmupBackFraction, 'must be in (0, 1)');
  return r;
}
