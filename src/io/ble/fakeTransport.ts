/**
 * A {@link BleTransport} that replays a {@link BleCapture}: for tests, demos and bug reports.
 *
 * Replay is in lockstep with the host: events are delivered in capture order, as fast as the
 * host consumes them, but a `write` line waits until the host writes that characteristic, a
 * `read` line until it reads it, and a `notify` line until the host has started
 * notifications on it (a real device sends nothing before its CCCD is enabled). So a driver's
 * start sequence gets its answers in the right order without timers, and the data stream
 * follows. Every write is recorded in {@link FakeTransport.writes} (so tests can assert the
 * command bytes) and a write that differs from the capture in {@link FakeTransport.mismatches}.
 * `disconnect` lines, {@link FakeTransport.injectDisconnect} and `gatt.disconnect()` drop the
 * link; later notifications wait for a reconnect and re-subscription.
 */
import type { BleCapture, BleCaptureEvent } from './capture';
import { bytesToHex } from './hex';
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

export interface FakeWrite {
  /** Capture time of the last event replayed when the host wrote, s. */
  readonly tS: number;
  readonly characteristic: string;
  readonly bytes: Uint8Array;
  readonly withResponse: boolean;
}

export interface FakeMismatch {
  /** Index of the capture event the write was checked against (−1: no write expected there). */
  readonly eventIndex: number;
  readonly characteristic: string;
  readonly expectedHex: string | null;
  readonly actualHex: string;
}

function domError(name: string, message: string): Error {
  return typeof DOMException === 'function' ? new DOMException(message, name) : Object.assign(new Error(message), { name });
}

function copyBytes(value: Uint8Array | ArrayBuffer | DataView): Uint8Array {
  if (value instanceof ArrayBuffer) return new Uint8Array(value.slice(0));
  return new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
}

type Listener = (event: BleValueEvent) => void;

class FakeCharacteristic implements BleCharacteristicLike {
  value: DataView | null = null;
  readonly listeners = new Set<Listener>();
  constructor(
    readonly uuid: string,
    private readonly fake: FakeTransport,
  ) {}
  async startNotifications(): Promise<this> {
    this.fake.hostSubscribe(this.uuid, true);
    return this;
  }
  async stopNotifications(): Promise<this> {
    this.fake.hostSubscribe(this.uuid, false);
    return this;
  }
  async readValue(): Promise<DataView> {
    const bytes = this.fake.hostRead(this.uuid);
    this.value = new DataView(bytes.buffer.slice(0) as ArrayBuffer);
    return this.value;
  }
  async writeValueWithResponse(value: Uint8Array): Promise<void> {
    this.fake.hostWrite(this.uuid, copyBytes(value), true);
  }
  async writeValueWithoutResponse(value: Uint8Array): Promise<void> {
    this.fake.hostWrite(this.uuid, copyBytes(value), false);
  }
  async writeValue(value: Uint8Array): Promise<void> {
    this.fake.hostWrite(this.uuid, copyBytes(value), true);
  }
  addEventListener(_type: 'characteristicvaluechanged', listener: Listener): void {
    this.listeners.add(listener);
  }
  removeEventListener(_type: 'characteristicvaluechanged', listener: Listener): void {
    this.listeners.delete(listener);
  }
  emit(bytes: Uint8Array): void {
    this.value = new DataView(bytes.slice().buffer);
    const event = { type: 'characteristicvaluechanged', target: this };
    for (const l of [...this.listeners]) l(event);
  }
}

class FakeService implements BleServiceLike {
  constructor(
    readonly uuid: string,
    private readonly characteristics: ReadonlyMap<string, FakeCharacteristic>,
    private readonly fake: FakeTransport,
  ) {}
  async getCharacteristic(uuid: string): Promise<BleCharacteristicLike> {
    this.fake.requireConnected();
    const c = this.characteristics.get(canonicalUuid(uuid));
    if (!c) throw domError('NotFoundError', `no characteristic ${uuid} in service ${this.uuid}`);
    return c;
  }
}

class FakeGatt implements BleGattServerLike {
  constructor(private readonly fake: FakeTransport) {}
  get connected(): boolean {
    return this.fake.isConnected;
  }
  async connect(): Promise<this> {
    this.fake.hostConnect();
    return this;
  }
  disconnect(): void {
    this.fake.dropLink();
  }
  async getPrimaryService(uuid: string): Promise<BleServiceLike> {
    return this.fake.service(uuid);
  }
}

class FakeDevice implements BleDeviceLike {
  readonly gatt: FakeGatt;
  readonly listeners = new Set<(event: unknown) => void>();
  constructor(
    readonly id: string,
    readonly name: string | undefined,
    fake: FakeTransport,
  ) {
    this.gatt = new FakeGatt(fake);
  }
  addEventListener(_type: 'gattserverdisconnected', listener: (event: unknown) => void): void {
    this.listeners.add(listener);
  }
  removeEventListener(_type: 'gattserverdisconnected', listener: (event: unknown) => void): void {
    this.listeners.delete(listener);
  }
}

export interface FakeTransportOptions {
  /** Device id reported to the host. Default `fake-0`. */
  deviceId?: string;
}

export class FakeTransport implements BleTransport {
  readonly kind = 'fake';
  /** Every write the host made, in order. */
  readonly writes: FakeWrite[] = [];
  /** Writes that differ from the capture (or came where the capture has none). */
  readonly mismatches: FakeMismatch[] = [];
  /** How many times the link dropped (capture lines, injections, host disconnects). */
  disconnects = 0;

  private readonly events: readonly BleCaptureEvent[];
  private readonly services = new Map<string, FakeService>();
  private readonly characteristics = new Map<string, FakeCharacteristic>();
  private readonly subscribed = new Set<string>();
  private allowedServices = new Set<string>();
  private device: FakeDevice | undefined;
  private connected = false;
  private cursor = 0;
  private currentTS = 0;
  private pumping = false;
  private doneWaiters: (() => void)[] = [];

  constructor(
    private readonly capture: BleCapture,
    private readonly options: FakeTransportOptions = {},
  ) {
    this.events = capture.events;
    for (const s of capture.services) {
      const chars = new Map<string, FakeCharacteristic>();
      for (const c of s.characteristics) {
        const ch = this.characteristics.get(c) ?? new FakeCharacteristic(c, this);
        this.characteristics.set(c, ch);
        chars.set(c, ch);
      }
      this.services.set(s.uuid, new FakeService(s.uuid, chars, this));
    }
    this.events.forEach((e, i) => {
      if (e.op !== 'disconnect' && !this.characteristics.has(e.characteristic)) {
        throw new RangeError(`capture event ${i}: characteristic ${e.characteristic} is not listed on any 'service' line`);
      }
    });
  }

  /** Capture time of the last event replayed, s: use as the session clock so decoders see the recorded host times. */
  nowS(): number {
    return this.currentTS;
  }

  /** Events replayed so far. */
  get position(): number {
    return this.cursor;
  }

  get isConnected(): boolean {
    return this.connected;
  }

  /** Resolves once every capture event has been replayed. */
  whenDone(): Promise<void> {
    if (this.cursor >= this.events.length) return Promise.resolve();
    return new Promise((resolve) => this.doneWaiters.push(resolve));
  }

  async requestDevice(options: BleRequestOptions): Promise<BleDeviceLike> {
    const name = this.capture.deviceName;
    const offered = new Set(this.services.keys());
    const matches =
      options.acceptAllDevices === true ||
      (options.filters ?? []).some(
        (f) =>
          (f.services ?? []).every((s) => offered.has(canonicalUuid(s))) &&
          (f.name === undefined || f.name === name) &&
          (f.namePrefix === undefined || (name ?? '').startsWith(f.namePrefix)),
      );
    if (!matches) throw domError('NotFoundError', `fake device '${name ?? ''}' does not match the request filters`);
    // Web Bluetooth only lets a page touch services it named.
    this.allowedServices = new Set([
      ...(options.filters ?? []).flatMap((f) => (f.services ?? []).map(canonicalUuid)),
      ...(options.optionalServices ?? []).map(canonicalUuid),
    ]);
    this.device ??= new FakeDevice(this.options.deviceId ?? 'fake-0', name, this);
    return this.device;
  }

  /** Drop the link now, as if the device went out of range. */
  injectDisconnect(): void {
    this.dropLink();
  }

  // ---- called by the fake GATT objects ----

  requireConnected(): void {
    if (!this.connected) throw domError('NetworkError', 'GATT server is disconnected');
  }

  hostConnect(): void {
    this.connected = true;
    this.schedule();
  }

  dropLink(): void {
    if (!this.connected) return;
    this.connected = false;
    this.subscribed.clear();
    this.disconnects++;
    const event = { type: 'gattserverdisconnected', target: this.device };
    for (const l of [...(this.device?.listeners ?? [])]) l(event);
  }

  service(uuid: string): FakeService {
    this.requireConnected();
    const id = canonicalUuid(uuid);
    if (!this.allowedServices.has(id)) throw domError('SecurityError', `service ${id} was not listed in requestDevice filters or optionalServices`);
    const s = this.services.get(id);
    if (!s) throw domError('NotFoundError', `no service ${id} on the fake device`);
    return s;
  }

  hostSubscribe(uuid: string, on: boolean): void {
    this.requireConnected();
    if (on) this.subscribed.add(uuid);
    else this.subscribed.delete(uuid);
    this.schedule();
  }

  hostRead(uuid: string): Uint8Array {
    this.requireConnected();
    const e = this.events[this.cursor];
    if (!e || e.op !== 'read' || e.characteristic !== uuid) {
      throw domError('NotSupportedError', `the capture has no read of ${uuid} at event ${this.cursor}`);
    }
    this.advance();
    return e.bytes;
  }

  hostWrite(uuid: string, bytes: Uint8Array, withResponse: boolean): void {
    this.requireConnected();
    this.writes.push({ tS: this.currentTS, characteristic: uuid, bytes, withResponse });
    const e = this.events[this.cursor];
    if (e && e.op === 'write' && e.characteristic === uuid) {
      if (bytesToHex(e.bytes) !== bytesToHex(bytes)) {
        this.mismatches.push({ eventIndex: this.cursor, characteristic: uuid, expectedHex: bytesToHex(e.bytes), actualHex: bytesToHex(bytes) });
      }
      this.advance();
    } else {
      this.mismatches.push({ eventIndex: -1, characteristic: uuid, expectedHex: null, actualHex: bytesToHex(bytes) });
    }
  }

  // ---- replay ----

  private advance(): void {
    const e = this.events[this.cursor]!;
    this.currentTS = e.tS;
    this.cursor++;
    this.schedule();
  }

  /** Deliver events until one must wait for the host; one microtask between events lets async hosts react. */
  private schedule(): void {
    if (this.pumping) return;
    this.pumping = true;
    queueMicrotask(() => void this.pump());
  }

  private async pump(): Promise<void> {
    try {
      for (;;) {
        const e = this.events[this.cursor];
        if (!e) break;
        if (e.op === 'disconnect') {
          this.currentTS = e.tS;
          this.cursor++;
          this.dropLink();
        } else if (e.op === 'notify' && this.connected && this.subscribed.has(e.characteristic)) {
          this.currentTS = e.tS;
          this.cursor++;
          this.characteristics.get(e.characteristic)?.emit(e.bytes);
        } else {
          break; // waits for the host: a write, a read, a subscription or a reconnect
        }
        await null;
      }
    } finally {
      this.pumping = false;
    }
    if (this.cursor >= this.events.length) {
      const waiters = this.doneWaiters;
      this.doneWaiters = [];
      for (const w of waiters) w();
    }
  }
}
