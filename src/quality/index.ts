/**
 * quality/ — what each rep was like (ROM, phases, velocity, smoothness, consistency,
 * compensation), how it compares with a therapist's template reps, and the session summary.
 */
export type * from './types';
export { QualityInputError } from './errors';
export { sparc, logDimensionlessJerk, type SparcOptions } from './smoothness';
export { repMetrics, allRepMetrics, compensationDeg, type RepMetricsOptions } from './metrics';
export { consistencyReference, consistencyScore, repShapes, setReferences, type ConsistencyReference, type ConsistencyOptions } from './consistency';
export { repShape, dtwDistance, type RepShape, type ShapeOptions } from './shape';
export { repPhases, type RepPhases, type PhaseOptions } from './phases';
export { signalRateHz, smoothedVelocity, type VelocityOptions } from './signal';
export { buildTemplate, matchTemplate, type LabelledRep, type TemplateRep, type RepTemplate, type TemplateOptions, type MatchOptions } from './template';
export { scoreReps, type ScoreOptions } from './score';
export { summariseSession, slopePerStep, type SessionOptions, type SessionPlan } from './session';
