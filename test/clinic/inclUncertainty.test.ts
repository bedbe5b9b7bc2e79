// The one-sensor ± (inclUncertainty.ts): in the plane it is the error about the plane's normal;
// out of the plane it matches a Monte Carlo of the same error model through the exact angle.
import { describe, expect, it } from 'vitest';
import { mountCovariance, quat } from '../../src/index';
import * as sim from '../../src/sim/index';
import { TILT_SIGMA_DEG, inclinometerSigmaRad, staticZeroCovariance } from '../../examples/clinic/src/inclUncertainty';

const DEG = Math.PI / 180;
const angleOf = (u: ArrayLike<number>, plane: 'z' | 'x'): number => Math.atan2(plane === 'z' ? u[0]! : -u[2]!, u[1]!);

/** Cholesky of a 3×3 SPD (row-major) → lower L. */
function chol(c: ArrayLike<number>): number[] {
  const L = new Array<number>(9).fill(0);
  for (let i = 0; i < 3; i++) for (let j = 0; j <= i; j++) {
    let s = c[3 * i + j]!;
    for (let k = 0; k < j; k++) s -= L[3 * i + k]! * L[3 * j + k]!;
    L[3 * i + j] = i === j ? Math.sqrt(s) : s / L[3 * j + j]!;
  }
  return L;
}

describe('clinic inclinometer uncertainty', () => {
  it('in the plane: σ² = the mount variance about the normal + the tilt variance', () => {
    const cov = staticZeroCovariance(0.6);
    for (const thetaDeg of [0, 45, 120]) {
      const t = thetaDeg * DEG;
      const sz = inclinometerSigmaRad([Math.sin(t), Math.cos(t), 0], 'z', cov);
      expect(sz).toBeCloseTo(Math.sqrt(cov[8]! + (TILT_SIGMA_DEG * DEG) ** 2), 12);
      const sx = inclinometerSigmaRad([0, Math.cos(t), -Math.sin(t)], 'x', cov);
      expect(sx).toBeCloseTo(Math.sqrt(cov[0]! + (TILT_SIGMA_DEG * DEG) ** 2), 12);
    }
  });
  it('out of the plane: agrees with a Monte Carlo of the same errors within 10 % (errors small enough for first order)', () => {
    // A 3° lateral-axis error instead of the assumed 15°: first order holds (at 15° and 10° of tilt the second-order terms are 20-30 %).
    const cov = mountCovariance([0, 1, 0], 0.3 * DEG, [0, 0, 1], 3 * DEG, 0.6 * DEG);
    const rng = new sim.Rng(7);
    const tilt = TILT_SIGMA_DEG * DEG;
    for (const [plane, u] of [['z', [Math.sin(1.2) * Math.cos(0.2), Math.cos(1.2) * Math.cos(0.2), Math.sin(0.2)]], ['x', [Math.sin(0.15), Math.cos(2.0) * Math.cos(0.15), -Math.sin(2.0) * Math.cos(0.15)]]] as const) {
      const sigma = inclinometerSigmaRad(u, plane, cov);
      const L = chol(cov);
      const a0 = angleOf(u, plane);
      const n = 20000;
      let s2 = 0;
      const q = quat.create(), out = new Float64Array(3);
      for (let k = 0; k < n; k++) {
        const z = [rng.gaussian(), rng.gaussian(), rng.gaussian()];
        const e = [0, 1, 2].map((i) => L[3 * i]! * z[0]! + L[3 * i + 1]! * z[1]! + L[3 * i + 2]! * z[2]!);
        // Tilt: about two axes perpendicular to u.
        const a = Math.abs(u[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
        const p1 = [u[1] * a[2]! - u[2] * a[1]!, u[2] * a[0]! - u[0] * a[2]!, u[0] * a[1]! - u[1] * a[0]!];
        const n1 = Math.hypot(...p1); for (let i = 0; i < 3; i++) p1[i]! /= n1;
        const p2 = [u[1] * p1[2]! - u[2] * p1[1]!, u[2] * p1[0]! - u[0] * p1[2]!, u[0] * p1[1]! - u[1] * p1[0]!];
        const t1 = tilt * rng.gaussian(), t2 = tilt * rng.gaussian();
        const rv = [0, 1, 2].map((i) => e[i]! + t1 * p1[i]! + t2 * p2[i]!);
        quat.fromRotationVector(q, rv);
        quat.rotate(out, q, u);
        let d = angleOf(out, plane) - a0;
        d = Math.atan2(Math.sin(d), Math.cos(d));
        s2 += d * d;
      }
      const mc = Math.sqrt(s2 / n);
      console.log(`plane ${plane}: first-order σ ${(sigma / DEG).toFixed(3)}°, Monte Carlo ${(mc / DEG).toFixed(3)}°`);
      expect(Math.abs(mc - sigma) / sigma).toBeLessThan(0.1);
    }
  });
});
