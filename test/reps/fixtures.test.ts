/**
 * The bundled simulated sessions: the automatic single-sensor signal and the true joint angles,
 * segmented streaming and offline — the two agree on the counts, and both match the truth.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSession } from '../../src/io/node/session';
import { dominantRotationSignal, DominantRotationTracker } from '../../src/reps/dominantRotation';
import { countRepsOffline } from '../../src/reps/offline';
import type { MovementSignal, Rep } from '../../src/reps/rep';
import { RepSegmenter } from '../../src/reps/segmenter';
import { concatBlocks, requireInertial, type InertialBlock } from '../../src/samples/block';
import type { ReadSessionOptions } from '../../src/io/node/session';

const root = join(import.meta.dirname, '..', '..', 'fixtures');

async function sensorBlock(session: string, sensor: string): Promise<InertialBlock> {
  const s = await readSession(join(root, session));
  const blocks = [];
  for await (const b of s.sensor(sensor)!.blocks()) blocks.push(requireInertial(b, 'test'));
  return concatBlocks(blocks).block;
}

interface TruthRep {
  startS: number;
  endS: number;
  partial: boolean;
}

function truthReps(session: string): TruthRep[] {
  const lines = readFileSync(join(root, session, 'truth', 'reps.csv'), 'utf8').trim().split('\n').slice(1);
  return lines.map((l) => {
    const f = l.split(',').map(Number);
    return { startS: f[2]!, endS: f[5]!, partial: f[7] === 1 };
  });
}

function truthAngle(session: string, column: string): MovementSignal {
  const lines = readFileSync(join(root, session, 'truth', 'angles.csv'), 'utf8').trim().split('\n');
  const k = lines[0]!.split(',').indexOf(column);
  const rows = lines.slice(1).map((l) => l.split(',').map(Number));
  return { tS: Float64Array.from(rows, (r) => r[0]!), angleDeg: Float64Array.from(rows, (r) => r[k]!), name: column };
}

function streamSignal(signal: MovementSignal): Rep[] {
  const seg = new RepSegmenter();
  const out = [...seg.pushBlock(signal.tS, signal.angleDeg)];
  const last = seg.finish();
  if (last) out.push(last);
  return out;
}

function streamImu(block: InertialBlock): Rep[] {
  const seg = new RepSegmenter();
  const out: Rep[] = [];
  const tracker = new DominantRotationTracker((t, a) => {
    const r = seg.push(t, a);
    if (r) out.push(r);
  }, {}, block.info.rateHz);
  tracker.updateBlock(block);
  tracker.finish();
  const last = seg.finish();
  if (last) out.push(last);
  return out;
}

function expectMatchesTruth(reps: readonly Rep[], truth: TruthRep[], tolS: number): void {
  expect(reps.map((r) => r.partial)).toEqual(truth.map((r) => r.partial));
  reps.forEach((r, i) => {
    expect(Math.abs(r.startS - truth[i]!.startS), `rep ${i} start`).toBeLessThan(tolS);
    expect(Math.abs(r.endS - truth[i]!.endS), `rep ${i} end`).toBeLessThan(tolS);
  });
}

const CASES = [
  { session: 'knee-flexion', sensor: 'shank', angle: 'knee_flexion_deg', full: 10 },
  { session: 'shoulder-abduction', sensor: 'upperArm', angle: 'shoulder_elevation_deg', full: 7 },
] as const;

describe('reps on the bundled fixtures', () => {
  for (const c of CASES) {
    it(`${c.session}: dominant rotation of '${c.sensor}' and the true joint angle — streaming = offline = truth`, async () => {
      const truth = truthReps(c.session);
      const block = await sensorBlock(c.session, c.sensor);
      const signal = dominantRotationSignal(block);
      expect(signal.axisShare).toBeGreaterThan(0.9);
      for (const sig of [signal, truthAngle(c.session, c.angle)]) {
        const off = countRepsOffline(sig);
        const live = streamSignal(sig);
        expect(off.count).toBe(c.full);
        expect(live.filter((r) => !r.partial)).toHaveLength(off.count);
        expectMatchesTruth(off.reps, truth, 0.2);
        expectMatchesTruth(live, truth, 0.25);
      }
      // Fully streaming from the IMU (causal fusion, axis from the warm-up): same count.
      const imu = streamImu(block);
      expect(imu.filter((r) => !r.partial)).toHaveLength(c.full);
      expectMatchesTruth(imu, truth, 0.3);
    });
  }

  it('knee-flexion: the still thigh sensor has no reps', async () => {
    const block = await sensorBlock('knee-flexion', 'thigh');
    const still = dominantRotationSignal(block);
    expect(countRepsOffline(still).count).toBe(0);
    // The moving sensor turned far more in total than the still one.
    const moving = dominantRotationSignal(await sensorBlock('knee-flexion', 'shank'));
    expect(moving.totalRotationDeg).toBeGreaterThan(1000);
    expect(still.totalRotationDeg).toBeLessThan(0.05 * moving.totalRotationDeg);
    expect(streamImu(block)).toHaveLength(0);
  });
});

/** Every recording bundled in fixtures/ (test/cli/analyze.test.ts checks that list is complete). */
const ALL: readonly { path: string; options?: ReadSessionOptions }[] = [
  { path: 'knee-flexion' },
  { path: 'knee-swing' },
  { path: 'elbow-2dof' },
  { path: 'hip-ball' },
  { path: 'shoulder-abduction' },
  { path: 'free-motion' },
  { path: 'uci-pt/s1-e6-u2-test-first2sets.csv' },
  { path: 'uci-pt/s1-e1-u2-test-first20s.txt', options: { format: 'delimited', rateHz: 25, columns: 't=time index,ax=acc_x,ay=acc_y,az=acc_z,gx=gyr_x,gy=gyr_y,gz=gyr_z' } },
  { path: 'xsens/MT_00B4A1C2_walk-000.txt' },
  { path: 'broad/01_undisturbed_slow_rotation_A_slice.mat' },
];

describe('streaming and offline agree on the count on every fixture', () => {
  for (const f of ALL) {
    it(f.path, async () => {
      const session = await readSession(join(root, f.path), f.options ?? {});
      for (const rec of session.recordings) {
        const blocks = [];
        for await (const b of rec.blocks()) blocks.push(requireInertial(b, 'test'));
        const block = concatBlocks(blocks).block;
        const signal = dominantRotationSignal(block);
        const off = countRepsOffline(signal).count;
        // The segmenter itself: streaming over the same signal = offline, always.
        expect(streamSignal(signal).filter((r) => !r.partial), `${rec.sensorId}: segmenter`).toHaveLength(off);
        // Fully live (causal fusion, axis from the warm-up) = offline wherever the motion has a
        // dominant axis; without one (multi-axis motion, flagged by analyze) the two axes may differ.
        if (signal.axisShare >= 0.55) expect(streamImu(block).filter((r) => !r.partial), `${rec.sensorId}: live from the IMU`).toHaveLength(off);
      }
    });
  }
});
