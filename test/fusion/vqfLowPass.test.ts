/**
 * The written-out 3- and 2-channel low-pass steps (the filter's per-sample hot path) against
 * the generic n-channel step: same outputs and same state, bit for bit, through the start-up
 * average and after it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createLowPassCoefficients, lowPassCoefficients, lowPassStateLength, lowPassStep, lowPassStep2, lowPassStep3,
} from '../../src/fusion/vqfLowPass';

function agree(n: 2 | 3, tauS: number, tsS: number, samples: number[][]): void {
  const c = lowPassCoefficients(createLowPassCoefficients(), tauS, tsS);
  const sGeneric = new Float64Array(lowPassStateLength(n)), sFixed = new Float64Array(lowPassStateLength(n));
  const yGeneric = new Float64Array(n), yFixed = new Float64Array(n);
  const step = n === 3 ? lowPassStep3 : lowPassStep2;
  for (const x of samples) {
    lowPassStep(yGeneric, x, n, c, sGeneric);
    step(yFixed, x, c, sFixed);
    expect(Array.from(yFixed)).toEqual(Array.from(yGeneric));
    expect(Array.from(sFixed)).toEqual(Array.from(sGeneric));
  }
}

describe('lowPassStep3 / lowPassStep2', () => {
  for (const n of [2, 3] as const) {
    it(`${n} channels: identical to lowPassStep, during and after the start-up average`, () => {
      fc.assert(
        fc.property(
          fc.double({ min: 0.005, max: 2, noNaN: true }),
          fc.double({ min: 0.001, max: 0.05, noNaN: true }),
          fc.array(fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: n, maxLength: n }), { minLength: 1, maxLength: 400 }),
          (tauS, tsS, samples) => agree(n, tauS, tsS, samples),
        ),
        { numRuns: 60 },
      );
    });
  }
});
