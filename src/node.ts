/**
 * kinemetry/node — Node-only parts: reading and writing recording files and session
 * directories, and the CLI entry. Re-exports the browser-safe core.
 */
export * from './index';
export * from './io/node/recordingFile';
export * from './io/node/session';
export * from './io/node/writeRecording';
export * from './io/node/writeBids';
export * from './io/node/metaMotionRecording';
export { loadSidecars } from './io/node/sidecars';
export { nodeTransport, type NodeTransportOptions } from './io/ble/nodeTransport';
export * from './pipeline/node/index';
export { main } from './cli/main';
