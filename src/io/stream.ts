/**
 * Drive a ChunkParser from any chunk source (browser-safe): an async or sync iterable of
 * strings/bytes, or a WHATWG ReadableStream such as `file.stream()` in a browser (not every
 * browser makes ReadableStream async-iterable, hence the reader loop).
 */
import type { SampleBlock } from '../samples/block';
import type { ChunkParser } from './format';

export type ChunkSource =
  | AsyncIterable<string | Uint8Array>
  | Iterable<string | Uint8Array>
  | ReadableStream<string | Uint8Array>;

async function* chunksOf(source: ChunkSource): AsyncGenerator<string | Uint8Array, void, undefined> {
  if (typeof (source as ReadableStream).getReader === 'function') {
    const reader = (source as ReadableStream<string | Uint8Array>).getReader();
    try {
      for (;;) {
        const r = await reader.read();
        if (r.done) return;
        yield r.value;
      }
    } finally {
      reader.releaseLock();
    }
  } else {
    yield* source as AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;
  }
}

/** Blocks of `source` as parsed by `parser` (bounded memory: one chunk plus one block). */
export async function* streamBlocks(parser: ChunkParser, source: ChunkSource): AsyncGenerator<SampleBlock, void, undefined> {
  for await (const chunk of chunksOf(source)) yield* parser.push(chunk);
  yield* parser.finish();
}
