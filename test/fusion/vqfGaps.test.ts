/**
 * A hole in the data (dropped packets, a recording with a gap that no one marked): the VQF
 * filter must not integrate the last gyroscope rate across it. With the hole in mid-swing of
 * a 0.5 Hz oscillation (the net rotation over 2 s is about zero), holding ω over the gap
 * would turn the estimate by ω × 2 s (283° at 45° amplitude); treating the step as a gap leaves it close.
 */
import { describe, expect, it } from 'vitest';
import { Vqf } from '../../src/fusion/vqf';
import type { InertialBlock } from '../../src/samples/block';
import { axisRotationScenario, maxErrorDeg, sensorRun, simulate } from './vqfHelpers';

const RATE_HZ = 100;

function holed(): { block: InertialBlock; truth: Float64Array; after: number } {
  const { block, truth } = sensorRun(simulate(axisRotationScenario([1, 0, 0], { amplitudeDeg: 45, frequencyHz: 0.5, durationS: 20, noise: 'consumer' }), { rateHz: RATE_HZ, seed: 3 }));
  // Samples [10 s, 12 s) removed: one period, starting where the swing is fastest.
  const cut0 = 1000, cut1 = 1200;
  const keep = (a: Float64Array, w: number) => Float64Array.from([...a.subarray(0, w * cut0), ...a.subarray(w * cut1)]);
  const out: InertialBlock = { ...block, tS: keep(block.tS, 1), gyrRadS: keep(block.gyrRadS, 3), accMS2: keep(block.accMS2, 3), magUT: keep(block.magUT!, 3) } as InertialBlock;
  return { block: out, truth: keep(truth, 4), after: cut0 };
}

function run(maxStepS: number) {
  const { block, truth, after } = holed();
  const f = new Vqf({ maxStepS, magEnabled: false }, { rateHz: RATE_HZ });
  const q = new Float64Array(4 * block.tS.length);
  f.updateBlock(block, q);
  // Inclination error over the first 0.5 s after the hole.
  return { errDeg: maxErrorDeg(q, truth, 2, after, after + 50), gaps: f.inputReport.gaps };
}

describe('Vqf: a time step longer than maxStepS is a gap', () => {
  it('is counted and not integrated across: inclination stays close after a 2 s hole in mid-swing', () => {
    const withGap = run(0.25);
    const bridged = run(1e6); // never a gap
    expect(withGap.gaps).toBe(1);
    expect(bridged.gaps).toBe(0);
    expect(withGap.errDeg).toBeLessThan(5); // 1.2° measured
    expect(bridged.errDeg).toBeGreaterThan(30); // 74° measured
  });

  it('per-sample update: a long dt counts as a gap too, and the rest of the input report is untouched', () => {
    const f = new Vqf({ magEnabled: false }, { rateHz: RATE_HZ });
    for (let i = 0; i < 100; i++) f.update([0, 0, 0], [0, 0, 9.81], null, 0.01);
    f.update([1, 0, 0], [0, 0, 9.81], null, 2);
    expect(f.inputReport).toMatchObject({ gaps: 1, badDt: 0, badGyr: 0 });
    // One nominal period of 1 rad/s, not 2 s of it: about 0.57°, not 115°.
    const q = f.getQuat6D(new Float64Array(4));
    expect((2 * Math.acos(Math.min(1, Math.abs(q[0]!))) * 180) / Math.PI).toBeLessThan(1);
  });
});
