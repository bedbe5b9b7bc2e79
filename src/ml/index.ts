/**
 * kinemetry/ml — the learned exercise recogniser (@tensorflow/tfjs). Its own entry so the
 * core (`kinemetry`) stays free of tfjs: only apps that classify pay for it.
 * Browser-safe; a directory path given to {@link loadExerciseModel} is read with node:fs
 * (imported lazily, Node only). Node-only file helpers: `readExerciseModelDir`, `saveExerciseModel`
 * from `kinemetry/ml/node`.
 */
export * from './windows';
export * from './features';
export * from './rigid';
export * from './setVote';
export {
  DEFAULT_FEATURES,
  IDLE,
  WEIGHTS_FILE,
  blockFeatures,
  buildNetwork,
  classifyRecording,
  exerciseClassifier,
  exerciseModelFiles,
  exerciseModelFromFiles,
  loadExerciseModel,
  quietTfjs,
  sampleLabels,
  trainExerciseModel,
  windowProbabilities,
  type Classification,
  type EpochLog,
  type ExerciseModel,
  type ExerciseModelFiles,
  type ExerciseModelMeta,
  type ExerciseSegment,
  type FeatureSpec,
  type SessionLabels,
  type TrainOptions,
  type TrainResult,
} from './model';
// The live labelling operator (takes any classifier, e.g. an ExerciseModel's, by injection).
export * from '../pipeline/labelExercise';
