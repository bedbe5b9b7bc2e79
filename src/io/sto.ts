/**
 * OpenSim / OpenSense orientation `.sto` reader (browser-safe, streaming).
 *
 * Layout (as written by OpenSim's `STOFileAdapterQuaternion` and OpenSense's IMU data
 * readers, e.g. `*_orientations.sto`):
 *
 * ```
 * DataRate=100.000000
 * DataType=Quaternion
 * version=3
 * OpenSimVersion=4.5
 * endheader
 * time<TAB>pelvis_imu<TAB>femur_r_imu
 * 0<TAB>0.99,0.01,-0.02,0.1<TAB>0.98,0.1,0.05,-0.1
 * ```
 *
 * Header `key=value` lines up to `endheader`; then a tab-separated table: `time` (s) and one
 * column per IMU whose cells are `w,x,y,z` quaternions (scalar first, as kinemetry's).
 * Each column is one sensor: `sensorId` = the column name; `placement` = the OpenSim body
 * (the name without `_imu`, e.g. `femur_r`); `side` from OpenSim's `_r`/`_l` body suffix.
 * Blocks are orientation-only (`quat`). `DataRate` → `info.rateHz`; `version` and
 * `OpenSimVersion` go to `info.extra` (`sto_version`, `opensim_version`).
 *
 * Frames: an OpenSense orientation is the IMU frame relative to the IMU system's own world
 * frame (for Xsens data: ENU, z up); OpenSense rotates it into OpenSim's y-up ground only
 * later (`sensor_to_opensim_rotations`). kinemetry's q_GS (sensor → ENU global) is read and
 * written unchanged — no frame is rotated on read or write — so a file from an ENU system
 * (Xsens) or from kinemetry's fusion needs `sensor_to_opensim_rotations = -pi/2 0 0` in
 * OpenSense, as the Xsens examples use.
 */
import type { SampleBlock, SensorInfo } from '../samples/block';
import { internalUnit } from '../samples/units';
import { BlockPacker } from './blockPacker';
import { LineChunkParser } from './lineParser';
import { RecordingFormatError } from './errors';
import { extraKey, extraValue } from './extraKeys';
import type { ChunkParserOptions, RecordingFormat, SensorHeader } from './format';
import { parseNumberField } from './numberField';
import { shownField } from './textLines';

/** Header lines read before giving up on finding `endheader`. */
export const STO_MAX_HEADER_LINES = 10_000;

const RATE_RE = /^[+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** OpenSim body of an `<body>_imu` column, and the side its `_r`/`_l` suffix names. */
export function stoColumnInfo(column: string, rateHz: number | undefined, extra: Record<string, string>): SensorInfo {
  const info: { sensorId: string; placement?: string; side?: 'left' | 'right'; rateHz?: number; device?: string; extra?: Record<string, string> } = {
    sensorId: column,
  };
  const m = /^(.+)_imu$/i.exec(column);
  if (m) {
    info.placement = m[1]!;
    const side = /_([rl])$/i.exec(m[1]!);
    if (side) info.side = side[1]!.toLowerCase() === 'r' ? 'right' : 'left';
  }
  if (rateHz !== undefined) info.rateHz = rateHz;
  if (Object.keys(extra).length > 0) info.extra = { ...extra };
  return info;
}

type State = 'header' | 'columns' | 'data';

export class StoParser extends LineChunkParser {
  private state: State = 'header';

  private rateHz: number | undefined;
  private readonly extra: Record<string, string> = {};
  private names: string[] = [];

  constructor(options: ChunkParserOptions = {}) {
    super('StoParser', options);
  }

  protected checkComplete(): void {
    const where = { file: this.file, line: Math.max(1, this.lines.lineNo) };
    if (this.state === 'header') {
      throw new RecordingFormatError(
        this.lines.lineNo === 0 || !this.lines.hasInput ? 'empty file' : "no 'endheader' line (not an OpenSim .sto file?)",
        where,
      );
    }
    if (this.state === 'columns') throw new RecordingFormatError("no column header row after 'endheader'", where);
    if (this.samples === 0) throw new RecordingFormatError('no data rows after the header', { file: this.file, line: this.headerInfo!.line });
  }

  protected line(text: string, lineNo: number): void {
    if (this.state === 'data') {
      if (text.trim() !== '') this.dataRow(text, lineNo);
      return;
    }
    const trimmed = text.trim();
    if (this.state === 'header') {
      if (trimmed.toLowerCase() === 'endheader') {
        this.state = 'columns';
        return;
      }
      if (lineNo > STO_MAX_HEADER_LINES) this.fail(`no 'endheader' in the first ${STO_MAX_HEADER_LINES} lines (not an OpenSim .sto file?)`, lineNo);
      if (trimmed !== '') this.headerEntry(trimmed, lineNo);
      return;
    }
    if (trimmed !== '') this.columnRow(text, lineNo);
  }

  private headerEntry(text: string, lineNo: number): void {
    const eq = text.indexOf('=');
    // OpenSim's older storage files start with a bare table name; it names nothing we keep.
    if (eq <= 0) return;
    const key = text.slice(0, eq).trim();
    const value = extraValue(text.slice(eq + 1));
    switch (key.toLowerCase()) {
      case 'datarate': {
        const rate = RATE_RE.test(value) ? +value : NaN;
        if (!(rate > 0) || !Number.isFinite(rate)) this.fail(`DataRate must be a positive number, got '${value}'`, lineNo);
        this.rateHz = rate;
        return;
      }
      case 'datatype':
        if (value.toLowerCase() !== 'quaternion') {
          this.fail(`DataType=${value}: only orientation files (DataType=Quaternion) can be read`, lineNo);
        }
        return;
      case 'version':
        this.extra['sto_version'] = value;
        return;
      case 'opensimversion':
        this.extra['opensim_version'] = value;
        return;
      case 'nrows':
      case 'ncolumns':
        // Describe this file only; wrong after any conversion.
        return;
      default: {
        const k = extraKey(key, 'sto');
        if (k !== undefined) this.extra[k] = value;
      }
    }
  }

  private columnRow(text: string, lineNo: number): void {
    const fields = text.split('\t').map((f) => f.trim());
    if (fields.length > 1 && fields[fields.length - 1] === '') fields.pop();
    if (fields[0]!.toLowerCase() !== 'time') {
      this.fail(`the first column after 'endheader' must be 'time' (tab-separated), found ${shownField(fields[0]!)}`, lineNo);
    }
    if (fields.length < 2) this.fail("no orientation columns after 'time' (expected tab-separated <segment>_imu columns)", lineNo);
    const names = fields.slice(1);
    const seen = new Set<string>(['time']);
    for (const name of names) {
      if (name === '') this.fail('empty column name in the header row', lineNo);
      if (seen.has(name.toLowerCase())) this.fail('duplicate column', lineNo, name);
      seen.add(name.toLowerCase());
    }
    this.names = names;
    const infos = names.map((n) => stoColumnInfo(n, this.rateHz, this.extra));
    const sensors: SensorHeader[] = infos.map((info) => ({
      info,
      channels: [
        { channel: 'tS', columns: ['time'], unit: internalUnit('time') },
        { channel: 'quat', columns: [info.sensorId], unit: internalUnit('dimensionless') },
      ],
    }));
    this.headerInfo = { sensors, line: lineNo };
    this.packer = new BlockPacker(infos, { inertial: false, mag: false, quat: true }, this.blockSize);
    this.state = 'data';
  }

  private dataRow(text: string, lineNo: number): void {
    const packer = this.packer!;
    const k = this.names.length;
    const fields = text.split('\t');
    if (fields.length === k + 2 && fields[k + 1]!.trim() === '') fields.pop();
    if (fields.length !== k + 1) {
      this.fail(`expected ${k + 1} tab-separated fields (time and ${k} quaternion${k > 1 ? 's' : ''}), found ${fields.length}`, lineNo);
    }
    const i = packer.row;
    const t = parseNumberField(fields[0]!, false);
    if (t === undefined) this.fail(`${shownField(fields[0]!)} is not a number`, lineNo, 'time');
    packer.tS[i] = t;
    for (let s = 0; s < k; s++) {
      const cell = fields[s + 1]!;
      const q = packer.quat[s]!;
      const o = 4 * i;
      if (cell.trim() === '') {
        // A missing orientation, kept as NaN for validation to report.
        q[o] = q[o + 1] = q[o + 2] = q[o + 3] = NaN;
        continue;
      }
      const parts = cell.split(',');
      if (parts.length !== 4) {
        this.fail(`${shownField(cell)} is not a w,x,y,z quaternion (expected 4 comma-separated numbers, found ${parts.length})`, lineNo, this.names[s]!);
      }
      for (let c = 0; c < 4; c++) {
        const v = parseNumberField(parts[c]!, false);
        if (v === undefined) this.fail(`${shownField(parts[c]!)} is not a number (in quaternion ${shownField(cell)})`, lineNo, this.names[s]!);
        q[o + c] = v;
      }
    }
    this.lineMap.add(packer.samples, lineNo);
    packer.commit(this.out);
  }
}

/** Whether the start of a file is an OpenSim orientation table (`DataType=Quaternion` before `endheader`). */
export function sniffSto(head: string): boolean {
  let quaternion = false;
  let n = 0;
  for (const raw of head.split('\n')) {
    const line = raw.replace(/^\uFEFF/, '').trim().toLowerCase();
    if (line === 'endheader') return quaternion;
    if (/^datatype\s*=\s*quaternion$/.test(line)) quaternion = true;
    // A header line never holds a tab; a table row before endheader means this is no .sto.
    if (raw.includes('\t') || ++n > 200) return false;
  }
  return quaternion;
}

/** Parse a whole .sto text (small files, tests). Throws RecordingFormatError. */
export function parseSto(text: string, options: ChunkParserOptions = {}): SampleBlock[] {
  const parser = new StoParser(options);
  const blocks = parser.push(text);
  for (const b of parser.finish()) blocks.push(b);
  return blocks;
}

/** OpenSim orientation `.sto` in the format table (read; write with ./stoWriter). */
export const stoFormat: RecordingFormat = {
  name: 'sto',
  description: 'OpenSim/OpenSense orientation .sto: key=value header, endheader, time + one w,x,y,z column per <segment>_imu (orientation only)',
  extensions: ['.sto'],
  sniff: (head) => sniffSto(head),
  createParser: (options) => new StoParser(options),
};
