/**
 * The detection state machine of the segmenter, for one fixed direction, over the smoothed
 * signal in "rep-up" units (y = direction × signal):
 * - rest: the rest level is a leaky minimum — it follows a falling signal at once and a
 *   rising one at most `restDriftDegS` (slow drift is absorbed, a movement is faster). A rise
 *   of `enterDeg` above it starts a candidate;
 * - out: the running extreme is the peak; dips of less than `returnFraction` of the excursion
 *   are hold wobble (the rehab norm is move, hold 5 s, return), a larger one starts the return;
 * - return: complete when the signal is still for `settleS` near the rest level, or when it
 *   rises again by `reboundFraction` of the excursion (the next rep starts without a pause).
 *   Before that, the rep may be reported early (EARLY): once the lead-compensated signal has
 *   been still near rest for `confirmS`. That only reports it: the state machine goes on to its
 *   own completion, which then reports nothing for that rep (so the counts and rest levels
 *   are those without the early report — except that an undecided direction is fixed by the
 *   first report, a set pause is measured from the earlier-placed end, and a rep reported early
 *   that the state machine later drops (a return overshooting past rest) stays reported).
 *   A return that overshoots the rest level by more than the excursion was no rep (the rest
 *   level shifted and a movement the other way followed).
 * - rest-level repairs: a dip well below rest that comes back within `dipMaxS` leaves the rest
 *   level where it was; a stay in "out" that is still for longer than `maxHoldS` makes that
 *   level the new rest (no rep).
 * Excursions below `minRomDeg` are dropped (noise, fidget).
 *
 * It only finds landmarks (sample numbers and levels); the segmenter turns them into a Rep.
 */
import type { RepLandmarks } from './boundaries';
import type { RepEndCause } from './rep';
import type { RepSegmenterParams } from './segmenterParams';

export const REST = 0;
export const OUT = 1;
export const RETURN = 2;

/** What `step` reports. */
export const NOTHING = 0;
/** A rep is complete: its landmarks are in `done`. */
export const COMPLETE = 1;
/** The rep in progress has come back to rest (lead signal): its landmarks so far are in `done`; the state is unchanged. */
export const EARLY = 2;

export class RepCore {
  phase = REST;
  /** Rest level while at rest. */
  rest = 0;
  /** Rest level before the rep in progress, its extreme, and where the extreme is. */
  repRest = 0;
  peak = 0;
  peakIdx = 0;
  returnIdx = 0;
  min = 0;
  minIdx = 0;
  private anchor = 0;
  private anchorTS = 0;
  /** Return: start of the current still stretch of the lead-compensated signal. */
  private leadAnchor = 0;
  private leadAnchorTS = 0;
  /** Return: fastest speed of the smoothed signal back towards rest so far, deg/s; the previous y. */
  private returnPeakDegS = 0;
  private prevY = 0;
  /** Return: the rep in progress was already reported (EARLY); its completion reports nothing. */
  reported = false;
  /** Start of the lead signal's still stretch when EARLY was returned, s. */
  doneStillFromS = 0;
  /** How the rep in `done` ended. */
  doneCause: RepEndCause = 'settle';
  /** Start of the excursion in progress (time of the sample that started it), s. */
  onsetTS = 0;
  /** Sample number of the previous rep's end (the onset search stops there). */
  prevEndIdx = 0;
  /** Rest: the signal dropped well below the rest level at `dipTS`; `dipRest` is the level before. */
  private inDip = false;
  private dipRest = 0;
  private dipTS = 0;
  private preDipRest = 0;
  private preDipTS = 0;
  /** Out: start of the current still stretch (for the longest hold), s. */
  private outAnchor = 0;
  private outAnchorTS = 0;
  /** A gap fell inside the rep in progress. */
  gapInRep = false;
  /** When the rep just completed started its excursion (detector time), s. */
  doneOnsetTS = 0;
  /** Whether a gap fell inside the rep just completed. */
  doneGap = false;
  /** Landmarks of the rep just completed (valid after `step` returned COMPLETE). */
  readonly done: RepLandmarks = { searchFrom: 0, restBefore: 0, peakIdx: 0, peak: 0, returnIdx: 0, minIdx: 0, restAfter: 0 };

  constructor(
    readonly dir: 1 | -1,
    private readonly p: RepSegmenterParams,
  ) {}

  /** Start at rest at level y (first sample, or after a reset). */
  init(y: number): void {
    this.phase = REST;
    this.rest = y;
    this.preDipRest = y;
    this.preDipTS = -Infinity;
    this.prevEndIdx = 0;
    this.gapInRep = false;
    this.inDip = false;
    this.reported = false;
  }

  markGap(): void {
    if (this.phase !== REST) this.gapInRep = true;
  }

  /**
   * One smoothed sample y (rep-up units), its lead-compensated twin `lead` (same units, no
   * low-frequency lag; see segmenter.ts), sample number n, time tS, step dtS.
   */
  step(y: number, lead: number, n: number, tS: number, dtS: number, oldest: number): number {
    const p = this.p;
    if (this.phase === REST) {
      const leak = p.restDriftDegS * dtS;
      if (!this.inDip) {
        // The rest level as it was before any descent below it (the leaky minimum follows a dip down).
        if (y >= this.rest - 0.5 * p.enterDeg) {
          this.preDipRest = this.rest;
          this.preDipTS = tS;
        } else if (y < this.preDipRest - p.minRomDeg) this.startDip(this.preDipRest, this.preDipTS);
      }
      if (y <= this.rest + leak) this.rest = y;
      else this.rest += leak;
      if (this.inDip) {
        // A brief dip below rest (a bump, an arm swinging past) is not a new rest level: when the
        // signal is back within dipMaxS, so is the rest level. A longer stay is a new rest.
        if (tS - this.dipTS > p.dipMaxS) this.inDip = false;
        else if (y >= this.dipRest - 0.5 * p.enterDeg) {
          this.inDip = false;
          this.rest = Math.min(this.dipRest, y);
        } else return NOTHING;
      }
      if (y - this.rest >= p.enterDeg) this.startOut(this.rest, y, n, tS);
      return NOTHING;
    }
    if (this.phase === OUT) {
      if (y > this.peak) {
        this.peak = y;
        this.peakIdx = n;
      }
      const exc = this.peak - this.repRest;
      if (exc < p.minRomDeg) {
        // Too small to be a rep so far; back near rest → it was noise.
        if (y <= this.repRest + 0.5 * p.enterDeg) this.toRest(y);
      } else if (y <= this.peak - p.returnFraction * exc) {
        this.phase = RETURN;
        this.returnIdx = n;
        this.min = y;
        this.minIdx = n;
        this.anchor = y;
        this.anchorTS = tS;
        this.leadAnchor = lead;
        this.leadAnchorTS = tS;
        this.returnPeakDegS = 0;
        this.prevY = y;
      } else {
        // Still = within the band of where the stretch began, plus what slow drift may add.
        const band = Math.max(p.stillBandMinDeg, p.stillBandFraction * exc) + p.restDriftDegS * (tS - this.outAnchorTS);
        if (Math.abs(y - this.outAnchor) > band) {
          this.outAnchor = y;
          this.outAnchorTS = tS;
        }
        // Still for longer than any hold, or never came back: a new resting pose (the rest level
        // was off, the sensor moved, the position changed), not a rep.
        if (tS - this.outAnchorTS > p.maxHoldS || tS - this.onsetTS > p.maxRepS) this.toRest(y);
      }
      return NOTHING;
    }
    // RETURN
    if (y < this.min) {
      this.min = y;
      this.minIdx = n;
    }
    const exc = this.peak - this.repRest;
    if (y < this.repRest - exc) {
      // Went far past the old rest: the excursion was a shift of the rest level, not a rep.
      this.toRest(y);
      return NOTHING;
    }
    if (y - this.min >= Math.max(p.enterDeg, p.reboundFraction * exc)) {
      // Rising again before settling: this rep ended at its lowest point, the next has begun.
      const done = this.finishRep(oldest, 'rebound');
      this.startOut(this.min, y, n, tS);
      return done;
    }
    if (dtS > 0) this.returnPeakDegS = Math.max(this.returnPeakDegS, (this.prevY - y) / dtS);
    this.prevY = y;
    // Decided here, reported after this sample's own state update (which it must not skip).
    const early = !this.reported && this.stillAtRest(lead, tS, exc);
    const band = Math.max(p.stillBandMinDeg, p.stillBandFraction * exc);
    if (Math.abs(y - this.anchor) > band) {
      this.anchor = y;
      this.anchorTS = tS;
      return early ? this.reportEarly(oldest) : NOTHING;
    }
    const stillS = tS - this.anchorTS;
    const low = y - this.repRest <= p.settleFraction * exc;
    // Still near the old rest level, or still for long at a new one (the rest pose shifted).
    if ((stillS >= p.settleS && low) || stillS >= 6 * p.settleS) {
      const done = this.finishRep(oldest, stillS >= p.settleS && low ? 'settle' : 'newRest');
      this.toRest(this.min);
      // Came back below the rest before the rep: possibly a brief dip (see REST).
      if (this.min < this.repRest - p.minRomDeg) this.startDip(this.repRest, tS);
      return done;
    }
    return early ? this.reportEarly(oldest) : NOTHING;
  }

  /** The rep in progress has stopped at rest: its landmarks so far into `done`, the state unchanged. */
  private reportEarly(oldest: number): number {
    const prevEnd = this.prevEndIdx;
    this.complete(oldest);
    this.prevEndIdx = prevEnd; // the state machine's own completion sets it
    this.reported = true;
    this.doneCause = 'rest';
    this.doneStillFromS = this.leadAnchorTS;
    return EARLY;
  }

  /**
   * Early end (live feedback): the lead-compensated signal is near the rest level before the rep
   * and has stayed within a band of one level for `confirmS` — the movement has stopped; the
   * smoothed signal would confirm it ~2τ + settleS later.
   */
  private stillAtRest(lead: number, tS: number, exc: number): boolean {
    const p = this.p;
    const band = Math.max(p.confirmBandMinDeg, p.confirmBandFraction * exc);
    if (Math.abs(lead - this.leadAnchor) > band) {
      this.leadAnchor = lead;
      this.leadAnchorTS = tS;
      return false;
    }
    // Still = slower than confirmSpeedFraction of the return's peak speed: a slow, small return
    // creeps through the band, so it is watched for longer than confirmS.
    const stillS = Math.max(p.confirmS, band / (p.confirmSpeedFraction * this.returnPeakDegS));
    return tS - this.leadAnchorTS >= stillS && Math.abs(lead - this.repRest) <= p.settleFraction * exc;
  }

  /** The state machine's own completion: landmarks into `done`; COMPLETE unless already reported early. */
  private finishRep(oldest: number, cause: RepEndCause): number {
    this.complete(oldest);
    if (this.reported) {
      this.reported = false;
      return NOTHING;
    }
    this.doneCause = cause;
    return COMPLETE;
  }

  /** Fill `done` with the landmarks of the rep in progress (return phase). */
  complete(oldest: number): void {
    const d = this.done;
    d.searchFrom = Math.max(this.prevEndIdx, oldest);
    d.restBefore = this.repRest;
    d.peakIdx = this.peakIdx;
    d.peak = this.peak;
    d.returnIdx = this.returnIdx;
    d.minIdx = this.minIdx;
    d.restAfter = this.min;
    this.doneGap = this.gapInRep;
    this.doneOnsetTS = this.onsetTS;
    this.prevEndIdx = this.minIdx;
  }

  private startDip(level: number, tS: number): void {
    this.inDip = true;
    this.dipRest = level;
    this.dipTS = tS;
  }

  startOut(restLevel: number, y: number, n: number, tS: number): void {
    this.phase = OUT;
    this.outAnchor = y;
    this.outAnchorTS = tS;
    this.repRest = restLevel;
    this.peak = y;
    this.peakIdx = n;
    this.onsetTS = tS;
    this.gapInRep = false;
    this.reported = false;
  }

  toRest(level: number): void {
    this.phase = REST;
    this.rest = level;
    this.inDip = false;
    this.preDipRest = level;
    this.preDipTS = -Infinity;
  }
}
