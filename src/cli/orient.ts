/**
 * `kinemetry orient <recording>`: orientation of one sensor from its accelerometer, gyroscope
 * and (when present) magnetometer, as CSV `t,qw,qx,qy,qz` with one row per input sample.
 * q is q_GS (sensor → global): East-North-Up with a magnetometer, else z up with an
 * arbitrary heading. Streams the recording block by block (bounded memory), except with
 * `--offline`, which needs the whole recording at once.
 */
import { Vqf } from '../fusion/vqf';
import { estimateOrientationOffline } from '../fusion/offline';
import { VQF_TUNED } from '../fusion/vqfParams';
import { MadgwickFilter } from '../fusion/madgwick';
import { MahonyFilter } from '../fusion/mahony';
import type { OrientationFilter } from '../fusion/filter';
import { readSession } from '../io/node/session';
import type { SessionRecording } from '../io/node/session';
import { concatBlocks, requireInertial } from '../samples/block';
import type { InertialBlock } from '../samples/block';
import { UsageError, readerOptions } from './command';
import type { Command, CommandContext } from './command';
import { EXIT_OK } from './errors';
import { openOutput } from './output';

export const ORIENT_FILTERS = ['vqf', 'madgwick', 'mahony'] as const;
export type OrientFilterName = (typeof ORIENT_FILTERS)[number];

/** The CSV header `orient` writes. */
export const ORIENT_HEADER = 't,qw,qx,qy,qz';

/** A causal filter for `orient`, with each filter's documented defaults. */
export function createOrientFilter(name: OrientFilterName, useMag: boolean, rateHz: number | undefined): OrientationFilter {
  const rate = rateHz !== undefined && rateHz > 0 && Number.isFinite(rateHz) ? rateHz : undefined;
  switch (name) {
    case 'vqf':
      return new Vqf({ ...VQF_TUNED, magEnabled: useMag }, rate !== undefined ? { rateHz: rate } : {});
    case 'madgwick':
      return new MadgwickFilter({ useMag, ...(rate !== undefined ? { rateHz: rate } : {}) });
    case 'mahony':
      return new MahonyFilter({ useMag, ...(rate !== undefined ? { rateHz: rate } : {}) });
  }
}

function pickRecording(recordings: readonly SessionRecording[], sensor: string | undefined, path: string): SessionRecording {
  const names = recordings.map((r) => r.sensorId);
  if (sensor !== undefined) {
    const rec = recordings.find((r) => r.sensorId === sensor);
    if (!rec) throw new UsageError(`no sensor '${sensor}' in ${path} (sensors: ${names.join(', ')})`);
    return rec;
  }
  if (recordings.length > 1) throw new UsageError(`${path} has ${recordings.length} sensors (${names.join(', ')}): pick one with --sensor`);
  return recordings[0]!;
}

/** Time as written: 12 significant digits (sub-µs for hours of data), no float noise like 0.30000000000000004. */
function formatTime(tS: number): string {
  return String(Number(tS.toPrecision(12)));
}

/** Quaternion component: 9 decimals (≈ 10⁻⁷ °), never "-0". */
function formatComponent(v: number): string {
  const s = v.toFixed(9);
  return s === '-0.000000000' ? '0.000000000' : s;
}

function csvRows(tS: Float64Array, quat: Float64Array, n: number): string {
  const lines: string[] = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const k = 4 * i;
    lines[i] = `${formatTime(tS[i]!)},${formatComponent(quat[k]!)},${formatComponent(quat[k + 1]!)},${formatComponent(quat[k + 2]!)},${formatComponent(quat[k + 3]!)}\n`;
  }
  return lines.join('');
}

async function run(ctx: CommandContext): Promise<number> {
  const { common, values, positionals } = ctx;
  if (positionals.length === 0) throw new UsageError('no recording given (a file, or a session directory with --sensor)');
  if (positionals.length > 1) throw new UsageError(`one recording at a time, got ${positionals.length}`);
  if (common.json) throw new UsageError('--json is not available for orient (the output is CSV)');
  const filterName = (values.filter as string | undefined) ?? 'vqf';
  if (!(ORIENT_FILTERS as readonly string[]).includes(filterName)) {
    throw new UsageError(`unknown filter '${filterName}' (filters: ${ORIENT_FILTERS.join(', ')})`);
  }
  const filter = filterName as OrientFilterName;
  const offline = values.offline === true;
  if (offline && filter !== 'vqf') throw new UsageError(`--offline is the forward–backward mode of the vqf filter; it does not go with --filter ${filter}`);
  const noMag = values['no-mag'] === true;

  const path = positionals[0]!;
  const session = await readSession(path, readerOptions(common));
  const rec = pickRecording(session.recordings, common.sensor, path);
  const has = (c: string): boolean => rec.channels.some((d) => d.channel === c);
  if (!has('acc') || !has('gyr')) {
    throw new UsageError(`sensor '${rec.sensorId}' has no ${has('acc') ? 'gyroscope' : 'accelerometer'}: orient needs both (and optionally a magnetometer)`);
  }
  const useMag = has('mag') && !noMag;
  const stage = `orient (${filter})`;

  const out = await openOutput(common.out, ctx.io);
  try {
    await out.write(`${ORIENT_HEADER}\n`);
    if (offline) {
      const blocks: InertialBlock[] = [];
      for await (const b of rec.blocks()) blocks.push(requireInertial(b, stage));
      if (blocks.length > 0) {
        const whole = concatBlocks(blocks).block;
        const q = estimateOrientationOffline(whole, { ...VQF_TUNED, magEnabled: useMag });
        await out.write(csvRows(whole.tS, q, whole.tS.length));
      }
    } else {
      const f = createOrientFilter(filter, useMag, rec.info.rateHz);
      let q = new Float64Array(0);
      for await (const b of rec.blocks()) {
        const block = requireInertial(b, stage);
        const n = block.tS.length;
        if (q.length < 4 * n) q = new Float64Array(4 * n);
        f.updateBlock(block, q);
        await out.write(csvRows(block.tS, q, n));
      }
    }
  } finally {
    await out.close();
  }
  return EXIT_OK;
}

export const orientCommand: Command = {
  name: 'orient',
  summary: 'orientation of a sensor over time (VQF, Madgwick or Mahony) as CSV t,qw,qx,qy,qz',
  usage: 'orient [options] <recording>',
  description: `
Estimate the orientation of one sensor from its accelerometer, gyroscope and magnetometer
and write it as CSV with the header ${ORIENT_HEADER}, one row per input sample. q = [w,x,y,z]
is the sensor-to-global rotation q_GS: global East-North-Up when the magnetometer is used,
otherwise z up with an arbitrary (but steady) heading. A session with several sensors needs
--sensor. The default filter is vqf (bias estimation, rest detection, magnetic disturbance
rejection); madgwick and mahony are the classic baselines. --offline runs vqf forward and
backward over the whole recording (more accurate, not real-time; holds the recording in
memory).`,
  options: {
    filter: { type: 'string' },
    'no-mag': { type: 'boolean' },
    offline: { type: 'boolean' },
  },
  optionsHelp: [
    ['--filter NAME', 'vqf (default), madgwick or mahony'],
    ['--no-mag', 'ignore the magnetometer (6D: heading arbitrary, immune to magnetic disturbance)'],
    ['--offline', 'vqf only: forward–backward over the whole recording'],
  ],
  run,
};
