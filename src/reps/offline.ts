/**
 * Whole-recording rep counter. Detection is the streaming segmenter's, run over the recording
 * (so streaming and offline always agree on which reps there are, which are partial and which
 * set they belong to); the look-ahead is used for the boundaries: they are placed again on a
 * zero-phase smoothed copy of the signal (same cut-off, filtered forward and backward), which
 * has no lag to compensate and keeps the true shape of onsets and returns.
 */
import { indexAtOrAfter } from '../math/search';
import { placeBoundaries, type RepLandmarks, type RepTimes, type SampleSource } from './boundaries';
import { REP_NO_HOLD, type MovementSignal, type Rep } from './rep';
import { RepSegmenter } from './segmenter';
import { resolveRepSegmenterParams, type RepSegmenterParams } from './segmenterParams';
import { percentile } from '../math/stats';

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


/** One still stretch of the smoothed signal: [i0, i1) and its mean level. */
interface IdleStretch {
  readonly i0: number;
  readonly i1: number;
  readonly level: number;
}

/**
 * The direction of the reps, decided over the whole recording from where the signal rests:
 * +1 when the rest level is at the low end of the movement around it, −1 at the high end,
 * 0 when the recording does not say (no long idle period, or idle at mid-range).
 *
 * Idle periods: the start of the recording when it is still for `settleS`·3 or more, and every
 * still stretch (within max(2·enterDeg, 10 % of the recording's 5–95 % range)) lasting longer
 * than `maxHoldS` — longer than any hold at end range, i.e. a pause between sets or before
 * the first rep. Each votes with its duration × (0.5 − its position in the 5–95 % range of the
 * signal within 30 s around it). The vote counts when it is at least 20 % of the idle time.
 * Why: the rest pose is where a patient waits; the first excursion (the streaming rule) can
 * be the wrong way when the recording starts mid-range or the subject settles first.
 */
export function restSideDirection(tS: ArrayLike<number>, smooth: ArrayLike<number>, params: Partial<RepSegmenterParams> = {}): 1 | -1 | 0 {
  const p = resolveRepSegmenterParams(params);
  const n = smooth.length;
  if (n < 3) return 0;
  const finite: number[] = [];
  for (let i = 0; i < n; i++) if (Number.isFinite(smooth[i]!)) finite.push(smooth[i]!);
  if (finite.length < 3) return 0;
  const range = percentile(finite, 95) - percentile(finite, 5);
  if (!(range >= p.minRomDeg)) return 0;
  const band = Math.max(2 * p.enterDeg, 0.1 * range);
  const stretches: IdleStretch[] = [];
  let i = 0;
  while (i < n) {
    if (!Number.isFinite(smooth[i]!)) {
      i++;
      continue;
    }
    let lo = smooth[i]!, hi = lo, sum = 0, j = i;
    while (j < n && Number.isFinite(smooth[j]!)) {
      const v = smooth[j]!;
      const nlo = Math.min(lo, v), nhi = Math.max(hi, v);
      if (nhi - nlo > band) break;
      lo = nlo;
      hi = nhi;
      sum += v;
      j++;
    }
    const durS = tS[j - 1]! - tS[i]!;
    const isStart = stretches.length === 0 && i === 0;
    if (durS > p.maxHoldS || (isStart && durS >= 3 * p.settleS)) {
      stretches.push({ i0: i, i1: j, level: sum / (j - i) });
      i = j;
    } else {
      i += Math.max(1, (j - i) >> 1);
    }
  }
  let vote = 0, idleS = 0;
  const around: number[] = [];
  for (const s of stretches) {
    around.length = 0;
    const a = tS[s.i0]! - 30, b = tS[s.i1 - 1]! + 30;
    for (let k = s.i0 - 1; k >= 0 && tS[k]! >= a; k--) if (Number.isFinite(smooth[k]!)) around.push(smooth[k]!);
    for (let k = s.i1; k < n && tS[k]! <= b; k++) if (Number.isFinite(smooth[k]!)) around.push(smooth[k]!);
    if (around.length < 3) continue;
    const lo = percentile(around, 5), hi = percentile(around, 95);
    if (!(hi - lo >= p.minRomDeg)) continue;
    const durS = tS[s.i1 - 1]! - tS[s.i0]!;
    const pos = Math.min(1, Math.max(0, (s.level - lo) / (hi - lo)));
    vote += durS * (0.5 - pos);
    idleS += durS;
  }
  if (!(idleS > 0) || Math.abs(vote) < 0.2 * 0.5 * idleS) return 0;
  return vote > 0 ? 1 : -1;
}

/** A streaming rep as the offline counter reports it: no latency, no emission time. */
function offlineRep(rep: Rep, changes: Partial<Rep>): Rep {
  const { emittedS: _live, ...rest } = rep;
  return Object.freeze({ ...rest, ...changes, latencyS: 0 });
}

/**
 * Count and segment the reps of a whole recording. Same parameters as {@link RepSegmenter};
 * `signal.gapAfterS` marks gaps (see above);
 * the reps are those the segmenter emits (including the one `finish()` completes), with
 * boundaries placed on the zero-phase smoothed signal and `latencyS` 0.
 */
export function countRepsOffline(signal: MovementSignal, params: Partial<RepSegmenterParams> = {}): RepCountResult {
  const { tS, angleDeg } = signal;
  if (tS.length !== angleDeg.length) throw new RangeError(`countRepsOffline: ${tS.length} times but ${angleDeg.length} angles`);
  const p0 = resolveRepSegmenterParams(params);
  const smooth = smoothZeroPhase(tS, angleDeg, p0.smoothingHz, p0.maxGapS);
  // Automatic direction: offline, the whole recording says where the rest pose is.
  const direction = p0.direction === 0 ? restSideDirection(tS, smooth, p0) : p0.direction;
  const seg = new RepSegmenter({ ...params, direction });
  const p = { ...seg.params, direction: p0.direction };
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
      reps.push(offlineRep(rep, {}));
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
    reps.push(offlineRep(rep, { startS: t.startS, peakS: t.peakS, holdEndS: t.holdEndS, endS: t.endS, flags: (rep.flags & ~REP_NO_HOLD) | noHold }));
  }
  return summarizeReps(reps, p);
}
