/**
 * Polar PMD driver (Verity Sense; OH1; H10 has no gyroscope): starts ACC + GYRO (and
 * optionally MAG) streams and decodes their frames into blocks. ACC and GYRO arrive in
 * separate frames with their own sensor timestamps; they are paired by time (a block holds
 * both). MAG, at its own rate, becomes separate magnetometer-only blocks with sensor id
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
import type { PmdResponse, PmdSettings, PmdStreamSettings } from './polarPmdProtocol';
import { SensorClock, SensorTimeline } from './sensorTimeline';
import type { BleRequestOptions } from './transport';

export interface PolarPmdOptions extends BleSensorOptions {
  /** Accelerometer: default 52 Hz, 16 bit, ±8 g. */
  acc?: PmdStreamSettings;
  /** Gyroscope (range in deg/s): default 52 Hz, 16 bit, ±2000 deg/s. Same rate as the accelerometer. */
  gyro?: PmdStreamSettings;
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
  readonly info: SensorInfo;
  readonly magInfo: SensorInfo | null;
  readonly requestOptions: BleRequestOptions = { filters: [{ namePrefix: 'Polar' }], optionalServices: [PMD_SERVICE] };

  private readonly clock = new SensorClock();
  private readonly streams: Stream[];
  private readonly pairer: InertialPairer;
  private readonly periodS: number;
  /** First frame timestamp, ns: sensor seconds are counted from it (keeps float precision). */
  private originNs: bigint | null = null;
  private lastPairTS = NaN;
  private readonly checkSettings: boolean;
  private started: Stream[] = [];

  constructor(options: PolarPmdOptions = {}) {
    super();
    const acc = options.acc ?? POLAR_ACC_DEFAULT;
    const gyro = options.gyro ?? POLAR_GYRO_DEFAULT;
    if (acc.sampleRateHz !== gyro.sampleRateHz) {
      throw new BleConfigError('polar-pmd', `ACC (${acc.sampleRateHz} Hz) and GYRO (${gyro.sampleRateHz} Hz) must run at one rate: a block holds both`);
    }
    for (const [name, s] of [['acc', acc], ['gyro', gyro], ['mag', options.mag || undefined]] as const) {
      if (s && !(s.sampleRateHz > 0 && s.resolutionBits >= 1 && s.resolutionBits <= 32)) {
        throw new BleConfigError('polar-pmd', `${name}: sampleRateHz must be > 0 and resolutionBits 1–32`);
      }
    }
    this.periodS = 1 / acc.sampleRateHz;
    this.checkSettings = options.checkSettings ?? true;
    const stream = (name: Stream['name'], type: number, settings: PmdStreamSettings): Stream => ({
      name,
      type,
      settings,
      timeline: new SensorTimeline(settings.sampleRateHz, this.clock, 1e-6),
      factor: options.factors?.[name] ?? 1,
    });
    this.streams = [stream('acc', PMD_MEASUREMENT.ACC, acc), stream('gyro', PMD_MEASUREMENT.GYRO, gyro)];
    if (options.mag) this.streams.push(stream('mag', PMD_MEASUREMENT.MAG, options.mag));
    this.pairer = new InertialPairer({ by: 'time', periodS: this.periodS });
    this.info = sensorInfo(this.driverName, options, acc.sampleRateHz, 'Polar PMD');
    this.magInfo = options.mag ? { ...this.info, sensorId: `${this.info.sensorId}.mag`, rateHz: options.mag.sampleRateHz } : null;
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
    for (const s of this.streams) {
      if (!features[s.name]) {
        const hint = s.name === 'gyro' ? ' (Polar H10 has only ACC; a block needs acc and gyro — use decodePmdSamples for acc-only frames)' : '';
        throw new BleConfigError(this.driverName, `device does not offer ${s.name.toUpperCase()}${hint}`);
      }
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
    if (s.name === 'mag') {
      if (placed.kind === 'out-of-order') problems.push(this.streamProblem('out-of-order', s.name));
      const b: BlockBuilder = createBlock(this.magInfo!, decoded.n, { inertial: false, mag: true });
      b.tS.set(placed.tS!);
      b.magUT!.set(decoded.xyz);
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
    const b = pairsToBlock(this.info, pairs, this.lastPairTS, this.periodS);
    this.lastPairTS = pairs.tS[pairs.tS.length - 1]!;
    return b;
  }
}
