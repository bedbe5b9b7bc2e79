import { describe, expect, it } from 'vitest';
import { eulerAngleSigmaFromCovariance, mountCovariance } from '../../src/kinematics/angleUncertainty';
import { JointAngleStage } from '../../src/kinematics/jointAngleStage';
import { eulerFromQuat, quatFromEuler, type EulerSequence } from '../../src/math/euler';
import * as quat from '../../src/math/quat';
import { Rng } from '../../src/sim/random';

const DEG = Math.PI / 180;

/** Monte-Carlo std of the angles of exp(ε) ⊗ q with ε ~ N(0, C). */
function monteCarlo(seq: EulerSequence, angles: [number, number, number], cov: Float64Array, n = 4000): number[] {
  const rng = new Rng(7, 'mc');
  // Cholesky of C (3×3).
  const L = new Float64Array(9);
  for (let i = 0; i < 3; i++) for (let j = 0; j <= i; j++) {
    let s = cov[3 * i + j]!;
    for (let k = 0; k < j; k++) s -= L[3 * i + k]! * L[3 * j + k]!;
    L[3 * i + j] = i === j ? Math.sqrt(Math.max(s, 0)) : s / (L[3 * j + j]! || 1);
  }
  const q = quatFromEuler(quat.create(), seq, ...angles), e = quat.create(), qp = quat.create(), out = new Float64Array(3);
  const ss = [0, 0, 0];
  for (let m = 0; m < n; m++) {
    const z = [rng.gaussian(), rng.gaussian(), rng.gaussian()];
    const eps = [0, 1, 2].map((i) => L[3 * i]! * z[0]! + L[3 * i + 1]! * z[1]! + L[3 * i + 2]! * z[2]!);
    quat.fromRotationVector(e, eps);
    eulerFromQuat(out, quat.multiply(qp, e, q), seq);
    for (let k = 0; k < 3; k++) ss[k] += Math.atan2(Math.sin(out[k]! - angles[k]!), Math.cos(out[k]! - angles[k]!)) ** 2;
  }
  return ss.map((v) => Math.sqrt(v / n));
}

describe('angle uncertainty propagation (1-σ)', () => {
  for (const [seq, angles] of [['ZXY', [40 * DEG, 20 * DEG, -30 * DEG]], ['ZXY', [80 * DEG, -60 * DEG, 10 * DEG]], ['YXY', [30 * DEG, 70 * DEG, 20 * DEG]]] as const) {
    it(`${seq} at (${angles.map((a) => (a / DEG).toFixed(0)).join(', ')})°: first-order σ equals Monte Carlo within 10 %`, () => {
      const cov = mountCovariance([0, 0, 1], 1 * DEG, [0, 1, 0], 0.5 * DEG, 0.3 * DEG);
      cov[1] = cov[3] = 0.2 * DEG * DEG; // some correlation
      const sigma = eulerAngleSigmaFromCovariance(new Float64Array(3), seq, angles[0], angles[1], cov);
      const mc = monteCarlo(seq, [...angles] as [number, number, number], cov);
      for (let k = 0; k < 3; k++) expect(sigma[k]! / mc[k]!).toBeGreaterThan(0.9), expect(sigma[k]! / mc[k]!).toBeLessThan(1.1);
    });
  }

  it('mount covariance: a direction error does not rotate about that direction', () => {
    const c = mountCovariance([0, 0, 1], 2 * DEG, [0, 1, 0], 0, 0);
    expect(c[8]).toBeCloseTo(0, 15);
    expect(c[0]).toBeCloseTo((2 * DEG) ** 2, 15);
    expect(c[4]).toBeCloseTo((2 * DEG) ** 2, 15);
  });

  it("stage 'sigma' mode: a heading error does not enter knee flexion while the thigh is upright (it goes to the other two angles)", () => {
    const stage = new JointAngleStage({ joint: 'knee', uncertainty: 'sigma', tiltSigmaDeg: 0, headingSigmaRad: 2 * DEG, proximal: { qSegSensor: quat.create() }, distal: { qSegSensor: quat.create() } });
    // Thigh upright (segment y up: rotate segment y onto global z), knee flexed 60° about −z.
    const up = quat.fromTwoVectors(quat.create(), [0, 1, 0], [0, 0, 1]);
    const shank = quat.multiply(quat.create(), up, quat.fromAxisAngle(quat.create(), [0, 0, -1], 60 * DEG));
    stage.fromSegments(up, shank, new Float64Array(3));
    expect(stage.uncertaintyRad[0]).toBeLessThan(1e-9);
    // Rotation about the thigh's long axis, seen from the flexed shank: split between ab/adduction and axial rotation.
    expect(Math.hypot(stage.uncertaintyRad[1]!, stage.uncertaintyRad[2]!) / DEG).toBeCloseTo(2, 6);
    expect(stage.uncertaintyRad[2]! / DEG).toBeCloseTo(2 * Math.cos(60 * DEG), 6);
    // With isotropic mount errors instead, flexion gets them.
    const iso = new JointAngleStage({ joint: 'knee', uncertainty: 'sigma', tiltSigmaDeg: 0, proximal: { qSegSensor: quat.create(), orientationUncertaintyRad: 1 * DEG }, distal: { qSegSensor: quat.create(), orientationUncertaintyRad: 1 * DEG } });
    iso.fromSegments(up, shank, new Float64Array(3));
    expect(iso.uncertaintyRad[0]! / DEG).toBeCloseTo(Math.SQRT2, 6);
    expect(() => new JointAngleStage({ joint: 'knee', uncertainty: 'sigma', proximal: { qSegSensor: quat.create(), mountCovarianceRad2: [1, 2] }, distal: { qSegSensor: quat.create() } })).toThrow(/mountCovarianceRad2/);
  });
});
