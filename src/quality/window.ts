/**
 * Snap an approximate rep window (a therapist's button presses, a hand label) to the movement:
 * when the signal keeps going back towards rest beyond a boundary, extend the boundary to where
 * it gets there. Why: labelled windows in practice start a little after the movement onset or end
 * before the return is complete (UCI PT's template labels do both); a window cut mid-movement
 * understates the ROM and the duration of the very rep everything is compared with.
 *
 * Rule, per side: only when the boundary sits more than `minDropFraction` of the window's ROM
 * above the window's lowest point (in the rep's direction, smoothed), walk outwards (up to
 * `maxExtendS`) while the signal keeps descending and stop at the lowest point reached — so the
 * window never climbs into a neighbouring rep or a bump in the rest.
 */
import type { MovementSignal } from '../reps/rep';
import { indexAtOrAfter, signalRateHz, smoothedVelocity, windowIndices, type VelocityOptions } from './signal';

export interface RefineOptions extends VelocityOptions {
  /** How far a boundary may move outwards, s. Default 2; 0 leaves windows as given. */
  maxExtendS?: number;
  /** Drop (fraction of the window's ROM) that counts as "still returning to rest". Default 0.1. */
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
  // Walk outwards while the smoothed signal keeps descending towards rest (a tolerance of 1 % of
  // ROM absorbs noise); only when the boundary sits clearly up the slope.
  const tol = 0.01 * rom;
  const side = (from: number, step: -1 | 1, limit: number): number => {
    if (!(x(from) - lo > drop * rom)) return from;
    let i = from, low = x(from), lowIdx = from;
    while (step < 0 ? i - 1 >= limit : i + 1 <= limit) {
      const v = x(i + step);
      if (!Number.isFinite(v) || v > low + tol) break;
      i += step;
      if (v < low) (low = v), (lowIdx = i);
    }
    return lowIdx;
  };
  return { startS: t[side(a, -1, j0)]!, endS: t[side(b, 1, j1)]! };
}
