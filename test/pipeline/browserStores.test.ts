/**
 * The browser recording sinks outside a browser: the OPFS sink over an in-memory directory
 * that keeps the File System Access commit rule (a writable's data lands only on close), and
 * the IndexedDB sink's error when there is no IndexedDB. The real stores are exercised in
 * Chromium by test/browser/run.mjs.
 */
import { from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { parseCanonicalCsv } from '../../src/io/canonicalCsv';
import { IndexedDbCsvSink } from '../../src/pipeline/indexedDbSink';
import { OpfsCsvSink, readOpfsRecording } from '../../src/pipeline/opfsSink';
import { record } from '../../src/pipeline/record';
import { MemoryCsvSink } from '../../src/pipeline/sinks';
import { RecordingStoreError } from '../../src/pipeline/storeErrors';
import { simulate } from '../../src/sim/simulate';
import { kneeFlexionScenario } from '../../src/sim/scenarios';
import { concatBlocks } from '../../src/samples/block';

/** Files and folders in memory; a writable stages a copy and commits it on close, as browsers do. */
class MemDir {
  readonly dirs = new Map<string, MemDir>();
  readonly files = new Map<string, { data: Uint8Array }>();
  commits = 0;
  /** Shared by the whole tree: writes fail once this many commits were made. */
  constructor(readonly limit: { commits: number } = { commits: Infinity }) {}
  async getDirectoryHandle(name: string, o: { create?: boolean } = {}) {
    let d = this.dirs.get(name);
    if (!d) {
      if (!o.create) throw Object.assign(new Error(`no folder ${name}`), { name: 'NotFoundError' });
      this.dirs.set(name, (d = new MemDir(this.limit)));
    }
    return d;
  }
  async getFileHandle(name: string, o: { create?: boolean } = {}) {
    let f = this.files.get(name);
    if (!f) {
      if (!o.create) throw Object.assign(new Error(`no file ${name}`), { name: 'NotFoundError' });
      this.files.set(name, (f = { data: new Uint8Array(0) }));
    }
    const file = f;
    return {
      createWritable: async (w: { keepExistingData?: boolean } = {}) => {
        let staged = w.keepExistingData ? file.data.slice() : new Uint8Array(0);
        return {
          write: async (op: { position: number; data: Uint8Array }) => {
            if (this.limit.commits <= 0) throw Object.assign(new Error('the disk is full'), { name: 'QuotaExceededError' });
            const next = new Uint8Array(Math.max(staged.length, op.position + op.data.length));
            next.set(staged);
            next.set(op.data, op.position);
            staged = next;
          },
          close: async () => {
            file.data = staged;
            this.commits++;
            this.limit.commits--;
          },
          abort: async () => undefined,
        };
      },
      getFile: async () => ({ text: async () => new TextDecoder().decode(file.data) }),
    };
  }
  async removeEntry(name: string) {
    this.files.delete(name);
    this.dirs.delete(name);
  }
  async *keys() {
    yield* [...this.dirs.keys(), ...this.files.keys()];
  }
}

const asRoot = (d: MemDir) => d as unknown as FileSystemDirectoryHandle;

function session() {
  const { blocks } = simulate(kneeFlexionScenario({ reps: 2, noise: 'consumer' }), { rateHz: 100, seed: 5, blockSize: 10, durationS: 6 });
  return [...blocks.thigh!, ...blocks.shank!];
}

describe('OpfsCsvSink', () => {
  it('one commit per block, in bounded segments that read back to the canonical file, bit for bit', async () => {
    const root = new MemDir();
    root.dirs.set('rec', new MemDir());
    root.dirs.get('rec')!.files.set('thigh.000099.csv', { data: new TextEncoder().encode('stale') }); // an earlier recording's
    const blocks = session();
    const mem = new MemoryCsvSink();
    const sink = new OpfsCsvSink({ recordingId: 'rec', root: asRoot(root), segmentBytes: 4096 });
    await lastValueFrom(from(blocks).pipe(record(mem), record(sink), toArray()));
    const dir = root.dirs.get('rec')!;
    expect(dir.commits).toBe(blocks.length + 2); // every block, and each sensor's header
    expect(sink.storedPieces).toBe(blocks.length + 2);
    for (const f of dir.files.values()) expect(f.data.length).toBeLessThan(4096 + 1200); // a segment ends once past the size
    const files = await readOpfsRecording('rec', { root: asRoot(root) });
    expect(files.map((f) => f.sensorId)).toEqual(['shank', 'thigh']);
    for (const f of files) {
      expect(f.pieces).toBeGreaterThan(3);
      expect(f.text).toBe(mem.text(f.sensorId));
      const back = concatBlocks(parseCanonicalCsv(f.text, { file: `${f.sensorId}.csv` })).block;
      const live = concatBlocks(blocks.filter((b) => b.info.sensorId === f.sensorId)).block;
      expect(back.tS).toEqual(live.tS);
      expect(back.accMS2).toEqual(live.accMS2);
      expect(back.gyrRadS).toEqual(live.gyrRadS);
    }
  });

  it('a failed write errors the stream with RecordingStoreError naming the file; a missing segment is refused on read', async () => {
    const limit = { commits: 30 };
    const root = new MemDir(limit);
    const sink = new OpfsCsvSink({ recordingId: 'full', root: asRoot(root), segmentBytes: 2048 });
    const err = await lastValueFrom(from(session()).pipe(record(sink))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RecordingStoreError);
    expect((err as Error).message).toMatch(/^opfs recording 'full' thigh\.\d{6}\.csv \(sensor 'thigh' piece \d+\): write failed: QuotaExceededError: the disk is full$/);
    const dir = root.dirs.get('full')!;
    expect(dir.commits).toBe(30); // everything before the failure stays
    limit.commits = Infinity;
    dir.files.delete('thigh.000001.csv');
    await expect(readOpfsRecording('full', { root: asRoot(root) })).rejects.toThrow(/thigh\.000001\.csv: missing \(the next segment is thigh\.000002\.csv\)/);
    await expect(readOpfsRecording('nothing', { root: asRoot(root) })).rejects.toBeInstanceOf(RecordingStoreError);
  });
});

describe('IndexedDbCsvSink', () => {
  it('without IndexedDB, the first write fails with a RecordingStoreError (no crash, no unhandled rejection)', async () => {
    const sink = new IndexedDbCsvSink({ recordingId: 'r' });
    const err = await lastValueFrom(from(session()).pipe(record(sink))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RecordingStoreError);
    expect((err as Error).message).toBe("indexeddb recording 'r': no IndexedDB here (pass options.indexedDB)");
  });
});
