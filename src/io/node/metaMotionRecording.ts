/**
 * A MetaMotion board's stream files (accelerometer, gyroscope, optional magnetometer and
 * quaternion) as one recording: every iteration opens all files and merges them on the fly
 * (see ../metamotionMerge for how), so memory stays bounded whatever their length.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { SampleBlock, SensorInfo } from '../../samples/block';
import type { RecordingFormat, RecordingHeader } from '../format';
import { MetaBaseStreamParser, metaMotionFormat, parseMetaBaseFileName } from '../metamotion';
import type { MetaBaseFileName, MetaBaseStreamHeader } from '../metamotion';
import { MetaMotionMerger } from '../metamotionMerge';
import type { MetaMotionMergeOptions, MetaMotionPlan } from '../metamotionMerge';
import type { ReadRecordingOptions, RecordingSource } from './recordingFile';

/** Bytes read to find a stream file's header and first sample. */
const HEAD_BYTES = 1 << 16;

/** The header and first epoch of a MetaBase stream file (reads its first 64 KiB only). */
export async function readMetaBaseHead(path: string): Promise<{ header: MetaBaseStreamHeader; firstEpochMs: number; name: MetaBaseFileName }> {
  const fh = await open(path, 'r');
  try {
    const buf = new Uint8Array(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    const p = new MetaBaseStreamParser({ file: path });
    const text = buf.subarray(0, bytesRead);
    p.push(text);
    // A short file ends inside the buffer: finish it so an empty or header-only file is reported.
    if (bytesRead < HEAD_BYTES || !p.header || p.samples === 0) p.finish();
    return { header: p.header!, firstEpochMs: p.firstEpochMs, name: parseMetaBaseFileName(path) };
  } finally {
    await fh.close();
  }
}

export interface MetaMotionRecordingOptions extends Pick<ReadRecordingOptions, 'blockSize' | 'chunkBytes' | 'onBytes'> {
  /** Time origin, epoch ms (the session's earliest first sample). Default: these files' own. */
  readonly originMs?: number;
  readonly gapFactor?: number;
}

export class MetaMotionRecording implements RecordingSource {
  readonly paths: readonly string[];
  private readonly base: SensorInfo;
  private readonly options: MetaMotionRecordingOptions;
  private merger: MetaMotionMerger | undefined;
  private planned: MetaMotionPlan | undefined;

  /** `files`: the board's stream files; `base`: its SensorInfo (the merge notes are added). */
  constructor(files: readonly string[], base: SensorInfo, options: MetaMotionRecordingOptions = {}) {
    this.paths = [...files].sort();
    this.base = base;
    this.options = options;
  }

  /** The clock stream's file once the header was read, else the first file. */
  get path(): string {
    return this.planned?.clockFile ?? this.paths[0]!;
  }

  get format(): RecordingFormat {
    return metaMotionFormat;
  }

  /** How the streams are merged (after {@link readHeader}). */
  get plan(): MetaMotionPlan | undefined {
    return this.planned;
  }

  async readHeader(): Promise<RecordingHeader> {
    if (this.planned) return this.planned.header;
    const { merger, destroy } = this.createMerger(false);
    try {
      this.planned = await merger.plan();
      return this.planned.header;
    } finally {
      await merger.close();
      destroy();
    }
  }

  lineOfSample(index: number): number | undefined {
    return this.merger?.lineOfSample(index);
  }

  get samplesRead(): number {
    return this.merger?.stats.emitted ?? 0;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<SampleBlock, void, undefined> {
    const { merger, destroy } = this.createMerger(true);
    this.merger = merger;
    try {
      this.planned ??= await merger.plan();
      yield* merger.blocks();
    } finally {
      destroy();
    }
  }

  /** A merger over freshly opened files, and a function that closes them all. */
  private createMerger(count: boolean): { merger: MetaMotionMerger; destroy: () => void } {
    const o = this.options;
    const streams: ReturnType<typeof createReadStream>[] = [];
    const inputs = this.paths.map((file) => {
      const stream = createReadStream(file, { highWaterMark: o.chunkBytes ?? 1 << 16 });
      streams.push(stream);
      const onBytes = count ? o.onBytes : undefined;
      return { file, chunks: onBytes ? counted(stream as AsyncIterable<Buffer>, onBytes) : (stream as AsyncIterable<Buffer>) };
    });
    const mo: { -readonly [K in keyof MetaMotionMergeOptions]: MetaMotionMergeOptions[K] } = {};
    if (o.originMs !== undefined) mo.originMs = o.originMs;
    if (o.blockSize !== undefined) mo.blockSize = o.blockSize;
    if (o.gapFactor !== undefined) mo.gapFactor = o.gapFactor;
    return { merger: new MetaMotionMerger(inputs, this.base, mo), destroy: () => streams.forEach((s) => s.destroy()) };
  }
}

async function* counted(chunks: AsyncIterable<Buffer>, onBytes: (n: number) => void): AsyncGenerator<Buffer, void, undefined> {
  for await (const c of chunks) {
    onBytes(c.length);
    yield c;
  }
}
