/**
 * Errors and stream problems of the Bluetooth layer. Decoders never throw: a packet they
 * cannot use becomes a {@link BlePacketError} value (naming the driver, the packet's index in
 * the stream and its bytes), and what sensor timestamps or sequence numbers reveal about the
 * stream (lost, duplicated, reordered packets) becomes a {@link BleStreamProblem}. Both are
 * reported through {@link BleDecodeResult.problems}; the errors that do throw are about
 * setting up a connection (no Bluetooth, refused command, missing service).
 */
import { bytesToHex } from './hex';

/** Bytes shown in messages and kept on errors; longer packets are cut with `…`. */
export const SHOWN_PACKET_BYTES = 64;

export type BlePacketErrorKind =
  /** Too short, wrong length for its declared content, truncated block. */
  | 'malformed'
  /** A packet type, measurement or frame type the driver does not decode. */
  | 'unsupported'
  /** Decoded to NaN or ±Infinity (garbage floats): dropped rather than passed on. */
  | 'non-finite'
  /** Bytes skipped to find the next packet start in a byte stream (WitMotion). */
  | 'resync'
  /** The device answered a command with an error status. */
  | 'command-failed'
  /** A driver threw; caught at the driver boundary (a bug in kinemetry: please report it with the bytes). */
  | 'driver-bug';

/** A notification the driver could not turn into samples. Returned as a value, not thrown, by decoders. */
export class BlePacketError extends Error {
  override readonly name = 'BlePacketError';
  readonly source = 'packet' as const;
  /** Hex of the packet's first {@link SHOWN_PACKET_BYTES} bytes. */
  readonly bytesHex: string;

  constructor(
    readonly driver: string,
    readonly kind: BlePacketErrorKind,
    /** 0-based index of the notification in this driver's stream (since the last reset). */
    readonly packetIndex: number,
    bytes: ArrayLike<number> | DataView,
    readonly reason: string,
    /** Host time of arrival, s since session start. */
    readonly tS: number,
  ) {
    const hex = bytesToHex(bytes, SHOWN_PACKET_BYTES);
    super(`${driver}: packet ${packetIndex} (${hex}): ${reason}`);
    this.bytesHex = hex;
  }
}

/** What timestamps or sequence numbers reveal about the stream. Plain immutable events. */
export interface BleStreamProblem {
  readonly source: 'stream';
  readonly driver: string;
  /**
   * `dropped`: time between frames says samples are missing (`missingSamples`, `gapS`);
   * `duplicate`: a frame repeats the previous one's sensor timestamp (not emitted again);
   * `out-of-order`: a frame is older than one already decoded (a stream that stands alone emits it with times from its own
   *   timestamp; a stream paired with another (acc with gyro) cannot place it and counts its samples as unpaired);
   * `unpaired`: accelerometer or gyroscope samples with no partner in the other stream (a block holds both or neither).
   */
  readonly kind: 'dropped' | 'duplicate' | 'out-of-order' | 'unpaired';
  readonly packetIndex: number;
  /** Host time of arrival, s since session start. */
  readonly tS: number;
  /** Which stream within the device (`acc`, `gyro`, `IMU9`, …). */
  readonly stream: string;
  readonly missingSamples?: number;
  readonly gapS?: number;
  /** For `unpaired`: how many samples were left without a partner. */
  readonly samples?: number;
}

export type BleProblem = BlePacketError | BleStreamProblem;

/** No Bluetooth here: no `navigator.bluetooth`, the `webbluetooth` package is not installed, or no adapter. */
export class BleUnavailableError extends Error {
  override readonly name = 'BleUnavailableError';
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** The device refused or did not answer a command during start/stop. */
export class BleCommandError extends Error {
  override readonly name = 'BleCommandError';
  constructor(
    readonly driver: string,
    /** The command bytes as hex. */
    readonly commandHex: string,
    readonly reason: string,
  ) {
    super(`${driver}: command ${commandHex}: ${reason}`);
  }
}

/** A driver or profile was configured with something the device or the block type cannot do. */
export class BleConfigError extends Error {
  override readonly name = 'BleConfigError';
  constructor(
    readonly driver: string,
    readonly reason: string,
  ) {
    super(`${driver}: ${reason}`);
  }
}

/** A service or characteristic the driver needs is not on the device. */
export class BleGattError extends Error {
  override readonly name = 'BleGattError';
  constructor(
    readonly uuid: string,
    readonly reason: string,
    override readonly cause?: unknown,
  ) {
    super(`${uuid}: ${reason}`);
  }
}
