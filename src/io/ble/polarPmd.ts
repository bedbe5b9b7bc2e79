/**
 * Polar PMD driver (Verity Sense, OH1, H10). With a gyroscope it starts ACC + GYRO (and
 * optionally MAG) streams: ACC and GYRO arrive in separate frames with their own sensor
 * timestamps and are paired by time (a block holds both). A device without GYRO in its
 * feature bitmap (the H10 chest strap) streams accelerometer-only blocks instead (`gyrRadS`
 * absent): recordable and usable for gravity-based measures, refused by fusion with a typed
 * error. MAG, at its own rate, becomes separate magnetometer-only blocks with sensor id
 * `<sensorId>.mag`.
 */
import { createBlock } from '../../samples/block';
import type { BlockBuilder, SampleBlock, SensorInfo } from '../../samples/block';
import { BleDriverBase, sensorInfo } from './driver';
import type { BleSensorOptions } from './driver';
import { BleCommandError, BleConfigError } from './errors';
import type { BleProblem } from './errors';
import type { GattLink } from './gattLink';
import { bytesToHex } from './hex';
import { InertialPairer, pairsToBlock } from './pairer';
import {
  PMD_CONTROL,
  PMD_DATA,
  PMD_MEASUREMENT,
  PMD_OP,
  PMD_RESPONSE_CODE,
  PMD_SERVICE,
  PMD_STATUS_ALREADY_IN_STATE,
  decodePmdSamples,
  parsePmdFeatures,
  parsePmdFrameHeader,
  parsePmdResponse,
  parsePmdSettings,
  parsePmdStartFactor,
  pmdSettingsQuery,
  pmdStartCommand,
  pmdStopCommand,
} from './polarPmdProtocol';
import type { PmdFeatures, PmdResponse, PmdSettings, PmdStreamSettings } from './polarPmdProtocol';
import { SensorClock, SensorTimeline } from './sensorTimeline';
import type { BleRequestOptions } from './transport';

export interface PolarPmdOptions extends BleSensorOptions {
  /**
   * Accelerometer: default 52 Hz, 16 bit, ±8 g with a gyroscope ({@link POLAR_ACC_DEFAULT});
   * 200 Hz, 16 bit, ±8 g accelerometer-only ({@link POLAR_H10_ACC_DEFAULT}, the H10's own default).
   */
  acc?: PmdStreamSettings;
  /**
   * Gyroscope (range in deg/s), at the accelerometer's rate: default 16 bit, ±2000 deg/s.
   * Unset: decided at `start` by the device's feature bitmap — GYRO offered gives acc + gyro
   * blocks, none (Polar H10) gives accelerometer-only blocks. Given: required (a device
   * without GYRO is refused). `false`: accelerometer-only, e.g. to decode replayed H10 frames.
   */
  gyro?: PmdStreamSettings | false;
  /** Magnetometer (range in gauss), e.g. `{ sampleRateHz: 50, resolutionBits: 16, range: 50 }`. Default off. */
  mag?: PmdStreamSettings | false;
  /** Ask the device which settings it accepts before starting, and refuse unsupported ones. Default true. */
  checkSettings?: boolean;
  /**
   * Scale of compressed samples until the device sends one (its start or settings answer
   * overrides it). Needed only to decode frames without that answer, e.g. replayed data
   * frames. Default 1, as in Polar's SDK.
   */
  factors?: { acc?: number; gyro?: number; mag?: number };
}

export const POLAR_ACC_DEFAULT: PmdStreamSettings = { sampleRateHz: 52, resolutionBits: 16, range: 8 };
export const POLAR_GYRO_DEFAULT: PmdStreamSettings = { sampleRateHz: 52, resolutionBits: 16, range: 2000 };
/** Polar H10 ACC as in sensors.md's start-command example (the device also offers 25/50/100 Hz and ±2/4 g). */
export const POLAR_H10_ACC_DEFAULT: PmdStreamSettings = { sampleRateHz: 200, resolutionBits: 16, range: 8 };

/** `acc+gyro`: paired inertial blocks; `acc`: accelerometer-only blocks (no gyroscope on the device, or `gyro: false`). */
export type PolarPmdMode = 'acc+gyro' | 'acc';

interface Stream {
  readonly name: 'acc' | 'gyro' | 'mag';
  readonly type: number;
  readonly settings: PmdStreamSettings;
  readonly timeline: SensorTimeline;
  factor: number;
}

function responseFor(op: number, type: number) {
  return (v: DataView) => v.byteLength >= 4 && v.getUint8(0) === PMD_RESPONSE_CODE && v.getUint8(1) === op && v.getUint8(2) === type;
}

export class PolarPmdDriver extends BleDriverBase {
  readonly driverName = 'polar-pmd';
  readonly requestOptions: BleRequestOptions = { filters: [{ namePrefix: 'Polar' }], optionalServices: [PMD_SERVICE] };

  private readonly options: PolarPmdOptions;
  private readonly clock = new SensorClock();
  private streams: Stream[] = [];
  private pairer: InertialPairer = new InertialPairer({ by: 'time', periodS: 1 });
  private periodS = 1;
  private currentMode: PolarPmdMode = 'acc+gyro';
  private currentInfo!: SensorInfo;
  private currentMagInfo: SensorInfo | null = null;
  /** First frame timestamp, ns: sensor seconds are counted from it (keeps float precision). */
  private originNs: bigint | null = null;
  private lastPairTS = NaN;
  private readonly checkSettings: boolean;
  private started: Stream[] = [];

  constructor(options: PolarPmdOptions = {}) {
    super();
    for (const [name, s] of [['acc', options.acc], ['gyro', options.gyro || undefined], ['mag', options.mag || undefined]] as const) {
      if (s && !(s.sampleRateHz > 0 && s.resolutionBits >= 1 && s.resolutionBits <= 32)) {
        throw new BleConfigError('polar-pmd', `${name}: sampleRateHz must be > 0 and resolutionBits 1–32`);
      }
    }
    if (options.acc && options.gyro && options.acc.sampleRateHz !== options.gyro.sampleRateHz) {
      throw new BleConfigError('polar-pmd', `ACC (${options.acc.sampleRateHz} Hz) and GYRO (${options.gyro.sampleRateHz} Hz) must run at one rate: a block holds both`);
    }
    this.options = options;
    this.checkSettings = options.checkSettings ?? true;
    // Until `start` reads the device's features, an unset gyro means acc + gyro (Verity Sense).
    this.configure(options.gyro === false ? 'acc' : 'acc+gyro');
  }

  /**
   * Sensor id, nominal rate and model, copied into every block. With `gyro` unset the rate is
   * provisional (52 Hz, acc + gyro) until `start` has read the device's features.
   */
  get info(): SensorInfo {
    return this.currentInfo;
  }

  /** Info of the magnetometer-only blocks, or null without MAG. */
  get magInfo(): SensorInfo | null {
    return this.currentMagInfo;
  }

  /** What the blocks hold: decided by `gyro` or, when unset, by the device's feature bitmap at `start`. */
  get mode(): PolarPmdMode {
    return this.currentMode;
  }

  /** The settings of each stream this driver starts, in start order. */
  streamSettings(): Readonly<Record<string, PmdStreamSettings>> {
    return Object.fromEntries(this.streams.map((s) => [s.name, s.settings]));
  }

  /** Build the streams of a mode; the defaults depend on it (200 Hz ACC alone, 52 Hz with GYRO). */
  private configure(mode: PolarPmdMode): void {
    const o = this.options;
    const gyroOpt = o.gyro || undefined;
    const acc = o.acc ?? (mode === 'acc' ? POLAR_H10_ACC_DEFAULT : { ...POLAR_ACC_DEFAULT, sampleRateHz: gyroOpt?.sampleRateHz ?? POLAR_ACC_DEFAULT.sampleRateHz });
    const stream = (name: Stream['name'], type: number, settings: PmdStreamSettings): Stream => ({
      name,
      type,
      settings,
      timeline: new SensorTimeline(settings.sampleRateHz, this.clock, 1e-6),
      factor: o.factors?.[name] ?? 1,
    });
    this.streams = [stream('acc', PMD_MEASUREMENT.ACC, acc)];
    if (mode === 'acc+gyro') this.streams.push(stream('gyro', PMD_MEASUREMENT.GYRO, gyroOpt ?? { ...POLAR_GYRO_DEFAULT, sampleRateHz: acc.sampleRateHz }));
    if (o.mag) this.streams.push(stream('mag', PMD_MEASUREMENT.MAG, o.mag));
    this.currentMode = mode;
    this.periodS = 1 / acc.sampleRateHz;
    this.pairer = new InertialPairer({ by: 'time', periodS: this.periodS });
    this.currentInfo = sensorInfo(this.driverName, o, acc.sampleRateHz, 'Polar PMD');
    this.currentMagInfo = o.mag ? { ...this.currentInfo, sensorId: `${this.currentInfo.sensorId}.mag`, rateHz: o.mag.sampleRateHz } : null;
    this.clock.reset();
    this.originNs = null;
    this.lastPairTS = NaN;
  }

  /** The mode for a device with these features; throws BleConfigError when the device lacks what was asked for. */
  private modeFor(features: PmdFeatures): PolarPmdMode {
    if (!features.acc) throw new BleConfigError(this.driverName, 'device does not offer ACC (feature bitmap without 0x04)');
    if (this.options.gyro === false) return 'acc';
    if (this.options.gyro === undefined) return features.gyro ? 'acc+gyro' : 'acc';
    if (!features.gyro) {
      throw new BleConfigError(
        this.driverName,
        'device does not offer GYRO (a Polar H10 has only ACC): leave `gyro` unset or pass `gyro: false` to stream accelerometer-only blocks',
      );
    }
    return 'acc+gyro';
  }

  /** The factor in use per stream (from the device's answers; 1 until one arrives). */
  factors(): Readonly<Record<string, number>> {
    return Object.fromEntries(this.streams.map((s) => [s.name, s.factor]));
  }

  async start(link: GattLink): Promise<void> {
    // Both CCCDs before any command (the control point answers by indication).
    await link.subscribe(PMD_SERVICE, PMD_CONTROL);
    await link.subscribe(PMD_SERVICE, PMD_DATA);
    const features = parsePmdFeatures(await link.read(PMD_SERVICE, PMD_CONTROL));
    if (!features) throw new BleConfigError(this.driverName, 'control point returned no feature bitmap');
    const mode = this.modeFor(features);
    if (mode !== this.currentMode) this.configure(mode);
    for (const s of this.streams) {
      if (!features[s.name]) throw new BleConfigError(this.driverName, `device does not offer ${s.name.toUpperCase()}`);
    }
    this.started = [];
    for (const s of this.streams) {
      if (this.checkSettings) await this.checkOffered(link, s);
      const cmd = pmdStartCommand(s.type, s.settings);
      let answer = await this.command(link, cmd, PMD_OP.START, s.type);
      if (answer.status === PMD_STATUS_ALREADY_IN_STATE) {
        // Left running by an earlier session: restart so that our settings apply.
        await this.command(link, pmdStopCommand(s.type), PMD_OP.STOP, s.type);
        answer = await this.command(link, cmd, PMD_OP.START, s.type);
      }
      if (answer.status !== 0) throw new BleCommandError(this.driverName, bytesToHex(cmd), `device answered '${answer.statusText}'`);
      s.factor = parsePmdStartFactor(answer.params) ?? s.factor;
      this.started.push(s);
    }
  }

  async stop(link: GattLink): Promise<void> {
    // The answers are not needed (and a device going away would make each wait time out).
    for (const s of this.started) await link.write(PMD_SERVICE, PMD_CONTROL, pmdStopCommand(s.type)).catch(() => undefined);
    this.started = [];
    await link.unsubscribeAll();
  }

  private async command(link: GattLink, cmd: Uint8Array, op: number, type: number): Promise<PmdResponse> {
    const value = await link.request(this.driverName, PMD_SERVICE, PMD_CONTROL, cmd, PMD_CONTROL, responseFor(op, type));
    return parsePmdResponse(value)!;
  }

  private async checkOffered(link: GattLink, s: Stream): Promise<void> {
    const cmd = pmdSettingsQuery(s.type);
    const answer = await this.command(link, cmd, PMD_OP.GET_SETTINGS, s.type);
    if (answer.status !== 0) throw new BleCommandError(this.driverName, bytesToHex(cmd), `device answered '${answer.statusText}'`);
    let offered: PmdSettings;
    try {
      offered = parsePmdSettings(answer.params);
    } catch (err) {
      throw new BleCommandError(this.driverName, bytesToHex(cmd), `unreadable settings answer: ${(err as Error).message}`);
    }
    if (offered.factor !== undefined && Number.isFinite(offered.factor) && offered.factor > 0) s.factor = offered.factor;
    const check = (what: string, value: number | undefined, allowed: readonly number[]) => {
      if (value !== undefined && allowed.length > 0 && !allowed.includes(value)) {
        throw new BleConfigError(this.driverName, `${s.name} ${what} ${value} is not offered by the device (valid: ${allowed.join(', ')})`);
      }
    };
    check('sample rate (Hz)', s.settings.sampleRateHz, offered.sampleRateHz);
    check('resolution (bits)', s.settings.resolutionBits, offered.resolutionBits);
    check('range', s.settings.range, offered.range);
    check('range (milli-units)', s.settings.rangeMilli, offered.rangeMilli);
    check('channels', s.settings.channels, offered.channels);
  }

  protected resetStream(): void {
    this.clock.reset();
    for (const s of this.streams) s.timeline.reset();
    this.pairer.reset();
    this.originNs = null;
    this.lastPairTS = NaN;
  }

  protected decodePacket(value: DataView, hostTimeS: number, uuid: string, problems: BleProblem[]): SampleBlock | null {
    if (uuid === PMD_CONTROL) return null; // answers are consumed by start/stop
    const header = parsePmdFrameHeader(value);
    if (!header) {
      problems.push(this.packetError('malformed', `${value.byteLength} bytes: a PMD frame has a 10-byte header`));
      return null;
    }
    const s = this.streams.find((x) => x.type === header.measurementType);
    if (!s) {
      problems.push(this.packetError('unsupported', `measurement type ${header.measurementType} was not started by this driver`));
      return null;
    }
    const decoded = decodePmdSamples(value, header, { resolutionBits: s.settings.resolutionBits, factor: s.factor });
    if (!decoded.ok) {
      problems.push(this.packetError(decoded.kind, decoded.reason));
      return null;
    }
    this.originNs ??= header.timestampNs;
    const sensorS = Number(header.timestampNs - this.originNs) / 1e9;
    const placed = s.timeline.placeLast(sensorS, decoded.n, hostTimeS);
    if (placed.kind === 'duplicate') {
      problems.push(this.streamProblem('duplicate', s.name));
      return null;
    }
    if (placed.kind === 'dropped') {
      problems.push(this.streamProblem('dropped', s.name, { missingSamples: placed.missingSamples, gapS: placed.gapBeforeS }));
    }
    if (s.name === 'mag' || this.currentMode === 'acc') {
      // One stream per block: nothing to pair, so a late frame is reported and kept.
      if (placed.kind === 'out-of-order') problems.push(this.streamProblem('out-of-order', s.name));
      const b: BlockBuilder =
        s.name === 'mag' ? createBlock(this.currentMagInfo!, decoded.n, { inertial: false, mag: true }) : createBlock(this.currentInfo, decoded.n, { gyr: false });
      b.tS.set(placed.tS!);
      (s.name === 'mag' ? b.magUT! : b.accMS2!).set(decoded.xyz);
      if (placed.gapBeforeS > 0) b.gapBeforeS = placed.gapBeforeS;
      return b;
    }
    if (placed.kind === 'out-of-order') {
      // Its partner samples were paired or given up already: count, do not mis-pair.
      problems.push(this.streamProblem('out-of-order', s.name));
      problems.push(this.streamProblem('unpaired', s.name, { samples: decoded.n }));
      return null;
    }
    if (s.name === 'acc') this.pairer.pushAcc(placed.tS!, decoded.xyz);
    else this.pairer.pushGyr(placed.tS!, decoded.xyz);
    return this.pairedBlock(problems);
  }

  private pairedBlock(problems: BleProblem[]): SampleBlock | null {
    const pairs = this.pairer.take(1.5 * this.periodS);
    const unpaired = this.pairer.takeUnpaired();
    if (unpaired > 0) problems.push(this.streamProblem('unpaired', 'acc+gyro', { samples: unpaired }));
    if (!pairs) return null;
    const b = pairsToBlock(this.currentInfo, pairs, this.lastPairTS, this.periodS);
    this.lastPairTS = pairs.tS[pairs.tS.length - 1]!;
    return b;
  }
}
