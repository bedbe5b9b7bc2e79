/**
 * kinemetry/offline — analysis of whole recordings (what the CLI and batch scripts run): the
 * data-quality check of a stream, resampling and multi-sensor alignment, forward–backward VQF,
 * the Madgwick and Mahony baseline filters, joint angles over a recording and the ROM summary,
 * the whole-recording dominant-rotation signal and the offline rep counter.
 */
export * from './samples/validate';
export * as resample from './samples/resample';
export { resampleBlock } from './samples/resample';
export * from './samples/align';
export {
  FilterStateError,
  MadgwickFilter,
  MahonyFilter,
  estimateOrientationOffline,
  type AhrsCommonParams,
  type AhrsState,
  type MadgwickParams,
  type MadgwickState,
  type MahonyParams,
  type MahonyState,
  type OfflineOptions,
} from './fusion/index';
export { jointAnglesOverRecording, romSummary, type RomSummary, type RomSummaryParams } from './kinematics/index';
export {
  countFullReps,
  countRepsOffline,
  dominantRotationSignal,
  summarizeReps,
  type DominantRotationSignal,
  type RepCountResult,
} from './reps/index';
