/**
 * kinemetry — the browser-safe live core: samples → orientation (VQF) → joint angles → reps,
 * and the rxjs operators that chain them. Kept ≤ 40 kB gzip even as `import *` (`npm run size`);
 * everything else is one sub-path away, each name exported from exactly one entry:
 *
 *   kinemetry/ble          src/ble.ts          BLE transports (browser, fake, capture), drivers, `fromSensor`, packet reordering, clock drift
 *   kinemetry/formats      src/formats.ts      recording formats (CSV, STO, Xsens, BIDS, MetaMotion, MAT), unit parsing, `fromRecording`, CSV sinks, IndexedDB/OPFS stores
 *   kinemetry/quality      src/quality.ts      rep quality: measures, templates, scoring, session summary, `scoreRepsLive`
 *   kinemetry/calibration  src/calibration.ts  sensor-to-segment calibration (N-pose, functional axes, heading, joint centre), magnetometer calibration
 *   kinemetry/offline      src/offline.ts      whole-recording analysis: offline VQF, Madgwick/Mahony, validation, resampling/alignment, offline reps, ROM summary
 *   kinemetry/sim          src/sim/index.ts    motion and IMU simulator with exact ground truth
 *   kinemetry/report       src/report/index.ts analysis report model and self-contained HTML
 *   kinemetry/ml           src/ml/index.ts     exercise recogniser (tfjs); Node file helpers in kinemetry/ml/node
 *   kinemetry/node         src/node.ts         Node only: files, sessions, Node BLE, CLI (re-exports this core)
 *
 * Conventions (see README "Conventions"): quaternions [w,x,y,z] Hamilton, q_GS maps sensor to
 * global coordinates; global frame East-North-Up; SI units inside (s, m/s², rad/s, µT).
 */

// math/ — flat, allocation-free functions over Float64Array, `out` first.
export * as vec3 from './math/vec3';
export * as quat from './math/quat';
export * as mat3 from './math/mat3';
export * as angle from './math/angle';
export * as stats from './math/stats';
export * from './math/euler';
export * from './math/butterworth';
export * from './math/errors';
export { symmetricEigen } from './math/symmetricEigen';
export { indexAtOrAfter } from './math/search';

// samples/ — the SampleBlock every stage shares; constants of the internal units. (Unit parsing:
// kinemetry/formats; validation, resampling, alignment: kinemetry/offline.)
export * from './samples/block';
export * from './samples/construct';
export * from './samples/rate';
export * from './samples/errors';
export { STANDARD_GRAVITY_MS2, DEG_TO_RAD, RAD_TO_DEG, type Quantity, type Unit } from './samples/units';

// fusion/ — the real-time VQF-class filter and gyroscope bias from still periods. (Offline
// forward–backward VQF, Madgwick, Mahony: kinemetry/offline; magnetometer calibration: kinemetry/calibration.)
export {
  BROAD_LATENCY_S,
  FusionOutputLengthError,
  VQF_DEFAULTS,
  VQF_TUNED,
  Vqf,
  VqfParamError,
  VqfStateError,
  detectStillPeriods,
  estimateGyroBias,
  resolveVqfParams,
  subtractGyroBias,
  withoutGyroBias,
  type FusionFlags,
  type FusionInputReport,
  type OrientationFilter,
  type StillPeriod,
  type StillPeriodParams,
  type VqfParams,
  type VqfRates,
  type VqfState,
} from './fusion/index';

// kinematics/ — body model, joint angles (stage and per sample), inclinometer ROM, tilt from gravity (acc-only sensors), norms.
// (Sensor-to-segment calibration: kinemetry/calibration; angles over a whole recording and the ROM summary: kinemetry/offline.)
export {
  AAOS_NORMAL_ROM_DEG,
  AngleInputError,
  FLAG_NEAR_GIMBAL_LOCK,
  FLAG_PLANE_HELD,
  FLAG_PLANE_INITIAL,
  GravityTilt,
  INCLINOMETER_MOTIONS,
  INCL_NOT_AT_REST,
  INCL_OUT_OF_PLANE,
  Inclinometer,
  JOINTS,
  JOINT_NAMES,
  JointAngleStage,
  ROM_MOTIONS,
  ROM_MOTION_SOURCES,
  SEGMENTS,
  TILT_NOT_AT_REST,
  SEGMENT_NAMES,
  UnknownBodyPartError,
  angleColumnNames,
  eulerAngleSigmaFromCovariance,
  jointAnglesFromQuats,
  jointDef,
  jointFrameQuat,
  motionExcursionDeg,
  mountCovariance,
  normalRomDeg,
  percentOfNormal,
  referenceUpFromRest,
  romMotionSource,
  segmentQuatFromSensor,
  type DofDef,
  type GravityTiltParams,
  type InclinometerMotion,
  type InclinometerParams,
  type JointAngleSeries,
  type JointAngleStageParams,
  type JointAngleStageState,
  type JointDef,
  type JointName,
  type RomMotion,
  type RomMotionSource,
  type SegmentDef,
  type SegmentName,
  type SensorCalibration,
  type Side,
} from './kinematics/index';

// reps/ — the Rep / MovementSignal types, the streaming segmenter and the live dominant-rotation
// signal. (The offline counter and the whole-recording signal: kinemetry/offline.)
export {
  DOMINANT_ROTATION_DEFAULTS,
  DominantRotationTracker,
  REP_GAP,
  REP_NO_HOLD,
  REP_PARTIAL,
  REP_SEGMENTER_DEFAULTS,
  REP_TRUNCATED,
  RepParamError,
  RepSegmenter,
  RotationAxisAccumulator,
  inclinationAngleRad,
  principalRotationAxis,
  resolveDominantRotationParams,
  resolveRepSegmenterParams,
  swingAngleRad,
  totalRotationDeg,
  twistAngleRad,
  upInSensor,
  type AngleSink,
  type DominantRotationMethod,
  type DominantRotationParams,
  type MovementSignal,
  type Rep,
  type RepPhase,
  type RepSegmenterParams,
  type RepSegmenterState,
} from './reps/index';

// pipeline/ — rxjs operators around the stages above, and the recording operator. (Sources:
// `fromSensor` in kinemetry/ble, `fromRecording` and the CSV sinks in kinemetry/formats;
// `scoreRepsLive` in kinemetry/quality.)
export * from './pipeline/events';
export * from './pipeline/errors';
export * from './pipeline/signal';
export * from './pipeline/fuseOrientation';
export * from './pipeline/jointAngles';
export * from './pipeline/dominantRotation';
export * from './pipeline/segmentReps';
export * from './pipeline/record';
export type { BlockSink } from './pipeline/sinks';
export * from './pipeline/batch';
