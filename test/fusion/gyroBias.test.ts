/**
 * Gyroscope bias from still periods, against the simulator's known bias.
 */
import { describe, expect, it } from 'vitest';
import { detectStillPeriods, estimateGyroBias, subtractGyroBias, withoutGyroBias } from '../../src/fusion/gyroBias';
import { EmptyInputError, LengthMismatchError, ParameterRangeError } from '../../src/math/errors';
import { concatBlocks, sliceBlock } from '../../src/samples/block';
import type { InertialBlock } from '../../src/samples/block';
import { AxisSequenceOrientation, Body, RampTrajectory, freeMotionScenario, simulate, staticScenario } from '../../src/sim/index';

const BIAS = [0.01, -0.02, 0.005]; // rad/s
const NOISE = { gyr: { bias: BIAS, noiseStd: 0.005 }, acc: { noiseStd: 0.02 } };

function one(blocks: InertialBlock[]): InertialBlock {
  return concatBlocks(blocks).block;
}

describe('gyroscope bias from still periods', () => {
  it('a still recording is one period; the bias is within 4 standard errors, the error is std/√n', () => {
    const sim = simulate(staticScenario({ durationS: 30, pitchDeg: 20, noise: NOISE }), { rateHz: 100 });
    const p = estimateGyroBias(one(sim.blocks.imu!))!;
    expect(p).not.toBeNull();
    expect([p.startIndex, p.endIndex, p.samples]).toEqual([0, 3000, 3000]);
    expect(p.startS).toBe(0);
    expect(p.endS).toBeCloseTo(29.99, 9);
    for (let c = 0; c < 3; c++) {
      expect(p.stdRadS[c]).toBeCloseTo(0.005, 3);
      expect(p.uncertaintyRadS[c]).toBeCloseTo(p.stdRadS[c]! / Math.sqrt(3000), 15);
      expect(Math.abs(p.biasRadS[c]! - BIAS[c]!)).toBeLessThan(4 * p.uncertaintyRadS[c]!);
    }
    expect(Math.hypot(...p.accMeanMS2)).toBeCloseTo(9.81, 2);
  });

  it('finds the still lead-in of a moving recording and nothing during the motion', () => {
    const sim = simulate(freeMotionScenario({ durationS: 30, staticLeadS: 5, noise: NOISE }), { rateHz: 100 });
    const periods = detectStillPeriods(sim.blocks.imu!);
    expect(periods).toHaveLength(1);
    const p = periods[0]!;
    expect(p.startS).toBe(0);
    // The motion fades in smoothly from 5 s: the period may run a little into the ramp.
    expect(p.endS).toBeGreaterThan(4.5);
    expect(p.endS).toBeLessThan(5.5);
    for (let c = 0; c < 3; c++) expect(Math.abs(p.biasRadS[c]! - BIAS[c]!)).toBeLessThan(Math.max(4 * p.uncertaintyRadS[c]!, 1e-3));
  });

  it('steady rotation is not rest: a 10°/s turn about the vertical gives no period', () => {
    const body = new Body([
      { name: 'body', orientation: new AxisSequenceOrientation({ axes: [[0, 0, 1]], angles: [new RampTrajectory({ ratePerS: (10 * Math.PI) / 180 })] }), position: [0, 0, 1] },
    ]);
    const sim = simulate({ body, sensors: [{ id: 'imu', segment: 'body', errors: NOISE }], durationS: 20 }, { rateHz: 100 });
    expect(detectStillPeriods(sim.blocks.imu!)).toEqual([]);
    // ... unless the bias limit is raised above the turn rate.
    expect(detectStillPeriods(sim.blocks.imu!, { maxBiasRadS: 0.5 })).toHaveLength(1);
  });

  it('non-finite samples and gaps split periods; short pieces are dropped', () => {
    const sim = simulate(staticScenario({ durationS: 20, noise: NOISE }), { rateHz: 100 });
    const b = one(sim.blocks.imu!);
    const dirty = { ...b, gyrRadS: Float64Array.from(b.gyrRadS) };
    dirty.gyrRadS[3 * 800 + 1] = NaN; // at 8 s
    const periods = detectStillPeriods(dirty);
    expect(periods.map((p) => [p.startIndex, p.endIndex])).toEqual([
      [0, 800],
      [801, 2000],
    ]);
    // A 3 s gap (time stamps jump) at 15 s: the last piece (15–20 s … shifted) is its own period.
    const gapped = { ...b, tS: b.tS.map((t, i) => (i >= 1500 ? t + 3 : t)) };
    expect(detectStillPeriods(gapped).map((p) => [p.startIndex, p.endIndex])).toEqual([
      [0, 1500],
      [1500, 2000],
    ]);
    // Pieces shorter than minDurationS are not reported.
    expect(detectStillPeriods(gapped, { minDurationS: 6 }).map((p) => p.startIndex)).toEqual([0]);
    // Blocks given separately are joined.
    expect(detectStillPeriods([sliceBlock(b, 0, 1000), sliceBlock(b, 1000)]).map((p) => p.samples)).toEqual([2000]);
  });

  it('thresholds: a noisier gyroscope needs a higher limit', () => {
    const sim = simulate(staticScenario({ durationS: 10, noise: { gyr: { noiseStd: 0.05 } } }), { rateHz: 100 });
    expect(detectStillPeriods(sim.blocks.imu!)).toEqual([]);
    expect(detectStillPeriods(sim.blocks.imu!, { gyrStdRadS: 0.08 })).toHaveLength(1);
  });

  it('subtracting the estimate removes the bias', () => {
    const sim = simulate(staticScenario({ durationS: 10, noise: NOISE }), { rateHz: 100 });
    const b = one(sim.blocks.imu!);
    const p = estimateGyroBias(b)!;
    const corrected = withoutGyroBias(b, p.biasRadS);
    expect(corrected.gyrRadS).not.toBe(b.gyrRadS);
    const again = estimateGyroBias(corrected)!;
    for (let c = 0; c < 3; c++) expect(Math.abs(again.biasRadS[c]!)).toBeLessThan(1e-15);
    const inPlace = Float64Array.from(b.gyrRadS);
    subtractGyroBias(inPlace, inPlace, [1, 2, 3]);
    expect(inPlace[0]).toBeCloseTo(b.gyrRadS[0]! - 1, 15);
    expect(inPlace[5]).toBeCloseTo(b.gyrRadS[5]! - 3, 15);
  });

  it('edge cases and bad input', () => {
    const sim = simulate(staticScenario({ durationS: 1, noise: NOISE }), { rateHz: 100 });
    const b = one(sim.blocks.imu!);
    expect(detectStillPeriods(sliceBlock(b, 0, 0))).toEqual([]);
    expect(detectStillPeriods(sliceBlock(b, 0, 1))).toEqual([]);
    expect(estimateGyroBias(b)).toBeNull(); // 1 s < minDurationS
    expect(estimateGyroBias(b, { minDurationS: 0.5 })).not.toBeNull();
    expect(() => detectStillPeriods([])).toThrow(EmptyInputError);
    expect(() => detectStillPeriods(b, { windowS: 0 })).toThrow(ParameterRangeError);
    expect(() => detectStillPeriods(b, { gapFactor: 1 })).toThrow(ParameterRangeError);
    expect(() => detectStillPeriods({ ...b, accMS2: new Float64Array(3) })).toThrow(LengthMismatchError);
    expect(() => subtractGyroBias(new Float64Array(3), [1, 2], [0, 0, 0])).toThrow(LengthMismatchError);
    expect(() => subtractGyroBias(new Float64Array(3), [1, 2, 3], [0, NaN, 0])).toThrow(ParameterRangeError);
  });
});
