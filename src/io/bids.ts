/**
 * BIDS motion reader (browser-safe): `*_motion.tsv` is a headerless tab-separated table, one
 * column per row of `*_channels.tsv`; `*_motion.json` gives the sampling frequency. Each
 * tracked point with ACCEL + GYRO channels (x, y, z; optional MAGN) and/or an ORNT quaternion
 * (`quat_w … quat_z`) becomes one sensor named after the tracked point. Time comes from a
 * LATENCY channel when there is one, else from the row index: t = i / SamplingFrequency
 * (computed from i, so it does not drift). `n/a` reads as NaN, kept for validation to report.
 * Other channel types (POS, VEL, JNTANG, Euler-angle ORNT, …) are not IMU data and are listed
 * in `extra.bids_ignored_channels` of every sensor.
 *
 * The companion files reach the parser as {@link ChunkParserOptions.sidecars} texts under the
 * roles {@link BIDS_CHANNELS_ROLE} and {@link BIDS_JSON_ROLE}; the Node layer finds them (with
 * the BIDS inheritance principle for the JSON).
 */
import { BlockPacker, LineMap } from './blockPacker';
import { BIDS_NA, parseBidsChannels } from './bidsChannels';
import type { BidsChannel } from './bidsChannels';
import { deviceFromJson, parseJsonObject, readStoredSensorInfo, samplingFrequencyHz } from './bidsJson';
import type { JsonObject } from './bidsJson';
import { baseName, bidsCompanionNames, isBidsMotionFileName } from './bidsNames';
import { DEFAULT_BLOCK_SIZE, sensorIdFromFileName } from './canonicalCsv';
import { RecordingFormatError } from './errors';
import type { ChannelDescription, ChannelName, ChunkParser, ChunkParserOptions, RecordingFormat, RecordingHeader, SidecarSpec } from './format';
import { parseNumberField } from './numberField';
import { TextLineSplitter, shownField } from './textLines';
import type { SampleBlock, SensorInfo } from '../samples/block';
import { UnknownUnitError, internalUnit, parseUnit } from '../samples/units';
import type { Quantity, Unit } from '../samples/units';

export const BIDS_CHANNELS_ROLE = 'channels';
export const BIDS_JSON_ROLE = 'motion.json';

/** Where one motion.tsv column goes. */
interface ColumnTarget {
  /** Sensor index, or −1 for the time column, or −2 for an ignored column. */
  readonly sensor: number;
  /** 0 acc, 1 gyr, 2 mag, 3 quat (for sensor columns). */
  readonly array: number;
  readonly offset: number;
  readonly factor: number;
}

/** A motion.tsv file's layout, decided from its sidecars. */
export interface BidsLayout {
  readonly sensors: readonly {
    readonly info: SensorInfo;
    readonly channels: readonly ChannelDescription[];
    readonly inertial: boolean;
    readonly mag: boolean;
    readonly quat: boolean;
  }[];
  /** Column of the LATENCY channel, −1 when time comes from the sampling frequency. */
  readonly timeColumn: number;
  /** Sampling frequency used for index-based time (Hz), when there is no LATENCY channel. */
  readonly rateHz: number | undefined;
  readonly columnCount: number;
  readonly columnNames: readonly string[];
  /** @internal */
  readonly targets: readonly ColumnTarget[];
}

const VECTOR_TYPES: Readonly<Record<string, { channel: ChannelName; quantity: Quantity; array: number }>> = {
  ACCEL: { channel: 'acc', quantity: 'acceleration', array: 0 },
  GYRO: { channel: 'gyr', quantity: 'angular-rate', array: 1 },
  MAGN: { channel: 'mag', quantity: 'magnetic-field', array: 2 },
};
const XYZ = ['x', 'y', 'z'];
const QUAT = ['quat_w', 'quat_x', 'quat_y', 'quat_z'];

function unitOf(ch: BidsChannel, quantity: Quantity, file: string): Unit {
  if (ch.units === BIDS_NA || ch.units === '') {
    if (quantity === 'dimensionless' || quantity === 'time') return internalUnit(quantity);
    throw new RecordingFormatError(`channel '${ch.name}' (${ch.type}) has no units`, { file, line: ch.line, column: 'units' });
  }
  try {
    return parseUnit(ch.units, quantity);
  } catch (e) {
    if (e instanceof UnknownUnitError) throw new RecordingFormatError(`channel '${ch.name}': ${e.message}`, { file, line: ch.line, column: 'units' });
    throw e;
  }
}

/**
 * Decide the layout of a motion.tsv from its channels.tsv and motion.json texts. `json` may be
 * undefined when there is a LATENCY channel or `options.rateHz`. Throws RecordingFormatError.
 */
export function planBidsLayout(
  channelsText: string,
  channelsFile: string,
  jsonText: string | undefined,
  jsonFile: string,
  options: { defaultSensorId?: string; rateHz?: number } = {},
): BidsLayout {
  const channels = parseBidsChannels(channelsText, channelsFile);
  const json: JsonObject = jsonText !== undefined ? parseJsonObject(jsonText, jsonFile) : {};
  const fileRateHz = samplingFrequencyHz(json, jsonFile);
  const targets: ColumnTarget[] = channels.map(() => ({ sensor: -2, array: 0, offset: 0, factor: 1 }));

  let timeColumn = -1;
  const latency = channels.findIndex((c) => c.type === 'LATENCY');
  if (latency !== -1) {
    timeColumn = latency;
    targets[latency] = { sensor: -1, array: 0, offset: 0, factor: unitOf(channels[latency]!, 'time', channelsFile).toInternal };
  }
  const rateHz = options.rateHz ?? fileRateHz;
  if (timeColumn === -1 && rateHz === undefined) {
    throw new RecordingFormatError(
      `no LATENCY channel and no SamplingFrequency in ${baseName(jsonFile)}: the samples cannot be timed (give the rate, e.g. --rate 100)`,
      { file: channelsFile, line: 1 },
    );
  }

  // Tracked points in order of first appearance.
  const points = new Map<string, BidsChannel[]>();
  channels.forEach((c) => {
    if (c.type === 'LATENCY') return;
    const list = points.get(c.trackedPoint);
    if (list) list.push(c);
    else points.set(c.trackedPoint, [c]);
  });

  const sensors: BidsLayout['sensors'][number][] = [];
  const ignored: string[] = [];
  const skipped: string[] = [];
  const fallbackId = options.defaultSensorId ?? 'sensor';
  for (const [point, list] of points) {
    const vectors = new Map<string, (BidsChannel | undefined)[]>();
    const quat: (BidsChannel | undefined)[] = [undefined, undefined, undefined, undefined];
    let hasQuat = false;
    const put = (slot: (BidsChannel | undefined)[], k: number, c: BidsChannel) => {
      const prev = slot[k];
      if (prev) {
        throw new RecordingFormatError(`tracked point '${point}' has two ${c.type} ${c.component} channels ('${prev.name}' on line ${prev.line} and '${c.name}')`, {
          file: channelsFile,
          line: c.line,
        });
      }
      slot[k] = c;
    };
    for (const c of list) {
      if (VECTOR_TYPES[c.type] && XYZ.includes(c.component)) {
        let slot = vectors.get(c.type);
        if (!slot) vectors.set(c.type, (slot = [undefined, undefined, undefined]));
        put(slot, XYZ.indexOf(c.component), c);
      } else if (c.type === 'ORNT' && QUAT.includes(c.component)) {
        hasQuat = true;
        put(quat, QUAT.indexOf(c.component), c);
      } else {
        ignored.push(c.name);
      }
    }
    const complete = (type: string): BidsChannel[] | undefined => {
      const slot = vectors.get(type);
      if (!slot) return undefined;
      const missing = XYZ.filter((_, k) => !slot[k]);
      if (missing.length > 0) {
        const first = slot.find((c) => c)!;
        throw new RecordingFormatError(`tracked point '${point}': ${type} has no ${missing.join(', ')} component`, { file: channelsFile, line: first.line });
      }
      return slot as BidsChannel[];
    };
    const acc = complete('ACCEL');
    const gyr = complete('GYRO');
    const mag = complete('MAGN');
    if (hasQuat && quat.some((c) => !c)) {
      const first = quat.find((c) => c)!;
      const missing = QUAT.filter((_, k) => !quat[k]);
      throw new RecordingFormatError(`tracked point '${point}': ORNT quaternion has no ${missing.join(', ')} component`, { file: channelsFile, line: first.line });
    }
    const inertial = acc !== undefined && gyr !== undefined;
    if (!inertial && !hasQuat) {
      // An accelerometer alone (or a marker) is not something kinemetry can use as a sensor.
      for (const set of [acc, gyr, mag]) if (set) ignored.push(...set.map((c) => c.name));
      if (acc || gyr) skipped.push(`${point} (${acc ? 'ACCEL without GYRO' : 'GYRO without ACCEL'})`);
      continue;
    }
    if (!inertial) for (const set of [acc, gyr]) if (set) ignored.push(...set.map((c) => c.name));

    const s = sensors.length;
    const descriptions: ChannelDescription[] = [];
    const time = timeColumn !== -1 ? channels[timeColumn]! : undefined;
    descriptions.push({
      channel: 'tS',
      columns: time ? [time.name] : [],
      unit: time ? unitOf(time, 'time', channelsFile) : internalUnit('time'),
    });
    const addVector = (type: string, set: BidsChannel[] | undefined) => {
      if (!set) return;
      const spec = VECTOR_TYPES[type]!;
      const units = set.map((c) => unitOf(c, spec.quantity, channelsFile));
      units.forEach((u, k) => {
        if (u.toInternal !== units[0]!.toInternal) {
          throw new RecordingFormatError(`tracked point '${point}': ${type} components use different units (${units[0]!.name}, ${u.name})`, {
            file: channelsFile,
            line: set[k]!.line,
            column: 'units',
          });
        }
        targets[channels.indexOf(set[k]!)] = { sensor: s, array: spec.array, offset: k, factor: u.toInternal };
      });
      descriptions.push({ channel: spec.channel, columns: set.map((c) => c.name), unit: units[0]! });
    };
    if (inertial) {
      addVector('ACCEL', acc);
      addVector('GYRO', gyr);
    }
    addVector('MAGN', mag);
    if (hasQuat) {
      const q = quat as BidsChannel[];
      // Quaternion components are unit-free whatever the units column says (n/a, 1, "quaternion").
      q.forEach((c, k) => {
        targets[channels.indexOf(c)] = { sensor: s, array: 3, offset: k, factor: 1 };
      });
      descriptions.push({ channel: 'quat', columns: q.map((c) => c.name), unit: internalUnit('dimensionless') });
    }

    const sensorId = point === BIDS_NA || point === '' ? fallbackId : point;
    let info = readStoredSensorInfo(json, point, sensorId, jsonFile);
    if (!info) {
      const used = list.filter((c) => targets[channels.indexOf(c)]!.sensor === s);
      const built: { sensorId: string; placement?: string; rateHz?: number; device?: string } = { sensorId };
      const placement = used.find((c) => c.placement !== undefined)?.placement;
      if (placement !== undefined) built.placement = placement;
      const rate = used.find((c) => c.samplingFrequencyHz !== undefined)?.samplingFrequencyHz ?? fileRateHz;
      if (rate !== undefined) built.rateHz = rate;
      const device = deviceFromJson(json);
      if (device !== undefined) built.device = device;
      info = built;
    }
    sensors.push({ info, channels: descriptions, inertial, mag: mag !== undefined, quat: hasQuat });
  }

  if (sensors.length === 0) {
    const types = [...new Set(channels.map((c) => c.type))].join(', ');
    const why = skipped.length > 0 ? `; skipped ${skipped.join(', ')}` : '';
    throw new RecordingFormatError(
      `no IMU sensor in this file: kinemetry reads tracked points with ACCEL + GYRO channels (optionally MAGN) or an ORNT quaternion; found ${types}${why}`,
      { file: channelsFile, line: 1 },
    );
  }
  const withNotes = ignored.length > 0 || skipped.length > 0
    ? sensors.map((s) => {
        const extra: Record<string, string> = { ...(s.info.extra ?? {}) };
        if (ignored.length > 0) extra.bids_ignored_channels = ignored.join(' ');
        if (skipped.length > 0) extra.bids_skipped_points = skipped.join('; ');
        return { ...s, info: { ...s.info, extra } };
      })
    : sensors;
  return {
    sensors: withNotes,
    timeColumn,
    rateHz: timeColumn === -1 ? rateHz : undefined,
    columnCount: channels.length,
    columnNames: channels.map((c) => c.name),
    targets,
  };
}

export class BidsMotionParser implements ChunkParser {
  readonly layout: BidsLayout;
  private readonly file: string | undefined;
  private readonly splitter: TextLineSplitter;
  private readonly packers: BlockPacker[];
  private readonly lines = new LineMap();
  private readonly headerInfo: RecordingHeader;
  private out: SampleBlock[] = [];
  private finished = false;
  private rows = 0;

  /** Throws RecordingFormatError when a sidecar is missing or malformed. */
  constructor(options: ChunkParserOptions = {}) {
    this.file = options.file;
    const file = options.file ?? '<input>_motion.tsv';
    const dir = file.slice(0, file.length - baseName(file).length);
    const names = bidsCompanionNames(file);
    const channelsText = options.sidecars?.[BIDS_CHANNELS_ROLE];
    if (channelsText === undefined) {
      throw new RecordingFormatError(`BIDS motion data needs its channels file ${names.channels} (it names the columns)`, { file, line: 1 });
    }
    const planOptions: { defaultSensorId?: string; rateHz?: number } = {};
    const fallback = options.defaultSensorId ?? sensorIdFromFileName(file);
    if (fallback !== undefined) planOptions.defaultSensorId = fallback;
    if (options.rateHz !== undefined) planOptions.rateHz = options.rateHz;
    this.layout = planBidsLayout(channelsText, dir + names.channels, options.sidecars?.[BIDS_JSON_ROLE], dir + names.json, planOptions);
    const blockSize = options.blockSize ?? DEFAULT_BLOCK_SIZE;
    this.packers = this.layout.sensors.map((s) => new BlockPacker([s.info], { inertial: s.inertial, mag: s.mag, quat: s.quat }, blockSize));
    this.headerInfo = { sensors: this.layout.sensors.map((s) => ({ info: s.info, channels: s.channels })), line: 0 };
    this.splitter = new TextLineSplitter(options.file, (text, lineNo) => this.row(text, lineNo));
  }

  get header(): RecordingHeader {
    return this.headerInfo;
  }

  get samples(): number {
    return this.rows;
  }

  lineOfSample(index: number): number | undefined {
    return this.lines.lineOf(index);
  }

  push(chunk: string | Uint8Array): SampleBlock[] {
    if (this.finished) throw new Error('BidsMotionParser: push after finish');
    this.splitter.push(chunk);
    return this.take();
  }

  finish(): SampleBlock[] {
    if (this.finished) return [];
    this.splitter.finish();
    this.finished = true;
    if (this.rows === 0) {
      throw new RecordingFormatError(this.splitter.hasInput ? 'no data rows' : 'empty file', { file: this.file, line: Math.max(1, this.splitter.lineNo) });
    }
    for (const p of this.packers) p.flush(this.out);
    return this.take();
  }

  private take(): SampleBlock[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private row(text: string, lineNo: number): void {
    if (text.trim() === '') return;
    const L = this.layout;
    const fields = text.split('\t');
    if (fields.length !== L.columnCount) {
      throw new RecordingFormatError(`expected ${L.columnCount} tab-separated fields (one per row of the channels file), found ${fields.length}`, {
        file: this.file,
        line: lineNo,
      });
    }
    let t = L.timeColumn === -1 ? this.rows / L.rateHz! : NaN;
    const packers = this.packers;
    for (let k = 0; k < fields.length; k++) {
      const target = L.targets[k]!;
      if (target.sensor === -2) continue;
      const field = fields[k]!;
      let v: number | undefined = field === BIDS_NA ? NaN : parseNumberField(field, false);
      if (v === undefined) throw new RecordingFormatError(`${shownField(field)} is not a number`, { file: this.file, line: lineNo, column: L.columnNames[k]! });
      if (target.factor !== 1) v *= target.factor;
      if (target.sensor === -1) {
        t = v;
        continue;
      }
      const p = packers[target.sensor]!;
      const r = p.row;
      switch (target.array) {
        case 0:
          p.acc[0]![3 * r + target.offset] = v;
          break;
        case 1:
          p.gyr[0]![3 * r + target.offset] = v;
          break;
        case 2:
          p.mag[0]![3 * r + target.offset] = v;
          break;
        default:
          p.quat[0]![4 * r + target.offset] = v;
      }
    }
    for (const p of packers) {
      p.tS[p.row] = t;
      p.commit(this.out);
    }
    this.lines.add(this.rows, lineNo);
    this.rows++;
  }
}

export const bidsMotionFormat: RecordingFormat = {
  name: 'bids',
  description: 'BIDS motion: headerless *_motion.tsv with *_channels.tsv and *_motion.json next to it (one sensor per tracked point)',
  extensions: ['_motion.tsv'],
  sniff(head: string, fileName?: string): boolean {
    if (fileName === undefined || !isBidsMotionFileName(fileName)) return false;
    const first = head.replace(/^\uFEFF/, '').split('\n').find((l) => l.trim() !== '');
    // Headerless: the first line holds numbers and n/a only.
    return first === undefined || /^[\s\d.eE+\-naNA/fiItyY]*$/.test(first.replace(/\r$/, ''));
  },
  sidecars(fileName: string): readonly SidecarSpec[] {
    const names = bidsCompanionNames(fileName);
    return [
      { role: BIDS_CHANNELS_ROLE, fileName: names.channels, required: true },
      { role: BIDS_JSON_ROLE, fileName: names.json, required: false },
    ];
  },
  createParser: (options) => new BidsMotionParser(options),
};

/** Parse a whole motion.tsv text with its sidecar texts (tests, small files). */
export function parseBidsMotion(text: string, options: ChunkParserOptions): SampleBlock[] {
  const p = new BidsMotionParser(options);
  const blocks = p.push(text);
  for (const b of p.finish()) blocks.push(b);
  return blocks;
}
