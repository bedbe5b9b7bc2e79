import { describe, expect, it } from 'vitest';
import { kneeFlexionScenario } from '../../src/sim/scenarios';
import { simulate } from '../../src/sim/simulate';
import { AngleInputError, UnknownBodyPartError } from '../../src/kinematics/angleErrors';
import { AAOS_NORMAL_ROM_DEG, normalRomDeg, percentOfNormal } from '../../src/kinematics/norms';
import { romSummary } from '../../src/kinematics/romSummary';

const DEG = Math.PI / 180;

/** Minimum-jerk position s(τ), τ ∈ [0, 1] (the simulator's rep profile). */
const minJerk = (t: number) => t * t * t * (10 - 15 * t + 6 * t * t);

function solveTau(s: number): number {
  let lo = 0;
  let hi = 1;
  for (let k = 0; k < 60; k++) {
    const mid = 0.5 * (lo + hi);
    if (minJerk(mid) < s) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** Seeded Gaussian noise (LCG + Box–Muller), so the test is deterministic. */
function gaussian(seed: number): () => number {
  let s = seed >>> 0;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

describe('romSummary on the knee fixture truth', () => {
  const reps = 3;
  const sc = kneeFlexionScenario({ reps, amplitudeDeg: 90, riseS: 1.5, holdS: 2 });
  const r = simulate(sc, { rateHz: 100 });
  const tS = r.truth.tS;
  const flexDeg = Float64Array.from(r.truth.joints['knee']!.anglesRad['flexion']!, (v) => v / DEG);

  it('min, max, range, time at end range and percent of the AAOS norm', () => {
    const s = romSummary(tS, flexDeg, undefined, { motion: 'knee-flexion' });
    expect(s.n).toBe(tS.length);
    expect(s.minDeg).toBeCloseTo(0, 9);
    expect(s.maxDeg).toBeCloseTo(90, 6);
    expect(s.rangeDeg).toBeCloseTo(90, 6);
    // Within 5° of 90°: the 2 s hold plus the last part of each min-jerk rise and first of each return.
    const tau = solveTau(85 / 90);
    const expected = reps * (2 + 2 * (1 - tau) * 1.5);
    expect(Math.abs(s.timeAtEndRangeS - expected)).toBeLessThan(reps * 4 * 0.01);
    expect(s.noiseDeg).toBeLessThan(0.01);
    expect(s.maxUncertaintyDeg).toBeLessThan(0.02);
    expect(s.normalDeg).toBe(135);
    expect(s.percentOfNormal).toBeCloseTo((100 * 90) / 135, 6);
    expect(s.tMaxS).toBeGreaterThan(sc.reps![0]!.startS);
  });

  it('end-range window is a parameter', () => {
    const s1 = romSummary(tS, flexDeg, undefined, { endRangeWindowDeg: 1 });
    const s10 = romSummary(tS, flexDeg, undefined, { endRangeWindowDeg: 10 });
    expect(s1.timeAtEndRangeS).toBeLessThan(s10.timeAtEndRangeS);
    expect(Math.abs(s1.timeAtEndRangeS - reps * (2 + 2 * (1 - solveTau(89 / 90)) * 1.5))).toBeLessThan(reps * 4 * 0.01);
  });

  it('estimates sample noise and widens the extremes with it and with per-sample uncertainty', () => {
    const g = gaussian(7);
    const noisy = Float64Array.from(flexDeg, (v) => v + 0.5 * g());
    const u = new Float64Array(noisy.length).fill(1.5);
    const s = romSummary(tS, noisy, u);
    expect(s.noiseDeg).toBeGreaterThan(0.4);
    expect(s.noiseDeg).toBeLessThan(0.6);
    expect(s.maxUncertaintyDeg).toBeCloseTo(1.5 + 2 * s.noiseDeg, 12);
    expect(s.rangeUncertaintyDeg).toBeCloseTo(s.minUncertaintyDeg + s.maxUncertaintyDeg, 12);
    // The true max lies within the reported half-width.
    expect(Math.abs(s.maxDeg - 90)).toBeLessThan(s.maxUncertaintyDeg);
    expect(Math.abs(s.minDeg - 0)).toBeLessThan(s.minUncertaintyDeg);
  });

  it('does not count a gap as time at end range', () => {
    const t = Float64Array.from([0, 0.01, 0.02, 0.03, 5.03, 5.04]);
    const a = Float64Array.from([10, 50, 50, 50, 50, 10]);
    const s = romSummary(t, a);
    expect(s.timeAtEndRangeS).toBeCloseTo(0.03, 12);
  });

  it('rejects bad input', () => {
    expect(() => romSummary([], [])).toThrow(AngleInputError);
    expect(() => romSummary([0, 1], [1])).toThrow(AngleInputError);
    expect(() => romSummary([0, 1], [1, NaN])).toThrow(AngleInputError);
    expect(() => romSummary([0, 0], [1, 2])).toThrow(/increase/);
    expect(() => romSummary([0, 1], [1, 2], [0, -1])).toThrow(AngleInputError);
    expect(() => romSummary([0, 1], [1, 2], undefined, { endRangeWindowDeg: -1 })).toThrow(AngleInputError);
    expect(() => romSummary([0, 1], [1, 2], undefined, { motion: 'knee-bend' })).toThrow(UnknownBodyPartError);
  });
});

describe('AAOS norms', () => {
  it('holds the AAOS table values', () => {
    expect(AAOS_NORMAL_ROM_DEG).toMatchObject({
      'shoulder-flexion': 180, 'shoulder-abduction': 180, 'shoulder-extension': 60, 'shoulder-internal-rotation': 70,
      'shoulder-external-rotation': 90, 'elbow-flexion': 150, 'forearm-pronation': 80, 'forearm-supination': 80,
      'hip-flexion': 120, 'hip-extension': 30, 'hip-abduction': 45, 'hip-internal-rotation': 45, 'hip-external-rotation': 45,
      'knee-flexion': 135, 'ankle-dorsiflexion': 20, 'ankle-plantarflexion': 50, 'cervical-flexion': 45,
      'cervical-extension': 45, 'cervical-lateral-flexion': 45, 'cervical-rotation': 60,
    });
  });

  it('percent of normal', () => {
    expect(percentOfNormal('hip-flexion', 90)).toBe(75);
    expect(normalRomDeg('elbow-flexion')).toBe(150);
    expect(() => normalRomDeg('hasOwnProperty')).toThrow(UnknownBodyPartError);
    expect(() => percentOfNormal('hip-flexion', Infinity)).toThrow(AngleInputError);
  });
});
