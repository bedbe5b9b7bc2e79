/**
 * What every recording format offers: a chunk parser (text or bytes in, bounded SampleBlocks
 * out) that works the same in a browser (on a `File` stream) and in Node (on a file stream).
 */
import type { SampleBlock, SensorInfo } from '../samples/block';
import type { Unit } from '../samples/units';

/** Channel names as in SampleBlock, plus time. */
export type ChannelName = 'tS' | 'acc' | 'gyr' | 'mag' | 'quat';

/** One channel present in a recording, with the unit the source used. */
export interface ChannelDescription {
  readonly channel: ChannelName;
  /** Source column names, e.g. `['ax', 'ay', 'az']`. */
  readonly columns: readonly string[];
  /** Unit the values were stored in (they are converted to kinemetry's internal unit on read). */
  readonly unit: Unit;
}

/** One sensor of a recording and the channels it has. */
export interface SensorHeader {
  readonly info: SensorInfo;
  readonly channels: readonly ChannelDescription[];
}

/** What a parser knows once it has read the header. */
export interface RecordingHeader {
  /**
   * Every sensor in the recording. Most files hold one; some hold several (BIDS motion with
   * several tracked points, OpenSim .sto with one column group per `<segment>_imu`). Every
   * emitted block belongs to one of these (`block.info.sensorId`).
   */
  readonly sensors: readonly SensorHeader[];
  /** 1-based line of the header row (0 for headerless binary formats). */
  readonly line: number;
}

export interface ChunkParserOptions {
  /** File name for error messages, and the default sensor name (its stem). */
  readonly file?: string;
  /** Sensor name when the recording does not declare one. Default: stem of `file`, else `sensor`. */
  readonly defaultSensorId?: string;
  /** Maximum samples per emitted block. Default 1024. */
  readonly blockSize?: number;
  /**
   * Contents of companion files the format asked for via {@link RecordingFormat.sidecars}
   * (e.g. BIDS `channels.tsv` and `motion.json`), keyed by the role it named.
   */
  readonly sidecars?: Readonly<Record<string, string>>;
  /**
   * Column map for generic delimited text: `target=source` pairs, e.g.
   * `t=time index,ax=acc_x,ay=acc_y,az=acc_z,gx=gyr_x[deg/s],…` (unit in brackets optional).
   */
  readonly columns?: string;
  /** Sample rate, Hz, for sources whose time column is a sample index or absent. */
  readonly rateHz?: number;
}

/** A companion file a format needs to read a recording (resolved by the Node or browser layer). */
export interface SidecarSpec {
  /** Key under which its text is passed in {@link ChunkParserOptions.sidecars}. */
  readonly role: string;
  /** File name, in the same directory as the recording. */
  readonly fileName: string;
  readonly required: boolean;
}

/**
 * Incremental parser. Feed chunks split anywhere (even inside a line or a UTF-8 sequence);
 * each call returns the blocks completed so far. Throws RecordingFormatError.
 */
export interface ChunkParser {
  push(chunk: string | Uint8Array): SampleBlock[];
  /** End of input: returns the last, partial block. Throws on an empty or header-only input. */
  finish(): SampleBlock[];
  /** Available once the header has been read. */
  readonly header: RecordingHeader | undefined;
  /** Samples emitted so far. */
  readonly samples: number;
  /** 1-based source line of sample `index` (global, from the start of the recording), if known. */
  lineOfSample(index: number): number | undefined;
}

export interface RecordingFormat {
  /** Short name used by `--format`, e.g. `canonical`. */
  readonly name: string;
  readonly description: string;
  /** File extensions (lower case, with dot) that a session directory scan picks up. Any file can be read when named explicitly. */
  readonly extensions: readonly string[];
  /** Does this start of a file (decoded text of the first chunk) look like this format? */
  sniff(head: string, fileName?: string): boolean;
  createParser(options?: ChunkParserOptions): ChunkParser;
  /** Companion files to read before parsing `fileName` (absent: none). */
  sidecars?(fileName: string): readonly SidecarSpec[];
}
