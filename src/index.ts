/**
 * kinemetry — browser-safe core. Every stage is reachable from here in one hop.
 * Node-only parts (files, CLI, Node BLE) live in `kinemetry/node` (src/node.ts).
 */
export * as vec3 from './math/vec3';
export * as quat from './math/quat';
export * from './samples/block';
