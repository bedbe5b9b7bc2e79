// Two-sensor knee flexion with the functional calibration, through the page's own replay path
// (recordingBlocks: both files interleaved, gaps marked, fused), against fixtures/knee-flexion's truth.
import { readFileSync } from 'node:fs';
import { lastValueFrom, tap, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { KneeMeter } from '../../examples/clinic/src/knee2';
import { recordingBlocks } from '../../examples/clinic/src/source';

const file = (path: string): File => new File([readFileSync(path)], path);

describe('clinic KneeMeter (thigh + shank, functional)', () => {
  it('fixtures/knee-flexion: every rep a trial within 2° of its true amplitude, axis found from the first bend', async () => {
    const m = new KneeMeter('right');
    await lastValueFrom(recordingBlocks([file('fixtures/knee-flexion/thigh.csv'), file('fixtures/knee-flexion/shank.csv')]).pipe(tap((b) => m.push(b)), toArray()));
    const truth = readFileSync('fixtures/knee-flexion/truth/reps.csv', 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[6]));
    console.log(`knee 2-sensor: trials ${m.trials.map((t) => `${t.valueDeg.toFixed(1)}±${t.uncertaintyDeg.toFixed(1)}`).join(' ')}; truth ${truth.map((x) => x.toFixed(1)).join(' ')}; axis 1-σ ${m.axisSigmaDeg.toFixed(2)}°, residual ${m.mountResidualDeg.toFixed(2)}°`);
    expect(m.state).toBe('measuring');
    expect(m.trials.length).toBe(truth.length);
    m.trials.forEach((t, k) => expect(Math.abs(t.valueDeg - truth[k]!)).toBeLessThan(2));
    // The ± is a 1-σ: the errors should be of its size, not 10× smaller or larger.
    const rms = Math.sqrt(m.trials.reduce((s, t, k) => s + (t.valueDeg - truth[k]!) ** 2, 0) / truth.length);
    const meanUnc = m.trials.reduce((s, t) => s + t.uncertaintyDeg, 0) / truth.length;
    console.log(`knee 2-sensor: rms error ${rms.toFixed(2)}°, mean 1-σ ${meanUnc.toFixed(2)}°`);
    expect(meanUnc).toBeGreaterThan(0.1);
    expect(meanUnc).toBeLessThan(5);
  });
});
