/** Shared helpers for the simulator tests: finite differences and array comparisons. */
import * as quat from '../../src/math/quat';
import type { Trajectory1 } from '../../src/sim/trajectory';

/** Largest |a_i − b_i|. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Fourth-order central first derivative of f at t. */
export function d1(f: (t: number) => number, t: number, h: number): number {
  return (-f(t + 2 * h) + 8 * f(t + h) - 8 * f(t - h) + f(t - 2 * h)) / (12 * h);
}

/** Fourth-order central second derivative of f at t. */
export function d2(f: (t: number) => number, t: number, h: number): number {
  return (-f(t + 2 * h) + 16 * f(t + h) - 30 * f(t) + 16 * f(t - h) - f(t - 2 * h)) / (12 * h * h);
}

/** Value of a scalar trajectory at t. */
export function valueAt(tr: Trajectory1, t: number): number {
  return tr.evaluate(t, new Float64Array(3))[0]!;
}

/** Largest rotation angle (rad) between corresponding quaternions of two 4n arrays. */
export function maxQuatDistance(a: Float64Array, b: Float64Array): number {
  const qa = quat.create(), qb = quat.create();
  let m = 0;
  for (let i = 0; i < a.length / 4; i++) m = Math.max(m, quat.distanceRad(quat.readAt(qa, a, i), quat.readAt(qb, b, i)));
  return m;
}

/** True when two typed arrays hold bit-identical contents (fast; no diff rendering). */
export function sameBytes(a: Float64Array | Uint8Array, b: Float64Array | Uint8Array): boolean {
  const ba = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const bb = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  return ba.equals(bb);
}
