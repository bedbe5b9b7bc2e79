/**
 * Per-rep kinematic measures ({@link RepMetrics}) from the rep's own stretch of the signal:
 * rest and extreme angle, the end-range hold and the phases around it (see `phases.ts`),
 * angular velocity from a zero-phase smoothed derivative, smoothness, consistency with the
 * session's typical rep, and compensation from an optional second signal.
 *
 * Smoothness: a rehab rep is two discrete movements (out, back) separated by a deliberate hold,
 * which is not a lack of smoothness; so SPARC and LDLJ are computed for each move on its own
 * and averaged. SPARC over [onset, hold midpoint] and [hold midpoint, end] (the still hold only
 * adds zeros, which leave the spectrum's shape unchanged); LDLJ over the moving phases only
 * (its T³ factor would count the hold). NaN when a gap falls inside the rep.
 */
import type { MovementSignal, Rep } from '../reps/rep';
import type { RepMetrics } from './types';
import { consistencyScore, repShapes, setReferences, type ConsistencyOptions, type ConsistencyReference } from './consistency';
import { repPhases } from './phases';
import { repShape } from './shape';
import { hasGap, signalRateHz, smoothedVelocity, windowIndices } from './signal';
import { logDimensionlessJerk, sparc, type SparcOptions } from './smoothness';

export interface RepMetricsOptions extends ConsistencyOptions {
  /** The session's typical rep for {@link RepMetrics.consistency}; without it consistency is NaN. */
  reference?: ConsistencyReference;
  /**
   * A second signal whose motion during the rep counts as compensation (e.g. trunk lean while
   * raising the arm, or the out-of-plane angle of the same sensor). Without it compensationDeg is NaN.
   */
  compensation?: MovementSignal;
  sparc?: SparcOptions;
}

/** Measures of one rep. Throws QualityInputError when the rep holds < 2 samples of the signal. */
export function repMetrics(
  signal: MovementSignal,
  rep: Pick<Rep, 'startS' | 'endS'> & Partial<Pick<Rep, 'direction' | 'restDeg'>>,
  options: RepMetricsOptions = {},
): RepMetrics {
  const rateHz = signalRateHz(signal);
  const [i0, i1] = windowIndices(signal, rep.startS, rep.endS);
  const { angleDeg, velocityDegS } = smoothedVelocity(signal, i0, i1, rateHz, options);
  // The segmenter's rest level when the rep carries one (see phases.ts), else the window's own.
  const hint = { ...(rep.direction === undefined ? {} : { direction: rep.direction }), ...(rep.restDeg === undefined ? {} : { restDeg: rep.restDeg }) };
  const ph = repPhases(angleDeg, velocityDegS, hint, options);
  const t = signal.tS;
  const tHoldStart = t[i0 + ph.holdStartIdx]!;
  const tHoldEnd = t[i0 + ph.holdEndIdx]!;
  const concentricS = Math.max(0, tHoldStart - rep.startS);
  const eccentricS = Math.max(0, rep.endS - tHoldEnd);

  const n = angleDeg.length;
  const speed = velocityDegS.map(Math.abs);
  let sum = 0, cnt = 0;
  for (let i = 0; i < n; i++) {
    if ((i <= ph.holdStartIdx || i >= ph.holdEndIdx) && Number.isFinite(speed[i]!)) {
      sum += speed[i]!;
      cnt++;
    }
  }
  const gap = hasGap(signal, i0, i1);
  let sparcValue = NaN, ldlj = NaN;
  if (!gap) {
    const mid = Math.round(0.5 * (ph.holdStartIdx + ph.holdEndIdx));
    const out = speed.subarray(0, mid + 1), back = speed.subarray(mid);
    sparcValue = meanFinite(sparc(out, rateHz, options.sparc), sparc(back, rateHz, options.sparc));
    ldlj = meanFinite(
      logDimensionlessJerk(speed.subarray(0, ph.holdStartIdx + 1), rateHz),
      logDimensionlessJerk(speed.subarray(ph.holdEndIdx), rateHz),
    );
  }
  let consistency = NaN;
  if (options.reference) consistency = consistencyScore(repShape(signal, rep.startS, rep.endS, ph.direction, options, rep.restDeg), options.reference, options);

  return {
    romDeg: ph.romDeg,
    peakDeg: ph.extremeDeg,
    timeToPeakS: concentricS,
    holdS: tHoldEnd - tHoldStart,
    concentricS,
    eccentricS,
    durationS: rep.endS - rep.startS,
    meanVelocityDegS: cnt > 0 ? sum / cnt : NaN,
    peakVelocityDegS: ph.peakSpeedDegS,
    sparc: sparcValue,
    logDimensionlessJerk: ldlj,
    consistency,
    compensationDeg: options.compensation ? compensationDeg(options.compensation, rep.startS, rep.endS) : NaN,
  };
}

/** Mean of the finite arguments; NaN when none is. */
function meanFinite(...v: number[]): number {
  const f = v.filter(Number.isFinite);
  return f.length ? f.reduce((a, b) => a + b, 0) / f.length : NaN;
}

/** Range (max − min) of `signal` over [startS, endS], deg; NaN when it has no finite sample there. */
export function compensationDeg(signal: MovementSignal, startS: number, endS: number): number {
  let lo = Infinity, hi = -Infinity;
  const t = signal.tS, a = signal.angleDeg;
  for (let i = 0; i < t.length; i++) {
    if (t[i]! < startS || t[i]! > endS || !Number.isFinite(a[i]!)) continue;
    if (a[i]! < lo) lo = a[i]!;
    if (a[i]! > hi) hi = a[i]!;
  }
  return hi >= lo ? hi - lo : NaN;
}

/** Measures of every rep, with consistency against the typical (full) rep of its own set (see `setReferences`). */
export function allRepMetrics(signal: MovementSignal, reps: readonly Rep[], options: Omit<RepMetricsOptions, 'reference'> = {}): RepMetrics[] {
  const refs = setReferences(repShapes(signal, reps, options), reps);
  return reps.map((r, i) => {
    const reference = refs[i];
    return repMetrics(signal, r, reference ? { ...options, reference } : options);
  });
}
