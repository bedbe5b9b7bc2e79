/**
 * BIDS motion writer (browser-safe): one tracking system = one `*_motion.tsv` table whose rows
 * hold one sample of every sensor in it, so the sensors of one writer must share one clock
 * (identical sample times). Blocks may arrive interleaved in any order (e.g. merged by time);
 * rows are emitted as soon as every sensor has reached them, so memory stays bounded. When
 * the times differ the writer stops with a RecordingWriteError instead of resampling: writing
 * one tracking system per sensor (what the Node dataset writer does for separate recordings)
 * is always exact.
 *
 * Layout written: first column `latency` (type LATENCY, s) carrying kinemetry's sample times
 * unchanged (so irregular timing and gaps survive), then per sensor `<sensor>_acc_x/y/z`
 * (ACCEL, m/s^2), `_gyr_*` (GYRO, rad/s), `_mag_*` (MAGN, uT), `_quat_w/x/y/z` (ORNT, n/a);
 * tracked_point = sensor name, `placement` column from SensorInfo. NaN is written as `n/a`.
 * The motion.json holds the REQUIRED TaskName, TrackingSystemName and SamplingFrequency (the
 * sensors' declared rate when they agree, else the rate of the median sampling interval of
 * the first 4096 rows, to 9 significant digits; `n/a` when not measurable), channel
 * counts, and each sensor's full SensorInfo under `KinemetrySensorInfo` (see ./bidsJson).
 */
import type { SampleBlock, SensorInfo } from '../samples/block';
import { BIDS_NA, formatBidsChannels } from './bidsChannels';
import type { BidsChannelRow } from './bidsChannels';
import { KINEMETRY_SENSORS_KEY, storedSensorInfo } from './bidsJson';
import type { StoredSensorInfo } from './bidsJson';
import { RecordingWriteError } from './errors';
import type { SensorHeader } from './format';
import { formatNumberField } from './numberField';

/** Which channels a sensor contributes to the table. */
export interface BidsSensorLayout {
  readonly info: SensorInfo;
  /** Accelerometer + gyroscope. */
  readonly inertial: boolean;
  readonly mag: boolean;
  readonly quat: boolean;
}

export function bidsLayoutOfHeader(sensor: SensorHeader): BidsSensorLayout {
  const has = (c: string) => sensor.channels.some((d) => d.channel === c);
  return { info: sensor.info, inertial: has('acc') && has('gyr'), mag: has('mag'), quat: has('quat') };
}

export function bidsLayoutOfBlock(block: SampleBlock): BidsSensorLayout {
  return { info: block.info, inertial: block.accMS2 !== undefined && block.gyrRadS !== undefined, mag: block.magUT !== undefined, quat: block.quat !== undefined };
}

export interface BidsWriterOptions {
  /** motion.json `TaskName` (REQUIRED by BIDS), e.g. `walking`. */
  readonly taskName: string;
  /** motion.json `TrackingSystemName` (REQUIRED by BIDS). */
  readonly trackingSystemName: string;
  /** More motion.json fields (TaskDescription, Manufacturer, InstitutionName, …). */
  readonly json?: Readonly<Record<string, unknown>>;
  /** A sensor may run this many samples ahead of another before the clocks count as different. Default 2²⁰. */
  readonly maxPendingSamples?: number;
}

interface Queue {
  blocks: SampleBlock[];
  /** Read position in blocks[0]. */
  pos: number;
  pending: number;
}

/** Intervals kept to measure the sampling rate when none is declared. */
const RATE_INTERVALS = 4096;

const num = (x: number) => (Number.isNaN(x) ? BIDS_NA : formatNumberField(x));

function checkText(what: string, text: string): void {
  if (/[\t\r\n]/.test(text)) throw new RecordingWriteError(`${what} ${JSON.stringify(text)} contains a tab or line break, which a TSV cell cannot hold`);
}

export class BidsMotionWriter {
  readonly sensors: readonly BidsSensorLayout[];
  private readonly options: BidsWriterOptions;
  private readonly index = new Map<string, number>();
  private readonly queues: Queue[];
  private readonly maxPending: number;
  private rowCount = 0;
  private firstT = NaN;
  private lastT = NaN;
  private readonly intervals = new Float64Array(RATE_INTERVALS);
  private intervalCount = 0;
  private finished = false;

  /** Throws RecordingWriteError for names a BIDS table cannot hold or a sensor without channels. */
  constructor(sensors: readonly BidsSensorLayout[], options: BidsWriterOptions) {
    if (sensors.length === 0) throw new RecordingWriteError('no sensors to write');
    checkText('task name', options.taskName);
    checkText('tracking system name', options.trackingSystemName);
    const names = new Set<string>();
    sensors.forEach((s, k) => {
      const id = s.info.sensorId;
      checkText('sensor name', id);
      if (id === '' || id === BIDS_NA) throw new RecordingWriteError(`sensor name '${id}' cannot be a BIDS tracked point`);
      if (s.info.placement !== undefined) checkText(`placement of '${id}'`, s.info.placement);
      if (this.index.has(id)) throw new RecordingWriteError(`sensor '${id}' given twice`);
      if (!s.inertial && !s.quat) throw new RecordingWriteError(`sensor '${id}' has neither accelerometer + gyroscope nor quaternion data`);
      this.index.set(id, k);
      for (const r of channelRows(s)) {
        if (names.has(r.name) || r.name === 'latency') throw new RecordingWriteError(`channel name '${r.name}' would occur twice; rename sensor '${id}'`);
        names.add(r.name);
      }
    });
    this.sensors = sensors;
    this.options = options;
    this.queues = sensors.map(() => ({ blocks: [], pos: 0, pending: 0 }));
    this.maxPending = options.maxPendingSamples ?? 1 << 20;
  }

  /** Rows written so far. */
  get rows(): number {
    return this.rowCount;
  }

  /** Add a block of one of the sensors; returns the motion.tsv rows it completed ('' if none). */
  push(block: SampleBlock): string {
    if (this.finished) throw new RecordingWriteError('push after finish');
    const k = this.index.get(block.info.sensorId);
    if (k === undefined) {
      throw new RecordingWriteError(`block of sensor '${block.info.sensorId}' given to the tracking system of ${this.sensors.map((s) => `'${s.info.sensorId}'`).join(', ')}`);
    }
    const s = this.sensors[k]!;
    const n = block.tS.length;
    if (n === 0) return '';
    const id = s.info.sensorId;
    if (s.inertial && (block.accMS2?.length !== 3 * n || block.gyrRadS?.length !== 3 * n)) throw new RecordingWriteError(`sensor '${id}': block lacks accelerometer/gyroscope data of ${n} samples`);
    if (s.mag && block.magUT?.length !== 3 * n) throw new RecordingWriteError(`sensor '${id}': block lacks magnetometer data of ${n} samples`);
    if (s.quat && block.quat?.length !== 4 * n) throw new RecordingWriteError(`sensor '${id}': block lacks quaternion data of ${n} samples`);
    const q = this.queues[k]!;
    q.blocks.push(block);
    q.pending += n;
    if (q.pending > this.maxPending) {
      const behind = this.sensors.filter((_, j) => this.queues[j]!.pending === 0).map((x) => `'${x.info.sensorId}'`);
      throw new RecordingWriteError(
        `sensor '${id}' runs more than ${this.maxPending} samples ahead of ${behind.join(', ') || 'the others'}: these sensors do not share one clock, so they cannot be one BIDS tracking system (write one tracking system per sensor)`,
      );
    }
    return this.drain();
  }

  /**
   * End of data: the channels.tsv and motion.json texts. Throws RecordingWriteError when the
   * sensors did not end together or nothing was written.
   */
  finish(): { channelsTsv: string; motionJson: string } {
    if (this.finished) throw new RecordingWriteError('finish called twice');
    this.finished = true;
    const left = this.queues.findIndex((q) => q.pending > 0);
    if (left !== -1) {
      throw new RecordingWriteError(
        `sensor '${this.sensors[left]!.info.sensorId}' has ${this.queues[left]!.pending} sample${this.queues[left]!.pending === 1 ? '' : 's'} after the other sensors ended: these sensors do not share one clock, so they cannot be one BIDS tracking system`,
      );
    }
    if (this.rowCount === 0) throw new RecordingWriteError('no samples to write');
    return { channelsTsv: this.channelsTsv(), motionJson: this.motionJson() };
  }

  private drain(): string {
    const qs = this.queues;
    let out = '';
    for (;;) {
      let m = Infinity;
      for (const q of qs) {
        const b = q.blocks[0];
        if (!b) return out;
        m = Math.min(m, b.tS.length - q.pos);
      }
      out += this.rowsOf(m);
      for (const q of qs) {
        q.pos += m;
        q.pending -= m;
        if (q.pos === q.blocks[0]!.tS.length) {
          q.blocks.shift();
          q.pos = 0;
        }
      }
    }
  }

  /** `m` rows from the heads of the queues (each has at least m samples left in its first block). */
  private rowsOf(m: number): string {
    const qs = this.queues;
    const lines = new Array<string>(m);
    const first = qs[0]!.blocks[0]!;
    for (let r = 0; r < m; r++) {
      const i0 = qs[0]!.pos + r;
      const t = first.tS[i0]!;
      let line = num(t);
      for (let k = 0; k < qs.length; k++) {
        const b = qs[k]!.blocks[0]!;
        const i = qs[k]!.pos + r;
        if (k > 0) {
          const tk = b.tS[i]!;
          if (!(tk === t || Object.is(tk, t))) {
            throw new RecordingWriteError(
              `sensors '${first.info.sensorId}' and '${b.info.sensorId}' do not share one clock: sample ${this.rowCount + r} is at ${t} s in one and ${tk} s in the other, and a BIDS tracking system has one time per row (write one tracking system per sensor, or resample them onto one clock first)`,
            );
          }
        }
        const s = this.sensors[k]!;
        if (s.inertial) {
          const a = b.accMS2!, g = b.gyrRadS!;
          line += `\t${num(a[3 * i]!)}\t${num(a[3 * i + 1]!)}\t${num(a[3 * i + 2]!)}\t${num(g[3 * i]!)}\t${num(g[3 * i + 1]!)}\t${num(g[3 * i + 2]!)}`;
        }
        if (s.mag) {
          const mg = b.magUT!;
          line += `\t${num(mg[3 * i]!)}\t${num(mg[3 * i + 1]!)}\t${num(mg[3 * i + 2]!)}`;
        }
        if (s.quat) {
          const qq = b.quat!;
          line += `\t${num(qq[4 * i]!)}\t${num(qq[4 * i + 1]!)}\t${num(qq[4 * i + 2]!)}\t${num(qq[4 * i + 3]!)}`;
        }
      }
      lines[r] = line;
      this.noteTime(t);
    }
    this.rowCount += m;
    return m === 0 ? '' : lines.join('\n') + '\n';
  }

  private noteTime(t: number): void {
    if (!Number.isFinite(t)) return;
    if (Number.isNaN(this.firstT)) this.firstT = t;
    const d = t - this.lastT;
    if (d > 0 && this.intervalCount < RATE_INTERVALS) this.intervals[this.intervalCount++] = d;
    this.lastT = t;
  }

  private channelsTsv(): string {
    const rows: BidsChannelRow[] = [{ name: 'latency', component: BIDS_NA, type: 'LATENCY', trackedPoint: BIDS_NA, units: 's' }];
    for (const s of this.sensors) rows.push(...channelRows(s));
    return formatBidsChannels(rows);
  }

  /** The rate for SamplingFrequency: declared and agreed, else measured; undefined when neither. */
  private samplingFrequency(): number | undefined {
    const declared = this.sensors.map((s) => s.info.rateHz);
    const r0 = declared[0];
    if (r0 !== undefined && declared.every((r) => r === r0)) return r0;
    if (this.intervalCount === 0) return undefined;
    const d = this.intervals.subarray(0, this.intervalCount).slice().sort();
    const h = d.length >> 1;
    const median = d.length % 2 === 1 ? d[h]! : 0.5 * (d[h - 1]! + d[h]!);
    // A measured rate carries rounding noise (100.00000000000213 Hz); 9 significant digits say it.
    const rate = Number((1 / median).toPrecision(9));
    return Number.isFinite(rate) && rate > 0 ? rate : undefined;
  }

  private motionJson(): string {
    const count = (pred: (s: BidsSensorLayout) => boolean, per: number) => this.sensors.filter(pred).length * per;
    const accel = count((s) => s.inertial, 3);
    const magn = count((s) => s.mag, 3);
    const ornt = count((s) => s.quat, 4);
    const fs = this.samplingFrequency();
    const json: Record<string, unknown> = {
      TaskName: this.options.taskName,
      TrackingSystemName: this.options.trackingSystemName,
      SamplingFrequency: fs ?? BIDS_NA,
    };
    const span = this.lastT - this.firstT;
    const effective = (this.rowCount - 1) / span;
    if (this.rowCount > 1 && span > 0 && Number.isFinite(span) && Number.isFinite(effective)) {
      json.SamplingFrequencyEffective = effective;
      json.RecordingDuration = span;
    }
    json.MotionChannelCount = 1 + 2 * accel + magn + ornt;
    if (accel > 0) {
      json.ACCELChannelCount = accel;
      json.GYROChannelCount = accel;
    }
    if (magn > 0) json.MAGNChannelCount = magn;
    if (ornt > 0) json.ORNTChannelCount = ornt;
    json.LATENCYChannelCount = 1;
    json.TrackedPointsCount = this.sensors.length;
    json.MissingValues = BIDS_NA;
    const devices = new Set(this.sensors.map((s) => s.info.device));
    const device = this.sensors[0]!.info.device;
    if (devices.size === 1 && device !== undefined) json.ManufacturersModelName = device;
    for (const [k, v] of Object.entries(this.options.json ?? {})) if (!(k in json)) json[k] = v;
    // Keyed by sensor names, which are user data: no prototype, so '__proto__' is just a name.
    const stored: Record<string, StoredSensorInfo> = Object.create(null) as Record<string, StoredSensorInfo>;
    for (const s of this.sensors) stored[s.info.sensorId] = storedSensorInfo(s.info);
    json[KINEMETRY_SENSORS_KEY] = stored;
    return `${JSON.stringify(json, null, 2)}\n`;
  }
}

function channelRows(s: BidsSensorLayout): BidsChannelRow[] {
  const tp = s.info.sensorId;
  const rows: BidsChannelRow[] = [];
  const add = (prefix: string, type: string, units: string, comps: readonly string[], names: readonly string[]) => {
    comps.forEach((c, k) => {
      const row: { name: string; component: string; type: string; trackedPoint: string; units: string; placement?: string } = {
        name: `${tp}_${prefix}_${names[k]}`,
        component: c,
        type,
        trackedPoint: tp,
        units,
      };
      if (s.info.placement !== undefined) row.placement = s.info.placement;
      rows.push(row);
    });
  };
  const xyz = ['x', 'y', 'z'];
  if (s.inertial) {
    add('acc', 'ACCEL', 'm/s^2', xyz, xyz);
    add('gyr', 'GYRO', 'rad/s', xyz, xyz);
  }
  if (s.mag) add('mag', 'MAGN', 'uT', xyz, xyz);
  if (s.quat) add('quat', 'ORNT', BIDS_NA, ['quat_w', 'quat_x', 'quat_y', 'quat_z'], ['w', 'x', 'y', 'z']);
  return rows;
}

/** A minimal `dataset_description.json` (Name and BIDSVersion are REQUIRED; motion is in BIDS since 1.9.0). */
export function bidsDatasetDescription(name: string): string {
  return `${JSON.stringify({ Name: name, BIDSVersion: '1.9.0', DatasetType: 'raw', GeneratedBy: [{ Name: 'kinemetry' }] }, null, 2)}\n`;
}
