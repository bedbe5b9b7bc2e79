/**
 * A session: one recording file per sensor, in a directory (or a single file). Sensor names
 * come from the file's own metadata, else the file stem (`thigh.csv` → `thigh`).
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { SampleBlock, SensorInfo } from '../../samples/block';
import { SessionError } from '../errors';
import type { ChannelDescription, RecordingHeader } from '../format';
import { isRecordingFileName } from '../formats';
import { sensorIdFromFileName } from '../canonicalCsv';
import { RecordingFile } from './recordingFile';
import type { ReadRecordingOptions } from './recordingFile';

export interface SessionRecording {
  readonly sensorId: string;
  readonly info: SensorInfo;
  /** This sensor's channels, with the units the source used. */
  readonly channels: readonly ChannelDescription[];
  /** Header of the whole file (which may hold other sensors too). */
  readonly header: RecordingHeader;
  readonly file: RecordingFile;
  /** This sensor's blocks only, streamed from its file. */
  blocks(): AsyncGenerator<SampleBlock, void, undefined>;
}

export interface RecordingSession {
  /** The directory or file given. */
  readonly path: string;
  /** Sorted by file name. */
  readonly recordings: readonly SessionRecording[];
  /** The recording of a sensor, or undefined. */
  sensor(sensorId: string): SessionRecording | undefined;
  /**
   * Blocks of all sensors interleaved by their first sample time (one pending block per
   * sensor, so memory stays bounded).
   */
  blocks(): AsyncGenerator<SampleBlock, void, undefined>;
}

export type ReadSessionOptions = Omit<ReadRecordingOptions, 'defaultSensorId'>;

/**
 * Open a session directory (every `.csv`/`.tsv` in it, one per sensor) or a single recording
 * file. Reads only the headers. Throws SessionError (no recordings, duplicate sensors),
 * RecordingFormatError (a bad header), or Node's ENOENT.
 */
export async function readSession(dirOrFile: string, options: ReadSessionOptions = {}): Promise<RecordingSession> {
  const s = await stat(dirOrFile);
  let paths: string[];
  if (s.isDirectory()) {
    const entries = await readdir(dirOrFile, { withFileTypes: true });
    paths = entries
      .filter((e) => e.isFile() && isRecordingFileName(e.name))
      .map((e) => e.name)
      .sort()
      .map((name) => join(dirOrFile, name));
    if (paths.length === 0) throw new SessionError('no recordings (.csv or .tsv files) in this directory', dirOrFile);
  } else {
    paths = [dirOrFile];
  }
  const recordings: SessionRecording[] = [];
  const byId = new Map<string, SessionRecording>();
  for (const path of paths) {
    const file = new RecordingFile(path, { ...options, defaultSensorId: sensorIdFromFileName(basename(path)) ?? 'sensor' });
    const header = await file.readHeader();
    for (const sensor of header.sensors) {
      const sensorId = sensor.info.sensorId;
      const other = byId.get(sensorId);
      if (other) {
        throw new SessionError(`sensor '${sensorId}' is recorded in both ${basename(other.file.path)} and ${basename(path)}`, dirOrFile);
      }
      const single = header.sensors.length === 1;
      const rec: SessionRecording = {
        sensorId,
        info: sensor.info,
        channels: sensor.channels,
        header,
        file,
        blocks: single ? () => all(file) : () => onlySensor(file, sensorId),
      };
      byId.set(sensorId, rec);
      recordings.push(rec);
    }
  }
  return {
    path: dirOrFile,
    recordings,
    sensor: (id) => byId.get(id),
    // A file with several sensors is read once, not once per sensor.
    blocks: () => mergeByTime([...new Set(recordings.map((r) => r.file))]),
  };
}

async function* all(file: RecordingFile): AsyncGenerator<SampleBlock, void, undefined> {
  yield* file;
}

async function* onlySensor(file: RecordingFile, sensorId: string): AsyncGenerator<SampleBlock, void, undefined> {
  for await (const b of file) if (b.info.sensorId === sensorId) yield b;
}

async function* mergeByTime(sources: readonly AsyncIterable<SampleBlock>[]): AsyncGenerator<SampleBlock, void, undefined> {
  const iters = sources.map((s) => s[Symbol.asyncIterator]());
  try {
    const heads = await Promise.all(iters.map((it) => it.next()));
    for (;;) {
      let best = -1;
      let bestT = Infinity;
      for (let k = 0; k < heads.length; k++) {
        const h = heads[k]!;
        if (h.done) continue;
        const t0 = h.value.tS.length > 0 ? h.value.tS[0]! : -Infinity;
        // NaN time sorts first: it cannot be placed, and holding it back would stall the merge.
        const t = Number.isNaN(t0) ? -Infinity : t0;
        if (best === -1 || t < bestT) {
          best = k;
          bestT = t;
        }
      }
      if (best === -1) return;
      yield (heads[best] as IteratorYieldResult<SampleBlock>).value;
      heads[best] = await iters[best]!.next();
    }
  } finally {
    await Promise.all(iters.map((it) => it.return?.()));
  }
}
