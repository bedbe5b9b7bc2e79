/**
 * The shared vocabulary of rep quality: what is measured per rep, what a template comparison
 * says, and the session-level summary. `quality/` produces these from a {@link MovementSignal}
 * and its {@link Rep}s; the report and CLI consume them. Units are in every name.
 */
import type { Rep } from '../reps/rep';

/** Per-rep kinematic measures. */
export interface RepMetrics {
  /** Range of motion, deg (|peak − rest|). */
  readonly romDeg: number;
  /** Extreme angle reached, deg. */
  readonly peakDeg: number;
  /** Onset → end range, s. */
  readonly timeToPeakS: number;
  /** Time spent near end range, s. */
  readonly holdS: number;
  /** Outward (concentric) phase duration, s. */
  readonly concentricS: number;
  /** Return (eccentric) phase duration, s. */
  readonly eccentricS: number;
  /** Onset → back at rest, s. */
  readonly durationS: number;
  /** Mean |angular velocity| over the moving phases, deg/s. */
  readonly meanVelocityDegS: number;
  /** Peak |angular velocity|, deg/s. */
  readonly peakVelocityDegS: number;
  /** Spectral arc length of the speed profile (Balasubramanian 2015), dimensionless, ≤ 0; closer to 0 is smoother. */
  readonly sparc: number;
  /** Log dimensionless jerk, dimensionless, ≤ 0 in the usual sign convention; closer to 0 is smoother. */
  readonly logDimensionlessJerk: number;
  /** Shape/ROM/tempo consistency with the other reps of the session, 0–100. */
  readonly consistency: number;
  /** Out-of-plane or second-sensor motion during the rep, deg (NaN when not measurable). */
  readonly compensationDeg: number;
}

/** The result of comparing one rep with a therapist's template reps. */
export interface TemplateMatch {
  /** Label of the best-matching template rep (e.g. 'correct', 'too-fast', 'too-low'). */
  readonly label: string;
  /** 0–100: how close the rep is to the 'correct' template(s) (100 = indistinguishable). */
  readonly score: number;
  /** Short human-readable reasons, e.g. 'ROM 38° vs 61° in the template'. */
  readonly reasons: readonly string[];
  /** Time-warped shape distance to the best template, deg RMS after warping. */
  readonly shapeDistanceDeg: number;
  /** This rep's ROM / the nearest 'correct' template rep's ROM. */
  readonly romRatio?: number;
  /** This rep's active duration / the nearest 'correct' template rep's (< 1: faster). */
  readonly tempoRatio?: number;
}

/** One rep with its measures (and its template verdict when a template was given). */
export interface ScoredRep {
  readonly rep: Rep;
  readonly metrics: RepMetrics;
  readonly match?: TemplateMatch;
  /** 0–100 overall score: the template score when there is one, else from consistency/smoothness. */
  readonly score: number;
  /** Short machine-readable flags, e.g. 'partial', 'too-fast', 'low-rom', 'compensation', 'gap'. */
  readonly flags: readonly string[];
}

/** One set: reps separated from the next set by a long pause. */
export interface SetSummary {
  readonly set: number;
  readonly startS: number;
  readonly endS: number;
  /** Full reps counted (partials excluded). */
  readonly count: number;
  readonly partialCount: number;
  /** Rest before this set (after the previous one), s; NaN for the first set. */
  readonly restBeforeS: number;
  readonly meanRomDeg: number;
  readonly meanDurationS: number;
}

/** Session-level summary. */
export interface SessionSummary {
  readonly count: number;
  readonly partialCount: number;
  readonly sets: readonly SetSummary[];
  /** Linear trend of ROM across full reps, deg per rep (negative: shrinking, e.g. fatigue). */
  readonly romTrendDegPerRep: number;
  /** Linear trend of rep duration across full reps, s per rep. */
  readonly tempoTrendSPerRep: number;
  /** Fatigue flag: ROM fell or tempo slowed clearly over the session. */
  readonly fatigue: boolean;
  /** Against a plan (when one is given): 'ok', 'over' (far more than planned), 'under'. */
  readonly pacing?: 'ok' | 'over' | 'under';
  /** The plan judged against (when one is given): planned reps in all, and per set × sets when the plan says so. */
  readonly plan?: { readonly totalReps: number; readonly repsPerSet?: number; readonly sets?: number };
  /** Human-readable notes behind the flags. */
  readonly notes: readonly string[];
}
