/**
 * A session: the recordings of one measurement, one per sensor. What a path can be:
 *  - a directory of recordings, one file per sensor (canonical CSV `thigh.csv`, `shank.csv`,
 *    or any format kinemetry detects); sensor names come from the file's own metadata, else
 *    its stem;
 *  - a single file, holding one sensor or several (a BIDS motion file with several tracked
 *    points, an OpenSim .sto with several `<segment>_imu` columns);
 *  - BIDS motion: a `*_motion.tsv` (its `*_channels.tsv` and `*_motion.json` are found next to
 *    it, or up the tree by the BIDS inheritance principle; naming either companion opens the
 *    data file), a directory holding such files, or a whole BIDS dataset (every `*_motion.tsv`
 *    under `sub-*`, skipping `derivatives/` and `sourcedata/`). One recording per tracked
 *    point; when the same tracked point occurs in several files (subjects, runs), its sensor
 *    name is prefixed with the file's entities (`sub-01_task-walk_tracksys-imu_LeftFoot`);
 *  - MetaMotion / MetaBase CSV exports, one file per stream: the files of one board (same name
 *    apart from the `Accelerometer`/`Gyroscope`/… token) are merged into one sensor (see
 *    ../metamotionMerge), also when only one of them is named (its partners next to it are
 *    found). Sensor name: the board name from the file name (plus the MAC address when
 *    several boards share one). All boards of a session share one time origin: the earliest
 *    first sample among their files.
 * Detection is by content (`--format` overrides it for every file).
 */
import { open, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { SampleBlock, SensorInfo } from '../../samples/block';
import { bidsMotionFormat } from '../bids';
import { isBidsCompanionFileName, isBidsMotionFileName } from '../bidsNames';
import { sensorIdFromFileName } from '../canonicalCsv';
import { SessionError } from '../errors';
import type { ChannelDescription, RecordingFormat, RecordingHeader } from '../format';
import { detectFormat, getFormat, isRecordingFileName } from '../formats';
import { metaMotionFormat, parseMetaBaseFileName } from '../metamotion';
import { MetaMotionRecording, readMetaBaseHead } from './metaMotionRecording';
import type { MetaMotionRecordingOptions } from './metaMotionRecording';
import { RecordingFile } from './recordingFile';
import type { ReadRecordingOptions, RecordingSource } from './recordingFile';

export interface SessionRecording {
  readonly sensorId: string;
  readonly info: SensorInfo;
  /** This sensor's channels, with the units the source used. */
  readonly channels: readonly ChannelDescription[];
  /** Header of the whole source (which may hold other sensors too). */
  readonly header: RecordingHeader;
  /** Where the blocks come from (a file, or a MetaMotion board's merged stream files). */
  readonly file: RecordingSource;
  /**
   * This sensor's blocks only, streamed from its source. A source holding several sensors is
   * parsed whole each time; to read several sensors in one pass use {@link RecordingSession.blocks}.
   */
  blocks(): AsyncGenerator<SampleBlock, void, undefined>;
}

export interface RecordingSession {
  /** The directory or file given (the first one, for {@link readSessions}). */
  readonly path: string;
  /** Sorted by file path, then by the order of sensors within a file. */
  readonly recordings: readonly SessionRecording[];
  /** Every file the recordings are read from (companion files excluded). */
  readonly files: readonly string[];
  /** Their total size, bytes (for progress bars). */
  readonly totalBytes: number;
  /** Size of each of {@link files}, bytes. */
  readonly fileBytes: ReadonlyMap<string, number>;
  /** The recording of a sensor, or undefined. */
  sensor(sensorId: string): SessionRecording | undefined;
  /**
   * Blocks of all sensors (or of `sensorIds`) interleaved by their first sample time: every
   * source is read once, with one pending block per source, so memory stays bounded.
   */
  blocks(sensorIds?: readonly string[]): AsyncGenerator<SampleBlock, void, undefined>;
}

export interface ReadSessionOptions extends Omit<ReadRecordingOptions, 'defaultSensorId'> {
  /** MetaMotion merge: an interval longer than gapFactor × a stream's median interval is a gap. Default 3. */
  readonly gapFactor?: number;
  /**
   * `error` (default): two recordings with the same sensor name fail the session. `keep`:
   * both are listed (for commands that look at files one by one, like `info`).
   */
  readonly duplicateSensors?: 'error' | 'keep';
}

/** Directories of a BIDS dataset that hold no raw recordings. */
const BIDS_SKIP_DIRS = new Set(['derivatives', 'sourcedata', 'code', 'stimuli', 'phenotype']);
const HEAD_BYTES = 1 << 16;

async function readHead(path: string): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const buf = new Uint8Array(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    return new TextDecoder().decode(buf.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** What the scan found, before headers are read. */
interface Found {
  /** Files read one by one, with their format when known. */
  readonly files: Map<string, RecordingFormat | undefined>;
  /** MetaBase stream files. */
  readonly metabase: Set<string>;
  /** Index of the path argument each file was found under (keeps the caller's order). */
  readonly rank: Map<string, number>;
}

async function isBidsTree(dir: string, names: readonly string[]): Promise<boolean> {
  if (names.includes('dataset_description.json')) return true;
  for (const n of names) if (/^sub-[A-Za-z0-9]+$/.test(n) && (await stat(join(dir, n))).isDirectory()) return true;
  return false;
}

/** Every `*_motion.tsv` under a BIDS dataset directory. */
async function bidsMotionFiles(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!BIDS_SKIP_DIRS.has(e.name)) await bidsMotionFiles(p, out);
    } else if (e.isFile() && isBidsMotionFileName(e.name)) {
      out.push(p);
    }
  }
}

/** Scan one path into `found`. */
async function scan(path: string, format: RecordingFormat | undefined, found: Found): Promise<void> {
  const s = await stat(path);
  if (s.isDirectory()) {
    const entries = await readdir(path, { withFileTypes: true });
    const names = entries.map((e) => e.name).sort();
    if ((format === undefined || format === bidsMotionFormat) && (await isBidsTree(path, names))) {
      const files: string[] = [];
      await bidsMotionFiles(path, files);
      if (files.length === 0) throw new SessionError('a BIDS dataset without *_motion.tsv files', path);
      for (const f of files) found.files.set(f, bidsMotionFormat);
      return;
    }
    const isFile = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
    let any = false;
    for (const name of names) {
      if (!isFile.has(name) || name.startsWith('.')) continue;
      const p = join(path, name);
      if (format !== undefined) {
        const takes = format.extensions.length > 0 ? format.extensions.some((e) => name.toLowerCase().endsWith(e)) : isRecordingFileName(name);
        if (!takes || (format !== bidsMotionFormat && isBidsCompanionFileName(name))) continue;
        if (format === metaMotionFormat) {
          if (parseMetaBaseFileName(name).kind !== 'other') found.metabase.add(p);
        } else {
          found.files.set(p, format);
        }
        any = true;
        continue;
      }
      if (isBidsMotionFileName(name)) {
        found.files.set(p, bidsMotionFormat);
        any = true;
        continue;
      }
      if (isBidsCompanionFileName(name) || !isRecordingFileName(name)) continue;
      const head = await readHead(p);
      if (!isRecordingFileName(name, head)) continue;
      const detected = detectFormat(head, name);
      if (detected === metaMotionFormat) {
        // Streams kinemetry does not use (pressure, Euler angles, …) are not recordings.
        if (parseMetaBaseFileName(name).kind !== 'other') found.metabase.add(p);
      } else {
        found.files.set(p, detected);
      }
      any = true;
    }
    if (!any) throw new SessionError('no recordings in this directory (no file kinemetry reads)', path);
    return;
  }

  // A single file.
  let file = path;
  const name = basename(path);
  if (/_(channels\.tsv|motion\.json)$/i.test(name)) {
    const data = join(dirname(path), name.replace(/_(channels\.tsv|motion\.json)$/i, '_motion.tsv'));
    if (await exists(data)) file = data;
  }
  let fmt = format;
  if (fmt === undefined) fmt = isBidsMotionFileName(file) ? bidsMotionFormat : detectFormat(await readHead(file), file);
  if (fmt !== metaMotionFormat) {
    found.files.set(file, fmt);
    return;
  }
  found.metabase.add(file);
  // Its partners: the other streams of the same board, next to it.
  const key = parseMetaBaseFileName(file).key;
  const dir = dirname(file);
  for (const other of (await readdir(dir)).sort()) {
    const p = join(dir, other);
    if (p === file || !other.toLowerCase().endsWith('.csv')) continue;
    const parsed = parseMetaBaseFileName(other);
    if (parsed.key !== key || parsed.kind === undefined || parsed.kind === 'other') continue;
    if (format === metaMotionFormat || metaMotionFormat.sniff(await readHead(p), p)) found.metabase.add(p);
  }
}

/** One board's files → sensor names unique within the session. */
async function metaMotionSources(paths: readonly string[], options: ReadSessionOptions): Promise<MetaMotionRecording[]> {
  if (paths.length === 0) return [];
  const heads = await Promise.all(paths.map(async (p) => ({ path: p, ...(await readMetaBaseHead(p)) })));
  const originMs = Math.min(...heads.map((h) => h.firstEpochMs));
  const groups = new Map<string, typeof heads>();
  for (const h of heads) {
    const k = join(dirname(h.path), `\u0000${h.name.key}`);
    const g = groups.get(k);
    if (g) g.push(h);
    else groups.set(k, [h]);
  }
  const list = [...groups.values()];
  const nameOf = (g: typeof heads) => g[0]!.name.device ?? (g[0]!.name.key !== '' ? g[0]!.name.key : basename(dirname(g[0]!.path)) || 'metamotion');
  const counts = new Map<string, number>();
  for (const g of list) counts.set(nameOf(g), (counts.get(nameOf(g)) ?? 0) + 1);
  const used = new Set<string>();
  return list.map((g, k) => {
    const n = g[0]!.name;
    let id = nameOf(g);
    if (counts.get(id)! > 1) id = n.mac !== undefined ? `${id}_${n.mac.replace(/:/g, '')}` : `${id}_${k + 1}`;
    while (used.has(id)) id = `${id}_${k + 1}`;
    used.add(id);
    const base: { sensorId: string; device: string; extra?: Record<string, string> } = {
      sensorId: id,
      device: `MbientLab MetaWear${n.mac ? ` ${n.mac}` : ''}${n.firmware ? `, firmware ${n.firmware}` : ''}`,
    };
    const ro: { -readonly [K in keyof MetaMotionRecordingOptions]: MetaMotionRecordingOptions[K] } = { originMs };
    if (options.blockSize !== undefined) ro.blockSize = options.blockSize;
    if (options.chunkBytes !== undefined) ro.chunkBytes = options.chunkBytes;
    if (options.onBytes !== undefined) ro.onBytes = options.onBytes;
    if (options.gapFactor !== undefined) ro.gapFactor = options.gapFactor;
    return new MetaMotionRecording(g.map((h) => h.path), base, ro);
  });
}

/** A source whose sensors are renamed (BIDS tracked points that repeat across files). */
class RenamedSource implements RecordingSource {
  private readonly inner: RecordingSource;
  private readonly names: ReadonlyMap<string, string>;
  private readonly infos = new WeakMap<SensorInfo, SensorInfo>();

  constructor(inner: RecordingSource, names: ReadonlyMap<string, string>) {
    this.inner = inner;
    this.names = names;
  }

  get path(): string {
    return this.inner.path;
  }
  get paths(): readonly string[] {
    return this.inner.paths;
  }
  get format(): RecordingFormat | undefined {
    return this.inner.format;
  }
  get samplesRead(): number {
    return this.inner.samplesRead;
  }
  lineOfSample(index: number): number | undefined {
    return this.inner.lineOfSample(index);
  }

  rename(info: SensorInfo): SensorInfo {
    const to = this.names.get(info.sensorId);
    if (to === undefined) return info;
    let r = this.infos.get(info);
    if (!r) this.infos.set(info, (r = { ...info, sensorId: to }));
    return r;
  }

  async readHeader(): Promise<RecordingHeader> {
    const h = await this.inner.readHeader();
    return { ...h, sensors: h.sensors.map((s) => ({ ...s, info: this.rename(s.info) })) };
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<SampleBlock, void, undefined> {
    for await (const b of this.inner) yield { ...b, info: this.rename(b.info) };
  }
}

/**
 * Open a session (see the module notes for what `dirOrFile` may be). Reads only the headers.
 * Throws SessionError (no recordings, duplicate sensors, a missing companion file),
 * RecordingFormatError (a bad header), UnknownFormatError, or Node's ENOENT.
 */
export async function readSession(dirOrFile: string, options: ReadSessionOptions = {}): Promise<RecordingSession> {
  return readSessions([dirOrFile], options);
}

/**
 * Several paths as one session (e.g. `kinemetry info a.csv b.csv`, or a MetaMotion board's
 * files named one by one). A file reached twice is read once.
 */
export async function readSessions(paths: readonly string[], options: ReadSessionOptions = {}): Promise<RecordingSession> {
  if (paths.length === 0) throw new RangeError('readSessions: no paths');
  const format = typeof options.format === 'string' ? getFormat(options.format) : options.format;
  const found: Found = { files: new Map(), metabase: new Set(), rank: new Map() };
  for (let k = 0; k < paths.length; k++) {
    await scan(paths[k]!, format, found);
    for (const f of [...found.files.keys(), ...found.metabase]) if (!found.rank.has(f)) found.rank.set(f, k);
  }
  const path = paths[0]!;

  const fileOptions = (p: string, f: RecordingFormat | undefined): ReadRecordingOptions => {
    const o: { -readonly [K in keyof ReadRecordingOptions]: ReadRecordingOptions[K] } = { defaultSensorId: sensorIdFromFileName(basename(p)) ?? 'sensor' };
    if (f !== undefined) o.format = f;
    for (const k of ['blockSize', 'chunkBytes', 'columns', 'rateHz', 'onBytes'] as const) if (options[k] !== undefined) (o as Record<string, unknown>)[k] = options[k];
    return o;
  };
  const sources: RecordingSource[] = [...found.files].map(([p, f]) => new RecordingFile(p, fileOptions(p, f)));
  sources.push(...(await metaMotionSources([...found.metabase], options)));
  const rank = (s: RecordingSource) => Math.min(...s.paths.map((p) => found.rank.get(p) ?? Infinity));
  sources.sort((a, b) => rank(a) - rank(b) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const headers = new Map<RecordingSource, RecordingHeader>();
  for (const s of sources) headers.set(s, await s.readHeader());

  // BIDS tracked points repeating across files get the file's entities as a prefix.
  const owners = new Map<string, RecordingSource[]>();
  for (const [s, h] of headers) for (const sensor of h.sensors) owners.set(sensor.info.sensorId, [...(owners.get(sensor.info.sensorId) ?? []), s]);
  const finalSources = sources.map((s) => {
    if (s.format !== bidsMotionFormat) return s;
    const names = new Map<string, string>();
    const stem = basename(s.path).replace(/_motion\.tsv$/i, '').replace(/\.[^.]*$/, '');
    for (const sensor of headers.get(s)!.sensors) {
      const id = sensor.info.sensorId;
      const others = owners.get(id)!.filter((o) => o !== s);
      if (others.length > 0 && others.every((o) => o.format === bidsMotionFormat)) names.set(id, `${stem}_${id}`);
    }
    return names.size > 0 ? new RenamedSource(s, names) : s;
  });

  const recordings: SessionRecording[] = [];
  const byId = new Map<string, SessionRecording>();
  for (const source of finalSources) {
    const header = await source.readHeader();
    for (const sensor of header.sensors) {
      const sensorId = sensor.info.sensorId;
      const other = byId.get(sensorId);
      if (other && options.duplicateSensors !== 'keep') {
        throw new SessionError(`sensor '${sensorId}' is recorded in both ${basename(other.file.path)} and ${basename(source.path)}`, path);
      }
      const single = header.sensors.length === 1;
      const rec: SessionRecording = {
        sensorId,
        info: sensor.info,
        channels: sensor.channels,
        header,
        file: source,
        blocks: single ? () => all(source) : () => onlySensors(source, new Set([sensorId])),
      };
      if (!other) byId.set(sensorId, rec);
      recordings.push(rec);
    }
  }
  const files = [...new Set(finalSources.flatMap((s) => s.paths))];
  const fileBytes = new Map<string, number>();
  let totalBytes = 0;
  for (const f of files) {
    const size = (await stat(f)).size;
    fileBytes.set(f, size);
    totalBytes += size;
  }
  return {
    path,
    recordings,
    files,
    totalBytes,
    fileBytes,
    sensor: (id) => byId.get(id),
    blocks(sensorIds?: readonly string[]) {
      const wanted = sensorIds ? new Set(sensorIds) : undefined;
      const used = finalSources.filter((s) => recordings.some((r) => r.file === s && (!wanted || wanted.has(r.sensorId))));
      return mergeByTime(used.map((s) => (wanted ? onlySensors(s, wanted) : all(s))));
    },
  };
}

async function* all(source: RecordingSource): AsyncGenerator<SampleBlock, void, undefined> {
  yield* source;
}

async function* onlySensors(source: RecordingSource, ids: ReadonlySet<string>): AsyncGenerator<SampleBlock, void, undefined> {
  for await (const b of source) if (ids.has(b.info.sensorId)) yield b;
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
