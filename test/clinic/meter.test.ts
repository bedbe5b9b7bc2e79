// The clinic page's measurement on bundled recordings, through the same pipeline as the page
// (fromRecording on a Blob → fuseOrientation → RomMeter), against the fixtures' truth.
import { readFileSync } from 'node:fs';
import { lastValueFrom, tap, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { fuseOrientation } from '../../src/index';
import { fromRecording } from '../../src/formats';
import { RomMeter, trialStats } from '../../examples/clinic/src/meter';
import { presetById } from '../../examples/clinic/src/presets';

async function run(path: string, preset: string, side: 'left' | 'right'): Promise<RomMeter> {
  const meter = new RomMeter(presetById(preset), side);
  const blob = new Blob([readFileSync(path, 'utf8')]);
  await lastValueFrom(fromRecording(Object.assign(blob, { name: path }), { blockSize: 10 }).pipe(fuseOrientation(), tap((b) => meter.push(b)), toArray()));
  return meter;
}

describe('clinic RomMeter', () => {
  it('shoulder abduction fixture: 8 trials, the partial one marked, best within 2° of the 150° truth', async () => {
    const m = await run('fixtures/shoulder-abduction/upperArm.csv', 'shoulder-abduction', 'left');
    const s = trialStats(m.trials)!;
    expect(m.trials.length).toBe(8);
    expect(m.trials.filter((t) => t.partial).length).toBe(1);
    expect(Math.abs(s.bestDeg - 150)).toBeLessThan(2);
    expect(Math.abs(s.meanDeg - 150)).toBeLessThan(2);
  });
  it('knee flexion fixture (shank sensor, thigh vertical): each trial within 2° of its rep amplitude', async () => {
    const m = await run('fixtures/knee-flexion/shank.csv', 'knee-flexion', 'right');
    const truth = readFileSync('fixtures/knee-flexion/truth/reps.csv', 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[6]));
    expect(m.trials.length).toBe(truth.length);
    m.trials.forEach((t, k) => expect(Math.abs(t.valueDeg - truth[k]!)).toBeLessThan(2));
  });
  it('the ± (1-σ) is the size of the actual errors: every trial within 3σ of the truth, σ not inflated', async () => {
    for (const [path, preset, side, truthOf] of [
      ['fixtures/shoulder-abduction/upperArm.csv', 'shoulder-abduction', 'left', 'fixtures/shoulder-abduction/truth/reps.csv'],
      ['fixtures/knee-flexion/shank.csv', 'knee-flexion', 'right', 'fixtures/knee-flexion/truth/reps.csv'],
    ] as const) {
      const m = await run(path, preset, side);
      const truth = readFileSync(truthOf, 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[6]));
      const z = m.trials.map((t, k) => (t.valueDeg - truth[k]!) / t.uncertaintyDeg);
      console.log(`${preset}: σ ${m.trials.map((t) => t.uncertaintyDeg.toFixed(2)).join(' ')}; error/σ ${z.map((x) => x.toFixed(2)).join(' ')}`);
      for (const x of z) expect(Math.abs(x)).toBeLessThan(3);
      for (const t of m.trials) expect(t.uncertaintyDeg).toBeLessThan(2);
    }
  });
});
