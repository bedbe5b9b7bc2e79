/**
 * Node file writer: streams canonical CSV to a file with backpressure, so a long recording
 * (or a live sensor stream) is written as it arrives; and a whole session to a directory, one
 * file per sensor, in one pass over its sources.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { SampleBlock } from '../../samples/block';
import { CanonicalCsvWriter, canonicalChannelsOf, formatCanonicalCsvAsync } from '../canonicalCsvWriter';
import type { CanonicalCsvWriterOptions } from '../canonicalCsvWriter';
import { RecordingWriteError } from '../errors';
import { TextSink } from './textSink';

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

/**
 * A sensor name as a file stem: path separators, characters Windows forbids and control
 * characters become `_`; the file's `# sensor:` line keeps the real name.
 */
export function sensorFileStem(sensorId: string): string {
  const s = sensorId.replace(/[/\\:*?"<>|\u0000-\u001f]/g, '_').replace(/^\.+/, '_');
  return s === '' ? 'sensor' : s;
}

/**
 * Write blocks of several sensors (any interleaving, e.g. `session.blocks()`) to `dir`, one
 * canonical CSV per sensor named after it (`thigh.csv`). Creates `dir`. Files are removed
 * again if writing fails. Resolves to the files and sample counts, in first-appearance order.
 */
export async function writeRecordingDirectory(
  dir: string,
  blocks: AsyncIterable<SampleBlock> | Iterable<SampleBlock>,
  options: CanonicalCsvWriterOptions = {},
): Promise<{ files: { sensorId: string; path: string; samples: number }[] }> {
  await mkdir(dir, { recursive: true });
  const open = new Map<string, { writer: CanonicalCsvWriter; sink: TextSink; samples: number; path: string }>();
  const stems = new Set<string>();
  try {
    for await (const b of blocks) {
      const id = b.info.sensorId;
      let o = open.get(id);
      if (!o) {
        const base = sensorFileStem(id);
        let stem = base;
        for (let k = 2; stems.has(stem.toLowerCase()); k++) stem = `${base}_${k}`;
        stems.add(stem.toLowerCase());
        const writer = new CanonicalCsvWriter(b.info, canonicalChannelsOf(b, options), options);
        const path = join(dir, `${stem}.csv`);
        o = { writer, sink: new TextSink(path), samples: 0, path };
        open.set(id, o);
        await o.sink.write(writer.header());
      }
      await o.sink.write(o.writer.rows(b));
      o.samples += b.tS.length;
    }
    if (open.size === 0) throw new RecordingWriteError('no blocks to write');
    for (const o of open.values()) await o.sink.close();
  } catch (e) {
    for (const o of open.values()) await o.sink.discard();
    throw e;
  }
  return { files: [...open].map(([sensorId, o]) => ({ sensorId, path: o.path, samples: o.samples })) };
}
