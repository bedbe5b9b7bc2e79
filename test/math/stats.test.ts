import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  RunningStats,
  circularMean,
  max,
  mean,
  meanResultantLength,
  median,
  min,
  percentile,
  rms,
  rmse,
  std,
  variance,
} from '../../src/math/stats';
import {
  EmptyInputError,
  InsufficientDataError,
  LengthMismatchError,
  NonFiniteInputError,
  ParameterRangeError,
  UndefinedCircularMeanError,
} from '../../src/math/errors';
import { degToRad } from '../../src/math/angle';
import { NUM_RUNS, angleDiff, real } from './arbitraries';

const opts = { numRuns: NUM_RUNS };

describe('hand-computed values', () => {
  it('mean, sample variance (n − 1), std, rms, rmse, min, max', () => {
    const x = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(mean(x)).toBe(5);
    expect(variance(x)).toBeCloseTo(32 / 7, 14); // Σ(x − 5)² = 32, n − 1 = 7
    expect(std(x)).toBeCloseTo(Math.sqrt(32 / 7), 14);
    expect(rms([3, 4])).toBeCloseTo(Math.sqrt(12.5), 14);
    expect(rmse([1, 2, 3], [1, 2, 5])).toBeCloseTo(Math.sqrt(4 / 3), 14);
    expect(min(Float64Array.of(3, -1, 2))).toBe(-1);
    expect(max(Float64Array.of(3, -1, 2))).toBe(3);
  });

  it('variance stays exact with a large common offset (1e9 + {4, 7, 13, 16} has variance 30)', () => {
    const x = [4, 7, 13, 16].map((v) => 1e9 + v);
    expect(variance(x)).toBe(30);
    expect(new RunningStats().pushAll(x).variance()).toBeCloseTo(30, 6);
  });

  it('median and percentiles with linear interpolation (h = (n − 1)·p/100)', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const x = [5, 1, 4, 2, 3];
    expect(percentile(x, 25)).toBe(2); // h = 1
    expect(percentile(x, 10)).toBeCloseTo(1.4, 14); // h = 0.4: 1 + 0.4·(2 − 1)
    expect(percentile(x, 90)).toBeCloseTo(4.6, 14);
    expect(percentile(x, 0)).toBe(1);
    expect(percentile(x, 100)).toBe(5);
    expect(median([7])).toBe(7);
  });

  it('circular mean across the ±180° seam', () => {
    expect(circularMean([degToRad(350), degToRad(10)])).toBeCloseTo(0, 14);
    expect(Math.abs(circularMean([Math.PI - 0.1, -Math.PI + 0.1]))).toBeCloseTo(Math.PI, 14);
    expect(circularMean([Math.PI - 0.1, -Math.PI + 0.1])).toBeGreaterThan(0); // (−π, π]
    expect(circularMean([0.1, 0.2, 0.3])).toBeCloseTo(0.2, 14);
    expect(meanResultantLength([1, 1, 1])).toBeCloseTo(1, 15);
    expect(meanResultantLength([0, Math.PI / 2, Math.PI, -Math.PI / 2])).toBeLessThan(1e-15);
  });
});

describe('order statistics', () => {
  const data = fc.array(fc.oneof(real(-1e3, 1e3), fc.integer({ min: -3, max: 3 })), { minLength: 1, maxLength: 60 });

  it('percentile equals the sort-based definition and does not modify its input', () => {
    fc.assert(
      fc.property(data, real(0, 100), (x, p) => {
        const input = Float64Array.from(x);
        const copy = input.slice();
        const sorted = input.slice().sort();
        const h = ((x.length - 1) * p) / 100;
        const lo = Math.floor(h), hi = Math.min(lo + 1, x.length - 1);
        const expected = sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
        expect(Math.abs(percentile(input, p) - expected)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(expected)));
        expect(Array.from(input)).toEqual(Array.from(copy));
      }),
      opts,
    );
  });

  it('uses a caller scratch (no allocation) and is monotone in p', () => {
    fc.assert(
      fc.property(data, real(0, 100), real(0, 100), (x, p, q) => {
        const scratch = new Float64Array(x.length + 3);
        const a = percentile(x, Math.min(p, q), scratch), b = percentile(x, Math.max(p, q), scratch);
        expect(a).toBeLessThanOrEqual(b);
        expect(median(x, scratch)).toBe(percentile(x, 50));
        expect(a).toBeGreaterThanOrEqual(min(x));
        expect(b).toBeLessThanOrEqual(max(x));
      }),
      opts,
    );
  });

  it('rejects a short scratch and p outside [0, 100]', () => {
    expect(() => percentile([1, 2, 3], 50, new Float64Array(2))).toThrow(LengthMismatchError);
    expect(() => percentile([1, 2, 3], 101)).toThrow(ParameterRangeError);
    expect(() => percentile([1, 2, 3], NaN)).toThrow(ParameterRangeError);
  });
});

describe('RunningStats (Welford)', () => {
  it('matches the array functions', () => {
    fc.assert(
      fc.property(fc.array(real(-1e3, 1e3), { minLength: 2, maxLength: 100 }), real(-1e6, 1e6), (x0, offset) => {
        const x = x0.map((v) => v + offset);
        const r = new RunningStats().pushAll(x);
        expect(r.count).toBe(x.length);
        expect(Math.abs(r.mean() - mean(x))).toBeLessThan(1e-9 * (1 + Math.abs(offset)));
        expect(Math.abs(r.variance() - variance(x))).toBeLessThan(1e-6 * (1 + variance(x)));
        expect(Math.abs(r.std() - std(x))).toBeLessThan(1e-6 * (1 + std(x)));
        expect(r.min()).toBe(min(x));
        expect(r.max()).toBe(max(x));
      }),
      opts,
    );
  });

  it('resets, and its state round-trips through JSON', () => {
    const r = new RunningStats().pushAll([1, 2, 3]);
    const s = new RunningStats();
    s.setState(JSON.parse(JSON.stringify(r.getState())));
    s.push(10);
    r.push(10);
    expect(s.getState()).toEqual(r.getState());
    r.reset();
    expect(r.count).toBe(0);
    expect(() => r.mean()).toThrow(EmptyInputError);
    expect(JSON.parse(JSON.stringify(r.getState()))).toEqual(r.getState()); // JSON-safe when empty too
    r.push(-4);
    expect(r.min()).toBe(-4);
    expect(r.max()).toBe(-4);
    expect(() => r.variance()).toThrow(InsufficientDataError);
  });

  it('rejects NaN without changing its state', () => {
    const r = new RunningStats().pushAll([1, 2]);
    const before = r.getState();
    expect(() => r.push(NaN)).toThrow(NonFiniteInputError);
    expect(r.getState()).toEqual(before);
  });
});

describe('circular mean', () => {
  it('is equivariant under rotation: mean(θ + c) = mean(θ) + c', () => {
    fc.assert(
      fc.property(fc.array(real(-0.5, 0.5), { minLength: 1, maxLength: 30 }), real(-10, 10), (x, c) => {
        const m = circularMean(x);
        expect(angleDiff(circularMean(x.map((v) => v + c)), m + c)).toBeLessThan(1e-12);
        expect(m).toBeGreaterThan(-Math.PI);
        expect(m).toBeLessThanOrEqual(Math.PI);
      }),
      opts,
    );
  });

  it('throws UndefinedCircularMeanError when the angles cancel', () => {
    expect(() => circularMean([0, Math.PI])).toThrow(UndefinedCircularMeanError);
    expect(() => circularMean([0, (2 * Math.PI) / 3, (4 * Math.PI) / 3])).toThrow(UndefinedCircularMeanError);
  });
});

describe('typed errors', () => {
  it('empty input throws EmptyInputError (an InsufficientDataError) everywhere', () => {
    for (const f of [mean, variance, std, rms, min, max, median, circularMean, meanResultantLength] as ((x: number[]) => number)[]) {
      expect(() => f([])).toThrow(EmptyInputError);
      expect(() => f([])).toThrow(InsufficientDataError);
    }
    expect(() => rmse([], [])).toThrow(EmptyInputError);
    expect(() => percentile([], 50)).toThrow(EmptyInputError);
  });

  it('variance of one value needs two: InsufficientDataError, not EmptyInputError', () => {
    let err: unknown;
    try {
      variance([1]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InsufficientDataError);
    expect(err).not.toBeInstanceOf(EmptyInputError);
    expect((err as InsufficientDataError).needed).toBe(2);
    expect((err as InsufficientDataError).got).toBe(1);
  });

  it('NaN/∞ values and mismatched lengths are rejected', () => {
    expect(() => mean([1, NaN])).toThrow(NonFiniteInputError);
    expect(() => max([1, Infinity])).toThrow(NonFiniteInputError);
    expect(() => median([NaN])).toThrow(NonFiniteInputError);
    expect(() => rmse([1, 2], [1])).toThrow(LengthMismatchError);
    const e = (() => {
      try {
        rms([0, 0, -Infinity]);
      } catch (x) {
        return x as NonFiniteInputError;
      }
      return undefined;
    })();
    expect(e?.index).toBe(2);
  });
});
