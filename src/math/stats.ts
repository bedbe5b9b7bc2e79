/**
 * Descriptive statistics over `ArrayLike<number>` (plain arrays or typed arrays) and a
 * streaming {@link RunningStats}. Conventions:
 * - variance/std are the **sample** statistics (divide by n − 1) and need n ≥ 2;
 * - percentiles use linear interpolation between order statistics (Hyndman & Fan type 7,
 *   numpy's default): rank h = (n − 1)·p/100;
 * - inputs are never modified (order statistics work on a copy, or on a caller's scratch);
 * - empty input throws {@link EmptyInputError}, too few values {@link InsufficientDataError},
 *   NaN/∞ values {@link NonFiniteInputError}: a statistic is never silently NaN.
 */
import { wrapPi } from './angle';
import {
  EmptyInputError,
  InsufficientDataError,
  LengthMismatchError,
  NonFiniteInputError,
  ParameterRangeError,
  UndefinedCircularMeanError,
} from './errors';

function checkValues(x: ArrayLike<number>, what: string, needed: number): void {
  const n = x.length;
  if (n === 0) throw new EmptyInputError(what);
  if (n < needed) throw new InsufficientDataError(what, needed, n);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i]!)) throw new NonFiniteInputError(what, x[i]!, i);
  }
}

export function mean(x: ArrayLike<number>): number {
  checkValues(x, 'mean', 1);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}

/**
 * Sample variance Σ(x − x̄)²/(n − 1), n ≥ 2. Corrected two-pass algorithm (the second term
 * removes the rounding left in x̄), accurate even for data with a large common offset.
 */
export function variance(x: ArrayLike<number>): number {
  checkValues(x, 'variance', 2);
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]!;
  const m = s / n;
  let ss = 0, sd = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - m;
    ss += d * d;
    sd += d;
  }
  return Math.max(0, (ss - (sd * sd) / n) / (n - 1));
}

/** Sample standard deviation √variance, n ≥ 2. */
export function std(x: ArrayLike<number>): number {
  return Math.sqrt(variance(x));
}

/** Root mean square √(Σx²/n). */
export function rms(x: ArrayLike<number>): number {
  checkValues(x, 'rms', 1);
  // hypot-style scaling is unnecessary for sensor-sized values; plain sum of squares.
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / x.length);
}

/** Root mean square error √(Σ(a − b)²/n) of two equally long series. */
export function rmse(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new LengthMismatchError('rmse', a.length, b.length);
  checkValues(a, 'rmse (a)', 1);
  checkValues(b, 'rmse (b)', 1);
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    s += d * d;
  }
  return Math.sqrt(s / a.length);
}

export function min(x: ArrayLike<number>): number {
  checkValues(x, 'min', 1);
  let m = x[0]!;
  for (let i = 1; i < x.length; i++) if (x[i]! < m) m = x[i]!;
  return m;
}

export function max(x: ArrayLike<number>): number {
  checkValues(x, 'max', 1);
  let m = x[0]!;
  for (let i = 1; i < x.length; i++) if (x[i]! > m) m = x[i]!;
  return m;
}

/**
 * Rearrange a[0..n) so that a[k] is the k-th smallest, a[0..k) ≤ a[k] ≤ a(k..n).
 * Quickselect (Hoare partition, median-of-three pivot), expected O(n).
 */
function selectInPlace(a: Float64Array, n: number, k: number): number {
  let lo = 0, hi = n - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // Order a[lo] ≤ a[mid] ≤ a[hi]: a good pivot, and sentinels for the scans below.
    if (a[mid]! < a[lo]!) swap(a, mid, lo);
    if (a[hi]! < a[lo]!) swap(a, hi, lo);
    if (a[hi]! < a[mid]!) swap(a, hi, mid);
    const pivot = a[mid]!;
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    // Now a[lo..j] ≤ pivot ≤ a[i..hi] and anything strictly between j and i equals pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

/**
 * p-th percentile (p in [0, 100]) with linear interpolation: rank h = (n − 1)·p/100,
 * result = v⌊h⌋ + (h − ⌊h⌋)(v⌊h⌋₊₁ − v⌊h⌋) over the sorted values v. `x` is not modified:
 * the values are copied into `scratch` (length ≥ n, contents overwritten) when given, so
 * repeated calls need not allocate, otherwise into a new array.
 */
export function percentile(x: ArrayLike<number>, p: number, scratch?: Float64Array): number {
  if (!(p >= 0 && p <= 100)) throw new ParameterRangeError(`percentile p must be in [0, 100], got ${p}`);
  checkValues(x, 'percentile', 1);
  const n = x.length;
  let a: Float64Array;
  if (scratch === undefined) a = new Float64Array(n);
  else if (scratch.length < n) throw new LengthMismatchError('percentile scratch', `at least ${n}`, scratch.length);
  else a = scratch;
  for (let i = 0; i < n; i++) a[i] = x[i]!;
  const h = ((n - 1) * p) / 100;
  const lo = Math.floor(h);
  const vLo = selectInPlace(a, n, lo);
  const f = h - lo;
  if (f === 0 || lo + 1 >= n) return vLo;
  // After selection everything right of lo is ≥ vLo; the next order statistic is their minimum.
  let vHi = a[lo + 1]!;
  for (let i = lo + 2; i < n; i++) if (a[i]! < vHi) vHi = a[i]!;
  return vLo + f * (vHi - vLo);
}

/** Median = 50th percentile (mean of the two middle values for even n). Same `scratch` rule as {@link percentile}. */
export function median(x: ArrayLike<number>, scratch?: Float64Array): number {
  return percentile(x, 50, scratch);
}

/**
 * Mean resultant length R̄ = |Σ e^{iθ}|/n ∈ [0, 1] of angles (rad): 1 when all agree, near 0
 * when they spread around the circle. 1 − R̄ is the circular variance.
 */
export function meanResultantLength(anglesRad: ArrayLike<number>): number {
  checkValues(anglesRad, 'meanResultantLength', 1);
  let s = 0, c = 0;
  for (let i = 0; i < anglesRad.length; i++) {
    s += Math.sin(anglesRad[i]!);
    c += Math.cos(anglesRad[i]!);
  }
  return Math.hypot(s, c) / anglesRad.length;
}

/** R̄ below which the circular mean direction is taken to be undefined. */
export const CIRCULAR_MEAN_MIN_RESULTANT = 1e-12;

/**
 * Circular mean direction atan2(Σ sin θ, Σ cos θ) of angles (rad), in (−π, π]. Throws
 * {@link UndefinedCircularMeanError} when the angles cancel out (R̄ ≤ 1e-12), e.g. [0, π].
 */
export function circularMean(anglesRad: ArrayLike<number>): number {
  checkValues(anglesRad, 'circularMean', 1);
  let s = 0, c = 0;
  for (let i = 0; i < anglesRad.length; i++) {
    s += Math.sin(anglesRad[i]!);
    c += Math.cos(anglesRad[i]!);
  }
  const r = Math.hypot(s, c) / anglesRad.length;
  if (r <= CIRCULAR_MEAN_MIN_RESULTANT) throw new UndefinedCircularMeanError(r);
  return wrapPi(Math.atan2(s, c));
}

/** Plain-data state of a {@link RunningStats}. */
export interface RunningStatsState {
  count: number;
  mean: number;
  /** Σ(x − mean)², Welford's M2. */
  m2: number;
  /** Smallest value so far (0 while count is 0). */
  min: number;
  /** Largest value so far (0 while count is 0). */
  max: number;
}

/**
 * Streaming mean / sample variance / min / max in O(1) memory (Welford's update, which
 * stays accurate where the naive Σx² − n·x̄² cancels). Getters follow the array functions'
 * rules: mean/min/max need one value, variance/std two.
 */
export class RunningStats {
  private n = 0;
  private m = 0;
  private m2 = 0;
  // 0 while empty (not ±Infinity) so the state stays JSON-safe; `n` says whether they mean anything.
  private lo = 0;
  private hi = 0;

  /** Add one value; throws {@link NonFiniteInputError} for NaN/∞ (the state is unchanged). */
  push(x: number): this {
    if (!Number.isFinite(x)) throw new NonFiniteInputError('RunningStats.push', x);
    this.n++;
    const d = x - this.m;
    this.m += d / this.n;
    this.m2 += d * (x - this.m);
    if (this.n === 1 || x < this.lo) this.lo = x;
    if (this.n === 1 || x > this.hi) this.hi = x;
    return this;
  }

  /** Add every value of `x` in order. */
  pushAll(x: ArrayLike<number>): this {
    for (let i = 0; i < x.length; i++) this.push(x[i]!);
    return this;
  }

  get count(): number {
    return this.n;
  }

  mean(): number {
    if (this.n === 0) throw new EmptyInputError('RunningStats.mean');
    return this.m;
  }

  /** Sample variance (n − 1), n ≥ 2. */
  variance(): number {
    if (this.n < 2) {
      throw this.n === 0 ? new EmptyInputError('RunningStats.variance') : new InsufficientDataError('RunningStats.variance', 2, this.n);
    }
    return Math.max(0, this.m2 / (this.n - 1));
  }

  std(): number {
    return Math.sqrt(this.variance());
  }

  min(): number {
    if (this.n === 0) throw new EmptyInputError('RunningStats.min');
    return this.lo;
  }

  max(): number {
    if (this.n === 0) throw new EmptyInputError('RunningStats.max');
    return this.hi;
  }

  reset(): void {
    this.n = 0;
    this.m = 0;
    this.m2 = 0;
    this.lo = 0;
    this.hi = 0;
  }

  getState(): RunningStatsState {
    return { count: this.n, mean: this.m, m2: this.m2, min: this.lo, max: this.hi };
  }

  setState(state: RunningStatsState): void {
    this.n = state.count;
    this.m = state.mean;
    this.m2 = state.m2;
    this.lo = state.min;
    this.hi = state.max;
  }
}
