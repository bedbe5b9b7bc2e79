/**
 * Tuning parameters of the VQF-class filter ({@link Vqf}). Every field has its unit in its
 * name or doc and a documented default; the defaults are those of the method's publication
 * (Laidig & Seel, Information Fusion 91, 2023), so an untuned filter behaves like the
 * published one. Parameters are independent of the sampling rates: times are in seconds and
 * rates in units per second, turned into per-sample gains by `vqfCoefficients.ts`.
 */

/** A parameter out of its valid range (thrown by {@link resolveVqfParams}). */
export class VqfParamError extends RangeError {
  override readonly name = 'VqfParamError';
  constructor(
    readonly param: string,
    value: unknown,
    requirement: string,
  ) {
    super(`VQF parameter ${param} ${requirement}, got ${String(value)}`);
  }
}

export interface VqfParams {
  /**
   * Time constant of the accelerometer low-pass filter in the almost-inertial frame, s: the
   * larger, the more the gyroscope is trusted over the accelerometer. Default 3.
   */
  tauAccS: number;
  /** Time constant of the magnetometer heading correction, s. Default 9. */
  tauMagS: number;
  /** Use the magnetometer when samples are given (9D); false forces 6D. Default true. */
  magEnabled: boolean;
  /**
   * Rotate each accelerometer and magnetometer sample into the almost-inertial frame with the
   * orientation at its own sampling instant instead of the strapdown quaternion just
   * updated. The strapdown step holds each gyroscope sample's rate over the interval before
   * it, so for sensors sampled at the same instant the quaternion after the step is half a
   * step ahead of that instant (0.7° at 400 °/s and 286 Hz); during fast motion with large
   * accelerations the misrotated specific force leaves a tilt error through the low-pass.
   * With this switch each sample is rotated back by half the last gyroscope step (exact
   * rotation, no allocation). The output is not shifted. Default false (the published
   * method); true in {@link VQF_TUNED}.
   */
  alignToSampleInstant: boolean;
  /** Estimate the gyroscope bias during motion (from the inclination correction). Default true. */
  motionBiasEst: boolean;
  /** Estimate the gyroscope bias during detected rest. Default true. */
  restBiasEst: boolean;
  /** Detect and reject magnetic disturbances. Default true. */
  magDistRejection: boolean;
  /** Standard deviation of the initial bias estimate, °/s. Default 0.5. */
  biasSigmaInitDegS: number;
  /** Time after which the bias uncertainty grows from 0 to 0.1 °/s, s. Default 100. */
  biasForgettingTimeS: number;
  /** Largest bias that can be estimated (and largest disagreement used per update), °/s. Default 2. */
  biasClipDegS: number;
  /** Measurement noise of the motion bias update (horizontal axes), °/s. Default 0.1. */
  biasSigmaMotionDegS: number;
  /**
   * Forgetting factor of the unobservable vertical bias component in motion, relative to the
   * horizontal ones (tiny: the vertical bias is barely updated in motion). Default 0.0001.
   */
  biasVerticalForgettingFactor: number;
  /** Measurement noise of the rest bias update, °/s. Default 0.03. */
  biasSigmaRestDegS: number;
  /** Time the signals must stay steady before rest is detected, s. Default 1.5. */
  restMinS: number;
  /** Time constant of the low-pass filters of the rest detector, s. Default 0.5. */
  restFilterTauS: number;
  /** Rest threshold on the gyroscope's deviation from its low-passed value, °/s. Default 2. */
  restThGyrDegS: number;
  /** Rest threshold on the accelerometer's deviation from its low-passed value, m/s². Default 0.5. */
  restThAccMS2: number;
  /** Time constant of the low-pass on the current field norm and dip angle, s. Default 0.05. */
  magCurrentTauS: number;
  /** Time constant of the adaptation of the reference field norm and dip, s. Default 20. */
  magRefTauS: number;
  /** Relative norm deviation from the reference that counts as disturbed. Default 0.1. */
  magNormTh: number;
  /** Dip-angle deviation from the reference that counts as disturbed, deg. Default 10. */
  magDipThDeg: number;
  /** Motion time after which a new, steady field is accepted as the reference, s. Default 20. */
  magNewTimeS: number;
  /** Same as {@link magNewTimeS} for the very first field after start-up, s. Default 5. */
  magNewFirstTimeS: number;
  /** Minimum angular rate for the time to count towards accepting a new field, °/s. Default 20. */
  magNewMinGyrDegS: number;
  /** Time the field must be undisturbed before it is used again, s. Default 0.5. */
  magMinUndisturbedTimeS: number;
  /**
   * Longest time the magnetometer is ignored while disturbed, s; after that it is used with
   * the gain divided by {@link magRejectionFactor}. Default 60.
   */
  magMaxRejectionTimeS: number;
  /** Gain divisor after the rejection time ran out; also the rate at which rejection time is earned back. Default 2. */
  magRejectionFactor: number;
  /**
   * Output latency compensation, s: the orientation reported is predicted this far ahead with
   * the current bias-corrected angular rate (negative: that far back; the filter's state is
   * not affected). Compensates a sensor's internal filter delay relative to another clock —
   * BROAD's IMU lags its optical reference by ≈ 2.5 ms, see bench/RESULTS.md. A gyroscope
   * sampled instantaneously (no anti-alias delay, e.g. the simulator) is integrated half a
   * sample early by the strapdown step (each sample's rate is held over the interval before
   * it), which −½ sample undoes. Not fusion accuracy: 0 unless the delay is known. Default 0.
   */
  latencyCompensationS: number;
  /**
   * Relative change of a sensor's (smoothed) sampling period that triggers recomputing the
   * coefficients. Default 0.05 (a 5 % error in a time constant is immaterial).
   */
  rateChangeTolerance: number;
  /**
   * A time step longer than this, s, is a gap (dropped packets, a recording with a hole):
   * the gyroscope is not integrated across it — one sample's rate cannot stand for the
   * rotation over it — but over one nominal period, rest detection restarts, and it counts in
   * `inputReport.gaps` (as a block's `gapBeforeS` does). Default 0.25.
   */
  maxStepS: number;
}

export const VQF_DEFAULTS: Readonly<VqfParams> = Object.freeze({
  tauAccS: 3,
  tauMagS: 9,
  magEnabled: true,
  alignToSampleInstant: false,
  motionBiasEst: true,
  restBiasEst: true,
  magDistRejection: true,
  biasSigmaInitDegS: 0.5,
  biasForgettingTimeS: 100,
  biasClipDegS: 2,
  biasSigmaMotionDegS: 0.1,
  biasVerticalForgettingFactor: 0.0001,
  biasSigmaRestDegS: 0.03,
  restMinS: 1.5,
  restFilterTauS: 0.5,
  restThGyrDegS: 2,
  restThAccMS2: 0.5,
  magCurrentTauS: 0.05,
  magRefTauS: 20,
  magNormTh: 0.1,
  magDipThDeg: 10,
  magNewTimeS: 20,
  magNewFirstTimeS: 5,
  magNewMinGyrDegS: 20,
  magMinUndisturbedTimeS: 0.5,
  magMaxRejectionTimeS: 60,
  magRejectionFactor: 2,
  latencyCompensationS: 0,
  rateChangeTolerance: 0.05,
  maxStepS: 0.25,
});

/**
 * Parameters tuned once on all 15 BROAD trials together (one set for every trial, real-time
 * and offline; see bench/RESULTS.md and `scripts/eval-broad.ts`). Two changes from the
 * published defaults: the heading time constant (9 → 20 s: BROAD's magnetometer is noisy
 * and its field differs by a few degrees between where the trials rest and where they
 * move, so trusting the gyroscope longer pays), and {@link VqfParams.alignToSampleInstant}
 * (a method change, not a tuned number: each accelerometer and magnetometer sample is
 * rotated with the orientation at its own instant). Bias, rest and disturbance parameters
 * stay at the published defaults.
 */
export const VQF_TUNED: Readonly<VqfParams> = Object.freeze({ ...VQF_DEFAULTS, tauMagS: 20, alignToSampleInstant: true });

/**
 * BROAD's IMU samples lag its optical reference by ≈ 2.5 ms (found by a grid over 0–4 ms on
 * all trials); {@link VqfParams.latencyCompensationS} with this value compensates that. A
 * property of that sensor and its clock synchronisation, not of fusion: use it only for
 * that data (or measure your own sensor's delay).
 */
export const BROAD_LATENCY_S = 0.0025;

const BOOLEANS = ['magEnabled', 'alignToSampleInstant', 'motionBiasEst', 'restBiasEst', 'magDistRejection'] as const;
/** Time constants where 0 means "no filtering" (pass-through / immediate). */
const NON_NEGATIVE = ['tauAccS', 'tauMagS', 'restFilterTauS', 'magCurrentTauS', 'magRefTauS', 'restMinS', 'magMinUndisturbedTimeS', 'magMaxRejectionTimeS', 'magNewTimeS', 'magNewFirstTimeS', 'magNewMinGyrDegS', 'biasSigmaInitDegS'] as const;
const POSITIVE = ['biasForgettingTimeS', 'biasClipDegS', 'biasSigmaMotionDegS', 'biasVerticalForgettingFactor', 'biasSigmaRestDegS', 'restThGyrDegS', 'restThAccMS2', 'magNormTh', 'magDipThDeg', 'magRejectionFactor', 'rateChangeTolerance', 'maxStepS'] as const;

/** Defaults overlaid with `p`, validated. Throws {@link VqfParamError} for a bad value or unknown key. */
export function resolveVqfParams(p: Partial<VqfParams> = {}): VqfParams {
  const out: VqfParams = { ...VQF_DEFAULTS };
  for (const key of Object.keys(p)) {
    if (!(key in VQF_DEFAULTS)) throw new VqfParamError(key, (p as Record<string, unknown>)[key], 'is not a VQF parameter');
    const v = (p as Record<string, unknown>)[key];
    if (v !== undefined) (out as unknown as Record<string, unknown>)[key] = v;
  }
  for (const k of BOOLEANS) if (typeof out[k] !== 'boolean') throw new VqfParamError(k, out[k], 'must be a boolean');
  for (const k of NON_NEGATIVE) {
    const v = out[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new VqfParamError(k, v, 'must be a finite number ≥ 0');
  }
  for (const k of POSITIVE) {
    const v = out[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new VqfParamError(k, v, 'must be a finite number > 0');
  }
  const lat = out.latencyCompensationS;
  if (typeof lat !== 'number' || !(Math.abs(lat) <= 1)) throw new VqfParamError('latencyCompensationS', lat, 'must be a number of seconds in [−1, 1]');
  if (out.rateChangeTolerance >= 1) throw new VqfParamError('rateChangeTolerance', out.rateChangeTolerance, 'must be < 1');
  return out;
}
