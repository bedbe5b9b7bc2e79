/**
 * kinemetry/node — Node-only parts: reading and writing recording files and session
 * directories, the Node BLE transport, file sinks and the CLI entry. Re-exports the core and
 * the browser-safe sub-paths (ble, formats, quality, calibration, offline flat; sim and report
 * as the namespaces `sim`, `report`, whose names would clash; not ml), so a Node script needs
 * one import: bundle size does not matter there.
 */
export * from './index';
export * from './ble';
export * from './formats';
export * from './quality';
export * from './calibration';
export * from './offline';
export * as sim from './sim/index';
export * as report from './report/index';
export * from './io/node/recordingFile';
export * from './io/node/session';
export * from './io/node/writeRecording';
export * from './io/node/writeBids';
export * from './io/node/metaMotionRecording';
export { loadSidecars } from './io/node/sidecars';
export { nodeTransport, type NodeTransportOptions } from './io/ble/nodeTransport';
export * from './pipeline/node/index';
export { main } from './cli/main';
