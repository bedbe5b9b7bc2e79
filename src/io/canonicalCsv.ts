/**
 * Canonical CSV reader core (browser-safe). Text arrives in chunks split anywhere; complete
 * lines are parsed as they appear and samples are packed into blocks of at most `blockSize`,
 * so memory stays bounded for a multi-hour recording. Values are read exactly: no resampling,
 * no dropping, no reordering — non-monotonic time and NaN are kept for validation to report.
 *
 * Layout: `# key: value` metadata lines, then a header row (`t,ax,ay,az,gx,gy,gz[,mx,my,mz][,qw,qx,qy,qz]`,
 * any order, each name optionally with a `[unit]`), then one row per sample. An
 * orientation-only file (fusion output, converted .sto data) has `t,qw,qx,qy,qz[,mx,my,mz]`
 * and no accelerometer/gyroscope columns; an accelerometer-only one (Polar H10) has
 * `t,ax,ay,az`. `#` lines after the header are comments; blank lines are ignored everywhere.
 */
import type { BlockBuilder, SampleBlock, SensorInfo } from '../samples/block';
import { parseHeaderRow } from './canonicalColumns';
import type { CanonicalHeaderRow } from './canonicalColumns';
import { RecordingFormatError } from './errors';
import type { ChunkParser, ChunkParserOptions, RecordingHeader } from './format';
import { applyMetadata, splitMetadataLine, toSensorInfo } from './metadata';
import type { MetadataAccumulator } from './metadata';
import { parseNumberField } from './numberField';
import { TextLineSplitter, shownField } from './textLines';

export const DEFAULT_BLOCK_SIZE = 1024;
export { MAX_LINE_CHARS } from './textLines';
/** Bound on the sample→line map (one entry per run of consecutive data lines). */
const MAX_LINE_SEGMENTS = 1 << 16;

/** Sensor name from a file name: its base name without the last extension. */
export function sensorIdFromFileName(file: string): string | undefined {
  const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  const stem = dot > 0 ? base.slice(0, dot) : base;
  return stem === '' ? undefined : stem;
}

/** Target arrays of a column: 0 t, 1 acc, 2 gyr, 3 mag, 4 quat. */
const TARGET = { tS: 0, acc: 1, gyr: 2, mag: 3, quat: 4 } as const;
const STRIDE: readonly number[] = [1, 3, 3, 3, 4];


export class CanonicalCsvParser implements ChunkParser {
  private readonly file: string | undefined;
  private readonly defaultSensorId: string;
  private readonly blockSize: number;

  private readonly lines: TextLineSplitter;
  private finished = false;
  /** 1-based number of the line being parsed. */
  private lineNo = 0;
  /** Blocks completed during the current push/finish. */
  private out: SampleBlock[] = [];
  private readonly meta: MetadataAccumulator = { extra: {} };

  private row: CanonicalHeaderRow | undefined;
  private headerInfo: RecordingHeader | undefined;
  private info: SensorInfo | undefined;
  private nFields = 0;
  private colTarget = new Uint8Array(0);
  private colStride = new Uint8Array(0);
  private colOffset = new Uint8Array(0);
  private colFactor = new Float64Array(0);
  private colNames: string[] = [];
  private decimalComma = false;

  private bufs: Float64Array[] = [];
  private fill = 0;
  private emitted = 0;

  private readonly segIndex: number[] = [];
  private readonly segLine: number[] = [];
  private lastDataLine = -1;
  /** Samples from this index on have no known line (segment map full). */
  private lineMapEnd = Infinity;

  constructor(options: ChunkParserOptions = {}) {
    this.file = options.file;
    this.defaultSensorId =
      options.defaultSensorId ?? (options.file !== undefined ? sensorIdFromFileName(options.file) : undefined) ?? 'sensor';
    const size = options.blockSize ?? DEFAULT_BLOCK_SIZE;
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`blockSize must be a positive integer, got ${size}`);
    this.blockSize = size;
    this.lines = new TextLineSplitter(options.file, (text, lineNo) => this.line(text, lineNo));
  }

  get header(): RecordingHeader | undefined {
    return this.headerInfo;
  }

  /** The parsed header row (delimiter, columns in file order). */
  get headerRow(): CanonicalHeaderRow | undefined {
    return this.row;
  }

  get samples(): number {
    return this.emitted + this.fill;
  }

  /** 1-based line of `# sensor:` if the file declared its sensor name. */
  get sensorLine(): number | undefined {
    return this.meta.sensorLine;
  }

  lineOfSample(index: number): number | undefined {
    if (!(index >= 0) || index >= this.samples || index >= this.lineMapEnd || this.segIndex.length === 0) return undefined;
    let lo = 0;
    let hi = this.segIndex.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.segIndex[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return this.segLine[lo]! + (index - this.segIndex[lo]!);
  }

  push(chunk: string | Uint8Array): SampleBlock[] {
    if (this.finished) throw new Error('CanonicalCsvParser: push after finish');
    this.lines.push(chunk);
    return this.take();
  }

  finish(): SampleBlock[] {
    if (this.finished) return [];
    this.lines.finish();
    this.finished = true;
    if (!this.row) {
      const what = this.lines.lineNo === 0 || !this.lines.hasInput ? 'empty file' : 'no header row (the file has only comments or blank lines)';
      throw new RecordingFormatError(what, { file: this.file, line: Math.max(1, this.lines.lineNo) });
    }
    if (this.samples === 0) {
      throw new RecordingFormatError('no data rows after the header', { file: this.file, line: this.headerInfo!.line });
    }
    if (this.fill > 0) this.out.push(this.emit(this.fill));
    return this.take();
  }

  private take(): SampleBlock[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  /** One line without its line break (the splitter strips CR too). */
  private line(text: string, lineNo: number): void {
    this.lineNo = lineNo;
    if (text.length === 0) return;
    const c = text.charCodeAt(0);
    if (c === 35 /* # */) {
      this.comment(text);
      return;
    }
    if (c <= 32 || c === 0xfeff) {
      const trimmed = text.trim();
      if (trimmed === '') return;
      if (trimmed.charCodeAt(0) === 35) {
        this.comment(trimmed);
        return;
      }
    }
    if (this.row) this.dataRow(text);
    else this.headerRow_(text);
  }

  private comment(text: string): void {
    // Metadata describes the whole recording, so only lines before the header count.
    if (this.row) return;
    const kv = splitMetadataLine(text);
    if (!kv) return;
    const err = applyMetadata(this.meta, kv.key, kv.value, this.lineNo);
    if (err !== undefined) throw new RecordingFormatError(err, { file: this.file, line: this.lineNo });
  }

  private headerRow_(text: string): void {
    const row = parseHeaderRow(text, this.file, this.lineNo);
    this.row = row;
    this.info = toSensorInfo(this.meta, this.defaultSensorId);
    this.headerInfo = { sensors: [{ info: this.info, channels: row.channels }], line: this.lineNo };
    const n = row.columns.length;
    this.nFields = n;
    this.colTarget = new Uint8Array(n);
    this.colStride = new Uint8Array(n);
    this.colOffset = new Uint8Array(n);
    this.colFactor = new Float64Array(n);
    this.colNames = row.columns.map((c) => c.name);
    row.columns.forEach((c, k) => {
      this.colTarget[k] = TARGET[c.channel];
      this.colStride[k] = STRIDE[TARGET[c.channel]];
      this.colOffset[k] = c.component;
      this.colFactor[k] = c.unit.toInternal;
    });
    this.decimalComma = row.delimiter !== ',';
    this.allocate();
  }

  private allocate(): void {
    const m = this.blockSize;
    const row = this.row!;
    this.bufs = [
      new Float64Array(m),
      row.hasAcc ? new Float64Array(3 * m) : new Float64Array(0),
      row.hasGyr ? new Float64Array(3 * m) : new Float64Array(0),
      row.hasMag ? new Float64Array(3 * m) : new Float64Array(0),
      row.hasQuat ? new Float64Array(4 * m) : new Float64Array(0),
    ];
    this.fill = 0;
  }

  private dataRow(text: string): void {
    const row = this.row!;
    const fields = text.split(row.delimiter);
    let n = fields.length;
    // Some exporters end every row with a delimiter; one empty trailing field is not data.
    if (n === this.nFields + 1 && fields[n - 1]!.trim() === '') n--;
    if (n !== this.nFields) {
      throw new RecordingFormatError(
        `expected ${this.nFields} fields (${this.colNames.join(row.delimiter === '\t' ? ' ' : row.delimiter)}), found ${fields.length}`,
        { file: this.file, line: this.lineNo },
      );
    }
    const i = this.fill;
    const bufs = this.bufs;
    for (let k = 0; k < n; k++) {
      const field = fields[k]!;
      let v = parseNumberField(field, this.decimalComma);
      if (v === undefined) {
        throw new RecordingFormatError(`${shownField(field)} is not a number`, {
          file: this.file,
          line: this.lineNo,
          column: this.colNames[k]!,
        });
      }
      const f = this.colFactor[k]!;
      if (f !== 1) v *= f;
      bufs[this.colTarget[k]!]![this.colStride[k]! * i + this.colOffset[k]!] = v;
    }
    this.mapLine(this.emitted + i);
    this.fill = i + 1;
    if (this.fill === this.blockSize) {
      this.out.push(this.emit(this.fill));
      this.emitted += this.blockSize;
      this.allocate();
    }
  }

  private mapLine(index: number): void {
    if (this.lineNo !== this.lastDataLine + 1 && index < this.lineMapEnd) {
      if (this.segIndex.length >= MAX_LINE_SEGMENTS) {
        this.lineMapEnd = index;
      } else {
        this.segIndex.push(index);
        this.segLine.push(this.lineNo);
      }
    }
    this.lastDataLine = this.lineNo;
  }

  private emit(n: number): SampleBlock {
    const full = n === this.blockSize;
    const take = (a: Float64Array, stride: number) => (full ? a : a.slice(0, stride * n));
    const [t, acc, gyr, mag, q] = this.bufs as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
    const block: BlockBuilder = { info: this.info!, tS: take(t, 1) };
    if (this.row!.hasAcc) block.accMS2 = take(acc, 3);
    if (this.row!.hasGyr) block.gyrRadS = take(gyr, 3);
    if (this.row!.hasMag) block.magUT = take(mag, 3);
    if (this.row!.hasQuat) block.quat = take(q, 4);
    return block;
  }
}

/** Parse a whole canonical CSV text (small files, tests). Throws RecordingFormatError. */
export function parseCanonicalCsv(text: string, options: ChunkParserOptions = {}): SampleBlock[] {
  const parser = new CanonicalCsvParser(options);
  const blocks = parser.push(text);
  for (const b of parser.finish()) blocks.push(b);
  return blocks;
}
