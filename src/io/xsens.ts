/**
 * Xsens MT Manager text export reader (browser-safe, streaming): `//` header lines
 * (`// Update Rate: 100.0Hz`, `// Filter Profile: human (46.1)`, `// Coordinate system: ENU`,
 * …), then a tab-separated table `PacketCounter SampleTimeFine Acc_X … Quat_q0 …`.
 *
 * ## Channels and units
 * - `Acc_X/Y/Z` m/s² and `Gyr_X/Y/Z` rad/s (calibrated data, Xsens' SI output units), read
 *   when all six are present (a block holds both or neither).
 * - Orientation from `Quat_q0…q3` (w,x,y,z), else from the rotation matrix `Mat[r][c]`
 *   (element row r, column c of R_LS, sensor → local frame). Xsens' orientation is the
 *   sensor frame relative to the local frame L, ENU by default — kinemetry's q_GS. When the
 *   header declares `Coordinate system: NED` or `NWU` (an alignment of L only; the sensor
 *   frame is unchanged) the quaternion is rotated back into ENU: q_ENU,S = q_ENU,L ⊗ q_L,S.
 *   Without that line ENU is assumed (the default since the 4th-generation MTi; 3rd-generation
 *   MTx logs were NWU — declare it if so).
 * - `Mag_X/Y/Z` are NOT read: Xsens outputs the magnetic field in arbitrary units normalised
 *   to the field strength at calibration (≈ 1), not µT, and a block's `magUT` must be µT.
 *   `info.extra.magnetometer` says so. Every other column (`Roll Pitch Yaw`, `FreeAcc_*`,
 *   `UTC_*`, `StatusWord`, …) is ignored and listed in `info.extra.ignored_columns`.
 *
 * ## Time
 * - `SampleTimeFine`: the device clock in 10 kHz ticks (100 µs). It wraps at 2³² (MTi-1/600
 *   series) or after exactly one day, 864 000 000 ticks (MTi-10/100 series); a backwards step
 *   is unwrapped when the forward step modulo the wrap is under half the wrap period, else it
 *   is kept as time going backwards for validation to report. `t = ticks / 10 000` s, not
 *   rebased, so files recorded on one clock (an Awinda station's MTws) stay aligned.
 * - When `SampleTimeFine` is absent or empty in the first data row, `PacketCounter / rate`,
 *   else the row number / rate, with the rate from `ChunkParserOptions.rateHz` or the
 *   `Update Rate` header line.
 * - `PacketCounter` (16 bit, wraps at 65 536) marks dropped packets: a forward step of k > 1
 *   ends the current block and the next one carries `gapBeforeS` = (k − 1) periods, so the
 *   validator reports the gap with its missing-sample count. Repeated or backward counters
 *   are kept as they are.
 */
import * as mat3 from '../math/mat3';
import * as quat from '../math/quat';
import type { SampleBlock, SensorInfo } from '../samples/block';
import { internalUnit } from '../samples/units';
import type { Unit } from '../samples/units';
import { BlockPacker } from './blockPacker';
import { LineChunkParser } from './lineParser';
import { sensorIdFromFileName } from './canonicalCsv';
import { detectDelimiter } from './canonicalColumns';
import type { Delimiter } from './canonicalColumns';
import { RecordingFormatError } from './errors';
import { extraKey, extraValue } from './extraKeys';
import type { ChannelDescription, ChunkParserOptions, RecordingFormat } from './format';
import { parseNumberField } from './numberField';
import { shownField, splitRow } from './textLines';

/** SampleTimeFine ticks per second. */
export const XSENS_TICKS_PER_S = 10_000;
/** SampleTimeFine wrap of MTi-10/100-series devices: one day of ticks. */
export const XSENS_DAY_TICKS = 864_000_000;
/** SampleTimeFine wrap of MTi-1/600-series devices. */
export const XSENS_U32_TICKS = 2 ** 32;
/** PacketCounter wrap (16 bit). */
export const XSENS_COUNTER_WRAP = 65_536;

const ACC = ['acc_x', 'acc_y', 'acc_z'];
const GYR = ['gyr_x', 'gyr_y', 'gyr_z'];
const MAG = ['mag_x', 'mag_y', 'mag_z'];
const QUAT = ['quat_q0', 'quat_q1', 'quat_q2', 'quat_q3'];
/** Row-major element order of kinemetry's mat3. */
const MAT = ['mat[1][1]', 'mat[1][2]', 'mat[1][3]', 'mat[2][1]', 'mat[2][2]', 'mat[2][3]', 'mat[3][1]', 'mat[3][2]', 'mat[3][3]'];

const KNOWN_COLUMNS = new Set(['packetcounter', 'sampletimefine', ...ACC, ...GYR, ...MAG, ...QUAT, ...MAT]);

/** q_ENU,L for the local frames MT Manager can declare (rotation taking L coordinates to ENU). */
const LOCAL_TO_ENU: Readonly<Record<string, Float64Array | undefined>> = {
  enu: undefined,
  // NED (n, e, d) → ENU (e, n, −d).
  ned: mat3.toQuat(quat.create(), mat3.fromValues(0, 1, 0, 1, 0, 0, 0, 0, -1)),
  // NWU (n, w, u) → ENU (−w, n, u).
  nwu: mat3.toQuat(quat.create(), mat3.fromValues(0, -1, 0, 1, 0, 0, 0, 0, 1)),
};

const RATE_RE = /^[+]?(\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*(?:hz)?$/i;

type TimeSource = 'fine' | 'counter' | 'row';

interface Layout {
  readonly delimiter: Delimiter;
  readonly nFields: number;
  readonly names: readonly string[];
  readonly pc: number;
  readonly stf: number;
  /** Column indices, or undefined when the channel is not read. */
  readonly acc: readonly number[] | undefined;
  readonly gyr: readonly number[] | undefined;
  readonly quat: readonly number[] | undefined;
  readonly mat: readonly number[] | undefined;
  readonly ignored: readonly string[];
  readonly notes: Readonly<Record<string, string>>;
}

function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
}

/** Is this line, split by its delimiter, an MT Manager column header? */
function looksLikeXsensHeader(line: string): boolean {
  const d = detectDelimiter(line);
  const names = new Set((d === undefined ? [line] : line.split(d)).map((f) => unquote(f).toLowerCase()));
  const clock = names.has('packetcounter') || names.has('sampletimefine');
  const data = names.has('acc_x') || names.has('gyr_x') || names.has('quat_q0') || names.has('mat[1][1]');
  return clock && data;
}

/** Whether the start of a file is an MT Manager export (`//` lines, then its column header). */
export function sniffXsens(head: string): boolean {
  let n = 0;
  for (const raw of head.split('\n')) {
    const line = raw.replace(/^\uFEFF/, '').trim();
    if (line === '') continue;
    if (line.startsWith('//')) {
      if (++n > 500) return false;
      continue;
    }
    return looksLikeXsensHeader(line);
  }
  return false;
}

export class XsensParser extends LineChunkParser {
  private readonly sensorId: string;
  private readonly optionRateHz: number | undefined;

  // Header lines.
  private headerRateHz: number | undefined;
  private toEnu: Float64Array | undefined;
  private productCode: string | undefined;
  private deviceId: string | undefined;
  private readonly extra: Record<string, string> = {};

  private layout: Layout | undefined;
  private headerLine = 0;
  private timeSource: TimeSource = 'row';
  private rateHz: number | undefined;
  private decimalComma = false;
  private vals = new Float64Array(0);
  private readonly q = quat.create();
  private readonly m = mat3.create();

  // Clock state.
  private prevFine = NaN;
  private fineUnwrapped = 0;
  private prevCounter = NaN;
  private counterUnwrapped = 0;
  private prevT = NaN;
  /** Missing time before the current row (dropped packets), s. */
  private pendingGapS = 0;

  constructor(options: ChunkParserOptions = {}) {
    super('XsensParser', options);
    this.sensorId = options.defaultSensorId ?? (options.file !== undefined ? sensorIdFromFileName(options.file) : undefined) ?? 'sensor';
    if (options.rateHz !== undefined && (!(options.rateHz > 0) || !Number.isFinite(options.rateHz))) {
      throw new RangeError(`rateHz must be a positive number, got ${options.rateHz}`);
    }
    this.optionRateHz = options.rateHz;
  }

  protected checkComplete(): void {
    if (!this.layout) {
      const what = this.lines.lineNo === 0 || !this.lines.hasInput ? 'empty file' : 'no column header row (PacketCounter, SampleTimeFine, Acc_X, …) after the // lines';
      throw new RecordingFormatError(what, { file: this.file, line: Math.max(1, this.lines.lineNo) });
    }
    if (!this.packer) throw new RecordingFormatError('no data rows after the header', { file: this.file, line: this.headerLine });
  }

  protected line(text: string, lineNo: number): void {
    const trimmed = text.trim();
    if (trimmed === '') return;
    if (trimmed.startsWith('//')) {
      if (!this.layout) this.headerEntry(trimmed.slice(2).trim(), lineNo);
      return;
    }
    if (this.layout) this.dataRow(text, lineNo);
    else this.columnRow(text, lineNo);
  }

  private headerEntry(text: string, lineNo: number): void {
    const colon = text.indexOf(':');
    if (colon <= 0) return;
    const key = text.slice(0, colon).trim();
    const value = extraValue(text.slice(colon + 1));
    // Section titles ("General information:") have no value.
    if (value === '') return;
    const k = extraKey(key, 'xsens');
    if (k === undefined) return;
    this.extra[k] = value;
    switch (k) {
      case 'update_rate': {
        const m = RATE_RE.exec(value);
        const rate = m ? parseFloat(value) : NaN;
        if (!(rate > 0) || !Number.isFinite(rate)) this.fail(`Update Rate must be a positive number of Hz, got '${value}'`, lineNo);
        this.headerRateHz = rate;
        return;
      }
      case 'coordinate_system': {
        const cs = value.toLowerCase();
        if (!(cs in LOCAL_TO_ENU)) this.fail(`unknown coordinate system '${value}' (known: ENU, NED, NWU)`, lineNo);
        this.toEnu = LOCAL_TO_ENU[cs];
        return;
      }
      case 'product_code':
      case 'productcode':
        this.productCode = value;
        return;
      case 'device_id':
      case 'deviceid':
        this.deviceId = value;
        return;
      default:
    }
  }

  private columnRow(text: string, lineNo: number): void {
    const delimiter = detectDelimiter(text);
    const names = delimiter === undefined ? [] : text.split(delimiter).map(unquote);
    if (delimiter === undefined || !names.some((name) => KNOWN_COLUMNS.has(name.toLowerCase()))) {
      this.fail(
        `expected the MT Manager column header (tab-separated PacketCounter, SampleTimeFine, Acc_X, …), found ${shownField(text)}`,
        lineNo,
      );
    }
    if (names.length > 1 && names[names.length - 1] === '') names.pop();
    const byName = new Map<string, number>();
    names.forEach((n, i) => {
      const key = n.toLowerCase();
      if (key === '') this.fail('empty column name in the header row', lineNo);
      if (byName.has(key)) this.fail('duplicate column', lineNo, n);
      byName.set(key, i);
    });
    const notes: Record<string, string> = {};
    const group = (keys: readonly string[], label: string): number[] | undefined => {
      const idx = keys.map((k) => byName.get(k));
      const have = idx.filter((i) => i !== undefined).length;
      if (have === 0) return undefined;
      if (have < keys.length) {
        const missing = keys.filter((_, j) => idx[j] === undefined);
        this.fail(`incomplete ${label} columns: missing ${missing.map(xsensName).join(', ')}`, lineNo);
      }
      return idx as number[];
    };
    let acc = group(ACC, 'accelerometer');
    let gyr = group(GYR, 'gyroscope');
    const mag = group(MAG, 'magnetometer');
    const q = group(QUAT, 'quaternion');
    const mat = q ? undefined : group(MAT, 'rotation matrix');
    if ((acc === undefined) !== (gyr === undefined)) {
      const only = acc ? 'accelerometer' : 'gyroscope';
      notes['inertial'] = `not read: the export has ${only} columns only (a kinemetry block holds accelerometer and gyroscope together)`;
      acc = gyr = undefined;
    }
    if (mag) {
      notes['magnetometer'] = 'not read: Mag_X/Y/Z are in arbitrary units normalised to the field at calibration, not uT';
    }
    if (!acc && !q && !mat) {
      this.fail('no usable channels: need Acc_X…Acc_Z with Gyr_X…Gyr_Z, or Quat_q0…Quat_q3 (or Mat[1][1]…Mat[3][3])', lineNo);
    }
    const used = new Set<number>([...(acc ?? []), ...(gyr ?? []), ...(mag ?? []), ...(q ?? []), ...(mat ?? [])]);
    const pc = byName.get('packetcounter') ?? -1;
    const stf = byName.get('sampletimefine') ?? -1;
    if (pc >= 0) used.add(pc);
    if (stf >= 0) used.add(stf);
    const ignored = names.filter((_, i) => !used.has(i));
    this.layout = { delimiter, nFields: names.length, names, pc, stf, acc, gyr, quat: q, mat, ignored, notes };
    this.headerLine = lineNo;
    this.decimalComma = delimiter !== ',';
    this.vals = new Float64Array(names.length);
  }

  /** Decide the clock from the first data row; build infos, header and packer. */
  private start(lineNo: number): void {
    const L = this.layout!;
    this.rateHz = this.optionRateHz ?? this.headerRateHz;
    const fine = L.stf >= 0 ? this.vals[L.stf]! : NaN;
    const counter = L.pc >= 0 ? this.vals[L.pc]! : NaN;
    let timeUnit: Unit;
    let timeColumns: string[];
    if (Number.isFinite(fine)) {
      this.timeSource = 'fine';
      timeUnit = { name: '100us', quantity: 'time', toInternal: 1 / XSENS_TICKS_PER_S };
      timeColumns = [L.names[L.stf]!];
    } else if (this.rateHz === undefined) {
      this.fail(
        `no usable time: ${L.stf >= 0 ? 'SampleTimeFine is empty in the first data row' : 'no SampleTimeFine column'} and the export declares no Update Rate (give the rate, e.g. --rate 100)`,
        lineNo,
      );
    } else if (Number.isFinite(counter)) {
      this.timeSource = 'counter';
      timeUnit = { name: `1/${this.rateHz}Hz`, quantity: 'time', toInternal: 1 / this.rateHz };
      timeColumns = [L.names[L.pc]!];
    } else {
      this.timeSource = 'row';
      timeUnit = { name: `1/${this.rateHz}Hz`, quantity: 'time', toInternal: 1 / this.rateHz };
      timeColumns = [];
    }
    const extra: Record<string, string> = { ...this.extra, ...L.notes };
    extra['time_source'] =
      this.timeSource === 'fine'
        ? 'SampleTimeFine / 10000 (device clock, s)'
        : this.timeSource === 'counter'
          ? `PacketCounter / ${this.rateHz} Hz`
          : `row number / ${this.rateHz} Hz`;
    if (L.ignored.length > 0) extra['ignored_columns'] = L.ignored.join(' ');
    const info: { sensorId: string; rateHz?: number; device: string; extra: Record<string, string> } = {
      sensorId: this.sensorId,
      device: ['Xsens', this.productCode, this.deviceId].filter((s) => s !== undefined).join(' '),
      extra,
    };
    if (this.rateHz !== undefined) info.rateHz = this.rateHz;
    const channels: ChannelDescription[] = [{ channel: 'tS', columns: timeColumns, unit: timeUnit }];
    if (L.acc) {
      channels.push({ channel: 'acc', columns: L.acc.map((i) => L.names[i]!), unit: internalUnit('acceleration') });
      channels.push({ channel: 'gyr', columns: L.gyr!.map((i) => L.names[i]!), unit: internalUnit('angular-rate') });
    }
    const qCols = L.quat ?? L.mat;
    if (qCols) channels.push({ channel: 'quat', columns: qCols.map((i) => L.names[i]!), unit: internalUnit('dimensionless') });
    const sensorInfo: SensorInfo = info;
    this.headerInfo = { sensors: [{ info: sensorInfo, channels }], line: this.headerLine };
    this.packer = new BlockPacker([sensorInfo], { inertial: L.acc !== undefined, mag: false, quat: qCols !== undefined }, this.blockSize);
  }

  private dataRow(text: string, lineNo: number): void {
    const L = this.layout!;
    const fields = splitRow(text, L.delimiter, L.nFields);
    if (fields.length !== L.nFields) {
      this.fail(`expected ${L.nFields} fields, found ${fields.length} (truncated or garbled row?)`, lineNo);
    }
    const vals = this.vals;
    const read = (i: number) => {
      const v = parseNumberField(fields[i]!, this.decimalComma);
      if (v === undefined) this.fail(`${shownField(fields[i]!)} is not a number`, lineNo, L.names[i]!);
      vals[i] = v;
    };
    if (L.pc >= 0) {
      read(L.pc);
      const v = vals[L.pc]!;
      if (!Number.isNaN(v) && !(Number.isInteger(v) && v >= 0 && v < XSENS_COUNTER_WRAP)) {
        this.fail(`PacketCounter must be an integer 0–65535, got ${shownField(fields[L.pc]!)}`, lineNo, L.names[L.pc]!);
      }
    }
    if (L.stf >= 0) {
      read(L.stf);
      const v = vals[L.stf]!;
      if (!Number.isNaN(v) && !(Number.isInteger(v) && v >= 0 && v < XSENS_U32_TICKS)) {
        this.fail(`SampleTimeFine must be an integer 0–4294967295 (10 kHz ticks), got ${shownField(fields[L.stf]!)}`, lineNo, L.names[L.stf]!);
      }
    }
    if (L.acc) for (const i of L.acc) read(i);
    if (L.gyr) for (const i of L.gyr) read(i);
    if (L.quat) for (const i of L.quat) read(i);
    if (L.mat) for (const i of L.mat) read(i);

    if (!this.packer) this.start(lineNo);
    const packer = this.packer!;
    const t = this.clock();
    if (this.pendingGapS > 0) {
      packer.gapBefore(this.pendingGapS, this.out);
      this.pendingGapS = 0;
    }
    const r = packer.row;
    packer.tS[r] = t;
    if (L.acc) {
      const a = packer.acc[0]!;
      const g = packer.gyr[0]!;
      for (let c = 0; c < 3; c++) {
        a[3 * r + c] = vals[L.acc[c]!]!;
        g[3 * r + c] = vals[L.gyr![c]!]!;
      }
    }
    if (L.quat || L.mat) {
      const q = this.q;
      if (L.quat) {
        for (let c = 0; c < 4; c++) q[c] = vals[L.quat[c]!]!;
      } else {
        for (let c = 0; c < 9; c++) this.m[c] = vals[L.mat![c]!]!;
        mat3.toQuat(q, this.m);
      }
      if (this.toEnu) quat.multiply(q, this.toEnu, q);
      packer.quat[0]!.set(q, 4 * r);
    }
    this.lineMap.add(packer.samples, lineNo);
    packer.commit(this.out);
  }

  /** Time of the current row, s; updates the unwrapped clocks and notes dropped packets. */
  private clock(): number {
    const L = this.layout!;
    // Packet counter: unwrap, and count packets missing before this one.
    let steps = 1;
    if (L.pc >= 0) {
      const c = this.vals[L.pc]!;
      if (!Number.isNaN(c)) {
        if (Number.isNaN(this.prevCounter)) {
          this.counterUnwrapped = c;
        } else {
          const d = (((c - this.prevCounter) % XSENS_COUNTER_WRAP) + XSENS_COUNTER_WRAP) % XSENS_COUNTER_WRAP;
          const step = d < XSENS_COUNTER_WRAP / 2 ? d : d - XSENS_COUNTER_WRAP;
          this.counterUnwrapped += step;
          steps = step;
        }
        this.prevCounter = c;
      }
    }
    let t: number;
    switch (this.timeSource) {
      case 'fine': {
        const f = this.vals[L.stf]!;
        if (Number.isNaN(f)) {
          t = NaN;
        } else {
          this.fineUnwrapped = Number.isNaN(this.prevFine) ? f : this.fineUnwrapped + fineStep(this.prevFine, f);
          this.prevFine = f;
          t = this.fineUnwrapped / XSENS_TICKS_PER_S;
        }
        break;
      }
      case 'counter':
        t = Number.isNaN(this.vals[L.pc]!) ? NaN : this.counterUnwrapped / this.rateHz!;
        break;
      default:
        t = this.packer!.samples / this.rateHz!;
    }
    if (steps > 1) {
      const periodS = this.rateHz !== undefined ? 1 / this.rateHz : Number.isFinite(t - this.prevT) ? (t - this.prevT) / steps : NaN;
      if (periodS > 0) this.pendingGapS = (steps - 1) * periodS;
    }
    if (Number.isFinite(t)) this.prevT = t;
    return t;
  }
}

/**
 * Forward step of SampleTimeFine from `prev` to `next`, ticks, across a wrap at one day or at
 * 2³² (whichever the values allow); a step that is not a plausible wrap (more than half the
 * wrap period forward) is returned as the backward step it is.
 */
export function fineStep(prev: number, next: number): number {
  if (next >= prev) return next - prev;
  const wrap = prev < XSENS_DAY_TICKS ? XSENS_DAY_TICKS : XSENS_U32_TICKS;
  const forward = next + wrap - prev;
  return forward <= wrap / 2 ? forward : next - prev;
}

/** `acc_x` → `Acc_X`, `quat_q0` → `Quat_q0`, `mat[1][2]` → `Mat[1][2]` (for messages). */
function xsensName(key: string): string {
  return key.charAt(0).toUpperCase() + key.slice(1).replace(/_([xyz])$/, (_, c: string) => `_${c.toUpperCase()}`);
}

/** Parse a whole export text (small files, tests). Throws RecordingFormatError. */
export function parseXsens(text: string, options: ChunkParserOptions = {}): SampleBlock[] {
  const parser = new XsensParser(options);
  const blocks = parser.push(text);
  for (const b of parser.finish()) blocks.push(b);
  return blocks;
}

/** Xsens MT Manager export in the format table. */
export const xsensFormat: RecordingFormat = {
  name: 'xsens',
  description: 'Xsens MT Manager text export: // header lines, then PacketCounter, SampleTimeFine, Acc_*, Gyr_*, Quat_* columns (tab-separated)',
  extensions: ['.txt'],
  sniff: (head) => sniffXsens(head),
  createParser: (options) => new XsensParser(options),
};
