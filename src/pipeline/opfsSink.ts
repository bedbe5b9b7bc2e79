/**
 * Recording into the origin private file system (OPFS, `navigator.storage.getDirectory()`) or
 * any File System Access directory the page was given, while streaming (browser-safe).
 *
 * A writable file stream commits only when it is closed (until then the data sits in a swap
 * file that a crash discards), so every block is its own commit: reopen the file keeping its
 * data, write the piece at the end, close. Reopening copies the file, so each sensor's
 * recording is split into SEGMENT files of about `segmentBytes`, and only the last one is
 * rewritten: the cost per block stays bounded however long the recording runs.
 *
 * Layout: `<root>/<recordingId>/<sensorId>.<segment, 6 digits>.csv` (sensor id URI-encoded).
 * The segments of a sensor, concatenated in order, are its canonical CSV file
 * ({@link readOpfsRecording}); a crash or a closed tab keeps every block whose write completed.
 */
import type { CanonicalCsvWriterOptions } from '../io/canonicalCsvWriter';
import type { SampleBlock } from '../samples/block';
import { CanonicalCsvSink } from './sinks';
import type { BlockSink, CsvPiece } from './sinks';
import { RecordingStoreError, describeError } from './storeErrors';
import type { StoredRecordingFile } from './storeErrors';

export const OPFS_DEFAULT_SEGMENT_BYTES = 64 * 1024;
/** Folder under the OPFS root that holds the recordings (when no root is given). */
export const OPFS_RECORDINGS_DIR = 'kinemetry-recordings';

export interface OpfsStoreOptions {
  /** Directory holding the recordings. Default: `kinemetry-recordings` in `navigator.storage.getDirectory()`. */
  root?: FileSystemDirectoryHandle;
}

export interface OpfsSinkOptions extends OpfsStoreOptions, CanonicalCsvWriterOptions {
  /** Folder of this recording under the root. One recording per id: a folder left under it is emptied first. */
  recordingId: string;
  /** A segment is closed and the next one started once it holds about this much text, bytes. Default 64 KiB. */
  segmentBytes?: number;
}

const SEGMENT = /^(.+)\.(\d{6})\.csv$/;

function segmentName(sensorId: string, segment: number): string {
  return `${encodeURIComponent(sensorId)}.${String(segment).padStart(6, '0')}.csv`;
}

async function rootDir(o: OpfsStoreOptions, recordingId: string): Promise<FileSystemDirectoryHandle> {
  if (o.root) return o.root;
  const storage = (globalThis as { navigator?: { storage?: StorageManager } }).navigator?.storage;
  if (!storage?.getDirectory) throw new RecordingStoreError('opfs', recordingId, '', 'no origin private file system here (pass options.root)');
  try {
    return await (await storage.getDirectory()).getDirectoryHandle(OPFS_RECORDINGS_DIR, { create: true });
  } catch (err) {
    throw new RecordingStoreError('opfs', recordingId, '', `cannot open the recordings folder: ${describeError(err)}`, err);
  }
}

/** Canonical CSV pieces into segment files, one commit per block. Use with `record(sink)`. */
export class OpfsCsvSink implements BlockSink {
  readonly recordingId: string;
  private readonly segmentBytes: number;
  private readonly dir: Promise<FileSystemDirectoryHandle>;
  private readonly csv: CanonicalCsvSink;
  private readonly sensors = new Map<string, { segment: number; bytes: number }>();
  private readonly encoder = new TextEncoder();
  /** Writes run one after another, in stream order. */
  private chain: Promise<void> = Promise.resolve();
  private queued: Promise<void>[] = [];
  /** Pieces committed so far. */
  storedPieces = 0;

  constructor(options: OpfsSinkOptions) {
    this.recordingId = options.recordingId;
    this.segmentBytes = options.segmentBytes ?? OPFS_DEFAULT_SEGMENT_BYTES;
    if (!(this.segmentBytes > 0)) throw new RangeError(`OpfsCsvSink: segmentBytes must be > 0, got ${this.segmentBytes}`);
    this.dir = rootDir(options, options.recordingId).then(async (root) => {
      try {
        const dir = await root.getDirectoryHandle(options.recordingId, { create: true });
        // Stale segments of an earlier recording would be read back after this one's.
        for (const name of await names(dir)) await dir.removeEntry(name, { recursive: true });
        return dir;
      } catch (err) {
        throw new RecordingStoreError('opfs', options.recordingId, '', `cannot create the recording folder: ${describeError(err)}`, err);
      }
    });
    this.dir.catch(() => undefined); // reported by the first write
    this.csv = new CanonicalCsvSink((p) => void this.queued.push(this.enqueue(p)), options);
  }

  write(block: SampleBlock): Promise<void> {
    this.queued = [];
    this.csv.write(block);
    return Promise.all(this.queued).then(() => undefined);
  }

  async close(): Promise<void> {
    await this.chain;
  }

  private enqueue(piece: CsvPiece): Promise<void> {
    const run = this.chain.then(() => this.append(piece));
    // A failed write fails its block; the ones after it still get their turn.
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async append(piece: CsvPiece): Promise<void> {
    const dir = await this.dir;
    const bytes = this.encoder.encode(piece.text);
    let s = this.sensors.get(piece.sensorId);
    if (!s) this.sensors.set(piece.sensorId, (s = { segment: 0, bytes: 0 }));
    if (s.bytes > 0 && s.bytes + bytes.length > this.segmentBytes) {
      s.segment++;
      s.bytes = 0;
    }
    const name = segmentName(piece.sensorId, s.segment);
    try {
      const file = await dir.getFileHandle(name, { create: true });
      // A new segment starts empty even if a file of that name was left by an earlier recording.
      const w = await file.createWritable({ keepExistingData: s.bytes > 0 });
      try {
        await w.write({ type: 'write', position: s.bytes, data: bytes });
        await w.close(); // the commit: the file now holds this piece
      } catch (err) {
        await w.abort().catch(() => undefined);
        throw err;
      }
    } catch (err) {
      throw new RecordingStoreError('opfs', this.recordingId, `${name} (sensor '${piece.sensorId}' piece ${piece.seq})`, `write failed: ${describeError(err)}`, err);
    }
    s.bytes += bytes.length;
    this.storedPieces++;
  }
}

/** Entries of a directory (the DOM typings of this TypeScript version lack its async iterator). */
async function names(dir: FileSystemDirectoryHandle): Promise<string[]> {
  const out: string[] = [];
  for await (const key of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) out.push(key);
  return out;
}

/**
 * The files of a stored recording, one per sensor (sorted by sensor id). Throws
 * RecordingStoreError when the recording does not exist or a sensor's segments do not run
 * 000000, 000001, … (a folder damaged outside this library).
 */
export async function readOpfsRecording(recordingId: string, options: OpfsStoreOptions = {}): Promise<StoredRecordingFile[]> {
  const root = await rootDir(options, recordingId);
  let dir: FileSystemDirectoryHandle;
  try {
    dir = await root.getDirectoryHandle(recordingId);
  } catch (err) {
    throw new RecordingStoreError('opfs', recordingId, '', `no such recording: ${describeError(err)}`, err);
  }
  const bySensor = new Map<string, { segment: number; name: string }[]>();
  for (const name of await names(dir)) {
    const m = SEGMENT.exec(name);
    if (!m) continue; // not ours
    const sensorId = decodeURIComponent(m[1]!);
    let list = bySensor.get(sensorId);
    if (!list) bySensor.set(sensorId, (list = []));
    list.push({ segment: Number(m[2]), name });
  }
  const files: StoredRecordingFile[] = [];
  for (const sensorId of [...bySensor.keys()].sort()) {
    const list = bySensor.get(sensorId)!.sort((a, b) => a.segment - b.segment);
    let text = '';
    for (let i = 0; i < list.length; i++) {
      if (list[i]!.segment !== i) throw new RecordingStoreError('opfs', recordingId, segmentName(sensorId, i), `missing (the next segment is ${list[i]!.name})`);
      text += await (await (await dir.getFileHandle(list[i]!.name)).getFile()).text();
    }
    files.push({ sensorId, text, pieces: list.length });
  }
  if (files.length === 0) throw new RecordingStoreError('opfs', recordingId, '', 'the recording folder holds no segment files');
  return files;
}

/** Ids of the recordings under the root, sorted. */
export async function listOpfsRecordings(options: OpfsStoreOptions = {}): Promise<string[]> {
  return (await names(await rootDir(options, ''))).sort();
}

/** Remove a recording folder. */
export async function deleteOpfsRecording(recordingId: string, options: OpfsStoreOptions = {}): Promise<void> {
  const root = await rootDir(options, recordingId);
  try {
    await root.removeEntry(recordingId, { recursive: true });
  } catch (err) {
    throw new RecordingStoreError('opfs', recordingId, '', `cannot delete: ${describeError(err)}`, err);
  }
}
