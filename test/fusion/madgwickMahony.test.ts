/**
 * What Madgwick and Mahony share through the OrientationFilter interface: accuracy against
 * the simulator (static tilt, spins about each axis, heading in ENU), input handling, gaps,
 * state round trips and numerical robustness. Filter-specific behaviour is in
 * madgwick.test.ts and mahony.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FilterStateError } from '../../src/fusion/baselineFilter';
import type { AhrsState } from '../../src/fusion/baselineFilter';
import { MadgwickFilter } from '../../src/fusion/madgwick';
import { MahonyFilter } from '../../src/fusion/mahony';
import { FilterParameterError, LengthMismatchError } from '../../src/math/errors';
import * as quat from '../../src/math/quat';
import { SAT_ACC, SAT_GYR, SAT_MAG, concatBlocks, createBlock, sliceBlock } from '../../src/samples/block';
import type { InertialBlock } from '../../src/samples/block';
import { freeMotionScenario, simulate, staticScenario } from '../../src/sim/index';
import { DEG, errorParts, runAndCompare, spinSimulation } from './madgwickMahonyHelpers';

type Make = (p?: { useMag?: boolean; reinitAfterGapS?: number; rateHz?: number }) => MadgwickFilter | MahonyFilter;
const FILTERS: [string, Make][] = [
  ['madgwick', (p = {}) => new MadgwickFilter(p)],
  ['mahony', (p = {}) => new MahonyFilter(p)],
];

/** A static sensor at yaw/pitch/roll, ideal or consumer-grade, 100 Hz. */
function still(yawDeg: number, pitchDeg: number, rollDeg: number, durationS: number, noise: 'ideal' | 'consumer' = 'ideal') {
  return simulate(staticScenario({ yawDeg, pitchDeg, rollDeg, durationS, noise }), { rateHz: 100 });
}

function block1(gyr: number[], acc: number[], mag?: number[], tS = 0): InertialBlock {
  const b = createBlock({ sensorId: 'x', rateHz: 100 }, 1, { mag: mag !== undefined });
  b.tS[0] = tS;
  b.gyrRadS.set(gyr);
  b.accMS2.set(acc);
  if (mag) b.magUT!.set(mag);
  return b;
}

const G = [0, 0, 9.81];
const M = [0, 21, -45];

describe.each(FILTERS)('%s (shared behaviour)', (name, make) => {
  it('starts from the first accelerometer + magnetometer sample, not the identity', () => {
    const sim = still(70, 15, -25, 0.05);
    const f = make();
    expect(f.flags.initialising).toBe(true);
    const e = runAndCompare(f, sim);
    // Exact from the very first sample (ideal data): no start-up transient.
    expect(e.totalMaxDeg).toBeLessThan(1e-6);
    expect(f.flags.initialising).toBe(false);
    expect(f.flags.magUsed).toBe(true);
  });

  it.each([
    [0, 0],
    [30, 0],
    [0, -45],
    [60, 120],
    [-80, 10],
    [10, 179],
  ])('static tilt pitch %i°, roll %i°: inclination within 0.05° (ideal), 2.5° (consumer noise)', (pitch, roll) => {
    for (const useMag of [true, false]) {
      expect(runAndCompare(make({ useMag }), still(40, pitch, roll, 10)).inclinationMaxDeg).toBeLessThan(0.05);
      // Consumer noise: turn-on gyroscope bias ~0.5°/s per axis (Mahony holds an error of
      // bias/k_P ≈ 1° against it), accelerometer bias ~0.05 m/s² (≈ 0.3°).
      expect(runAndCompare(make({ useMag }), still(40, pitch, roll, 20, 'consumer'), 10).inclinationMaxDeg).toBeLessThan(2.5);
    }
  });

  it.each([
    ['x', [1, 0, 0]],
    ['y', [0, 1, 0]],
    ['z', [0, 0, 1]],
  ])('follows a 90°/s spin about sensor %s, one sample ahead (the original update order)', (_axis, axis) => {
    // Both filters evaluate the correction at the previous estimate with the current
    // measurement, so in steady rotation the estimate settles one sample ahead of the truth
    // (ω·dt = 0.9° here): compare with the truth one sample later, once settled (Mahony's
    // heading loop is slow: gain k_P·cos²(dip) ≈ 0.13/s).
    const sim = spinSimulation(axis, 90, 40);
    const truth = sim.truth.sensors.imu!.quat;
    for (const useMag of [true, false]) {
      const e = runAndCompare(make({ useMag }), sim);
      let ahead = 0, now = 0;
      for (let k = 3000; k < e.n - 1; k++) {
        const parts = errorParts(e.out.subarray(4 * k, 4 * k + 4), truth.subarray(4 * k + 4, 4 * k + 8));
        ahead = Math.max(ahead, useMag ? parts.totalDeg : parts.inclinationDeg);
        const cur = errorParts(e.out.subarray(4 * k, 4 * k + 4), truth.subarray(4 * k, 4 * k + 4));
        now = Math.max(now, useMag ? cur.totalDeg : cur.inclinationDeg);
      }
      expect(ahead).toBeLessThan(0.15);
      expect(now).toBeLessThan(1);
    }
  });

  it('9D output is in East-North-Up: heading matches the truth at any yaw', () => {
    for (const yaw of [0, 45, 90, 135, 180, -30, -120]) {
      const e = runAndCompare(make(), still(yaw, 20, -10, 5));
      expect(e.headingMaxDeg, `yaw ${yaw}°`).toBeLessThan(0.1);
      expect(e.totalMaxDeg, `yaw ${yaw}°`).toBeLessThan(0.1);
    }
    // A level sensor facing north (identity) reads as the identity.
    const f = make();
    f.update([0, 0, 0], G, M, 0.01);
    expect(quat.equalsRotation(f.getQuat(quat.create()), [1, 0, 0, 0], 1e-12)).toBe(true);
    // Turned 90° to the west (x axis pointing north): the field arrives along sensor −y... i.e.
    // the reading is the ENU field seen from a sensor rotated +90° about z.
    const q90 = quat.fromAxisAngle(quat.create(), [0, 0, 1], Math.PI / 2);
    const mS = quat.rotateInverse(new Float64Array(3), q90, M);
    const g = make();
    g.update([0, 0, 0], G, mS, 0.01);
    expect(quat.distanceRad(g.getQuat(quat.create()), q90)).toBeLessThan(1e-9);
  });

  it('6D: heading is arbitrary but held, inclination tracks 3-D motion', () => {
    const sim = simulate(freeMotionScenario({ durationS: 30, translationAmplitudeM: 0, seed: 4 }), { rateHz: 100 });
    const e = runAndCompare(make({ useMag: false }), sim);
    expect(e.inclinationMaxDeg).toBeLessThan(3);
    expect(make({ useMag: false }).flags.magUsed).toBe(false);
  });

  it('9D tracks free 3-D motion with translation within a few degrees', () => {
    const sim = simulate(freeMotionScenario({ durationS: 30, seed: 2 }), { rateHz: 100 });
    const e = runAndCompare(make(), sim);
    expect(e.totalRmsDeg).toBeLessThan(6);
    expect(e.totalMaxDeg).toBeLessThan(12);
  });

  it('update() and updateBlock() agree sample by sample', () => {
    const sim = simulate(freeMotionScenario({ durationS: 3, noise: 'consumer', staticLeadS: 0.2 }), { rateHz: 100 });
    const b = concatBlocks(sim.blocks.imu!).block;
    const n = b.tS.length;
    const viaBlock = new Float64Array(4 * n);
    make().updateBlock(b, viaBlock);
    const f = make();
    const q = quat.create();
    for (let i = 0; i < n; i++) {
      const dt = i === 0 ? 0.01 : b.tS[i]! - b.tS[i - 1]!;
      f.update(b.gyrRadS.subarray(3 * i, 3 * i + 3), b.accMS2.subarray(3 * i, 3 * i + 3), b.magUT!.subarray(3 * i, 3 * i + 3), dt);
      f.getQuat(q);
      for (let c = 0; c < 4; c++) expect(q[c]).toBe(viaBlock[4 * i + c]);
    }
  });

  it('a block split anywhere gives the same output as the whole block', () => {
    const sim = simulate(freeMotionScenario({ durationS: 2, noise: 'consumer' }), { rateHz: 100 });
    const b = concatBlocks(sim.blocks.imu!).block;
    const n = b.tS.length;
    const whole = new Float64Array(4 * n);
    make().updateBlock(b, whole);
    for (const cut of [0, 1, 57, n - 1, n]) {
      const f = make();
      const parts = new Float64Array(4 * n);
      f.updateBlock(sliceBlock(b, 0, cut), parts);
      f.updateBlock(sliceBlock(b, cut), parts.subarray(4 * cut));
      expect(Array.from(parts)).toEqual(Array.from(whole));
    }
  });

  it('empty and single-sample blocks', () => {
    const f = make();
    f.updateBlock(createBlock({ sensorId: 'x' }, 0), new Float64Array(0));
    expect(f.flags.initialising).toBe(true);
    expect(f.getState().lastTS).toBe(null);
    const out = new Float64Array(4);
    f.updateBlock(block1([0, 0, 0], G, M, 5), out);
    expect(quat.equalsRotation(out, [1, 0, 0, 0], 1e-12)).toBe(true);
    expect(f.getState().lastTS).toBe(5);
    f.updateBlock(createBlock({ sensorId: 'x' }, 0), new Float64Array(0));
    // The next block continues from t = 5 s.
    f.updateBlock(block1([0, 0, 1], G, M, 5.01), out);
    expect(f.inputReport.badDt).toBe(0);
  });

  it('refuses too-short arrays and bad parameters with typed errors', () => {
    const b = block1([0, 0, 0], G);
    expect(() => make().updateBlock(b, new Float64Array(3))).toThrow(LengthMismatchError);
    expect(() => make().updateBlock({ ...b, accMS2: new Float64Array(2) }, new Float64Array(4))).toThrow(LengthMismatchError);
    expect(() => make({ rateHz: 0 })).toThrow(FilterParameterError);
    expect(() => make({ rateHz: NaN })).toThrow(FilterParameterError);
    expect(() => make({ reinitAfterGapS: -1 })).toThrow(FilterParameterError);
  });

  it('bad samples are skipped and reported, never corrupt the state', () => {
    const f = make();
    f.update([0, 0, 0], G, M, 0.01);
    const q0 = f.getQuat(quat.create());
    const same = (): void => expect(quat.distanceRad(f.getQuat(quat.create()), q0)).toBeLessThan(1e-12);
    f.update([NaN, 0, 0], G, M, 0.01);
    same();
    f.update([0, Infinity, 0], G, M, 0.01);
    same();
    expect(f.inputReport.badGyr).toBe(2);
    for (const dt of [0, -0.01, NaN, Infinity]) f.update([1, 1, 1], G, M, dt);
    same();
    expect(f.inputReport.badDt).toBe(4);
    // Bad accelerometer: the gyroscope still integrates (zero rate here, so no change).
    f.update([0, 0, 0], [NaN, 0, 9.81], M, 0.01);
    f.update([0, 0, 0], [0, 0, 0], M, 0.01);
    f.update([0, 0, 0], [1e200, 1e200, 1e200], M, 0.01);
    expect(f.inputReport.badAcc).toBe(3);
    expect(f.flags.accRejected).toBe(true);
    same();
    f.update([0, 0, 0], G, [NaN, 1, 1], 0.01);
    f.update([0, 0, 0], G, [0, 0, 0], 0.01);
    expect(f.inputReport.badMag).toBe(2);
    expect(f.flags.magUsed).toBe(false);
    f.update([0, 0, 0], G, M, 0.01);
    expect(f.flags.magUsed).toBe(true);
    expect(f.flags.accRejected).toBe(false);
    expect(quat.distanceRad(f.getQuat(quat.create()), q0)).toBeLessThan(1e-9);
    // Saturation flags: nothing is learnt from a saturated accelerometer or magnetometer.
    const b = block1([0, 0, 0], [5, 0, 9], [30, 0, 0], 1);
    const sat = { ...b, saturated: Uint8Array.of(SAT_ACC | SAT_MAG) };
    f.updateBlock(sat, new Float64Array(4));
    same();
    expect(f.inputReport.saturated).toBe(1);
    f.updateBlock({ ...block1([0, 0, 0], G, M, 1.01), saturated: Uint8Array.of(SAT_GYR) }, new Float64Array(4));
    expect(f.inputReport.saturated).toBe(2);
    expect(quat.distanceRad(f.getQuat(quat.create()), q0)).toBeLessThan(1e-9);
  });

  it('bad time stamps in a block are skipped without becoming the reference', () => {
    const f = make({ useMag: false });
    const b = createBlock({ sensorId: 'x', rateHz: 100 }, 5);
    b.tS.set([0, 0.01, NaN, 0.005, 0.02]);
    for (let i = 0; i < 5; i++) {
      b.accMS2.set(G, 3 * i);
      b.gyrRadS.set([0, 0, 1], 3 * i);
    }
    const out = new Float64Array(20);
    f.updateBlock(b, out);
    expect(f.inputReport.badDt).toBe(2);
    // Integrated over 0.01 s (sample 1) and 0.01 s (0.01 → 0.02): 0.02 rad about z in total.
    const yaw = 2 * Math.atan2(out[19]!, out[16]!);
    // (first-order steps of 0.01 rad: 2·atan(0.005) each)
    expect(yaw).toBeCloseTo(4 * Math.atan(0.005), 12);
  });

  it('a long gap re-levels the orientation from the next sample (heading kept in 6D)', () => {
    // Level and still, then after a 5 s gap the sensor lies on its side.
    const f6 = make({ useMag: false, reinitAfterGapS: 1 });
    const a = block1([0, 0, 0], G, undefined, 0);
    f6.updateBlock(a, new Float64Array(4));
    const side = { ...block1([0, 0, 0], [0, 9.81, 0], undefined, 5), gapBeforeS: 4.99 };
    const out = new Float64Array(4);
    f6.updateBlock(side, out);
    const up = quat.rotate(new Float64Array(3), out, [0, 1, 0]);
    expect(up[2]).toBeCloseTo(1, 9);
    // Heading kept: the sensor's z axis (was up) now points horizontally, and x stays east.
    const x = quat.rotate(new Float64Array(3), out, [1, 0, 0]);
    expect(x[0]).toBeCloseTo(1, 9);
    // 9D: the full orientation is set from acc + mag.
    const q = quat.fromAxisAngle(quat.create(), [0, 1, 1], 2);
    const f9 = make();
    f9.update([0, 0, 0], G, M, 0.01);
    f9.update([0, 0, 0], quat.rotateInverse(new Float64Array(3), q, G), quat.rotateInverse(new Float64Array(3), q, M), 3);
    expect(quat.distanceRad(f9.getQuat(quat.create()), q)).toBeLessThan(1e-9);
  });

  it('state round trip: JSON, restore, identical continuation; reset; refuses foreign state', () => {
    const sim = simulate(freeMotionScenario({ durationS: 4, noise: 'consumer' }), { rateHz: 100 });
    const b = concatBlocks(sim.blocks.imu!).block;
    const half = b.tS.length >> 1;
    const f = make();
    f.updateBlock(sliceBlock(b, 0, half), new Float64Array(4 * half));
    f.update([NaN, 0, 0], G, M, 0.01);
    const state = JSON.parse(JSON.stringify(f.getState())) as AhrsState;
    const g = make();
    g.setState(state);
    expect(g.getState()).toEqual(f.getState());
    const rest = sliceBlock(b, half);
    const o1 = new Float64Array(4 * rest.tS.length), o2 = new Float64Array(4 * rest.tS.length);
    f.updateBlock(rest, o1);
    g.updateBlock(rest, o2);
    expect(Array.from(o2)).toEqual(Array.from(o1));
    expect(g.inputReport.badGyr).toBe(1);
    f.reset();
    expect(f.getState()).toEqual(make().getState());
    const other = name === 'madgwick' ? new MahonyFilter() : new MadgwickFilter();
    expect(() => g.setState(other.getState())).toThrow(FilterStateError);
    expect(() => g.setState({ ...state, quat: [1, 1, 0, 0] })).toThrow(FilterStateError);
    expect(() => g.setState({ ...state, quat: [NaN, 0, 0, 0] })).toThrow(FilterStateError);
    expect(() => g.setState({ ...state, biasRadS: [0, 0] })).toThrow(FilterStateError);
  });

  it('property: the output stays a unit quaternion and finite for any finite input', () => {
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
    const sensible = fc.double({ min: -50, max: 50, noNaN: true });
    const vec = (a: fc.Arbitrary<number>) => fc.tuple(a, a, a);
    const sample = fc.record({
      g: fc.oneof(vec(sensible), vec(finite)),
      a: fc.oneof(vec(sensible), vec(finite)),
      m: fc.option(fc.oneof(vec(sensible), vec(finite))),
      dt: fc.oneof(fc.double({ min: 1e-4, max: 0.1, noNaN: true }), finite),
    });
    fc.assert(
      fc.property(fc.array(sample, { minLength: 1, maxLength: 60 }), (samples) => {
        const f = make();
        const q = quat.create();
        for (const s of samples) {
          f.update(s.g, s.a, s.m, s.dt);
          f.getQuat(q);
          if (!q.every(Number.isFinite)) return false;
          if (Math.abs(quat.norm(q) - 1) > 1e-9) return false;
        }
        const b = f.getBiasRadS(new Float64Array(3));
        return b.every(Number.isFinite);
      }),
      { numRuns: 200 },
    );
  });

  it('property: the norm stays 1 over 10⁶ random updates', () => {
    // A cheap deterministic generator: realistic magnitudes, fast rotation, noisy references.
    let s = 12345 >>> 0;
    const rnd = (): number => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 4294967296 - 0.5;
    };
    const g = new Float64Array(3), a = new Float64Array(3), m = new Float64Array(3), q = quat.create();
    const f = make();
    let worst = 0;
    for (let i = 0; i < 1_000_000; i++) {
      g[0] = 20 * rnd(); g[1] = 20 * rnd(); g[2] = 20 * rnd();
      a[0] = 30 * rnd(); a[1] = 30 * rnd(); a[2] = 30 * rnd();
      m[0] = 100 * rnd(); m[1] = 100 * rnd(); m[2] = 100 * rnd();
      f.update(g, a, (i & 3) === 0 ? null : m, 0.001 + 0.02 * (rnd() + 0.5));
      if ((i & 1023) === 0) worst = Math.max(worst, Math.abs(quat.norm(f.getQuat(q)) - 1));
    }
    worst = Math.max(worst, Math.abs(quat.norm(f.getQuat(q)) - 1));
    expect(worst).toBeLessThan(1e-9);
    expect(f.inputReport).toEqual({ badGyr: 0, badAcc: 0, badMag: 0, badDt: 0, saturated: 0, gaps: 0 });
  });

  it('initial bias is subtracted and reported', () => {
    const f = make();
    f.setBiasRadS([0.01, -0.02, 0.03]);
    expect(Array.from(f.getBiasRadS(new Float64Array(3)))).toEqual([0.01, -0.02, 0.03]);
    const gBias = [0.05, 0, 0];
    const h = name === 'madgwick' ? new MadgwickFilter({ initialBiasRadS: gBias, useMag: false }) : new MahonyFilter({ initialBiasRadS: gBias, useMag: false, ki: 0 });
    h.update([0.05, 0, 0], G, null, 0.01);
    for (let i = 0; i < 100; i++) h.update([0.05, 0, 0], G, null, 0.01);
    expect(errorParts(h.getQuat(quat.create()), [1, 0, 0, 0]).totalDeg).toBeLessThan(1e-9);
    expect(() => make().setBiasRadS([0, NaN, 0])).toThrow(FilterParameterError);
  });
});

describe('inclination error helper', () => {
  it('splits a pure heading error and a pure tilt error', () => {
    const yaw = quat.fromAxisAngle(quat.create(), [0, 0, 1], 10 / DEG);
    const tilt = quat.fromAxisAngle(quat.create(), [1, 0, 0], 5 / DEG);
    const e1 = errorParts(yaw, [1, 0, 0, 0]);
    expect(e1.headingDeg).toBeCloseTo(10, 9);
    expect(e1.inclinationDeg).toBeCloseTo(0, 6);
    const e2 = errorParts(tilt, [1, 0, 0, 0]);
    expect(e2.headingDeg).toBeCloseTo(0, 9);
    expect(e2.inclinationDeg).toBeCloseTo(5, 9);
  });
});
