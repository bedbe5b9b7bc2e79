/**
 * Nordic Thingy:52 motion service driver: writes the motion configuration (0401) with the
 * wanted rate and streams raw data (0406: acc, gyro, compass as int16) and optionally the
 * on-board quaternion (0404, as separate orientation-only blocks `<sensorId>.quat`). No
 * timestamps: samples are stamped on the host at the configured rate ({@link HostTimeline}).
 */
import { createBlock } from '../../samples/block';
import type { BlockBuilder, SampleBlock, SensorInfo } from '../../samples/block';
import { DEG_TO_RAD, STANDARD_GRAVITY_MS2 } from '../../samples/units';
import { BleDriverBase, sensorInfo } from './driver';
import type { BleSensorOptions } from './driver';
import { BleConfigError } from './errors';
import type { BleProblem } from './errors';
import type { GattLink } from './gattLink';
import { HostTimeline } from './hostTimeline';
import type { BleRequestOptions } from './transport';

const thingyUuid = (short: number) => `ef68${short.toString(16).padStart(4, '0')}-9b35-4933-9b10-52ffa9740042`;

export const THINGY_MOTION_SERVICE = thingyUuid(0x0400);
export const THINGY_CONFIG = thingyUuid(0x0401);
export const THINGY_QUATERNION = thingyUuid(0x0404);
export const THINGY_RAW = thingyUuid(0x0406);
/** Advertised by every Thingy:52 (configuration service); used as the scan filter. */
export const THINGY_CONFIGURATION_SERVICE = thingyUuid(0x0100);

export const THINGY_MIN_RATE_HZ = 5;
export const THINGY_MAX_RATE_HZ = 200;

/** Motion configuration (0401), 9 bytes. */
export interface ThingyMotionConfig {
  readonly stepIntervalMs: number;
  readonly tempCompIntervalMs: number;
  readonly magCompIntervalMs: number;
  /** Motion processing frequency, 5–200 Hz: the raw and quaternion rate. */
  readonly motionFrequencyHz: number;
  readonly wakeOnMotion: boolean;
}

export function parseThingyMotionConfig(value: DataView): ThingyMotionConfig | null {
  if (value.byteLength < 9) return null;
  return {
    stepIntervalMs: value.getUint16(0, true),
    tempCompIntervalMs: value.getUint16(2, true),
    magCompIntervalMs: value.getUint16(4, true),
    motionFrequencyHz: value.getUint16(6, true),
    wakeOnMotion: value.getUint8(8) !== 0,
  };
}

export function thingyMotionConfigBytes(c: ThingyMotionConfig): Uint8Array {
  const out = new Uint8Array(9);
  const v = new DataView(out.buffer);
  v.setUint16(0, c.stepIntervalMs, true);
  v.setUint16(2, c.tempCompIntervalMs, true);
  v.setUint16(4, c.magCompIntervalMs, true);
  v.setUint16(6, c.motionFrequencyHz, true);
  v.setUint8(8, c.wakeOnMotion ? 1 : 0);
  return out;
}

export interface Thingy52Options extends BleSensorOptions {
  /** Motion processing frequency, 5–200 Hz. Default 100. */
  rateHz?: number;
  /** Also stream the on-board quaternion (orientation-only blocks `<sensorId>.quat`). Default false. */
  quaternion?: boolean;
}

const ACC_SCALE = STANDARD_GRAVITY_MS2 / 64; // Q6 fixed point, g
const GYRO_SCALE = DEG_TO_RAD / 2048; // Q11, °/s
const COMPASS_SCALE = 1 / 4096; // Q12, µT

export class Thingy52Driver extends BleDriverBase {
  readonly driverName = 'thingy52';
  readonly info: SensorInfo;
  readonly quatInfo: SensorInfo;
  readonly requestOptions: BleRequestOptions = {
    filters: [{ services: [THINGY_CONFIGURATION_SERVICE] }, { namePrefix: 'Thingy' }],
    optionalServices: [THINGY_MOTION_SERVICE],
  };
  readonly rateHz: number;
  private readonly withQuaternion: boolean;
  private readonly rawTimeline: HostTimeline;
  private readonly quatTimeline: HostTimeline;

  constructor(options: Thingy52Options = {}) {
    super();
    this.rateHz = options.rateHz ?? 100;
    if (!Number.isInteger(this.rateHz) || this.rateHz < THINGY_MIN_RATE_HZ || this.rateHz > THINGY_MAX_RATE_HZ) {
      throw new BleConfigError(this.driverName, `rate must be an integer ${THINGY_MIN_RATE_HZ}–${THINGY_MAX_RATE_HZ} Hz, got ${this.rateHz}`);
    }
    this.withQuaternion = options.quaternion ?? false;
    this.rawTimeline = new HostTimeline({ rateHz: this.rateHz });
    this.quatTimeline = new HostTimeline({ rateHz: this.rateHz });
    this.info = sensorInfo(this.driverName, options, this.rateHz, 'Nordic Thingy:52');
    this.quatInfo = { ...this.info, sensorId: `${this.info.sensorId}.quat` };
  }

  async start(link: GattLink): Promise<void> {
    // Keep the device's other settings; change only the motion frequency.
    const current = parseThingyMotionConfig(await link.read(THINGY_MOTION_SERVICE, THINGY_CONFIG));
    if (!current) throw new BleConfigError(this.driverName, 'motion configuration (0401) is shorter than 9 bytes');
    await link.write(THINGY_MOTION_SERVICE, THINGY_CONFIG, thingyMotionConfigBytes({ ...current, motionFrequencyHz: this.rateHz }));
    await link.subscribe(THINGY_MOTION_SERVICE, THINGY_RAW);
    if (this.withQuaternion) await link.subscribe(THINGY_MOTION_SERVICE, THINGY_QUATERNION);
  }

  async stop(link: GattLink): Promise<void> {
    await link.unsubscribeAll();
  }

  protected resetStream(): void {
    this.rawTimeline.reset();
    this.quatTimeline.reset();
  }

  protected decodePacket(value: DataView, hostTimeS: number, uuid: string, problems: BleProblem[]): SampleBlock | null {
    if (uuid === THINGY_QUATERNION) {
      if (value.byteLength !== 16) {
        problems.push(this.packetError('malformed', `quaternion needs 16 bytes (4 × int32), got ${value.byteLength}`));
        return null;
      }
      const q = [0, 1, 2, 3].map((i) => value.getInt32(4 * i, true) / 2 ** 30);
      const norm = Math.hypot(...q);
      if (!(norm > 0.5 && norm < 1.5)) {
        problems.push(this.packetError('malformed', `quaternion norm ${norm.toFixed(3)} is not ≈ 1`));
        return null;
      }
      const stamp = this.quatTimeline.stamp(hostTimeS, 1);
      const b: BlockBuilder = createBlock(this.quatInfo, 1, { inertial: false, quat: true });
      b.tS.set(stamp.tS);
      // Renormalise: fixed-point rounding leaves |q| slightly off 1.
      for (let i = 0; i < 4; i++) b.quat![i] = q[i]! / norm;
      if (stamp.gapBeforeS > 0) {
        b.gapBeforeS = stamp.gapBeforeS;
        problems.push(this.streamProblem('dropped', 'quaternion', { missingSamples: stamp.missingSamples, gapS: stamp.gapBeforeS }));
      }
      return b;
    }
    if (uuid !== THINGY_RAW) {
      problems.push(this.packetError('unsupported', `notification from characteristic ${uuid}`));
      return null;
    }
    if (value.byteLength !== 18) {
      problems.push(this.packetError('malformed', `raw motion data needs 18 bytes (9 × int16), got ${value.byteLength}`));
      return null;
    }
    const stamp = this.rawTimeline.stamp(hostTimeS, 1);
    const b: BlockBuilder = createBlock(this.info, 1, { mag: true });
    b.tS.set(stamp.tS);
    for (let c = 0; c < 3; c++) {
      b.accMS2![c] = value.getInt16(2 * c, true) * ACC_SCALE;
      b.gyrRadS![c] = value.getInt16(6 + 2 * c, true) * GYRO_SCALE;
      b.magUT![c] = value.getInt16(12 + 2 * c, true) * COMPASS_SCALE;
    }
    if (stamp.gapBeforeS > 0) {
      b.gapBeforeS = stamp.gapBeforeS;
      problems.push(this.streamProblem('dropped', 'raw', { missingSamples: stamp.missingSamples, gapS: stamp.gapBeforeS }));
    }
    return b;
  }
}
