/**
 * Joint angles and range of motion in ISB / clinical conventions: body model (`body.ts`,
 * `joints.ts`), angles from two orientations (`jointAngles.ts`, `jointAngleStage.ts`),
 * single-sensor inclinometer ROM (`inclinometer.ts`), tilt from gravity for accelerometer-only
 * sensors (`gravityTilt.ts`), ROM summary and AAOS norms; and
 * sensor-to-segment calibration: functional hinge axes (`hingeAxis.ts`), 2-DoF axes
 * (`twoDofAxes.ts`), static pose (`staticCalibration.ts`), magnetometer-free heading
 * alignment (`headingAlignment.ts`), whole-joint functional calibration (`functionalCalibration.ts`), joint centre from
 * accelerometers (`jointCenter.ts`), 1-σ angle uncertainty (`angleUncertainty.ts`).
 */
export { AngleInputError, UnknownBodyPartError } from './angleErrors';
export { SEGMENTS, SEGMENT_NAMES, type SegmentDef, type SegmentName, type Side } from './body';
export { JOINTS, JOINT_NAMES, angleColumnNames, jointDef, type DofDef, type JointDef, type JointName } from './joints';
export { jointAnglesFromQuats, jointFrameQuat, segmentQuatFromSensor } from './jointAngles';
export {
  FLAG_NEAR_GIMBAL_LOCK,
  FLAG_PLANE_HELD,
  FLAG_PLANE_INITIAL,
  JointAngleStage,
  jointAnglesOverRecording,
  type JointAngleSeries,
  type JointAngleStageParams,
  type JointAngleStageState,
  type SensorCalibration,
} from './jointAngleStage';
export { INCLINOMETER_MOTIONS, INCL_NOT_AT_REST, INCL_OUT_OF_PLANE, Inclinometer, type InclinometerMotion, type InclinometerParams } from './inclinometer';
export { GravityTilt, TILT_NOT_AT_REST, referenceUpFromRest, type GravityTiltParams } from './gravityTilt';
export { romSummary, type RomSummary, type RomSummaryParams } from './romSummary';
export { AAOS_NORMAL_ROM_DEG, ROM_MOTIONS, normalRomDeg, percentOfNormal, type RomMotion } from './norms';
export { ROM_MOTION_SOURCES, motionExcursionDeg, romMotionSource, type RomMotionSource } from './romMotions';
export * from './hingeAxis';
export * from './twoDofAxes';
export * from './staticCalibration';
export * from './headingAlignment';
export * from './functionalCalibration';
export * from './jointCenter';
export * from './angleUncertainty';
