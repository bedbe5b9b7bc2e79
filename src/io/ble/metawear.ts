/**
 * MbientLab MetaWear / MetaMotion driver: reads the accelerometer and gyroscope module info
 * (the IMU chip changes the configuration bytes), configures both at one rate, and streams
 * acc + gyro. The two modules notify separately and without timestamps; samples are paired
 * in arrival order and stamped on the host at the configured rate ({@link HostTimeline}).
 */
import type { SampleBlock, SensorInfo } from '../../samples/block';
import { DEG_TO_RAD, STANDARD_GRAVITY_MS2 } from '../../samples/units';
import { BleDriverBase, sensorInfo } from './driver';
import type { BleSensorOptions } from './driver';
import { BleConfigError } from './errors';
import type { BleProblem } from './errors';
import type { GattLink } from './gattLink';
import { HostTimeline } from './hostTimeline';
import { InertialPairer, pairsToBlock } from './pairer';
import type { BleRequestOptions } from './transport';

export const METAWEAR_SERVICE = '326a9000-85cb-9195-d9dd-464cfbbae75a';
export const METAWEAR_COMMAND = '326a9001-85cb-9195-d9dd-464cfbbae75a';
export const METAWEAR_NOTIFY = '326a9006-85cb-9195-d9dd-464cfbbae75a';

export const MW_MODULE = { ACC: 0x03, GYRO: 0x13 } as const;
/** Registers shared by the Bosch acc and gyro modules. */
export const MW_REG = { POWER: 0x01, INTERRUPT_ENABLE: 0x02, CONFIG: 0x03, ACC_DATA: 0x04, GYRO_DATA: 0x05, GYRO_PACKED: 0x07, ACC_PACKED: 0x1c, MODULE_INFO: 0x80 } as const;

/** Module-info implementation ids (MetaWear SDK constants). */
const ACC_CHIPS: Readonly<Record<number, string>> = { 0: 'MMA8452Q', 1: 'BMI160', 3: 'BMA255', 4: 'BMI270' };
const GYRO_CHIPS: Readonly<Record<number, string>> = { 0: 'BMI160', 1: 'BMI270' };
export type MetaWearImu = 'BMI160' | 'BMI270';

export const METAWEAR_ACC_RANGES_G = [2, 4, 8, 16] as const;
export const METAWEAR_GYRO_RANGES_DPS = [125, 250, 500, 1000, 2000] as const;
/** Output data rates the driver configures on both chips, Hz. */
export const METAWEAR_RATES_HZ = [25, 50, 100, 200, 400, 800] as const;

/** Bosch ODR codes (ACC_CONF/GYR_CONF bits 0–3): 25 Hz = 6 … 800 Hz = 11. */
const ODR_CODE: Readonly<Record<number, number>> = { 25: 6, 50: 7, 100: 8, 200: 9, 400: 10, 800: 11 };
/** BMI160 ACC_RANGE codes for ±2/4/8/16 g; the BMI270 uses 0–3. */
const BMI160_ACC_RANGE: Readonly<Record<number, number>> = { 2: 0x03, 4: 0x05, 8: 0x08, 16: 0x0c };
const BMI270_ACC_RANGE: Readonly<Record<number, number>> = { 2: 0, 4: 1, 8: 2, 16: 3 };
/** GYR_RANGE codes (both chips): 2000 °/s = 0 … 125 °/s = 4. */
const GYRO_RANGE: Readonly<Record<number, number>> = { 2000: 0, 1000: 1, 500: 2, 250: 3, 125: 4 };
/** LSB per °/s (Bosch datasheet nominal). */
const GYRO_LSB_PER_DPS: Readonly<Record<number, number>> = { 125: 262.4, 250: 131.2, 500: 65.6, 1000: 32.8, 2000: 16.4 };

export interface MetaWearOptions extends BleSensorOptions {
  /** Default ±4 g. */
  accRangeG?: (typeof METAWEAR_ACC_RANGES_G)[number];
  /** Default ±2000 °/s. */
  gyroRangeDps?: (typeof METAWEAR_GYRO_RANGES_DPS)[number];
  /** Output rate of both, Hz. Default 100. */
  rateHz?: (typeof METAWEAR_RATES_HZ)[number];
}

/** Accelerometer config `[03, 03, conf, range]` for the chip (BMI160 100 Hz ±2 g = `03 03 28 03`). */
export function metawearAccConfig(imu: MetaWearImu, rateHz: number, rangeG: number): Uint8Array {
  const odr = ODR_CODE[rateHz];
  const range = (imu === 'BMI160' ? BMI160_ACC_RANGE : BMI270_ACC_RANGE)[rangeG];
  if (odr === undefined || range === undefined) throw new BleConfigError('metawear', `unsupported accelerometer setting ${rateHz} Hz ±${rangeG} g`);
  // bwp = normal (2 << 4); the BMI270 also sets filter_perf (bit 7), as the MetaWear SDK does.
  const conf = (imu === 'BMI270' ? 0x80 : 0) | 0x20 | odr;
  return Uint8Array.of(MW_MODULE.ACC, MW_REG.CONFIG, conf, range);
}

/** Gyroscope config `[13, 03, conf, range]`. */
export function metawearGyroConfig(imu: MetaWearImu, rateHz: number, rangeDps: number): Uint8Array {
  const odr = ODR_CODE[rateHz];
  const range = GYRO_RANGE[rangeDps];
  if (odr === undefined || range === undefined) throw new BleConfigError('metawear', `unsupported gyroscope setting ${rateHz} Hz ±${rangeDps} °/s`);
  const conf = (imu === 'BMI270' ? 0x80 : 0) | 0x20 | odr;
  return Uint8Array.of(MW_MODULE.GYRO, MW_REG.CONFIG, conf, range);
}

/** The start sequence after module discovery: configs, subscribe, enable, start (acc then gyro). */
export function metawearStartCommands(accImu: MetaWearImu, gyroImu: MetaWearImu, rateHz: number, accRangeG: number, gyroRangeDps: number): Uint8Array[] {
  return [
    metawearAccConfig(accImu, rateHz, accRangeG),
    metawearGyroConfig(gyroImu, rateHz, gyroRangeDps),
    Uint8Array.of(0x03, 0x04, 0x01),
    Uint8Array.of(0x13, 0x05, 0x01),
    Uint8Array.of(0x03, 0x02, 0x01, 0x00),
    Uint8Array.of(0x13, 0x02, 0x01, 0x00),
    Uint8Array.of(0x03, 0x01, 0x01),
    Uint8Array.of(0x13, 0x01, 0x01),
  ];
}

/** Stop: power off, disable interrupts, unsubscribe (the start sequence undone in reverse). */
export function metawearStopCommands(): Uint8Array[] {
  return [
    Uint8Array.of(0x03, 0x01, 0x00),
    Uint8Array.of(0x13, 0x01, 0x00),
    Uint8Array.of(0x03, 0x02, 0x00, 0x01),
    Uint8Array.of(0x13, 0x02, 0x00, 0x01),
    Uint8Array.of(0x03, 0x04, 0x00),
    Uint8Array.of(0x13, 0x05, 0x00),
  ];
}

export class MetaWearDriver extends BleDriverBase {
  readonly driverName = 'metawear';
  readonly info: SensorInfo;
  readonly requestOptions: BleRequestOptions = { filters: [{ services: [METAWEAR_SERVICE] }, { namePrefix: 'MetaWear' }], optionalServices: [METAWEAR_SERVICE] };
  readonly rateHz: number;
  readonly accRangeG: number;
  readonly gyroRangeDps: number;
  /** Chips found by module discovery (start); BMI160 assumed until then. */
  accImu: MetaWearImu = 'BMI160';
  gyroImu: MetaWearImu = 'BMI160';
  private readonly timeline: HostTimeline;
  private readonly pairer = new InertialPairer({ by: 'order' });
  private lastPairTS = NaN;

  constructor(options: MetaWearOptions = {}) {
    super();
    this.rateHz = options.rateHz ?? 100;
    this.accRangeG = options.accRangeG ?? 4;
    this.gyroRangeDps = options.gyroRangeDps ?? 2000;
    if (ODR_CODE[this.rateHz] === undefined) throw new BleConfigError(this.driverName, `rate ${this.rateHz} Hz is not one of ${METAWEAR_RATES_HZ.join(', ')}`);
    if (BMI160_ACC_RANGE[this.accRangeG] === undefined) throw new BleConfigError(this.driverName, `accelerometer range ±${this.accRangeG} g is not one of ${METAWEAR_ACC_RANGES_G.join(', ')}`);
    if (GYRO_RANGE[this.gyroRangeDps] === undefined) throw new BleConfigError(this.driverName, `gyroscope range ±${this.gyroRangeDps} °/s is not one of ${METAWEAR_GYRO_RANGES_DPS.join(', ')}`);
    this.timeline = new HostTimeline({ rateHz: this.rateHz });
    this.info = sensorInfo(this.driverName, options, this.rateHz, 'MetaWear');
  }

  async start(link: GattLink): Promise<void> {
    await link.subscribe(METAWEAR_SERVICE, METAWEAR_NOTIFY);
    const acc = await this.moduleInfo(link, MW_MODULE.ACC, ACC_CHIPS);
    const gyro = await this.moduleInfo(link, MW_MODULE.GYRO, GYRO_CHIPS);
    if (acc !== 'BMI160' && acc !== 'BMI270') throw new BleConfigError(this.driverName, `accelerometer ${acc} has no gyroscope partner on this board (BMI160 or BMI270 needed)`);
    if (gyro !== 'BMI160' && gyro !== 'BMI270') throw new BleConfigError(this.driverName, `unknown gyroscope ${gyro}`);
    this.accImu = acc;
    this.gyroImu = gyro;
    for (const cmd of metawearStartCommands(acc, gyro, this.rateHz, this.accRangeG, this.gyroRangeDps)) {
      await link.write(METAWEAR_SERVICE, METAWEAR_COMMAND, cmd);
    }
  }

  async stop(link: GattLink): Promise<void> {
    for (const cmd of metawearStopCommands()) await link.write(METAWEAR_SERVICE, METAWEAR_COMMAND, cmd).catch(() => undefined);
    await link.unsubscribeAll();
  }

  /** `[m, 0x80]` → `[m, 0x80, implementation, revision, …]`; a bare `[m, 0x80]` means the module is absent. */
  private async moduleInfo(link: GattLink, module: number, chips: Readonly<Record<number, string>>): Promise<string> {
    const answer = await link.request(this.driverName, METAWEAR_SERVICE, METAWEAR_COMMAND, Uint8Array.of(module, MW_REG.MODULE_INFO), METAWEAR_NOTIFY, (v) => v.byteLength >= 2 && v.getUint8(0) === module && v.getUint8(1) === MW_REG.MODULE_INFO);
    const name = module === MW_MODULE.ACC ? 'accelerometer' : 'gyroscope';
    if (answer.byteLength < 3) throw new BleConfigError(this.driverName, `board has no ${name} module`);
    const impl = answer.getUint8(2);
    return chips[impl] ?? `implementation ${impl}`;
  }

  protected resetStream(): void {
    this.timeline.reset();
    this.pairer.reset();
    this.lastPairTS = NaN;
  }

  protected decodePacket(value: DataView, hostTimeS: number, _uuid: string, problems: BleProblem[]): SampleBlock | null {
    if (value.byteLength < 2) {
      problems.push(this.packetError('malformed', 'shorter than the [module, register] header'));
      return null;
    }
    const module = value.getUint8(0);
    const reg = value.getUint8(1);
    if (reg === MW_REG.MODULE_INFO) return null; // consumed by start
    const isAcc = module === MW_MODULE.ACC && (reg === MW_REG.ACC_DATA || reg === MW_REG.ACC_PACKED);
    const isGyro = module === MW_MODULE.GYRO && (reg === MW_REG.GYRO_DATA || reg === MW_REG.GYRO_PACKED);
    if (!isAcc && !isGyro) {
      problems.push(this.packetError('unsupported', `module 0x${module.toString(16)} register 0x${reg.toString(16)}`));
      return null;
    }
    const packed = reg === MW_REG.ACC_PACKED || reg === MW_REG.GYRO_PACKED;
    const n = packed ? 3 : 1;
    if (value.byteLength !== 2 + 6 * n) {
      problems.push(this.packetError('malformed', `${isAcc ? 'acc' : 'gyro'} ${packed ? 'packed ' : ''}data needs ${2 + 6 * n} bytes, got ${value.byteLength}`));
      return null;
    }
    const scale = isAcc ? (this.accRangeG / 32768) * STANDARD_GRAVITY_MS2 : DEG_TO_RAD / GYRO_LSB_PER_DPS[this.gyroRangeDps]!;
    const xyz = new Float64Array(3 * n);
    for (let i = 0; i < 3 * n; i++) xyz[i] = value.getInt16(2 + 2 * i, true) * scale;
    const order = new Float64Array(n); // times are assigned after pairing
    if (isAcc) this.pairer.pushAcc(order, xyz);
    else this.pairer.pushGyr(order, xyz);
    const unpaired = this.pairer.takeUnpaired();
    if (unpaired > 0) problems.push(this.streamProblem('unpaired', 'acc+gyro', { samples: unpaired }));
    const pairs = this.pairer.take();
    if (!pairs) return null;
    const stamp = this.timeline.stamp(hostTimeS, pairs.tS.length);
    const b = pairsToBlock(this.info, { ...pairs, tS: stamp.tS }, this.lastPairTS, 1 / this.timeline.rateHz);
    this.lastPairTS = stamp.tS[stamp.tS.length - 1]!;
    if (stamp.gapBeforeS > 0) problems.push(this.streamProblem('dropped', 'acc+gyro', { missingSamples: stamp.missingSamples, gapS: stamp.gapBeforeS }));
    return b;
  }
}
