/**
 * 3-vectors as `Float64Array(3)`, gl-matrix style: every function that produces a vector
 * writes it into `out` (the first argument) and returns `out`; nothing allocates except
 * {@link create} and {@link fromValues}. `out` may alias an input.
 */

/** A 3-vector. Inputs accept any array-like of numbers; outputs are `Float64Array`. */
export type Vec3 = Float64Array;
/** Read-only view accepted as an input. */
export type Vec3Like = ArrayLike<number>;

export function create(): Vec3 {
  return new Float64Array(3);
}

export function fromValues(x: number, y: number, z: number): Vec3 {
  const out = new Float64Array(3);
  out[0] = x;
  out[1] = y;
  out[2] = z;
  return out;
}

export function set(out: Vec3, x: number, y: number, z: number): Vec3 {
  out[0] = x;
  out[1] = y;
  out[2] = z;
  return out;
}

export function copy(out: Vec3, a: Vec3Like): Vec3 {
  out[0] = a[0]!;
  out[1] = a[1]!;
  out[2] = a[2]!;
  return out;
}

export function add(out: Vec3, a: Vec3Like, b: Vec3Like): Vec3 {
  out[0] = a[0]! + b[0]!;
  out[1] = a[1]! + b[1]!;
  out[2] = a[2]! + b[2]!;
  return out;
}

export function subtract(out: Vec3, a: Vec3Like, b: Vec3Like): Vec3 {
  out[0] = a[0]! - b[0]!;
  out[1] = a[1]! - b[1]!;
  out[2] = a[2]! - b[2]!;
  return out;
}

export function scale(out: Vec3, a: Vec3Like, s: number): Vec3 {
  out[0] = a[0]! * s;
  out[1] = a[1]! * s;
  out[2] = a[2]! * s;
  return out;
}

/** out = a + b·s */
export function scaleAndAdd(out: Vec3, a: Vec3Like, b: Vec3Like, s: number): Vec3 {
  out[0] = a[0]! + b[0]! * s;
  out[1] = a[1]! + b[1]! * s;
  out[2] = a[2]! + b[2]! * s;
  return out;
}

export function negate(out: Vec3, a: Vec3Like): Vec3 {
  out[0] = -a[0]!;
  out[1] = -a[1]!;
  out[2] = -a[2]!;
  return out;
}

export function dot(a: Vec3Like, b: Vec3Like): number {
  return a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
}

export function cross(out: Vec3, a: Vec3Like, b: Vec3Like): Vec3 {
  const ax = a[0]!, ay = a[1]!, az = a[2]!;
  const bx = b[0]!, by = b[1]!, bz = b[2]!;
  out[0] = ay * bz - az * by;
  out[1] = az * bx - ax * bz;
  out[2] = ax * by - ay * bx;
  return out;
}

export function length(a: Vec3Like): number {
  return Math.sqrt(a[0]! * a[0]! + a[1]! * a[1]! + a[2]! * a[2]!);
}

export function squaredLength(a: Vec3Like): number {
  return a[0]! * a[0]! + a[1]! * a[1]! + a[2]! * a[2]!;
}

export function distance(a: Vec3Like, b: Vec3Like): number {
  const dx = a[0]! - b[0]!, dy = a[1]! - b[1]!, dz = a[2]! - b[2]!;
  return Math.sqrt(dx * dx + dy * dy + dz * dz);
}

/** Unit vector along `a`; the zero vector stays zero (callers decide what that means). */
export function normalize(out: Vec3, a: Vec3Like): Vec3 {
  const n = Math.sqrt(a[0]! * a[0]! + a[1]! * a[1]! + a[2]! * a[2]!);
  const s = n > 0 ? 1 / n : 0;
  out[0] = a[0]! * s;
  out[1] = a[1]! * s;
  out[2] = a[2]! * s;
  return out;
}

/** out = a + (b − a)·t */
export function lerp(out: Vec3, a: Vec3Like, b: Vec3Like, t: number): Vec3 {
  out[0] = a[0]! + (b[0]! - a[0]!) * t;
  out[1] = a[1]! + (b[1]! - a[1]!) * t;
  out[2] = a[2]! + (b[2]! - a[2]!) * t;
  return out;
}

/** Unsigned angle between two non-zero vectors in rad, in [0, π]; atan2 form stays accurate near 0 and π. */
export function angleRad(a: Vec3Like, b: Vec3Like): number {
  const ax = a[0]!, ay = a[1]!, az = a[2]!;
  const bx = b[0]!, by = b[1]!, bz = b[2]!;
  const cx = ay * bz - az * by;
  const cy = az * bx - ax * bz;
  const cz = ax * by - ay * bx;
  return Math.atan2(Math.sqrt(cx * cx + cy * cy + cz * cz), ax * bx + ay * by + az * bz);
}

export function equals(a: Vec3Like, b: Vec3Like, tol = 1e-12): boolean {
  return (
    Math.abs(a[0]! - b[0]!) <= tol && Math.abs(a[1]! - b[1]!) <= tol && Math.abs(a[2]! - b[2]!) <= tol
  );
}

/** Read sample `i` of an interleaved xyz array (struct-of-arrays blocks store `3n` values). */
export function readAt(out: Vec3, data: ArrayLike<number>, i: number): Vec3 {
  const k = 3 * i;
  out[0] = data[k]!;
  out[1] = data[k + 1]!;
  out[2] = data[k + 2]!;
  return out;
}

/** Write `a` as sample `i` of an interleaved xyz array. */
export function writeAt(data: Float64Array, i: number, a: Vec3Like): Float64Array {
  const k = 3 * i;
  data[k] = a[0]!;
  data[k + 1] = a[1]!;
  data[k + 2] = a[2]!;
  return data;
}
