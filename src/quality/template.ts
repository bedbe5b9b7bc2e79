/**
 * Template mode: a therapist records supervised reps, each labelled ('correct', 'too-fast',
 * 'too-low', or any other label); later reps are compared with them.
 *
 * Features of a rep, relative to a template rep: ROM ratio, tempo ratio (active duration: the
 * time the excursion is above 15 % of the ROM, so extra rest around a hand-labelled or segmented
 * rep does not count), and the time-warped shape distance (DTW with a band on the curves
 * normalised by their own ROM over the active part, see `shape.ts`). Combined distance, in
 * "tolerance" units:
 *
 *   d² = (ln(ROM ratio) / romTolerance)² + (ln(tempo ratio) / tempoTolerance)² + (shape / shapeTolerance)²
 *
 * Why these: the usual faults are orthogonal in them — 'too-fast' changes the duration at the
 * same ROM, 'too-low' the ROM at the same duration — and log-ratios make "half" and "double"
 * equally far. The label is that of the nearest template rep (one or several per label work
 * alike). The score is 100·exp(−d²/4) against the nearest 'correct' template rep (d = 1, i.e.
 * ROM off by the tolerance: 78; d = 2: 37).
 */
import type { MovementSignal, Rep } from '../reps/rep';
import type { TemplateMatch } from './types';
import { QualityInputError, requireInRange } from './errors';
import { dtwDistance, repShape, type RepShape, type ShapeOptions } from './shape';
import { refineRepWindow, type RefineOptions } from './window';

/** One supervised rep: a time window of the template recording and its label. */
export interface LabelledRep {
  readonly startS: number;
  readonly endS: number;
  readonly label: string;
}

export interface TemplateRep extends RepShape {
  readonly label: string;
  readonly startS: number;
  readonly endS: number;
}

export interface TemplateOptions extends ShapeOptions {
  /** Snap each labelled window to its movement (see `window.ts`); `{ maxExtendS: 0 }` keeps windows as given. Default: on, 2 s. */
  refine?: RefineOptions;
  /** The label that means "done right"; the score is against these reps. Default 'correct'. */
  correctLabel?: string;
  /** ROM tolerance as a log-ratio (ln 1.25 ≈ 0.22: 25 % more or less is one unit). Default 0.22. */
  romTolerance?: number;
  /** Tempo tolerance as a log-ratio. Default 0.22. */
  tempoTolerance?: number;
  /** Shape tolerance, DTW RMS as a fraction of ROM. Default 0.1. */
  shapeTolerance?: number;
  /** DTW band, fraction of the curve length. Default 0.1. */
  dtwBandFraction?: number;
}

export interface RepTemplate {
  /** Name of the signal the template was recorded on; reps must come from the same kind of signal. */
  readonly signalName: string;
  /** Movement direction shared by the template reps (majority). */
  readonly direction: 1 | -1;
  readonly reps: readonly TemplateRep[];
  /** Distinct labels, in first-seen order. */
  readonly labels: readonly string[];
  readonly correctLabel: string;
  readonly options: Readonly<TemplateOptions>;
}

/** Build a template from labelled reps of `signal`. Throws QualityInputError on empty or unlabelled input. */
export function buildTemplate(signal: MovementSignal, labelledReps: readonly LabelledRep[], options: TemplateOptions = {}): RepTemplate {
  if (!Array.isArray(labelledReps) || labelledReps.length === 0) {
    throw new QualityInputError(`template on '${signal.name}' has no reps: give at least one labelled rep (startS, endS, label)`);
  }
  const correctLabel = options.correctLabel ?? 'correct';
  labelledReps.forEach((r, i) => {
    if (typeof r.label !== 'string' || r.label.trim() === '') {
      throw new QualityInputError(`template rep ${i} (${r.startS}–${r.endS} s) has no label; label every rep (e.g. '${correctLabel}', 'too-fast', 'too-low')`);
    }
  });
  // Direction: from each rep on its own, then the majority for all (a template is one movement).
  const free = labelledReps.map((r, i) => {
    try {
      return repShape(signal, r.startS, r.endS, undefined, options);
    } catch (e) {
      if (e instanceof QualityInputError) throw new QualityInputError(`template rep ${i} ('${r.label}'): ${e.message}`);
      throw e;
    }
  });
  const up = free.filter((s) => s.direction > 0).length;
  const direction: 1 | -1 = 2 * up >= free.length ? 1 : -1;
  const reps = labelledReps.map((r, i) => {
    const w = refineRepWindow(signal, r.startS, r.endS, direction, options.refine);
    const s = repShape(signal, w.startS, w.endS, direction, options);
    if (!(s.romDeg > 0)) throw new QualityInputError(`template rep ${i} ('${r.label}', ${r.startS}–${r.endS} s) has no movement`);
    return { ...s, label: r.label.trim(), startS: w.startS, endS: w.endS };
  });
  const labels = [...new Set(reps.map((r) => r.label))];
  if (!labels.includes(correctLabel)) {
    throw new QualityInputError(`template has no '${correctLabel}' rep (labels: ${labels.map((l) => `'${l}'`).join(', ')}); the score is measured against it (set correctLabel to use another label)`);
  }
  return { signalName: signal.name, direction, reps, labels, correctLabel, options: { ...options } };
}

export interface MatchOptions {
  /** Accept a signal whose name differs from the template's. Default false: a template is tied to its signal. */
  allowOtherSignal?: boolean;
  /**
   * Which way to measure the rep's excursion. 'own' (default): the rep's own direction
   * (`rep.direction`, else the larger excursion) — an automatic signal (dominant rotation) picks
   * its axis sign per recording, so the template's sign says nothing about the session's.
   * 'template': in the template's direction, so a rep moving the wrong way has ~no ROM (for
   * calibrated joint angles, where the sign means flexion vs extension).
   */
  direction?: 'own' | 'template';
  /**
   * The session's typical full-rep ROM, deg (e.g. a high percentile of its reps' ROM). When
   * given, ROM is judged half against the template's absolute ROM and half relative to the
   * session: ln(ROM / session ROM) against ln(template rep ROM / correct template ROM). Why: the
   * absolute ROM of the same correct movement shifts between recordings (sensor placement, the
   * automatic signal's axis, the patient's day) by as much as a 'too-low' rep differs from a
   * correct one; the relative part keeps "clearly less than this session's best reps" visible.
   * Assumes most reps of the session are meant to be full; leave it out to judge each rep alone.
   */
  sessionRomDeg?: number;
  /** Weight of the session-relative part, in [0, 1]. Default 0.5. */
  sessionRomWeight?: number;
}

interface Features {
  /** The ROM term of the distance (blended with the session-relative part when one is given). */
  romLog: number;
  /** ln(ROM / template rep ROM) alone. */
  romLogAbs: number;
  tempoLog: number;
  shape: number;
  d: number;
}

function features(s: RepShape, t: TemplateRep, o: TemplateOptions, session?: { romDeg: number; weight: number; correctRomDeg: number }): Features {
  const romLogAbs = s.romDeg > 0 ? Math.log(s.romDeg / t.romDeg) : -10;
  let romLog = romLogAbs;
  if (session && s.romDeg > 0) {
    const rel = Math.log(s.romDeg / session.romDeg) - Math.log(t.romDeg / session.correctRomDeg);
    romLog = (1 - session.weight) * romLogAbs + session.weight * rel;
  }
  const tempoLog = s.activeDurationS > 0 && t.activeDurationS > 0 ? Math.log(s.activeDurationS / t.activeDurationS) : -10;
  const shape = dtwDistance(s.curve, t.curve, o.dtwBandFraction ?? 0.1);
  const d = Math.hypot(romLog / (o.romTolerance ?? 0.22), tempoLog / (o.tempoTolerance ?? 0.22), shape / (o.shapeTolerance ?? 0.1));
  return { romLog, romLogAbs, tempoLog, shape, d };
}

/** Compare one rep of `signal` with the template: label, 0–100 score, reasons. */
export function matchTemplate(
  template: RepTemplate,
  signal: MovementSignal,
  rep: Pick<Rep, 'startS' | 'endS'> & Partial<Pick<Rep, 'direction' | 'restDeg'>>,
  options: MatchOptions = {},
): TemplateMatch {
  if (!template || !Array.isArray(template.reps) || template.reps.length === 0) throw new QualityInputError('template has no reps');
  if (!options.allowOtherSignal && signal.name !== template.signalName) {
    throw new QualityInputError(
      `template was recorded on '${template.signalName}' but the reps are on '${signal.name}': a template only fits the sensor and signal it was recorded on (allowOtherSignal to override)`,
    );
  }
  const o = template.options;
  const dir = options.direction === 'template' ? template.direction : (rep.direction ?? repShape(signal, rep.startS, rep.endS, undefined, o).direction);
  const w = refineRepWindow(signal, rep.startS, rep.endS, dir, o.refine);
  const s = repShape(signal, w.startS, w.endS, dir, o, rep.restDeg);
  let best: { t: TemplateRep; f: Features } | undefined;
  let bestCorrect: { t: TemplateRep; f: Features } | undefined;
  let session: { romDeg: number; weight: number; correctRomDeg: number } | undefined;
  if (options.sessionRomDeg !== undefined) {
    if (!(options.sessionRomDeg > 0)) throw new QualityInputError(`sessionRomDeg must be > 0, got ${options.sessionRomDeg}`);
    const weight = requireInRange('sessionRomWeight', options.sessionRomWeight ?? 0.5, 0, 1);
    const correct = template.reps.filter((t) => t.label === template.correctLabel).map((t) => t.romDeg).sort((a, b) => a - b);
    session = { romDeg: options.sessionRomDeg, weight, correctRomDeg: correct[correct.length >> 1]! };
  }
  for (const t of template.reps) {
    const f = features(s, t, o, session);
    if (!best || f.d < best.f.d) best = { t, f };
    if (t.label === template.correctLabel && (!bestCorrect || f.d < bestCorrect.f.d)) bestCorrect = { t, f };
  }
  const c = bestCorrect!;
  const score = 100 * Math.exp(-(c.f.d * c.f.d) / 4);
  const reasons: string[] = [];
  const romTol = o.romTolerance ?? 0.22, tempoTol = o.tempoTolerance ?? 0.22, shapeTol = o.shapeTolerance ?? 0.1;
  if (best!.t.label !== template.correctLabel) reasons.push(`closest to the '${best!.t.label}' template rep`);
  if (Math.abs(c.f.romLog) > 0.5 * romTol) {
    const inSession = session ? `; this session's full reps reach ${session.romDeg.toFixed(0)}°` : '';
    reasons.push(`ROM ${s.romDeg.toFixed(0)}° vs ${c.t.romDeg.toFixed(0)}° in the template (${c.f.romLog < 0 ? 'smaller' : 'larger'}${inSession})`);
  }
  if (Math.abs(c.f.tempoLog) > 0.5 * tempoTol) {
    reasons.push(`active time ${s.activeDurationS.toFixed(1)} s vs ${c.t.activeDurationS.toFixed(1)} s in the template (${c.f.tempoLog < 0 ? 'faster' : 'slower'})`);
  }
  if (c.f.shape > 0.5 * shapeTol) reasons.push(`shape differs from the template: ${(100 * c.f.shape).toFixed(0)} % of ROM RMS after time warping`);
  if (reasons.length === 0) reasons.push('matches the template');
  return {
    label: best!.t.label,
    score,
    reasons,
    shapeDistanceDeg: best!.f.shape * best!.t.romDeg,
    romRatio: Math.exp(c.f.romLogAbs),
    tempoRatio: Math.exp(c.f.tempoLog),
  };
}
