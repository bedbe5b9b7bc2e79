/**
 * kinemetry's motion and IMU simulator: body chains driven by analytic trajectories, exact IMU
 * truth, a seeded sensor error model, and ready-made scenarios. See `simulate.ts`.
 */
export { SimInputError } from './sim-error';
export { Rng, deriveSeed, type RngState } from './random';
export * from './trajectory';
export { SplineTrajectory, type SplineParams } from './spline';
export { RepSequence, type RepSequenceParams, type RepTruth } from './reps';
export {
  DampedOscillationBank,
  DampedOscillationTrajectory,
  type DampedOscillationBankParams,
  type DampedOscillationParams,
  type OscillationEvent,
} from './oscillation';
export { appendFixed, appendHinge, appendRelative, quatFromAxes } from './motion';
export * from './pose';
export * from './body';
export * from './magnetic';
export * from './errors';
export { dropMask, sampleCount, sampleTimes, type SampleTimes } from './clock';
export * from './soft-tissue';
export * from './imu';
export * from './simulate';
export * from './scenarios';
