/**
 * Magnetometer hard/soft-iron calibration against the simulator's known magnetometer errors
 * (bias = hard iron, scale + misalignment = soft iron), and the eigen-solver under it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { symmetricEigen } from '../../src/math/symmetricEigen';
import { applyMagCalibration, applyMagCalibrationToArray, fitMagCalibration } from '../../src/fusion/magCalibration';
import { InsufficientDataError, LengthMismatchError, ParameterRangeError } from '../../src/math/errors';
import * as mat3 from '../../src/math/mat3';
import { concatBlocks } from '../../src/samples/block';
import { AxisSequenceOrientation, Body, RampTrajectory, freeMotionScenario, simulate } from '../../src/sim/index';
import type { ChannelErrorParams } from '../../src/sim/index';

const HARD_IRON = [12, -7, 20];
const MAG_ERRORS: ChannelErrorParams = {
  bias: HARD_IRON,
  scale: [0.05, -0.03, 0.08],
  misalignmentRad: [0.02, -0.01, 0.015, 0, -0.02, 0.01],
  noiseStd: 0.3,
};

/** Magnetometer samples of a sensor turned every way (z-y-x angles up to ±180°). */
function tumbling(seed = 3, durationS = 60) {
  const sim = simulate(freeMotionScenario({ durationS, rotationAmplitudeDeg: 180, noise: { mag: MAG_ERRORS }, seed, staticLeadS: 0 }), { rateHz: 50 });
  return { mag: concatBlocks(sim.blocks.imu!).block.magUT!, A: sim.truth.sensors.imu!.errors.mag.matrix };
}

describe('fitMagCalibration', () => {
  it('recovers hard iron within 0.2 µT and maps the ellipsoid onto the field sphere', () => {
    const { mag, A } = tumbling();
    const cal = fitMagCalibration(mag, { fieldUT: 50 });
    expect(cal.ok).toBe(true);
    expect(cal.problems).toEqual([]);
    for (let i = 0; i < 3; i++) expect(Math.abs(cal.hardIronUT[i]! - HARD_IRON[i]!)).toBeLessThan(0.2);
    expect(cal.fieldUT).toBe(50);
    // Residual at the noise level (0.3 µT per axis), coverage complete.
    expect(cal.residualUT).toBeLessThan(0.45);
    expect(cal.coverage).toBeGreaterThan(0.9);
    // W·A is a rotation (the symmetric W cannot undo A's rotational part): (WA)ᵀ(WA) = I.
    const WA = mat3.multiply(mat3.create(), cal.softIron, A);
    const WtW = mat3.multiply(mat3.create(), mat3.transpose(mat3.create(), WA), WA);
    expect(mat3.equals(WtW, mat3.create(), 4e-3)).toBe(true);
    // W is symmetric.
    expect(mat3.equals(cal.softIron, mat3.transpose(mat3.create(), cal.softIron), 1e-12)).toBe(true);
  });

  it('without a given field strength the sphere has the ellipsoid’s mean radius (det W = 1)', () => {
    const { mag } = tumbling(5, 40);
    const cal = fitMagCalibration(mag);
    expect(cal.ok).toBe(true);
    expect(mat3.determinant(cal.softIron)).toBeCloseTo(1, 9);
    // The true field is 50 µT; the mean of scale errors (+5, −3, +8 %) makes it ≈ 3 % larger.
    expect(cal.fieldUT).toBeGreaterThan(50);
    expect(cal.fieldUT).toBeLessThan(53);
  });

  it('applyMagCalibration puts every calibrated sample on the sphere', () => {
    const { mag } = tumbling(7, 30);
    const cal = fitMagCalibration(mag, { fieldUT: 48 });
    const out = applyMagCalibrationToArray(new Float64Array(mag.length), mag, cal);
    const v = new Float64Array(3);
    for (let k = 0; k < mag.length; k += 3) {
      expect(Math.hypot(out[k]!, out[k + 1]!, out[k + 2]!)).toBeCloseTo(48, -0.5); // within ±1.6 µT (noise peaks)
      applyMagCalibration(v, mag.subarray(k, k + 3), cal);
      expect(Array.from(v)).toEqual(Array.from(out.subarray(k, k + 3)));
    }
    // In place.
    const copy = Float64Array.from(mag);
    applyMagCalibrationToArray(copy, copy, cal);
    expect(Array.from(copy)).toEqual(Array.from(out));
  });

  it('flags turning in one plane as poor coverage, not ok', () => {
    // Spinning about the vertical only: the field traces a circle (a cone of directions).
    const body = new Body([
      { name: 'body', orientation: new AxisSequenceOrientation({ axes: [[0, 0, 1]], angles: [new RampTrajectory({ ratePerS: 0.5 })] }), position: [0, 0, 1] },
    ]);
    const sim = simulate({ body, sensors: [{ id: 'imu', segment: 'body', errors: { mag: MAG_ERRORS } }], durationS: 60 }, { rateHz: 50 });
    const cal = fitMagCalibration(concatBlocks(sim.blocks.imu!).block.magUT!);
    expect(cal.ok).toBe(false);
    expect(cal.coverage).toBeLessThan(0.5);
    expect(cal.problems.some((p) => /coverage/.test(p))).toBe(true);
  });

  it('a hemisphere is enough for a fit but reports its coverage', () => {
    const { mag } = tumbling(3, 60);
    // Keep only samples whose calibrated direction has a positive x component.
    const full = fitMagCalibration(mag, { fieldUT: 50 });
    const keep: number[] = [];
    const v = new Float64Array(3);
    for (let k = 0; k < mag.length; k += 3) {
      applyMagCalibration(v, mag.subarray(k, k + 3), full);
      if (v[0]! > 0) keep.push(mag[k]!, mag[k + 1]!, mag[k + 2]!);
    }
    const half = fitMagCalibration(keep, { fieldUT: 50, minCoverage: 0.4 });
    expect(half.coverage).toBeGreaterThan(0.4);
    expect(half.coverage).toBeLessThan(0.65);
    expect(half.ok).toBe(true);
    for (let i = 0; i < 3; i++) expect(Math.abs(half.hardIronUT[i]! - HARD_IRON[i]!)).toBeLessThan(1);
  });

  it('skips non-finite samples; refuses too few and bad parameters', () => {
    const { mag } = tumbling(3, 20);
    const dirty = Float64Array.from(mag);
    dirty[0] = NaN;
    dirty[4] = Infinity;
    const cal = fitMagCalibration(dirty, { fieldUT: 50 });
    expect(cal.samples).toBe(mag.length / 3 - 2);
    expect(cal.ok).toBe(true);
    expect(() => fitMagCalibration(new Float64Array(27))).toThrow(InsufficientDataError);
    expect(() => fitMagCalibration([1, 2])).toThrow(LengthMismatchError);
    expect(() => fitMagCalibration(mag, { fieldUT: -1 })).toThrow(ParameterRangeError);
    expect(() => fitMagCalibration(mag, { minCoverage: 2 })).toThrow(ParameterRangeError);
    // Identical samples: no fit, a clear problem.
    const same = new Float64Array(300).fill(7);
    const r = fitMagCalibration(same);
    expect(r.ok).toBe(false);
    expect(r.problems.join(' ')).toMatch(/did not move/);
    expect(r.fieldUT).toBeNaN();
    expect(r.residualUT).toBeNaN();
    // Few samples: fitted, but not ok.
    const few = fitMagCalibration(mag.subarray(0, 60));
    expect(few.problems.some((p) => /only 20 samples/.test(p))).toBe(true);
  });

  it('flags a disturbed recording by its residual', () => {
    const { mag } = tumbling(3, 30);
    const disturbed = Float64Array.from(mag);
    for (let k = 0; k < disturbed.length / 2; k += 3) disturbed[k] = disturbed[k]! + 15; // a magnet for half the time
    const cal = fitMagCalibration(disturbed);
    expect(cal.ok).toBe(false);
    expect(cal.problems.some((p) => /residual|axis ratio/.test(p))).toBe(true);
  });
});

describe('symmetricEigen', () => {
  const sym = (n: number) =>
    fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: n * n, maxLength: n * n }).map((a) => {
      const m = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m[i * n + j] = 0.5 * (a[i * n + j]! + a[j * n + i]!);
      return m;
    });

  it.each([1, 3, 10])('property: V diag(λ) Vᵀ reproduces A, V is orthonormal, λ ascending (n = %i)', (n) => {
    fc.assert(
      fc.property(sym(n), (A) => {
        const { values, vectors: V } = symmetricEigen(A, n);
        const scale = Math.max(1, ...Array.from(A, Math.abs));
        for (let i = 1; i < n; i++) if (values[i]! < values[i - 1]!) return false;
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            let a = 0, o = 0;
            for (let k = 0; k < n; k++) {
              a += V[i * n + k]! * values[k]! * V[j * n + k]!;
              o += V[k * n + i]! * V[k * n + j]!;
            }
            if (Math.abs(a - A[i * n + j]!) > 1e-10 * scale) return false;
            if (Math.abs(o - (i === j ? 1 : 0)) > 1e-12) return false;
          }
        }
        return true;
      }),
      { numRuns: 100 },
    );
  });

  it('refuses bad input', () => {
    expect(() => symmetricEigen([1, 2, 3], 2)).toThrow(LengthMismatchError);
    expect(() => symmetricEigen([NaN], 1)).toThrow(RangeError);
  });
});
