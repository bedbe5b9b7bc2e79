import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DampedOscillationBank, DampedOscillationTrajectory } from '../../src/sim/oscillation';
import { SimInputError } from '../../src/sim/sim-error';
import { SplineTrajectory } from '../../src/sim/spline';
import {
  AffineTrajectory,
  ConstantTrajectory,
  FadeInTrajectory,
  MinimumJerkTrajectory,
  RampTrajectory,
  SinusoidTrajectory,
  SumTrajectory,
  minimumJerkProfile,
  type Trajectory1,
} from '../../src/sim/trajectory';
import { d1, valueAt } from './helpers';

/** Check analytic derivatives against 4th-order finite differences of the value and slope. */
function expectDerivatives(tr: Trajectory1, t: number, h: number, tol: number): void {
  const out = tr.evaluate(t, new Float64Array(3));
  const slope = (s: number) => tr.evaluate(s, new Float64Array(3))[1]!;
  const fdV = d1((s) => valueAt(tr, s), t, h);
  const fdA = d1(slope, t, h);
  const scale = 1 + Math.abs(out[1]!) + Math.abs(out[2]!);
  expect(Math.abs(out[1]! - fdV)).toBeLessThan(tol * scale);
  expect(Math.abs(out[2]! - fdA)).toBeLessThan(tol * scale);
}

describe('minimum-jerk profile', () => {
  it('has the closed-form values, and zero velocity/acceleration at both ends', () => {
    const o = new Float64Array(3);
    expect(Array.from(minimumJerkProfile(0, o))).toEqual([0, 0, 0]);
    expect(Array.from(minimumJerkProfile(1, o))).toEqual([1, 0, 0]);
    minimumJerkProfile(0.5, o);
    expect(o[0]).toBeCloseTo(0.5, 15);
    expect(o[1]).toBeCloseTo(1.875, 14); // peak velocity 15/8
    expect(o[2]).toBeCloseTo(0, 14);
    // Continuity of all three at the ends (limits from inside).
    minimumJerkProfile(1e-6, o);
    expect(Math.abs(o[1]!) + Math.abs(o[2]!)).toBeLessThan(1e-4);
  });

  it('MinimumJerkTrajectory holds, moves and holds', () => {
    const tr = new MinimumJerkTrajectory({ from: 0.2, to: 1.2, startS: 1, durationS: 2 });
    expect(Array.from(tr.evaluate(0.5, new Float64Array(3)))).toEqual([0.2, 0, 0]);
    expect(Array.from(tr.evaluate(5, new Float64Array(3)))).toEqual([1.2, 0, 0]);
    expect(valueAt(tr, 2)).toBeCloseTo(0.7, 15);
    // Peak velocity 15/8 · Δ/T.
    expect(tr.evaluate(2, new Float64Array(3))[1]).toBeCloseTo((15 / 8) * 0.5, 14);
  });
});

describe('trajectory derivatives match finite differences', () => {
  it('sinusoid, ramp, constant, affine, sum, fade-in (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.double({ min: 0.05, max: 3, noNaN: true }),
        fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        (amp, f, ph, t) => {
          const sin = new SinusoidTrajectory({ amplitude: amp, frequencyHz: f, phaseRad: ph, offset: 0.3 });
          const ramp = new RampTrajectory({ value0: 1, ratePerS: amp, t0S: 2 });
          const sum = new SumTrajectory([sin, ramp, new ConstantTrajectory(-0.4)]);
          const aff = new AffineTrajectory(sum, -1.5, 0.2);
          const fade = new FadeInTrajectory(aff, 3, 2.5);
          for (const tr of [sin, ramp, sum, aff, fade]) expectDerivatives(tr, t, 1e-4, 1e-6);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('fade-in is zero before its start and equals the base after the ramp', () => {
    const base = new SinusoidTrajectory({ amplitude: 1, frequencyHz: 0.7, phaseRad: 0.4 });
    const fade = new FadeInTrajectory(base, 2, 1);
    expect(Array.from(fade.evaluate(1.5, new Float64Array(3)))).toEqual([0, 0, 0]);
    const a = fade.evaluate(3.5, new Float64Array(3));
    const b = base.evaluate(3.5, new Float64Array(3));
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('rejects non-finite parameters', () => {
    expect(() => new SinusoidTrajectory({ amplitude: NaN, frequencyHz: 1 })).toThrow(SimInputError);
    expect(() => new MinimumJerkTrajectory({ from: 0, to: 1, durationS: 0 })).toThrow(SimInputError);
    expect(() => new SumTrajectory([])).toThrow(SimInputError);
    expect(() => new FadeInTrajectory(new ConstantTrajectory(1), 0, -1)).toThrow(SimInputError);
  });
});

describe('SplineTrajectory (recorded angles)', () => {
  const tS = [0, 0.3, 0.7, 1.0, 1.6, 2.0, 2.9];
  const values = tS.map((t) => Math.sin(2 * t) + 0.3 * t);
  const sp = new SplineTrajectory({ tS, values });

  it('passes through every sample', () => {
    tS.forEach((t, i) => expect(valueAt(sp, t)).toBeCloseTo(values[i]!, 14));
  });

  it('is C² at the knots and natural (zero curvature) at the ends', () => {
    const o = new Float64Array(3);
    const eps = 1e-9;
    for (let i = 1; i < tS.length - 1; i++) {
      const l = Array.from(sp.evaluate(tS[i]! - eps, o));
      const r = Array.from(sp.evaluate(tS[i]! + eps, o));
      expect(Math.abs(l[1]! - r[1]!)).toBeLessThan(1e-6);
      expect(Math.abs(l[2]! - r[2]!)).toBeLessThan(1e-6);
    }
    expect(sp.evaluate(0, o)[2]).toBeCloseTo(0, 12);
    expect(sp.evaluate(2.9, o)[2]).toBeCloseTo(0, 12);
  });

  it('has exact derivatives inside each piece', () => {
    for (const t of [0.1, 0.5, 0.85, 1.3, 1.8, 2.5]) expectDerivatives(sp, t, 1e-4, 1e-7);
  });

  it('approximates a smooth recording densely sampled', () => {
    const dense = Array.from({ length: 201 }, (_, i) => i * 0.01);
    const s2 = new SplineTrajectory({ tS: dense, values: dense.map((t) => Math.sin(3 * t)) });
    const o = new Float64Array(3);
    for (const t of [0.333, 0.777, 1.234, 1.5]) {
      s2.evaluate(t, o);
      expect(o[0]).toBeCloseTo(Math.sin(3 * t), 8);
      expect(o[1]).toBeCloseTo(3 * Math.cos(3 * t), 5);
      expect(o[2]).toBeCloseTo(-9 * Math.sin(3 * t), 2);
    }
  });

  it('evaluates in any order (binary search, not only sequentially)', () => {
    const fwd = [2.5, 0.1, 1.7, 0.8, 2.89, 0.0].map((t) => valueAt(sp, t));
    const fresh = [2.5, 0.1, 1.7, 0.8, 2.89, 0.0].map((t) => valueAt(new SplineTrajectory({ tS, values }), t));
    expect(fwd).toEqual(fresh);
  });

  it('holds or extrapolates linearly outside the recording', () => {
    const o = new Float64Array(3);
    expect(Array.from(sp.evaluate(-1, o))).toEqual([values[0], 0, 0]);
    expect(Array.from(sp.evaluate(5, o))).toEqual([values[values.length - 1], 0, 0]);
    const lin = new SplineTrajectory({ tS, values, outside: 'linear' });
    const end = lin.evaluate(2.9, new Float64Array(3));
    lin.evaluate(3.4, o);
    expect(o[0]).toBeCloseTo(end[0]! + 0.5 * end[1]!, 12);
    expect(o[1]).toBeCloseTo(end[1]!, 12);
    expect(o[2]).toBe(0);
  });

  it('reproduces a straight line exactly', () => {
    const s = new SplineTrajectory({ tS: [0, 1, 1.5, 4], values: [1, 3, 4, 9] });
    const o = s.evaluate(2.2, new Float64Array(3));
    expect(o[0]).toBeCloseTo(1 + 2 * 2.2, 12);
    expect(o[1]).toBeCloseTo(2, 12);
    expect(o[2]).toBeCloseTo(0, 12);
  });

  it('rejects bad recordings', () => {
    expect(() => new SplineTrajectory({ tS: [0], values: [1] })).toThrow(SimInputError);
    expect(() => new SplineTrajectory({ tS: [0, 1], values: [1] })).toThrow(SimInputError);
    expect(() => new SplineTrajectory({ tS: [0, 1, 1], values: [1, 2, 3] })).toThrow(/strictly increasing/);
    expect(() => new SplineTrajectory({ tS: [0, 1, 2], values: [1, NaN, 3] })).toThrow(SimInputError);
  });
});

describe('DampedOscillationTrajectory (soft-tissue kernel)', () => {
  const osc = new DampedOscillationTrajectory({
    frequencyHz: 10,
    dampingRatio: 0.25,
    events: [
      { tS: 1, amplitude: 0.02 },
      { tS: 1.15, amplitude: -0.01 },
    ],
  });

  it('is exactly zero before the first event and C² at the onset', () => {
    expect(Array.from(osc.evaluate(0.999, new Float64Array(3)))).toEqual([0, 0, 0]);
    const o = osc.evaluate(1 + 1e-6, new Float64Array(3));
    expect(Math.abs(o[0]!)).toBeLessThan(1e-14);
    expect(Math.abs(o[1]!)).toBeLessThan(1e-8);
    expect(Math.abs(o[2]!)).toBeLessThan(1e-2);
  });

  it('peaks at the given amplitude and decays', () => {
    const single = new DampedOscillationTrajectory({ frequencyHz: 10, dampingRatio: 0.25, events: [{ tS: 0, amplitude: 0.02 }] });
    let peak = 0;
    for (let i = 0; i < 3000; i++) peak = Math.max(peak, Math.abs(valueAt(single, i * 1e-4)));
    expect(peak).toBeCloseTo(0.02, 5);
    expect(Math.abs(valueAt(single, 2))).toBeLessThan(1e-9);
  });

  it('has exact derivatives', () => {
    for (const t of [1.01, 1.05, 1.12, 1.16, 1.3, 1.6]) expectDerivatives(osc, t, 1e-5, 1e-6);
  });

  it('a bank shares events across components and matches the single-component sums', () => {
    const events = [
      { tS: 1, amplitudes: [0.02, -0.5] },
      { tS: 1.15, amplitudes: [-0.01, 0.25] },
    ];
    const bank = new DampedOscillationBank({ frequencyHz: 10, dampingRatio: 0.25, components: 2, events });
    const c0 = bank.component(0), c1 = bank.component(1);
    const o = new Float64Array(3);
    for (const t of [1.3, 1.05, 1.3, 1.6]) {
      expect(Array.from(c0.evaluate(t, o))).toEqual(Array.from(osc.evaluate(t, new Float64Array(3))));
      // Component 1 is −25 × component 0 at every instant (amplitudes scale exactly).
      const v1 = Array.from(c1.evaluate(t, o));
      const v0 = Array.from(osc.evaluate(t, new Float64Array(3)));
      v1.forEach((v, i) => expect(v).toBeCloseTo(-25 * v0[i]!, 14));
    }
    expect(() => bank.component(2)).toThrow(SimInputError);
    expect(() => new DampedOscillationBank({ frequencyHz: 10, components: 2, events: [{ tS: 0, amplitudes: [1] }] })).toThrow(SimInputError);
  });

  it('rejects bad damping', () => {
    expect(() => new DampedOscillationTrajectory({ frequencyHz: 10, dampingRatio: 1, events: [] })).toThrow(SimInputError);
  });
});
