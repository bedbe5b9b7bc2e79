/**
 * Snap an approximate rep window (a therapist's button presses, a hand label) to the movement:
 * when the signal keeps going back towards rest beyond a boundary, extend the boundary to where
 * it gets there. Why: labelled windows in practice start a little after the movement onset or end
 * before the return is complete (UCI PT's template labels do both); a window cut mid-movement
 * understates the ROM and the duration of the very rep everything is compared with.
 *
 * Rule, per side: only when the signal (in the rep's direction, smoothed) is still clearly
 * descending beyond the boundary, and either the boundary sits more than `minDropFraction` of
 * the ROM above the window's low or the window never gets near the rest around it (its low is
 * more than a quarter of the range above the lowest point within `maxExtendS`), walk outwards (up to `maxExtendS`) while it keeps descending
 * and stop at the lowest point reached — so the window never climbs into a neighbouring rep or
 * a bump in the rest.
 */
import type { MovementSignal } from '../reps/rep';
import { indexAtOrAfter } from '../math/search';
import { signalRateHz, smoothedVelocity, windowIndices, type VelocityOptions } from './signal';

export interface RefineOptions extends VelocityOptions {
  /** How far a boundary may move outwards, s. Default 2; 0 leaves windows as given. */
  maxExtendS?: number;
  /** A boundary is extended when the signal falls by more than a fifth of this (fraction of the window's ROM) within 0.2 s beyond it. Default 0.1 (2 % of ROM). */
  minDropFraction?: number;
}

export function refineRepWindow(
  signal: MovementSignal,
  startS: number,
  endS: number,
  direction: 1 | -1,
  options: RefineOptions = {},
): { startS: number; endS: number } {
  const ext = options.maxExtendS ?? 2;
  if (!(ext > 0)) return { startS, endS };
  const drop = options.minDropFraction ?? 0.1;
  const rateHz = signalRateHz(signal);
  windowIndices(signal, startS, endS); // validates the window
  const t = signal.tS;
  const j0 = Math.max(0, indexAtOrAfter(t, startS - ext));
  const j1 = Math.min(t.length - 1, indexAtOrAfter(t, endS + ext + 1e-9) - 1);
  const { angleDeg } = smoothedVelocity(signal, j0, j1, rateHz, options);
  const x = (i: number): number => direction * angleDeg[i - j0]!;
  const a = indexAtOrAfter(t, startS), b = indexAtOrAfter(t, endS + 1e-9) - 1;
  let lo = Infinity, hi = -Infinity;
  for (let i = a; i <= b; i++) {
    const v = x(i);
    if (Number.isFinite(v)) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
  }
  const rom = hi - lo;
  if (!(rom > 0)) return { startS, endS };
  // A side is extended when the signal is still clearly descending outwards there (it drops by
  // more than `minDropFraction`/5 of ROM within 0.2 s beyond the boundary); then walk outwards
  // while it keeps descending (a tolerance of 1 % of ROM absorbs noise) and stop at the lowest
  // point reached.
  const tol = 0.01 * rom;
  const look = Math.max(1, Math.round(0.2 * rateHz));
  // Does the window reach rest at all? Compare its low with the lowest point around it.
  let outsideLow = lo;
  for (let i = j0; i <= j1; i++) {
    const v = x(i);
    if (Number.isFinite(v) && v < outsideLow) outsideLow = v;
  }
  const missesRest = lo - outsideLow > 0.25 * (hi - outsideLow);
  const side = (from: number, step: -1 | 1, limit: number): number => {
    const probe = step < 0 ? Math.max(limit, from - look) : Math.min(limit, from + look);
    if (!(x(from) - x(probe) > 0.2 * drop * rom)) return from;
    // Either this end sits up the slope above the window's low, or the whole window is cut short.
    if (!(x(from) - lo > drop * rom || missesRest)) return from;
    let i = from, low = x(from), lowIdx = from;
    while (step < 0 ? i - 1 >= limit : i + 1 <= limit) {
      const v = x(i + step);
      if (!Number.isFinite(v) || v > low + tol) break;
      i += step;
      if (v < low) (low = v), (lowIdx = i);
    }
    return lowIdx;
  };
  const a1 = side(a, -1, j0), b1 = side(b, 1, j1);
  // An unmoved side keeps the given time (not the sample it falls on).
  return { startS: a1 === a ? startS : t[a1]!, endS: b1 === b ? endS : t[b1]! };
}
