/**
 * kinemetry/ble — Bluetooth LE sensors (browser-safe): the transport interface and its browser
 * (Web Bluetooth) and fake (capture replay) implementations, capture files, the driver contract,
 * the drivers (Polar, Movesense, WitMotion, MetaWear, Thingy:52, generic profiles), and the live
 * sources `fromSensor` / `sensorEvents` (reconnect, gap events, packet reordering and exact
 * sample accounting, clock-drift correction). The Node transport
 * (`nodeTransport`) is in `kinemetry/node`. A sub-path so that an app pays only for the drivers
 * it imports and the core (`kinemetry`) stays small.
 */
export * from './io/ble/index';
export * from './pipeline/fromSensor';
export * from './pipeline/sampleAccount';
export * from './pipeline/packetReorder';
