import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as quat from '../../src/math/quat';
import * as vec3 from '../../src/math/vec3';
import * as mat3 from '../../src/math/mat3';
import { EULER_SEQUENCES, eulerFromQuat, quatFromEuler } from '../../src/math/euler';
import { NUM_RUNS, quatNorm, real, rotDist, unitQuat, unitVec3, vec3 as vec3Arb, vecDiff } from './arbitraries';

const opts = { numRuns: NUM_RUNS };

/** −q as a new array. */
function neg(q: ArrayLike<number>): Float64Array {
  return Float64Array.of(-q[0]!, -q[1]!, -q[2]!, -q[3]!);
}

describe('quat known values', () => {
  it('rotates x̂ by +90° about ẑ onto ŷ (right-hand rule, v_G = q v_S q*)', () => {
    const q = quat.fromAxisAngle(quat.create(), [0, 0, 1], Math.PI / 2);
    const v = quat.rotate(vec3.create(), q, [1, 0, 0]);
    expect(vecDiff(v, [0, 1, 0])).toBeLessThan(1e-15);
    expect(vecDiff(quat.rotateInverse(vec3.create(), q, v), [1, 0, 0])).toBeLessThan(1e-15);
  });

  it('multiplies i ⊗ j = k and j ⊗ i = −k (Hamilton)', () => {
    const i = quat.fromValues(0, 1, 0, 0), j = quat.fromValues(0, 0, 1, 0);
    expect(Array.from(quat.multiply(quat.create(), i, j))).toEqual([0, 0, 0, 1]);
    expect(Array.from(quat.multiply(quat.create(), j, i))).toEqual([0, 0, 0, -1]);
  });
});

describe('unit norm is preserved', () => {
  it('by multiply', () => {
    fc.assert(
      fc.property(unitQuat, unitQuat, (a, b) => {
        expect(Math.abs(quatNorm(quat.multiply(quat.create(), a, b)) - 1)).toBeLessThan(1e-14);
      }),
      opts,
    );
  });

  it('by normalize of any non-zero 4-vector from 1e-100 to 1e100 in scale', () => {
    fc.assert(
      fc.property(fc.tuple(real(-1, 1), real(-1, 1), real(-1, 1), real(-1, 1)), fc.integer({ min: -100, max: 100 }), (v, e) => {
        fc.pre(Math.hypot(...v) > 1e-3);
        const s = 10 ** e;
        const q = quat.normalize(quat.create(), v.map((c) => c * s));
        expect(Math.abs(quatNorm(q) - 1)).toBeLessThan(1e-15);
        expect(quat.equalsRotation(q, quat.normalize(quat.create(), v), 1e-15)).toBe(true);
      }),
      opts,
    );
  });

  it('by slerp for every t in [0, 1]', () => {
    fc.assert(
      fc.property(unitQuat, unitQuat, real(0, 1), (a, b, t) => {
        expect(Math.abs(quatNorm(quat.slerp(quat.create(), a, b, t)) - 1)).toBeLessThan(1e-14);
      }),
      opts,
    );
  });

  it('by fromAxisAngle (any axis length) and fromRotationVector (incl. tiny)', () => {
    fc.assert(
      fc.property(vec3Arb(5), real(-20, 20), fc.constantFrom(1, 1e-9, 1e-300), (axis, angle, s) => {
        fc.pre(Math.hypot(axis[0]!, axis[1]!, axis[2]!) > 1e-6);
        expect(Math.abs(quatNorm(quat.fromAxisAngle(quat.create(), axis, angle)) - 1)).toBeLessThan(1e-15);
        const rv = vec3.scale(vec3.create(), axis, s);
        expect(Math.abs(quatNorm(quat.fromRotationVector(quat.create(), rv)) - 1)).toBeLessThan(1e-15);
      }),
      opts,
    );
  });

  it('by integrateRate over many steps', () => {
    fc.assert(
      fc.property(unitQuat, vec3Arb(20), (q0, w) => {
        const q = quat.copy(quat.create(), q0);
        for (let i = 0; i < 100; i++) quat.integrateRate(q, q, w, 0.01);
        expect(Math.abs(quatNorm(q) - 1)).toBeLessThan(1e-14);
      }),
      { numRuns: 50 },
    );
  });

  it('by mat3.toQuat of a rotation matrix', () => {
    fc.assert(
      fc.property(unitQuat, (q) => {
        const m = mat3.fromQuat(mat3.create(), q);
        expect(Math.abs(quatNorm(mat3.toQuat(quat.create(), m)) - 1)).toBeLessThan(1e-15);
      }),
      opts,
    );
  });
});

describe('q and −q are the same rotation', () => {
  it('for rotate, mat3.fromQuat, toRotationVector and angleRad', () => {
    fc.assert(
      fc.property(unitQuat, vec3Arb(), (q, v) => {
        const n = neg(q);
        expect(vecDiff(quat.rotate(vec3.create(), q, v), quat.rotate(vec3.create(), n, v))).toBeLessThan(1e-13);
        expect(mat3.equals(mat3.fromQuat(mat3.create(), q), mat3.fromQuat(mat3.create(), n), 1e-15)).toBe(true);
        expect(quat.angleRad(q)).toBe(quat.angleRad(n));
        const rq = quat.toRotationVector(vec3.create(), q), rn = quat.toRotationVector(vec3.create(), n);
        if (q[0] !== 0) expect(vecDiff(rq, rn)).toBe(0);
        // At exactly π, r and −r are the same rotation and neither sign is preferred.
        else expect(Math.min(vecDiff(rq, rn), vecDiff(rq, vec3.negate(rn, rn)))).toBe(0);
      }),
      opts,
    );
  });

  it('for eulerFromQuat: the angles of −q reproduce the rotation of q (all 12 sequences)', () => {
    fc.assert(
      fc.property(unitQuat, fc.constantFrom(...EULER_SEQUENCES), (q, seq) => {
        const e = eulerFromQuat(vec3.create(), neg(q), seq);
        const back = quatFromEuler(quat.create(), seq, e[0]!, e[1]!, e[2]!);
        expect(rotDist(back, q)).toBeLessThan(1e-6); // ≤ 2·tol in gimbal lock, ~1e-15 elsewhere
      }),
      opts,
    );
  });
});

describe('composition', () => {
  it('is associative: (a⊗b)⊗c = a⊗(b⊗c)', () => {
    fc.assert(
      fc.property(unitQuat, unitQuat, unitQuat, (a, b, c) => {
        const l = quat.multiply(quat.create(), quat.multiply(quat.create(), a, b), c);
        const r = quat.multiply(quat.create(), a, quat.multiply(quat.create(), b, c));
        for (let i = 0; i < 4; i++) expect(Math.abs(l[i]! - r[i]!)).toBeLessThan(1e-14);
      }),
      opts,
    );
  });

  it('chains rotations right to left: rotate(a⊗b, v) = rotate(a, rotate(b, v))', () => {
    fc.assert(
      fc.property(unitQuat, unitQuat, vec3Arb(), (a, b, v) => {
        const ab = quat.multiply(quat.create(), a, b);
        const lhs = quat.rotate(vec3.create(), ab, v);
        const rhs = quat.rotate(vec3.create(), a, quat.rotate(vec3.create(), b, v));
        expect(vecDiff(lhs, rhs)).toBeLessThan(1e-12);
      }),
      opts,
    );
  });

  it('multiplyConjugateLeft(a, b) = conjugate(a) ⊗ b, and relative(a, b) solves a ⊗ r = b', () => {
    fc.assert(
      fc.property(unitQuat, unitQuat, (a, b) => {
        const r = quat.relative(quat.create(), a, b);
        const ref = quat.multiply(quat.create(), quat.conjugate(quat.create(), a), b);
        for (let i = 0; i < 4; i++) expect(Math.abs(r[i]! - ref[i]!)).toBeLessThan(1e-15);
        const back = quat.multiply(quat.create(), a, r);
        for (let i = 0; i < 4; i++) expect(Math.abs(back[i]! - b[i]!)).toBeLessThan(1e-14);
      }),
      opts,
    );
  });

  it('invert gives the identity under multiplication, also for non-unit quaternions', () => {
    fc.assert(
      fc.property(unitQuat, real(0.1, 10), (q, s) => {
        const a = quat.fromValues(q[0]! * s, q[1]! * s, q[2]! * s, q[3]! * s);
        const p = quat.multiply(quat.create(), a, quat.invert(quat.create(), a));
        expect(rotDist(p, quat.create())).toBeLessThan(1e-14);
        expect(Math.abs(p[0]! - 1)).toBeLessThan(1e-14);
      }),
      opts,
    );
  });
});

describe('rotation vector ↔ quaternion', () => {
  it('round-trips for angles in [0, π)', () => {
    fc.assert(
      fc.property(unitVec3, real(0, Math.PI - 1e-9), (axis, angle) => {
        const rv = vec3.scale(vec3.create(), axis, angle);
        const back = quat.toRotationVector(vec3.create(), quat.fromRotationVector(quat.create(), rv));
        expect(vecDiff(back, rv)).toBeLessThan(1e-12);
      }),
      opts,
    );
  });

  it('keeps full relative precision for tiny angles (1e-9 rad and below)', () => {
    fc.assert(
      fc.property(unitVec3, fc.constantFrom(1e-6, 1e-9, 1e-12, 1e-200), (axis, angle) => {
        const rv = vec3.scale(vec3.create(), axis, angle);
        const q = quat.fromRotationVector(quat.create(), rv);
        // Vector part sin(θ/2)·axis: must carry the tiny angle to full relative precision.
        const expected = vec3.scale(vec3.create(), axis, Math.sin(angle / 2));
        expect(vecDiff([q[1]!, q[2]!, q[3]!], expected)).toBeLessThan(1e-15 * angle);
        const back = quat.toRotationVector(vec3.create(), q);
        expect(vecDiff(back, rv)).toBeLessThan(1e-15 * angle);
      }),
      opts,
    );
  });

  it('handles angles near π (either sign of q gives the short representative)', () => {
    fc.assert(
      fc.property(unitVec3, fc.constantFrom(1e-3, 1e-6, 1e-9), fc.boolean(), (axis, eps, flip) => {
        const rv = vec3.scale(vec3.create(), axis, Math.PI - eps);
        const q = quat.fromRotationVector(quat.create(), rv);
        const back = quat.toRotationVector(vec3.create(), flip ? neg(q) : q);
        expect(vecDiff(back, rv)).toBeLessThan(1e-12);
      }),
      opts,
    );
  });

  it('agrees with fromAxisAngle and toAxisAngle', () => {
    fc.assert(
      fc.property(unitVec3, real(1e-3, Math.PI - 1e-3), (axis, angle) => {
        const a = quat.fromAxisAngle(quat.create(), axis, angle);
        const b = quat.fromRotationVector(quat.create(), vec3.scale(vec3.create(), axis, angle));
        expect(rotDist(a, b)).toBeLessThan(1e-14);
        const ax = vec3.create();
        expect(Math.abs(quat.toAxisAngle(ax, a) - angle)).toBeLessThan(1e-13);
        expect(vecDiff(ax, axis)).toBeLessThan(1e-12);
      }),
      opts,
    );
  });
});

describe('fromTwoVectors', () => {
  it('maps the direction of a onto the direction of b by the shortest arc', () => {
    fc.assert(
      fc.property(vec3Arb(), vec3Arb(), (a, b) => {
        fc.pre(vec3.length(a) > 1e-3 && vec3.length(b) > 1e-3);
        const q = quat.fromTwoVectors(quat.create(), a, b);
        expect(Math.abs(quatNorm(q) - 1)).toBeLessThan(1e-14);
        const ra = vec3.normalize(vec3.create(), quat.rotate(vec3.create(), q, a));
        expect(vecDiff(ra, vec3.normalize(vec3.create(), b))).toBeLessThan(1e-12);
        expect(Math.abs(quat.angleRad(q) - vec3.angleRad(a, b))).toBeLessThan(1e-7);
      }),
      opts,
    );
  });

  it('handles antiparallel and parallel vectors', () => {
    fc.assert(
      fc.property(vec3Arb(), real(0.01, 100), fc.boolean(), (a, k, anti) => {
        fc.pre(vec3.length(a) > 1e-3);
        const b = vec3.scale(vec3.create(), a, anti ? -k : k);
        const q = quat.fromTwoVectors(quat.create(), a, b);
        expect(Math.abs(quatNorm(q) - 1)).toBeLessThan(1e-14);
        const ra = vec3.normalize(vec3.create(), quat.rotate(vec3.create(), q, a));
        expect(vecDiff(ra, vec3.normalize(vec3.create(), b))).toBeLessThan(1e-12);
        expect(Math.abs(quat.angleRad(q) - (anti ? Math.PI : 0))).toBeLessThan(1e-7);
      }),
      opts,
    );
  });
});

describe('fromTwoVectors near antiparallel', () => {
  it('keeps 1e-13 accuracy at π − δ for δ down to 0 (no threshold, no cancellation in 1 + a·b)', () => {
    fc.assert(
      fc.property(unitVec3, unitVec3, fc.constantFrom(1e-4, 1e-7, 1e-10, 1e-13, 1e-16, 0), real(0.1, 10), (a, w, delta, k) => {
        const axis = vec3.cross(vec3.create(), a, w);
        fc.pre(vec3.length(axis) > 1e-3);
        const r = quat.fromAxisAngle(quat.create(), axis, Math.PI - delta);
        const b = vec3.scale(vec3.create(), quat.rotate(vec3.create(), r, a), k);
        const q = quat.fromTwoVectors(quat.create(), a, b);
        const ra = quat.rotate(vec3.create(), q, a);
        expect(vecDiff(ra, vec3.normalize(vec3.create(), b))).toBeLessThan(1e-13);
        expect(Math.abs(quat.angleRad(q) - (Math.PI - delta))).toBeLessThan(1e-12);
      }),
      opts,
    );
  });

  it('regression: rounding noise of a × b nearly along a (found by fast-check)', () => {
    const a = Float64Array.of(1.7498755245284723e-119, 4.711056871269963e-7, 7.8684530086478555);
    for (const k of [-0.6073230329890364, -1, -3.5]) {
      const b = vec3.scale(vec3.create(), a, k);
      const q = quat.fromTwoVectors(quat.create(), a, b);
      const ra = vec3.normalize(vec3.create(), quat.rotate(vec3.create(), q, a));
      expect(vecDiff(ra, vec3.normalize(vec3.create(), b))).toBeLessThan(1e-14);
    }
  });
});

describe('slerp', () => {
  it('hits both endpoints (as rotations)', () => {
    fc.assert(
      fc.property(unitQuat, unitQuat, (a, b) => {
        expect(rotDist(quat.slerp(quat.create(), a, b, 0), a)).toBeLessThan(1e-7);
        expect(rotDist(quat.slerp(quat.create(), a, b, 1), b)).toBeLessThan(1e-7);
      }),
      opts,
    );
  });

  it('moves at a constant angular rate along the shorter arc', () => {
    fc.assert(
      fc.property(unitQuat, unitQuat, real(0, 1), (a, b, t) => {
        const total = rotDist(a, b);
        const s = quat.slerp(quat.create(), a, b, t);
        expect(Math.abs(rotDist(a, s) - t * total)).toBeLessThan(1e-7);
        expect(Math.abs(rotDist(s, b) - (1 - t) * total)).toBeLessThan(1e-7);
      }),
      opts,
    );
  });
});

describe('integrateRate', () => {
  it('integrates a constant body rate exactly: q ⊗ exp(ω·T/2)', () => {
    fc.assert(
      fc.property(unitQuat, vec3Arb(5), fc.integer({ min: 1, max: 50 }), (q0, w, steps) => {
        const dt = 0.01;
        const q = quat.copy(quat.create(), q0);
        for (let i = 0; i < steps; i++) quat.integrateRate(q, q, w, dt);
        const expected = quat.multiply(
          quat.create(),
          q0,
          quat.fromRotationVector(quat.create(), vec3.scale(vec3.create(), w, steps * dt)),
        );
        expect(rotDist(q, expected)).toBeLessThan(1e-12);
      }),
      { numRuns: 100 },
    );
  });

  it('rotates in the body frame: a rate about sensor z turns the global image of sensor x about the sensor z', () => {
    // Sensor tilted 90° about global x: sensor z points along global −y.
    const q0 = quat.fromAxisAngle(quat.create(), [1, 0, 0], Math.PI / 2);
    const q = quat.integrateRate(quat.create(), q0, [0, 0, Math.PI / 2], 1);
    // Sensor x (initially global x) turned +90° about global −y lands on global +z.
    expect(vecDiff(quat.rotate(vec3.create(), q, [1, 0, 0]), [0, 0, 1])).toBeLessThan(1e-15);
  });
});

describe('distance and equality', () => {
  it('distanceRad is a metric invariant to sign and global rotation', () => {
    fc.assert(
      fc.property(unitQuat, unitQuat, unitQuat, (a, b, g) => {
        const d = rotDist(a, b);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(Math.PI);
        expect(Math.abs(rotDist(neg(a), b) - d)).toBeLessThan(1e-15);
        const ga = quat.multiply(quat.create(), g, a), gb = quat.multiply(quat.create(), g, b);
        expect(Math.abs(rotDist(ga, gb) - d)).toBeLessThan(1e-7);
        expect(quat.equalsRotation(a, neg(a))).toBe(true);
      }),
      opts,
    );
  });

  it('canonicalize picks w ≥ 0 and keeps the rotation', () => {
    fc.assert(
      fc.property(unitQuat, (q) => {
        const c = quat.canonicalize(quat.create(), q);
        expect(c[0]).toBeGreaterThanOrEqual(0);
        expect(quat.equalsRotation(c, q, 0)).toBe(true);
      }),
      opts,
    );
  });
});
