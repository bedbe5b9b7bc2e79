/**
 * Consistency of a rep with the other reps of its set: how far its ROM, active duration and
 * time-warped shape are from the set's typical rep (medians over the full reps and the
 * point-wise median curve; the whole session's when the set has fewer than 3 full reps). Per
 * set, not per session: a session of a slow set with holds and a quick set without is two
 * steady sets, not twenty reps that each differ from an average that none of them is. 0–100: 100·exp(−d / scale) with d = √(ln²(ROM ratio) +
 * ln²(duration ratio) + shape²), shape = DTW RMS of the normalised curves (fraction of ROM).
 * Default scale 0.3: a rep 10 % off in one respect scores ≈ 72, 30 % off ≈ 37.
 */
import type { MovementSignal, Rep } from '../reps/rep';
import { repShape, dtwDistance, type RepShape, type ShapeOptions } from './shape';

export interface ConsistencyReference {
  readonly romDeg: number;
  readonly activeDurationS: number;
  readonly curve: Float64Array;
  /** Reps the reference was made from. */
  readonly count: number;
}

export interface ConsistencyOptions extends ShapeOptions {
  /** Deviation that scores 100/e ≈ 37. Default 0.3. */
  consistencyScale?: number;
  /** DTW band, fraction of the curve length. Default 0.1. */
  dtwBandFraction?: number;
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
}

/** Typical rep of `shapes` (the full reps; all of them when every rep is partial). undefined for none. */
export function consistencyReference(shapes: readonly RepShape[], partial?: readonly boolean[]): ConsistencyReference | undefined {
  let use = shapes.filter((s, i) => !(partial?.[i] ?? false) && s.romDeg > 0);
  if (use.length === 0) use = shapes.filter((s) => s.romDeg > 0);
  if (use.length === 0) return undefined;
  const points = use[0]!.curve.length;
  const curve = new Float64Array(points);
  for (let k = 0; k < points; k++) curve[k] = median(use.map((s) => s.curve[k]!));
  return {
    romDeg: median(use.map((s) => s.romDeg)),
    activeDurationS: median(use.map((s) => s.activeDurationS)),
    curve,
    count: use.length,
  };
}

/**
 * The consistency reference of every rep: the typical full rep of its own set (`rep.set`) when
 * that set has at least `minSetReps` full reps with movement, else the whole session's.
 */
export function setReferences(shapes: readonly RepShape[], reps: readonly Pick<Rep, 'set' | 'partial'>[], minSetReps = 3): (ConsistencyReference | undefined)[] {
  const session = consistencyReference(shapes, reps.map((r) => r.partial));
  const bySet = new Map<number, ConsistencyReference | undefined>();
  for (const set of new Set(reps.map((r) => r.set))) {
    const idx = reps.map((r, i) => (r.set === set ? i : -1)).filter((i) => i >= 0);
    const full = idx.filter((i) => !reps[i]!.partial && shapes[i]!.romDeg > 0);
    bySet.set(set, full.length >= minSetReps ? consistencyReference(full.map((i) => shapes[i]!)) : session);
  }
  return reps.map((r) => bySet.get(r.set));
}

/** Shapes of every rep (each in its own direction). */
export function repShapes(signal: MovementSignal, reps: readonly Rep[], options: ShapeOptions = {}): RepShape[] {
  return reps.map((r) => repShape(signal, r.startS, r.endS, r.direction, options, r.restDeg));
}

/** 0–100 consistency of `shape` with `ref` (NaN without a reference or ROM). */
export function consistencyScore(shape: RepShape, ref: ConsistencyReference | undefined, options: ConsistencyOptions = {}): number {
  if (!ref || !(shape.romDeg > 0) || !(ref.romDeg > 0)) return NaN;
  const scale = options.consistencyScale ?? 0.3;
  const dRom = Math.log(shape.romDeg / ref.romDeg);
  const dDur = shape.activeDurationS > 0 && ref.activeDurationS > 0 ? Math.log(shape.activeDurationS / ref.activeDurationS) : 1;
  const dShape = dtwDistance(shape.curve, ref.curve, options.dtwBandFraction ?? 0.1);
  return 100 * Math.exp(-Math.hypot(dRom, dDur, dShape) / scale);
}
