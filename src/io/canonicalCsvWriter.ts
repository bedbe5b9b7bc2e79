/**
 * Canonical CSV writer (browser-safe). Produces text piece by piece — a header, then one
 * string per block — so a long recording never has to exist as one string. Numbers are
 * written as the shortest decimal that reads back to the same double, so reading a written
 * file returns the values bit for bit (NaN payloads aside). Time gaps live in the time
 * column; `gapBeforeS` and the `saturated` mask are not part of the format. The columns
 * follow the blocks ({@link canonicalChannelsOf}): acc + gyr when they have them,
 * `t,ax,ay,az` for accelerometer-only blocks (Polar H10), `t,qw,qx,qy,qz` for
 * orientation-only ones, mag and quat when present.
 */
import type { SampleBlock, SensorInfo } from '../samples/block';
import { formatHeaderRow } from './canonicalColumns';
import type { CanonicalChannels, Delimiter } from './canonicalColumns';
import { RecordingWriteError } from './errors';
import { formatMetadata } from './metadata';
import { formatNumberField } from './numberField';

export interface CanonicalCsvWriterOptions {
  /** Field delimiter. Default `,`. */
  readonly delimiter?: Delimiter;
  /** Write accelerometer (+ gyroscope) columns. Default: whether the first block has an accelerometer. */
  readonly inertial?: boolean;
  /** With `inertial`: write gyroscope columns. Default: whether the first block has `gyrRadS`. */
  readonly gyr?: boolean;
  /** Write magnetometer columns. Default: whether the first block has `magUT`. */
  readonly mag?: boolean;
  /** Write quaternion columns. Default: whether the first block has `quat`. */
  readonly quat?: boolean;
  /** Line ending. Default `\n`. */
  readonly newline?: '\n' | '\r\n';
}

/**
 * The columns a file of `first` (a sensor's first block) gets: its channels, unless
 * `options` says otherwise. One rule for every canonical writer and sink.
 */
export function canonicalChannelsOf(first: SampleBlock, options: CanonicalCsvWriterOptions = {}): CanonicalChannels {
  return {
    inertial: options.inertial ?? first.accMS2 !== undefined,
    gyr: options.gyr ?? first.gyrRadS !== undefined,
    mag: options.mag ?? first.magUT !== undefined,
    quat: options.quat ?? first.quat !== undefined,
  };
}

/** Writes one sensor: `header()` once, then `rows(block)` for each block in order. */
export class CanonicalCsvWriter {
  readonly info: SensorInfo;
  /** Accelerometer columns (ax, ay, az). */
  readonly inertial: boolean;
  /** Gyroscope columns (gx, gy, gz); only with {@link inertial}. */
  readonly gyr: boolean;
  readonly mag: boolean;
  readonly quat: boolean;
  private readonly delimiter: Delimiter;
  private readonly newline: string;

  /** `channels.inertial` and `channels.gyr` default to true. Throws RecordingWriteError when neither acc nor quat is written. */
  constructor(info: SensorInfo, channels: CanonicalChannels, options: CanonicalCsvWriterOptions = {}) {
    this.info = info;
    this.inertial = channels.inertial !== false;
    this.gyr = this.inertial && channels.gyr !== false;
    this.mag = channels.mag;
    this.quat = channels.quat;
    this.delimiter = options.delimiter ?? ',';
    this.newline = options.newline ?? '\n';
    if (this.delimiter !== ',' && this.delimiter !== ';' && this.delimiter !== '\t') {
      throw new RecordingWriteError(`delimiter must be ',', ';' or tab, got ${JSON.stringify(this.delimiter)}`);
    }
    if (!this.inertial && !this.quat) {
      throw new RecordingWriteError(`sensor '${info.sensorId}': nothing to write — the canonical CSV needs accelerometer (+ gyroscope) or quaternion columns`);
    }
  }

  /** Metadata comment lines and the header row, newline-terminated. */
  header(): string {
    const meta = formatMetadata(this.info);
    if (typeof meta === 'string') throw new RecordingWriteError(`sensor '${this.info.sensorId}': ${meta}`);
    meta.push(formatHeaderRow({ inertial: this.inertial, gyr: this.gyr, mag: this.mag, quat: this.quat }, this.delimiter));
    return meta.join(this.newline) + this.newline;
  }

  /** The rows of one block, newline-terminated ('' for an empty block). */
  rows(block: SampleBlock): string {
    if (block.info.sensorId !== this.info.sensorId) {
      throw new RecordingWriteError(
        `block of sensor '${block.info.sensorId}' given to the writer of sensor '${this.info.sensorId}' (one file per sensor)`,
      );
    }
    if (this.mag && !block.magUT) throw new RecordingWriteError(`sensor '${this.info.sensorId}': block has no magnetometer data but the file has mx,my,mz columns`);
    if (this.quat && !block.quat) throw new RecordingWriteError(`sensor '${this.info.sensorId}': block has no quaternion data but the file has qw,qx,qy,qz columns`);
    if (this.inertial && !block.accMS2) throw new RecordingWriteError(`sensor '${this.info.sensorId}': block has no accelerometer data but the file has ax,ay,az columns`);
    if (this.gyr && !block.gyrRadS) throw new RecordingWriteError(`sensor '${this.info.sensorId}': block has no gyroscope data but the file has gx,gy,gz columns`);
    const n = block.tS.length;
    if (
      (this.inertial && block.accMS2!.length !== 3 * n) ||
      (this.gyr && block.gyrRadS!.length !== 3 * n) ||
      (this.mag && block.magUT!.length !== 3 * n) ||
      (this.quat && block.quat!.length !== 4 * n)
    ) {
      throw new RecordingWriteError(`sensor '${this.info.sensorId}': block channel lengths do not match its ${n} samples`);
    }
    const d = this.delimiter;
    const f = formatNumberField;
    const { tS } = block;
    const a = block.accMS2;
    const g = block.gyrRadS;
    const m = block.magUT;
    const q = block.quat;
    const lines = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const i3 = 3 * i;
      let s = f(tS[i]!);
      if (this.inertial) s += d + f(a![i3]!) + d + f(a![i3 + 1]!) + d + f(a![i3 + 2]!);
      if (this.gyr) s += d + f(g![i3]!) + d + f(g![i3 + 1]!) + d + f(g![i3 + 2]!);
      if (this.mag) s += d + f(m![i3]!) + d + f(m![i3 + 1]!) + d + f(m![i3 + 2]!);
      if (this.quat) {
        const i4 = 4 * i;
        s += d + f(q![i4]!) + d + f(q![i4 + 1]!) + d + f(q![i4 + 2]!) + d + f(q![i4 + 3]!);
      }
      lines[i] = s;
    }
    return n === 0 ? '' : lines.join(this.newline) + this.newline;
  }
}

function writerFor(first: SampleBlock, options: CanonicalCsvWriterOptions): CanonicalCsvWriter {
  return new CanonicalCsvWriter(first.info, canonicalChannelsOf(first, options), options);
}

/**
 * Canonical CSV text of one sensor's blocks, piece by piece (header first, then one piece per
 * block). Throws RecordingWriteError when there are no blocks or they do not fit one file.
 */
export function* formatCanonicalCsv(
  blocks: Iterable<SampleBlock>,
  options: CanonicalCsvWriterOptions = {},
): Generator<string, void, undefined> {
  let writer: CanonicalCsvWriter | undefined;
  for (const block of blocks) {
    if (!writer) {
      writer = writerFor(block, options);
      yield writer.header();
    }
    yield writer.rows(block);
  }
  if (!writer) throw new RecordingWriteError('no blocks to write');
}

/** {@link formatCanonicalCsv} over an async source (a reader, a live BLE stream). */
export async function* formatCanonicalCsvAsync(
  blocks: AsyncIterable<SampleBlock> | Iterable<SampleBlock>,
  options: CanonicalCsvWriterOptions = {},
): AsyncGenerator<string, void, undefined> {
  let writer: CanonicalCsvWriter | undefined;
  for await (const block of blocks) {
    if (!writer) {
      writer = writerFor(block, options);
      yield writer.header();
    }
    yield writer.rows(block);
  }
  if (!writer) throw new RecordingWriteError('no blocks to write');
}

/** The whole file as one string (small recordings, tests). */
export function canonicalCsvText(blocks: Iterable<SampleBlock>, options: CanonicalCsvWriterOptions = {}): string {
  let s = '';
  for (const piece of formatCanonicalCsv(blocks, options)) s += piece;
  return s;
}
