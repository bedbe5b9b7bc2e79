/**
 * Where a detected rep starts, reaches end range, leaves it and is back at rest, from the
 * samples around it. Shared by the streaming segmenter (over its look-back buffer, causal
 * smoothing) and the offline counter (over the whole recording, zero-phase smoothing), so the
 * two define boundaries the same way. Thresholds are fractions of the rep's own excursion, so
 * they mean the same for a 6° and a 120° rep; crossings are interpolated between samples.
 */
import type { RepSegmenterParams } from './segmenterParams';

/** Samples addressed by sample number (see {@link LookBack}). */
export interface SampleSource {
  timeAt(i: number): number;
  valueAt(i: number): number;
}

/** Sample numbers of the landmarks the detector found; values are in "rep-up" units (direction applied). */
export interface RepLandmarks {
  /** Lowest sample number the onset search may go back to (previous rep's end, or the buffer's oldest). */
  searchFrom: number;
  /** Level at rest before the rep. */
  restBefore: number;
  /** Sample number of the rep's extreme and its value. */
  peakIdx: number;
  peak: number;
  /** First sample after the peak that was `returnFraction` back towards rest. */
  returnIdx: number;
  /** Sample number of the lowest point of the return, and its value (rest level after). */
  minIdx: number;
  restAfter: number;
}

export interface RepTimes {
  startS: number;
  peakS: number;
  holdEndS: number;
  endS: number;
  /** The onset search hit `searchFrom` without reaching the rest level. */
  startCut: boolean;
  hasHold: boolean;
}

/** Time where the line between samples i and j crosses `level` (dir-applied values). */
function crossing(s: SampleSource, dir: number, i: number, j: number, level: number): number {
  const vi = dir * s.valueAt(i);
  const vj = dir * s.valueAt(j);
  const ti = s.timeAt(i);
  const tj = s.timeAt(j);
  // A walk stops at a missing sample (NaN compares false): the boundary is the gap's edge, the
  // nearest sample that exists, never an interpolation with NaN.
  if (!Number.isFinite(vi)) return Number.isFinite(vj) ? tj : ti;
  if (!Number.isFinite(vj)) return ti;
  if (vi === vj) return tj;
  const f = Math.min(1, Math.max(0, (level - vi) / (vj - vi)));
  return ti + f * (tj - ti);
}

export function placeBoundaries(s: SampleSource, dir: number, m: RepLandmarks, p: RepSegmenterParams, out: RepTimes): RepTimes {
  const exc = m.peak - m.restBefore;
  const edge = Math.max(p.boundaryMinDeg, p.boundaryFraction * exc);
  const hold = m.peak - p.holdFraction * exc;

  // Onset: walk back from the peak to the last sample still at rest.
  let k = m.peakIdx;
  const onLevel = m.restBefore + edge;
  while (k > m.searchFrom && dir * s.valueAt(k) > onLevel) k--;
  out.startCut = dir * s.valueAt(k) > onLevel;
  out.startS = k < m.peakIdx && !out.startCut ? crossing(s, dir, k, k + 1, onLevel) : s.timeAt(k);

  // End range reached: first sample within the hold band on the way out.
  let a = k;
  while (a < m.peakIdx && dir * s.valueAt(a) < hold) a++;
  out.peakS = a > k ? crossing(s, dir, a - 1, a, hold) : s.timeAt(a);

  // Hold ends: last sample within the hold band before the return.
  let b = m.returnIdx;
  while (b > m.peakIdx && dir * s.valueAt(b) < hold) b--;
  out.holdEndS = b < m.returnIdx ? crossing(s, dir, b, b + 1, hold) : s.timeAt(b);

  // Back at rest: first sample after the return began within the edge of the rest level after.
  const offLevel = m.restAfter + edge;
  let e = m.returnIdx;
  while (e < m.minIdx && dir * s.valueAt(e) > offLevel) e++;
  out.endS = e > m.returnIdx ? crossing(s, dir, e - 1, e, offLevel) : s.timeAt(e);

  out.hasHold = out.holdEndS - out.peakS >= p.minHoldS;
  if (!out.hasHold) out.peakS = out.holdEndS = s.timeAt(m.peakIdx);
  return out;
}

/**
 * Back at rest, for a rep reported as soon as it stopped (its smoothed look-back has not come
 * down yet): the first sample in [from, to] of `light` — a lightly smoothed copy (one low-pass
 * stage, times shifted by its delay) — within `edge` of the rest level after, interpolated; the
 * level is the mean of the raw signal since `stillFromS` (the light copy still decays towards
 * it; the lead signal that detected the stop dips past it). The crossing not reached yet: `to`.
 */
export function restEntryS(light: SampleSource, tauS: number, raw: SampleSource, dir: number, from: number, to: number, stillFromS: number, edge: number): number {
  let sum = 0;
  let n = 0;
  for (let i = to; i >= from && raw.timeAt(i) >= stillFromS; i--) {
    sum += dir * raw.valueAt(i);
    n++;
  }
  const level = n > 0 ? sum / n : dir * raw.valueAt(to);
  let e = from;
  while (e <= to && dir * light.valueAt(e) > level + edge) e++;
  if (e > to) {
    // Not there yet: the stage decays towards a still input as exp(−t/τ), so it will cross at
    // τ·ln(excess / edge) after its newest sample.
    const excess = dir * light.valueAt(to) - level;
    return light.timeAt(to) + tauS * Math.log(excess / edge);
  }
  return e > from ? crossing(light, dir, e - 1, e, level + edge) : light.timeAt(e);
}
