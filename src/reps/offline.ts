/**
 * Whole-recording rep counter. Detection is the streaming segmenter's, run over the recording
 * (so streaming and offline always agree on which reps there are, which are partial and which
 * set they belong to); the look-ahead is used for the boundaries: they are placed again on a
 * zero-phase smoothed copy of the signal (same cut-off, filtered forward and backward), which
 * has no lag to compensate and keeps the true shape of onsets and returns.
 */
import { placeBoundaries, type RepLandmarks, type RepTimes, type SampleSource } from './boundaries';
import { REP_NO_HOLD, type MovementSignal, type Rep } from './rep';
import { RepSegmenter } from './segmenter';
import type { RepSegmenterParams } from './segmenterParams';

export interface RepCountResult {
  /** Every rep found, partial ones included, in time order. */
  readonly reps: readonly Rep[];
  /** Full reps (partials excluded). */
  readonly count: number;
  readonly partialCount: number;
  /** Full reps per set (index = set number). */
  readonly countPerSet: readonly number[];
  /** The parameters used (defaults filled in). */
  readonly params: Readonly<RepSegmenterParams>;
}

/** Count of full (non-partial) reps. */
export function countFullReps(reps: readonly Rep[]): number {
  let n = 0;
  for (const r of reps) if (!r.partial) n++;
  return n;
}

/** Summary of a list of reps (as emitted by {@link RepSegmenter}). */
export function summarizeReps(reps: readonly Rep[], params: Readonly<RepSegmenterParams>): RepCountResult {
  const countPerSet: number[] = [];
  let count = 0;
  for (const r of reps) {
    while (countPerSet.length <= r.set) countPerSet.push(0);
    if (!r.partial) {
      count++;
      countPerSet[r.set]!++;
    }
  }
  return { reps, count, partialCount: reps.length - count, countPerSet, params };
}

/**
 * Zero-phase version of the segmenter's smoothing: the same two critically damped 1st-order
 * stages run forward, then backward, over each run of finite samples (NaN stays NaN; a time
 * jump longer than `maxGapS` ends a run).
 */
export function smoothZeroPhase(tS: ArrayLike<number>, angleDeg: ArrayLike<number>, cutoffHz: number, maxGapS: number): Float64Array {
  const n = angleDeg.length;
  const out = new Float64Array(n);
  const tau = 1 / (2 * Math.PI * cutoffHz);
  let i = 0;
  while (i < n) {
    if (!Number.isFinite(angleDeg[i]!)) {
      out[i] = NaN;
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && Number.isFinite(angleDeg[j]!) && tS[j]! - tS[j - 1]! <= maxGapS) j++;
    // Run [i, j): forward …
    let z1 = angleDeg[i]!, z2 = z1;
    out[i] = z2;
    for (let k = i + 1; k < j; k++) {
      const a = 1 - Math.exp(-(tS[k]! - tS[k - 1]!) / tau);
      z1 += a * (angleDeg[k]! - z1);
      z2 += a * (z1 - z2);
      out[k] = z2;
    }
    // … and backward (each pass lags by τ per stage; the two lags cancel).
    z1 = z2 = out[j - 1]!;
    for (let k = j - 2; k >= i; k--) {
      const a = 1 - Math.exp(-(tS[k + 1]! - tS[k]!) / tau);
      z1 += a * (out[k]! - z1);
      z2 += a * (z1 - z2);
      out[k] = z2;
    }
    i = j;
  }
  return out;
}

/** First index with tS[i] ≥ t (binary search; tS increasing). */
function indexAtOrAfter(tS: ArrayLike<number>, t: number): number {
  let lo = 0, hi = tS.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tS[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Count and segment the reps of a whole recording. Same parameters as {@link RepSegmenter};
 * `signal.gapAfterS` marks gaps (see above);
 * the reps are those the segmenter emits (including the one `finish()` completes), with
 * boundaries placed on the zero-phase smoothed signal and `latencyS` 0.
 */
export function countRepsOffline(signal: MovementSignal, params: Partial<RepSegmenterParams> = {}): RepCountResult {
  const seg = new RepSegmenter(params);
  const p = seg.params;
  const { tS, angleDeg } = signal;
  if (tS.length !== angleDeg.length) throw new RangeError(`countRepsOffline: ${tS.length} times but ${angleDeg.length} angles`);
  const found: Rep[] = [];
  // Source gaps (signal.gapAfterS) are fed as a NaN sample between the two sides, so that the
  // smoothing restarts there and a rep spanning one is flagged REP_GAP, as in streaming.
  const gaps = signal.gapAfterS ?? [];
  let g = 0;
  for (let i = 0; i < tS.length; i++) {
    while (g < gaps.length && gaps[g]! < tS[i]!) {
      if (i > 0 && gaps[g]! >= tS[i - 1]!) seg.push(0.5 * (tS[i - 1]! + tS[i]!), NaN);
      g++;
    }
    const r = seg.push(tS[i]!, angleDeg[i]!);
    if (r) found.push(r);
  }
  const last = seg.finish();
  if (last) found.push(last);
  const smooth = smoothZeroPhase(tS, angleDeg, p.smoothingHz, p.maxGapS);
  const src: SampleSource = { timeAt: (i) => tS[i]!, valueAt: (i) => smooth[i]! };
  const lm: RepLandmarks = { searchFrom: 0, restBefore: 0, peakIdx: 0, peak: 0, returnIdx: 0, minIdx: 0, restAfter: 0 };
  const times: RepTimes = { startS: 0, peakS: 0, holdEndS: 0, endS: 0, startCut: false, hasHold: false };
  const reps: Rep[] = [];
  let prevEnd = 0;
  for (let r = 0; r < found.length; r++) {
    const rep = found[r]!;
    const d = rep.direction;
    const nextStartS = r + 1 < found.length ? found[r + 1]!.startS : Infinity;
    // Landmarks on the smooth signal, within a window around the streaming boundaries.
    const i0 = Math.max(prevEnd, indexAtOrAfter(tS, rep.startS - 1));
    const i1 = Math.max(i0, Math.min(tS.length - 1, indexAtOrAfter(tS, Math.min(rep.endS + 1, nextStartS)) - 1));
    let peakIdx = -1;
    for (let i = i0; i <= i1; i++) if (Number.isFinite(smooth[i]!) && (peakIdx < 0 || d * smooth[i]! > d * smooth[peakIdx]!)) peakIdx = i;
    if (peakIdx < 0) {
      reps.push({ ...rep, latencyS: 0 });
      continue;
    }
    let restBefore = Infinity;
    for (let i = i0; i <= peakIdx; i++) if (d * smooth[i]! < restBefore) restBefore = d * smooth[i]!;
    const peak = d * smooth[peakIdx]!;
    const exc = peak - restBefore;
    let returnIdx = peakIdx;
    while (returnIdx < i1 && !(d * smooth[returnIdx]! <= peak - p.returnFraction * exc)) returnIdx++;
    let minIdx = returnIdx;
    for (let i = returnIdx; i <= i1; i++) if (d * smooth[i]! < d * smooth[minIdx]!) minIdx = i;
    Object.assign(lm, { searchFrom: i0, restBefore, peakIdx, peak, returnIdx, minIdx, restAfter: d * smooth[minIdx]! });
    const t = placeBoundaries(src, d, lm, p, times);
    prevEnd = minIdx;
    const noHold = t.hasHold ? 0 : REP_NO_HOLD;
    reps.push(
      Object.freeze({
        ...rep,
        startS: t.startS,
        peakS: t.peakS,
        holdEndS: t.holdEndS,
        endS: t.endS,
        flags: (rep.flags & ~REP_NO_HOLD) | noHold,
        latencyS: 0,
      }),
    );
  }
  return summarizeReps(reps, p);
}
