/**
 * Writing BIDS motion files from Node: one tracking system (a `*_motion.tsv` with its
 * `*_channels.tsv` and `*_motion.json`), or a session as a dataset.
 *
 * Dataset layout: `<dir>/dataset_description.json` (written when absent), then
 * `<dir>/sub-<subject>[/ses-<session>]/motion/sub-<subject>[_ses-<session>]_task-<task>_tracksys-<label>[_run-<run>]_motion.tsv`.
 * BIDS puts one tracking system in one table with one time per row, so each source of the
 * session (one file, or one MetaMotion board) becomes one tracking system: the sensors of a
 * multi-sensor file share its clock by construction, while separate files (a directory of
 * canonical CSVs) each have their own clock and are written as separate tracking systems,
 * exactly, without resampling. The label is the sensor name (single-sensor sources) or the
 * source file's stem, reduced to letters and digits.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { SampleBlock } from '../../samples/block';
import { bidsCompanionNames, bidsLabel, formatBidsName } from '../bidsNames';
import type { BidsEntity } from '../bidsNames';
import { BidsMotionWriter, bidsDatasetDescription, bidsLayoutOfHeader } from '../bidsWriter';
import type { BidsSensorLayout, BidsWriterOptions } from '../bidsWriter';
import { RecordingWriteError } from '../errors';
import type { RecordingSession, SessionRecording } from './session';
import { TextSink } from './textSink';

/**
 * Write one tracking system to `motionTsvPath` (its companions go next to it). The sensors
 * must share one clock (see BidsMotionWriter); on any error the three files are removed.
 */
export async function writeBidsMotion(
  motionTsvPath: string,
  sensors: readonly BidsSensorLayout[],
  blocks: AsyncIterable<SampleBlock> | Iterable<SampleBlock>,
  options: BidsWriterOptions,
): Promise<{ files: string[]; rows: number }> {
  const writer = new BidsMotionWriter(sensors, options);
  const names = bidsCompanionNames(motionTsvPath);
  const dir = dirname(motionTsvPath);
  const channelsPath = join(dir, names.channels);
  const jsonPath = join(dir, names.json);
  const sink = new TextSink(motionTsvPath);
  try {
    for await (const b of blocks) await sink.write(writer.push(b));
    const side = writer.finish();
    await sink.close();
    await writeFile(channelsPath, side.channelsTsv);
    await writeFile(jsonPath, side.motionJson);
    return { files: [motionTsvPath, channelsPath, jsonPath], rows: writer.rows };
  } catch (e) {
    await sink.discard();
    for (const p of [channelsPath, jsonPath]) await new TextSink(p).discard();
    throw e;
  }
}

export interface WriteBidsDatasetOptions {
  /** `sub-` label (letters and digits). */
  readonly subject: string;
  /** `task-` label (letters and digits); also the motion.json TaskName unless `taskName` is given. */
  readonly task: string;
  readonly taskName?: string;
  /** `ses-` label, optional. */
  readonly session?: string;
  /** `run-` index, optional. */
  readonly run?: string;
  /** Only these sensors (default: all). */
  readonly sensors?: readonly string[];
  /** dataset_description.json `Name` when it is created. Default: the directory name. */
  readonly datasetName?: string;
  /** More motion.json fields for every tracking system. */
  readonly json?: Readonly<Record<string, unknown>>;
}

function label(what: string, text: string): string {
  if (!/^[a-zA-Z0-9]+$/.test(text)) throw new RecordingWriteError(`BIDS ${what} label must be letters and digits only, got '${text}'`);
  return text;
}

/**
 * Write the session (or its `sensors`) as a BIDS dataset under `dir`. Returns the files
 * written. Throws RecordingWriteError (bad labels, an existing file in the way) and whatever
 * reading the session throws.
 */
export async function writeBidsDataset(dir: string, session: RecordingSession, options: WriteBidsDatasetOptions): Promise<{ files: string[] }> {
  const subject = label('subject', options.subject);
  const task = label('task', options.task);
  const ses = options.session !== undefined ? label('session', options.session) : undefined;
  const run = options.run !== undefined ? label('run', options.run) : undefined;
  const wanted = options.sensors ? new Set(options.sensors) : undefined;
  const recordings = session.recordings.filter((r) => !wanted || wanted.has(r.sensorId));
  if (recordings.length === 0) throw new RecordingWriteError('no sensors to write');

  // One tracking system per source, in session order.
  const groups = new Map<SessionRecording['file'], SessionRecording[]>();
  for (const r of recordings) groups.set(r.file, [...(groups.get(r.file) ?? []), r]);
  const usedLabels = new Set<string>();
  const motionDir = ses !== undefined ? join(dir, `sub-${subject}`, `ses-${ses}`, 'motion') : join(dir, `sub-${subject}`, 'motion');
  await mkdir(motionDir, { recursive: true });
  const files: string[] = [];
  const description = join(dir, 'dataset_description.json');
  if (!(await stat(description).catch(() => undefined))) {
    await writeFile(description, bidsDatasetDescription(options.datasetName ?? basename(dir)));
    files.push(description);
  }
  for (const [source, recs] of groups) {
    const base =
      (recs.length === 1 ? bidsLabel(recs[0]!.sensorId) : bidsLabel(basename(source.path).replace(/_motion\.tsv$/i, '').replace(/\.[^.]*$/, ''))) ?? 'imu';
    let tracksys = base;
    for (let k = 2; usedLabels.has(tracksys); k++) tracksys = `${base}${k}`;
    usedLabels.add(tracksys);
    const entities: BidsEntity[] = [['sub', subject]];
    if (ses !== undefined) entities.push(['ses', ses]);
    entities.push(['task', task], ['tracksys', tracksys]);
    if (run !== undefined) entities.push(['run', run]);
    const path = join(motionDir, formatBidsName(entities, 'motion', '.tsv'));
    if (await stat(path).catch(() => undefined)) throw new RecordingWriteError(`${path} exists already; not overwriting a dataset file`);
    const devices = new Set(recs.map((r) => r.info.device));
    const device = recs[0]!.info.device;
    const written = await writeBidsMotion(
      path,
      recs.map((r) => bidsLayoutOfHeader({ info: r.info, channels: r.channels })),
      session.blocks(recs.map((r) => r.sensorId)),
      {
        taskName: options.taskName ?? task,
        trackingSystemName: devices.size === 1 && device !== undefined ? device : tracksys,
        ...(options.json ? { json: options.json } : {}),
      },
    );
    files.push(...written.files);
  }
  return { files };
}
