/**
 * Scores and flags for every rep of a session.
 *
 * With a template, each rep gets `matchTemplate`'s label, score and reasons; by default (≥ 5 reps)
 * its ROM is judged half against the template and half against this session's typical full ROM
 * (80th percentile of the reps' ROM), see `MatchOptions.sessionRomDeg`.
 * Score (0–100): the template score when a template is given; otherwise the rep's consistency
 * with the typical rep of its own set (`setReferences`: a steady set scores high whatever its
 * pace), scaled down by the ROM fraction for a partial rep.
 * Flags (strings, stable for the CLI/report):
 *  - 'partial', 'gap', 'truncated' — from the segmenter's rep (and a gap seen in the signal);
 *  - 'no-hold' — hold at end range shorter than `minHoldS`;
 *  - 'low-rom' — ROM below `lowRomFraction` of the reference (the nearest 'correct' template
 *    rep: `match.romRatio`; else the session's median full-rep ROM);
 *  - 'too-fast' / 'too-slow' — duration below `fastFraction` / above `slowFraction` of the
 *    reference (`match.tempoRatio`, active durations; else the median duration of the full reps
 *    of the session's first set with ≥ 3 of them — the pace the session set out at, as a
 *    therapist would instruct and watch it; later sets are judged against it, so a set that
 *    rushes is flagged, a steady one is not; the session's median when no set has 3 full reps);
 *  - 'compensation' — the compensation signal moved more than `compensationLimitDeg`;
 *  - 'inconsistent' — consistency (with the rep's own set) below `inconsistentBelow`;
 *  - the template label itself when it is not the correct one (e.g. 'too-low').
 */
import { REP_GAP, REP_NO_HOLD, REP_TRUNCATED, type MovementSignal, type Rep } from '../reps/rep';
import type { RepMetrics, ScoredRep, TemplateMatch } from './types';
import { repShapes, setReferences } from './consistency';
import { repMetrics, type RepMetricsOptions } from './metrics';
import { hasGap, windowIndices } from './signal';
import { matchTemplate, type MatchOptions, type RepTemplate } from './template';

export interface ScoreOptions extends Omit<RepMetricsOptions, 'reference'>, MatchOptions {
  template?: RepTemplate;
  /** Minimum hold at end range, s. Default 1 (rehab reps usually ask for several seconds). */
  minHoldS?: number;
  /** Default 0.8. */
  lowRomFraction?: number;
  /** Default 0.7. */
  fastFraction?: number;
  /** Default 1.5. */
  slowFraction?: number;
  /** Default 10 deg. */
  compensationLimitDeg?: number;
  /** Default 50. */
  inconsistentBelow?: number;
  /**
   * With a template: judge ROM half relative to this session's typical full ROM (see
   * `MatchOptions.sessionRomDeg`). Default: on when the session has ≥ `sessionRomMinReps` reps.
   */
  sessionRelativeRom?: boolean;
  /** Default 5. */
  sessionRomMinReps?: number;
  /** Percentile of the session's rep ROMs taken as its typical full ROM. Default 80 (the upper reps, as most are meant to be full). */
  sessionRomPercentile?: number;
}

/** p-th percentile (linear interpolation) of the finite values. */
function percentileOf(v: number[], p: number): number {
  const s = v.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const x = (p / 100) * (s.length - 1);
  const i = Math.floor(x);
  return i + 1 < s.length ? s[i]! + (x - i) * (s[i + 1]! - s[i]!) : s[i]!;
}

function median(v: number[]): number {
  const s = v.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
}

/** Lowest set number with at least `minReps` full reps (undefined when none has). */
function firstSetWith(reps: readonly Rep[], minReps: number): number | undefined {
  const n = new Map<number, number>();
  for (const r of reps) if (!r.partial) n.set(r.set, (n.get(r.set) ?? 0) + 1);
  const ok = [...n.entries()].filter(([, c]) => c >= minReps).map(([s]) => s);
  return ok.length > 0 ? Math.min(...ok) : undefined;
}

/** Measures, template verdict, score and flags of every rep. */
export function scoreReps(signal: MovementSignal, reps: readonly Rep[], options: ScoreOptions = {}): ScoredRep[] {
  const { template } = options;
  const shapes = repShapes(signal, reps, options);
  const references = setReferences(shapes, reps);
  const metrics: RepMetrics[] = reps.map((r, i) => {
    const reference = references[i];
    return repMetrics(signal, r, reference ? { ...options, reference } : options);
  });
  const useSession = options.sessionRelativeRom ?? reps.length >= (options.sessionRomMinReps ?? 5);
  const sessionRomDeg = useSession ? percentileOf(shapes.map((s) => s.romDeg), options.sessionRomPercentile ?? 80) : NaN;
  const matchOptions = sessionRomDeg > 0 ? { ...options, sessionRomDeg } : options;
  const matches: (TemplateMatch | undefined)[] = reps.map((r) => (template ? matchTemplate(template, signal, r, matchOptions) : undefined));

  // Without a template the session's own full reps are the reference (same boundary rules, so
  // plain durations compare); with one, the match's ratios to the nearest correct template rep
  // (active durations: hand-labelled template windows hold extra rest).
  const full = metrics.filter((_, i) => !reps[i]!.partial);
  const refRomDeg = median(full.map((m) => m.romDeg));
  const firstSet = firstSetWith(reps, 3);
  const refDurationS = median((firstSet === undefined ? full : metrics.filter((_, i) => !reps[i]!.partial && reps[i]!.set === firstSet)).map((m) => m.durationS));
  const minHoldS = options.minHoldS ?? 1;
  const lowRom = options.lowRomFraction ?? 0.8;
  const fast = options.fastFraction ?? 0.7;
  const slow = options.slowFraction ?? 1.5;
  const compLimit = options.compensationLimitDeg ?? 10;
  const inconsistent = options.inconsistentBelow ?? 50;

  return reps.map((rep, i) => {
    const m = metrics[i]!;
    const match = matches[i];
    const flags: string[] = [];
    const [i0, i1] = windowIndices(signal, rep.startS, rep.endS);
    if (rep.partial) flags.push('partial');
    if (rep.flags & REP_GAP || hasGap(signal, i0, i1)) flags.push('gap');
    if (rep.flags & REP_TRUNCATED) flags.push('truncated');
    if (rep.flags & REP_NO_HOLD || m.holdS < minHoldS) flags.push('no-hold');
    const romRatio = match?.romRatio ?? m.romDeg / refRomDeg;
    const tempoRatio = match?.tempoRatio ?? m.durationS / refDurationS;
    if (romRatio < lowRom) flags.push('low-rom');
    if (tempoRatio < fast) flags.push('too-fast');
    if (tempoRatio > slow) flags.push('too-slow');
    if (m.compensationDeg > compLimit) flags.push('compensation');
    if (m.consistency < inconsistent) flags.push('inconsistent');
    if (match && template && match.label !== template.correctLabel && !flags.includes(match.label)) flags.push(match.label);
    let score: number;
    if (match) score = match.score;
    else {
      // No reference to be consistent with (a single rep): full marks if it moved at all.
      score = Number.isFinite(m.consistency) ? m.consistency : m.romDeg > 0 ? 100 : 0;
      if (rep.partial && refRomDeg > 0) score *= Math.min(1, m.romDeg / refRomDeg);
    }
    return { rep, metrics: m, ...(match ? { match } : {}), score: Math.max(0, Math.min(100, score)), flags };
  });
}
