/**
 * Movesense GATT SensorData Protocol (GSP) driver: subscribes to `/Meas/IMU9/{rate}` (or
 * IMU6, Acc + Gyro, Magn) and decodes the float32 SI vectors. Accepts both service UUID
 * sets (the GSP sample app's and the 0xFDF3 one reported on stock firmware).
 */
import { createBlock } from '../../samples/block';
import type { BlockBuilder, SampleBlock, SensorInfo } from '../../samples/block';
import { DEG_TO_RAD } from '../../samples/units';
import { BleDriverBase, sensorInfo } from './driver';
import type { BleSensorOptions } from './driver';
import { BleConfigError, BleGattError } from './errors';
import type { BleProblem } from './errors';
import type { GattLink } from './gattLink';
import { InertialPairer, pairsToBlock } from './pairer';
import { SensorClock, SensorTimeline } from './sensorTimeline';
import type { BleRequestOptions } from './transport';
import { canonicalUuid } from './uuid';

/** The GSP service UUID sets: [service, write, notify]. */
export const MOVESENSE_GSP = {
  service: '34802252-7185-4d5d-b431-630e7050e8f0',
  write: '34800001-7185-4d5d-b431-630e7050e8f0',
  notify: '34800002-7185-4d5d-b431-630e7050e8f0',
} as const;
export const MOVESENSE_GSP_FDF3 = {
  service: canonicalUuid(0xfdf3),
  write: '6b200001-ff4e-4979-8186-fb7ba486fcd7',
  notify: '6b200002-ff4e-4979-8186-fb7ba486fcd7',
} as const;

export const MOVESENSE_CMD = { HELLO: 0, SUBSCRIBE: 1, UNSUBSCRIBE: 2 } as const;
export const MOVESENSE_RESP = { COMMAND_RESULT: 1, DATA: 2 } as const;
export const MOVESENSE_RATES_HZ = [13, 26, 52, 104, 208, 416, 833, 1666] as const;
/** The magnetometer's highest rate, Hz. */
export const MOVESENSE_MAGN_MAX_HZ = 104;

export type MovesenseResource = 'IMU6' | 'IMU9' | 'Acc' | 'Gyro' | 'Magn';

/** Float32 xyz vectors per sample of each resource. */
const VECTORS: Readonly<Record<MovesenseResource, number>> = { IMU6: 2, IMU9: 3, Acc: 1, Gyro: 1, Magn: 1 };

/** Reference of the first subscription (as in the GSP example, `01 63 "/Meas/IMU9/104"`); the rest follow. */
export const MOVESENSE_FIRST_REF = 0x63;
const HELLO_REF = 1;

export interface MovesenseOptions extends BleSensorOptions {
  /** Resources to subscribe to. Default `['IMU9']`. `Acc` and `Gyro` go together (a block holds both). */
  resources?: readonly MovesenseResource[];
  /** One of {@link MOVESENSE_RATES_HZ}. Default 104 Hz. */
  rateHz?: number;
}

/** `[1, ref, "/Meas/IMU9/104"]`. */
export function movesenseSubscribe(ref: number, path: string): Uint8Array {
  return Uint8Array.from([MOVESENSE_CMD.SUBSCRIBE, ref, ...new TextEncoder().encode(path)]);
}
export function movesenseUnsubscribe(ref: number): Uint8Array {
  return Uint8Array.of(MOVESENSE_CMD.UNSUBSCRIBE, ref);
}
export function movesenseHello(ref = HELLO_REF): Uint8Array {
  return Uint8Array.of(MOVESENSE_CMD.HELLO, ref);
}

interface Subscription {
  readonly ref: number;
  readonly resource: MovesenseResource;
  readonly path: string;
  readonly timeline: SensorTimeline;
  lastRawMs: number;
  wraps: number;
}

export class MovesenseDriver extends BleDriverBase {
  readonly driverName = 'movesense-gsp';
  readonly info: SensorInfo;
  readonly magInfo: SensorInfo;
  readonly requestOptions: BleRequestOptions = {
    filters: [{ services: [MOVESENSE_GSP.service] }, { services: [MOVESENSE_GSP_FDF3.service] }, { namePrefix: 'Movesense' }],
    optionalServices: [MOVESENSE_GSP.service, MOVESENSE_GSP_FDF3.service],
  };
  readonly rateHz: number;
  private readonly subs: Subscription[];
  private readonly clock = new SensorClock();
  private readonly pairer: InertialPairer;
  private uuids: { service: string; write: string; notify: string } = MOVESENSE_GSP;
  private lastPairTS = NaN;
  private originMs: number | null = null;

  constructor(options: MovesenseOptions = {}) {
    super();
    const resources = [...new Set<MovesenseResource>(options.resources ?? ['IMU9'])];
    const rateHz = options.rateHz ?? 104;
    if (!(MOVESENSE_RATES_HZ as readonly number[]).includes(rateHz)) {
      throw new BleConfigError('movesense-gsp', `rate ${rateHz} Hz is not one of ${MOVESENSE_RATES_HZ.join(', ')}`);
    }
    if (resources.length === 0) throw new BleConfigError('movesense-gsp', 'no resources to subscribe to');
    if (resources.includes('Acc') !== resources.includes('Gyro')) {
      throw new BleConfigError('movesense-gsp', 'subscribe to Acc and Gyro together (a block holds both), or use IMU6/IMU9');
    }
    if ((resources.includes('IMU9') || resources.includes('Magn')) && rateHz > MOVESENSE_MAGN_MAX_HZ) {
      throw new BleConfigError('movesense-gsp', `the magnetometer runs at most ${MOVESENSE_MAGN_MAX_HZ} Hz (asked ${rateHz} Hz for IMU9/Magn)`);
    }
    this.rateHz = rateHz;
    this.subs = resources.map((resource, i) => ({
      ref: MOVESENSE_FIRST_REF + i,
      resource,
      path: `/Meas/${resource}/${rateHz}`,
      timeline: new SensorTimeline(rateHz, this.clock),
      lastRawMs: NaN,
      wraps: 0,
    }));
    this.pairer = new InertialPairer({ by: 'time', periodS: 1 / rateHz });
    this.info = sensorInfo(this.driverName, options, rateHz, 'Movesense');
    this.magInfo = { ...this.info, sensorId: `${this.info.sensorId}.mag` };
  }

  /** The subscription commands start sends after HELLO, in order. */
  subscribeCommands(): Uint8Array[] {
    return this.subs.map((s) => movesenseSubscribe(s.ref, s.path));
  }

  async start(link: GattLink): Promise<void> {
    if (await link.hasService(MOVESENSE_GSP.service)) this.uuids = MOVESENSE_GSP;
    else if (await link.hasService(MOVESENSE_GSP_FDF3.service)) this.uuids = MOVESENSE_GSP_FDF3;
    else throw new BleGattError(MOVESENSE_GSP.service, `no GSP service (neither ${MOVESENSE_GSP.service} nor ${MOVESENSE_GSP_FDF3.service})`);
    const { service, write, notify } = this.uuids;
    await link.subscribe(service, notify);
    // Answers (command results) come asynchronously on the notify characteristic and are
    // reported by decode; waiting for them here would stall on firmware that sends none.
    await link.write(service, write, movesenseHello());
    for (const cmd of this.subscribeCommands()) await link.write(service, write, cmd);
  }

  async stop(link: GattLink): Promise<void> {
    const { service, write } = this.uuids;
    for (const s of this.subs) await link.write(service, write, movesenseUnsubscribe(s.ref)).catch(() => undefined);
    await link.unsubscribeAll();
  }

  protected resetStream(): void {
    this.clock.reset();
    for (const s of this.subs) {
      s.timeline.reset();
      s.lastRawMs = NaN;
      s.wraps = 0;
    }
    this.pairer.reset();
    this.lastPairTS = NaN;
    this.originMs = null;
  }

  protected decodePacket(value: DataView, hostTimeS: number, _uuid: string, problems: BleProblem[]): SampleBlock | null {
    if (value.byteLength < 2) {
      problems.push(this.packetError('malformed', 'shorter than the 2-byte [response, reference] header'));
      return null;
    }
    const resp = value.getUint8(0);
    const ref = value.getUint8(1);
    if (resp === MOVESENSE_RESP.COMMAND_RESULT) {
      if (value.byteLength < 4) {
        problems.push(this.packetError('malformed', 'command result without its u16 status'));
        return null;
      }
      const status = value.getUint16(2, true);
      if (status >= 300) {
        const sub = this.subs.find((s) => s.ref === ref);
        problems.push(this.packetError('command-failed', `${sub ? sub.path : ref === HELLO_REF ? 'HELLO' : `reference ${ref}`}: status ${status}`));
      }
      return null;
    }
    if (resp !== MOVESENSE_RESP.DATA) {
      problems.push(this.packetError('unsupported', `response code ${resp}`));
      return null;
    }
    const sub = this.subs.find((s) => s.ref === ref);
    if (!sub) {
      problems.push(this.packetError('unsupported', `data for reference ${ref}, which this driver did not subscribe`));
      return null;
    }
    const vectors = VECTORS[sub.resource];
    const payload = value.byteLength - 2;
    const sampleBytes = 12 * vectors;
    if (payload < 4 + sampleBytes || (payload - 4) % sampleBytes !== 0) {
      problems.push(this.packetError('malformed', `${sub.resource}: ${payload} bytes after the header are not a u32 time + whole samples of ${sampleBytes} bytes`));
      return null;
    }
    const n = (payload - 4) / sampleBytes;
    const rawMs = value.getUint32(2, true);
    // The ms counter wraps after 49.7 days; unwrap so time keeps increasing.
    if (rawMs < sub.lastRawMs - 2 ** 31) sub.wraps++;
    sub.lastRawMs = rawMs;
    const unwrappedMs = rawMs + sub.wraps * 2 ** 32;
    // Counted from the device's first timestamp, so that session times keep sub-µs precision.
    this.originMs ??= unwrappedMs;
    const placed = sub.timeline.placeFirst((unwrappedMs - this.originMs) / 1000, n, hostTimeS);
    if (placed.kind === 'duplicate') {
      problems.push(this.streamProblem('duplicate', sub.resource));
      return null;
    }
    if (placed.kind === 'dropped') problems.push(this.streamProblem('dropped', sub.resource, { missingSamples: placed.missingSamples, gapS: placed.gapBeforeS }));
    if (placed.kind === 'out-of-order') problems.push(this.streamProblem('out-of-order', sub.resource));
    const vec = (v: number, scale: number): Float64Array => {
      const out = new Float64Array(3 * n);
      const base = 2 + 4 + v * 12 * n;
      for (let i = 0; i < 3 * n; i++) out[i] = value.getFloat32(base + 4 * i, true) * scale;
      return out;
    };
    const tS = placed.tS!;
    if (sub.resource === 'Acc' || sub.resource === 'Gyro') {
      if (placed.kind === 'out-of-order') {
        problems.push(this.streamProblem('unpaired', sub.resource, { samples: n }));
        return null;
      }
      if (sub.resource === 'Acc') this.pairer.pushAcc(tS, vec(0, 1));
      else this.pairer.pushGyr(tS, vec(0, DEG_TO_RAD));
      return this.pairedBlock(problems);
    }
    const gapBeforeS = placed.gapBeforeS;
    let b: BlockBuilder;
    if (sub.resource === 'Magn') {
      b = createBlock(this.magInfo, n, { inertial: false, mag: true });
      b.magUT!.set(vec(0, 1));
    } else {
      b = createBlock(this.info, n, { mag: sub.resource === 'IMU9' });
      b.accMS2!.set(vec(0, 1));
      b.gyrRadS!.set(vec(1, DEG_TO_RAD));
      if (sub.resource === 'IMU9') b.magUT!.set(vec(2, 1));
    }
    b.tS.set(tS);
    if (gapBeforeS > 0) b.gapBeforeS = gapBeforeS;
    return b;
  }

  private pairedBlock(problems: BleProblem[]): SampleBlock | null {
    const periodS = 1 / this.rateHz;
    const pairs = this.pairer.take(1.5 * periodS);
    const unpaired = this.pairer.takeUnpaired();
    if (unpaired > 0) problems.push(this.streamProblem('unpaired', 'Acc+Gyro', { samples: unpaired }));
    if (!pairs) return null;
    const b = pairsToBlock(this.info, pairs, this.lastPairTS, periodS);
    this.lastPairTS = pairs.tS[pairs.tS.length - 1]!;
    return b;
  }
}
