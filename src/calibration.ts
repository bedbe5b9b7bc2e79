/**
 * kinemetry/calibration — setup-time solves, not per-sample stages: sensor-to-segment
 * calibration from a static pose, functional hinge axes, 2-DoF axes, magnetometer-free heading
 * alignment, whole-joint functional calibration and the joint centre from accelerometers; and
 * magnetometer hard/soft-iron calibration. Their output (`qSegSensor`, a `MagCalibration`) feeds
 * the core stages in `kinemetry`.
 */
export * from './kinematics/staticCalibration';
export * from './kinematics/hingeAxis';
export * from './kinematics/twoDofAxes';
export * from './kinematics/headingAlignment';
export * from './kinematics/functionalCalibration';
export * from './kinematics/jointCenter';
export {
  applyMagCalibration,
  applyMagCalibrationToArray,
  fitMagCalibration,
  type MagCalibration,
  type MagCalibrationParams,
} from './fusion/index';
