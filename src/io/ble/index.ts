/**
 * Bluetooth LE sensors (browser-safe): the transport interface and its browser and fake
 * implementations, capture files, the driver contract and the drivers. The Node transport
 * (`nodeTransport`, over the optional `webbluetooth` package) is exported from `kinemetry/node`.
 */
export * from './uuid';
export * from './hex';
export * from './errors';
export type * from './transport';
export * from './browserTransport';
export * from './capture';
export * from './fakeTransport';
export * from './captureRecorder';
export * from './gattLink';
export * from './driver';
export * from './connect';
export { SensorClock, SensorTimeline, type Placement, type PlacementKind } from './sensorTimeline';
export * from './reorderBuffer';
export * from './packetOrder';
export * from './clockDrift';
export { HostTimeline, type HostTimelineOptions, type HostStamp } from './hostTimeline';
export { InertialPairer, pairsToBlock, type PairerOptions, type Pairs } from './pairer';
export * from './polarPmdProtocol';
export * from './polarPmd';
export * from './movesense';
export * from './witmotion';
export * from './metawear';
export * from './thingy52';
export * from './structLayout';
export * from './genericProfile';
export * from './profilePresets';
