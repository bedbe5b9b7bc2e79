/**
 * The 1-D angle of a sensor's rotation about one axis fixed in the sensor, relative to a
 * reference attitude.
 *
 * - `'orientation'`: the twist of the orientation change q_rel = q_ref* ⊗ q about the axis a
 *   (swing–twist decomposition: θ = 2·atan2(a·q_rel,vec, q_rel,w)). Exact for a hinge about a;
 *   6D heading drift is a rotation about the vertical, which the twist about a horizontal axis
 *   ignores to first order.
 * - `'inclination'`: how far the up direction, seen in the sensor frame, turned about a
 *   (from the accelerometer-corrected inclination only, so no heading drift at all); blind to
 *   rotations about the vertical.
 */
import type { QuatLike } from '../math/quat';

export type DominantRotationMethod = 'orientation' | 'inclination';

/** Twist angle of q_ref* ⊗ q about the unit axis a (sensor frame), rad in (−2π, 2π]; unwrap the series. */
export function twistAngleRad(qRef: QuatLike, q: QuatLike, a: ArrayLike<number>): number {
  const rw = qRef[0]!, rx = -qRef[1]!, ry = -qRef[2]!, rz = -qRef[3]!;
  const w = q[0]!, x = q[1]!, y = q[2]!, z = q[3]!;
  // Hamilton product r ⊗ q with r = conj(qRef).
  const pw = rw * w - rx * x - ry * y - rz * z;
  const px = rw * x + rx * w + ry * z - rz * y;
  const py = rw * y - rx * z + ry * w + rz * x;
  const pz = rw * z + rx * y - ry * x + rz * w;
  return 2 * Math.atan2(px * a[0]! + py * a[1]! + pz * a[2]!, pw);
}

/**
 * Rotation of q_ref* ⊗ q that is not about the axis a (the swing of the swing–twist
 * decomposition), rad in [0, π]: out-of-plane motion. With q_rel = (w, v), the swing's scalar
 * part is √(w² + (v·a)²).
 */
export function swingAngleRad(qRef: QuatLike, q: QuatLike, a: ArrayLike<number>): number {
  const rw = qRef[0]!, rx = -qRef[1]!, ry = -qRef[2]!, rz = -qRef[3]!;
  const w = q[0]!, x = q[1]!, y = q[2]!, z = q[3]!;
  const pw = rw * w - rx * x - ry * y - rz * z;
  const px = rw * x + rx * w + ry * z - rz * y;
  const py = rw * y - rx * z + ry * w + rz * x;
  const pz = rw * z + rx * y - ry * x + rz * w;
  const va = px * a[0]! + py * a[1]! + pz * a[2]!;
  return 2 * Math.acos(Math.min(1, Math.sqrt(pw * pw + va * va)));
}

/** Up direction (0,0,1) in the sensor frame of q_GS, written to `out` (= third row of R(q)). */
export function upInSensor(q: QuatLike, out: Float64Array): Float64Array {
  const w = q[0]!, x = q[1]!, y = q[2]!, z = q[3]!;
  out[0] = 2 * (x * z - w * y);
  out[1] = 2 * (y * z + w * x);
  out[2] = 1 - 2 * (x * x + y * y);
  return out;
}

/**
 * Rotation of the sensor about a, rad, that turned the sensor-frame up direction from
 * `upRef` to `up` (both unit): the sensor turning by +θ turns "up" in its frame by −θ.
 */
export function inclinationAngleRad(upRef: ArrayLike<number>, up: ArrayLike<number>, a: ArrayLike<number>): number {
  const ra = upRef[0]! * a[0]! + upRef[1]! * a[1]! + upRef[2]! * a[2]!;
  const ua = up[0]! * a[0]! + up[1]! * a[1]! + up[2]! * a[2]!;
  const r0 = upRef[0]! - ra * a[0]!, r1 = upRef[1]! - ra * a[1]!, r2 = upRef[2]! - ra * a[2]!;
  const u0 = up[0]! - ua * a[0]!, u1 = up[1]! - ua * a[1]!, u2 = up[2]! - ua * a[2]!;
  const c0 = r1 * u2 - r2 * u1, c1 = r2 * u0 - r0 * u2, c2 = r0 * u1 - r1 * u0;
  return -Math.atan2(c0 * a[0]! + c1 * a[1]! + c2 * a[2]!, r0 * u0 + r1 * u1 + r2 * u2);
}
