/**
 * kinemetry/node — Node-only parts: reading and writing recording files and session
 * directories, and the CLI entry. Re-exports the browser-safe core.
 */
export * from './index';
export * from './io/node/recordingFile';
export * from './io/node/session';
export * from './io/node/writeRecording';
export { main } from './cli/main';
