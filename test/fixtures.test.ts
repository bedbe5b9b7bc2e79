/**
 * The bundled fixtures: they must be exactly what scripts/fixture-sessions.ts generates (so
 * the ground truth beside them is the truth of these very samples), and reading them back
 * must agree with that truth.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFixtureSessions, fixtureFiles } from '../scripts/fixture-sessions';
import { readSession } from '../src/io/node/session';
import type { SampleBlock } from '../src/samples/block';
import { BlockValidator } from '../src/samples/validate';
import * as quat from '../src/math/quat';

const root = join(import.meta.dirname, '..', 'fixtures');
const sessions = buildFixtureSessions();

describe('fixtures/', () => {
  for (const session of sessions) {
    it(`${session.name}: committed files equal the generator's output (run \`npm run fixtures\` after changing the simulator)`, () => {
      for (const [rel, text] of Object.entries(fixtureFiles(session))) {
        expect(readFileSync(join(root, session.name, rel), 'utf8'), rel).toBe(text);
      }
    });
  }

  it('knee-flexion: reading the session finds both sensors and exactly the dropped samples the simulator recorded', async () => {
    const s = await readSession(join(root, 'knee-flexion'));
    expect(s.recordings.map((r) => r.sensorId).sort()).toEqual(['shank', 'thigh']);
    const scenario = JSON.parse(readFileSync(join(root, 'knee-flexion', 'truth', 'scenario.json'), 'utf8')) as {
      sensors: Record<string, { samples: number; emitted: number; dropped: number }>;
    };
    for (const rec of s.recordings) {
      const v = new BlockValidator({ nominalRateHz: 100 });
      let n = 0;
      for await (const b of rec.file) {
        v.push(b);
        n += b.tS.length;
      }
      const report = v.report();
      const truth = scenario.sensors[rec.sensorId]!;
      expect(n).toBe(truth.emitted);
      expect(report.missingSamples).toBe(truth.dropped);
      expect(report.ok).toBe(true);
    }
    expect(scenario.sensors['shank']!.dropped).toBeGreaterThan(0);
  });

  it('free-motion: recorded samples agree with the truth orientation (gravity direction within noise)', async () => {
    const s = await readSession(join(root, 'free-motion'));
    const blocks: SampleBlock[] = [];
    for await (const b of s.recordings[0]!.file) blocks.push(b);
    const truthText = readFileSync(join(root, 'free-motion', 'truth', 'imu-orientation.csv'), 'utf8').trim().split('\n').slice(1);
    // In the still lead-in the accelerometer must point along the true "up" seen in the sensor frame.
    const q = quat.create();
    const up = new Float64Array(3);
    const b = blocks[0]!;
    let worstDeg = 0;
    for (let i = 0; i < 200; i++) {
      const cells = truthText[i]!.split(',').map(Number);
      quat.set(q, cells[1]!, cells[2]!, cells[3]!, cells[4]!);
      quat.rotateInverse(up, q, [0, 0, 1]);
      const a = b.accMS2!.subarray(3 * i, 3 * i + 3);
      const cos = (a[0]! * up[0]! + a[1]! * up[1]! + a[2]! * up[2]!) / Math.hypot(a[0]!, a[1]!, a[2]!);
      worstDeg = Math.max(worstDeg, (Math.acos(Math.min(1, cos)) * 180) / Math.PI);
    }
    // consumer preset: 0.02 m/s² noise, 0.05 m/s² bias, 0.5 % scale, 0.3° misalignment → well under 1.5°.
    expect(worstDeg).toBeLessThan(1.5);
    expect(worstDeg).toBeGreaterThan(0); // noise is really there
  });
});
