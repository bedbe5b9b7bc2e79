/**
 * The streams of one MetaMotion board onto one clock (browser-safe, streaming).
 *
 * MetaBase writes the accelerometer and gyroscope (and magnetometer, quaternion) to separate
 * files at their own rates. A SampleBlock holds one time per sample, so one stream's
 * timestamps are kept and the others are interpolated onto them:
 *  - the clock is the faster of accelerometer and gyroscope (the accelerometer on a tie), or
 *    the quaternion stream for an orientation-only export; no sample of it is invented;
 *  - every other stream is interpolated at those times, linearly (SLERP for quaternions), from
 *    its two neighbouring samples — never extrapolated, and never across a gap: an interval
 *    longer than `gapFactor` (default 3, generous because BLE streaming bunches timestamps)
 *    times that stream's median interval is a gap;
 *  - a clock sample that cannot be served (before another stream starts, after it ends, or
 *    inside its gap) is dropped; drops between kept samples start a new block whose
 *    `gapBeforeS` says how much time is missing, so validation reports them as gaps;
 *  - each stream's timestamps must not go back (merging is by time): unlike the other
 *    readers, which keep such rows for validation to report, this is a RecordingFormatError
 *    at the line where time goes back.
 * Rates are estimated from the median of each stream's first {@link PRIME_SAMPLES} intervals
 * (MetaBase files do not state them). All of this is written into the sensor's
 * `extra.merge`, so converted files say how they were made. Time is epoch ms − origin, in s;
 * the origin is the earliest first sample of the session's files (given by the caller) so
 * that several boards share one clock.
 *
 * Memory: one chunk of the clock stream plus, per other stream, the samples spanning it.
 */
import type { BlockBuilder, SampleBlock, SensorInfo } from '../samples/block';
import { medianIntervalOrZero } from '../samples/rate';
import { interpolateLinear, interpolateQuat } from '../samples/resample';
import { DEFAULT_BLOCK_SIZE } from './canonicalCsv';
import { RecordingFormatError } from './errors';
import type { ChannelDescription, RecordingHeader } from './format';
import { METABASE_KIND_LABEL, MetaBaseStreamParser } from './metamotion';
import type { MetaBaseKind, MetaBaseStreamHeader, StreamChunk } from './metamotion';
import type { ChunkSource } from './stream';

/** Samples read from each stream before merging, to estimate its rate. */
export const PRIME_SAMPLES = 64;

export interface MetaMotionInput {
  /** File name (errors, and the stream named in it). */
  readonly file: string;
  readonly chunks: ChunkSource;
}

export interface MetaMotionMergeOptions {
  /** Time origin, epoch ms. Default: the earliest first sample of these streams. */
  readonly originMs?: number;
  /** Samples per output block. Default 1024. */
  readonly blockSize?: number;
  /** An interval longer than gapFactor × a stream's median interval is not interpolated across. Default 3. */
  readonly gapFactor?: number;
}

export interface MetaMotionPlan {
  /** Stream whose timestamps are kept. */
  readonly clock: MetaBaseKind;
  readonly clockFile: string;
  /** Median interval of each stream, ms (0 when a stream has fewer than two distinct times). */
  readonly periodMs: Readonly<Partial<Record<MetaBaseKind, number>>>;
  readonly originMs: number;
  /** The sensor's info with the merge described in `extra`. */
  readonly info: SensorInfo;
  readonly header: RecordingHeader;
}

/** Clock samples dropped, by where. */
export interface MetaMotionMergeStats {
  readonly emitted: number;
  readonly droppedLeading: number;
  readonly droppedInGaps: number;
  readonly droppedTrailing: number;
}

type Raw = string | Uint8Array;

function iteratorOf(source: ChunkSource): AsyncIterator<Raw> {
  const rs = source as ReadableStream<Raw>;
  if (typeof rs.getReader === 'function') {
    const reader = rs.getReader();
    return {
      next: async () => {
        const r = await reader.read();
        return r.done ? { done: true, value: undefined } : { done: false, value: r.value };
      },
      return: async () => {
        await reader.cancel();
        return { done: true, value: undefined };
      },
    };
  }
  const it = source as AsyncIterable<Raw> | Iterable<Raw>;
  if (Symbol.asyncIterator in it) return (it as AsyncIterable<Raw>)[Symbol.asyncIterator]();
  const sync = (it as Iterable<Raw>)[Symbol.iterator]();
  return {
    next: async () => sync.next(),
    return: async () => sync.return?.() ?? { done: true, value: undefined },
  };
}

/** One input file: raw chunks → parsed stream chunks, with a queue for what priming read. */
class Stream {
  readonly file: string;
  readonly parser: MetaBaseStreamParser;
  private readonly raw: AsyncIterator<Raw>;
  private readonly queue: StreamChunk[] = [];
  private ended = false;

  constructor(input: MetaMotionInput, blockSize: number) {
    this.file = input.file;
    this.parser = new MetaBaseStreamParser({ file: input.file, blockSize });
    this.raw = iteratorOf(input.chunks);
  }

  get header(): MetaBaseStreamHeader {
    return this.parser.header!;
  }

  /** Next parsed chunk, undefined at the end. */
  async next(): Promise<StreamChunk | undefined> {
    while (this.queue.length === 0) {
      if (this.ended) return undefined;
      const r = await this.raw.next();
      if (r.done) {
        this.ended = true;
        this.queue.push(...this.parser.finish());
      } else {
        this.queue.push(...this.parser.push(r.value));
      }
    }
    return this.queue.shift();
  }

  /** Read ahead until `n` samples are queued (or the end); returns the queued times. */
  async prime(n: number): Promise<Float64Array> {
    let have = this.queue.reduce((s, c) => s + c.epochMs.length, 0);
    while (have < n && !this.ended) {
      const r = await this.raw.next();
      if (r.done) {
        this.ended = true;
        this.queue.push(...this.parser.finish());
      } else {
        this.queue.push(...this.parser.push(r.value));
      }
      have = this.queue.reduce((s, c) => s + c.epochMs.length, 0);
    }
    const t = new Float64Array(Math.min(have, n));
    let k = 0;
    for (const c of this.queue) for (let i = 0; i < c.epochMs.length && k < t.length; i++) t[k++] = c.epochMs[i]!;
    return t;
  }

  async close(): Promise<void> {
    if (!this.ended) {
      this.ended = true;
      await this.raw.return?.();
    }
  }
}

const BEFORE = 1;
const AFTER = 2;
const GAP = 3;

/** A stream interpolated at the clock's times: a sliding window of its samples. */
class Follower {
  readonly kind: MetaBaseKind;
  readonly width: number;
  readonly out: Float64Array;
  private readonly stream: Stream;
  private readonly maxGapMs: number;
  private t = new Float64Array(256);
  private v: Float64Array;
  private n = 0;
  private pos = 0;
  private done = false;
  private firstT = NaN;
  private lastT = -Infinity;
  private readonly idx = new Int32Array(1);
  private readonly frac = new Float64Array(1);

  constructor(stream: Stream, periodMs: number, gapFactor: number) {
    this.stream = stream;
    this.kind = stream.header.kind;
    this.width = stream.header.width;
    this.out = new Float64Array(this.width);
    this.v = new Float64Array(256 * this.width);
    this.maxGapMs = periodMs > 0 ? gapFactor * periodMs : Infinity;
  }

  /** Read until a sample at or after `x` is buffered, or the stream ends. */
  async ensure(x: number): Promise<void> {
    while (!this.done && (this.n === 0 || this.t[this.n - 1]! < x)) {
      const c = await this.stream.next();
      if (!c) this.done = true;
      else this.append(c);
    }
  }

  private append(c: StreamChunk): void {
    const m = c.epochMs.length;
    const w = this.width;
    // Drop what the clock has passed (keep the sample at pos: it brackets the next target).
    if (this.pos > 0) {
      this.t.copyWithin(0, this.pos, this.n);
      this.v.copyWithin(0, this.pos * w, this.n * w);
      this.n -= this.pos;
      this.pos = 0;
    }
    if (this.n + m > this.t.length) {
      let cap = this.t.length;
      while (cap < this.n + m) cap *= 2;
      const t = new Float64Array(cap);
      t.set(this.t.subarray(0, this.n));
      const v = new Float64Array(cap * w);
      v.set(this.v.subarray(0, this.n * w));
      this.t = t;
      this.v = v;
    }
    for (let j = 0; j < m; j++) {
      const e = c.epochMs[j]!;
      if (e < this.lastT) {
        throw new RecordingFormatError(`time goes back from ${this.lastT} ms to ${e} ms; streams are merged by time and need increasing timestamps`, {
          file: this.stream.file,
          line: this.stream.parser.lineOfSample(c.start + j) ?? 1,
          column: this.stream.header.epochColumn,
        });
      }
      this.lastT = e;
      this.t[this.n + j] = e;
    }
    this.v.set(c.values, this.n * w);
    if (this.n === 0 && Number.isNaN(this.firstT)) this.firstT = c.epochMs[0]!;
    this.n += m;
  }

  /** Interpolate at `x` into `out`; 0 on success, else BEFORE / AFTER / GAP. */
  sample(x: number): number {
    const t = this.t;
    if (this.n === 0 || x < this.firstT) return BEFORE;
    if (x > t[this.n - 1]!) return AFTER;
    while (this.pos + 1 < this.n && t[this.pos + 1]! <= x) this.pos++;
    const i = this.pos;
    const a = t[i]!;
    let f = 0;
    if (a !== x) {
      const d = t[i + 1]! - a;
      if (d > this.maxGapMs) return GAP;
      f = (x - a) / d;
    }
    this.idx[0] = i;
    this.frac[0] = f;
    if (this.width === 4) interpolateQuat(this.out, this.v, this.idx, this.frac, 1);
    else interpolateLinear(this.out, this.v, 3, this.idx, this.frac, 1);
    return 0;
  }
}

function hz(periodMs: number | undefined): string {
  return periodMs !== undefined && periodMs > 0 ? `${Number((1000 / periodMs).toPrecision(3))} Hz` : 'rate unknown';
}

/**
 * Merge the stream files of one board. Call {@link plan} (reads the first samples of every
 * stream), then iterate {@link blocks} once. Throws RecordingFormatError for bad files, a
 * missing partner stream (accelerometer without gyroscope) or time going backwards.
 */
export class MetaMotionMerger {
  private readonly base: SensorInfo;
  private readonly options: MetaMotionMergeOptions;
  private readonly blockSize: number;
  private readonly streams: Stream[];
  private planned: MetaMotionPlan | undefined;
  private clock: Stream | undefined;
  private followers: Follower[] = [];
  private readonly segMerged: number[] = [];
  private readonly segClock: number[] = [];
  /** Output samples from this index on have no known line (segment list full). */
  private segEnd = Infinity;
  private stat = { emitted: 0, droppedLeading: 0, droppedInGaps: 0, droppedTrailing: 0 };

  constructor(inputs: readonly MetaMotionInput[], base: SensorInfo, options: MetaMotionMergeOptions = {}) {
    if (inputs.length === 0) throw new RangeError('MetaMotionMerger: no input files');
    this.base = base;
    this.options = options;
    this.blockSize = options.blockSize ?? DEFAULT_BLOCK_SIZE;
    if (!Number.isInteger(this.blockSize) || this.blockSize < 1) throw new RangeError(`blockSize must be a positive integer, got ${this.blockSize}`);
    const g = options.gapFactor ?? 3;
    if (!(g >= 1) || !Number.isFinite(g)) throw new RangeError(`gapFactor must be a finite number ≥ 1, got ${g}`);
    this.streams = inputs.map((i) => new Stream(i, this.blockSize));
  }

  get stats(): MetaMotionMergeStats {
    return { ...this.stat };
  }

  /** Read the first samples of every stream; decide the clock and describe the merge. */
  async plan(): Promise<MetaMotionPlan> {
    if (this.planned) return this.planned;
    const periods: Partial<Record<MetaBaseKind, number>> = {};
    const byKind = new Map<MetaBaseKind, Stream>();
    const firsts: number[] = [];
    for (const s of this.streams) {
      const t = await s.prime(PRIME_SAMPLES + 1);
      const kind = s.header.kind;
      const other = byKind.get(kind);
      if (other) throw new RecordingFormatError(`a second ${METABASE_KIND_LABEL[kind]} stream for the same board (the other is ${other.file})`, { file: s.file, line: s.header.line });
      byKind.set(kind, s);
      periods[kind] = medianIntervalOrZero(t);
      firsts.push(t[0]!);
    }
    const acc = byKind.get('acc');
    const gyr = byKind.get('gyr');
    if ((acc === undefined) !== (gyr === undefined)) {
      const [have, missing] = acc ? [acc, 'Gyroscope'] : [gyr!, 'Accelerometer'];
      throw new RecordingFormatError(
        `${METABASE_KIND_LABEL[have.header.kind]} stream without its ${missing.toLowerCase()} stream: kinemetry needs both (a …_${missing}_….csv export of the same board and session next to it)`,
        { file: have.file, line: have.header.line },
      );
    }
    if (!acc && !byKind.has('quat')) {
      const s = this.streams[0]!;
      throw new RecordingFormatError('a magnetometer stream alone is not a recording: export the Accelerometer and Gyroscope (or Quaternion) streams too', { file: s.file, line: s.header.line });
    }
    const rate = (s: Stream) => (periods[s.header.kind]! > 0 ? periods[s.header.kind]! : Infinity);
    const clock = acc && gyr ? (rate(gyr) < rate(acc) ? gyr : acc) : byKind.get('quat')!;
    const gapFactor = this.options.gapFactor ?? 3;
    this.clock = clock;
    this.followers = this.streams.filter((s) => s !== clock).map((s) => new Follower(s, periods[s.header.kind]!, gapFactor));
    const originMs = this.options.originMs ?? Math.min(...firsts);

    const order: MetaBaseKind[] = ['acc', 'gyr', 'mag', 'quat'];
    const present = order.filter((k) => byKind.has(k));
    const label = (k: MetaBaseKind) => METABASE_KIND_LABEL[k];
    const others = present.filter((k) => k !== clock.header.kind);
    const extra: Record<string, string> = { ...(this.base.extra ?? {}) };
    extra.metabase_streams = present.map((k) => `${label(k)} ${hz(periods[k])} [${byKind.get(k)!.header.unit.name}]`).join(', ');
    extra.merge =
      others.length === 0
        ? `${label(clock.header.kind)} timestamps as recorded`
        : `${others.map(label).join(', ')} interpolated onto the ${label(clock.header.kind)} timestamps (linear${others.includes('quat') ? ', SLERP for the quaternion' : ''}); never across a gap longer than ${gapFactor} of that stream's median intervals: ${label(clock.header.kind)} samples there, or outside the other streams' time span, are dropped and the gap is marked`;
    extra.time_origin_epoch_ms = String(originMs);
    const info: SensorInfo = { ...this.base, extra };
    const channels: ChannelDescription[] = [{ channel: 'tS', columns: [clock.header.epochColumn], unit: { name: 'ms', quantity: 'time', toInternal: 1e-3 } }];
    for (const k of present) {
      const h = byKind.get(k)!.header;
      channels.push({ channel: k, columns: h.columns, unit: h.unit });
    }
    this.planned = {
      clock: clock.header.kind,
      clockFile: clock.file,
      periodMs: periods,
      originMs,
      info,
      header: { sensors: [{ info, channels }], line: clock.header.line },
    };
    return this.planned;
  }

  /** 1-based line, in the clock stream's file, of output sample `index`. */
  lineOfSample(index: number): number | undefined {
    if (!this.clock || !(index >= 0) || index >= this.stat.emitted || index >= this.segEnd || this.segMerged.length === 0) return undefined;
    let lo = 0;
    let hi = this.segMerged.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.segMerged[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return this.clock.parser.lineOfSample(this.segClock[lo]! + (index - this.segMerged[lo]!));
  }

  /** Stop reading (closes the inputs). */
  async close(): Promise<void> {
    await Promise.all(this.streams.map((s) => s.close()));
  }

  /** The merged blocks (iterate once). */
  async *blocks(): AsyncGenerator<SampleBlock, void, undefined> {
    const plan = await this.plan();
    const clock = this.clock!;
    const followers = this.followers;
    const kind = clock.header.kind;
    const w = clock.header.width;
    const present = new Set<MetaBaseKind>([kind, ...followers.map((f) => f.kind)]);
    const m = this.blockSize;
    const periodS = (plan.periodMs[kind] ?? 0) / 1000;
    const origin = plan.originMs;
    let block: BlockBuilder | undefined;
    let fill = 0;
    let gapS = 0;
    let prevX = -Infinity;
    let lastOutX = NaN;
    let pendingDrops = 0;
    let lastClockIndex = -2;
    const arrays = (b: BlockBuilder): Record<MetaBaseKind, Float64Array | undefined> => ({ acc: b.accMS2, gyr: b.gyrRadS, mag: b.magUT, quat: b.quat });
    const newBlock = (): BlockBuilder => {
      const b: BlockBuilder = { info: plan.info, tS: new Float64Array(m) };
      if (present.has('acc')) {
        b.accMS2 = new Float64Array(3 * m);
        b.gyrRadS = new Float64Array(3 * m);
      }
      if (present.has('mag')) b.magUT = new Float64Array(3 * m);
      if (present.has('quat')) b.quat = new Float64Array(4 * m);
      if (gapS > 0) b.gapBeforeS = gapS;
      gapS = 0;
      return b;
    };
    const finishBlock = (b: BlockBuilder, n: number): SampleBlock => {
      if (n === m) return b;
      const out: BlockBuilder = { info: b.info, tS: b.tS.slice(0, n) };
      if (b.accMS2) out.accMS2 = b.accMS2.slice(0, 3 * n);
      if (b.gyrRadS) out.gyrRadS = b.gyrRadS.slice(0, 3 * n);
      if (b.magUT) out.magUT = b.magUT.slice(0, 3 * n);
      if (b.quat) out.quat = b.quat.slice(0, 4 * n);
      if (b.gapBeforeS !== undefined) out.gapBeforeS = b.gapBeforeS;
      return out;
    };

    try {
      for (let c = await clock.next(); c; c = await clock.next()) {
        const n = c.epochMs.length;
        const lastX = c.epochMs[n - 1]!;
        for (const f of followers) await f.ensure(lastX);
        const ready: SampleBlock[] = [];
        for (let i = 0; i < n; i++) {
          const x = c.epochMs[i]!;
          if (x < prevX) {
            throw new RecordingFormatError(`time goes back from ${prevX} ms to ${x} ms; streams are merged by time and need increasing timestamps`, {
              file: clock.file,
              line: clock.parser.lineOfSample(c.start + i) ?? 1,
              column: clock.header.epochColumn,
            });
          }
          prevX = x;
          let ok = true;
          for (const f of followers) {
            if (f.sample(x) !== 0) {
              ok = false;
              break;
            }
          }
          if (!ok) {
            if (this.stat.emitted === 0) this.stat.droppedLeading++;
            else pendingDrops++;
            continue;
          }
          if (pendingDrops > 0) {
            this.stat.droppedInGaps += pendingDrops;
            pendingDrops = 0;
            if (block && fill > 0) ready.push(finishBlock(block, fill));
            block = undefined;
            fill = 0;
            const missing = (x - lastOutX) / 1000 - periodS;
            if (missing > 0) gapS = missing;
          }
          block ??= newBlock();
          const out = arrays(block);
          block.tS[fill] = (x - origin) / 1000;
          out[kind]!.set(c.values.subarray(w * i, w * i + w), w * fill);
          for (const f of followers) out[f.kind]!.set(f.out, f.width * fill);
          const clockIndex = c.start + i;
          if (clockIndex !== lastClockIndex + 1 && this.stat.emitted < this.segEnd) {
            if (this.segMerged.length >= 1 << 16) {
              this.segEnd = this.stat.emitted;
            } else {
              this.segMerged.push(this.stat.emitted);
              this.segClock.push(clockIndex);
            }
          }
          lastClockIndex = clockIndex;
          lastOutX = x;
          this.stat.emitted++;
          fill++;
          if (fill === m) {
            ready.push(block);
            block = undefined;
            fill = 0;
          }
        }
        yield* ready;
      }
      this.stat.droppedTrailing = pendingDrops;
      if (block && fill > 0) yield finishBlock(block, fill);
      if (this.stat.emitted === 0) {
        throw new RecordingFormatError(
          `no ${METABASE_KIND_LABEL[kind]} sample has data of the other streams around it (${followers.map((f) => METABASE_KIND_LABEL[f.kind]).join(', ')}): the files do not overlap in time`,
          { file: clock.file, line: clock.header.line },
        );
      }
    } finally {
      await this.close();
    }
  }
}
