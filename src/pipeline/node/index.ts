/** Node-only pipeline parts (exported from `kinemetry/node`): file sources and the CSV file sink. */
export * from './csvFileSink';
export * from './fromRecordingFile';
