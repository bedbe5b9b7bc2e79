/**
 * The contract every sensor driver keeps, and the boundary that enforces "decoders never
 * throw and never emit NaN": {@link BleDriverBase.decode} catches anything a driver throws
 * and checks every block it produces, turning failures into {@link BlePacketError} values.
 */
import type { SampleBlock, SensorInfo } from '../../samples/block';
import { BlePacketError } from './errors';
import type { BlePacketErrorKind, BleProblem, BleStreamProblem } from './errors';
import type { GattLink } from './gattLink';
import type { BleRequestOptions } from './transport';
import { canonicalUuid } from './uuid';

/** What one notification turned into. */
export interface BleDecodeResult {
  /** Samples in SI units, times in s since session start; null when the packet held none (or was unusable). */
  readonly block: SampleBlock | null;
  /** Why a packet was unusable, and what timestamps revealed about the stream. Empty for a clean packet. */
  readonly problems: readonly BleProblem[];
}

/** The result of a packet with neither samples nor problems (command acks, partial packets). */
export const NO_SAMPLES: BleDecodeResult = Object.freeze({ block: null, problems: Object.freeze([]) as readonly BleProblem[] });

export interface BleDriver {
  /** Short protocol name, e.g. `polar-pmd`; used in every problem and error. */
  readonly driverName: string;
  /** Sensor id, nominal rate and model, copied into every block. */
  readonly info: SensorInfo;
  /** Filters and optionalServices for `requestDevice`: every service the driver touches is listed. */
  readonly requestOptions: BleRequestOptions;
  /**
   * Configure the device and start streaming: subscribe, write the start commands, check the
   * answers. Notifications are delivered to {@link decode} by the caller (see `connectSensor`).
   * Throws BleCommandError / BleConfigError / BleGattError; never returns half-started silently.
   */
  start(link: GattLink): Promise<void>;
  /**
   * One notification → samples. Never throws; `hostTimeS` is the arrival time in s since
   * session start (the clock sensor timestamps are mapped onto, and the only clock for
   * sensors that send none).
   */
  decode(value: DataView, hostTimeS: number, characteristicUuid: string): BleDecodeResult;
  /** Stop streaming (stop commands, notifications off). Errors from a link already down are ignored. */
  stop(link: GattLink): Promise<void>;
  /** Forget stream state (timestamps, partial packets, packet count), e.g. before a reconnect. */
  reset(): void;
}

/** Options every driver takes. */
export interface BleSensorOptions {
  /** Stable name in the session (default: the driver name). */
  sensorId?: string;
  placement?: string;
  side?: 'left' | 'right';
}

/** Where a non-finite value sits in a block, or null when all are finite. */
function firstNonFinite(b: SampleBlock): string | null {
  const channels: [string, Float64Array | undefined][] = [
    ['tS', b.tS],
    ['accMS2', b.accMS2],
    ['gyrRadS', b.gyrRadS],
    ['magUT', b.magUT],
    ['quat', b.quat],
  ];
  for (const [name, a] of channels) {
    if (!a) continue;
    for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return `${name}[${i}] = ${a[i]}`;
  }
  return null;
}

function shapeProblem(b: SampleBlock): string | null {
  const n = b.tS.length;
  if (n === 0) return 'empty block';
  // Accelerometer-only sensors (Polar H10) are fine; a gyroscope without one is a driver bug.
  if (b.accMS2 === undefined && b.gyrRadS !== undefined) return 'gyrRadS without accMS2';
  if (b.accMS2 && b.accMS2.length !== 3 * n) return 'accMS2 length';
  if (b.gyrRadS && b.gyrRadS.length !== 3 * n) return 'gyrRadS length';
  if (b.magUT && b.magUT.length !== 3 * n) return 'magUT length';
  if (b.quat && b.quat.length !== 4 * n) return 'quat length';
  for (let i = 1; i < n; i++) if (!(b.tS[i]! > b.tS[i - 1]!)) return `tS not increasing at ${i}`;
  return null;
}

/**
 * Shared machinery: packet counting, problem construction, the never-throw boundary and the
 * output check. Subclasses implement {@link decodePacket} and {@link resetStream}.
 */
export abstract class BleDriverBase implements BleDriver {
  abstract readonly driverName: string;
  abstract readonly info: SensorInfo;
  abstract readonly requestOptions: BleRequestOptions;
  abstract start(link: GattLink): Promise<void>;
  abstract stop(link: GattLink): Promise<void>;

  /** Index of the packet being decoded (−1 before the first). */
  protected packetIndex = -1;
  private packet: DataView = new DataView(new ArrayBuffer(0));
  private packetTS = 0;

  /** Decode one packet: push problems, return a block or null. May throw: the boundary catches it. */
  protected abstract decodePacket(value: DataView, hostTimeS: number, characteristicUuid: string, problems: BleProblem[]): SampleBlock | null;

  /** Forget timestamps, partial packets and queues. */
  protected abstract resetStream(): void;

  decode(value: DataView, hostTimeS: number, characteristicUuid: string): BleDecodeResult {
    this.packetIndex++;
    this.packet = value;
    this.packetTS = hostTimeS;
    const problems: BleProblem[] = [];
    let block: SampleBlock | null = null;
    try {
      block = this.decodePacket(value, hostTimeS, canonicalUuid(characteristicUuid), problems);
      if (block) {
        const bad = firstNonFinite(block);
        if (bad) {
          problems.push(this.packetError('non-finite', `decoded ${bad}; packet dropped`));
          block = null;
        } else {
          const shape = shapeProblem(block);
          if (shape) {
            // Times that do not increase come from implausible stamps in the packet; anything else is ours.
            problems.push(this.packetError(shape.startsWith('tS') ? 'malformed' : 'driver-bug', `invalid block (${shape}); packet dropped`));
            block = null;
          }
        }
      }
    } catch (err) {
      problems.push(this.packetError('driver-bug', `decoder threw ${(err as Error)?.name ?? 'error'}: ${(err as Error)?.message ?? String(err)}`));
      block = null;
    }
    return block === null && problems.length === 0 ? NO_SAMPLES : { block, problems };
  }

  reset(): void {
    this.packetIndex = -1;
    this.resetStream();
  }

  /** A {@link BlePacketError} for the packet being decoded. */
  protected packetError(kind: BlePacketErrorKind, reason: string): BlePacketError {
    return new BlePacketError(this.driverName, kind, this.packetIndex, this.packet, reason, this.packetTS);
  }

  protected streamProblem(
    kind: BleStreamProblem['kind'],
    stream: string,
    detail: { missingSamples?: number; gapS?: number; samples?: number } = {},
  ): BleStreamProblem {
    return Object.freeze({ source: 'stream', driver: this.driverName, kind, packetIndex: this.packetIndex, tS: this.packetTS, stream, ...detail });
  }
}

/** `info` for a driver from its options. */
export function sensorInfo(driverName: string, options: BleSensorOptions, rateHz: number, device: string): SensorInfo {
  const info: { -readonly [K in keyof SensorInfo]: SensorInfo[K] } = { sensorId: options.sensorId ?? driverName, rateHz, device };
  if (options.placement !== undefined) info.placement = options.placement;
  if (options.side !== undefined) info.side = options.side;
  return Object.freeze(info);
}
