/**
 * Node file writer: streams canonical CSV to a file with backpressure, so a long recording
 * (or a live sensor stream) is written as it arrives.
 */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { SampleBlock } from '../../samples/block';
import { formatCanonicalCsvAsync } from '../canonicalCsvWriter';
import type { CanonicalCsvWriterOptions } from '../canonicalCsvWriter';

/** Write one sensor's blocks to `path` as canonical CSV. Resolves to the number of samples written. */
export async function writeRecording(
  path: string,
  blocks: AsyncIterable<SampleBlock> | Iterable<SampleBlock>,
  options: CanonicalCsvWriterOptions = {},
): Promise<{ samples: number }> {
  let samples = 0;
  async function* counted(): AsyncGenerator<SampleBlock, void, undefined> {
    for await (const b of blocks) {
      samples += b.tS.length;
      yield b;
    }
  }
  await pipeline(Readable.from(formatCanonicalCsvAsync(counted(), options), { objectMode: false }), createWriteStream(path));
  return { samples };
}
