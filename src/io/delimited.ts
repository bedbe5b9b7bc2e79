/**
 * Generic delimited text with a column map (browser-safe, streaming): any `,` / `;` / tab
 * separated table with a header row, e.g. the UCI Physical Therapy Exercises files
 * (`time index;acc_x;…;mag_z`, 25 Hz):
 *
 * ```
 * columns: t=time index,ax=acc_x,ay=acc_y,az=acc_z,gx=gyr_x,gy=gyr_y,gz=gyr_z   rateHz: 25
 * ```
 *
 * Map syntax and units: see ./columnMap. Time, in order:
 * - a `t` column with a time unit (`t=ts[ms]`) or, without a rate, unmarked (seconds);
 * - a `t` column given as a sample index (`t=n[index]`, or unmarked when a rate is given):
 *   `t = index / rateHz`, exactly as numbered (UCI PT counts from 1, so its first sample is
 *   at 0.04 s and sample index i is at i/25 s, matching its label files); a non-integer index
 *   is an error;
 * - no `t` column: `t = row / rateHz` from 0.
 *
 * Lines before the header starting with `#` or `//`, and blank lines, are skipped; so are
 * `#` lines later. Columns the map does not name are not parsed at all (text columns such
 * as labels are fine) and are listed in `info.extra.unmapped_columns`. With `;` or tab as
 * delimiter a decimal comma is accepted. This format is never detected from content: it is
 * used when asked for (`--format delimited`, or a column map given).
 */
import type { SampleBlock, SensorInfo } from '../samples/block';
import type { Unit } from '../samples/units';
import { BlockPacker } from './blockPacker';
import { LineChunkParser } from './lineParser';
import { sensorIdFromFileName } from './canonicalCsv';
import { detectDelimiter } from './canonicalColumns';
import type { Delimiter } from './canonicalColumns';
import { ColumnMapError, checkColumnMapTiming, parseColumnMap, resolveColumnMap } from './columnMap';
import type { ColumnMap, ResolvedColumn } from './columnMap';
import { RecordingFormatError } from './errors';
import type { ChannelDescription, ChannelName, ChunkParserOptions, RecordingFormat } from './format';
import { parseNumberField } from './numberField';
import { shownField, splitRow } from './textLines';

type TimeMode = 'value' | 'index' | 'row';

/** Target arrays: 0 t, 1 acc, 2 gyr, 3 mag, 4 quat. */
const TARGET: Readonly<Record<ChannelName, number>> = { tS: 0, acc: 1, gyr: 2, mag: 3, quat: 4 };
const STRIDE = [1, 3, 3, 3, 4];

function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
}

export class DelimitedParser extends LineChunkParser {
  private readonly sensorId: string;
  private readonly rateHz: number | undefined;
  private readonly map: ColumnMap;

  private delimiter: Delimiter = ',';
  private decimalComma = false;
  private nFields = 0;
  private cols: ResolvedColumn[] = [];
  private colTarget = new Uint8Array(0);
  private colOffset = new Uint8Array(0);
  private colFactor = new Float64Array(0);
  private timeMode: TimeMode = 'row';
  private timeCol = -1;

  /** Throws {@link ColumnMapError} when no usable map (and rate, if needed) is given. */
  constructor(options: ChunkParserOptions = {}) {
    super('DelimitedParser', options);
    this.sensorId = options.defaultSensorId ?? (options.file !== undefined ? sensorIdFromFileName(options.file) : undefined) ?? 'sensor';
    if (options.columns === undefined || options.columns.trim() === '') {
      throw new ColumnMapError('the delimited format needs a column map, e.g. "t=time,ax=acc_x,ay=acc_y,az=acc_z,gx=gyr_x,gy=gyr_y,gz=gyr_z" (--columns)');
    }
    this.map = parseColumnMap(options.columns);
    checkColumnMapTiming(this.map, options.rateHz);
    this.rateHz = options.rateHz;
  }

  protected checkComplete(): void {
    if (!this.headerInfo) {
      const what = this.lines.lineNo === 0 || !this.lines.hasInput ? 'empty file' : 'no header row (the file has only comments or blank lines)';
      throw new RecordingFormatError(what, { file: this.file, line: Math.max(1, this.lines.lineNo) });
    }
    if (this.samples === 0) throw new RecordingFormatError('no data rows after the header', { file: this.file, line: this.headerInfo.line });
  }

  protected line(text: string, lineNo: number): void {
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('#') || (!this.headerInfo && trimmed.startsWith('//'))) return;
    if (this.headerInfo) this.dataRow(text, lineNo);
    else this.headerRow(text, lineNo);
  }

  private headerRow(text: string, lineNo: number): void {
    const delimiter = detectDelimiter(text);
    if (delimiter === undefined) {
      this.fail(`cannot detect the delimiter of the header row (expected ',', ';' or tab between column names), found ${shownField(text)}`, lineNo);
    }
    const names = text.split(delimiter).map(unquote);
    if (names.length > 1 && names[names.length - 1] === '') names.pop();
    let cols: ResolvedColumn[];
    try {
      cols = resolveColumnMap(this.map, names);
    } catch (e) {
      if (e instanceof ColumnMapError) this.fail(e.message, lineNo);
      throw e;
    }
    this.delimiter = delimiter;
    this.decimalComma = delimiter !== ',';
    this.nFields = names.length;
    this.cols = cols;
    const n = cols.length;
    this.colTarget = new Uint8Array(n);
    this.colOffset = new Uint8Array(n);
    this.colFactor = new Float64Array(n);
    cols.forEach((c, k) => {
      this.colTarget[k] = TARGET[c.entry.channel];
      this.colOffset[k] = c.entry.component;
      this.colFactor[k] = c.unit.unit.toInternal;
    });
    const t = cols.findIndex((c) => c.entry.target === 't');
    this.timeCol = t;
    let timeUnit: Unit;
    let timeSource: string;
    if (t < 0) {
      this.timeMode = 'row';
      timeUnit = { name: `1/${this.rateHz}Hz`, quantity: 'time', toInternal: 1 / this.rateHz! };
      timeSource = `row number from 0 / ${this.rateHz} Hz`;
    } else if (cols[t]!.unit.index || (cols[t]!.implicitUnit && this.rateHz !== undefined)) {
      this.timeMode = 'index';
      timeUnit = { name: `1/${this.rateHz}Hz`, quantity: 'time', toInternal: 1 / this.rateHz! };
      timeSource = `'${cols[t]!.name}' as a sample index / ${this.rateHz} Hz`;
    } else {
      this.timeMode = 'value';
      timeUnit = cols[t]!.unit.unit;
      timeSource = `'${cols[t]!.name}' in ${timeUnit.name}`;
    }
    const mapped = new Set(cols.map((c) => c.field));
    const unmapped = names.filter((_, i) => !mapped.has(i));
    const extra: Record<string, string> = { column_map: this.map.text, time_source: timeSource };
    if (unmapped.length > 0) extra['unmapped_columns'] = unmapped.join(', ');
    const info: SensorInfo = this.rateHz !== undefined ? { sensorId: this.sensorId, rateHz: this.rateHz, extra } : { sensorId: this.sensorId, extra };
    const channels: ChannelDescription[] = [{ channel: 'tS', columns: t < 0 ? [] : [cols[t]!.name], unit: timeUnit }];
    for (const ch of ['acc', 'gyr', 'mag', 'quat'] as const) {
      const cs = cols.filter((c) => c.entry.channel === ch).sort((a, b) => a.entry.component - b.entry.component);
      if (cs.length > 0) channels.push({ channel: ch, columns: cs.map((c) => c.name), unit: cs[0]!.unit.unit });
    }
    this.headerInfo = { sensors: [{ info, channels }], line: lineNo };
    this.packer = new BlockPacker([info], { inertial: this.map.hasInertial, mag: this.map.hasMag, quat: this.map.hasQuat }, this.blockSize);
  }

  private dataRow(text: string, lineNo: number): void {
    const fields = splitRow(text, this.delimiter, this.nFields);
    if (fields.length !== this.nFields) {
      this.fail(`expected ${this.nFields} fields separated by ${this.delimiter === '\t' ? 'tab' : `'${this.delimiter}'`}, found ${fields.length}`, lineNo);
    }
    const p = this.packer!;
    const r = p.row;
    const arrays = [p.tS, p.acc[0]!, p.gyr[0]!, p.mag[0]!, p.quat[0]!];
    const cols = this.cols;
    for (let k = 0; k < cols.length; k++) {
      const c = cols[k]!;
      const field = fields[c.field]!;
      let v = parseNumberField(field, this.decimalComma);
      if (v === undefined) this.fail(`${shownField(field)} is not a number`, lineNo, c.name);
      if (k === this.timeCol) {
        if (this.timeMode === 'index') {
          if (Number.isFinite(v) && !Number.isInteger(v)) {
            this.fail(`${shownField(field)} is not a sample index (an integer); for a time in seconds map it with a unit, e.g. t=${c.name}[s]`, lineNo, c.name);
          }
          v = v / this.rateHz!;
        } else {
          v *= this.colFactor[k]!;
        }
      } else {
        const f = this.colFactor[k]!;
        if (f !== 1) v *= f;
      }
      const target = this.colTarget[k]!;
      arrays[target]![STRIDE[target]! * r + this.colOffset[k]!] = v;
    }
    if (this.timeMode === 'row') p.tS[r] = p.samples / this.rateHz!;
    this.lineMap.add(p.samples, lineNo);
    p.commit(this.out);
  }
}

/** Parse a whole delimited text (small files, tests). Throws RecordingFormatError / ColumnMapError. */
export function parseDelimited(text: string, options: ChunkParserOptions = {}): SampleBlock[] {
  const parser = new DelimitedParser(options);
  const blocks = parser.push(text);
  for (const b of parser.finish()) blocks.push(b);
  return blocks;
}

/** Generic delimited text in the format table: chosen explicitly (never sniffed, never scanned). */
export const delimitedFormat: RecordingFormat = {
  name: 'delimited',
  description: 'any delimited text with a header row, read through a column map (--columns "t=time,ax=acc_x,…", --rate when time is a sample index)',
  extensions: [],
  sniff: () => false,
  createParser: (options) => new DelimitedParser(options),
};
