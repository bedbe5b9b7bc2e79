/**
 * WitMotion BWT901BLE / WT901BLE (BLE 5.0) driver. The device streams 20-byte `55 61`
 * packets (acc, gyro, angle as int16) from connection, with no timestamp; packets may
 * straddle notifications, so bytes are buffered and the stream re-synchronised on `55 61`.
 * Samples are stamped on the host at an estimated rate ({@link HostTimeline}).
 */
import { SAT_ACC, SAT_GYR, createBlock } from '../../samples/block';
import type { BlockBuilder, SampleBlock, SensorInfo } from '../../samples/block';
import { DEG_TO_RAD, STANDARD_GRAVITY_MS2 } from '../../samples/units';
import { BleDriverBase, sensorInfo } from './driver';
import type { BleSensorOptions } from './driver';
import type { BleProblem } from './errors';
import type { GattLink } from './gattLink';
import { HostTimeline } from './hostTimeline';
import type { BleRequestOptions } from './transport';

// The base ends in 9a34fb, not the SIG base (…9b34fb): always the full strings.
export const WITMOTION_SERVICE = '0000ffe5-0000-1000-8000-00805f9a34fb';
export const WITMOTION_NOTIFY = '0000ffe4-0000-1000-8000-00805f9a34fb';
export const WITMOTION_WRITE = '0000ffe9-0000-1000-8000-00805f9a34fb';

export const WITMOTION_PACKET_BYTES = 20;
const HEADER = 0x55;
const DATA = 0x61;
const REGISTER_REPLY = 0x71;

export const WITMOTION_ACC_RANGE_G = 16;
export const WITMOTION_GYRO_RANGE_DPS = 2000;

export interface WitMotionOptions extends BleSensorOptions {
  /** Output rate as configured on the device, Hz: the spacing until the measured rate settles. Default 10 Hz (factory setting). */
  rateHz?: number;
}

/** `FF AA 27 reg 00`: ask for registers from `reg` (answered by a `55 71` packet). */
export function witmotionReadRegister(reg: number): Uint8Array {
  if (!Number.isInteger(reg) || reg < 0 || reg > 0xff) throw new RangeError(`WitMotion register must be 0–255, got ${reg}`);
  return Uint8Array.of(0xff, 0xaa, 0x27, reg, 0x00);
}

export class WitMotionDriver extends BleDriverBase {
  readonly driverName = 'witmotion';
  readonly info: SensorInfo;
  readonly requestOptions: BleRequestOptions = { filters: [{ services: [WITMOTION_SERVICE] }, { namePrefix: 'WT' }], optionalServices: [WITMOTION_SERVICE] };
  /** Latest register replies: start register → its four int16 values (magnetometer 0x3A, quaternion 0x51, battery 0x64). */
  readonly registers = new Map<number, readonly number[]>();
  private readonly timeline: HostTimeline;
  /** Bytes of a packet cut by the notification boundary. */
  private pending = new Uint8Array(0);

  constructor(options: WitMotionOptions = {}) {
    super();
    const rateHz = options.rateHz ?? 10;
    this.timeline = new HostTimeline({ rateHz });
    this.info = sensorInfo(this.driverName, options, rateHz, 'WitMotion BWT901BLE');
  }

  /** Current rate estimate, Hz. */
  get estimatedRateHz(): number {
    return this.timeline.rateHz;
  }

  async start(link: GattLink): Promise<void> {
    await link.subscribe(WITMOTION_SERVICE, WITMOTION_NOTIFY);
  }

  async stop(link: GattLink): Promise<void> {
    await link.unsubscribeAll();
  }

  protected resetStream(): void {
    this.timeline.reset();
    this.pending = new Uint8Array(0);
    this.registers.clear();
  }

  protected decodePacket(value: DataView, hostTimeS: number, _uuid: string, problems: BleProblem[]): SampleBlock | null {
    const fresh = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    const buf = new Uint8Array(this.pending.length + fresh.length);
    buf.set(this.pending);
    buf.set(fresh, this.pending.length);
    const data = new DataView(buf.buffer);
    const packets: number[] = [];
    let skipped = 0;
    let i = 0;
    while (buf.length - i >= 2) {
      const kind = buf[i + 1];
      if (buf[i] === HEADER && (kind === DATA || kind === REGISTER_REPLY)) {
        if (buf.length - i < WITMOTION_PACKET_BYTES) break; // the rest comes in the next notification
        if (kind === DATA) packets.push(i);
        else {
          const regs: number[] = [];
          for (let k = 0; k < 4; k++) regs.push(data.getInt16(i + 4 + 2 * k, true));
          this.registers.set(data.getUint16(i + 2, true), regs);
        }
        i += WITMOTION_PACKET_BYTES;
      } else {
        i++;
        skipped++;
      }
    }
    // A lone 0x55 at the end may start the next packet; anything else left over is kept too (< 20 bytes).
    if (buf.length - i === 1 && buf[i] !== HEADER) {
      i++;
      skipped++;
    }
    this.pending = buf.slice(i);
    if (skipped > 0) problems.push(this.packetError('resync', `skipped ${skipped} byte(s) to find the next 55 61 packet`));
    const n = packets.length;
    if (n === 0) return null;
    const stamp = this.timeline.stamp(hostTimeS, n);
    const b: BlockBuilder = createBlock(this.info, n);
    const accScale = (WITMOTION_ACC_RANGE_G / 32768) * STANDARD_GRAVITY_MS2;
    const gyrScale = (WITMOTION_GYRO_RANGE_DPS / 32768) * DEG_TO_RAD;
    let saturated: Uint8Array | undefined;
    for (let k = 0; k < n; k++) {
      const at = packets[k]! + 2;
      for (let c = 0; c < 3; c++) {
        const a = data.getInt16(at + 2 * c, true);
        const g = data.getInt16(at + 6 + 2 * c, true);
        b.accMS2![3 * k + c] = a * accScale;
        b.gyrRadS![3 * k + c] = g * gyrScale;
        // Full scale: the true value may be larger.
        const sat = (a <= -32768 || a >= 32767 ? SAT_ACC : 0) | (g <= -32768 || g >= 32767 ? SAT_GYR : 0);
        if (sat) (saturated ??= new Uint8Array(n))[k]! |= sat;
      }
    }
    b.tS.set(stamp.tS);
    if (saturated) b.saturated = saturated;
    if (stamp.gapBeforeS > 0) {
      b.gapBeforeS = stamp.gapBeforeS;
      problems.push(this.streamProblem('dropped', 'imu', { missingSamples: stamp.missingSamples, gapS: stamp.gapBeforeS }));
    }
    return b;
  }
}
