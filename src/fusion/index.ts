/**
 * Orientation fusion: one interface ({@link OrientationFilter}) for every filter — the
 * VQF-class filter (with an offline forward–backward mode) and the Madgwick and Mahony
 * baselines — plus magnetometer hard/soft-iron calibration and gyroscope bias from still
 * periods. Output q_GS: East-North-Up in 9D, z up with arbitrary heading in 6D.
 */
export type { FusionFlags, FusionInputReport, OrientationFilter } from './filter';

export { Vqf, FusionOutputLengthError, type VqfRates } from './vqf';
export { BROAD_LATENCY_S, VQF_DEFAULTS, VQF_TUNED, VqfParamError, resolveVqfParams, type VqfParams } from './vqfParams';
export { VqfStateError, type VqfState } from './vqfState';
export { estimateOrientationOffline, type OfflineOptions } from './offline';

export { FilterStateError, type AhrsCommonParams, type AhrsState } from './baselineFilter';
export { MadgwickFilter, type MadgwickParams, type MadgwickState } from './madgwick';
export { MahonyFilter, type MahonyParams, type MahonyState } from './mahony';

export {
  applyMagCalibration,
  applyMagCalibrationToArray,
  fitMagCalibration,
  type MagCalibration,
  type MagCalibrationParams,
} from './magCalibration';
export {
  detectStillPeriods,
  estimateGyroBias,
  subtractGyroBias,
  withoutGyroBias,
  type StillPeriod,
  type StillPeriodParams,
} from './gyroBias';
