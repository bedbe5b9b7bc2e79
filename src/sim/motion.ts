/**
 * Rigid-body motion composition used by the forward kinematics: a frame's orientation q
 * (parent/global ← frame), its angular velocity ω and angular acceleration ω̇, both in the
 * frame's own coordinates (body frame, as a gyroscope would measure).
 *
 * Appending a relative rotation r(t) (child ← in parent coordinates) with its own body-frame
 * rate ω_r and acceleration ω̇_r gives, with R the matrix of r:
 *
 *   q_c = q_p ⊗ r,   ω_c = Rᵀω_p + ω_r,   ω̇_c = Rᵀω̇_p + (Rᵀω_p) × ω_r + ω̇_r
 *
 * (differentiate ω_c using Ṙ = R[ω_r]×). A hinge is r = exp(aθ/2), ω_r = aθ̇, ω̇_r = aθ̈.
 * These are the angular half of Newton–Euler forward recursion; exact, no differencing.
 */
import * as quat from '../math/quat';
import type { Quat, QuatLike } from '../math/quat';
import * as vec3 from '../math/vec3';
import type { Vec3, Vec3Like } from '../math/vec3';
import { SimInputError } from './sim-error';

const rq = quat.create();
const tw = vec3.create();
const ta = vec3.create();
const tc = vec3.create();

/** In place: append a relative rotation (qRel, its body rate wRel, body acceleration aRel). */
export function appendRelative(q: Quat, w: Vec3, a: Vec3, qRel: QuatLike, wRel: Vec3Like, aRel: Vec3Like): void {
  quat.rotateInverse(tw, qRel, w);
  quat.rotateInverse(ta, qRel, a);
  vec3.cross(tc, tw, wRel);
  a[0] = ta[0]! + tc[0]! + aRel[0]!;
  a[1] = ta[1]! + tc[1]! + aRel[1]!;
  a[2] = ta[2]! + tc[2]! + aRel[2]!;
  w[0] = tw[0]! + wRel[0]!;
  w[1] = tw[1]! + wRel[1]!;
  w[2] = tw[2]! + wRel[2]!;
  quat.multiply(q, q, qRel);
}

/** In place: append a hinge rotation by θ about the unit `axis` with rate θ̇ and acceleration θ̈. */
export function appendHinge(q: Quat, w: Vec3, a: Vec3, axis: Vec3Like, th: number, thDot: number, thDDot: number): void {
  quat.fromAxisAngle(rq, axis, th);
  quat.rotateInverse(tw, rq, w);
  quat.rotateInverse(ta, rq, a);
  const ax = axis[0]!, ay = axis[1]!, az = axis[2]!;
  // (Rᵀω_p) × (a θ̇)
  const cx = (tw[1]! * az - tw[2]! * ay) * thDot;
  const cy = (tw[2]! * ax - tw[0]! * az) * thDot;
  const cz = (tw[0]! * ay - tw[1]! * ax) * thDot;
  a[0] = ta[0]! + cx + ax * thDDot;
  a[1] = ta[1]! + cy + ay * thDDot;
  a[2] = ta[2]! + cz + az * thDDot;
  w[0] = tw[0]! + ax * thDot;
  w[1] = tw[1]! + ay * thDot;
  w[2] = tw[2]! + az * thDot;
  quat.multiply(q, q, rq);
}

/** In place: append a constant rotation (a fixed mounting or offset). */
export function appendFixed(q: Quat, w: Vec3, a: Vec3, qFixed: QuatLike): void {
  quat.rotateInverse(w, qFixed, w);
  quat.rotateInverse(a, qFixed, a);
  quat.multiply(q, q, qFixed);
}

/** Unit copy of an axis; throws for a zero or non-finite axis. */
export function unitAxis(what: string, axis: Vec3Like): Vec3 {
  if (!axis || axis.length !== 3) throw new SimInputError(`${what} must be a 3-vector`);
  const n = Math.hypot(axis[0]!, axis[1]!, axis[2]!);
  if (!Number.isFinite(n) || n === 0) throw new SimInputError(`${what} must be a finite non-zero 3-vector`);
  return vec3.fromValues(axis[0]! / n, axis[1]! / n, axis[2]! / n);
}

/** Unit copy of a quaternion; throws for a zero or non-finite one. */
export function unitQuat(what: string, q: QuatLike): Quat {
  if (!q || q.length !== 4) throw new SimInputError(`${what} must be a quaternion [w, x, y, z]`);
  const n = Math.hypot(q[0]!, q[1]!, q[2]!, q[3]!);
  if (!Number.isFinite(n) || n === 0) throw new SimInputError(`${what} must be a finite non-zero quaternion`);
  return quat.fromValues(q[0]! / n, q[1]! / n, q[2]! / n, q[3]! / n);
}

/**
 * Orientation q_{GB} of a frame B whose axes, expressed in G, are the columns xB, yB, zB
 * (must be orthonormal and right-handed within 1e-9). Used to describe sensor mountings
 * ("sensor x along the segment, z pointing out of the skin").
 */
export function quatFromAxes(xB: Vec3Like, yB: Vec3Like, zB: Vec3Like): Quat {
  const m00 = xB[0]!, m10 = xB[1]!, m20 = xB[2]!;
  const m01 = yB[0]!, m11 = yB[1]!, m21 = yB[2]!;
  const m02 = zB[0]!, m12 = zB[1]!, m22 = zB[2]!;
  const tol = 1e-9;
  const dots = [vec3.dot(xB, yB), vec3.dot(yB, zB), vec3.dot(zB, xB)];
  const lens = [vec3.length(xB), vec3.length(yB), vec3.length(zB)];
  const det =
    m00 * (m11 * m22 - m12 * m21) - m01 * (m10 * m22 - m12 * m20) + m02 * (m10 * m21 - m11 * m20);
  if (dots.some((d) => !(Math.abs(d) <= tol)) || lens.some((l) => !(Math.abs(l - 1) <= tol)) || !(Math.abs(det - 1) <= tol)) {
    throw new SimInputError('quatFromAxes: axes must be orthonormal and right-handed');
  }
  // Shepperd's method: branch on the largest of the four squared components for stability.
  const tr = m00 + m11 + m22;
  const out = quat.create();
  if (tr >= m00 && tr >= m11 && tr >= m22) {
    const s = 2 * Math.sqrt(1 + tr);
    quat.set(out, s / 4, (m21 - m12) / s, (m02 - m20) / s, (m10 - m01) / s);
  } else if (m00 >= m11 && m00 >= m22) {
    const s = 2 * Math.sqrt(1 + m00 - m11 - m22);
    quat.set(out, (m21 - m12) / s, s / 4, (m01 + m10) / s, (m02 + m20) / s);
  } else if (m11 >= m22) {
    const s = 2 * Math.sqrt(1 + m11 - m00 - m22);
    quat.set(out, (m02 - m20) / s, (m01 + m10) / s, s / 4, (m12 + m21) / s);
  } else {
    const s = 2 * Math.sqrt(1 + m22 - m00 - m11);
    quat.set(out, (m10 - m01) / s, (m02 + m20) / s, (m12 + m21) / s, s / 4);
  }
  return quat.canonicalize(out, quat.normalize(out, out));
}
