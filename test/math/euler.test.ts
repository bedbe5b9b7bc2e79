import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as quat from '../../src/math/quat';
import * as mat3 from '../../src/math/mat3';
import * as vec3 from '../../src/math/vec3';
import {
  EULER_SEQUENCES,
  GIMBAL_LOCK_TOL_RAD,
  PROPER_EULER_SEQUENCES,
  TAIT_BRYAN_SEQUENCES,
  eulerFromMat3,
  eulerFromQuat,
  eulerFromQuatExtrinsic,
  gimbalDistanceExtrinsicRad,
  gimbalDistanceRad,
  isGimbalLock,
  isGimbalLockExtrinsic,
  isTaitBryan,
  mat3FromEuler,
  quatFromEuler,
  quatFromEulerExtrinsic,
  type EulerSequence,
} from '../../src/math/euler';
import { NonFiniteInputError, ParameterRangeError, UnknownEulerSequenceError } from '../../src/math/errors';
import { NUM_RUNS, angleDiff, anglePi, real, rotDist, unitQuat } from './arbitraries';

const D = Math.PI / 180;
const opts = { numRuns: NUM_RUNS };
const AXIS: Record<string, [number, number, number]> = { X: [1, 0, 0], Y: [0, 1, 0], Z: [0, 0, 1] };

/** Elementary rotation about a named coordinate axis, built independently of euler.ts. */
function qAxis(name: string, angleRad: number): Float64Array {
  return quat.fromAxisAngle(quat.create(), AXIS[name]!, angleRad);
}

/** Reference composition from elementary rotations: intrinsic q = q_e1(a1) ⊗ q_e2(a2) ⊗ q_e3(a3). */
function refIntrinsic(seq: string, a1: number, a2: number, a3: number): Float64Array {
  const q = quat.multiply(quat.create(), qAxis(seq[0]!, a1), qAxis(seq[1]!, a2));
  return quat.multiply(q, q, qAxis(seq[2]!, a3));
}

/** Reference extrinsic composition: fixed axes e1 then e2 then e3: q = q_e3(a3) ⊗ q_e2(a2) ⊗ q_e1(a1). */
function refExtrinsic(seq: string, a1: number, a2: number, a3: number): Float64Array {
  const q = quat.multiply(quat.create(), qAxis(seq[2]!, a3), qAxis(seq[1]!, a2));
  return quat.multiply(q, q, qAxis(seq[0]!, a1));
}

/** Middle angle away from its singular values by at least `margin` rad. */
function middleAngle(seq: EulerSequence, margin: number): fc.Arbitrary<number> {
  return isTaitBryan(seq) ? real(-Math.PI / 2 + margin, Math.PI / 2 - margin) : real(margin, Math.PI - margin);
}

function expectInRange(e: ArrayLike<number>, seq: EulerSequence): void {
  expect(e[0]).toBeGreaterThan(-Math.PI);
  expect(e[0]).toBeLessThanOrEqual(Math.PI);
  expect(e[2]).toBeGreaterThan(-Math.PI);
  expect(e[2]).toBeLessThanOrEqual(Math.PI);
  if (isTaitBryan(seq)) {
    expect(Math.abs(e[1]!)).toBeLessThanOrEqual(Math.PI / 2);
  } else {
    expect(e[1]).toBeGreaterThanOrEqual(0);
    expect(e[1]).toBeLessThanOrEqual(Math.PI);
  }
}

describe('Euler sequences', () => {
  it('lists all 12, six of each kind', () => {
    expect(new Set(EULER_SEQUENCES).size).toBe(12);
    expect(TAIT_BRYAN_SEQUENCES.every((s) => isTaitBryan(s))).toBe(true);
    expect(PROPER_EULER_SEQUENCES.some((s) => isTaitBryan(s))).toBe(false);
  });

  it('rejects unknown sequences and non-finite input with typed errors', () => {
    const out = new Float64Array(3);
    expect(() => eulerFromQuat(out, quat.create(), 'XXY' as EulerSequence)).toThrow(UnknownEulerSequenceError);
    expect(() => eulerFromQuat(out, quat.create(), 'toString' as EulerSequence)).toThrow(UnknownEulerSequenceError);
    expect(() => quatFromEuler(quat.create(), 'xyz' as EulerSequence, 0, 0, 0)).toThrow(UnknownEulerSequenceError);
    expect(() => eulerFromQuat(out, [NaN, 0, 0, 0], 'ZXY')).toThrow(NonFiniteInputError);
    expect(() => quatFromEuler(quat.create(), 'ZXY', 0, Infinity, 0)).toThrow(NonFiniteInputError);
    expect(() => eulerFromQuat(out, quat.create(), 'ZXY', -1)).toThrow(ParameterRangeError);
  });
});

describe('quatFromEuler composes elementary rotations in the documented order', () => {
  it.each(EULER_SEQUENCES)('%s intrinsic = q_e1 ⊗ q_e2 ⊗ q_e3, extrinsic = q_e3 ⊗ q_e2 ⊗ q_e1', (seq) => {
    fc.assert(
      fc.property(anglePi, anglePi, anglePi, (a1, a2, a3) => {
        expect(rotDist(quatFromEuler(quat.create(), seq, a1, a2, a3), refIntrinsic(seq, a1, a2, a3))).toBeLessThan(1e-14);
        expect(rotDist(quatFromEulerExtrinsic(quat.create(), seq, a1, a2, a3), refExtrinsic(seq, a1, a2, a3))).toBeLessThan(1e-14);
      }),
      { numRuns: 50 },
    );
  });
});

describe('Euler known values (hand-computed)', () => {
  const out = new Float64Array(3);

  it('ZXY of a pure 30° rotation about Z, X, Y gives (30°,0,0), (0,30°,0), (0,0,30°)', () => {
    expect(Array.from(eulerFromQuat(out, qAxis('Z', 30 * D), 'ZXY')).map((v) => v / D)).toEqual([
      expect.closeTo(30, 12), 0, 0,
    ]);
    const x = eulerFromQuat(out, qAxis('X', 30 * D), 'ZXY');
    expect(Math.abs(x[0]!) + Math.abs(x[1]! - 30 * D) + Math.abs(x[2]!)).toBeLessThan(1e-15);
    const y = eulerFromQuat(out, qAxis('Y', 30 * D), 'ZXY');
    expect(Math.abs(y[0]!) + Math.abs(y[1]!) + Math.abs(y[2]! - 30 * D)).toBeLessThan(1e-15);
  });

  it('a knee-like joint: flexion about the moving Z, then ab/adduction about the new X (ISB Z-X′-Y″)', () => {
    // Whatever the thigh's orientation, the shank's orientation relative to it decomposes
    // into the angles that built it: 60° flexion, then 5° about the flexed X′, then −10° axial.
    fc.assert(
      fc.property(unitQuat, (thigh) => {
        let shank = quat.multiply(quat.create(), thigh, qAxis('Z', 60 * D));
        const e0 = eulerFromQuat(new Float64Array(3), quat.relative(quat.create(), thigh, shank), 'ZXY');
        expect(Math.abs(e0[0]! - 60 * D) + Math.abs(e0[1]!) + Math.abs(e0[2]!)).toBeLessThan(1e-12);
        shank = quat.multiply(shank, shank, qAxis('X', 5 * D));
        shank = quat.multiply(shank, shank, qAxis('Y', -10 * D));
        const e = eulerFromQuat(new Float64Array(3), quat.relative(quat.create(), thigh, shank), 'ZXY');
        expect(Math.abs(e[0]! - 60 * D) + Math.abs(e[1]! - 5 * D) + Math.abs(e[2]! + 10 * D)).toBeLessThan(1e-12);
      }),
      { numRuns: 50 },
    );
  });

  it('the cyclic axis permutation (x→y→z→x): ZYX = (90°, 0, 90°); ZXY is gimbal-locked at (90°, 90°, 0)', () => {
    // R has columns R·x̂ = ŷ, R·ŷ = ẑ, R·ẑ = x̂ (a 120° turn about (1,1,1)).
    const r = mat3.fromValues(0, 0, 1, 1, 0, 0, 0, 1, 0);
    const q = mat3.toQuat(quat.create(), r);
    expect(rotDist(q, quat.fromAxisAngle(quat.create(), [1, 1, 1], (2 * Math.PI) / 3))).toBeLessThan(1e-15);
    const zyx = eulerFromQuat(out, q, 'ZYX');
    expect(Math.abs(zyx[0]! - 90 * D) + Math.abs(zyx[1]!) + Math.abs(zyx[2]! - 90 * D)).toBeLessThan(1e-14);
    expect(isGimbalLock(q, 'ZXY')).toBe(true);
    const zxy = eulerFromQuat(out, q, 'ZXY');
    expect(Math.abs(zxy[0]! - 90 * D) + Math.abs(zxy[1]! - 90 * D)).toBeLessThan(1e-14);
    expect(zxy[2]).toBe(0);
    // The same angles from the matrix path.
    const zm = eulerFromMat3(out, r, 'ZXY');
    expect(Math.abs(zm[0]! - 90 * D) + Math.abs(zm[1]! - 90 * D) + Math.abs(zm[2]!)).toBeLessThan(1e-14);
  });

  it('proper Euler: 30° about X is ZXZ (0, 30°, 0) and ZYZ (−90°, 30°, 90°)', () => {
    const q = qAxis('X', 30 * D);
    const zxz = eulerFromQuat(out, q, 'ZXZ');
    expect(Math.abs(zxz[0]!) + Math.abs(zxz[1]! - 30 * D) + Math.abs(zxz[2]!)).toBeLessThan(1e-15);
    const zyz = eulerFromQuat(out, q, 'ZYZ');
    expect(Math.abs(zyz[0]! + 90 * D) + Math.abs(zyz[1]! - 30 * D) + Math.abs(zyz[2]! - 90 * D)).toBeLessThan(1e-14);
  });

  it('matches scipy.spatial.transform.Rotation.as_euler for a fixed rotation (all 24 readings)', () => {
    // Generated once with scipy 1.17: upper case = intrinsic, lower case = extrinsic.
    const q = [0.7504787743864564, -0.214422506967559, 0.5360562674188974, 0.32163376045133846];
    const ref: Record<EulerSequence, [number[], number[]]> = {
      XYZ: [[-1.1071487177940906, 0.7297276562269666, 1.2734311815709731], [0.06885648930104454, 1.2301194970719886, 0.8584387287005677]],
      XZY: [[0.0327751444040757, 0.7932594993063655, 1.2542270731824932], [-0.7601934180705067, 0.25564920079827735, 1.3431070070262408]],
      YXZ: [[1.1071487177940906, -0.7297276562269664, 0.34613596356936066], [1.2308659573252763, 0.0229905310234213, 0.7935280655773924]],
      YZX: [[1.3431070070262408, 0.25564920079827735, -0.7601934180705067], [1.2542270731824932, 0.7932594993063655, 0.0327751444040757]],
      ZXY: [[0.7935280655773924, 0.0229905310234213, 1.2308659573252763], [0.34613596356936066, -0.7297276562269664, 1.1071487177940906]],
      ZYX: [[0.8584387287005677, 1.2301194970719886, 0.06885648930104454], [1.2734311815709731, 0.7297276562269666, -1.1071487177940906]],
      XYX: [[0.2621198412654728, 1.3506311613932607, -0.8187191592756955], [-0.8187191592756955, 1.3506311613932607, 0.2621198412654728]],
      XZX: [[-1.308676485529424, 1.3506311613932607, 0.7520771675192011], [0.7520771675192011, 1.3506311613932607, -1.308676485529424]],
      YXY: [[-1.538549444359643, 0.7937880405202961, 2.7790484163252858], [2.7790484163252858, 0.7937880405202961, -1.538549444359643]],
      YZY: [[0.03224688243525387, 0.7937880405202961, 1.2082520895303892], [1.2082520895303892, 0.7937880405202961, 0.03224688243525387]],
      ZXZ: [[2.356194490192345, 1.2309594173407747, -1.546410917622178], [-1.546410917622178, 1.2309594173407747, 2.356194490192345]],
      ZYZ: [[0.7853981633974483, 1.2309594173407747, 0.02438540917271853], [0.02438540917271853, 1.2309594173407747, 0.7853981633974483]],
    };
    for (const seq of EULER_SEQUENCES) {
      const [intr, extr] = ref[seq];
      const e = eulerFromQuat(new Float64Array(3), q, seq);
      const x = eulerFromQuatExtrinsic(new Float64Array(3), q, seq);
      for (let i = 0; i < 3; i++) {
        expect(Math.abs(e[i]! - intr[i]!), `${seq} intrinsic [${i}]`).toBeLessThan(1e-14);
        expect(Math.abs(x[i]! - extr[i]!), `${seq} extrinsic [${i}]`).toBeLessThan(1e-14);
      }
    }
  });
});

describe.each(EULER_SEQUENCES)('Euler round trip %s', (seq) => {
  it('intrinsic: angles → quat → angles (within 1e-9, away from gimbal lock)', () => {
    fc.assert(
      fc.property(anglePi, middleAngle(seq, 1e-3), anglePi, (a1, a2, a3) => {
        const e = eulerFromQuat(new Float64Array(3), quatFromEuler(quat.create(), seq, a1, a2, a3), seq);
        expectInRange(e, seq);
        expect(angleDiff(e[0]!, a1)).toBeLessThan(1e-9);
        expect(Math.abs(e[1]! - a2)).toBeLessThan(1e-9);
        expect(angleDiff(e[2]!, a3)).toBeLessThan(1e-9);
      }),
      opts,
    );
  });

  it('extrinsic: angles → quat → angles (within 1e-9, away from gimbal lock)', () => {
    fc.assert(
      fc.property(anglePi, middleAngle(seq, 1e-3), anglePi, (a1, a2, a3) => {
        const e = eulerFromQuatExtrinsic(new Float64Array(3), quatFromEulerExtrinsic(quat.create(), seq, a1, a2, a3), seq);
        expectInRange(e, seq);
        expect(angleDiff(e[0]!, a1)).toBeLessThan(1e-9);
        expect(Math.abs(e[1]! - a2)).toBeLessThan(1e-9);
        expect(angleDiff(e[2]!, a3)).toBeLessThan(1e-9);
      }),
      opts,
    );
  });

  it('quat → angles → quat is the same rotation, for q and −q, intrinsic and extrinsic', () => {
    fc.assert(
      fc.property(unitQuat, fc.boolean(), (q0, flip) => {
        const q = flip ? Float64Array.from(q0, (v) => -v) : q0;
        const e = eulerFromQuat(new Float64Array(3), q, seq);
        expectInRange(e, seq);
        const tolRot = isGimbalLock(q, seq) ? 2.5 * GIMBAL_LOCK_TOL_RAD : 1e-13;
        expect(rotDist(quatFromEuler(quat.create(), seq, e[0]!, e[1]!, e[2]!), q)).toBeLessThan(tolRot);
        const x = eulerFromQuatExtrinsic(new Float64Array(3), q, seq);
        expectInRange(x, seq);
        const tolRotX = isGimbalLockExtrinsic(q, seq) ? 2.5 * GIMBAL_LOCK_TOL_RAD : 1e-13;
        expect(rotDist(quatFromEulerExtrinsic(quat.create(), seq, x[0]!, x[1]!, x[2]!), q)).toBeLessThan(tolRotX);
        // q and −q give the same angles (away from lock, where the split is unique).
        if (!isGimbalLock(q, seq, 1e-6)) {
          const en = eulerFromQuat(new Float64Array(3), Float64Array.from(q, (v) => -v), seq);
          for (let i = 0; i < 3; i++) expect(angleDiff(en[i]!, e[i]!)).toBeLessThan(1e-9);
        }
      }),
      opts,
    );
  });

  it('extrinsic (a1, a2, a3) equals intrinsic of the reversed sequence (a3, a2, a1)', () => {
    const rev = [...seq].reverse().join('') as EulerSequence;
    fc.assert(
      fc.property(anglePi, middleAngle(seq, 1e-3), anglePi, (a1, a2, a3) => {
        const qx = quatFromEulerExtrinsic(quat.create(), seq, a1, a2, a3);
        expect(rotDist(qx, quatFromEuler(quat.create(), rev, a3, a2, a1))).toBeLessThan(1e-14);
        const x = eulerFromQuatExtrinsic(new Float64Array(3), qx, seq);
        const r = eulerFromQuat(new Float64Array(3), qx, rev);
        expect(angleDiff(x[0]!, r[2]!) + Math.abs(x[1]! - r[1]!) + angleDiff(x[2]!, r[0]!)).toBeLessThan(1e-12);
      }),
      { numRuns: 100 },
    );
  });

  it('mat3FromEuler / eulerFromMat3 agree with the quaternion path', () => {
    fc.assert(
      fc.property(anglePi, middleAngle(seq, 1e-3), anglePi, (a1, a2, a3) => {
        const m = mat3FromEuler(mat3.create(), seq, a1, a2, a3);
        expect(mat3.equals(m, mat3.fromQuat(mat3.create(), quatFromEuler(quat.create(), seq, a1, a2, a3)), 1e-15)).toBe(true);
        const e = eulerFromMat3(new Float64Array(3), m, seq);
        expect(angleDiff(e[0]!, a1) + Math.abs(e[1]! - a2) + angleDiff(e[2]!, a3)).toBeLessThan(1e-9);
      }),
      { numRuns: 100 },
    );
  });
});

describe.each(EULER_SEQUENCES)('Euler gimbal lock %s', (seq) => {
  const singular = isTaitBryan(seq) ? [-Math.PI / 2, Math.PI / 2] : [0, Math.PI];

  it('exactly at lock: a3 = 0, a2 singular, a1 carries the rest, rotation reproduced (intrinsic)', () => {
    fc.assert(
      fc.property(anglePi, fc.constantFrom(...singular), anglePi, (a1, a2, a3) => {
        const q = quatFromEuler(quat.create(), seq, a1, a2, a3);
        expect(isGimbalLock(q, seq)).toBe(true);
        expect(gimbalDistanceRad(q, seq)).toBeLessThan(1e-7);
        const e = eulerFromQuat(new Float64Array(3), q, seq);
        expect(e[2]).toBe(0);
        expect(Math.abs(e[1]! - a2)).toBeLessThan(1e-7);
        expectInRange(e, seq);
        const back = quatFromEuler(quat.create(), seq, e[0]!, e[1]!, e[2]!);
        expect(rotDist(back, q)).toBeLessThan(1e-12);
      }),
      opts,
    );
  });

  it('exactly at lock: a3 = 0 and rotation reproduced (extrinsic)', () => {
    fc.assert(
      fc.property(anglePi, fc.constantFrom(...singular), anglePi, (a1, a2, a3) => {
        const q = quatFromEulerExtrinsic(quat.create(), seq, a1, a2, a3);
        expect(isGimbalLockExtrinsic(q, seq)).toBe(true);
        const e = eulerFromQuatExtrinsic(new Float64Array(3), q, seq);
        expect(e[2]).toBe(0);
        expect(Math.abs(e[1]! - a2)).toBeLessThan(1e-7);
        const back = quatFromEulerExtrinsic(quat.create(), seq, e[0]!, e[1]!, e[2]!);
        expect(rotDist(back, q)).toBeLessThan(1e-12);
      }),
      opts,
    );
  });

  it('a1 at lock is the combined angle a1 ± a3 (the sign depends on the singular value)', () => {
    fc.assert(
      fc.property(real(-1.5, 1.5), fc.constantFrom(...singular), real(-1.5, 1.5), (a1, a2, a3) => {
        const e = eulerFromQuat(new Float64Array(3), quatFromEuler(quat.create(), seq, a1, a2, a3), seq);
        const plus = angleDiff(e[0]!, a1 + a3), minus = angleDiff(e[0]!, a1 - a3);
        expect(Math.min(plus, minus)).toBeLessThan(1e-12);
      }),
      { numRuns: 50 },
    );
  });

  it('inside the tolerance the rule still applies and reproduces q within 2·tol; just outside, exactly', () => {
    const tol = 1e-4; // a caller-chosen tolerance
    fc.assert(
      fc.property(anglePi, fc.constantFrom(...singular), anglePi, real(0, 1), (a1, s, a3, f) => {
        const toward = s === singular[0] ? 1 : -1; // step into the valid range
        const inside = quatFromEuler(quat.create(), seq, a1, s + toward * f * tol * 0.99, a3);
        expect(isGimbalLock(inside, seq, tol)).toBe(true);
        const e = eulerFromQuat(new Float64Array(3), inside, seq, tol);
        expect(e[2]).toBe(0);
        expect(rotDist(quatFromEuler(quat.create(), seq, e[0]!, e[1]!, e[2]!), inside)).toBeLessThanOrEqual(2 * tol);

        const a2 = s + toward * tol * 2;
        const outside = quatFromEuler(quat.create(), seq, a1, a2, a3);
        expect(isGimbalLock(outside, seq, tol)).toBe(false);
        expect(Math.abs(gimbalDistanceRad(outside, seq) - 2 * tol)).toBeLessThan(1e-12);
        const o = eulerFromQuat(new Float64Array(3), outside, seq, tol);
        expect(rotDist(quatFromEuler(quat.create(), seq, o[0]!, o[1]!, o[2]!), outside)).toBeLessThan(1e-13);
        expect(angleDiff(o[0]!, a1) + angleDiff(o[2]!, a3)).toBeLessThan(1e-8);
      }),
      opts,
    );
  });

  it('gimbalDistanceRad is the distance of the middle angle from its singular values', () => {
    fc.assert(
      fc.property(anglePi, middleAngle(seq, 0), anglePi, (a1, a2, a3) => {
        const expected = isTaitBryan(seq) ? Math.PI / 2 - Math.abs(a2) : Math.min(a2, Math.PI - a2);
        expect(Math.abs(gimbalDistanceRad(quatFromEuler(quat.create(), seq, a1, a2, a3), seq) - expected)).toBeLessThan(1e-12);
        expect(Math.abs(gimbalDistanceExtrinsicRad(quatFromEulerExtrinsic(quat.create(), seq, a1, a2, a3), seq) - expected)).toBeLessThan(1e-12);
      }),
      { numRuns: 100 },
    );
  });
});

describe('Euler outputs write into out and return it', () => {
  it('returns the same array and works with out aliasing nothing else', () => {
    const out = new Float64Array(3);
    expect(eulerFromQuat(out, quat.create(), 'ZXY')).toBe(out);
    expect(eulerFromQuatExtrinsic(out, quat.create(), 'ZXY')).toBe(out);
    const q = quat.create();
    expect(quatFromEuler(q, 'XYZ', 0.1, 0.2, 0.3)).toBe(q);
    expect(vec3.length(eulerFromQuat(out, quat.create(), 'YXY'))).toBe(0);
  });
});
