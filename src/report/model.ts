/**
 * The data behind an analysis report: a plain, JSON-serialisable object (numbers, strings,
 * arrays — no typed arrays, no class instances), so the same model is printed by
 * `kinemetry analyze --json`, rendered to HTML by {@link renderReportHtml} and could be built
 * and rendered by an app in a browser.
 *
 * Times are seconds since the recording's start, angles degrees (names say so).
 */
import type { RomSummary } from '../kinematics/romSummary';
import type { ScoredRep, SessionSummary } from '../quality/types';

/** One sensor that went into the analysis. */
export interface ReportSensor {
  readonly name: string;
  readonly samples: number;
  /** Measured (median-interval) sample rate, Hz. */
  readonly rateHz: number;
  readonly device?: string;
}

/** Where the data came from. */
export interface ReportRecording {
  /** The recording or session as given (a path, a file name, or an app's label). */
  readonly source: string;
  readonly sensors: readonly ReportSensor[];
  /** First and last sample time of the analysed signal, s. */
  readonly startS: number;
  readonly endS: number;
}

/** The analysed 1-D movement signal, decimated for plotting (see {@link decimateMinMax}). */
export interface ReportSignal {
  /** What the angle is, e.g. 'elbow flexion' or 'dominant rotation (sensor u2)'. */
  readonly name: string;
  readonly tS: readonly number[];
  /** NaN marks a gap (the plotted line breaks there); JSON writes it as null. */
  readonly angleDeg: readonly (number | null)[];
  /** Samples of the full-rate signal this was decimated from. */
  readonly sourceSamples: number;
}

/** The therapist's template reps a session was compared with (template mode). */
export interface ReportTemplate {
  readonly source: string;
  readonly reps: readonly { readonly startS: number; readonly endS: number; readonly label: string }[];
}

/** A set's exercise as recognised (kinemetry/ml): `exercise` null when the recogniser saw only idle. */
export interface SetExercise {
  readonly set: number;
  readonly exercise: string | null;
  readonly confidence: number;
}

export interface AnalysisReport {
  readonly title: string;
  /** E.g. 'kinemetry 0.1.0'. */
  readonly generator: string;
  readonly recording: ReportRecording;
  /** Exercise label, when known (from the recording's metadata or the app). */
  readonly exercise?: string;
  readonly signal: ReportSignal;
  /** Every rep found, partial ones included, in time order. */
  readonly reps: readonly ScoredRep[];
  readonly session: SessionSummary;
  /** ROM summary of the whole signal (min, max, range, time at end range, % of normal). */
  readonly rom?: RomSummary;
  readonly template?: ReportTemplate;
  /** Each set's exercise by the learned recogniser, when no exercise was given (`set` as in session.sets). */
  readonly setExercises?: readonly SetExercise[];
  /** Human-readable remarks about the analysis itself (e.g. 'no movement found'). */
  readonly notes: readonly string[];
}

/**
 * One rep as a flat JSON row: the `kinemetry reps --json` contract (`startS`, `endS`,
 * `romDeg`, `durationS`, `holdS`, `label` with a template, `score`, `flags`) plus the
 * measures behind the report's table.
 */
export interface FlatRep {
  readonly index: number;
  readonly set: number;
  readonly startS: number;
  readonly peakS: number;
  readonly endS: number;
  readonly romDeg: number;
  readonly peakDeg: number;
  readonly durationS: number;
  readonly holdS: number;
  readonly concentricS: number;
  readonly eccentricS: number;
  readonly meanVelocityDegS: number;
  readonly peakVelocityDegS: number;
  readonly sparc: number;
  readonly logDimensionlessJerk: number;
  readonly consistency: number;
  readonly partial: boolean;
  readonly label?: string;
  readonly reasons?: readonly string[];
  readonly score: number;
  readonly flags: readonly string[];
}

export function flatRep(r: ScoredRep): FlatRep {
  const m = r.metrics;
  return {
    index: r.rep.index,
    set: r.rep.set,
    startS: r.rep.startS,
    peakS: r.rep.peakS,
    endS: r.rep.endS,
    romDeg: m.romDeg,
    peakDeg: m.peakDeg,
    durationS: m.durationS,
    holdS: m.holdS,
    concentricS: m.concentricS,
    eccentricS: m.eccentricS,
    meanVelocityDegS: m.meanVelocityDegS,
    peakVelocityDegS: m.peakVelocityDegS,
    sparc: m.sparc,
    logDimensionlessJerk: m.logDimensionlessJerk,
    consistency: m.consistency,
    partial: r.rep.partial,
    ...(r.match ? { label: r.match.label, reasons: r.match.reasons } : {}),
    score: r.score,
    flags: r.flags,
  };
}

/**
 * Decimate a signal for plotting: the samples are cut into `maxPoints / 2` buckets and each
 * keeps its minimum and maximum (in time order), so peaks — the ROM a reader looks for —
 * survive decimation. A bucket holding a gap (NaN) also emits a NaN so the line breaks.
 * Returns the input unchanged when it is already small enough.
 */
export function decimateMinMax(tS: ArrayLike<number>, angleDeg: ArrayLike<number>, maxPoints = 2000): { tS: number[]; angleDeg: number[] } {
  const n = Math.min(tS.length, angleDeg.length);
  if (n <= maxPoints || maxPoints < 4) return { tS: Array.from({ length: n }, (_, i) => tS[i]!), angleDeg: Array.from({ length: n }, (_, i) => angleDeg[i]!) };
  const buckets = Math.floor(maxPoints / 2);
  const outT: number[] = [], outA: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const i0 = Math.floor((b * n) / buckets), i1 = Math.floor(((b + 1) * n) / buckets);
    let iLo = -1, iHi = -1, gapAt = -1;
    for (let i = i0; i < i1; i++) {
      const a = angleDeg[i]!;
      if (!Number.isFinite(a)) {
        if (gapAt < 0) gapAt = i;
        continue;
      }
      if (iLo < 0 || a < angleDeg[iLo]!) iLo = i;
      if (iHi < 0 || a > angleDeg[iHi]!) iHi = i;
    }
    const keep = [iLo, iHi, gapAt].filter((i) => i >= 0).sort((x, y) => x - y);
    for (let k = 0; k < keep.length; k++) {
      if (k > 0 && keep[k] === keep[k - 1]) continue;
      const i = keep[k]!;
      outT.push(tS[i]!);
      outA.push(i === gapAt ? NaN : angleDeg[i]!);
    }
  }
  return { tS: outT, angleDeg: outA };
}
