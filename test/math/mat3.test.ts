import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as mat3 from '../../src/math/mat3';
import * as quat from '../../src/math/quat';
import * as vec3 from '../../src/math/vec3';
import { SingularMatrixError } from '../../src/math/errors';
import { NUM_RUNS, nearPiQuat, quatNorm, real, rotDist, unitQuat, unitVec3, vec3 as vec3Arb, vecDiff } from './arbitraries';

const opts = { numRuns: NUM_RUNS };

/** A 3×3 matrix with entries in [−r, r]. */
function matArb(r = 5): fc.Arbitrary<Float64Array> {
  return fc.array(real(-r, r), { minLength: 9, maxLength: 9 }).map((a) => Float64Array.from(a));
}

function frobDist(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < 9; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
}

function isRotation(m: ArrayLike<number>, tol: number): boolean {
  const mtm = mat3.multiply(mat3.create(), mat3.transpose(mat3.create(), m), m);
  return mat3.equals(mtm, mat3.create(), tol) && Math.abs(mat3.determinant(m) - 1) <= tol;
}

describe('mat3 layout and basics', () => {
  it('is row-major: m[3·row + col]; +90° about z has m[1] = −1 (row 0, col 1)', () => {
    const m = mat3.fromAxisAngle(mat3.create(), [0, 0, 1], Math.PI / 2);
    const expected = [0, -1, 0, 1, 0, 0, 0, 0, 1];
    for (let i = 0; i < 9; i++) expect(Math.abs(m[i]! - expected[i]!)).toBeLessThan(1e-15);
    const f = mat3.fromValues(1, 2, 3, 4, 5, 6, 7, 8, 10);
    expect(Array.from(mat3.transformVec3(vec3.create(), f, [1, 0, 0]))).toEqual([1, 4, 7]); // first column
    expect(Array.from(mat3.transformVec3Transpose(vec3.create(), f, [1, 0, 0]))).toEqual([1, 2, 3]); // first row
  });

  it('multiplies in the written order (A·B applies B first)', () => {
    const a = mat3.fromValues(1, 2, 0, 0, 1, 0, 0, 0, 1);
    const b = mat3.fromValues(1, 0, 0, 3, 1, 0, 0, 0, 1);
    expect(Array.from(mat3.multiply(mat3.create(), a, b))).toEqual([7, 2, 0, 3, 1, 0, 0, 0, 1]);
    expect(Array.from(mat3.multiply(mat3.create(), b, a))).toEqual([1, 2, 0, 3, 7, 0, 0, 0, 1]);
  });

  it('has det of a hand-computed matrix and inverts it', () => {
    const a = mat3.fromValues(2, 0, 1, 1, 3, 0, 0, 1, 4);
    expect(mat3.determinant(a)).toBe(2 * 12 - 0 + 1 * 1); // 25
    const inv = mat3.invert(mat3.create(), a);
    expect(mat3.equals(mat3.multiply(mat3.create(), a, inv), mat3.create(), 1e-15)).toBe(true);
    expect(mat3.equals(inv, mat3.fromValues(12, 1, -3, -4, 8, 1, 1, -2, 6).map((v) => v / 25), 1e-16)).toBe(true);
  });

  it('invert throws SingularMatrixError for singular and non-finite matrices, at any scale', () => {
    expect(() => mat3.invert(mat3.create(), mat3.fromValues(1, 2, 3, 2, 4, 6, 0, 0, 1))).toThrow(SingularMatrixError);
    expect(() => mat3.invert(mat3.create(), new Float64Array(9))).toThrow(SingularMatrixError);
    expect(() => mat3.invert(mat3.create(), mat3.fromValues(1e-5, 0, 0, 0, 1e-5, 0, 0, 0, 1e-25))).toThrow(SingularMatrixError);
    expect(() => mat3.invert(mat3.create(), mat3.fromValues(NaN, 0, 0, 0, 1, 0, 0, 0, 1))).toThrow(SingularMatrixError);
    // Tiny but well conditioned: not singular.
    const small = mat3.fromValues(1e-8, 0, 0, 0, 1e-8, 0, 0, 0, 1e-8);
    expect(mat3.invert(mat3.create(), small)[0]).toBeCloseTo(1e8, 0);
  });

  it('det(A·B) = det A · det B for random matrices', () => {
    fc.assert(
      fc.property(matArb(), matArb(), (a, b) => {
        const da = mat3.determinant(a), db = mat3.determinant(b);
        expect(Math.abs(mat3.determinant(mat3.multiply(mat3.create(), a, b)) - da * db)).toBeLessThan(1e-9 * (1 + Math.abs(da * db)));
      }),
      opts,
    );
  });

  it('A·A⁻¹ = A⁻¹·A = I for well-conditioned A = R₁·diag(s)·R₂ (either sign of det)', () => {
    fc.assert(
      fc.property(unitQuat, unitQuat, real(0.2, 5), real(0.2, 5), real(-5, -0.2), (q1, q2, s1, s2, s3) => {
        const d = mat3.fromValues(s1, 0, 0, 0, s2, 0, 0, 0, s3);
        const a = mat3.multiply(mat3.create(), mat3.fromQuat(mat3.create(), q1), mat3.multiply(mat3.create(), d, mat3.fromQuat(mat3.create(), q2)));
        expect(Math.abs(mat3.determinant(a) - s1 * s2 * s3)).toBeLessThan(1e-12);
        const inv = mat3.invert(mat3.create(), a);
        expect(mat3.equals(mat3.multiply(mat3.create(), a, inv), mat3.create(), 1e-13)).toBe(true);
        expect(mat3.equals(mat3.multiply(mat3.create(), inv, a), mat3.create(), 1e-13)).toBe(true);
        // Rotations invert to their transpose.
        const r = mat3.fromQuat(mat3.create(), q1);
        expect(mat3.equals(mat3.invert(mat3.create(), r), mat3.transpose(mat3.create(), r), 4e-15)).toBe(true);
      }),
      opts,
    );
  });

  it('transpose is an involution and transformVec3Transpose = transformVec3 ∘ transpose', () => {
    fc.assert(
      fc.property(matArb(), vec3Arb(), (a, v) => {
        const t = mat3.transpose(mat3.create(), a);
        expect(Array.from(mat3.transpose(mat3.create(), t))).toEqual(Array.from(a));
        expect(vecDiff(mat3.transformVec3Transpose(vec3.create(), a, v), mat3.transformVec3(vec3.create(), t, v))).toBe(0);
        // In place (aliasing) gives the same result.
        const c = mat3.copy(mat3.create(), a);
        expect(Array.from(mat3.transpose(c, c))).toEqual(Array.from(t));
      }),
      opts,
    );
  });
});

describe('mat3 ↔ quat', () => {
  it('fromQuat(q)·v = quat.rotate(q, v)', () => {
    fc.assert(
      fc.property(unitQuat, vec3Arb(), (q, v) => {
        const m = mat3.fromQuat(mat3.create(), q);
        expect(vecDiff(mat3.transformVec3(vec3.create(), m, v), quat.rotate(vec3.create(), q, v))).toBeLessThan(1e-13);
        expect(vecDiff(mat3.transformVec3Transpose(vec3.create(), m, v), quat.rotateInverse(vec3.create(), q, v))).toBeLessThan(1e-13);
        expect(isRotation(m, 1e-14)).toBe(true);
      }),
      opts,
    );
  });

  it('fromQuat is a homomorphism: R(a⊗b) = R(a)·R(b); fromAxisAngle agrees with quat.fromAxisAngle', () => {
    fc.assert(
      fc.property(unitQuat, unitQuat, unitVec3, real(-7, 7), (a, b, axis, angle) => {
        const lhs = mat3.fromQuat(mat3.create(), quat.multiply(quat.create(), a, b));
        const rhs = mat3.multiply(mat3.create(), mat3.fromQuat(mat3.create(), a), mat3.fromQuat(mat3.create(), b));
        expect(mat3.equals(lhs, rhs, 1e-14)).toBe(true);
        const ma = mat3.fromAxisAngle(mat3.create(), axis, angle);
        const mq = mat3.fromQuat(mat3.create(), quat.fromAxisAngle(quat.create(), axis, angle));
        expect(mat3.equals(ma, mq, 1e-14)).toBe(true);
      }),
      opts,
    );
  });

  it('toQuat inverts fromQuat, canonical (w ≥ 0) and unit', () => {
    fc.assert(
      fc.property(unitQuat, (q) => {
        const back = mat3.toQuat(quat.create(), mat3.fromQuat(mat3.create(), q));
        expect(back[0]).toBeGreaterThanOrEqual(0);
        expect(Math.abs(quatNorm(back) - 1)).toBeLessThan(1e-15);
        expect(rotDist(back, q)).toBeLessThan(1e-14);
      }),
      opts,
    );
  });

  it('toQuat stays exact within 1e-12 rad near 180° (where the trace formula divides by ~0)', () => {
    fc.assert(
      fc.property(nearPiQuat, (q) => {
        const back = mat3.toQuat(quat.create(), mat3.fromQuat(mat3.create(), q));
        expect(rotDist(back, q)).toBeLessThan(1e-12);
        // Reproduces the matrix itself, element by element.
        expect(mat3.equals(mat3.fromQuat(mat3.create(), back), mat3.fromQuat(mat3.create(), q), 1e-15)).toBe(true);
      }),
      opts,
    );
  });

  it('toQuat of hand-written half turns', () => {
    const cases: [number[], number[]][] = [
      [[1, 0, 0, 0, -1, 0, 0, 0, -1], [0, 1, 0, 0]],
      [[-1, 0, 0, 0, 1, 0, 0, 0, -1], [0, 0, 1, 0]],
      [[-1, 0, 0, 0, -1, 0, 0, 0, 1], [0, 0, 0, 1]],
      [[0, 1, 0, 1, 0, 0, 0, 0, -1], [0, Math.SQRT1_2, Math.SQRT1_2, 0]],
    ];
    for (const [m, q] of cases) {
      const out = mat3.toQuat(quat.create(), m);
      expect(rotDist(out, q)).toBeLessThan(1e-15);
      expect(out[0]).toBe(0);
    }
  });
});

describe('orthonormalize', () => {
  it('leaves rotations unchanged', () => {
    fc.assert(
      fc.property(unitQuat, (q) => {
        const r = mat3.fromQuat(mat3.create(), q);
        expect(mat3.equals(mat3.orthonormalize(mat3.create(), r), r, 1e-15)).toBe(true);
      }),
      opts,
    );
  });

  it('returns the nearest rotation (Frobenius) of a perturbed rotation', () => {
    fc.assert(
      fc.property(unitQuat, matArb(1), real(1e-6, 0.3), unitQuat, real(1e-4, 0.05), (q, noise, s, dq, e) => {
        const m = mat3.fromQuat(mat3.create(), q);
        for (let i = 0; i < 9; i++) m[i] = m[i]! + s * noise[i]!;
        const p = mat3.orthonormalize(mat3.create(), m);
        expect(isRotation(p, 1e-14)).toBe(true);
        // No nearby rotation (p turned a little in any direction), nor the quaternion round
        // trip of m, is closer to m.
        const d = frobDist(m, p);
        const turn = quat.slerp(quat.create(), quat.create(), dq, e);
        const other = mat3.multiply(mat3.create(), p, mat3.fromQuat(mat3.create(), turn));
        expect(frobDist(m, other)).toBeGreaterThanOrEqual(d - 1e-12);
        const viaQuat = mat3.fromQuat(mat3.create(), mat3.toQuat(quat.create(), m));
        expect(frobDist(m, viaQuat)).toBeGreaterThanOrEqual(d - 1e-12);
      }),
      opts,
    );
  });

  it('handles any scale and a skew far from orthogonal', () => {
    const m = mat3.fromValues(3, 1, 0, 0, 2, 0, 0.5, 0, 10);
    const p = mat3.orthonormalize(mat3.create(), m);
    expect(isRotation(p, 1e-14)).toBe(true);
    // Scaling the input by a positive factor does not change its polar factor.
    const p2 = mat3.orthonormalize(mat3.create(), m.map((v) => v * 1e-6));
    expect(mat3.equals(p, p2, 1e-13)).toBe(true);
  });

  it('throws SingularMatrixError for reflections and singular matrices', () => {
    expect(() => mat3.orthonormalize(mat3.create(), mat3.fromValues(-1, 0, 0, 0, 1, 0, 0, 0, 1))).toThrow(SingularMatrixError);
    expect(() => mat3.orthonormalize(mat3.create(), mat3.fromValues(1, 0, 0, 0, 1, 0, 0, 0, 0))).toThrow(SingularMatrixError);
  });
});

describe('mat3.equals', () => {
  it('compares element-wise within tol and never equals NaN', () => {
    const a = mat3.create();
    const b = mat3.create();
    b[5] = 1e-13;
    expect(mat3.equals(a, b)).toBe(true);
    expect(mat3.equals(a, b, 1e-14)).toBe(false);
    b[5] = NaN;
    expect(mat3.equals(a, b, 1)).toBe(false);
  });
});
