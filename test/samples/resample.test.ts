import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as quat from '../../src/math/quat';
import { SAT_ACC, SAT_GYR } from '../../src/samples/block';
import { blockFromArrays } from '../../src/samples/construct';
import { InsufficientSamplesError, SampleParameterError, TimeOrderError } from '../../src/samples/errors';
import { estimateRateHz, medianIntervalS, uniformGrid } from '../../src/samples/rate';
import { interpolateQuat, locate, resampleBlock } from '../../src/samples/resample';

/** Irregular times: 100 Hz with ±30 % jitter, from a deterministic LCG. */
function jitteredTimes(n: number, seed: number): Float64Array {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const t = new Float64Array(n);
  t[0] = 0.5;
  for (let i = 1; i < n; i++) t[i] = t[i - 1]! + 0.01 * (0.7 + 0.6 * rand());
  return t;
}

/** Block whose channels are linear in time: value = a + b·t per component. */
function linearBlock(tS: Float64Array) {
  const n = tS.length;
  const acc = new Float64Array(3 * n), gyr = new Float64Array(3 * n), mag = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    const t = tS[i]!;
    acc.set([1 + 2 * t, -3 * t, 9.81], 3 * i);
    gyr.set([0.5 * t, 0.1, -t], 3 * i);
    mag.set([20 + t, -5, 40 - 7 * t], 3 * i);
  }
  return blockFromArrays({ sensorId: 'thigh', rateHz: 100 }, { tS, accMS2: acc, gyrRadS: gyr, magUT: mag });
}

const axis = [0.3, -0.5, 0.81];
const omegaRadS = 2.5;
function rotationAt(out: Float64Array, t: number): Float64Array {
  return quat.fromAxisAngle(out, axis, omegaRadS * t);
}

describe('estimateRateHz, medianIntervalS', () => {
  it('uses the median interval: gaps and bursts do not move it', () => {
    const t = [0, 0.01, 0.02, 0.03, 0.5, 0.51, 0.515, 0.52, 0.53, 0.53, 0.54];
    expect(medianIntervalS(t)).toBeCloseTo(0.01, 12);
    expect(estimateRateHz(t)).toBeCloseTo(100, 9);
  });
  it('averages the two middle intervals for an even count', () => {
    expect(medianIntervalS([0, 1, 3, 6, 10])).toBe(2.5);
  });
  it('throws a typed error without a positive interval', () => {
    expect(() => estimateRateHz([1])).toThrow(InsufficientSamplesError);
    expect(() => estimateRateHz([1, 1, NaN])).toThrow(InsufficientSamplesError);
  });
});

describe('uniformGrid', () => {
  it('includes the end when it is a whole number of periods away, despite rounding', () => {
    const g = uniformGrid(0.1, 0.7, 10);
    expect(g).toHaveLength(7);
    expect(g[6]).toBeCloseTo(0.7, 15);
    expect(g[6]!).toBeLessThanOrEqual(0.7);
  });
  it('stops before an end between grid points', () => {
    expect(uniformGrid(0, 0.055, 100)).toHaveLength(6);
  });
  it('computes each time from its index (no drift over long grids)', () => {
    const g = uniformGrid(3, 3 + 36000, 52);
    expect(g).toHaveLength(36000 * 52 + 1);
    expect(g[1_000_000]).toBe(3 + 1_000_000 / 52);
  });
  it('single point when start = end; typed errors for bad input', () => {
    expect(Array.from(uniformGrid(2, 2, 100))).toEqual([2]);
    expect(() => uniformGrid(0, -1, 100)).toThrow(SampleParameterError);
    expect(() => uniformGrid(0, 1, 0)).toThrow(SampleParameterError);
    expect(() => uniformGrid(NaN, 1, 10)).toThrow(SampleParameterError);
  });
});

describe('resampleBlock: linear channels', () => {
  it('reproduces linear signals exactly at new times (irregular source, random targets)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 60 }), (seed, us) => {
        const tS = jitteredTimes(80, seed);
        const b = linearBlock(tS);
        const t0 = tS[0]!, t1 = tS[tS.length - 1]!;
        const targets = Float64Array.from(us, (u) => t0 + u * (t1 - t0));
        const r = resampleBlock(b, targets);
        expect(r.validCount).toBe(targets.length);
        const ref = linearBlock(targets);
        for (let k = 0; k < 3 * targets.length; k++) {
          expect(Math.abs(r.block.accMS2[k]! - ref.accMS2[k]!)).toBeLessThan(1e-12);
          expect(Math.abs(r.block.gyrRadS[k]! - ref.gyrRadS[k]!)).toBeLessThan(1e-12);
          expect(Math.abs(r.block.magUT![k]! - ref.magUT![k]!)).toBeLessThan(1e-12);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('returns source samples unchanged at their own times and shares the target array', () => {
    const tS = jitteredTimes(20, 7);
    const b = linearBlock(tS);
    const targets = tS.slice();
    const r = resampleBlock(b, targets);
    expect(r.block.tS).toBe(targets);
    expect(Array.from(r.block.accMS2)).toEqual(Array.from(b.accMS2));
    expect(r.block.info.rateHz).toBeUndefined(); // targets need not be uniform
    expect(r.block.info.sensorId).toBe('thigh');
  });

  it('never extrapolates: targets outside the span are invalid and NaN; the end points are valid', () => {
    const tS = Float64Array.from({ length: 11 }, (_, i) => 1 + i / 100);
    const r = resampleBlock(linearBlock(tS), Float64Array.from([0.99, 1, 1.05, 1.1, 1.1000001, NaN]));
    expect(Array.from(r.valid)).toEqual([0, 1, 1, 1, 0, 0]);
    expect(r.validCount).toBe(3);
    for (const k of [0, 4, 5]) {
      expect(Array.from(r.block.accMS2.subarray(3 * k, 3 * k + 3)).every(Number.isNaN)).toBe(true);
      expect(Array.from(r.block.magUT!.subarray(3 * k, 3 * k + 3)).every(Number.isNaN)).toBe(true);
    }
    expect(r.block.accMS2[3 * 3]).toBeCloseTo(1 + 2 * 1.1, 12);
  });

  it('never interpolates across a gap; samples on the gap edges stay valid', () => {
    // 100 Hz with 0.2 s missing between 1.00 and 1.20.
    const tS = Float64Array.from([0.97, 0.98, 0.99, 1.0, 1.2, 1.21, 1.22]);
    const targets = Float64Array.from([0.985, 1.0, 1.005, 1.1, 1.195, 1.2, 1.215]);
    const r = resampleBlock(linearBlock(tS), targets);
    expect(Array.from(r.valid)).toEqual([1, 1, 0, 0, 0, 1, 1]);
    expect(Number.isNaN(r.block.gyrRadS[3 * 3]!)).toBe(true);
    expect(r.block.accMS2[3 * 5]).toBeCloseTo(1 + 2 * 1.2, 12);
    // A larger gapFactor bridges it (the factor is what decides).
    expect(resampleBlock(linearBlock(tS), targets, { gapFactor: 25 }).validCount).toBe(7);
  });

  it('never bridges a declared break even when the interval is short', () => {
    const tS = Float64Array.from({ length: 10 }, (_, i) => i / 100);
    const r = resampleBlock(linearBlock(tS), Float64Array.from([0.045, 0.055, 0.065]), { breaksBefore: [6] });
    expect(Array.from(r.valid)).toEqual([1, 0, 1]);
  });

  it('marks targets next to a non-finite source value invalid, NaN in every channel', () => {
    const tS = Float64Array.from({ length: 10 }, (_, i) => i / 100);
    const b = linearBlock(tS);
    b.magUT![3 * 4 + 1] = NaN;
    const r = resampleBlock(b, Float64Array.from([0.025, 0.035, 0.04, 0.045, 0.055]));
    expect(Array.from(r.valid)).toEqual([1, 0, 0, 0, 1]);
    expect(Number.isNaN(r.block.accMS2[3 * 1]!)).toBe(true); // acc was finite but the sample is invalid
  });

  it('applies offsetS as sensor time + offset = target time', () => {
    const tS = Float64Array.from({ length: 10 }, (_, i) => i / 100);
    const r = resampleBlock(linearBlock(tS), Float64Array.from([2.005, 2.03]), { offsetS: 2 });
    expect(r.validCount).toBe(2);
    expect(r.block.accMS2[0]).toBeCloseTo(1 + 2 * 0.005, 12);
    expect(r.block.accMS2[3]).toBeCloseTo(1 + 2 * 0.03, 12);
  });

  it('ORs the saturation bits of both bracketing samples', () => {
    const tS = Float64Array.from([0, 0.01, 0.02, 0.03]);
    const b = blockFromArrays({ sensorId: 's' }, { tS, accMS2: new Float64Array(12), gyrRadS: new Float64Array(12), saturated: [0, SAT_ACC, SAT_GYR, 0] });
    const r = resampleBlock(b, Float64Array.from([0.005, 0.01, 0.015, 0.025]));
    expect(Array.from(r.block.saturated!)).toEqual([SAT_ACC, SAT_ACC, SAT_ACC | SAT_GYR, SAT_GYR]);
  });

  it('throws a typed error for unordered source times', () => {
    const b = linearBlock(Float64Array.from([0, 0.02, 0.01]));
    expect(() => resampleBlock(b, Float64Array.from([0.005]))).toThrow(TimeOrderError);
    const c = linearBlock(Float64Array.from([0, NaN, 0.02]));
    expect(() => resampleBlock(c, Float64Array.from([0.005]))).toThrow(/time is NaN \(sample 1\)/);
  });

  it('tolerates duplicate times (the later sample wins, nothing is interpolated across 0 s)', () => {
    const tS = Float64Array.from([0, 0.01, 0.01, 0.02]);
    const b = linearBlock(tS);
    b.accMS2[3 * 1] = 100; // the earlier of the duplicates
    const r = resampleBlock(b, Float64Array.from([0.01, 0.015]));
    expect(r.block.accMS2[0]).toBeCloseTo(1 + 2 * 0.01, 12);
    expect(r.block.accMS2[3]).toBeCloseTo(1 + 2 * 0.015, 12);
  });
});

describe('resampleBlock: quaternions', () => {
  it('SLERP reproduces a constant-rate rotation exactly (1e-12) at new times', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 }), (seed, us) => {
        const tS = jitteredTimes(60, seed);
        const n = tS.length;
        const q = new Float64Array(4 * n);
        const tmp = quat.create();
        for (let i = 0; i < n; i++) {
          rotationAt(tmp, tS[i]!);
          // Flip every other sample: q and −q are the same rotation; SLERP must take the short arc.
          if (i % 2 === 1) for (let c = 0; c < 4; c++) tmp[c] = -tmp[c]!;
          quat.writeAt(q, i, tmp);
        }
        const b = blockFromArrays({ sensorId: 'q' }, { tS, accMS2: new Float64Array(3 * n), gyrRadS: new Float64Array(3 * n), quat: q });
        const targets = Float64Array.from(us, (u) => tS[0]! + u * (tS[n - 1]! - tS[0]!));
        const r = resampleBlock(b, targets);
        expect(r.validCount).toBe(targets.length);
        const got = quat.create(), want = quat.create();
        for (let k = 0; k < targets.length; k++) {
          quat.readAt(got, r.block.quat!, k);
          rotationAt(want, targets[k]!);
          expect(quat.equalsRotation(got, want, 1e-12)).toBe(true);
          expect(Math.abs(quat.norm(got) - 1)).toBeLessThan(1e-14);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('result lies in the hemisphere of the earlier bracket', () => {
    const src = Float64Array.from([1, 0, 0, 0, -Math.cos(0.1), -Math.sin(0.1), 0, 0]);
    const out = interpolateQuat(new Float64Array(4), src, Int32Array.from([0]), Float64Array.from([0.5]));
    expect(out[0]).toBeCloseTo(Math.cos(0.05), 14);
    expect(out[1]).toBeCloseTo(Math.sin(0.05), 14);
  });

  it('a gap in a quaternion stream is NaN and invalid', () => {
    const tS = Float64Array.from([0, 0.01, 0.02, 0.5, 0.51]);
    const q = new Float64Array(20);
    for (let i = 0; i < 5; i++) q[4 * i] = 1;
    const b = blockFromArrays({ sensorId: 'q' }, { tS, accMS2: new Float64Array(15), gyrRadS: new Float64Array(15), quat: q });
    const r = resampleBlock(b, Float64Array.from([0.015, 0.3]));
    expect(Array.from(r.valid)).toEqual([1, 0]);
    expect(Array.from(r.block.quat!.subarray(4, 8)).every(Number.isNaN)).toBe(true);
  });
});

describe('locate', () => {
  it('gives the same answer for targets in any order', () => {
    const src = jitteredTimes(50, 3);
    const asc = Float64Array.from({ length: 40 }, (_, k) => src[0]! - 0.01 + (k / 39) * (src[49]! - src[0]! + 0.02));
    const desc = asc.slice().reverse();
    const ia = new Int32Array(40), fa = new Float64Array(40), id = new Int32Array(40), fd = new Float64Array(40);
    const na = locate(ia, fa, src, asc, { maxIntervalS: 0.0125 });
    const nd = locate(id, fd, src, desc, { maxIntervalS: 0.0125 });
    expect(nd).toBe(na);
    expect(Array.from(id).reverse()).toEqual(Array.from(ia));
    expect(Array.from(fd).reverse()).toEqual(Array.from(fa));
    expect(ia[0]).toBe(-1);
    expect(ia[39]).toBe(-1);
  });

  it('serves nothing from an empty source', () => {
    const idx = new Int32Array(2);
    expect(locate(idx, new Float64Array(2), [], [0, 1])).toBe(0);
    expect(Array.from(idx)).toEqual([-1, -1]);
  });
});
