/**
 * Recorded angles (or positions) as a trajectory: a natural cubic spline through the samples,
 * C² inside the recording, with its exact first and second derivatives — so a recorded joint
 * angle can drive the simulator without numerical differentiation.
 */
import { SimInputError } from './sim-error';
import type { Trajectory1 } from './trajectory';

export interface SplineParams {
  /** Sample times, s, strictly increasing, at least 2. */
  tS: ArrayLike<number>;
  /** Sample values (rad or m), same length as `tS`. */
  values: ArrayLike<number>;
  /**
   * Outside [tS[0], tS[n−1]]: `'hold'` keeps the end value (velocity jumps to 0 there),
   * `'linear'` continues with the end slope (C², since a natural spline has zero curvature at
   * its ends, but unbounded). Default `'hold'`.
   */
  outside?: 'hold' | 'linear';
}

export class SplineTrajectory implements Trajectory1 {
  readonly tS: Float64Array;
  readonly values: Float64Array;
  /** Second derivative at each knot (M_i), the natural-spline solution. */
  readonly curvature: Float64Array;
  readonly outside: 'hold' | 'linear';
  /** Interval of the previous query: sequential evaluation is O(1). */
  private last = 0;

  constructor(p: SplineParams) {
    const n = p.tS.length;
    if (n < 2) throw new SimInputError(`SplineTrajectory needs at least 2 samples, got ${n}`);
    if (p.values.length !== n) {
      throw new SimInputError(`SplineTrajectory: ${n} times but ${p.values.length} values`);
    }
    const outside = p.outside ?? 'hold';
    if (outside !== 'hold' && outside !== 'linear') throw new SimInputError(`SplineTrajectory: unknown outside mode '${String(outside)}'`);
    this.outside = outside;
    const t = Float64Array.from(p.tS);
    const y = Float64Array.from(p.values);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(t[i]!) || !Number.isFinite(y[i]!)) {
        throw new SimInputError(`SplineTrajectory: sample ${i} is not finite (t=${t[i]}, value=${y[i]})`);
      }
      if (i > 0 && !(t[i]! > t[i - 1]!)) {
        throw new SimInputError(`SplineTrajectory: times must be strictly increasing (sample ${i}: ${t[i]} after ${t[i - 1]})`);
      }
    }
    this.tS = t;
    this.values = y;
    this.curvature = naturalSplineCurvature(t, y);
  }

  /** Index i with t_i ≤ t < t_{i+1}, clamped to [0, n−2]. */
  private interval(tS: number): number {
    const t = this.tS;
    const n = t.length;
    let i = this.last;
    if (tS >= t[i]! && tS < t[i + 1]!) return i;
    if (i + 2 < n && tS >= t[i + 1]! && tS < t[i + 2]!) return (this.last = i + 1);
    let lo = 0, hi = n - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (t[mid]! <= tS) lo = mid;
      else hi = mid - 1;
    }
    return (this.last = lo);
  }

  /** Value, slope and curvature of the spline piece on interval i at time tS (may extrapolate). */
  private piece(i: number, tS: number, out: Float64Array): Float64Array {
    const t = this.tS, y = this.values, M = this.curvature;
    const h = t[i + 1]! - t[i]!;
    const a = (t[i + 1]! - tS) / h;
    const b = (tS - t[i]!) / h;
    const mi = M[i]!, mj = M[i + 1]!;
    out[0] = a * y[i]! + b * y[i + 1]! + (((a * a * a - a) * mi + (b * b * b - b) * mj) * h * h) / 6;
    out[1] = (y[i + 1]! - y[i]!) / h + (h * (-(3 * a * a - 1) * mi + (3 * b * b - 1) * mj)) / 6;
    out[2] = a * mi + b * mj;
    return out;
  }

  evaluate(tS: number, out: Float64Array): Float64Array {
    const t = this.tS;
    const n = t.length;
    if (tS < t[0]! || tS > t[n - 1]!) {
      const end = tS < t[0]! ? 0 : n - 1;
      if (this.outside === 'hold') {
        out[0] = this.values[end]!;
        out[1] = 0;
        out[2] = 0;
        return out;
      }
      this.piece(end === 0 ? 0 : n - 2, t[end]!, out);
      out[0] = out[0]! + out[1]! * (tS - t[end]!);
      out[2] = 0;
      return out;
    }
    return this.piece(this.interval(tS), tS, out);
  }
}

/**
 * Knot second derivatives of the natural cubic spline (M_0 = M_{n−1} = 0), from the standard
 * tridiagonal system solved by the Thomas algorithm (diagonally dominant, so no pivoting).
 */
function naturalSplineCurvature(t: Float64Array, y: Float64Array): Float64Array {
  const n = t.length;
  const M = new Float64Array(n);
  if (n < 3) return M;
  const m = n - 2; // unknowns M_1..M_{n−2}
  const c = new Float64Array(m); // modified super-diagonal
  const d = new Float64Array(m); // modified right-hand side
  for (let k = 0; k < m; k++) {
    const i = k + 1;
    const h0 = t[i]! - t[i - 1]!;
    const h1 = t[i + 1]! - t[i]!;
    const rhs = 6 * ((y[i + 1]! - y[i]!) / h1 - (y[i]! - y[i - 1]!) / h0);
    const diag = 2 * (h0 + h1);
    if (k === 0) {
      c[k] = h1 / diag;
      d[k] = rhs / diag;
    } else {
      const denom = diag - h0 * c[k - 1]!;
      c[k] = h1 / denom;
      d[k] = (rhs - h0 * d[k - 1]!) / denom;
    }
  }
  M[m] = d[m - 1]!;
  for (let k = m - 2; k >= 0; k--) M[k + 1] = d[k]! - c[k]! * M[k + 2]!;
  return M;
}
