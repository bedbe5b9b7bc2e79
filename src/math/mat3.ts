/**
 * 3×3 matrices as `Float64Array(9)` in **row-major** order: element (row r, column c) is
 * `m[3 * r + c]`, so `m[0..2]` is the first row. (gl-matrix is column-major; we are not, so a
 * matrix reads in source code the way it is written on paper.) gl-matrix style otherwise:
 * `out` first, returned, may alias inputs, no allocation except {@link create}/{@link fromValues}.
 *
 * Rotation matrices follow the quaternion convention of `quat.ts`: for an orientation q_GS,
 * {@link fromQuat} gives R_GS with `v_G = R v_S` ({@link transformVec3}), the same as
 * `quat.rotate(q, v_S)`; its columns are the sensor axes expressed in the global frame.
 */
import { SingularMatrixError } from './errors';
import type { Vec3, Vec3Like } from './vec3';
import type { Quat, QuatLike } from './quat';

export type Mat3 = Float64Array;
export type Mat3Like = ArrayLike<number>;

/** New identity matrix. */
export function create(): Mat3 {
  const out = new Float64Array(9);
  out[0] = 1;
  out[4] = 1;
  out[8] = 1;
  return out;
}

/** New matrix from its elements row by row. */
export function fromValues(
  m00: number, m01: number, m02: number,
  m10: number, m11: number, m12: number,
  m20: number, m21: number, m22: number,
): Mat3 {
  return set(new Float64Array(9), m00, m01, m02, m10, m11, m12, m20, m21, m22);
}

/** Set the elements row by row. */
export function set(
  out: Mat3,
  m00: number, m01: number, m02: number,
  m10: number, m11: number, m12: number,
  m20: number, m21: number, m22: number,
): Mat3 {
  out[0] = m00; out[1] = m01; out[2] = m02;
  out[3] = m10; out[4] = m11; out[5] = m12;
  out[6] = m20; out[7] = m21; out[8] = m22;
  return out;
}

export function identity(out: Mat3): Mat3 {
  return set(out, 1, 0, 0, 0, 1, 0, 0, 0, 1);
}

export function copy(out: Mat3, a: Mat3Like): Mat3 {
  for (let i = 0; i < 9; i++) out[i] = a[i]!;
  return out;
}

/** Matrix product out = A·B (applied to a vector: B first, then A). */
export function multiply(out: Mat3, a: Mat3Like, b: Mat3Like): Mat3 {
  const a00 = a[0]!, a01 = a[1]!, a02 = a[2]!;
  const a10 = a[3]!, a11 = a[4]!, a12 = a[5]!;
  const a20 = a[6]!, a21 = a[7]!, a22 = a[8]!;
  const b00 = b[0]!, b01 = b[1]!, b02 = b[2]!;
  const b10 = b[3]!, b11 = b[4]!, b12 = b[5]!;
  const b20 = b[6]!, b21 = b[7]!, b22 = b[8]!;
  return set(
    out,
    a00 * b00 + a01 * b10 + a02 * b20, a00 * b01 + a01 * b11 + a02 * b21, a00 * b02 + a01 * b12 + a02 * b22,
    a10 * b00 + a11 * b10 + a12 * b20, a10 * b01 + a11 * b11 + a12 * b21, a10 * b02 + a11 * b12 + a12 * b22,
    a20 * b00 + a21 * b10 + a22 * b20, a20 * b01 + a21 * b11 + a22 * b21, a20 * b02 + a21 * b12 + a22 * b22,
  );
}

export function transpose(out: Mat3, a: Mat3Like): Mat3 {
  const a01 = a[1]!, a02 = a[2]!, a12 = a[5]!;
  out[0] = a[0]!;
  out[4] = a[4]!;
  out[8] = a[8]!;
  out[1] = a[3]!;
  out[2] = a[6]!;
  out[5] = a[7]!;
  out[3] = a01;
  out[6] = a02;
  out[7] = a12;
  return out;
}

export function determinant(a: Mat3Like): number {
  const a00 = a[0]!, a01 = a[1]!, a02 = a[2]!;
  const a10 = a[3]!, a11 = a[4]!, a12 = a[5]!;
  const a20 = a[6]!, a21 = a[7]!, a22 = a[8]!;
  return a00 * (a11 * a22 - a12 * a21) - a01 * (a10 * a22 - a12 * a20) + a02 * (a10 * a21 - a11 * a20);
}

/** Frobenius norm √(Σ m_ij²). */
export function frobeniusNorm(a: Mat3Like): number {
  let s = 0;
  for (let i = 0; i < 9; i++) s += a[i]! * a[i]!;
  return Math.sqrt(s);
}

/**
 * Relative determinant below which {@link invert} calls a matrix singular: |det A| ≤
 * `SINGULAR_REL_TOL`·(‖A‖_F/√3)³, i.e. relative to the determinant of a matrix of the same
 * scale, so the test does not depend on units.
 */
export const SINGULAR_REL_TOL = 1e-14;

/**
 * Inverse via the adjugate. Throws {@link SingularMatrixError} when the matrix is singular
 * to working precision (see {@link SINGULAR_REL_TOL}) or contains non-finite values.
 */
export function invert(out: Mat3, a: Mat3Like): Mat3 {
  const a00 = a[0]!, a01 = a[1]!, a02 = a[2]!;
  const a10 = a[3]!, a11 = a[4]!, a12 = a[5]!;
  const a20 = a[6]!, a21 = a[7]!, a22 = a[8]!;
  // Cofactors of the first row, reused for the determinant.
  const c00 = a11 * a22 - a12 * a21;
  const c01 = a12 * a20 - a10 * a22;
  const c02 = a10 * a21 - a11 * a20;
  const det = a00 * c00 + a01 * c01 + a02 * c02;
  const scale = frobeniusNorm(a) / Math.sqrt(3);
  if (!Number.isFinite(det) || Math.abs(det) <= SINGULAR_REL_TOL * scale * scale * scale) {
    throw new SingularMatrixError('mat3.invert: matrix is singular', det);
  }
  const s = 1 / det;
  return set(
    out,
    c00 * s, (a02 * a21 - a01 * a22) * s, (a01 * a12 - a02 * a11) * s,
    c01 * s, (a00 * a22 - a02 * a20) * s, (a02 * a10 - a00 * a12) * s,
    c02 * s, (a01 * a20 - a00 * a21) * s, (a00 * a11 - a01 * a10) * s,
  );
}

/** out = M·v. With M = R_GS this takes sensor coordinates to global ones. */
export function transformVec3(out: Vec3, m: Mat3Like, v: Vec3Like): Vec3 {
  const x = v[0]!, y = v[1]!, z = v[2]!;
  out[0] = m[0]! * x + m[1]! * y + m[2]! * z;
  out[1] = m[3]! * x + m[4]! * y + m[5]! * z;
  out[2] = m[6]! * x + m[7]! * y + m[8]! * z;
  return out;
}

/** out = Mᵀ·v (for a rotation, the inverse rotation) without forming Mᵀ. */
export function transformVec3Transpose(out: Vec3, m: Mat3Like, v: Vec3Like): Vec3 {
  const x = v[0]!, y = v[1]!, z = v[2]!;
  out[0] = m[0]! * x + m[3]! * y + m[6]! * z;
  out[1] = m[1]! * x + m[4]! * y + m[7]! * z;
  out[2] = m[2]! * x + m[5]! * y + m[8]! * z;
  return out;
}

/**
 * Rotation matrix of a quaternion: `transformVec3(fromQuat(q), v) = quat.rotate(q, v)`.
 * Uses the homogeneous form (divides by |q|²), so a non-unit q still gives a rotation;
 * the zero quaternion gives the identity.
 */
export function fromQuat(out: Mat3, q: QuatLike): Mat3 {
  const w = q[0]!, x = q[1]!, y = q[2]!, z = q[3]!;
  const n2 = w * w + x * x + y * y + z * z;
  if (n2 === 0) return identity(out);
  const s = 2 / n2;
  const xx = x * x * s, yy = y * y * s, zz = z * z * s;
  const xy = x * y * s, xz = x * z * s, yz = y * z * s;
  const wx = w * x * s, wy = w * y * s, wz = w * z * s;
  return set(
    out,
    1 - yy - zz, xy - wz, xz + wy,
    xy + wz, 1 - xx - zz, yz - wx,
    xz - wy, yz + wx, 1 - xx - yy,
  );
}

/**
 * Unit quaternion of a rotation matrix (inverse of {@link fromQuat}), canonical w ≥ 0
 * (`quat.canonicalize`). Shepperd's method: the square root is taken of the largest of
 * 1 + trace, 1 + 2m00 − trace, 1 + 2m11 − trace, 1 + 2m22 − trace, so it never divides
 * by a small number — the naive trace formula fails near 180° where 1 + trace → 0.
 * A slightly non-orthonormal input gives the normalised result of the same formulas
 * (use {@link orthonormalize} first for the nearest rotation of a noisy matrix).
 */
export function toQuat(out: Quat, m: Mat3Like): Quat {
  const m00 = m[0]!, m01 = m[1]!, m02 = m[2]!;
  const m10 = m[3]!, m11 = m[4]!, m12 = m[5]!;
  const m20 = m[6]!, m21 = m[7]!, m22 = m[8]!;
  const tr = m00 + m11 + m22;
  let w: number, x: number, y: number, z: number;
  if (tr >= m00 && tr >= m11 && tr >= m22) {
    const r = Math.sqrt(1 + tr); // = 2|w|
    const k = 0.5 / r;
    w = 0.5 * r;
    x = (m21 - m12) * k;
    y = (m02 - m20) * k;
    z = (m10 - m01) * k;
  } else if (m00 >= m11 && m00 >= m22) {
    const r = Math.sqrt(1 + m00 - m11 - m22); // = 2|x|
    const k = 0.5 / r;
    x = 0.5 * r;
    w = (m21 - m12) * k;
    y = (m01 + m10) * k;
    z = (m02 + m20) * k;
  } else if (m11 >= m22) {
    const r = Math.sqrt(1 - m00 + m11 - m22); // = 2|y|
    const k = 0.5 / r;
    y = 0.5 * r;
    w = (m02 - m20) * k;
    x = (m01 + m10) * k;
    z = (m12 + m21) * k;
  } else {
    const r = Math.sqrt(1 - m00 - m11 + m22); // = 2|z|
    const k = 0.5 / r;
    z = 0.5 * r;
    w = (m10 - m01) * k;
    x = (m02 + m20) * k;
    y = (m12 + m21) * k;
  }
  const n = Math.sqrt(w * w + x * x + y * y + z * z);
  const s = w < 0 ? -1 / n : 1 / n;
  out[0] = w * s;
  out[1] = x * s;
  out[2] = y * s;
  out[3] = z * s;
  return out;
}

/** Rotation by `angleRad` about `axis` (right-hand rule; Rodrigues). The axis is normalised; a zero axis gives the identity. */
export function fromAxisAngle(out: Mat3, axis: Vec3Like, angleRad: number): Mat3 {
  const n = Math.sqrt(axis[0]! * axis[0]! + axis[1]! * axis[1]! + axis[2]! * axis[2]!);
  if (n === 0) return identity(out);
  const x = axis[0]! / n, y = axis[1]! / n, z = axis[2]! / n;
  const c = Math.cos(angleRad), s = Math.sin(angleRad), t = 1 - c;
  return set(
    out,
    t * x * x + c, t * x * y - s * z, t * x * z + s * y,
    t * x * y + s * z, t * y * y + c, t * y * z - s * x,
    t * x * z - s * y, t * y * z + s * x, t * z * z + c,
  );
}

/** Iteration cap for {@link orthonormalize}; scaled Newton converges in < 10 steps for any well-conditioned input. */
const POLAR_MAX_ITER = 50;

/**
 * Nearest rotation matrix (in the Frobenius norm) to `a`: the orthogonal polar factor,
 * computed by Higham's determinant-scaled Newton iteration X ← ½(γX + (γX)⁻ᵀ),
 * γ = |det X|^(−1/3). Use it to clean up a matrix that drifted from orthonormality or to
 * project a measured/estimated matrix onto SO(3). Throws {@link SingularMatrixError} when
 * det a ≤ 0 (singular, or a reflection: its nearest orthogonal matrix is not a rotation).
 */
export function orthonormalize(out: Mat3, a: Mat3Like): Mat3 {
  let x00 = a[0]!, x01 = a[1]!, x02 = a[2]!;
  let x10 = a[3]!, x11 = a[4]!, x12 = a[5]!;
  let x20 = a[6]!, x21 = a[7]!, x22 = a[8]!;
  const det0 = determinant(a);
  const scale = frobeniusNorm(a) / Math.sqrt(3);
  if (!Number.isFinite(det0) || det0 <= SINGULAR_REL_TOL * scale * scale * scale) {
    throw new SingularMatrixError('mat3.orthonormalize: matrix is singular or a reflection', det0);
  }
  for (let iter = 0; iter < POLAR_MAX_ITER; iter++) {
    // Cofactor matrix C: X⁻ᵀ = C / det.
    const c00 = x11 * x22 - x12 * x21, c01 = x12 * x20 - x10 * x22, c02 = x10 * x21 - x11 * x20;
    const c10 = x02 * x21 - x01 * x22, c11 = x00 * x22 - x02 * x20, c12 = x01 * x20 - x00 * x21;
    const c20 = x01 * x12 - x02 * x11, c21 = x02 * x10 - x00 * x12, c22 = x00 * x11 - x01 * x10;
    const det = x00 * c00 + x01 * c01 + x02 * c02;
    // Scaling speeds up the early steps; near convergence γ → 1 and plain Newton is quadratic.
    const g = Math.cbrt(1 / det);
    const h = 0.5 * g, k = 0.5 / (g * det);
    const n00 = h * x00 + k * c00, n01 = h * x01 + k * c01, n02 = h * x02 + k * c02;
    const n10 = h * x10 + k * c10, n11 = h * x11 + k * c11, n12 = h * x12 + k * c12;
    const n20 = h * x20 + k * c20, n21 = h * x21 + k * c21, n22 = h * x22 + k * c22;
    const change =
      Math.abs(n00 - x00) + Math.abs(n01 - x01) + Math.abs(n02 - x02) +
      Math.abs(n10 - x10) + Math.abs(n11 - x11) + Math.abs(n12 - x12) +
      Math.abs(n20 - x20) + Math.abs(n21 - x21) + Math.abs(n22 - x22);
    x00 = n00; x01 = n01; x02 = n02;
    x10 = n10; x11 = n11; x12 = n12;
    x20 = n20; x21 = n21; x22 = n22;
    // Quadratic convergence: a step of 1e-10 leaves an error of order 1e-20 in the new iterate.
    if (change <= 1e-10) break;
  }
  return set(out, x00, x01, x02, x10, x11, x12, x20, x21, x22);
}

/** True when every element differs by at most `tol`. */
export function equals(a: Mat3Like, b: Mat3Like, tol = 1e-12): boolean {
  for (let i = 0; i < 9; i++) if (!(Math.abs(a[i]! - b[i]!) <= tol)) return false;
  return true;
}
