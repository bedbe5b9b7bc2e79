/**
 * Row-by-row filling of bounded SampleBlocks for one or several sensors that share a time
 * column (a file row holds one sample of every sensor), and the sample → file line map.
 * Parsers write values straight into the current arrays at `row`, then `commit`.
 */
import type { SampleBlock, SensorInfo } from '../samples/block';

export interface PackedChannels {
  /** Accelerometer + gyroscope. */
  readonly inertial: boolean;
  readonly mag: boolean;
  readonly quat: boolean;
}

type MutableBlock = {
  info: SensorInfo;
  tS: Float64Array;
  accMS2?: Float64Array;
  gyrRadS?: Float64Array;
  magUT?: Float64Array;
  quat?: Float64Array;
  gapBeforeS?: number;
};

const EMPTY = new Float64Array(0);

export class BlockPacker {
  readonly infos: readonly SensorInfo[];
  readonly channels: PackedChannels;
  readonly blockSize: number;
  /** Current block, time column (row-indexed). */
  tS: Float64Array = EMPTY;
  /** Current block, per sensor, interleaved xyz / wxyz (empty arrays for absent channels). */
  acc: Float64Array[] = [];
  gyr: Float64Array[] = [];
  mag: Float64Array[] = [];
  quat: Float64Array[] = [];
  private fill = 0;
  private emitted = 0;
  private pendingGapS = 0;

  constructor(infos: readonly SensorInfo[], channels: PackedChannels, blockSize: number) {
    if (!Number.isInteger(blockSize) || blockSize < 1) throw new RangeError(`blockSize must be a positive integer, got ${blockSize}`);
    this.infos = infos;
    this.channels = channels;
    this.blockSize = blockSize;
    this.allocate();
  }

  /** Row of the current block that the next sample goes to. */
  get row(): number {
    return this.fill;
  }

  /** Samples per sensor so far, the current row excluded. */
  get samples(): number {
    return this.emitted + this.fill;
  }

  /** The row is complete; a full block is emitted to `out`. */
  commit(out: SampleBlock[]): void {
    this.fill++;
    if (this.fill === this.blockSize) this.flush(out);
  }

  /**
   * The next sample follows `gapS` seconds of missing data (dropped packets): the current
   * block ends here and the next one carries `gapBeforeS`, where the validator sees it.
   */
  gapBefore(gapS: number, out: SampleBlock[]): void {
    this.flush(out);
    this.pendingGapS += gapS;
  }

  /** Emit the partial block (one block per sensor, in `infos` order). */
  flush(out: SampleBlock[]): void {
    const n = this.fill;
    if (n === 0) return;
    const full = n === this.blockSize;
    const cut = (a: Float64Array, stride: number) => (full ? a : a.slice(0, stride * n));
    const { inertial, mag, quat } = this.channels;
    for (let s = 0; s < this.infos.length; s++) {
      const tS = s === 0 ? cut(this.tS, 1) : this.tS.slice(0, n);
      const b: MutableBlock = { info: this.infos[s]!, tS };
      if (inertial) {
        b.accMS2 = cut(this.acc[s]!, 3);
        b.gyrRadS = cut(this.gyr[s]!, 3);
      }
      if (mag) b.magUT = cut(this.mag[s]!, 3);
      if (quat) b.quat = cut(this.quat[s]!, 4);
      if (this.pendingGapS > 0) b.gapBeforeS = this.pendingGapS;
      out.push(b);
    }
    this.pendingGapS = 0;
    this.emitted += n;
    this.allocate();
  }

  private allocate(): void {
    const m = this.blockSize;
    const k = this.infos.length;
    const { inertial, mag, quat } = this.channels;
    this.tS = new Float64Array(m);
    this.acc = Array.from({ length: k }, () => (inertial ? new Float64Array(3 * m) : EMPTY));
    this.gyr = Array.from({ length: k }, () => (inertial ? new Float64Array(3 * m) : EMPTY));
    this.mag = Array.from({ length: k }, () => (mag ? new Float64Array(3 * m) : EMPTY));
    this.quat = Array.from({ length: k }, () => (quat ? new Float64Array(4 * m) : EMPTY));
    this.fill = 0;
  }
}

/** Bound on the sample → line map (one entry per run of consecutive data lines). */
const MAX_LINE_SEGMENTS = 1 << 16;

/** Sample index → 1-based file line, stored as runs of consecutive lines (bounded memory). */
export class LineMap {
  private readonly segIndex: number[] = [];
  private readonly segLine: number[] = [];
  private lastLine = -1;
  private count = 0;
  /** Samples from this index on have no known line (map full). */
  private end = Infinity;

  /** Sample `index` (the next one, in order) was read from `line`. */
  add(index: number, line: number): void {
    if (line !== this.lastLine + 1 && index < this.end) {
      if (this.segIndex.length >= MAX_LINE_SEGMENTS) {
        this.end = index;
      } else {
        this.segIndex.push(index);
        this.segLine.push(line);
      }
    }
    this.lastLine = line;
    this.count = index + 1;
  }

  lineOf(index: number): number | undefined {
    if (!(index >= 0) || index >= this.count || index >= this.end || this.segIndex.length === 0 || !Number.isInteger(index)) return undefined;
    let lo = 0;
    let hi = this.segIndex.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.segIndex[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return this.segLine[lo]! + (index - this.segIndex[lo]!);
  }
}
