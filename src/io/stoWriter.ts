/**
 * OpenSim / OpenSense orientation `.sto` writer (browser-safe, streaming): orientation blocks
 * of one or more sensors → `DataRate`/`DataType=Quaternion`/`version=3`/`OpenSimVersion`
 * header, `endheader`, then `time` and one `w,x,y,z` column per sensor (named by its
 * `sensorId`; OpenSense maps `<body>_imu` columns to model bodies, so name sensors e.g.
 * `femur_r_imu` for OpenSense).
 *
 * A row holds one sample of every sensor, so the sensors must share their time stamps
 * (within `timeToleranceS`). The writer does not resample: put sensors from different
 * clocks onto one grid first (`alignBlocks`), deliberately, rather than have a file writer
 * interpolate orientations behind the caller's back. Quaternions are written unchanged (no
 * frame rotation; see ./sto). Numbers are written as the shortest decimal that reads back to
 * the same double, so a written file reads back bit for bit.
 */
import type { SampleBlock } from '../samples/block';
import { medianIntervalOrZero } from '../samples/rate';
import { RecordingWriteError } from './errors';
import { formatNumberField } from './numberField';

export interface StoWriterOptions {
  /**
   * Sensors to write, in column order. Default: the sensors of the leading blocks in order of
   * appearance, up to the first sensor that repeats (a stream interleaved by time, such as a
   * session's or an .sto reader's, starts with one block of each sensor).
   */
  readonly sensors?: readonly string[];
  /** `DataRate` in the header, Hz. Default: the first sensor's `info.rateHz`, else measured from its first block (median interval), else none is written. */
  readonly rateHz?: number;
  /** Largest difference between the sensors' times within one row, s. Default 1e-9. */
  readonly timeToleranceS?: number;
  /** `OpenSimVersion` header value. Default `4.5` (the layout is that of OpenSim 4.x). */
  readonly opensimVersion?: string;
  /** Line ending. Default `\n`. */
  readonly newline?: '\n' | '\r\n';
}

interface Queue {
  readonly blocks: SampleBlock[];
  /** Next sample in blocks[0]. */
  offset: number;
}

/** Streaming writer: `push` each block (any interleaving of the sensors), then `finish`. */
export class StoWriter {
  private readonly options: StoWriterOptions;
  private readonly tolS: number;
  private readonly nl: string;
  private columns: string[] | undefined;
  private readonly queues = new Map<string, Queue>();
  /** Blocks seen while the column set is still being discovered. */
  private discovery: SampleBlock[] | undefined;
  private headerDone = false;
  private rows = 0;
  private done = false;

  constructor(options: StoWriterOptions = {}) {
    this.options = options;
    const tol = options.timeToleranceS ?? 1e-9;
    if (!(tol >= 0) || !Number.isFinite(tol)) throw new RecordingWriteError(`timeToleranceS must be a finite number ≥ 0, got ${tol}`);
    this.tolS = tol;
    this.nl = options.newline ?? '\n';
    if (options.rateHz !== undefined && (!(options.rateHz > 0) || !Number.isFinite(options.rateHz))) {
      throw new RecordingWriteError(`rateHz must be a positive number, got ${options.rateHz}`);
    }
    if (options.sensors) {
      if (options.sensors.length === 0) throw new RecordingWriteError('no sensors to write');
      this.setColumns([...options.sensors]);
    } else {
      this.discovery = [];
    }
  }

  /** Text of the rows completed by this block (with the header before the first row). */
  push(block: SampleBlock): string {
    if (this.done) throw new RecordingWriteError('StoWriter: push after finish');
    this.check(block);
    if (block.tS.length === 0) return '';
    if (this.discovery) {
      const id = block.info.sensorId;
      if (!this.discovery.some((b) => b.info.sensorId === id)) {
        this.discovery.push(block);
        return '';
      }
      this.closeDiscovery();
    }
    this.enqueue(block);
    return this.drain();
  }

  /** Remaining rows. Throws RecordingWriteError when nothing was written or sensors have different sample counts. */
  finish(): string {
    if (this.done) return '';
    this.done = true;
    if (this.discovery) {
      if (this.discovery.length === 0) throw new RecordingWriteError('no blocks to write');
      this.closeDiscovery();
    }
    const text = this.drain();
    for (const [id, q] of this.queues) {
      const left = q.blocks.reduce((n, b) => n + b.tS.length, 0) - q.offset;
      if (left > 0) {
        const short = this.columns!.find((c) => this.remaining(c) === 0)!;
        throw new RecordingWriteError(
          `sensor '${id}' has ${left} more sample${left > 1 ? 's' : ''} than '${short}' after ${this.rows} rows; an .sto row needs one sample of every sensor at the same time (resample onto one clock first)`,
        );
      }
    }
    if (!this.headerDone) throw new RecordingWriteError('no samples to write');
    return text;
  }

  private check(block: SampleBlock): void {
    const id = block.info.sensorId;
    const n = block.tS.length;
    if (!block.quat) {
      throw new RecordingWriteError(`sensor '${id}': block has no orientation (quat); an OpenSim .sto stores orientations only (run fusion first)`);
    }
    if (block.quat.length !== 4 * n) throw new RecordingWriteError(`sensor '${id}': quaternion length ${block.quat.length} does not match its ${n} samples`);
    if (this.columns && !this.queues.has(id)) {
      throw new RecordingWriteError(
        this.options.sensors
          ? `block of sensor '${id}', which is not among the sensors to write (${this.columns.join(', ')})`
          : `sensor '${id}' first appears after other sensors' data; pass the sensors to write (option 'sensors')`,
      );
    }
  }

  private setColumns(ids: string[]): void {
    const seen = new Set<string>();
    for (const id of ids) {
      if (id === '' || id !== id.trim() || /[\t\r\n]/.test(id)) {
        throw new RecordingWriteError(`sensor name ${JSON.stringify(id)} cannot be an .sto column (empty, tab, line break, or leading/trailing space)`);
      }
      if (id.toLowerCase() === 'time') throw new RecordingWriteError(`a sensor called '${id}' would clash with the time column`);
      if (seen.has(id.toLowerCase())) throw new RecordingWriteError(`sensor '${id}' given twice (column names are compared case-insensitively)`);
      seen.add(id.toLowerCase());
      this.queues.set(id, { blocks: [], offset: 0 });
    }
    this.columns = ids;
  }

  private closeDiscovery(): void {
    const blocks = this.discovery!;
    this.discovery = undefined;
    this.setColumns(blocks.map((b) => b.info.sensorId));
    for (const b of blocks) this.enqueue(b);
  }

  private enqueue(block: SampleBlock): void {
    this.queues.get(block.info.sensorId)!.blocks.push(block);
  }

  private remaining(id: string): number {
    const q = this.queues.get(id)!;
    return q.blocks.reduce((n, b) => n + b.tS.length, 0) - q.offset;
  }

  private header(first: SampleBlock): string {
    let rate = this.options.rateHz ?? first.info.rateHz;
    if (rate === undefined) {
      const d = medianIntervalOrZero(first.tS);
      // A measured rate carries rounding noise (100.00000000000213 Hz); 9 significant digits say it.
      if (d > 0) rate = Number((1 / d).toPrecision(9));
    }
    const lines: string[] = [];
    if (rate !== undefined && rate > 0 && Number.isFinite(rate)) lines.push(`DataRate=${formatNumberField(rate)}`);
    lines.push('DataType=Quaternion', 'version=3', `OpenSimVersion=${this.options.opensimVersion ?? '4.5'}`, 'endheader');
    lines.push(['time', ...this.columns!].join('\t'));
    return lines.join(this.nl) + this.nl;
  }

  private drain(): string {
    const cols = this.columns;
    if (!cols) return '';
    const queues = cols.map((c) => this.queues.get(c)!);
    if (queues.some((q) => q.blocks.length === 0)) return '';
    let text = '';
    if (!this.headerDone) {
      text = this.header(queues[0]!.blocks[0]!);
      this.headerDone = true;
    }
    const f = formatNumberField;
    const parts: string[] = [];
    const tol = this.tolS;
    for (;;) {
      // Rows while every sensor has a sample; then drop used-up blocks.
      let n = Infinity;
      for (const q of queues) n = Math.min(n, q.blocks[0]!.tS.length - q.offset);
      const q0 = queues[0]!;
      const t0s = q0.blocks[0]!.tS;
      for (let r = 0; r < n; r++) {
        const t0 = t0s[q0.offset + r]!;
        let line = f(t0);
        for (let s = 0; s < queues.length; s++) {
          const q = queues[s]!;
          const b = q.blocks[0]!;
          const i = q.offset + r;
          const t = b.tS[i]!;
          if (t !== t0 && !(Math.abs(t - t0) <= tol) && !(Number.isNaN(t) && Number.isNaN(t0))) {
            throw new RecordingWriteError(
              `sensors '${cols[0]}' and '${cols[s]}' are not on a common time base (row ${this.rows + r + 1}: ${t0} s vs ${t} s); an .sto row needs one sample of every sensor at the same time (resample onto one clock first, e.g. alignBlocks)`,
            );
          }
          const qa = b.quat!;
          const o = 4 * i;
          line += `\t${f(qa[o]!)},${f(qa[o + 1]!)},${f(qa[o + 2]!)},${f(qa[o + 3]!)}`;
        }
        parts.push(line);
      }
      this.rows += n;
      let empty = false;
      for (const q of queues) {
        q.offset += n;
        if (q.offset === q.blocks[0]!.tS.length) {
          q.blocks.shift();
          q.offset = 0;
        }
        if (q.blocks.length === 0) empty = true;
      }
      if (empty) break;
    }
    return parts.length === 0 ? text : text + parts.join(this.nl) + this.nl;
  }
}

/** Header and rows of an .sto file, piece by piece. Throws RecordingWriteError. */
export function* formatSto(blocks: Iterable<SampleBlock>, options: StoWriterOptions = {}): Generator<string, void, undefined> {
  const w = new StoWriter(options);
  for (const b of blocks) {
    const s = w.push(b);
    if (s !== '') yield s;
  }
  const s = w.finish();
  if (s !== '') yield s;
}

/** {@link formatSto} over an async source. */
export async function* formatStoAsync(
  blocks: AsyncIterable<SampleBlock> | Iterable<SampleBlock>,
  options: StoWriterOptions = {},
): AsyncGenerator<string, void, undefined> {
  const w = new StoWriter(options);
  for await (const b of blocks) {
    const s = w.push(b);
    if (s !== '') yield s;
  }
  const s = w.finish();
  if (s !== '') yield s;
}

/** The whole .sto file as one string (small recordings, tests). */
export function stoText(blocks: Iterable<SampleBlock>, options: StoWriterOptions = {}): string {
  let s = '';
  for (const piece of formatSto(blocks, options)) s += piece;
  return s;
}
