import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fftInPlace, fftMagnitude, nextPow2 } from '../../src/math/fft';
import { logDimensionlessJerk, sparc } from '../../src/quality/smoothness';

/** Minimum-jerk speed profile over `durationS` at `rateHz` (peak 1.875 × amplitude / duration). */
function minJerkSpeed(durationS: number, rateHz: number, amplitude = 1): Float64Array {
  const n = Math.round(durationS * rateHz) + 1;
  return Float64Array.from({ length: n }, (_, i) => {
    const t = i / (n - 1);
    return ((30 * amplitude) / durationS) * t * t * (1 - t) * (1 - t);
  });
}

/** Two minimum-jerk submovements of `durationS` each, the second starting `offsetS` after the first. */
function twoSubmovements(durationS: number, offsetS: number, rateHz: number): Float64Array {
  const a = minJerkSpeed(durationS, rateHz);
  const k = Math.round(offsetS * rateHz);
  const out = new Float64Array(k + a.length);
  out.set(a);
  for (let i = 0; i < a.length; i++) out[k + i] = out[k + i]! + a[i]!;
  return out;
}

// −ln(720 / 1.875²): ∫ jerk² of a minimum-jerk move is 720 D²/T⁵ and its peak speed 1.875 D/T.
const LDLJ_MIN_JERK = -Math.log(720 / 1.875 ** 2);

describe('fft', () => {
  it('matches a direct DFT', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 40 }), (x) => {
        const nfft = nextPow2(x.length);
        const mag = fftMagnitude(x, nfft);
        for (let k = 0; k < nfft; k++) {
          let re = 0, im = 0;
          for (let i = 0; i < x.length; i++) {
            re += x[i]! * Math.cos((-2 * Math.PI * k * i) / nfft);
            im += x[i]! * Math.sin((-2 * Math.PI * k * i) / nfft);
          }
          expect(mag[k]!).toBeCloseTo(Math.hypot(re, im), 8);
        }
      }),
      { numRuns: 50 },
    );
  });
  it('rejects lengths that are not powers of two', () => {
    expect(() => fftInPlace(new Float64Array(6), new Float64Array(6))).toThrow(/power of two/);
    expect(() => fftMagnitude([1, 2, 3], 2)).toThrow(/shorter/);
  });
});

describe('SPARC', () => {
  it('a minimum-jerk move scores ≈ −1.40 at any duration and rate (Balasubramanian 2015 defaults)', () => {
    for (const rateHz of [25, 100, 1000]) {
      for (const durationS of [0.5, 1, 2, 4]) {
        expect(sparc(minJerkSpeed(durationS, rateHz), rateHz)).toBeCloseTo(-1.40, 1);
      }
    }
  });
  it('two submovements are less smooth than one, more so the further apart', () => {
    const one = sparc(minJerkSpeed(1, 100), 100);
    const close = sparc(twoSubmovements(1, 0.5, 100), 100);
    const apart = sparc(twoSubmovements(1, 1, 100), 100);
    expect(close).toBeLessThan(one - 0.2);
    expect(apart).toBeLessThan(close);
    expect(apart).toBeLessThan(-2);
  });
  it('is ≤ 0 and invariant to the speed scale and to trailing rest (zeros)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.3, max: 3, noNaN: true }), fc.double({ min: 0.01, max: 100, noNaN: true }), fc.integer({ min: 0, max: 200 }), (T, scale, zeros) => {
        const v = minJerkSpeed(T, 100);
        const s0 = sparc(v, 100);
        expect(s0).toBeLessThanOrEqual(0);
        expect(sparc(v.map((x) => x * scale), 100)).toBeCloseTo(s0, 9);
        const padded = new Float64Array(v.length + zeros);
        padded.set(v);
        expect(sparc(padded, 100)).toBeCloseTo(s0, 1);
      }),
      { numRuns: 40 },
    );
  });
  it('is NaN for an empty, all-zero or non-finite profile, and validates options', () => {
    expect(sparc([], 100)).toBeNaN();
    expect(sparc([0, 0, 0, 0], 100)).toBeNaN();
    expect(sparc([0, 1, NaN, 0], 100)).toBeNaN();
    expect(() => sparc([0, 1, 0], 0)).toThrow(/rateHz/);
    expect(() => sparc([0, 1, 0], 100, { padLevel: 1.5 })).toThrow(/padLevel/);
  });
});

describe('log dimensionless jerk', () => {
  it('a minimum-jerk move gives −ln(720/1.875²) ≈ −5.32', () => {
    expect(LDLJ_MIN_JERK).toBeCloseTo(-5.32, 2);
    expect(logDimensionlessJerk(minJerkSpeed(1, 1000), 1000)).toBeCloseTo(LDLJ_MIN_JERK, 1);
    expect(Math.abs(logDimensionlessJerk(minJerkSpeed(2, 100), 100) - LDLJ_MIN_JERK)).toBeLessThan(0.05);
  });
  it('is dimensionless: independent of amplitude and duration', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 4, noNaN: true }), fc.double({ min: 0.1, max: 100, noNaN: true }), (T, amp) => {
        expect(Math.abs(logDimensionlessJerk(minJerkSpeed(T, 200, amp), 200) - LDLJ_MIN_JERK)).toBeLessThan(0.05);
      }),
      { numRuns: 30 },
    );
  });
  it('two submovements have a lower (less smooth) value', () => {
    expect(logDimensionlessJerk(twoSubmovements(1, 1, 100), 100)).toBeLessThan(LDLJ_MIN_JERK - 1);
  });
  it('is NaN for too few samples or no movement', () => {
    expect(logDimensionlessJerk([1, 2], 100)).toBeNaN();
    expect(logDimensionlessJerk([0, 0, 0, 0], 100)).toBeNaN();
  });
});
