/**
 * Unit quaternions as `Float64Array(4)` in **[w, x, y, z]** order (scalar first), Hamilton
 * algebra (i² = j² = k² = ijk = −1). gl-matrix style: `out` first, returned, may alias inputs.
 *
 * ## Convention (every stage of kinemetry uses this one)
 * An orientation `q_GS` maps coordinates of a vector expressed in the sensor frame S to the
 * global (reference) frame G:  `v_G = q ⊗ v_S ⊗ q*` — see {@link rotate}. Read actively, `q`
 * rotates the global axes onto the sensor's axes. Compositions chain right to left:
 * `q_GA = q_GB ⊗ q_BA`. The relative orientation of B in A's frame is `q_AB = q_GA* ⊗ q_GB`
 * ({@link relative}). `q` and `−q` are the same rotation; {@link canonicalize} picks w ≥ 0.
 *
 * Angular velocity `ω_S` (rad/s) measured by a gyroscope is in the sensor frame, so the
 * orientation evolves as `q̇ = ½ q ⊗ (0, ω_S)` ({@link integrateRate}).
 */
import type { Vec3, Vec3Like } from './vec3';

export type Quat = Float64Array;
export type QuatLike = ArrayLike<number>;

/** Below this angle (rad) series expansions replace sin(x)/x to keep full precision. */
// Norms use Math.sqrt of a sum of squares, not Math.hypot: hypot guards against overflow we
// cannot reach with unit-scale values and costs several times more in V8 (see bench/).
const SMALL_ANGLE_RAD = 1e-6;

/** New identity quaternion. */
export function create(): Quat {
  const out = new Float64Array(4);
  out[0] = 1;
  return out;
}

export function fromValues(w: number, x: number, y: number, z: number): Quat {
  const out = new Float64Array(4);
  out[0] = w;
  out[1] = x;
  out[2] = y;
  out[3] = z;
  return out;
}

export function set(out: Quat, w: number, x: number, y: number, z: number): Quat {
  out[0] = w;
  out[1] = x;
  out[2] = y;
  out[3] = z;
  return out;
}

export function identity(out: Quat): Quat {
  out[0] = 1;
  out[1] = 0;
  out[2] = 0;
  out[3] = 0;
  return out;
}

export function copy(out: Quat, a: QuatLike): Quat {
  out[0] = a[0]!;
  out[1] = a[1]!;
  out[2] = a[2]!;
  out[3] = a[3]!;
  return out;
}

/** Hamilton product out = a ⊗ b (apply b first, then a, when rotating vectors). */
export function multiply(out: Quat, a: QuatLike, b: QuatLike): Quat {
  const aw = a[0]!, ax = a[1]!, ay = a[2]!, az = a[3]!;
  const bw = b[0]!, bx = b[1]!, by = b[2]!, bz = b[3]!;
  out[0] = aw * bw - ax * bx - ay * by - az * bz;
  out[1] = aw * bx + ax * bw + ay * bz - az * by;
  out[2] = aw * by - ax * bz + ay * bw + az * bx;
  out[3] = aw * bz + ax * by - ay * bx + az * bw;
  return out;
}

/** out = a* ⊗ b without forming a*. */
export function multiplyConjugateLeft(out: Quat, a: QuatLike, b: QuatLike): Quat {
  const aw = a[0]!, ax = -a[1]!, ay = -a[2]!, az = -a[3]!;
  const bw = b[0]!, bx = b[1]!, by = b[2]!, bz = b[3]!;
  out[0] = aw * bw - ax * bx - ay * by - az * bz;
  out[1] = aw * bx + ax * bw + ay * bz - az * by;
  out[2] = aw * by - ax * bz + ay * bw + az * bx;
  out[3] = aw * bz + ax * by - ay * bx + az * bw;
  return out;
}

export function conjugate(out: Quat, a: QuatLike): Quat {
  out[0] = a[0]!;
  out[1] = -a[1]!;
  out[2] = -a[2]!;
  out[3] = -a[3]!;
  return out;
}

/** Multiplicative inverse; equals the conjugate for unit quaternions. Zero stays zero. */
export function invert(out: Quat, a: QuatLike): Quat {
  const n2 = a[0]! * a[0]! + a[1]! * a[1]! + a[2]! * a[2]! + a[3]! * a[3]!;
  const s = n2 > 0 ? 1 / n2 : 0;
  out[0] = a[0]! * s;
  out[1] = -a[1]! * s;
  out[2] = -a[2]! * s;
  out[3] = -a[3]! * s;
  return out;
}

export function dot(a: QuatLike, b: QuatLike): number {
  return a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]! + a[3]! * b[3]!;
}

export function norm(a: QuatLike): number {
  return Math.sqrt(a[0]! * a[0]! + a[1]! * a[1]! + a[2]! * a[2]! + a[3]! * a[3]!);
}

/** Scale to unit norm. A zero quaternion becomes the identity rather than NaN. */
export function normalize(out: Quat, a: QuatLike): Quat {
  const n = Math.sqrt(a[0]! * a[0]! + a[1]! * a[1]! + a[2]! * a[2]! + a[3]! * a[3]!);
  if (n === 0) return identity(out);
  const s = 1 / n;
  out[0] = a[0]! * s;
  out[1] = a[1]! * s;
  out[2] = a[2]! * s;
  out[3] = a[3]! * s;
  return out;
}

/** Pick the representative with w ≥ 0 (and, when w = 0, the first non-zero of x, y, z > 0). */
export function canonicalize(out: Quat, a: QuatLike): Quat {
  let s = 1;
  if (a[0]! < 0) s = -1;
  else if (a[0]! === 0) {
    const first = a[1]! !== 0 ? a[1]! : a[2]! !== 0 ? a[2]! : a[3]!;
    if (first < 0) s = -1;
  }
  out[0] = a[0]! * s;
  out[1] = a[1]! * s;
  out[2] = a[2]! * s;
  out[3] = a[3]! * s;
  return out;
}

/**
 * Rotate a vector: out = q ⊗ (0, v) ⊗ q*. With `q = q_GS`, turns sensor-frame coordinates
 * into global ones. Uses the two-cross-product form (no intermediate quaternion).
 */
export function rotate(out: Vec3, q: QuatLike, v: Vec3Like): Vec3 {
  const w = q[0]!, x = q[1]!, y = q[2]!, z = q[3]!;
  const vx = v[0]!, vy = v[1]!, vz = v[2]!;
  // t = 2 (q_vec × v)
  const tx = 2 * (y * vz - z * vy);
  const ty = 2 * (z * vx - x * vz);
  const tz = 2 * (x * vy - y * vx);
  // v + w t + q_vec × t
  out[0] = vx + w * tx + (y * tz - z * ty);
  out[1] = vy + w * ty + (z * tx - x * tz);
  out[2] = vz + w * tz + (x * ty - y * tx);
  return out;
}

/** Inverse rotation: out = q* ⊗ (0, v) ⊗ q (global coordinates into the sensor frame). */
export function rotateInverse(out: Vec3, q: QuatLike, v: Vec3Like): Vec3 {
  const w = q[0]!, x = -q[1]!, y = -q[2]!, z = -q[3]!;
  const vx = v[0]!, vy = v[1]!, vz = v[2]!;
  const tx = 2 * (y * vz - z * vy);
  const ty = 2 * (z * vx - x * vz);
  const tz = 2 * (x * vy - y * vx);
  out[0] = vx + w * tx + (y * tz - z * ty);
  out[1] = vy + w * ty + (z * tx - x * tz);
  out[2] = vz + w * tz + (x * ty - y * tx);
  return out;
}

/** Rotation by `angleRad` about `axis` (right-hand rule). The axis is normalised here. */
export function fromAxisAngle(out: Quat, axis: Vec3Like, angleRad: number): Quat {
  const n = Math.sqrt(axis[0]! * axis[0]! + axis[1]! * axis[1]! + axis[2]! * axis[2]!);
  if (n === 0) return identity(out);
  const h = 0.5 * angleRad;
  const s = Math.sin(h) / n;
  out[0] = Math.cos(h);
  out[1] = axis[0]! * s;
  out[2] = axis[1]! * s;
  out[3] = axis[2]! * s;
  return out;
}

/**
 * Axis and angle of a unit quaternion. Writes the unit axis into `outAxis` and returns the
 * angle in rad, in [0, π] (the shorter of q and −q). For the identity the axis is x̂.
 */
export function toAxisAngle(outAxis: Vec3, q: QuatLike): number {
  let w = q[0]!, x = q[1]!, y = q[2]!, z = q[3]!;
  if (w < 0) {
    w = -w;
    x = -x;
    y = -y;
    z = -z;
  }
  const s = Math.sqrt(x * x + y * y + z * z);
  if (s === 0) {
    outAxis[0] = 1;
    outAxis[1] = 0;
    outAxis[2] = 0;
    return 0;
  }
  outAxis[0] = x / s;
  outAxis[1] = y / s;
  outAxis[2] = z / s;
  return 2 * Math.atan2(s, w);
}

/** Rotation angle of a unit quaternion in rad, in [0, π]. */
export function angleRad(q: QuatLike): number {
  return 2 * Math.atan2(Math.sqrt(q[1]! * q[1]! + q[2]! * q[2]! + q[3]! * q[3]!), Math.abs(q[0]!));
}

/** Quaternion from a rotation vector (axis × angle, rad): the exponential map exp(rv/2). */
export function fromRotationVector(out: Quat, rv: Vec3Like): Quat {
  const x = rv[0]!, y = rv[1]!, z = rv[2]!;
  const theta = Math.sqrt(x * x + y * y + z * z);
  const h = 0.5 * theta;
  // sin(θ/2)/θ, with its Taylor series near zero
  const k = theta < SMALL_ANGLE_RAD ? 0.5 - (theta * theta) / 48 : Math.sin(h) / theta;
  out[0] = Math.cos(h);
  out[1] = x * k;
  out[2] = y * k;
  out[3] = z * k;
  return out;
}

/** Rotation vector (axis × angle, rad) of a unit quaternion; the angle is in [0, π]. */
export function toRotationVector(out: Vec3, q: QuatLike): Vec3 {
  let w = q[0]!, x = q[1]!, y = q[2]!, z = q[3]!;
  if (w < 0) {
    w = -w;
    x = -x;
    y = -y;
    z = -z;
  }
  const s = Math.sqrt(x * x + y * y + z * z);
  const theta = 2 * Math.atan2(s, w);
  // θ / sin(θ/2); near zero θ/s = (2/w)(1 − (s/w)²/3 + …): the quadratic term matters
  // (8e-14 relative at s = 5e-7), the next one (~1e-25) does not.
  const k = s < SMALL_ANGLE_RAD ? (2 / w) * (1 - (s * s) / (3 * w * w)) : theta / s;
  out[0] = x * k;
  out[1] = y * k;
  out[2] = z * k;
  return out;
}

/**
 * Spherical linear interpolation along the shorter arc, t ∈ [0, 1]. Falls back to a
 * normalised lerp when the quaternions are nearly equal (where slerp's formula loses precision).
 */
export function slerp(out: Quat, a: QuatLike, b: QuatLike, t: number): Quat {
  const aw = a[0]!, ax = a[1]!, ay = a[2]!, az = a[3]!;
  let bw = b[0]!, bx = b[1]!, by = b[2]!, bz = b[3]!;
  let cosOmega = aw * bw + ax * bx + ay * by + az * bz;
  if (cosOmega < 0) {
    cosOmega = -cosOmega;
    bw = -bw;
    bx = -bx;
    by = -by;
    bz = -bz;
  }
  let s0: number, s1: number;
  if (cosOmega > 1 - 1e-10) {
    s0 = 1 - t;
    s1 = t;
  } else {
    const omega = Math.acos(cosOmega);
    const sinOmega = Math.sin(omega);
    s0 = Math.sin((1 - t) * omega) / sinOmega;
    s1 = Math.sin(t * omega) / sinOmega;
  }
  out[0] = s0 * aw + s1 * bw;
  out[1] = s0 * ax + s1 * bx;
  out[2] = s0 * ay + s1 * by;
  out[3] = s0 * az + s1 * bz;
  return normalize(out, out);
}

/**
 * Shortest-arc rotation taking the direction of `from` onto the direction of `to`
 * (`rotate(q, from) ∥ to`). For exactly opposite vectors the rotation is π about an axis
 * perpendicular to `from` (a choice: any perpendicular works). Zero inputs give identity.
 */
export function fromTwoVectors(out: Quat, from: Vec3Like, to: Vec3Like): Quat {
  const na = Math.sqrt(from[0]! * from[0]! + from[1]! * from[1]! + from[2]! * from[2]!);
  const nb = Math.sqrt(to[0]! * to[0]! + to[1]! * to[1]! + to[2]! * to[2]!);
  if (na === 0 || nb === 0) return identity(out);
  const ax = from[0]! / na, ay = from[1]! / na, az = from[2]! / na;
  const bx = to[0]! / nb, by = to[1]! / nb, bz = to[2]! / nb;
  const d = ax * bx + ay * by + az * bz;
  let cx = ay * bz - az * by, cy = az * bx - ax * bz, cz = ax * by - ay * bx;
  // a × b is ⊥ a in exact arithmetic; for nearly (anti)parallel inputs its rounding noise is
  // not, and an axis tilted towards a would miss b. Project that noise out — twice, since the
  // first projection of a vector almost along a cancels ("twice is enough", Kahan).
  for (let pass = 0; pass < 2; pass++) {
    const ca = cx * ax + cy * ay + cz * az;
    cx -= ca * ax;
    cy -= ca * ay;
    cz -= ca * az;
  }
  const s = Math.sqrt(cx * cx + cy * cy + cz * cz);
  // Angle by atan2 and axis from the cross product keep full precision right up to parallel
  // and antiparallel; the half-way form (1 + a·b, a × b) cancels near π (errors ~1e-6 rad).
  // The threshold keeps s² clear of subnormals.
  if (s > 1e-150) {
    const h = 0.5 * Math.atan2(s, d);
    const k = Math.sin(h) / s;
    return set(out, Math.cos(h), cx * k, cy * k, cz * k);
  }
  if (d > 0) return identity(out);
  // Antiparallel: pick the coordinate axis least aligned with `from` to build a perpendicular.
  const absX = Math.abs(ax), absY = Math.abs(ay), absZ = Math.abs(az);
  let px: number, py: number, pz: number;
  if (absX <= absY && absX <= absZ) {
    px = 0; py = az; pz = -ay; // from × x̂
  } else if (absY <= absZ) {
    px = -az; py = 0; pz = ax; // from × ŷ
  } else {
    px = ay; py = -ax; pz = 0; // from × ẑ
  }
  const pn = Math.sqrt(px * px + py * py + pz * pz);
  return set(out, 0, px / pn, py / pn, pz / pn);
}

/** Relative orientation out = a* ⊗ b: with a = q_GA, b = q_GB, gives q_AB (B expressed in A). */
export function relative(out: Quat, a: QuatLike, b: QuatLike): Quat {
  return multiplyConjugateLeft(out, a, b);
}

/** Angle in rad ∈ [0, π] of the rotation taking a to b, insensitive to the sign of either. */
export function distanceRad(a: QuatLike, b: QuatLike): number {
  // 2·acos(|a·b|) loses precision near 1; the atan2 form of the relative rotation a* ⊗ b does not.
  const w = a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]! + a[3]! * b[3]!;
  const x = a[0]! * b[1]! - a[1]! * b[0]! - a[2]! * b[3]! + a[3]! * b[2]!;
  const y = a[0]! * b[2]! + a[1]! * b[3]! - a[2]! * b[0]! - a[3]! * b[1]!;
  const z = a[0]! * b[3]! - a[1]! * b[2]! + a[2]! * b[1]! - a[3]! * b[0]!;
  return 2 * Math.atan2(Math.sqrt(x * x + y * y + z * z), Math.abs(w));
}

/** True when a and b are the same rotation (q or −q) within `tol` per component. */
export function equalsRotation(a: QuatLike, b: QuatLike, tol = 1e-12): boolean {
  const s = dot(a, b) < 0 ? -1 : 1;
  return (
    Math.abs(a[0]! - s * b[0]!) <= tol &&
    Math.abs(a[1]! - s * b[1]!) <= tol &&
    Math.abs(a[2]! - s * b[2]!) <= tol &&
    Math.abs(a[3]! - s * b[3]!) <= tol
  );
}

/**
 * Advance an orientation by a body-frame angular rate held constant over `dtS`:
 * out = q ⊗ exp(ω dt / 2). Exact for constant ω (the strapdown step); renormalised.
 * For half-angles h < 0.1 rad (every realistic sensor step: 0.1 rad is 1600 °/s at 286 Hz)
 * cos h and sin(h)/θ come from their Taylor series: Math.sin/cos are library calls in V8 and
 * this runs once per sample in every filter; to the h⁸ term the series are exact to rounding
 * there (the first omitted terms are < 3e-17).
 */
export function integrateRate(out: Quat, q: QuatLike, gyrRadS: Vec3Like, dtS: number): Quat {
  const x = gyrRadS[0]! * dtS, y = gyrRadS[1]! * dtS, z = gyrRadS[2]! * dtS;
  const t2 = x * x + y * y + z * z;
  let dw: number, k: number;
  if (t2 < 0.04) {
    const h2 = 0.25 * t2;
    dw = 1 - h2 * (1 / 2 - h2 * (1 / 24 - h2 * (1 / 720 - h2 * (1 / 40320))));
    k = 0.5 * (1 - h2 * (1 / 6 - h2 * (1 / 120 - h2 * (1 / 5040 - h2 * (1 / 362880)))));
  } else {
    const theta = Math.sqrt(t2);
    dw = Math.cos(0.5 * theta);
    k = Math.sin(0.5 * theta) / theta;
  }
  const dx = x * k, dy = y * k, dz = z * k;
  const aw = q[0]!, ax = q[1]!, ay = q[2]!, az = q[3]!;
  out[0] = aw * dw - ax * dx - ay * dy - az * dz;
  out[1] = aw * dx + ax * dw + ay * dz - az * dy;
  out[2] = aw * dy - ax * dz + ay * dw + az * dx;
  out[3] = aw * dz + ax * dy - ay * dx + az * dw;
  return normalize(out, out);
}

/** Read sample `i` of an interleaved wxyz array (blocks store `4n` values). */
export function readAt(out: Quat, data: ArrayLike<number>, i: number): Quat {
  const k = 4 * i;
  out[0] = data[k]!;
  out[1] = data[k + 1]!;
  out[2] = data[k + 2]!;
  out[3] = data[k + 3]!;
  return out;
}

/** Write `q` as sample `i` of an interleaved wxyz array. */
export function writeAt(data: Float64Array, i: number, q: QuatLike): Float64Array {
  const k = 4 * i;
  data[k] = q[0]!;
  data[k + 1] = q[1]!;
  data[k + 2] = q[2]!;
  data[k + 3] = q[3]!;
  return data;
}
