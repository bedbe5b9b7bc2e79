/**
 * BROAD trial loader and the benchmark's error metric, on the bundled slice of trial 01
 * (fixtures/broad/, see fixtures/README.md) and, when ../shared/datasets/broad is present,
 * on the original trials.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BROAD_RATE_HZ, BroadMetricError, broadErrorAnglesRad, broadErrors, readBroadTrial } from '../../src/io/broad';
import { MatFormatError } from '../../src/io/matError';
import { writeMat } from '../../src/io/matWriter';
import * as quat from '../../src/math/quat';
import { DEG_TO_RAD } from '../../src/samples/units';

const SLICE = join(import.meta.dirname, '..', '..', 'fixtures', 'broad', '01_undisturbed_slow_rotation_A_slice.mat');
const SHARED = join(import.meta.dirname, '..', '..', '..', 'shared', 'datasets', 'broad');
const TRIAL_01 = join(SHARED, '01_undisturbed_slow_rotation_A.mat');
/** The slice is samples [7500, 10357) of trial 01 (scripts/make-broad-slice.ts). */
const SLICE_START = 7500;
const N = 2857;

function readBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}

function row(a: Float64Array, i: number, k: number): number[] {
  return Array.from(a.subarray(k * i, k * i + k));
}

describe('readBroadTrial on the bundled slice of trial 01', () => {
  const trial = readBroadTrial(readBytes(SLICE), SLICE);

  it('has the trial name, rate, sensor info and dimensions', () => {
    expect(trial.name).toBe('01_undisturbed_slow_rotation_A');
    expect(trial.rateHz).toBe(285.7142857142857);
    expect(trial.rateHz).toBeCloseTo(BROAD_RATE_HZ, 12);
    expect(trial.block.info.sensorId).toBe('01_undisturbed_slow_rotation_A_slice');
    expect(trial.block.info.device).toBe('myon aktos-t (myon AG, Switzerland)');
    expect(trial.block.info.rateHz).toBe(trial.rateHz);
    expect(trial.block.tS.length).toBe(N);
    expect(trial.block.accMS2.length).toBe(3 * N);
    expect(trial.block.gyrRadS.length).toBe(3 * N);
    expect(trial.block.magUT.length).toBe(3 * N);
    expect(trial.truthQuat.length).toBe(4 * N);
    expect(trial.movement.length).toBe(N);
    expect(trial.posM!.length).toBe(3 * N);
    expect(trial.block.quat).toBeUndefined(); // the reference is not sensor output
    expect(trial.block.tS[N - 1]).toBeCloseTo((N - 1) / 285.7142857142857, 12);
    expect(trial.description).toContain('Berlin Robust Orientation Estimation Assessment Dataset');
  });

  it('holds the original first and last values, bit for bit (read once from the original with scipy)', () => {
    const b = trial.block;
    expect(row(b.accMS2, 0, 3)).toEqual([-0.24992141817190655, -0.3347158520077809, 9.847701982684061]);
    expect(row(b.accMS2, N - 1, 3)).toEqual([-0.3313444181719065, 0.04395014799221905, 10.29307598268406]);
    expect(row(b.gyrRadS, 0, 3)).toEqual([-0.001064650843716541, 0.001064650843716541, 0.009587093581204853]);
    expect(row(b.gyrRadS, N - 1, 3)).toEqual([0.177904901314286, 0.05859070298944965, 0.00745779189377177]);
    expect(row(b.magUT, 0, 3)).toEqual([1.2734093284972339, 14.463541042121605, -39.67852107794877]);
    expect(row(b.magUT, N - 1, 3)).toEqual([1.723753207538799, 17.180107464332103, -41.16810641834328]);
    expect(row(trial.truthQuat, 0, 4)).toEqual([0.9997267160791149, -0.019725264928964332, 0.012469197427793573, -0.001387874870880934]);
    expect(row(trial.truthQuat, N - 1, 4)).toEqual([0.9993948893686245, 0.0013501952523788247, 0.018196748939941505, 0.029612673041657878]);
    expect(row(trial.posM!, 0, 3)).toEqual([-0.27737712827590494, -0.4357005170047193, 1.2231442444108303]);
    expect(row(trial.posM!, N - 1, 3)).toEqual([-0.29775284672020236, -0.40691337742653094, 1.5983084609493288]);
  });

  it('keeps the NaN rows where optical tracking was lost (samples 7749–7758 of the trial)', () => {
    const nanRows: number[] = [];
    for (let i = 0; i < N; i++) {
      const r = row(trial.truthQuat, i, 4);
      if (r.some(Number.isNaN)) {
        expect(r.every(Number.isNaN)).toBe(true);
        nanRows.push(i + SLICE_START);
      }
    }
    expect(nanRows).toEqual([7749, 7750, 7751, 7752, 7753, 7754, 7755, 7756, 7757, 7758]);
  });

  it('has the movement flags: moving from trial sample 9656 on', () => {
    const first = trial.movement.indexOf(1);
    expect(first + SLICE_START).toBe(9656);
    expect(trial.movement.reduce((s, v) => s + v, 0)).toBe(N - first);
  });

  it('scores the reference against itself as zero error, and a rotated copy as that rotation', () => {
    const zero = broadErrors(trial.truthQuat, trial.truthQuat, trial.movement);
    expect(zero.samplesUsed).toBe(701);
    expect(zero.samplesWithoutTruth).toBe(0);
    expect(zero.totalRmseDeg).toBeLessThan(1e-5);
    // Estimate = heading offset of 10° (about global z) applied to the reference: q_est = q_z ⊗ q_opt.
    const qz = quat.fromAxisAngle(quat.create(), [0, 0, 1], 10 * DEG_TO_RAD);
    const est = new Float64Array(trial.truthQuat.length);
    const q = quat.create();
    for (let i = 0; i < N; i++) quat.writeAt(est, i, quat.multiply(q, qz, quat.readAt(q, trial.truthQuat, i)));
    const e = broadErrors(est, trial.truthQuat, trial.movement);
    expect(e.totalRmseDeg).toBeCloseTo(10, 9);
    expect(e.headingRmseDeg).toBeCloseTo(10, 9);
    expect(e.inclinationRmseDeg).toBeLessThan(1e-5);
  });
});

describe('broadErrors', () => {
  const out = new Float64Array(3);
  const deg = (a: Float64Array) => Array.from(a, (x) => x / DEG_TO_RAD);
  const rot = (axis: [number, number, number], angleDeg: number) => quat.fromAxisAngle(quat.create(), axis, angleDeg * DEG_TO_RAD);
  const ref = quat.normalize(quat.create(), [0.8, 0.3, -0.4, 0.33]);

  it('pure heading error: inclination 0, heading = total', () => {
    const est = quat.multiply(quat.create(), rot([0, 0, 1], 25), ref);
    const [total, heading, incl] = deg(broadErrorAnglesRad(out, est, ref));
    expect(total).toBeCloseTo(25, 9);
    expect(heading).toBeCloseTo(25, 9);
    expect(incl).toBeCloseTo(0, 5);
  });

  it('pure tilt error: heading 0, inclination = total', () => {
    const axis = [Math.cos(0.7), Math.sin(0.7), 0] as [number, number, number];
    const est = quat.multiply(quat.create(), rot(axis, 12), ref);
    const [total, heading, incl] = deg(broadErrorAnglesRad(out, est, ref));
    expect(total).toBeCloseTo(12, 9);
    expect(heading).toBeCloseTo(0, 9);
    expect(incl).toBeCloseTo(12, 9);
  });

  it('is blind to the sign of the quaternion and to its scale', () => {
    const est = quat.multiply(quat.create(), rot([1, 0, 0], 30), ref);
    const flipped = est.map((x) => -2 * x);
    expect(deg(broadErrorAnglesRad(new Float64Array(3), flipped, ref))).toEqual(deg(broadErrorAnglesRad(out, est, ref)).map((x) => expect.closeTo(x, 9)));
  });

  it('RMSE over moving samples with a reference only', () => {
    // Sample errors: 10° heading (moving), 20° heading (moving, reference lost), 30° (not moving), 40° tilt (moving).
    const truth = new Float64Array([...ref, NaN, NaN, NaN, NaN, ...ref, ...ref]);
    const est = new Float64Array(16);
    est.set(quat.multiply(quat.create(), rot([0, 0, 1], 10), ref), 0);
    est.set(quat.multiply(quat.create(), rot([0, 0, 1], 20), ref), 4);
    est.set(quat.multiply(quat.create(), rot([0, 0, 1], 30), ref), 8);
    est.set(quat.multiply(quat.create(), rot([0, 1, 0], 40), ref), 12);
    const e = broadErrors(est, truth, [1, 1, 0, 1]);
    expect(e.samplesUsed).toBe(2);
    expect(e.samplesWithoutTruth).toBe(1);
    expect(e.totalRmseDeg).toBeCloseTo(Math.sqrt((10 ** 2 + 40 ** 2) / 2), 8);
    expect(e.headingRmseDeg).toBeCloseTo(Math.sqrt(10 ** 2 / 2), 8);
    expect(e.inclinationRmseDeg).toBeCloseTo(Math.sqrt(40 ** 2 / 2), 8);
  });

  it('throws on mismatched lengths, a NaN estimate where scored, or nothing to score', () => {
    expect(() => broadErrors(new Float64Array(8), new Float64Array(8), [1])).toThrow(BroadMetricError);
    expect(() => broadErrors([NaN, 0, 0, 0], [1, 0, 0, 0], [1])).toThrow(/sample 0/);
    expect(() => broadErrors([0, 0, 0, 0], [1, 0, 0, 0], [1])).toThrow(BroadMetricError);
    expect(() => broadErrors([1, 0, 0, 0], [1, 0, 0, 0], [0])).toThrow(/no sample to score/);
    // A NaN estimate on a sample that is not scored is fine.
    expect(broadErrors([NaN, 0, 0, 0, 1, 0, 0, 0], [1, 0, 0, 0, 1, 0, 0, 0], [0, 1]).samplesUsed).toBe(1);
  });
});

describe('readBroadTrial errors', () => {
  it('names what a non-BROAD MAT-file lacks', () => {
    const imuOnly = writeMat([
      { name: 'imu_acc', className: 'double', dims: [2, 3], data: [0, 0, 0, 0, 9.8, 9.8] },
      { name: 'imu_gyr', className: 'double', dims: [2, 3], data: [0, 0, 0, 0, 0, 0] },
      { name: 'imu_mag', className: 'double', dims: [2, 3], data: [0, 0, 0, 0, 0, 0] },
      { name: 'sampling_rate', className: 'double', dims: [1, 1], data: [100] },
    ]);
    expect(() => readBroadTrial(imuOnly, 'x.mat')).toThrow(/^x\.mat: not a BROAD trial: no 'opt_quat' \(variables: imu_acc \(2×3 double\)/);
    const wrongRows = writeMat([
      { name: 'imu_acc', className: 'double', dims: [2, 3], data: [0, 0, 0, 0, 9.8, 9.8] },
      { name: 'imu_gyr', className: 'double', dims: [2, 3], data: [0, 0, 0, 0, 0, 0] },
      { name: 'imu_mag', className: 'double', dims: [2, 3], data: [0, 0, 0, 0, 0, 0] },
      { name: 'sampling_rate', className: 'double', dims: [1, 1], data: [100] },
      { name: 'opt_quat', className: 'double', dims: [1, 4], data: [1, 0, 0, 0] },
      { name: 'movement', className: 'logical', dims: [2, 1], data: [0, 1] },
    ]);
    expect(() => readBroadTrial(wrongRows, 'x.mat')).toThrow(MatFormatError);
    expect(() => readBroadTrial(wrongRows, 'x.mat')).toThrow("'opt_quat' has 1 samples but the IMU has 2");
  });
});

describe.skipIf(!existsSync(TRIAL_01))('the original BROAD trials (../shared/datasets/broad)', () => {
  it('trial 01: all samples, the NaN rows and movement flags of the original, and the slice matches it', () => {
    const full = readBroadTrial(readBytes(TRIAL_01), TRIAL_01);
    const n = 56940;
    expect(full.block.tS.length).toBe(n);
    expect(full.rateHz).toBe(285.7142857142857);
    let nanRows = 0;
    for (let i = 0; i < n; i++) if (Number.isNaN(full.truthQuat[4 * i])) nanRows++;
    expect(nanRows).toBe(162);
    expect(full.movement.reduce((s, v) => s + v, 0)).toBe(36007);
    expect(row(full.block.accMS2, 0, 3)).toEqual([-0.23618741817190653, -0.3631648520077809, 9.91931498268406]);
    const slice = readBroadTrial(readBytes(SLICE), SLICE);
    const same = (a: Float64Array, b: Float64Array, k: number) =>
      b.every((v, i) => Object.is(v, a[k * SLICE_START + i]));
    expect(same(full.block.accMS2, slice.block.accMS2, 3)).toBe(true);
    expect(same(full.block.gyrRadS, slice.block.gyrRadS, 3)).toBe(true);
    expect(same(full.block.magUT, slice.block.magUT, 3)).toBe(true);
    expect(same(full.truthQuat, slice.truthQuat, 4)).toBe(true);
    expect(same(full.posM!, slice.posM!, 3)).toBe(true);
    expect(Array.from(full.movement.subarray(SLICE_START, SLICE_START + N))).toEqual(Array.from(slice.movement));
  });

  it('every trial reads: 285.714 Hz, consistent lengths, unit reference quaternions', () => {
    const files = readdirSync(SHARED).filter((f) => f.endsWith('.mat'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const t = readBroadTrial(readBytes(join(SHARED, f)), f);
      expect(t.name, f).toBe(f.replace(/\.mat$/, ''));
      expect(t.rateHz, f).toBeCloseTo(BROAD_RATE_HZ, 9);
      const n = t.block.tS.length;
      expect(n, f).toBeGreaterThan(40000);
      expect(t.truthQuat.length, f).toBe(4 * n);
      for (let i = 0; i < n; i += 97) {
        const q = row(t.truthQuat, i, 4);
        if (!Number.isNaN(q[0]!)) expect(Math.hypot(...q), f).toBeCloseTo(1, 6);
      }
    }
  });
});
