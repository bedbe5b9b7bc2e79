/**
 * BIDS motion `*_channels.tsv`: one row per column of the headerless `*_motion.tsv`, in the
 * same order. REQUIRED columns `name component type tracked_point units`; kinemetry also reads
 * `placement` and `sampling_frequency` (both defined by the spec) and keeps unknown columns
 * out of the way. Missing values are `n/a`.
 */
import { RecordingFormatError } from './errors';

/** One row of a channels file. */
export interface BidsChannel {
  readonly name: string;
  /** `x`, `y`, `z`, `quat_w`, `quat_x`, `quat_y`, `quat_z` or `n/a`. */
  readonly component: string;
  /** Upper case: ACCEL, GYRO, MAGN, ORNT, LATENCY, POS, … */
  readonly type: string;
  /** `n/a` when the channel belongs to no tracked point (e.g. LATENCY). */
  readonly trackedPoint: string;
  /** As written, `n/a` for none. */
  readonly units: string;
  /** `placement` column (RECOMMENDED by the spec), when present and not `n/a`. */
  readonly placement?: string;
  /** `sampling_frequency` column, Hz, when present and numeric. */
  readonly samplingFrequencyHz?: number;
  /** 1-based line in the channels file. */
  readonly line: number;
}

export const BIDS_NA = 'n/a';
export const BIDS_CHANNEL_COLUMNS = ['name', 'component', 'type', 'tracked_point', 'units'] as const;

/** Parse a channels.tsv text; `file` names it in errors. Throws RecordingFormatError. */
export function parseBidsChannels(text: string, file: string): BidsChannel[] {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  let headerLine = 0;
  while (headerLine < lines.length && lines[headerLine]!.trim() === '') headerLine++;
  if (headerLine === lines.length) throw new RecordingFormatError('empty channels file', { file, line: 1 });
  const header = lines[headerLine]!.replace(/\r$/, '').split('\t').map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name);
  const missing = BIDS_CHANNEL_COLUMNS.filter((c) => col(c) === -1);
  if (missing.length > 0) {
    throw new RecordingFormatError(
      `channels file lacks the required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (tab-separated header: name, component, type, tracked_point, units)`,
      { file, line: headerLine + 1 },
    );
  }
  const [iName, iComp, iType, iPoint, iUnits] = BIDS_CHANNEL_COLUMNS.map(col) as [number, number, number, number, number];
  const iPlacement = col('placement');
  const iRate = col('sampling_frequency');
  const out: BidsChannel[] = [];
  const names = new Map<string, number>();
  for (let k = headerLine + 1; k < lines.length; k++) {
    const raw = lines[k]!.replace(/\r$/, '');
    if (raw.trim() === '') continue;
    const line = k + 1;
    const f = raw.split('\t').map((x) => x.trim());
    if (f.length !== header.length) {
      throw new RecordingFormatError(`expected ${header.length} tab-separated fields, found ${f.length}`, { file, line });
    }
    const name = f[iName]!;
    if (name === '' || name === BIDS_NA) throw new RecordingFormatError('channel without a name', { file, line, column: 'name' });
    const prev = names.get(name);
    if (prev !== undefined) throw new RecordingFormatError(`channel '${name}' is also on line ${prev}`, { file, line, column: 'name' });
    names.set(name, line);
    const ch: {
      name: string;
      component: string;
      type: string;
      trackedPoint: string;
      units: string;
      placement?: string;
      samplingFrequencyHz?: number;
      line: number;
    } = {
      name,
      component: f[iComp]!.toLowerCase(),
      type: f[iType]!.toUpperCase(),
      trackedPoint: f[iPoint]!,
      units: f[iUnits]!,
      line,
    };
    if (iPlacement !== -1 && f[iPlacement] !== '' && f[iPlacement] !== BIDS_NA) ch.placement = f[iPlacement]!;
    if (iRate !== -1) {
      const r = f[iRate]!;
      if (r !== '' && r !== BIDS_NA) {
        const v = /^[+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(r) ? +r : NaN;
        if (!(v > 0) || !Number.isFinite(v)) {
          throw new RecordingFormatError(`sampling_frequency must be a positive number or n/a, got '${r}'`, { file, line, column: 'sampling_frequency' });
        }
        ch.samplingFrequencyHz = v;
      }
    }
    out.push(ch);
  }
  if (out.length === 0) throw new RecordingFormatError('channels file has a header but no channels', { file, line: headerLine + 1 });
  return out;
}

/** One row to write (`placement` and `sampling_frequency` optional). */
export interface BidsChannelRow {
  readonly name: string;
  readonly component: string;
  readonly type: string;
  readonly trackedPoint: string;
  readonly units: string;
  readonly placement?: string;
}

/** A channels.tsv text; the `placement` column is written when any row has one. */
export function formatBidsChannels(rows: readonly BidsChannelRow[]): string {
  const withPlacement = rows.some((r) => r.placement !== undefined);
  const head = [...BIDS_CHANNEL_COLUMNS, ...(withPlacement ? ['placement'] : [])].join('\t');
  const body = rows.map((r) => {
    const f = [r.name, r.component, r.type, r.trackedPoint, r.units];
    if (withPlacement) f.push(r.placement ?? BIDS_NA);
    return f.join('\t');
  });
  return [head, ...body].join('\n') + '\n';
}
