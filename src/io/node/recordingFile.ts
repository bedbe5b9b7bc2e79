/**
 * Node file reader: streams a recording file through its format's chunk parser, so a
 * multi-hour file is never held in memory (one read chunk plus one block at a time).
 * Companion files the format asks for (BIDS `_channels.tsv`, `_motion.json`) are found next to
 * it (see ./sidecars).
 */
import { createReadStream } from 'node:fs';
import type { SampleBlock } from '../../samples/block';
import type { ChunkParser, ChunkParserOptions, RecordingFormat, RecordingHeader } from '../format';
import { detectFormat, getFormat } from '../formats';
import { loadSidecars } from './sidecars';

export interface ReadRecordingOptions {
  /** Format name (e.g. `canonical`) or object; default: detected from the start of the file. */
  readonly format?: string | RecordingFormat;
  /** Maximum samples per block. Default 1024. */
  readonly blockSize?: number;
  /** Sensor name when the file does not declare one. Default: the file's stem. */
  readonly defaultSensorId?: string;
  /** Bytes per read. Default 64 KiB. */
  readonly chunkBytes?: number;
  /** Column map for the generic delimited format (`--columns`). */
  readonly columns?: string;
  /** Sample rate, Hz, for sources timed by sample index (`--rate`). */
  readonly rateHz?: number;
  /** Called with the size of every chunk read while iterating (progress bars). */
  readonly onBytes?: (bytes: number) => void;
}

/**
 * Anything a session recording is read from: one file, or several merged (a MetaMotion
 * board's stream files). Iterating re-reads from the start.
 */
export interface RecordingSource extends AsyncIterable<SampleBlock> {
  /** The main file (errors, `info`): for merged streams, the one whose timestamps are kept. */
  readonly path: string;
  /** Every file read. */
  readonly paths: readonly string[];
  /** The format in use, once known. */
  readonly format: RecordingFormat | undefined;
  /** Read only as far as the header. Cached. */
  readHeader(): Promise<RecordingHeader>;
  /** 1-based line in `path` of sample `index` in the current or last iteration, if known. */
  lineOfSample(index: number): number | undefined;
  /** Samples read so far in the current or last iteration. */
  readonly samplesRead: number;
}

/**
 * One recording file. Iterate it (`for await (const block of file)`) as often as needed; each
 * iteration re-reads the file. Errors: RecordingFormatError (bad content), SessionError (a
 * required companion file is missing), Node's ENOENT etc.
 */
export class RecordingFile implements RecordingSource {
  readonly path: string;
  private readonly options: ReadRecordingOptions;
  private parser: ChunkParser | undefined;
  private detected: RecordingFormat | undefined;
  private cachedHeader: RecordingHeader | undefined;
  private sidecars: Record<string, string> | undefined;

  constructor(path: string, options: ReadRecordingOptions = {}) {
    this.path = path;
    this.options = options;
    if (typeof options.format === 'string') this.detected = getFormat(options.format);
    else if (options.format) this.detected = options.format;
  }

  get paths(): readonly string[] {
    return [this.path];
  }

  /** The format in use: given, or detected once reading has started. */
  get format(): RecordingFormat | undefined {
    return this.detected;
  }

  async readHeader(): Promise<RecordingHeader> {
    if (this.cachedHeader) return this.cachedHeader;
    let parser: ChunkParser | undefined;
    const stream = this.open();
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        parser ??= await this.createParser(chunk);
        parser.push(chunk);
        if (parser.header) return (this.cachedHeader = parser.header);
      }
      parser ??= await this.createParser(new Uint8Array(0));
      parser.finish();
      // A parser that finishes without error has read a header.
      return (this.cachedHeader = parser.header!);
    } finally {
      stream.destroy();
    }
  }

  lineOfSample(index: number): number | undefined {
    return this.parser?.lineOfSample(index);
  }

  get samplesRead(): number {
    return this.parser?.samples ?? 0;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<SampleBlock, void, undefined> {
    const stream = this.open();
    const onBytes = this.options.onBytes;
    let parser: ChunkParser | undefined;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (!parser) parser = this.parser = await this.createParser(chunk);
        onBytes?.(chunk.length);
        yield* parser.push(chunk);
      }
      if (!parser) parser = this.parser = await this.createParser(new Uint8Array(0));
      const last = parser.finish();
      this.cachedHeader ??= parser.header;
      yield* last;
    } finally {
      stream.destroy();
    }
  }

  private open() {
    return createReadStream(this.path, { highWaterMark: this.options.chunkBytes ?? 1 << 16 });
  }

  private async createParser(firstChunk: Uint8Array): Promise<ChunkParser> {
    const format = (this.detected ??= detectFormat(new TextDecoder().decode(firstChunk), this.path));
    if (format.sidecars && this.sidecars === undefined) this.sidecars = await loadSidecars(this.path, format.sidecars(this.path));
    const o = this.options;
    const opts: { -readonly [K in keyof ChunkParserOptions]: ChunkParserOptions[K] } = { file: this.path };
    if (o.blockSize !== undefined) opts.blockSize = o.blockSize;
    if (o.defaultSensorId !== undefined) opts.defaultSensorId = o.defaultSensorId;
    if (o.columns !== undefined) opts.columns = o.columns;
    if (o.rateHz !== undefined) opts.rateHz = o.rateHz;
    if (this.sidecars !== undefined) opts.sidecars = this.sidecars;
    return format.createParser(opts);
  }
}

/** Stream the blocks of one recording file. */
export function readRecording(path: string, options: ReadRecordingOptions = {}): RecordingFile {
  return new RecordingFile(path, options);
}
