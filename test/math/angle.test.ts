import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Unwrapper, degToRad, diffRad, radToDeg, unwrapInPlace, wrap180Deg, wrap2Pi, wrapPi } from '../../src/math/angle';
import { NonFiniteInputError, ParameterRangeError } from '../../src/math/errors';
import { NUM_RUNS, real } from './arbitraries';

const PI = Math.PI;
const opts = { numRuns: NUM_RUNS };

/** (x − y) / period is an integer, to within tol relative to |x|. */
function differsByWholePeriods(x: number, y: number, period: number): boolean {
  const k = (x - y) / period;
  return Math.abs(k - Math.round(k)) <= 1e-12 * (1 + Math.abs(x) / period);
}

describe('degree/radian conversion', () => {
  it('converts hand values and round-trips', () => {
    expect(degToRad(180)).toBe(PI);
    expect(degToRad(90)).toBe(PI / 2);
    expect(radToDeg(PI)).toBe(180);
    expect(radToDeg(degToRad(37.5))).toBeCloseTo(37.5, 13);
  });
});

describe('wrapPi', () => {
  it('hand values: the range is (−π, π]', () => {
    expect(wrapPi(0)).toBe(0);
    expect(wrapPi(PI)).toBe(PI);
    expect(wrapPi(-PI)).toBe(PI);
    expect(wrapPi(3 * PI)).toBeCloseTo(PI, 14);
    expect(wrapPi(-3 * PI / 2)).toBeCloseTo(PI / 2, 14);
    expect(wrapPi(2 * PI + 0.25)).toBeCloseTo(0.25, 14);
    expect(wrapPi(-0.25)).toBe(-0.25);
  });

  it('maps any finite angle into (−π, π] by whole turns, leaving in-range values unchanged', () => {
    fc.assert(
      fc.property(real(-1e6, 1e6), (x) => {
        const r = wrapPi(x);
        expect(r).toBeGreaterThan(-PI);
        expect(r).toBeLessThanOrEqual(PI);
        expect(differsByWholePeriods(x, r, 2 * PI)).toBe(true);
        if (x > -PI && x <= PI) expect(r).toBe(x);
      }),
      opts,
    );
    expect(wrapPi(1e300)).toBeLessThanOrEqual(PI);
    expect(wrapPi(-1e300)).toBeGreaterThan(-PI);
  });

  it('diffRad is the signed shortest difference', () => {
    expect(diffRad(degToRad(350), degToRad(10))).toBeCloseTo(degToRad(-20), 14);
    expect(diffRad(degToRad(10), degToRad(350))).toBeCloseTo(degToRad(20), 14);
  });

  it('throws NonFiniteInputError for NaN and ±∞', () => {
    expect(() => wrapPi(NaN)).toThrow(NonFiniteInputError);
    expect(() => wrapPi(Infinity)).toThrow(NonFiniteInputError);
    expect(() => wrap2Pi(-Infinity)).toThrow(NonFiniteInputError);
    expect(() => wrap180Deg(NaN)).toThrow(NonFiniteInputError);
  });
});

describe('wrap2Pi and wrap180Deg', () => {
  it('hand values', () => {
    expect(wrap2Pi(-PI / 2)).toBeCloseTo(1.5 * PI, 14);
    expect(wrap2Pi(2 * PI)).toBe(0);
    expect(wrap2Pi(-1e-20)).toBe(0); // −1e-20 + 2π rounds to 2π, which is 0
    expect(wrap180Deg(180)).toBe(180);
    expect(wrap180Deg(-180)).toBe(180);
    expect(wrap180Deg(270)).toBe(-90);
    expect(wrap180Deg(-190)).toBe(170);
    expect(wrap180Deg(720.5)).toBeCloseTo(0.5, 12);
  });

  it('ranges [0, 2π) and (−180, 180] by whole turns', () => {
    fc.assert(
      fc.property(real(-1e6, 1e6), (x) => {
        const r = wrap2Pi(x);
        expect(r).toBeGreaterThanOrEqual(0);
        expect(r).toBeLessThan(2 * PI);
        expect(differsByWholePeriods(x, r, 2 * PI)).toBe(true);
        const d = wrap180Deg(x);
        expect(d).toBeGreaterThan(-180);
        expect(d).toBeLessThanOrEqual(180);
        expect(differsByWholePeriods(x, d, 360)).toBe(true);
      }),
      opts,
    );
  });
});

/** A continuous random walk with steps below half a period, and its wrapped version. */
const walk = fc.tuple(real(-10, 10), fc.array(real(-3, 3), { minLength: 1, maxLength: 200 }));

describe('unwrapInPlace and Unwrapper', () => {
  it('recover a continuous series from its wrapped version (steps < π)', () => {
    fc.assert(
      fc.property(walk, ([start, steps]) => {
        const truth = new Float64Array(steps.length + 1);
        truth[0] = start;
        for (let i = 0; i < steps.length; i++) truth[i + 1] = truth[i]! + steps[i]!;
        const wrapped = truth.map(wrapPi);
        const un = unwrapInPlace(wrapped.slice());
        // The first sample is kept; so the whole series is the truth shifted by a whole turn.
        const shift = truth[0]! - un[0]!;
        expect(differsByWholePeriods(truth[0]!, un[0]!, 2 * PI)).toBe(true);
        for (let i = 0; i < truth.length; i++) expect(Math.abs(un[i]! + shift - truth[i]!)).toBeLessThan(1e-9);
        // The streaming version gives the same numbers.
        const u = new Unwrapper();
        for (let i = 0; i < wrapped.length; i++) expect(u.push(wrapped[i]!)).toBe(un[i]);
      }),
      opts,
    );
  });

  it('hand example in degrees-as-radians: 170°, −170°, −150°, 179° → 170, 190, 210, 179', () => {
    const a = Float64Array.from([170, -170, -150, 179], degToRad);
    unwrapInPlace(a);
    expect(Array.from(a, radToDeg).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([170, 190, 210, 179]);
  });

  it('supports another period (π for axial data)', () => {
    const a = Float64Array.of(1.5, -1.5, -1.2);
    unwrapInPlace(a, PI);
    expect(a[1]).toBeCloseTo(PI - 1.5, 14);
    expect(a[2]).toBeCloseTo(PI - 1.2, 14);
  });

  it('Unwrapper: reset forgets, state round-trips through JSON', () => {
    const u = new Unwrapper();
    u.push(3);
    expect(u.push(-3)).toBeCloseTo(2 * PI - 3, 14);
    const saved = JSON.parse(JSON.stringify(u.getState()));
    const v = new Unwrapper();
    v.setState(saved);
    expect(v.push(-2.9)).toBe(u.push(-2.9));
    u.reset();
    expect(u.push(-3)).toBe(-3);
  });

  it('rejects bad input with typed errors', () => {
    expect(() => unwrapInPlace(Float64Array.of(0, NaN))).toThrow(NonFiniteInputError);
    expect(() => unwrapInPlace(Float64Array.of(0), 0)).toThrow(ParameterRangeError);
    expect(() => new Unwrapper(-1)).toThrow(ParameterRangeError);
    expect(() => new Unwrapper().push(Infinity)).toThrow(NonFiniteInputError);
  });
});
