/**
 * A recording as an Observable of blocks (browser-safe). Sources:
 * - anything async-iterable of blocks: `readRecording(path)` / `session.blocks()` from
 *   `kinemetry/node` (or use `fromRecordingFile(path)` there), an async generator, an array;
 * - a browser `File` / `Blob`, or a `ReadableStream` of text or bytes, parsed by the same
 *   browser-safe chunk parsers the Node readers use (format detected from the start of the
 *   file, or given).
 *
 * Pull-based: the next block is read only after the previous one was delivered to the
 * subscriber synchronously (so a slow synchronous chain never makes it read ahead), and
 * unsubscribing stops reading (the source's `return()` closes the file).
 */
import { Observable } from 'rxjs';
import type { RecordingFormat } from '../io/format';
import { detectFormat, getFormat } from '../io/formats';
import { streamBlocks } from '../io/stream';
import type { SampleBlock } from '../samples/block';

/** The subset of a `Blob` / `File` used here. */
export interface BlobLike {
  readonly name?: string;
  slice(start?: number, end?: number): { text(): Promise<string> };
  stream(): ReadableStream<Uint8Array>;
}

export type RecordingInput = AsyncIterable<SampleBlock> | Iterable<SampleBlock> | BlobLike | ReadableStream<string | Uint8Array>;

export interface FromRecordingOptions {
  /** Format name (e.g. `canonical`) or object, for File/Blob/ReadableStream sources. Default: detected (Blob) or canonical CSV (stream). */
  format?: string | RecordingFormat;
  /** File name for messages and the default sensor id (default: the File's name). */
  file?: string;
  /** Maximum samples per block for parsed sources. Default: the parser's (1024). */
  blockSize?: number;
}

function isBlob(x: unknown): x is BlobLike {
  return typeof (x as BlobLike).slice === 'function' && typeof (x as BlobLike).stream === 'function';
}
function isReadable(x: unknown): x is ReadableStream<string | Uint8Array> {
  return typeof (x as ReadableStream).getReader === 'function';
}

async function formatOf(source: BlobLike | ReadableStream, options: FromRecordingOptions, file: string | undefined): Promise<RecordingFormat> {
  if (typeof options.format === 'object') return options.format;
  if (typeof options.format === 'string') return getFormat(options.format);
  if (isBlob(source)) return detectFormat(await source.slice(0, 64 * 1024).text(), file);
  return getFormat('canonical');
}

async function* blocksOf(source: RecordingInput, options: FromRecordingOptions): AsyncGenerator<SampleBlock, void, undefined> {
  if (isBlob(source) || isReadable(source)) {
    const file = options.file ?? (isBlob(source) ? source.name : undefined);
    const format = await formatOf(source, options, file);
    const parser = format.createParser({ ...(file !== undefined ? { file } : {}), ...(options.blockSize !== undefined ? { blockSize: options.blockSize } : {}) });
    yield* streamBlocks(parser, isBlob(source) ? source.stream() : source);
    return;
  }
  yield* source as AsyncIterable<SampleBlock> | Iterable<SampleBlock>;
}

/** The blocks of a recording, in file order (one sensor per file; a session's `blocks()` interleaves sensors by time). */
export function fromRecording(source: RecordingInput, options: FromRecordingOptions = {}): Observable<SampleBlock> {
  return new Observable<SampleBlock>((subscriber) => {
    const it = blocksOf(source, options);
    let closed = false;
    void (async () => {
      try {
        for (;;) {
          const r = await it.next();
          if (closed) return;
          if (r.done) break;
          subscriber.next(r.value);
        }
        subscriber.complete();
      } catch (err) {
        if (!closed) subscriber.error(err);
      }
    })();
    return () => {
      closed = true;
      void it.return(undefined).catch(() => undefined);
    };
  });
}
