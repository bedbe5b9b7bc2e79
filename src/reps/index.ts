/**
 * Repetitions: the shared Rep / MovementSignal types, the automatic single-sensor movement
 * signal (dominant rotation), the streaming {@link RepSegmenter} and the offline counter.
 */
export * from './rep';
export { REP_SEGMENTER_DEFAULTS, RepParamError, resolveRepSegmenterParams, type RepSegmenterParams } from './segmenterParams';
export { RepSegmenter, type RepPhase, type RepSegmenterState } from './segmenter';
export { countRepsOffline, countFullReps, summarizeReps, type RepCountResult } from './offline';
export { DOMINANT_ROTATION_DEFAULTS, resolveDominantRotationParams, type DominantRotationParams } from './dominantRotationParams';
export { dominantRotationSignal, DominantRotationTracker, type AngleSink, type DominantRotationSignal } from './dominantRotation';
export { RotationAxisAccumulator, principalRotationAxis, totalRotationDeg } from './principalAxis';
export { twistAngleRad, swingAngleRad, inclinationAngleRad, upInSensor, type DominantRotationMethod } from './twist';
