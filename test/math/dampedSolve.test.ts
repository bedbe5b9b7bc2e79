import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { solveDamped } from '../../src/math/dampedSolve';

describe('solveDamped (Levenberg–Marquardt step)', () => {
  it('λ = 0 solves A x = b exactly for random well-conditioned SPD A (n = 1…6)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 42, maxLength: 42 }), (n, r) => {
        // A = MᵀM + n·I is SPD with condition bounded; b = A x for a known x.
        const a = new Float64Array(n * n), x = Float64Array.from({ length: n }, (_, i) => r[36 + i]!), b = new Float64Array(n);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
          let s = i === j ? n : 0;
          for (let k = 0; k < n; k++) s += r[k * 6 + i]! * r[k * 6 + j]!;
          a[n * i + j] = s;
        }
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) b[i] += a[n * i + j]! * x[j]!;
        const out = new Float64Array(n);
        expect(solveDamped(a, b, n, 0, out)).toBe(true);
        for (let i = 0; i < n; i++) expect(out[i]).toBeCloseTo(x[i]!, 9);
      }),
    );
  });

  it('damping shrinks the step along each axis by 1 / (1 + λ) for a diagonal A', () => {
    const out = new Float64Array(2);
    solveDamped([2, 0, 0, 4], [2, 4], 2, 1, out);
    expect(out[0]).toBeCloseTo(0.5, 8);
    expect(out[1]).toBeCloseTo(0.5, 8);
  });

  it('a singular system is reported, not solved into NaN', () => {
    const out = new Float64Array(2);
    expect(solveDamped([0, 0, 0, 0], [1, 1], 2, 0, out)).toBe(false);
  });
});
