/**
 * The subset of Web Bluetooth (`navigator.bluetooth`) kinemetry uses, declared here so that
 * the core needs neither `@types/web-bluetooth` nor a DOM with Bluetooth: the browser's
 * objects, the `webbluetooth` package's objects (Node) and {@link FakeTransport} all satisfy
 * these interfaces structurally.
 */

/** One `requestDevice` filter: any one filter matching selects the device. */
export interface BleScanFilter {
  readonly services?: readonly string[];
  readonly name?: string;
  readonly namePrefix?: string;
}

export interface BleRequestOptions {
  readonly filters?: readonly BleScanFilter[];
  /** Every custom service the driver touches must be listed here or in a filter. */
  readonly optionalServices?: readonly string[];
  readonly acceptAllDevices?: boolean;
}

/** Minimal Event shape: `characteristicvaluechanged` carries the characteristic as `target`. */
export interface BleValueEvent {
  readonly target: unknown;
}

export interface BleCharacteristicLike {
  readonly uuid: string;
  /** The last notified or read value. */
  readonly value?: DataView | null;
  startNotifications(): Promise<unknown>;
  stopNotifications(): Promise<unknown>;
  readValue(): Promise<DataView>;
  writeValueWithResponse?(value: Uint8Array): Promise<void>;
  writeValueWithoutResponse?(value: Uint8Array): Promise<void>;
  /** Deprecated in the spec but the only write in some implementations. */
  writeValue?(value: Uint8Array): Promise<void>;
  addEventListener(type: 'characteristicvaluechanged', listener: (event: BleValueEvent) => void): void;
  removeEventListener(type: 'characteristicvaluechanged', listener: (event: BleValueEvent) => void): void;
}

export interface BleServiceLike {
  readonly uuid: string;
  getCharacteristic(uuid: string): Promise<BleCharacteristicLike>;
}

export interface BleGattServerLike {
  readonly connected: boolean;
  connect(): Promise<BleGattServerLike>;
  disconnect(): void;
  getPrimaryService(uuid: string): Promise<BleServiceLike>;
}

export interface BleDeviceLike {
  readonly id: string;
  readonly name?: string | undefined;
  readonly gatt?: BleGattServerLike | undefined;
  addEventListener(type: 'gattserverdisconnected', listener: (event: unknown) => void): void;
  removeEventListener(type: 'gattserverdisconnected', listener: (event: unknown) => void): void;
}

/** `navigator.bluetooth` as far as kinemetry uses it. */
export interface BluetoothLike {
  requestDevice(options: BleRequestOptions): Promise<BleDeviceLike>;
  getAvailability?(): Promise<boolean>;
}

/** Where devices come from: the browser, Node (`webbluetooth`) or a {@link FakeTransport}. */
export interface BleTransport {
  /** `browser`, `node` or `fake`: for messages and capture files. */
  readonly kind: string;
  requestDevice(options: BleRequestOptions): Promise<BleDeviceLike>;
}
