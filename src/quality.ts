/**
 * kinemetry/quality — what each rep was like: ROM, phases, velocity, smoothness (SPARC, LDLJ),
 * consistency, compensation; a therapist's template reps and matching against them; per-rep
 * scores and the session summary; and `scoreRepsLive`, the rxjs operator that scores reps as
 * the segmenter emits them. A sub-path so that the live core stays ≤ 40 kB gzip.
 */
export * from './quality/index';
export * from './pipeline/scoreReps';
