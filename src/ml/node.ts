/** kinemetry/ml/node — the recogniser plus Node file helpers for model directories. */
export * from './index';
export { readExerciseModelDir, saveExerciseModel } from './files';
