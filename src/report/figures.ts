/**
 * The headline numbers of a session, computed once from the scored reps so the printed table
 * (`kinemetry analyze`) and the HTML report say the same thing.
 */
import type { ScoredRep } from '../quality/types';

export interface MeanSd {
  readonly mean: number;
  /** Sample standard deviation; NaN with fewer than two values. */
  readonly sd: number;
  readonly n: number;
}

export function meanSd(values: readonly number[]): MeanSd {
  const v = values.filter((x) => Number.isFinite(x));
  const n = v.length;
  if (n === 0) return { mean: NaN, sd: NaN, n };
  const mean = v.reduce((s, x) => s + x, 0) / n;
  const sd = n > 1 ? Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)) : NaN;
  return { mean, sd, n };
}

export interface SessionFigures {
  /** Full (counted) reps. */
  readonly count: number;
  readonly partialCount: number;
  /** Over full reps. */
  readonly romDeg: MeanSd;
  readonly durationS: MeanSd;
  readonly holdS: MeanSd;
  readonly meanVelocityDegS: MeanSd;
  readonly score: MeanSd;
  /** How many reps (partial included) carry each flag, most frequent first. */
  readonly flagCounts: readonly (readonly [string, number])[];
  /** How many reps carry each template label, when a template was used. */
  readonly labelCounts: readonly (readonly [string, number])[];
}

function counts(items: readonly string[]): [string, number][] {
  const m = new Map<string, number>();
  for (const s of items) m.set(s, (m.get(s) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

export function sessionFigures(reps: readonly ScoredRep[]): SessionFigures {
  const full = reps.filter((r) => !r.rep.partial);
  return {
    count: full.length,
    partialCount: reps.length - full.length,
    romDeg: meanSd(full.map((r) => r.metrics.romDeg)),
    durationS: meanSd(full.map((r) => r.metrics.durationS)),
    holdS: meanSd(full.map((r) => r.metrics.holdS)),
    meanVelocityDegS: meanSd(full.map((r) => r.metrics.meanVelocityDegS)),
    score: meanSd(full.map((r) => r.score)),
    flagCounts: counts(reps.flatMap((r) => r.flags)),
    labelCounts: counts(reps.flatMap((r) => (r.match ? [r.match.label] : []))),
  };
}
