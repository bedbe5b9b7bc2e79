/**
 * Accuracy on real data: a 10 s slice of BROAD trial 01 (fixtures/broad, 2.5 s of it moving),
 * scored with the benchmark's metric. The full 15-trial evaluation is `npm run eval:broad`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { estimateOrientationOffline } from '../../src/fusion/offline';
import { Vqf } from '../../src/fusion/vqf';
import { VQF_DEFAULTS, VQF_TUNED } from '../../src/fusion/vqfParams';
import { broadErrors, readBroadTrial } from '../../src/io/broad';

const file = new URL('../../fixtures/broad/01_undisturbed_slow_rotation_A_slice.mat', import.meta.url);
const trial = readBroadTrial(new Uint8Array(readFileSync(file)), '01_undisturbed_slow_rotation_A_slice.mat');

describe('Vqf on a BROAD slice', () => {
  for (const [name, params] of [
    ['published defaults', VQF_DEFAULTS],
    ['tuned', VQF_TUNED],
  ] as const) {
    it(`real-time, ${name}: inclination < 0.3°, 9D total < 0.8°, 9D and 6D share the inclination`, () => {
      const out9 = new Float64Array(4 * trial.movement.length);
      new Vqf(params, { rateHz: trial.rateHz }).updateBlock(trial.block, out9);
      const out6 = new Float64Array(out9.length);
      new Vqf({ ...params, magEnabled: false }, { rateHz: trial.rateHz }).updateBlock(trial.block, out6);
      const e9 = broadErrors(out9, trial.truthQuat, trial.movement);
      const e6 = broadErrors(out6, trial.truthQuat, trial.movement);
      expect(e9.samplesUsed).toBeGreaterThan(600);
      expect(e9.inclinationRmseDeg).toBeLessThan(0.3);
      expect(e9.totalRmseDeg).toBeLessThan(0.8);
      expect(e6.inclinationRmseDeg).toBeCloseTo(e9.inclinationRmseDeg, 9);
    });
  }

  it('offline: inclination < 0.3° and below the real-time filter and the earlier pass average, 9D total < 1.2°', () => {
    const out = estimateOrientationOffline(trial.block, VQF_TUNED);
    const e = broadErrors(out, trial.truthQuat, trial.movement);
    expect(e.inclinationRmseDeg).toBeLessThan(0.3);
    expect(e.totalRmseDeg).toBeLessThan(1.2);
    const rt = new Float64Array(out.length);
    new Vqf(VQF_TUNED, { rateHz: trial.rateHz }).updateBlock(trial.block, rt);
    expect(e.inclinationRmseDeg).toBeLessThan(broadErrors(rt, trial.truthQuat, trial.movement).inclinationRmseDeg);
    const avg = estimateOrientationOffline(trial.block, VQF_TUNED, undefined, { zeroPhaseInclination: false });
    expect(e.inclinationRmseDeg).toBeLessThan(broadErrors(avg, trial.truthQuat, trial.movement).inclinationRmseDeg);
  });
});
