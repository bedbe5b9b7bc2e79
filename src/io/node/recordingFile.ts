/**
 * Node file reader: streams a recording file through its format's chunk parser, so a
 * multi-hour file is never held in memory (one read chunk plus one block at a time).
 */
import { createReadStream } from 'node:fs';
import type { SampleBlock } from '../../samples/block';
import type { ChunkParser, RecordingFormat, RecordingHeader } from '../format';
import { detectFormat, getFormat } from '../formats';

export interface ReadRecordingOptions {
  /** Format name (e.g. `canonical`) or object; default: detected from the start of the file. */
  readonly format?: string | RecordingFormat;
  /** Maximum samples per block. Default 1024. */
  readonly blockSize?: number;
  /** Sensor name when the file does not declare one. Default: the file's stem. */
  readonly defaultSensorId?: string;
  /** Bytes per read. Default 64 KiB. */
  readonly chunkBytes?: number;
}

/**
 * One recording file. Iterate it (`for await (const block of file)`) as often as needed; each
 * iteration re-reads the file. Errors: RecordingFormatError (bad content), Node's ENOENT etc.
 */
export class RecordingFile implements AsyncIterable<SampleBlock> {
  readonly path: string;
  private readonly options: ReadRecordingOptions;
  private parser: ChunkParser | undefined;
  private detected: RecordingFormat | undefined;
  private cachedHeader: RecordingHeader | undefined;

  constructor(path: string, options: ReadRecordingOptions = {}) {
    this.path = path;
    this.options = options;
    if (typeof options.format === 'string') this.detected = getFormat(options.format);
    else if (options.format) this.detected = options.format;
  }

  /** The format in use: given, or detected once reading has started. */
  get format(): RecordingFormat | undefined {
    return this.detected;
  }

  /** Read only as far as the header (metadata, columns, units). Cached. */
  async readHeader(): Promise<RecordingHeader> {
    if (this.cachedHeader) return this.cachedHeader;
    let parser: ChunkParser | undefined;
    const stream = this.open();
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        parser ??= this.createParser(chunk);
        parser.push(chunk);
        if (parser.header) return (this.cachedHeader = parser.header);
      }
      parser ??= this.createParser(new Uint8Array(0));
      parser.finish();
      // A parser that finishes without error has read a header.
      return (this.cachedHeader = parser.header!);
    } finally {
      stream.destroy();
    }
  }

  /** 1-based file line of sample `index` in the current or last iteration, if known. */
  lineOfSample(index: number): number | undefined {
    return this.parser?.lineOfSample(index);
  }

  /** Samples read so far in the current or last iteration. */
  get samplesRead(): number {
    return this.parser?.samples ?? 0;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<SampleBlock, void, undefined> {
    const stream = this.open();
    let parser: ChunkParser | undefined;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (!parser) parser = this.parser = this.createParser(chunk);
        yield* parser.push(chunk);
      }
      if (!parser) parser = this.parser = this.createParser(new Uint8Array(0));
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

  private createParser(firstChunk: Uint8Array): ChunkParser {
    this.detected ??= detectFormat(new TextDecoder().decode(firstChunk), this.path);
    const opts: { file: string; blockSize?: number; defaultSensorId?: string } = { file: this.path };
    if (this.options.blockSize !== undefined) opts.blockSize = this.options.blockSize;
    if (this.options.defaultSensorId !== undefined) opts.defaultSensorId = this.options.defaultSensorId;
    return this.detected.createParser(opts);
  }
}

/** Stream the blocks of one recording file. */
export function readRecording(path: string, options: ReadRecordingOptions = {}): RecordingFile {
  return new RecordingFile(path, options);
}
