/**
 * `kinemetry convert <in…> -o <out>`: a recording or session into another format, streamed
 * (any length, bounded memory). The output format comes from `-o`, or `--to`:
 *  - `x.csv` (or stdout): canonical CSV of one sensor (`--sensor` when the input has several);
 *  - a directory (no extension): one canonical CSV per sensor, or with `--to bids` a BIDS
 *    dataset (one tracking system per input source; see io/node/writeBids);
 *  - `x_motion.tsv`: one BIDS tracking system (`_channels.tsv`, `_motion.json` next to it);
 *    its sensors must share one clock;
 *  - `x.sto`: OpenSim orientation file (sensors with quaternions, on one clock).
 * Values are written exactly (shortest round-trip decimals); nothing is resampled.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { SampleBlock } from '../samples/block';
import { formatCanonicalCsvAsync } from '../io/canonicalCsvWriter';
import { parseBidsName, bidsEntity } from '../io/bidsNames';
import { bidsLayoutOfHeader } from '../io/bidsWriter';
import { formatStoAsync } from '../io/stoWriter';
import { readSessions } from '../io/node/session';
import type { ReadSessionOptions, RecordingSession, SessionRecording } from '../io/node/session';
import { TextSink } from '../io/node/textSink';
import { writeBidsDataset, writeBidsMotion } from '../io/node/writeBids';
import { writeRecordingDirectory } from '../io/node/writeRecording';
import { UsageError, readerOptions } from './command';
import type { Command, CommandContext } from './command';
import { EXIT_OK } from './errors';
import { writeOutput } from './output';
import { createProgress } from './progress';
import type { Progress } from './progress';

export type ConvertTarget = 'canonical' | 'bids' | 'sto';
const TARGETS: readonly ConvertTarget[] = ['canonical', 'bids', 'sto'];

/** How `-o` and `--to` resolve: the target format and whether the output is one file, a directory or stdout. */
export interface OutputPlan {
  readonly target: ConvertTarget;
  readonly kind: 'file' | 'directory' | 'stdout';
}

/** Decide the output from `-o` (undefined or `-` = stdout) and `--to`. Throws UsageError. */
export async function planOutput(out: string | undefined, to: string | undefined): Promise<OutputPlan> {
  let target: ConvertTarget | undefined;
  if (to !== undefined) {
    target = TARGETS.find((t) => t === to.toLowerCase());
    if (!target) throw new UsageError(`--to must be one of ${TARGETS.join(', ')}, got '${to}'`);
  }
  if (out === undefined || out === '-') {
    if (target === 'bids') throw new UsageError('BIDS output is several files: give -o DIR (a dataset) or -o NAME_motion.tsv');
    return { target: target ?? 'canonical', kind: 'stdout' };
  }
  const lower = out.toLowerCase();
  const isDir = await stat(out).then((s) => s.isDirectory()).catch(() => false);
  if (isDir || /[/\\]$/.test(out)) {
    if (target === 'sto') throw new UsageError('an .sto output is one file: give -o NAME.sto');
    return { target: target ?? 'canonical', kind: 'directory' };
  }
  if (lower.endsWith('_motion.tsv')) {
    if (target !== undefined && target !== 'bids') throw new UsageError(`-o ${out} is a BIDS motion file, but --to ${target} was given`);
    return { target: 'bids', kind: 'file' };
  }
  if (lower.endsWith('.sto')) {
    if (target !== undefined && target !== 'sto') throw new UsageError(`-o ${out} is an .sto file, but --to ${target} was given`);
    return { target: 'sto', kind: 'file' };
  }
  if (lower.endsWith('.csv')) {
    if (target !== undefined && target !== 'canonical') throw new UsageError(`-o ${out} is a .csv file, but --to ${target} was given`);
    return { target: 'canonical', kind: 'file' };
  }
  const ext = /\.[A-Za-z0-9]+$/.exec(out)?.[0];
  if (ext !== undefined) {
    throw new UsageError(`cannot tell the output format from '${ext}': use NAME.csv, NAME.sto, NAME_motion.tsv, or a directory (with --to bids for a BIDS dataset)`);
  }
  if (target === 'sto') throw new UsageError('an .sto output is one file: give -o NAME.sto');
  return { target: target ?? 'canonical', kind: 'directory' };
}

function label(option: string, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!/^[a-zA-Z0-9]+$/.test(text)) throw new UsageError(`--${option} must be a BIDS label (letters and digits only), got '${text}'`);
  return text;
}

/** Writes `pieces` to the output file (removed on error) or stdout. */
async function writePieces(out: string | undefined, ctx: CommandContext, pieces: AsyncIterable<string>): Promise<void> {
  if (out === undefined || out === '-') {
    for await (const p of pieces) ctx.io.stdout.write(p);
    return;
  }
  const sink = new TextSink(out);
  try {
    for await (const p of pieces) await sink.write(p);
    await sink.close();
  } catch (e) {
    await sink.discard();
    throw e;
  }
}

async function* counted(blocks: AsyncIterable<SampleBlock>, n: { samples: number }): AsyncGenerator<SampleBlock, void, undefined> {
  for await (const b of blocks) {
    n.samples += b.tS.length;
    yield b;
  }
}

async function run(ctx: CommandContext): Promise<number> {
  const { common, values, positionals } = ctx;
  if (positionals.length === 0) throw new UsageError('no recording given (a file, several files, or a session directory)');
  const plan = await planOutput(common.out, values.to as string | undefined);
  const subject = label('subject', values.subject as string | undefined);
  const task = label('task', values.task as string | undefined);
  const ses = label('session', values.session as string | undefined);
  const runIndex = label('run', values.run as string | undefined);
  if (plan.target !== 'bids' && (subject ?? task ?? ses ?? runIndex) !== undefined) {
    throw new UsageError('--subject, --task, --session and --run are for BIDS output (--to bids, or -o NAME_motion.tsv)');
  }
  if (common.out !== undefined && common.out !== '-') {
    const target = resolve(common.out);
    if (positionals.some((p) => resolve(p) === target)) throw new UsageError(`-o ${common.out} is also an input; not overwriting it`);
  }

  let progress: Progress = { add: () => {}, done: () => {} };
  const options: ReadSessionOptions = {
    onBytes: (n) => progress.add(n),
    ...readerOptions(common),
  };
  const session = await readSessions(positionals, options);
  const selected = pick(session, common.sensor, positionals);
  const ids = selected.map((r) => r.sensorId);
  const sources = new Set(selected.flatMap((r) => r.file.paths));
  progress = createProgress(ctx.io, [...sources].reduce((n, p) => n + (session.fileBytes.get(p) ?? 0), 0), 'converting');

  const written: { path: string; sensors: string[]; samples?: number }[] = [];
  try {
    if (plan.target === 'canonical' && plan.kind !== 'directory') {
      if (selected.length > 1) {
        throw new UsageError(
          `the input has ${selected.length} sensors (${ids.join(', ')}): pick one with --sensor NAME, or give a directory as -o to write one CSV per sensor`,
        );
      }
      const n = { samples: 0 };
      await writePieces(common.out, ctx, formatCanonicalCsvAsync(counted(session.blocks(ids), n)));
      written.push({ path: common.out ?? '-', sensors: ids, samples: n.samples });
    } else if (plan.target === 'canonical') {
      const r = await writeRecordingDirectory(common.out!, session.blocks(ids));
      for (const f of r.files) written.push({ path: f.path, sensors: [f.sensorId], samples: f.samples });
    } else if (plan.target === 'sto') {
      const missing = selected.filter((r) => !r.channels.some((c) => c.channel === 'quat')).map((r) => r.sensorId);
      if (missing.length > 0) {
        throw new UsageError(`an .sto file holds orientations, and ${missing.join(', ')} ha${missing.length > 1 ? 've' : 's'} no quaternion channel (run fusion first, or pick sensors with --sensor)`);
      }
      const rates = new Set(selected.map((r) => r.info.rateHz));
      const rate = selected[0]!.info.rateHz;
      const n = { samples: 0 };
      await writePieces(common.out, ctx, formatStoAsync(counted(session.blocks(ids), n), { sensors: ids, ...(rates.size === 1 && rate !== undefined ? { rateHz: rate } : {}) }));
      written.push({ path: common.out ?? '-', sensors: ids, samples: n.samples });
    } else if (plan.kind === 'file') {
      const name = parseBidsName(common.out!);
      const devices = new Set(selected.map((r) => r.info.device));
      const device = selected[0]!.info.device;
      const r = await writeBidsMotion(
        common.out!,
        selected.map((rec) => bidsLayoutOfHeader({ info: rec.info, channels: rec.channels })),
        session.blocks(ids),
        {
          taskName: task ?? (name && bidsEntity(name, 'task')) ?? 'recording',
          trackingSystemName: (name && bidsEntity(name, 'tracksys')) ?? (devices.size === 1 && device !== undefined ? device : 'IMU'),
        },
      );
      written.push(...r.files.map((path) => ({ path, sensors: ids })));
    } else {
      const r = await writeBidsDataset(common.out!, session, {
        subject: subject ?? '01',
        task: task ?? 'recording',
        sensors: ids,
        ...(ses !== undefined ? { session: ses } : {}),
        ...(runIndex !== undefined ? { run: runIndex } : {}),
      });
      written.push(...r.files.map((path) => ({ path, sensors: ids })));
    }
  } finally {
    progress.done();
  }

  // Data went to stdout: nothing else may go there.
  if (plan.kind === 'stdout') return EXIT_OK;
  const report = common.json
    ? `${JSON.stringify({ format: plan.target, files: written }, null, 2)}\n`
    : written.map((w) => `wrote ${w.path}${w.samples !== undefined ? ` (${w.sensors.join(', ')}: ${w.samples} samples)` : ''}\n`).join('');
  await writeOutput(undefined, ctx.io, report);
  return EXIT_OK;
}

function pick(session: RecordingSession, sensor: string | undefined, paths: readonly string[]): SessionRecording[] {
  if (sensor === undefined) return [...session.recordings];
  const rec = session.sensor(sensor);
  if (!rec) throw new UsageError(`no sensor '${sensor}' in ${paths.join(', ')} (sensors: ${session.recordings.map((r) => r.sensorId).join(', ')})`);
  return [rec];
}

export const convertCommand: Command = {
  name: 'convert',
  summary: 'convert recordings between formats (canonical CSV, BIDS motion, OpenSim .sto)',
  usage: 'convert [options] <recording…> -o <out>',
  description: `
Convert a recording or session to another format. The output format comes from -o:
  NAME.csv         canonical CSV of one sensor (stdout without -o)
  DIR              one canonical CSV per sensor (DIR/<sensor>.csv); with --to bids, a
                   BIDS dataset: DIR/sub-<subject>/motion/…_tracksys-<label>_motion.tsv,
                   one tracking system per input file (or MetaMotion board)
  NAME_motion.tsv  one BIDS tracking system (+ _channels.tsv, _motion.json); its sensors
                   must share one clock (one input file with several sensors)
  NAME.sto         OpenSim orientation file (sensors with quaternions, one clock)
Values are written exactly and nothing is resampled or reordered: rows stay in file order
even where time goes backwards (kinemetry info shows where), and sensors on different clocks
cannot share one table (.sto, _motion.tsv): saying so is better than interpolating silently.
Exit 0 on success, 1 when an input cannot be read or the data do not fit the output,
2 on bad usage.`,
  options: {
    to: { type: 'string' },
    subject: { type: 'string' },
    task: { type: 'string' },
    session: { type: 'string' },
    run: { type: 'string' },
  },
  optionsHelp: [
    ['--to FORMAT', 'canonical, bids or sto, instead of going by -o'],
    ['--subject LABEL', 'BIDS sub- label (default 01)'],
    ['--task LABEL', 'BIDS task- label and TaskName (default: recording)'],
    ['--session LABEL', 'BIDS ses- label (optional)'],
    ['--run INDEX', 'BIDS run- index (optional)'],
  ],
  run,
};
