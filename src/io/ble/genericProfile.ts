/**
 * A driver from a declarative profile, for DIY and unsupported sensors: service and
 * characteristic UUIDs, a struct layout per record, each value's role, scale and unit, and
 * optional start/stop bytes. A notification may carry several records back to back. With a
 * `time` field, samples carry sensor-clock times (unsigned counters unwrapped); without
 * one they are stamped on the host at `rateHz`.
 */
import { createBlock } from '../../samples/block';
import type { BlockBuilder, SampleBlock, SensorInfo } from '../../samples/block';
import { parseUnit } from '../../samples/units';
import type { Quantity } from '../../samples/units';
import { BleDriverBase, sensorInfo } from './driver';
import type { BleSensorOptions } from './driver';
import { BleConfigError } from './errors';
import type { BleProblem } from './errors';
import type { GattLink } from './gattLink';
import { hexToBytes } from './hex';
import { HostTimeline } from './hostTimeline';
import { SensorClock, SensorTimeline } from './sensorTimeline';
import { parseStructLayout, readStructValue } from './structLayout';
import type { StructLayout } from './structLayout';
import type { BleRequestOptions } from './transport';
import { canonicalUuid } from './uuid';

export type GenericRole =
  | 'time'
  | 'accX' | 'accY' | 'accZ'
  | 'gyrX' | 'gyrY' | 'gyrZ'
  | 'magX' | 'magY' | 'magZ'
  | 'quatW' | 'quatX' | 'quatY' | 'quatZ'
  | 'ignore';

export interface GenericField {
  readonly role: GenericRole;
  /**
   * Unit of `raw × scale`, parsed by `parseUnit` for the role's quantity: time (`ms`, `us`,
   * `s`), acceleration (`g`, `m/s^2`, `mg`), angular rate (`deg/s`, `rad/s`), magnetic field
   * (`uT`, `gauss`). Required except for `quat*` (dimensionless) and `ignore`.
   */
  readonly unit?: string;
  /** Multiplier applied to the raw value before the unit (LSB size). Default 1. */
  readonly scale?: number;
}

export interface GenericProfile {
  /** Name in problems and errors (`generic:<name>`). */
  readonly name: string;
  readonly service: string;
  /** Characteristic that notifies the records. */
  readonly notify: string;
  /** Characteristic for `start`/`stop` bytes (default: `notify`). */
  readonly write?: string;
  /** Struct layout of one record, e.g. `<I6f`. */
  readonly layout: string;
  /** One field per value in the layout (pads excluded), in order. */
  readonly fields: readonly GenericField[];
  /** Nominal record rate, Hz. */
  readonly rateHz: number;
  /** Bytes (hex text or bytes) written after subscribing, e.g. a "start streaming" command. */
  readonly start?: string | Uint8Array;
  readonly stop?: string | Uint8Array;
  /** Advertised name prefix to scan for, besides the service. */
  readonly namePrefix?: string;
  readonly device?: string;
}

const GROUPS = {
  acc: ['accX', 'accY', 'accZ'],
  gyr: ['gyrX', 'gyrY', 'gyrZ'],
  mag: ['magX', 'magY', 'magZ'],
  quat: ['quatW', 'quatX', 'quatY', 'quatZ'],
} as const;

function quantityOf(role: GenericRole): Quantity | null {
  if (role === 'time') return 'time';
  if (role.startsWith('acc')) return 'acceleration';
  if (role.startsWith('gyr')) return 'angular-rate';
  if (role.startsWith('mag')) return 'magnetic-field';
  if (role.startsWith('quat')) return 'dimensionless';
  return null;
}

interface Compiled {
  /** Value index in the record for each slot, and its factor to internal units. */
  readonly index: Readonly<Record<string, number>>;
  readonly factor: Readonly<Record<string, number>>;
  /** Wrap period of an unsigned integer time counter, s (Infinity for others). */
  readonly timeWrapS: number;
  readonly hasTime: boolean;
  readonly groups: { acc: boolean; gyr: boolean; mag: boolean; quat: boolean };
}

function bytesOf(x: string | Uint8Array | undefined): Uint8Array | undefined {
  return x === undefined ? undefined : typeof x === 'string' ? hexToBytes(x) : x;
}

export class GenericProfileDriver extends BleDriverBase {
  readonly driverName: string;
  readonly info: SensorInfo;
  readonly requestOptions: BleRequestOptions;
  readonly layout: StructLayout;
  private readonly c: Compiled;
  private readonly service: string;
  private readonly notify: string;
  private readonly write: string;
  private readonly startBytes: Uint8Array | undefined;
  private readonly stopBytes: Uint8Array | undefined;
  private readonly clock = new SensorClock();
  private readonly sensorTimeline: SensorTimeline;
  private readonly hostTimeline: HostTimeline;
  private lastRawTime = NaN;
  private timeWraps = 0;

  constructor(
    readonly profile: GenericProfile,
    options: BleSensorOptions = {},
  ) {
    super();
    this.driverName = `generic:${profile.name}`;
    const fail = (reason: string): never => {
      throw new BleConfigError(this.driverName, reason);
    };
    try {
      this.layout = parseStructLayout(profile.layout);
      this.service = canonicalUuid(profile.service);
      this.notify = canonicalUuid(profile.notify);
      this.write = canonicalUuid(profile.write ?? profile.notify);
      this.startBytes = bytesOf(profile.start);
      this.stopBytes = bytesOf(profile.stop);
    } catch (err) {
      throw new BleConfigError(this.driverName, (err as Error).message);
    }
    if (!(profile.rateHz > 0) || !Number.isFinite(profile.rateHz)) fail(`rateHz must be > 0, got ${profile.rateHz}`);
    if (profile.fields.length !== this.layout.values.length) {
      fail(`layout '${profile.layout}' has ${this.layout.values.length} values but ${profile.fields.length} fields are described`);
    }
    const index: Record<string, number> = {};
    const factor: Record<string, number> = {};
    profile.fields.forEach((f, i) => {
      if (f.role === 'ignore') return;
      const quantity = quantityOf(f.role);
      if (!quantity) fail(`field ${i}: unknown role '${f.role}'`);
      if (index[f.role] !== undefined) fail(`role '${f.role}' is given twice (fields ${index[f.role]} and ${i})`);
      if (f.unit === undefined && quantity !== 'dimensionless') fail(`field ${i} (${f.role}) needs a unit`);
      const scale = f.scale ?? 1;
      if (!Number.isFinite(scale) || scale === 0) fail(`field ${i} (${f.role}): scale must be finite and non-zero`);
      let toInternal = 1;
      try {
        toInternal = parseUnit(f.unit ?? '1', quantity!).toInternal;
      } catch (err) {
        fail(`field ${i} (${f.role}): ${(err as Error).message}`);
      }
      index[f.role] = i;
      factor[f.role] = scale * toInternal;
    });
    const groups = { acc: false, gyr: false, mag: false, quat: false };
    for (const [g, roles] of Object.entries(GROUPS) as [keyof typeof GROUPS, readonly string[]][]) {
      const present = roles.filter((r) => index[r] !== undefined).length;
      if (present !== 0 && present !== roles.length) fail(`${g}: give all of ${roles.join(', ')} or none`);
      groups[g] = present === roles.length;
    }
    if (groups.acc !== groups.gyr) fail('acc and gyr go together (a block holds both or neither)');
    if (!groups.acc && !groups.mag && !groups.quat) fail('no channel: map acc + gyr, mag or quat fields');
    const t = index.time;
    const tv = t !== undefined ? this.layout.values[t]! : undefined;
    const timeWrapS = tv && tv.integer && tv.unsigned && tv.size <= 4 ? 2 ** (8 * tv.size) * factor.time! : Infinity;
    this.c = { index, factor, timeWrapS, hasTime: t !== undefined, groups };
    this.sensorTimeline = new SensorTimeline(profile.rateHz, this.clock, Math.abs(factor.time ?? 0));
    this.hostTimeline = new HostTimeline({ rateHz: profile.rateHz });
    this.info = sensorInfo(this.driverName, options, profile.rateHz, profile.device ?? profile.name);
    const filters: { services?: string[]; namePrefix?: string }[] = [{ services: [this.service] }];
    if (profile.namePrefix) filters.push({ namePrefix: profile.namePrefix });
    this.requestOptions = { filters, optionalServices: [this.service] };
  }

  async start(link: GattLink): Promise<void> {
    await link.subscribe(this.service, this.notify);
    if (this.startBytes) await link.write(this.service, this.write, this.startBytes);
  }

  async stop(link: GattLink): Promise<void> {
    if (this.stopBytes) await link.write(this.service, this.write, this.stopBytes).catch(() => undefined);
    await link.unsubscribeAll();
  }

  protected resetStream(): void {
    this.clock.reset();
    this.sensorTimeline.reset();
    this.hostTimeline.reset();
    this.lastRawTime = NaN;
    this.timeWraps = 0;
  }

  protected decodePacket(value: DataView, hostTimeS: number, _uuid: string, problems: BleProblem[]): SampleBlock | null {
    const size = this.layout.size;
    if (value.byteLength === 0 || value.byteLength % size !== 0) {
      problems.push(this.packetError('malformed', `${value.byteLength} bytes are not whole ${size}-byte records of '${this.layout.text}'`));
      return null;
    }
    const n = value.byteLength / size;
    const { index, factor, groups } = this.c;
    const le = this.layout.littleEndian;
    const read = (rec: number, role: string): number => readStructValue(value, rec * size, this.layout.values[index[role]!]!, le) * factor[role]!;
    const b: BlockBuilder = createBlock(this.info, n, { inertial: groups.acc, mag: groups.mag, quat: groups.quat });
    for (let k = 0; k < n; k++) {
      if (groups.acc) {
        for (let c = 0; c < 3; c++) {
          b.accMS2![3 * k + c] = read(k, GROUPS.acc[c]!);
          b.gyrRadS![3 * k + c] = read(k, GROUPS.gyr[c]!);
        }
      }
      if (groups.mag) for (let c = 0; c < 3; c++) b.magUT![3 * k + c] = read(k, GROUPS.mag[c]!);
      if (groups.quat) for (let c = 0; c < 4; c++) b.quat![4 * k + c] = read(k, GROUPS.quat[c]!);
    }
    if (!this.c.hasTime) {
      const stamp = this.hostTimeline.stamp(hostTimeS, n);
      b.tS.set(stamp.tS);
      if (stamp.gapBeforeS > 0) {
        b.gapBeforeS = stamp.gapBeforeS;
        problems.push(this.streamProblem('dropped', 'records', { missingSamples: stamp.missingSamples, gapS: stamp.gapBeforeS }));
      }
      return b;
    }
    const sensorTimes = new Float64Array(n);
    const wrap = this.c.timeWrapS;
    for (let k = 0; k < n; k++) {
      const raw = read(k, 'time');
      // An unsigned counter that falls by more than half its range has wrapped.
      if (raw < this.lastRawTime - wrap / 2) this.timeWraps++;
      this.lastRawTime = raw;
      sensorTimes[k] = raw + this.timeWraps * (Number.isFinite(wrap) ? wrap : 0);
      if (k > 0 && !(sensorTimes[k]! > sensorTimes[k - 1]!)) {
        problems.push(this.packetError('malformed', `record ${k} time does not increase within the notification`));
        return null;
      }
    }
    if (!Number.isFinite(sensorTimes[0]!) || !Number.isFinite(sensorTimes[n - 1]!)) {
      problems.push(this.packetError('non-finite', 'time field is not finite'));
      return null;
    }
    const placed = this.sensorTimeline.placeEach(sensorTimes, hostTimeS);
    if (placed.kind === 'duplicate') {
      problems.push(this.streamProblem('duplicate', 'records'));
      return null;
    }
    if (placed.kind === 'out-of-order') problems.push(this.streamProblem('out-of-order', 'records'));
    if (placed.kind === 'dropped') {
      problems.push(this.streamProblem('dropped', 'records', { missingSamples: placed.missingSamples, gapS: placed.gapBeforeS }));
      b.gapBeforeS = placed.gapBeforeS;
    }
    b.tS.set(placed.tS!);
    return b;
  }
}
