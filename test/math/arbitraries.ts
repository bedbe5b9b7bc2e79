/**
 * fast-check arbitraries and assertions shared by the math tests (not a test file itself).
 */
import fc from 'fast-check';
import * as quat from '../../src/math/quat';

export const NUM_RUNS = 200;

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * A double uniformly distributed over [min, max]. Not `fc.double`: that one is uniform over
 * bit patterns, so almost all of its values in [0, 1] are tiny (1e-200 and the like), which
 * would leave angles and unit quaternions almost always degenerate. Unbiased, too: edge
 * cases are mixed in explicitly where they matter (see {@link unitQuat}), not by accident.
 * Shrinks towards `min`.
 */
export function real(min: number, max: number): fc.Arbitrary<number> {
  return fc.noBias(fc.maxSafeNat()).map((k) => {
    const v = min + (max - min) * (k / MAX_SAFE);
    return v > max ? max : v;
  });
}

const unit = real(0, 1);

/**
 * Uniformly distributed unit quaternion by Shoemake's method (three uniforms → a point on
 * S³), sign not canonicalised, so both hemispheres (q and −q) occur.
 */
export const shoemakeQuat: fc.Arbitrary<Float64Array> = fc.tuple(unit, unit, unit).map(([u1, u2, u3]) => {
  const r1 = Math.sqrt(1 - u1), r2 = Math.sqrt(u1);
  const t1 = 2 * Math.PI * u2, t2 = 2 * Math.PI * u3;
  return Float64Array.of(r2 * Math.cos(t2), r1 * Math.sin(t1), r1 * Math.cos(t1), r2 * Math.sin(t2));
});

/** Unit vector, uniform on the sphere (z uniform, azimuth uniform). */
export const unitVec3: fc.Arbitrary<Float64Array> = fc.tuple(real(-1, 1), real(0, 2 * Math.PI)).map(([z, phi]) => {
  const r = Math.sqrt(Math.max(0, 1 - z * z));
  return Float64Array.of(r * Math.cos(phi), r * Math.sin(phi), z);
});

/** Rotation angle within `eps` of π (the hard case for trace-based conversions). */
export const nearPiQuat: fc.Arbitrary<Float64Array> = fc
  .tuple(unitVec3, fc.constantFrom(0, 1e-15, 1e-12, 1e-9, 1e-6, 1e-3), fc.boolean())
  .map(([axis, eps, neg]) => quat.fromAxisAngle(quat.create(), axis, neg ? -(Math.PI - eps) : Math.PI - eps));

/** Identity, half turns about coordinate axes, quarter turns: edge cases of every formula. */
export const specialQuat: fc.Arbitrary<Float64Array> = fc.constantFrom(
  Float64Array.of(1, 0, 0, 0),
  Float64Array.of(-1, 0, 0, 0),
  Float64Array.of(0, 1, 0, 0),
  Float64Array.of(0, 0, 1, 0),
  Float64Array.of(0, 0, 0, 1),
  Float64Array.of(0, 0, 0, -1),
  Float64Array.of(Math.SQRT1_2, Math.SQRT1_2, 0, 0),
  Float64Array.of(Math.SQRT1_2, 0, -Math.SQRT1_2, 0),
  Float64Array.of(0, Math.SQRT1_2, Math.SQRT1_2, 0),
  Float64Array.of(0.5, 0.5, 0.5, 0.5),
);

/** Unit quaternions: mostly uniform, with near-π and special cases mixed in. */
export const unitQuat: fc.Arbitrary<Float64Array> = fc.oneof(
  { arbitrary: shoemakeQuat, weight: 8 },
  { arbitrary: nearPiQuat, weight: 1 },
  { arbitrary: specialQuat, weight: 1 },
);

/** Vector with components in [−r, r]. */
export function vec3(r = 10): fc.Arbitrary<Float64Array> {
  return fc.tuple(real(-r, r), real(-r, r), real(-r, r)).map(([x, y, z]) => Float64Array.of(x, y, z));
}

/** Angle in (−π, π]: uniform, with the ends, zero and quarter turns mixed in. */
export const anglePi: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: real(-Math.PI, Math.PI).map((a) => (a === -Math.PI ? Math.PI : a)), weight: 9 },
  { arbitrary: fc.constantFrom(Math.PI, 0, Math.PI / 2, -Math.PI / 2, -Math.PI + 1e-12), weight: 1 },
);

export function quatNorm(q: ArrayLike<number>): number {
  return Math.hypot(q[0]!, q[1]!, q[2]!, q[3]!);
}

/** Rotation angle (rad) between two quaternions, sign-insensitive. */
export function rotDist(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return quat.distanceRad(a, b);
}

/** Largest absolute component difference of two 3-vectors. */
export function vecDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return Math.max(Math.abs(a[0]! - b[0]!), Math.abs(a[1]! - b[1]!), Math.abs(a[2]! - b[2]!));
}

/** |a − b| on the circle, in [0, π]. */
export function angleDiff(a: number, b: number): number {
  const d = Math.abs(a - b) % (2 * Math.PI);
  return Math.min(d, 2 * Math.PI - d);
}
