/**
 * pipeline/ — rxjs operators for live streams: thin adapters around the synchronous stages
 * (the batch paths and the CLI call the same stages directly). Sources: `fromSensor` /
 * `sensorEvents` (BLE, with reconnect), `fromRecording`. Stages: `fuseOrientation`,
 * `jointAngles`, `dominantRotation`, `segmentReps`, `scoreReps`. Sinks: `record`.
 * Browser-safe; the Node file source and sink are in `kinemetry/node`.
 */
export * from './events';
export * from './errors';
export * from './fromSensor';
export * from './sampleAccount';
export * from './packetReorder';
export * from './fromRecording';
export * from './fuseOrientation';
export * from './signal';
export * from './dominantRotation';
export * from './jointAngles';
export * from './segmentReps';
export * from './scoreReps';
export * from './sinks';
export * from './record';
export { RecordingStoreError, type StoredRecordingFile } from './storeErrors';
export * from './indexedDbSink';
export * from './opfsSink';
export * from './batch';
// labelExercise (the live recogniser operator) is exported from kinemetry/ml, with the recogniser.
