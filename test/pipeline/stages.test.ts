/**
 * The pipeline over recordings: the live chain gives what the batch path gives (rep count on
 * fixtures/knee-flexion), joint angles from two streaming sensors, and record → replay
 * reproduces the results exactly (memory sink, Node file sink, a crash mid-stream).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { from, lastValueFrom, toArray } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { readRecording } from '../../src/io/node/recordingFile';
import { parseCanonicalCsv } from '../../src/io/canonicalCsv';
import { quat } from '../../src/index';
import * as sim from '../../src/sim/index';
import { concatBlocks, requireInertial } from '../../src/samples/block';
import type { SampleBlock } from '../../src/samples/block';
import { countRepsOffline } from '../../src/reps/offline';
import { dominantRotationSignal } from '../../src/reps/dominantRotation';
import type { Rep } from '../../src/reps/rep';
import { coalesceBlocks, dominantRotation, fromRecording, fuseOrientation, jointAngles, MemoryCsvSink, record, scoreRepsLive, segmentReps } from '../../src/pipeline/index';
import type { RepStreamEvent } from '../../src/pipeline/index';
import { csvFileSink, fromRecordingFile, fromSession } from '../../src/pipeline/node/index';
import { bufferCount } from 'rxjs';

const KNEE = new URL('../../fixtures/knee-flexion', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'kinemetry-pipeline-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const fullReps = (events: RepStreamEvent[]): Rep[] => events.flatMap((e) => (e.type === 'rep' && !e.rep.partial ? [e.rep] : []));
const repChain = (sensorId: string) => [fuseOrientation(), dominantRotation({ sensorId }), segmentReps()] as const;

describe('pipeline over fixtures/knee-flexion', () => {
  it('fromSession → fuseOrientation → dominantRotation → segmentReps counts the 10 reps the batch path (analyze) counts', async () => {
    const shank = concatBlocks(await collectBlocks(join(KNEE, "shank.csv"))).block;
    const batch = countRepsOffline(dominantRotationSignal(requireInertial(shank, 'test')));
    expect(batch.count).toBe(10);
    const [f, d, s] = repChain('shank');
    const events = await lastValueFrom(fromSession(KNEE).pipe(f, d, s, scoreRepsLive(), toArray()));
    const reps = fullReps(events);
    expect(reps.length).toBe(batch.count);
    // Each live rep is the batch rep (boundaries within a few tenths of a second).
    reps.forEach((r, i) => expect(Math.abs(r.peakS - batch.reps.filter((b) => !b.partial)[i]!.peakS)).toBeLessThan(0.5));
    // Every rep is scored as it completes.
    const scored = events.filter((e) => e.type === 'scored');
    expect(scored.length).toBe(events.filter((e) => e.type === 'rep').length);
    // The chunks carry every shank sample, plus NaN markers at the recorded gaps.
    const samples = events.reduce((n, e) => n + (e.type === 'angles' ? e.chunk.angleDeg.filter((v) => !Number.isNaN(v)).length : 0), 0);
    expect(samples).toBe(shank.tS.length);
  });

  it('fromRecording on a browser File / Blob gives the blocks the Node reader gives', async () => {
    const path = join(KNEE, 'thigh.csv');
    const file = new File([readFileSync(path)], 'thigh.csv');
    const a = await lastValueFrom(fromRecording(file).pipe(toArray()));
    const b = await lastValueFrom(fromRecordingFile(path).pipe(toArray()));
    expect(a.length).toBe(b.length);
    expect(concatBlocks(a).block.accMS2).toEqual(concatBlocks(b).block.accMS2);
    expect(a[0]!.info.sensorId).toBe('thigh');
  });

  it('record → replay gives identical quaternions and reps (memory sink, and the Node file sink)', async () => {
    const mem = new MemoryCsvSink();
    const fileSink = csvFileSink(join(tmp, 'rec'));
    const live: SampleBlock[] = [];
    await lastValueFrom(fromSession(KNEE).pipe(record(mem), record(fileSink), fuseOrientation(), toArray())).then((bs) => live.push(...bs));
    expect(mem.sensorIds.sort()).toEqual(['shank', 'thigh']);
    const liveQ = (id: string) => concatBlocks(live.filter((b) => b.info.sensorId === id)).block.quat!;
    for (const id of ['shank', 'thigh']) {
      const replayed = await lastValueFrom(fromRecording(new Blob([mem.text(id)]) as unknown as File, { file: `${id}.csv` }).pipe(fuseOrientation(), toArray()));
      expect(concatBlocks(replayed).block.quat).toEqual(liveQ(id));
      const fromFile = await lastValueFrom(fromRecordingFile(fileSink.files.get(id)!).pipe(fuseOrientation(), toArray()));
      expect(concatBlocks(fromFile).block.quat).toEqual(liveQ(id));
    }
    const [f, d, s] = repChain('shank');
    const repsLive = fullReps(await lastValueFrom(fromSession(KNEE).pipe(f, d, s, toArray())));
    const [f2, d2, s2] = repChain('shank');
    const repsReplay = fullReps(await lastValueFrom(fromSession(join(tmp, 'rec')).pipe(f2, d2, s2, toArray())));
    expect(repsReplay).toEqual(repsLive);
  });

  it('a stream cut mid-way (crash, tab closed) leaves every block written so far in the file', async () => {
    const sink = csvFileSink(join(tmp, 'cut'));
    let written = 0;
    let onDisk = -1;
    await new Promise<void>((resolve) => {
      const sub = fromRecordingFile(join(KNEE, 'thigh.csv'), { blockSize: 100 }).pipe(record(sink)).subscribe((b) => {
        written += b.tS.length;
        if (written >= 1500 && onDisk < 0) {
          // What a crash right now would leave: the file as it is, before any close or flush.
          onDisk = parseCanonicalCsv(readFileSync(sink.files.get('thigh')!, 'utf8')).reduce((n, x) => n + x.tS.length, 0);
          queueMicrotask(() => {
            sub.unsubscribe();
            resolve();
          });
        }
      });
    });
    expect(onDisk).toBe(written);
    expect(onDisk).toBe(1500);
  });

  it('coalesceBlocks joins batches per sensor, keeping every sample and the first gap', async () => {
    const blocks = await lastValueFrom(fromSession(KNEE).pipe(toArray()));
    const batched = await lastValueFrom(from(blocks).pipe(bufferCount(7), coalesceBlocks(), toArray()));
    const n = (bs: SampleBlock[]) => bs.reduce((k, b) => k + b.tS.length, 0);
    expect(n(batched.flat())).toBe(n(blocks));
  });
});

describe('jointAngles: two sensors synchronised while streaming', () => {
  it('knee flexion from thigh + shank (simulated, known mounts) follows the truth and counts its reps', async () => {
    const scenario = sim.kneeFlexionScenario({ reps: 4, amplitudeDeg: 80, noise: 'consumer' });
    const { blocks, truth } = sim.simulate(scenario, { rateHz: 100, seed: 3, blockSize: 25 });
    // Interleave the two sensors' blocks as live streams would arrive.
    const inter: SampleBlock[] = [];
    for (let i = 0; i < Math.max(blocks.thigh!.length, blocks.shank!.length); i++) {
      if (blocks.shank![i]) inter.push(blocks.shank![i]!);
      if (blocks.thigh![i]) inter.push(blocks.thigh![i]!);
    }
    const mount = (id: string) => scenario.sensors.find((s) => s.id === id)!.orientation ?? quat.create();
    const events = await lastValueFrom(
      from(inter).pipe(
        fuseOrientation(),
        jointAngles({ joint: 'knee', proximal: 'thigh', distal: 'shank' }, { proximal: { qSegSensor: mount('thigh') }, distal: { qSegSensor: mount('shank') } }),
        segmentReps(),
        toArray(),
      ),
    );
    const chunks = events.flatMap((e) => (e.type === 'angles' ? [e.chunk] : []));
    const t = Float64Array.from(chunks.flatMap((c) => [...c.tS]));
    const a = Float64Array.from(chunks.flatMap((c) => [...c.angleDeg]));
    expect(t.length).toBe(concatBlocks(blocks.shank!).block.tS.length); // one angle per distal sample
    const joint = Object.values(truth.joints)[0]!;
    const flex = joint.anglesRad[joint.dofNames[0]!]!;
    let se = 0, m = 0;
    for (let i = 200; i < t.length; i++) {
      if (!Number.isFinite(a[i]!)) continue;
      const k = Math.round(t[i]! * 100);
      se += (a[i]! - (flex[k]! * 180) / Math.PI) ** 2;
      m++;
    }
    expect(m).toBeGreaterThan(t.length - 250);
    expect(Math.sqrt(se / m)).toBeLessThan(3);
    expect(fullReps(events).length).toBe(4);
  });
});

async function collectBlocks(path: string): Promise<SampleBlock[]> {
  const out: SampleBlock[] = [];
  for await (const b of readRecording(path)) out.push(b);
  return out;
}
