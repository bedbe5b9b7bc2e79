/**
 * Session-level summary of scored reps: counts per set, rest between sets, linear trends of
 * ROM and duration across the full reps (fatigue), and pacing against an optional plan.
 *
 * Fatigue: over the full reps (≥ `fatigueMinReps`), the fitted ROM change from first to last
 * rep is a loss of more than `fatigueRomFraction` (default 15 %) of the mean ROM, or the fitted
 * duration grows by more than `fatigueTempoFraction` (default 25 %) of the mean duration.
 * Pacing: full reps / planned reps > `overRatio` (default 1.5, i.e. > 150 %) → 'over' (the
 * "boom" of a boom/bust cycle); < `underRatio` (default 0.5) → 'under'; else 'ok'.
 */
import type { ScoredRep, SessionSummary, SetSummary } from './types';
import { QualityInputError } from './errors';

export type SessionPlan = { repsPerSet: number; sets: number } | { totalReps: number };

export interface SessionOptions {
  plan?: SessionPlan;
  /** Default 0.15. */
  fatigueRomFraction?: number;
  /** Default 0.25. */
  fatigueTempoFraction?: number;
  /** Fewer full reps than this never flag fatigue. Default 4. */
  fatigueMinReps?: number;
  /** Default 1.5. */
  overRatio?: number;
  /** Default 0.5. */
  underRatio?: number;
}

/** Least-squares slope of y against 0, 1, 2, … (NaN for fewer than 2 points). */
export function slopePerStep(y: readonly number[]): number {
  const n = y.length;
  if (n < 2) return NaN;
  const mx = (n - 1) / 2;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (i - mx) * (y[i]! - my);
    sxx += (i - mx) ** 2;
  }
  return sxy / sxx;
}

function plannedReps(plan: SessionPlan): number {
  const total = 'totalReps' in plan ? plan.totalReps : plan.repsPerSet * plan.sets;
  if (!(Number.isFinite(total) && total > 0)) throw new QualityInputError(`session plan must ask for > 0 reps, got ${JSON.stringify(plan)}`);
  return total;
}

const mean = (v: number[]): number => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN);

export function summariseSession(scored: readonly ScoredRep[], options: SessionOptions = {}): SessionSummary {
  const reps = [...scored].sort((a, b) => a.rep.startS - b.rep.startS);
  const bySet = new Map<number, ScoredRep[]>();
  for (const r of reps) {
    const list = bySet.get(r.rep.set) ?? [];
    list.push(r);
    bySet.set(r.rep.set, list);
  }
  const sets: SetSummary[] = [];
  let prevEnd = NaN;
  for (const set of [...bySet.keys()].sort((a, b) => a - b)) {
    const list = bySet.get(set)!;
    const full = list.filter((r) => !r.rep.partial);
    const startS = Math.min(...list.map((r) => r.rep.startS));
    const endS = Math.max(...list.map((r) => r.rep.endS));
    sets.push({
      set,
      startS,
      endS,
      count: full.length,
      partialCount: list.length - full.length,
      restBeforeS: Number.isFinite(prevEnd) ? startS - prevEnd : NaN,
      meanRomDeg: mean(full.map((r) => r.metrics.romDeg)),
      meanDurationS: mean(full.map((r) => r.metrics.durationS)),
    });
    prevEnd = endS;
  }
  const full = reps.filter((r) => !r.rep.partial);
  const roms = full.map((r) => r.metrics.romDeg);
  const durs = full.map((r) => r.metrics.durationS);
  const romTrend = slopePerStep(roms);
  const tempoTrend = slopePerStep(durs);
  const notes: string[] = [];
  let fatigue = false;
  if (full.length >= (options.fatigueMinReps ?? 4)) {
    const span = full.length - 1;
    const romChange = romTrend * span, durChange = tempoTrend * span;
    const mRom = mean(roms), mDur = mean(durs);
    if (romChange < -(options.fatigueRomFraction ?? 0.15) * mRom) {
      fatigue = true;
      notes.push(`ROM fell by ${(-romChange).toFixed(0)}° over ${full.length} reps (${((-100 * romChange) / mRom).toFixed(0)} % of the mean ${mRom.toFixed(0)}°)`);
    }
    if (durChange > (options.fatigueTempoFraction ?? 0.25) * mDur) {
      fatigue = true;
      notes.push(`reps slowed by ${durChange.toFixed(1)} s over ${full.length} reps (${((100 * durChange) / mDur).toFixed(0)} % of the mean ${mDur.toFixed(1)} s)`);
    }
  }
  let pacing: SessionSummary['pacing'];
  let plan: SessionSummary['plan'];
  if (options.plan) {
    const planned = plannedReps(options.plan);
    plan = 'totalReps' in options.plan ? { totalReps: planned } : { totalReps: planned, repsPerSet: options.plan.repsPerSet, sets: options.plan.sets };
    const ratio = full.length / planned;
    pacing = ratio > (options.overRatio ?? 1.5) ? 'over' : ratio < (options.underRatio ?? 0.5) ? 'under' : 'ok';
    if (pacing !== 'ok') notes.push(`${full.length} reps against ${planned} planned (${(100 * ratio).toFixed(0)} %): ${pacing === 'over' ? 'far more than planned — risk of a boom/bust cycle' : 'far fewer than planned'}`);
    if ('sets' in options.plan && sets.length !== options.plan.sets) notes.push(`${sets.length} set(s) against ${options.plan.sets} planned`);
  }
  const partialCount = reps.length - full.length;
  if (partialCount > 0) notes.push(`${partialCount} partial rep(s) not counted`);
  return {
    count: full.length,
    partialCount,
    sets,
    romTrendDegPerRep: romTrend,
    tempoTrendSPerRep: tempoTrend,
    fatigue,
    ...(pacing ? { pacing } : {}),
    ...(plan ? { plan } : {}),
    notes,
  };
}
