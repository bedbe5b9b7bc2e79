/**
 * Parameters of the repetition segmenter ({@link RepSegmenter}, {@link countRepsOffline}).
 * Every field has a unit in its name or doc and a documented default; one configuration is
 * meant to work for every exercise (the thresholds that matter are relative to the ROM of
 * the rep itself or of its neighbours, the absolute ones only reject sensor noise).
 */

export interface RepSegmenterParams {
  /**
   * Which way a rep moves from rest: +1 up, −1 down, 0 = automatic: an upward and a downward
   * detector run until one completes a rep (one not nested inside a larger excursion of the
   * other), whose direction is kept. Default 0.
   */
  direction: 1 | -1 | 0;
  /**
   * Cut-off of the smoothing low-pass (two cascaded critically damped 1st-order stages), Hz.
   * Its group delay (2/(2π·f) s) is subtracted from the streaming boundaries. Default 1.5.
   */
  smoothingHz: number;
  /** Rise above the rest level that starts a candidate rep, deg. Default 2. */
  enterDeg: number;
  /** Smallest excursion that is reported at all (smaller ones are noise / fidget), deg. Default 3. */
  minRomDeg: number;
  /**
   * The return counts as begun once the signal has come back this fraction of the rep's
   * excursion (dips smaller than this during a hold are hold wobble). Default 0.5.
   */
  returnFraction: number;
  /**
   * Back at rest: still for {@link settleS} within this fraction of the excursion above the
   * rest level before the rep. Default 0.35 (tolerates a rest level that drifted).
   */
  settleFraction: number;
  /**
   * Still time of the smoothed signal that confirms the end of the return, s — the slow path,
   * for returns that {@link confirmS} did not end early (and the one that decides the state). Default 0.3.
   */
  settleS: number;
  /**
   * Early rep event (live feedback): the lead-compensated signal (the smoothing's lag removed, see
   * segmenter.ts) is back within `settleFraction` of rest and has stayed within
   * max(confirmBandMinDeg, confirmBandFraction × excursion) of one level this long, s. Only the
   * event comes early: detection, counts and sets are the slow path's. Default 0.08.
   */
  confirmS: number;
  /** See {@link confirmS}. Default 0.01 (the boundary band: a looser one calls the stop while the last degrees are still moving). */
  confirmBandFraction: number;
  /** See {@link confirmS}: the band's floor (noise of the lead signal), deg. Default 0.4. */
  confirmBandMinDeg: number;
  /**
   * See {@link confirmS}: the stay in the band lasts at least band / (this × the return's peak
   * speed), i.e. the signal moves slower than this fraction of its peak speed (a slow, small
   * return would otherwise look still while it is still creeping back). Default 0.15.
   */
  confirmSpeedFraction: number;
  /** "Still" band: max(stillBandMinDeg, stillBandFraction × excursion), deg. Default 0.75. */
  stillBandMinDeg: number;
  /** See {@link stillBandMinDeg}. Default 0.08. */
  stillBandFraction: number;
  /**
   * A new rise of max(enterDeg, reboundFraction × excursion) above the lowest point of the
   * return ends the rep there (the next one starts without a pause). Default 0.25.
   */
  reboundFraction: number;
  /**
   * The rest level follows a rising signal at most this fast, deg/s (slow drift is absorbed,
   * a rep is faster). It follows a falling signal immediately. Default 0.5.
   */
  restDriftDegS: number;
  /** Onset / back-at-rest boundary: within this fraction of the excursion of the rest level. Default 0.01. */
  boundaryFraction: number;
  /** Boundary threshold never below this, deg (sensor noise). Default 0.25. */
  boundaryMinDeg: number;
  /** End range: within this fraction of the excursion of the extreme (start / end of the hold). Default 0.05. */
  holdFraction: number;
  /** A hold shorter than this is reported as no hold (REP_NO_HOLD, peakS = holdEndS), s. Default 1. */
  minHoldS: number;
  /** A rep whose ROM is below this fraction of the reference ROM is partial (not counted). Default 0.6. */
  partialFraction: number;
  /**
   * The first rep of a new set is partial only below this fraction of the previous set's
   * reference ROM (a fidget during the pause; a whole set may legitimately be lower). Default 0.25.
   */
  newSetFraction: number;
  /**
   * A movement below this fraction of the reference ROM (of the current set; at the start of a set,
   * the previous set's) is a fidget, not a rep: not reported at all (see setTracker.ts); 0 reports every
   * movement of at least `minRomDeg`. Default 0.2.
   */
  fidgetFraction: number;
  /** Reference ROM = median of the last this-many reps of the same set (partials included, so a lasting change of amplitude is adopted). Default 5. */
  referenceReps: number;
  /** Rest longer than this between two reps starts a new set (and a new ROM reference), s. Default 6. */
  setPauseS: number;
  /**
   * A still stretch away from rest longer than this is a new rest pose, not a hold, s (raise it
   * for long static holds, e.g. 30 s stretches). Default 10.
   */
  maxHoldS: number;
  /** A dip below the rest level that comes back within this time leaves the rest level unchanged, s. Default 6. */
  dipMaxS: number;
  /** Longest excursion (onset → end) kept in the look-back buffer, s; longer ones are cut (REP_TRUNCATED). Default 60. */
  maxRepS: number;
  /** Highest sample rate the look-back buffer is sized for, Hz. Default 200. */
  maxRateHz: number;
  /** A gap (NaN samples or a time jump) longer than this restarts the smoothing at the next sample, s. Default 0.2. */
  maxGapS: number;
}

export const REP_SEGMENTER_DEFAULTS: Readonly<RepSegmenterParams> = Object.freeze({
  direction: 0,
  smoothingHz: 1.5,
  enterDeg: 2,
  minRomDeg: 3,
  returnFraction: 0.5,
  settleFraction: 0.35,
  settleS: 0.3,
  confirmS: 0.08,
  confirmBandFraction: 0.01,
  confirmBandMinDeg: 0.4,
  confirmSpeedFraction: 0.15,
  stillBandMinDeg: 0.75,
  stillBandFraction: 0.08,
  reboundFraction: 0.25,
  restDriftDegS: 0.5,
  boundaryFraction: 0.01,
  boundaryMinDeg: 0.25,
  holdFraction: 0.05,
  minHoldS: 1,
  partialFraction: 0.6,
  newSetFraction: 0.25,
  fidgetFraction: 0.2,
  referenceReps: 5,
  setPauseS: 6,
  maxHoldS: 10,
  dipMaxS: 6,
  maxRepS: 60,
  maxRateHz: 200,
  maxGapS: 0.2,
});

export class RepParamError extends RangeError {
  override readonly name = 'RepParamError';
  constructor(
    readonly param: string,
    readonly value: unknown,
    why: string,
  ) {
    super(`rep segmenter: ${param} = ${String(value)} ${why}`);
  }
}

const FRACTIONS = ['returnFraction', 'settleFraction', 'stillBandFraction', 'confirmBandFraction', 'confirmSpeedFraction', 'reboundFraction', 'boundaryFraction', 'holdFraction', 'partialFraction', 'newSetFraction'] as const;
const POSITIVE = ['smoothingHz', 'enterDeg', 'minRomDeg', 'settleS', 'confirmS', 'confirmBandMinDeg', 'stillBandMinDeg', 'setPauseS', 'maxHoldS', 'dipMaxS', 'maxRepS', 'maxRateHz', 'maxGapS'] as const;
const NON_NEGATIVE = ['restDriftDegS', 'boundaryMinDeg', 'minHoldS'] as const;

/** Defaults filled in and every field checked; throws {@link RepParamError}. */
export function resolveRepSegmenterParams(p: Partial<RepSegmenterParams> = {}): RepSegmenterParams {
  const r: RepSegmenterParams = { ...REP_SEGMENTER_DEFAULTS };
  for (const [k, v] of Object.entries(p)) {
    if (v === undefined) continue;
    if (!(k in REP_SEGMENTER_DEFAULTS)) throw new RepParamError(k, v, 'is not a parameter');
    (r as unknown as Record<string, unknown>)[k] = v;
  }
  if (r.direction !== 1 && r.direction !== -1 && r.direction !== 0) throw new RepParamError('direction', r.direction, 'must be 1, -1 or 0');
  for (const k of FRACTIONS) if (!(r[k] > 0 && r[k] < 1)) throw new RepParamError(k, r[k], 'must be in (0, 1)');
  if (!(r.fidgetFraction >= 0 && r.fidgetFraction < 1)) throw new RepParamError('fidgetFraction', r.fidgetFraction, 'must be in [0, 1) (0: report every movement)');
  for (const k of POSITIVE) if (!(r[k] > 0 && Number.isFinite(r[k]))) throw new RepParamError(k, r[k], 'must be positive and finite');
  for (const k of NON_NEGATIVE) if (!(r[k] >= 0 && Number.isFinite(r[k]))) throw new RepParamError(k, r[k], 'must be ≥ 0 and finite');
  if (!(Number.isInteger(r.referenceReps) && r.referenceReps >= 1 && r.referenceReps <= 50)) {
    throw new RepParamError('referenceReps', r.referenceReps, 'must be an integer in [1, 50]');
  }
  if (r.minRomDeg < r.enterDeg) throw new RepParamError('minRomDeg', r.minRomDeg, `must be ≥ enterDeg (${r.enterDeg})`);
  return r;
}
