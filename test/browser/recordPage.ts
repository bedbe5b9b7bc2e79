/**
 * The page of the recording check in test/browser/run.mjs: `startRecording()` streams a
 * simulated two-sensor session (one block every few ms) through `record()` into IndexedDB and
 * OPFS, counting the samples whose writes have completed; the runner reloads the page
 * mid-stream (a tab closed), then `readBack()` reads both stores and compares every stored
 * sample, and the orientation fused from the replay, with the same simulated session.
 */
import { concatMap, from, lastValueFrom, map, timer, toArray } from 'rxjs';
import * as sim from '../../src/sim/index';
import { IndexedDbCsvSink, OpfsCsvSink, fromRecording, fuseOrientation, readIndexedDbRecording, readOpfsRecording, record } from '../../src/pipeline/index';
import type { BlockSink, StoredRecordingFile } from '../../src/pipeline/index';
import type { SampleBlock } from '../../src/samples/block';

const RECORDING = 'browser-check';
const BLOCK_EVERY_MS = 8;

/** The session, interleaved as two live sensors would arrive: deterministic (seeded). */
function session(): SampleBlock[] {
  const { blocks } = sim.simulate(sim.kneeFlexionScenario({ reps: 3, noise: 'consumer' }), { rateHz: 100, seed: 11, blockSize: 10, durationS: 20 });
  const out: SampleBlock[] = [];
  for (let i = 0; i < Math.max(blocks.thigh!.length, blocks.shank!.length); i++) {
    if (blocks.thigh![i]) out.push(blocks.thigh![i]!);
    if (blocks.shank![i]) out.push(blocks.shank![i]!);
  }
  return out;
}

interface Progress {
  total: number;
  /** Samples per store and sensor whose write completed (a prefix of the stream: writes complete in order). */
  durable: Record<string, Record<string, number>>;
  emitted: number;
  error: string | null;
}
const progress: Progress = { total: 0, durable: { indexeddb: {}, opfs: {} }, emitted: 0, error: null };

function counted(store: string, sink: BlockSink): BlockSink {
  return {
    write(b) {
      const r = sink.write(b);
      const done = () => {
        const d = progress.durable[store]!;
        d[b.info.sensorId] = (d[b.info.sensorId] ?? 0) + b.tS.length;
      };
      if (r) return r.then(done);
      done();
      return undefined;
    },
    close: () => sink.close?.(),
  };
}

async function startRecording(): Promise<void> {
  const blocks = session();
  progress.total = blocks.reduce((n, b) => n + b.tS.length, 0);
  const idb = counted('indexeddb', new IndexedDbCsvSink({ recordingId: RECORDING }));
  const opfs = counted('opfs', new OpfsCsvSink({ recordingId: RECORDING, segmentBytes: 8 * 1024 }));
  from(blocks)
    .pipe(
      concatMap((b) => timer(BLOCK_EVERY_MS).pipe(map(() => b))),
      record(idb),
      record(opfs),
    )
    .subscribe({
      next: (b) => (progress.emitted += b.tS.length),
      error: (e) => (progress.error = String(e?.stack ?? e)),
    });
}

const same = (a: Float64Array | undefined, b: Float64Array | undefined): boolean => !!a && !!b && a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

function concat(blocks: readonly SampleBlock[], key: 'tS' | 'accMS2' | 'gyrRadS' | 'quat'): Float64Array {
  const parts = blocks.map((b) => b[key]!);
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

interface SensorCheck {
  sensorId: string;
  samples: number;
  pieces: number;
  /** Stored samples equal the session's first ones, bit for bit (t, acc, gyr). */
  identical: boolean;
  /** Orientation fused from the replay equals the one fused from the session's same samples. */
  replayIdentical: boolean;
}

async function check(file: StoredRecordingFile, all: SampleBlock[]): Promise<SensorCheck> {
  const replayed = await lastValueFrom(fromRecording(new Blob([file.text]), { file: `${file.sensorId}.csv` }).pipe(toArray()));
  const samples = replayed.reduce((n, b) => n + b.tS.length, 0);
  // The session's blocks of this sensor covering the stored samples (storage is per block).
  const mine = all.filter((b) => b.info.sensorId === file.sensorId);
  const prefix: SampleBlock[] = [];
  let covered = 0;
  for (const b of mine) {
    if (covered >= samples) break;
    prefix.push(b);
    covered += b.tS.length;
  }
  const identical =
    prefix.reduce((n, b) => n + b.tS.length, 0) === samples &&
    (['tS', 'accMS2', 'gyrRadS'] as const).every((k) => same(concat(replayed, k), concat(prefix, k)));
  const fusedReplay = await lastValueFrom(from(replayed).pipe(fuseOrientation(), toArray()));
  const fusedLive = await lastValueFrom(from(prefix).pipe(fuseOrientation(), toArray()));
  return { sensorId: file.sensorId, samples, pieces: file.pieces, identical, replayIdentical: same(concat(fusedReplay, 'quat'), concat(fusedLive, 'quat')) };
}

async function readBack(): Promise<Record<string, SensorCheck[] | string>> {
  const all = session();
  const out: Record<string, SensorCheck[] | string> = {};
  for (const [store, read] of [
    ['indexeddb', () => readIndexedDbRecording(RECORDING)],
    ['opfs', () => readOpfsRecording(RECORDING)],
  ] as const) {
    try {
      out[store] = await Promise.all((await read()).map((f) => check(f, all)));
    } catch (e) {
      out[store] = String((e as Error)?.stack ?? e);
    }
  }
  return out;
}

Object.assign(window, { kinemetryRecord: { startRecording, readBack, progress } });
