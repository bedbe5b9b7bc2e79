/**
 * MbientLab MetaMotion exports (MetaBase app, MetaWear SDK loggers): one CSV per sensor stream,
 *
 *   epoch (ms),time (01:00),elapsed (s),x-axis (g),y-axis (g),z-axis (g)          accelerometer
 *   epoch (ms),time (01:00),elapsed (s),x-axis (deg/s),y-axis (deg/s),z-axis (deg/s)  gyroscope
 *   epoch (ms),time (01:00),elapsed (s),x-axis (T),y-axis (T),z-axis (T)          magnetometer
 *   epoch (ms),time (01:00),elapsed (s),w (number),x (number),y (number),z (number)  quaternion
 *
 * (older exports spell `epoc (ms)` and `timestamp (-0700)`), named like
 * `MetaWear_2023-05-01T10.00.00.000_C5A1B2C3D4E5_Accelerometer_1.4.4.csv`. Time is taken from
 * the epoch column (wall-clock ms, shared by all streams and devices; `elapsed` restarts in
 * every file). Units come from the column labels as written (`(T)` is tesla, `(g)` standard
 * gravity). This module reads one stream file (browser-safe); ./metamotionMerge puts the
 * streams of one device onto one clock.
 */
import { LineMap } from './blockPacker';
import { DEFAULT_BLOCK_SIZE } from './canonicalCsv';
import { RecordingFormatError } from './errors';
import type { ChunkParser, RecordingFormat } from './format';
import { parseNumberField } from './numberField';
import { TextLineSplitter, shownField } from './textLines';
import type { SampleBlock } from '../samples/block';
import { UnknownUnitError, parseUnit } from '../samples/units';
import type { Quantity, Unit } from '../samples/units';

/** The streams kinemetry uses. */
export type MetaBaseKind = 'acc' | 'gyr' | 'mag' | 'quat';

export const METABASE_KIND_LABEL: Readonly<Record<MetaBaseKind, string>> = {
  acc: 'accelerometer',
  gyr: 'gyroscope',
  mag: 'magnetometer',
  quat: 'quaternion',
};

const KIND_QUANTITY: Readonly<Record<Exclude<MetaBaseKind, 'quat'>, Quantity>> = {
  acc: 'acceleration',
  gyr: 'angular-rate',
  mag: 'magnetic-field',
};

/** Stream names in MetaBase file names (lower case, spaces and dashes removed). */
const NAME_KINDS: Readonly<Record<string, MetaBaseKind | 'other'>> = {
  accelerometer: 'acc',
  acceleration: 'acc',
  gyroscope: 'gyr',
  gyro: 'gyr',
  angularvelocity: 'gyr',
  magnetometer: 'mag',
  magneticfield: 'mag',
  quaternion: 'quat',
  linearacceleration: 'other',
  gravity: 'other',
  eulerangles: 'other',
  pressure: 'other',
  temperature: 'other',
  humidity: 'other',
  illuminance: 'other',
  ambientlight: 'other',
  stepcounter: 'other',
  stepdetector: 'other',
  correctedacceleration: 'other',
  correctedangularvelocity: 'other',
  correctedmagneticfield: 'other',
};

/** What a MetaBase file name tells. */
export interface MetaBaseFileName {
  /** The name with the stream token removed: files of one device and session share it. */
  readonly key: string;
  /** Stream named in the file name; `other` for streams kinemetry does not use; undefined when none is named. */
  readonly kind: MetaBaseKind | 'other' | undefined;
  /** First token of a `Device_date_MAC_Stream_fw` name (the name given to the board in MetaBase). */
  readonly device?: string;
  /** Board MAC address as `C5:A1:B2:C3:D4:E5`. */
  readonly mac?: string;
  readonly firmware?: string;
}

/** Parse a MetaBase export file name (a path is fine). */
export function parseMetaBaseFileName(path: string): MetaBaseFileName {
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const stem = base.replace(/\.csv$/i, '');
  const tokens = stem.split('_');
  let kind: MetaBaseKind | 'other' | undefined;
  let kindAt = -1;
  tokens.forEach((tok, i) => {
    const k = NAME_KINDS[tok.toLowerCase().replace(/[\s-]/g, '')];
    if (k !== undefined && kindAt === -1) {
      kind = k;
      kindAt = i;
    }
  });
  const rest = kindAt === -1 ? tokens : tokens.filter((_, i) => i !== kindAt);
  const out: { key: string; kind: MetaBaseKind | 'other' | undefined; device?: string; mac?: string; firmware?: string } = {
    key: rest.join('_'),
    kind,
  };
  const mac = rest.find((t) => /^[0-9A-Fa-f]{12}$/.test(t));
  if (mac) out.mac = mac.toUpperCase().replace(/(..)(?!$)/g, '$1:');
  const fw = rest.find((t, i) => i > 0 && /^\d+\.\d+\.\d+$/.test(t));
  if (fw) out.firmware = fw;
  if (rest.length >= 2 && rest[0] !== '' && !/^\d/.test(rest[0]!)) out.device = rest[0]!;
  return out;
}

/** The header row of one stream file. */
export interface MetaBaseStreamHeader {
  readonly kind: MetaBaseKind;
  /** 3 for vectors, 4 for quaternions ([w, x, y, z]). */
  readonly width: 3 | 4;
  readonly unit: Unit;
  /** Value column names in component order, as written. */
  readonly columns: readonly string[];
  /** Name of the epoch column as written (`epoch (ms)` or `epoc (ms)`). */
  readonly epochColumn: string;
  readonly line: number;
  /** @internal field positions */
  readonly epochIndex: number;
  /** @internal */
  readonly valueIndex: readonly number[];
  /** @internal */
  readonly fieldCount: number;
}

const EPOCH_RE = /^epoch? \(ms\)$/i;
const AXIS_RE = /^([xyz])-axis \(([^)]*)\)$/i;
const QUAT_RE = /^([wxyz]) \(number\)$/i;

/** Does this line look like a MetaBase stream header? */
export function isMetaBaseHeader(line: string): boolean {
  const fields = line.replace(/^\uFEFF/, '').split(',').map((f) => f.trim());
  return fields.length >= 4 && EPOCH_RE.test(fields[0]!) && fields.some((f) => /^elapsed \(s\)$/i.test(f));
}

/**
 * Parse the header row. `named` is the stream the file name announces (checked against the
 * columns). Throws RecordingFormatError.
 */
export function parseMetaBaseHeader(text: string, file: string | undefined, line: number, named?: MetaBaseKind | 'other'): MetaBaseStreamHeader {
  const fields = text.split(',').map((f) => f.trim().replace(/^"|"$/g, ''));
  const epochIndex = fields.findIndex((f) => EPOCH_RE.test(f));
  if (epochIndex === -1) throw new RecordingFormatError(`no 'epoch (ms)' column: not a MetaBase stream export`, { file, line });
  const axes: { comp: number; index: number; unit: string }[] = [];
  const quat: { comp: number; index: number }[] = [];
  fields.forEach((f, index) => {
    const a = AXIS_RE.exec(f);
    if (a) axes.push({ comp: 'xyz'.indexOf(a[1]!.toLowerCase()), index, unit: a[2]!.trim() });
    const q = QUAT_RE.exec(f);
    if (q) quat.push({ comp: 'wxyz'.indexOf(q[1]!.toLowerCase()), index });
  });
  const where = { file, line };
  if (named === 'other') {
    throw new RecordingFormatError('this MetaBase stream (by its file name) is not one kinemetry reads: it reads Accelerometer, Gyroscope, Magnetometer and Quaternion exports', where);
  }
  if (quat.length > 0) {
    if (quat.length !== 4 || new Set(quat.map((q) => q.comp)).size !== 4) throw new RecordingFormatError('quaternion export needs w, x, y, z (number) columns', where);
    if (named !== undefined && named !== 'quat') throw new RecordingFormatError(`the file name says ${METABASE_KIND_LABEL[named]} but the columns hold a quaternion`, where);
    quat.sort((a, b) => a.comp - b.comp);
    return {
      kind: 'quat',
      width: 4,
      unit: parseUnit('1', 'dimensionless'),
      columns: quat.map((q) => fields[q.index]!),
      epochColumn: fields[epochIndex]!,
      line,
      epochIndex,
      valueIndex: quat.map((q) => q.index),
      fieldCount: fields.length,
    };
  }
  if (axes.length !== 3 || new Set(axes.map((a) => a.comp)).size !== 3) {
    throw new RecordingFormatError(`expected x-axis, y-axis and z-axis columns with a unit, e.g. 'x-axis (g)'`, where);
  }
  axes.sort((a, b) => a.comp - b.comp);
  const unitText = axes[0]!.unit;
  if (axes.some((a) => a.unit !== unitText)) throw new RecordingFormatError(`the axes use different units (${axes.map((a) => a.unit).join(', ')})`, where);
  const candidates: Exclude<MetaBaseKind, 'quat'>[] = named !== undefined ? [named as Exclude<MetaBaseKind, 'quat'>] : ['acc', 'gyr', 'mag'];
  let kind: Exclude<MetaBaseKind, 'quat'> | undefined;
  let unit: Unit | undefined;
  let lastError: UnknownUnitError | undefined;
  for (const k of candidates) {
    try {
      unit = parseUnit(unitText, KIND_QUANTITY[k]);
      kind = k;
      break;
    } catch (e) {
      if (!(e instanceof UnknownUnitError)) throw e;
      lastError = e;
    }
  }
  if (!kind || !unit) {
    const what = named !== undefined ? `${METABASE_KIND_LABEL[named]} (by the file name)` : 'accelerometer, gyroscope or magnetometer';
    throw new RecordingFormatError(`unit '${unitText}' is not one of an ${what}${lastError && named !== undefined ? `: ${lastError.message}` : ''}`, {
      ...where,
      column: fields[axes[0]!.index]!,
    });
  }
  return {
    kind,
    width: 3,
    unit,
    columns: axes.map((a) => fields[a.index]!),
    epochColumn: fields[epochIndex]!,
    line,
    epochIndex,
    valueIndex: axes.map((a) => a.index),
    fieldCount: fields.length,
  };
}

/** A run of consecutive samples of one stream, in source units converted to kinemetry's (values) and raw epoch ms. */
export interface StreamChunk {
  /** Wall-clock time of each sample, ms since 1970 (as in the file). */
  readonly epochMs: Float64Array;
  /** Values in internal units (m/s², rad/s, µT, 1), `width` per sample. */
  readonly values: Float64Array;
  /** Index of the first sample in the stream. */
  readonly start: number;
}

export interface MetaBaseStreamOptions {
  readonly file?: string;
  /** Samples per chunk. Default 1024. */
  readonly blockSize?: number;
  /** Stream announced by the file name (default: parsed from `file`). */
  readonly kind?: MetaBaseKind | 'other';
}

/**
 * One MetaBase stream file, incrementally. Throws RecordingFormatError (with file and line) on
 * a malformed header or row, an empty file, or a header without data. A chunk with a bad row
 * still returns the rows before it; the error comes with the next `push` or `finish`.
 */
export class MetaBaseStreamParser {
  readonly file: string | undefined;
  private readonly blockSize: number;
  private readonly named: MetaBaseKind | 'other' | undefined;
  private readonly splitter: TextLineSplitter;
  private readonly lines = new LineMap();
  private head: MetaBaseStreamHeader | undefined;
  private epoch = new Float64Array(0);
  private values = new Float64Array(0);
  private fill = 0;
  private count = 0;
  private out: StreamChunk[] = [];
  private finished = false;
  private first = NaN;
  /** An error in a chunk that also held good rows: thrown by the next call, once those rows are out. */
  private pending: RecordingFormatError | undefined;

  constructor(options: MetaBaseStreamOptions = {}) {
    this.file = options.file;
    const size = options.blockSize ?? DEFAULT_BLOCK_SIZE;
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`blockSize must be a positive integer, got ${size}`);
    this.blockSize = size;
    this.named = options.kind ?? (options.file !== undefined ? parseMetaBaseFileName(options.file).kind : undefined);
    this.splitter = new TextLineSplitter(options.file, (text, lineNo) => this.line(text, lineNo));
  }

  get header(): MetaBaseStreamHeader | undefined {
    return this.head;
  }

  /** Epoch of the first sample, ms (NaN before it is read). */
  get firstEpochMs(): number {
    return this.first;
  }

  get samples(): number {
    return this.count;
  }

  lineOfSample(index: number): number | undefined {
    return this.lines.lineOf(index);
  }

  push(chunk: string | Uint8Array): StreamChunk[] {
    if (this.finished) throw new Error('MetaBaseStreamParser: push after finish');
    if (this.pending) throw this.pending;
    try {
      this.splitter.push(chunk);
    } catch (e) {
      // The rows before the bad line go out first, so that the merge checks their time order
      // and the earliest problem in the file is the one reported, wherever chunks were cut.
      if (!(e instanceof RecordingFormatError) || !this.head) throw e;
      this.flush();
      if (this.out.length === 0) throw e;
      this.pending = e;
    }
    return this.take();
  }

  finish(): StreamChunk[] {
    if (this.finished) return [];
    if (this.pending) {
      this.finished = true;
      throw this.pending;
    }
    this.splitter.finish();
    this.finished = true;
    if (!this.head) throw new RecordingFormatError('empty file', { file: this.file, line: Math.max(1, this.splitter.lineNo) });
    if (this.count === 0) throw new RecordingFormatError('no data rows after the header', { file: this.file, line: this.head.line });
    this.flush();
    return this.take();
  }

  private take(): StreamChunk[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private line(text: string, lineNo: number): void {
    if (text.trim() === '') return;
    if (!this.head) {
      this.head = parseMetaBaseHeader(text, this.file, lineNo, this.named);
      this.allocate();
      return;
    }
    const h = this.head;
    const fields = text.split(',');
    let n = fields.length;
    if (n === h.fieldCount + 1 && fields[n - 1]!.trim() === '') n--;
    if (n !== h.fieldCount) {
      throw new RecordingFormatError(`expected ${h.fieldCount} comma-separated fields, found ${fields.length}`, { file: this.file, line: lineNo });
    }
    const e = parseNumberField(fields[h.epochIndex]!, false);
    if (e === undefined || !Number.isFinite(e)) {
      throw new RecordingFormatError(`${shownField(fields[h.epochIndex]!)} is not a time in ms`, { file: this.file, line: lineNo, column: h.epochColumn });
    }
    const i = this.fill;
    this.epoch[i] = e;
    const k = h.unit.toInternal;
    for (let c = 0; c < h.width; c++) {
      const field = fields[h.valueIndex[c]!]!;
      const v = parseNumberField(field, false);
      if (v === undefined) throw new RecordingFormatError(`${shownField(field)} is not a number`, { file: this.file, line: lineNo, column: h.columns[c]! });
      this.values[h.width * i + c] = v * k;
    }
    if (this.count === 0) this.first = e;
    this.lines.add(this.count, lineNo);
    this.count++;
    this.fill = i + 1;
    if (this.fill === this.blockSize) this.flush();
  }

  private allocate(): void {
    this.epoch = new Float64Array(this.blockSize);
    this.values = new Float64Array(this.blockSize * this.head!.width);
    this.fill = 0;
  }

  private flush(): void {
    const n = this.fill;
    if (n === 0) return;
    const full = n === this.blockSize;
    const w = this.head!.width;
    this.out.push({
      epochMs: full ? this.epoch : this.epoch.slice(0, n),
      values: full ? this.values : this.values.slice(0, n * w),
      start: this.count - n,
    });
    this.allocate();
  }
}

/**
 * The format-table entry. A MetaBase file holds one stream, and kinemetry's blocks need the
 * accelerometer and gyroscope together, so a lone stream file cannot be parsed into blocks:
 * the session layer groups the files of one device (see ./metamotionMerge and the Node
 * session reader); this parser says so instead of guessing.
 */
export const metaMotionFormat: RecordingFormat = {
  name: 'metamotion',
  description: 'MbientLab MetaBase/MetaWear CSV export, one file per stream (epoch (ms),…,x-axis (g),…); streams of one device are merged',
  extensions: ['.csv'],
  sniff(head: string): boolean {
    const first = head.replace(/^\uFEFF/, '').split('\n').find((l) => l.trim() !== '');
    return first !== undefined && isMetaBaseHeader(first.replace(/\r$/, ''));
  },
  createParser(options): ChunkParser {
    const file = options?.file;
    let lineNo = 0;
    const fail = (): never => {
      throw new RecordingFormatError(
        'a MetaBase export has one file per sensor stream; read the directory (or the accelerometer file with its gyroscope file next to it) so the streams can be merged',
        { file, line: Math.max(1, lineNo) },
      );
    };
    return {
      push(chunk: string | Uint8Array): SampleBlock[] {
        if ((typeof chunk === 'string' ? chunk.length : chunk.byteLength) > 0) lineNo = 1;
        return fail();
      },
      finish: fail,
      header: undefined,
      samples: 0,
      lineOfSample: () => undefined,
    };
  },
};
