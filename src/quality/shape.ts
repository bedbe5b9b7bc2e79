/**
 * The shape of one rep, made comparable between reps and recordings: the excursion from rest
 * in the rep's direction divided by its ROM (0 at rest, 1 at end range), over the rep's
 * active part (the contiguous stretch around end range where the excursion exceeds
 * `activeLevel` of the ROM, so extra rest, a bump in it, or the tail of a neighbouring rep that
 * a segmenter or a hand label puts around the movement does not count),
 * resampled to a fixed number of points. Plus dynamic time warping with a band to compare two
 * such curves.
 */
import type { MovementSignal } from '../reps/rep';
import { QualityInputError } from './errors';
import { repPhases, type PhaseOptions } from './phases';
import { signalRateHz, smoothedVelocity, windowIndices, type VelocityOptions } from './signal';

export interface ShapeOptions extends VelocityOptions, PhaseOptions {
  /** Points of the resampled curve. Default 64. */
  points?: number;
  /** Excursion level (fraction of ROM) that delimits the active part. Default 0.15. */
  activeLevel?: number;
}

export interface RepShape {
  /** Normalised excursion over the active part, `points` samples uniform in time. */
  readonly curve: Float64Array;
  readonly romDeg: number;
  readonly restDeg: number;
  readonly direction: 1 | -1;
  /** Duration of the active part (excursion above `activeLevel`·ROM), s. */
  readonly activeDurationS: number;
  /** Time spent in the end-range band (see phases), s. */
  readonly holdS: number;
}

/** Shape of the window [startS, endS] of `signal`; `direction` forces the excursion sign. */
export function repShape(
  signal: MovementSignal,
  startS: number,
  endS: number,
  direction?: 1 | -1,
  options: ShapeOptions = {},
  restDeg?: number,
): RepShape {
  const points = options.points ?? 64;
  if (!Number.isInteger(points) || points < 4) throw new QualityInputError(`shape points must be an integer ≥ 4, got ${points}`);
  const level = options.activeLevel ?? 0.15;
  const rateHz = signalRateHz(signal);
  const [i0, i1] = windowIndices(signal, startS, endS);
  const { angleDeg, velocityDegS } = smoothedVelocity(signal, i0, i1, rateHz, options);
  const ph = repPhases(angleDeg, velocityDegS, { ...(direction === undefined ? {} : { direction }), ...(restDeg === undefined ? {} : { restDeg }) }, options);
  const dir = ph.direction;
  const n = angleDeg.length;
  const rom = ph.romDeg;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = rom > 0 ? (dir * (angleDeg[i]! - ph.restDeg)) / rom : 0;
  // The contiguous run above the level around the extreme: a bump in the rest before the rep or
  // the tail of a neighbouring rep inside the window is not part of this one.
  let a = ph.extremeIdx, b = ph.extremeIdx;
  while (a > 0 && !(x[a - 1]! < level)) a--;
  while (b < n - 1 && !(x[b + 1]! < level)) b++;
  // Sub-sample crossing times so the active duration is not quantised to the sample interval.
  const crossing = (i: number, j: number): number => {
    const xi = x[i]!, xj = x[j]!;
    return Number.isFinite(xi) && Number.isFinite(xj) && xj !== xi ? i + ((level - xi) / (xj - xi)) * (j - i) : i;
  };
  const fa = a > 0 ? crossing(a - 1, a) : a;
  const fb = b < n - 1 ? crossing(b + 1, b) : b;
  const curve = new Float64Array(points);
  for (let k = 0; k < points; k++) {
    const f = fa + ((fb - fa) * k) / (points - 1);
    curve[k] = interpFinite(x, f);
  }
  const t = signal.tS;
  return {
    curve,
    romDeg: rom,
    restDeg: ph.restDeg,
    direction: dir,
    activeDurationS: Math.max(0, (fb - fa) / rateHz),
    holdS: t[i0 + ph.holdEndIdx]! - t[i0 + ph.holdStartIdx]!,
  };
}

/** Linear interpolation of `x` at fractional index `f`, skipping NaN neighbours (shape only; never used for measures). */
function interpFinite(x: Float64Array, f: number): number {
  const n = x.length;
  let i = Math.max(0, Math.min(n - 1, Math.floor(f)));
  let j = Math.min(n - 1, i + 1);
  while (i > 0 && !Number.isFinite(x[i]!)) i--;
  while (j < n - 1 && !Number.isFinite(x[j]!)) j++;
  const xi = x[i]!, xj = x[j]!;
  if (!Number.isFinite(xi)) return Number.isFinite(xj) ? xj : 0;
  if (!Number.isFinite(xj) || j === i) return xi;
  const w = Math.min(1, Math.max(0, (f - i) / (j - i)));
  return xi + w * (xj - xi);
}

/**
 * Dynamic time warping distance of two equal-length curves with a Sakoe–Chiba band of
 * `bandFraction` of the length (default 0.1: a rep may lead or lag by a tenth of its duration;
 * a wider band lets a hold be warped into a ramp). Returns the RMS of the aligned differences
 * (same unit as the curves) along the optimal path.
 */
export function dtwDistance(a: Float64Array, b: Float64Array, bandFraction = 0.1): number {
  const n = a.length;
  if (b.length !== n) throw new QualityInputError(`dtwDistance: curves of different lengths (${n} vs ${b.length})`);
  if (n === 0) return 0;
  const w = Math.max(1, Math.round(bandFraction * n));
  const INF = Number.POSITIVE_INFINITY;
  // cost[i][j] and path length, row by row (two rows suffice).
  let prevC = new Float64Array(n).fill(INF), prevL = new Float64Array(n);
  let curC = new Float64Array(n), curL = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    curC.fill(INF);
    const lo = Math.max(0, i - w), hi = Math.min(n - 1, i + w);
    for (let j = lo; j <= hi; j++) {
      const d = (a[i]! - b[j]!) ** 2;
      let best = INF, len = 0;
      if (i === 0 && j === 0) {
        best = 0;
      } else {
        if (i > 0 && prevC[j]! < best) (best = prevC[j]!), (len = prevL[j]!);
        if (j > 0 && curC[j - 1]! < best) (best = curC[j - 1]!), (len = curL[j - 1]!);
        if (i > 0 && j > 0 && prevC[j - 1]! <= best) (best = prevC[j - 1]!), (len = prevL[j - 1]!);
      }
      curC[j] = best + d;
      curL[j] = len + 1;
    }
    [prevC, curC] = [curC, prevC];
    [prevL, curL] = [curL, prevL];
  }
  return Math.sqrt(prevC[n - 1]! / prevL[n - 1]!);
}
