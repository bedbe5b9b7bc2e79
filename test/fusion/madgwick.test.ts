/**
 * Madgwick-specific behaviour: the step equals the report's equations (expanded Jacobians,
 * written out independently here), the ×2 magnetic-reference fix, and what β means.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MadgwickFilter } from '../../src/fusion/madgwick';
import type { MadgwickState } from '../../src/fusion/madgwick';
import { FilterParameterError } from '../../src/math/errors';
import * as quat from '../../src/math/quat';
import { simulate, staticScenario } from '../../src/sim/index';
import { DEG, errorParts, runAndCompare } from './madgwickMahonyHelpers';

/**
 * One Madgwick step written straight from the report (eqs. 25–34, 42–44): f_g, J_g, f_b,
 * J_b with b = (b_x, 0, b_z) in an x-north, z-up earth frame; ∇ = Jᵀf; q̇ = ½q⊗ω − β∇/‖∇‖;
 * first-order integration; normalisation. `bScale` 0.5 reproduces the original C code.
 */
function reportStep(q: number[], g: number[], a: number[], m: number[] | null, beta: number, dt: number, bScale = 1): { q: number[]; gradNorm: number } {
  const [q1, q2, q3, q4] = q as [number, number, number, number];
  const na = Math.hypot(a[0]!, a[1]!, a[2]!);
  const [ax, ay, az] = a.map((v) => v / na) as [number, number, number];
  // Rows of f and J (columns ∂/∂q1..q4).
  const f: number[] = [2 * (q2 * q4 - q1 * q3) - ax, 2 * (q1 * q2 + q3 * q4) - ay, 2 * (0.5 - q2 * q2 - q3 * q3) - az];
  const J: number[][] = [
    [-2 * q3, 2 * q4, -2 * q1, 2 * q2],
    [2 * q2, 2 * q1, 2 * q4, 2 * q3],
    [0, -4 * q2, -4 * q3, 0],
  ];
  if (m) {
    const nm = Math.hypot(m[0]!, m[1]!, m[2]!);
    const [mx, my, mz] = m.map((v) => v / nm) as [number, number, number];
    // h = q ⊗ m ⊗ q*
    const h = quat.rotate(new Float64Array(3), q, [mx, my, mz]);
    const bx = bScale * Math.hypot(h[0]!, h[1]!);
    const bz = bScale * h[2]!;
    f.push(
      2 * bx * (0.5 - q3 * q3 - q4 * q4) + 2 * bz * (q2 * q4 - q1 * q3) - mx,
      2 * bx * (q2 * q3 - q1 * q4) + 2 * bz * (q1 * q2 + q3 * q4) - my,
      2 * bx * (q1 * q3 + q2 * q4) + 2 * bz * (0.5 - q2 * q2 - q3 * q3) - mz,
    );
    J.push(
      [-2 * bz * q3, 2 * bz * q4, -4 * bx * q3 - 2 * bz * q1, -4 * bx * q4 + 2 * bz * q2],
      [-2 * bx * q4 + 2 * bz * q2, 2 * bx * q3 + 2 * bz * q1, 2 * bx * q2 + 2 * bz * q4, -2 * bx * q1 + 2 * bz * q3],
      [2 * bx * q3, 2 * bx * q4 - 4 * bz * q2, 2 * bx * q1 - 4 * bz * q3, 2 * bx * q2],
    );
  }
  const grad = [0, 1, 2, 3].map((c) => J.reduce((s, row, r) => s + row[c]! * f[r]!, 0));
  const gn = Math.hypot(...grad);
  const qw = quat.multiply(quat.create(), q, [0, g[0]!, g[1]!, g[2]!]);
  const next = [0, 1, 2, 3].map((c) => q[c]! + (0.5 * qw[c]! - (gn > 0 ? (beta * grad[c]!) / gn : 0)) * dt);
  const n = Math.hypot(...next);
  return { q: next.map((v) => v / n), gradNorm: gn };
}

/** A Madgwick filter whose working (NWU) orientation is exactly `q`. */
function at(q: number[], params: ConstructorParameters<typeof MadgwickFilter>[0] = {}): MadgwickFilter {
  const f = new MadgwickFilter(params);
  const s: MadgwickState = { ...f.getState(), quat: q, initialised: true, magInitialised: true };
  f.setState(s);
  return f;
}

const unitQuat = fc
  .tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }))
  .filter((v) => Math.hypot(...v) > 0.1)
  .map((v) => {
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  });
const vec = (r: number) => fc.tuple(fc.double({ min: -r, max: r, noNaN: true }), fc.double({ min: -r, max: r, noNaN: true }), fc.double({ min: -r, max: r, noNaN: true }));
const nonZero = (r: number) => vec(r).filter((v) => Math.hypot(...v) > 0.1 * r);

describe('Madgwick', () => {
  it('defaults: β 0.12, fixed magnetic reference', () => {
    const f = new MadgwickFilter();
    expect(f.name).toBe('madgwick');
    expect(f.beta).toBe(0.12);
    expect(f.legacyMagReference).toBe(false);
    expect(f.params).toEqual({ rateHz: 100, useMag: true, reinitAfterGapS: 1, initialBiasRadS: [0, 0, 0], beta: 0.12, legacyMagReference: false });
    expect(Object.isFrozen(f.params)).toBe(true);
    expect(() => new MadgwickFilter({ beta: -0.1 })).toThrow(FilterParameterError);
    expect(() => new MadgwickFilter({ beta: NaN })).toThrow(FilterParameterError);
  });

  it('one step equals the report’s expanded Jacobian step (6D and 9D, fixed and original reference)', () => {
    fc.assert(
      fc.property(unitQuat, vec(5), nonZero(20), fc.option(nonZero(60)), fc.double({ min: 1e-4, max: 0.05, noNaN: true }), fc.boolean(), (q, g, a, m, dt, legacy) => {
        const beta = 0.3;
        const f = at(q, { beta, legacyMagReference: legacy });
        f.update(g, a, m, dt);
        const expected = reportStep(q, g, a, m, beta, dt, legacy ? 0.5 : 1);
        // Near a zero of the objective the gradient is rounding noise whose direction is
        // arbitrary, and normalising it amplifies that noise: compare only real steps.
        if (expected.gradNorm < 1e-6) return true;
        const got = f.getState().quat;
        for (let c = 0; c < 4; c++) if (Math.abs(got[c]! - expected.q[c]!) > 1e-12) return false;
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('the ×2 fix changes the magnetometer part of the step (and only that)', () => {
    const q = [0.8, 0.2, -0.3, 0.4].map((v) => v / Math.hypot(0.8, 0.2, -0.3, 0.4));
    const a = [1, 2, 9], m = [10, 30, -40], g = [0.1, 0.2, 0.3];
    const fixed = at(q), legacy = at(q, { legacyMagReference: true });
    fixed.update(g, a, m, 0.01);
    legacy.update(g, a, m, 0.01);
    expect(quat.distanceRad(Float64Array.from(fixed.getState().quat), Float64Array.from(legacy.getState().quat))).toBeGreaterThan(1e-6);
    const fixed6 = at(q), legacy6 = at(q, { legacyMagReference: true });
    fixed6.update(g, a, null, 0.01);
    legacy6.update(g, a, null, 0.01);
    expect(fixed6.getState().quat).toEqual(legacy6.getState().quat);
  });

  it('with the fix the objective is zero at the truth, so a consistent static sensor does not move', () => {
    // The original's half-length reference leaves a non-zero (radial) gradient at the truth,
    // which eats into the step: its heading correction near convergence is weaker.
    const sim = simulate(staticScenario({ yawDeg: -60, pitchDeg: 35, rollDeg: 50, durationS: 5 }), { rateHz: 100 });
    expect(runAndCompare(new MadgwickFilter(), sim).totalMaxDeg).toBeLessThan(1e-6);
  });

  it('β is the correction rate: an inclination error closes at 2β rad/s', () => {
    for (const beta of [0.05, 0.2]) {
      const f = new MadgwickFilter({ beta, useMag: false });
      // Level and still, but the filter believes it is tilted 20° about x.
      f.setQuat(quat.fromAxisAngle(quat.create(), [1, 0, 0], 20 / DEG));
      const t = 0.5;
      for (let i = 0; i < t * 100; i++) f.update([0, 0, 0], [0, 0, 9.81], null, 0.01);
      const err = errorParts(f.getQuat(quat.create()), [1, 0, 0, 0]).inclinationDeg;
      expect(err).toBeCloseTo(20 - 2 * beta * t * DEG, 0);
    }
  });

  it('β = 0 is pure gyroscope integration; the bias is the fixed one given', () => {
    const f = new MadgwickFilter({ beta: 0, initialBiasRadS: [0.1, 0, 0] });
    f.update([0.1, 0, 0], [0, 0, 9.81], [0, 20, -40], 0.01);
    const q0 = f.getQuat(quat.create());
    for (let i = 0; i < 100; i++) f.update([0.1, 0, 1], [3, 3, 3], [5, 5, 5], 0.01);
    // 1 rad/s about z for 1 s, the measurements ignored.
    expect(errorParts(f.getQuat(quat.create()), quat.multiply(quat.create(), q0, quat.fromAxisAngle(quat.create(), [0, 0, 1], 1))).totalDeg).toBeLessThan(1e-3);
    expect(Array.from(f.getBiasRadS(new Float64Array(3)))).toEqual([0.1, 0, 0]);
  });
});
