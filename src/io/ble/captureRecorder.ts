/**
 * Record a live session as a {@link BleCapture}: wrap a transport, use it as usual, and
 * save `recorder.capture()` with `formatBleCapture` — for bug reports ("here are the
 * bytes") and for replaying with {@link FakeTransport}. Records every read, write,
 * notification and disconnect with its host time.
 */
import type { BleCapture, BleCaptureEvent } from './capture';
import type {
  BleCharacteristicLike,
  BleDeviceLike,
  BleGattServerLike,
  BleRequestOptions,
  BleServiceLike,
  BleTransport,
  BleValueEvent,
} from './transport';
import { canonicalUuid } from './uuid';

function bytesOfValue(value: Uint8Array | ArrayBuffer | DataView): Uint8Array {
  if (value instanceof ArrayBuffer) return new Uint8Array(value.slice(0));
  return new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
}

export class CaptureRecorder {
  private readonly events: BleCaptureEvent[] = [];
  private readonly services = new Map<string, Set<string>>();
  private deviceName: string | undefined;
  readonly transport: BleTransport;

  constructor(
    inner: BleTransport,
    /** Host clock, s (default: performance.now since construction). */
    private readonly nowS: () => number = (() => {
      const start = performance.now();
      return () => (performance.now() - start) / 1000;
    })(),
  ) {
    this.transport = {
      kind: `recording:${inner.kind}`,
      requestDevice: async (options: BleRequestOptions) => this.device(await inner.requestDevice(options)),
    };
  }

  /** What has been recorded so far. */
  capture(): BleCapture {
    const services = [...this.services].map(([uuid, chars]) => ({ uuid, characteristics: [...chars] }));
    const c: BleCapture = { services, events: this.events.slice() };
    return this.deviceName !== undefined ? { ...c, deviceName: this.deviceName } : c;
  }

  private time(): number {
    return this.nowS();
  }

  private push(e: BleCaptureEvent): void {
    // Capture times never decrease (the format requires it).
    const last = this.events[this.events.length - 1];
    this.events.push(last && e.tS < last.tS ? { ...e, tS: last.tS } : e);
  }

  private device(d: BleDeviceLike): BleDeviceLike {
    this.deviceName = d.name;
    d.addEventListener('gattserverdisconnected', () => this.push({ tS: this.time(), op: 'disconnect' }));
    const gatt = d.gatt ? this.server(d.gatt) : undefined;
    return {
      id: d.id,
      name: d.name,
      gatt,
      addEventListener: (type, listener) => d.addEventListener(type, listener),
      removeEventListener: (type, listener) => d.removeEventListener(type, listener),
    };
  }

  private server(s: BleGattServerLike): BleGattServerLike {
    const wrapped: BleGattServerLike = {
      get connected() {
        return s.connected;
      },
      connect: async () => {
        await s.connect();
        return wrapped;
      },
      disconnect: () => s.disconnect(),
      getPrimaryService: async (uuid: string) => this.service(await s.getPrimaryService(uuid)),
    };
    return wrapped;
  }

  private service(s: BleServiceLike): BleServiceLike {
    const id = canonicalUuid(s.uuid);
    if (!this.services.has(id)) this.services.set(id, new Set());
    return {
      uuid: s.uuid,
      getCharacteristic: async (uuid: string) => {
        const c = await s.getCharacteristic(uuid);
        this.services.get(id)!.add(canonicalUuid(c.uuid));
        return this.characteristic(c);
      },
    };
  }

  private characteristic(c: BleCharacteristicLike): BleCharacteristicLike {
    const uuid = canonicalUuid(c.uuid);
    let recording = false;
    const record = (event: BleValueEvent) => {
      const value = (event.target as BleCharacteristicLike | null)?.value ?? c.value;
      if (value) this.push({ tS: this.time(), op: 'notify', characteristic: uuid, bytes: bytesOfValue(value) });
    };
    const write = (fn: ((v: Uint8Array) => Promise<void>) | undefined) =>
      fn &&
      (async (v: Uint8Array) => {
        this.push({ tS: this.time(), op: 'write', characteristic: uuid, bytes: bytesOfValue(v) });
        await fn.call(c, v);
      });
    const w: BleCharacteristicLike = {
      uuid: c.uuid,
      get value() {
        return c.value;
      },
      startNotifications: async () => {
        // One recording listener however many the app adds; added before notifications start.
        if (!recording) c.addEventListener('characteristicvaluechanged', record);
        recording = true;
        return c.startNotifications();
      },
      stopNotifications: () => c.stopNotifications(),
      readValue: async () => {
        const v = await c.readValue();
        this.push({ tS: this.time(), op: 'read', characteristic: uuid, bytes: bytesOfValue(v) });
        return v;
      },
      addEventListener: (type, listener) => c.addEventListener(type, listener),
      removeEventListener: (type, listener) => c.removeEventListener(type, listener),
    };
    const withResponse = write(c.writeValueWithResponse);
    const withoutResponse = write(c.writeValueWithoutResponse);
    const plain = write(c.writeValue);
    if (withResponse) w.writeValueWithResponse = withResponse;
    if (withoutResponse) w.writeValueWithoutResponse = withoutResponse;
    if (plain) w.writeValue = plain;
    return w;
  }
}
