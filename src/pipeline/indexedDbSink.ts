/**
 * Recording into IndexedDB while streaming (browser-safe). Every block becomes one canonical
 * CSV piece (the header is piece 0 of its sensor) stored as its own record
 * `{ recordingId, sensorId, seq, text }` in its own transaction, put as the block arrives: a
 * crash or a closed tab keeps every piece whose transaction completed, and readwrite
 * transactions commit in the order they were made, so what survives is always a prefix of the
 * stream. {@link readIndexedDbRecording} concatenates the pieces by `seq` into the files.
 */
import type { CanonicalCsvWriterOptions } from '../io/canonicalCsvWriter';
import type { SampleBlock } from '../samples/block';
import { CanonicalCsvSink } from './sinks';
import type { BlockSink, CsvPiece } from './sinks';
import { RecordingStoreError, describeError } from './storeErrors';
import type { StoredRecordingFile } from './storeErrors';

export const IDB_DEFAULT_NAME = 'kinemetry-recordings';
const STORE = 'pieces';
const VERSION = 1;

export interface IndexedDbStoreOptions {
  /** Database name. Default {@link IDB_DEFAULT_NAME}. */
  dbName?: string;
  /** Default `globalThis.indexedDB`. */
  indexedDB?: IDBFactory;
}

export interface IndexedDbSinkOptions extends IndexedDbStoreOptions, CanonicalCsvWriterOptions {
  /** Name of this recording in the store (e.g. a session id). One recording per id: pieces left under it are deleted first. */
  recordingId: string;
  /** Transaction durability: `strict` waits for the disk on every block (survives an OS crash), `relaxed` (default) for the browser to have it (survives a tab close or renderer crash). */
  durability?: 'strict' | 'relaxed';
}

interface StoredPiece extends CsvPiece {
  readonly recordingId: string;
}

function factory(o: IndexedDbStoreOptions, recordingId: string): IDBFactory {
  const f = o.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!f) throw new RecordingStoreError('indexeddb', recordingId, '', 'no IndexedDB here (pass options.indexedDB)');
  return f;
}

/** Open (creating on first use) the recordings database. */
export function openRecordingDb(options: IndexedDbStoreOptions = {}, recordingId = ''): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const fail = (why: string, cause?: unknown) => reject(new RecordingStoreError('indexeddb', recordingId, '', why, cause));
    let req: IDBOpenDBRequest;
    try {
      req = factory(options, recordingId).open(options.dbName ?? IDB_DEFAULT_NAME, VERSION);
    } catch (err) {
      if (err instanceof RecordingStoreError) reject(err);
      else fail(`cannot open the database: ${describeError(err)}`, err);
      return;
    }
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath: ['recordingId', 'sensorId', 'seq'] });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => fail(`cannot open the database: ${describeError(req.error)}`, req.error);
    req.onblocked = () => fail('the database is held open at an older version by another tab');
  });
}

/** Canonical CSV pieces into IndexedDB, one transaction per block. Use with `record(sink)`. */
export class IndexedDbCsvSink implements BlockSink {
  readonly recordingId: string;
  private readonly db: Promise<IDBDatabase>;
  private readonly csv: CanonicalCsvSink;
  private readonly durability: 'strict' | 'relaxed';
  /** Pieces stored so far (their transactions completed). */
  storedPieces = 0;

  constructor(options: IndexedDbSinkOptions) {
    this.recordingId = options.recordingId;
    this.durability = options.durability ?? 'relaxed';
    const id = options.recordingId;
    this.db = openRecordingDb(options, id).then(
      (db) =>
        // Stale pieces of an earlier recording under this id would be read back with this one.
        new Promise<IDBDatabase>((resolve, reject) => {
          const tx = db.transaction(STORE, 'readwrite');
          tx.objectStore(STORE).delete(recordingRange(id));
          tx.oncomplete = () => resolve(db);
          tx.onerror = tx.onabort = () => reject(new RecordingStoreError('indexeddb', id, '', `cannot clear the id: ${describeError(tx.error)}`, tx.error));
        }),
    );
    // Opening failed: the first write reports it (not an unhandled rejection now).
    this.db.catch(() => undefined);
    // The pieces' appends are synchronous, so the writer never waits for one before the next.
    this.csv = new CanonicalCsvSink((p) => void this.queued.push(this.put(p)), options);
  }

  private queued: Promise<void>[] = [];

  write(block: SampleBlock): Promise<void> {
    this.queued = [];
    this.csv.write(block);
    return Promise.all(this.queued).then(() => undefined);
  }

  async close(): Promise<void> {
    (await this.db).close();
  }

  /** Continuations on one promise run in the order they were added: the transactions are made in stream order. */
  private put(piece: CsvPiece): Promise<void> {
    return this.db.then((db) => this.putIn(db, piece));
  }

  private putIn(db: IDBDatabase, piece: CsvPiece): Promise<void> {
    const where = `sensor '${piece.sensorId}' piece ${piece.seq}`;
    const record: StoredPiece = { recordingId: this.recordingId, sensorId: piece.sensorId, seq: piece.seq, text: piece.text };
    return new Promise<void>((resolve, reject) => {
      const fail = (why: string, cause?: unknown) => reject(new RecordingStoreError('indexeddb', this.recordingId, where, why, cause));
      try {
        // Made now, synchronously with the block: transactions commit in this order.
        const tx = db.transaction(STORE, 'readwrite', { durability: this.durability });
        tx.objectStore(STORE).put(record);
        tx.oncomplete = () => {
          this.storedPieces++;
          resolve();
        };
        tx.onerror = () => fail(`write failed: ${describeError(tx.error)}`, tx.error);
        tx.onabort = () => fail(`write aborted: ${describeError(tx.error)}`, tx.error);
      } catch (err) {
        fail(`write failed: ${describeError(err)}`, err);
      }
    });
  }
}

function request<T>(req: IDBRequest<T>, recordingId: string, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new RecordingStoreError('indexeddb', recordingId, '', `${what} failed: ${describeError(req.error)}`, req.error));
  });
}

/** Every key [recordingId, …]: arrays sort after every string and number, so [id, []] bounds them. */
function recordingRange(recordingId: string): IDBKeyRange {
  return IDBKeyRange.bound([recordingId], [recordingId, []]);
}

/**
 * The files of a stored recording, one per sensor (in order of first block). Throws
 * RecordingStoreError when a sensor's pieces do not run 0, 1, 2, … (a store damaged outside
 * this library) or the recording does not exist.
 */
export async function readIndexedDbRecording(recordingId: string, options: IndexedDbStoreOptions = {}): Promise<StoredRecordingFile[]> {
  const db = await openRecordingDb(options, recordingId);
  try {
    const store = db.transaction(STORE, 'readonly').objectStore(STORE);
    const pieces = (await request(store.getAll(recordingRange(recordingId)), recordingId, 'reading')) as StoredPiece[];
    if (pieces.length === 0) throw new RecordingStoreError('indexeddb', recordingId, '', 'no such recording (nothing stored under this id)');
    const bySensor = new Map<string, StoredPiece[]>();
    for (const p of pieces) {
      let list = bySensor.get(p.sensorId);
      if (!list) bySensor.set(p.sensorId, (list = []));
      list.push(p);
    }
    const files: StoredRecordingFile[] = [];
    for (const [sensorId, list] of bySensor) {
      // Keys sort by seq within a sensor.
      list.forEach((p, i) => {
        if (p.seq !== i) throw new RecordingStoreError('indexeddb', recordingId, `sensor '${sensorId}' piece ${i}`, `missing (the next stored piece is ${p.seq})`);
      });
      files.push({ sensorId, text: list.map((p) => p.text).join(''), pieces: list.length });
    }
    return files;
  } finally {
    db.close();
  }
}

/** Ids of the recordings in the store, sorted. */
export async function listIndexedDbRecordings(options: IndexedDbStoreOptions = {}): Promise<string[]> {
  const db = await openRecordingDb(options);
  try {
    const keys = (await request(db.transaction(STORE, 'readonly').objectStore(STORE).getAllKeys(), '', 'listing')) as unknown as [string, string, number][];
    return [...new Set(keys.map((k) => k[0]))].sort();
  } finally {
    db.close();
  }
}

/** Remove a recording from the store. */
export async function deleteIndexedDbRecording(recordingId: string, options: IndexedDbStoreOptions = {}): Promise<void> {
  const db = await openRecordingDb(options, recordingId);
  try {
    await request(db.transaction(STORE, 'readwrite').objectStore(STORE).delete(recordingRange(recordingId)), recordingId, 'deleting');
  } finally {
    db.close();
  }
}
