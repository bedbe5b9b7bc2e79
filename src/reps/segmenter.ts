/**
 * Streaming repetition segmenter over any 1-D movement signal (deg): push samples, get each
 * {@link Rep} as soon as it is complete.
 *
 * A rep is an excursion from a rest level and back, detected by a small state machine on the
 * smoothed signal (in "rep-up" units, direction applied):
 * - rest: the rest level is a leaky minimum — it follows a falling signal at once and a
 *   rising one at most `restDriftDegS` (slow drift is absorbed, a movement is faster). A rise
 *   of `enterDeg` above it starts a candidate;
 * - out: the running extreme is the peak; dips of less than `returnFraction` of the excursion
 *   are hold wobble (the rehab norm is move, hold 5 s, return), a larger one starts the return;
 * - return: complete when the signal is still for `settleS` near the rest level, or when it
 *   rises again by `reboundFraction` of the excursion (the next rep starts without a pause).
 * Excursions below `minRomDeg` are dropped (noise, fidget). Boundaries are placed afterwards
 * from a look-back buffer ({@link placeBoundaries}); the smoothing's group delay is subtracted,
 * so boundary times are not late by it — the detection latency (`latencyS`) still includes it.
 * NaN samples or time jumps are gaps: the smoothing restarts after them and a rep that spans one
 * carries REP_GAP.
 *
 * Allocation-free per sample: the state is a fixed set of numbers and preallocated arrays; only
 * an emitted {@link Rep} allocates.
 */
import { placeBoundaries, type RepLandmarks, type RepTimes } from './boundaries';
import { LookBack } from './lookBack';
import { REP_GAP, REP_NO_HOLD, REP_PARTIAL, REP_TRUNCATED, type Rep } from './rep';
import { resolveRepSegmenterParams, type RepSegmenterParams } from './segmenterParams';
import { SetTracker } from './setTracker';

export type RepPhase = 'rest' | 'out' | 'return';

/** A snapshot of the segmenter's state, for display and tests. */
export interface RepSegmenterState {
  readonly phase: RepPhase;
  /** +1 / −1, or 0 while still undecided (auto direction, no excursion yet). */
  readonly direction: 1 | -1 | 0;
  /** Smoothed signal at the last sample, deg (NaN before the first). */
  readonly smoothedDeg: number;
  /** Current rest level, deg (signal units). */
  readonly restDeg: number;
  /** Extreme of the rep in progress, deg (NaN at rest). */
  readonly peakDeg: number;
  /** Reps emitted so far (partials included) and counted ones (partials excluded). */
  readonly repCount: number;
  readonly countedReps: number;
  readonly set: number;
  /** Reference ROM of the current set (median of its last reps), deg; NaN before the first rep. */
  readonly referenceRomDeg: number;
  /** Time of the last finite sample, s. */
  readonly lastTimeS: number;
}

const REST = 0;
const OUT = 1;
const RETURN = 2;
const PHASES: readonly RepPhase[] = ['rest', 'out', 'return'];

export class RepSegmenter {
  readonly params: Readonly<RepSegmenterParams>;
  /** Group delay of the smoothing at low frequencies, s (subtracted from boundary times). */
  readonly smoothingDelayS: number;
  private readonly buf: LookBack;
  private readonly sets: SetTracker;
  private readonly tauS: number;
  private readonly lm: RepLandmarks = { searchFrom: 0, restBefore: 0, peakIdx: 0, peak: 0, returnIdx: 0, minIdx: 0, restAfter: 0 };
  private readonly times: RepTimes = { startS: 0, peakS: 0, holdEndS: 0, endS: 0, startCut: false, hasHold: false };

  // Smoothing.
  private z1 = 0;
  private z2 = 0;
  private lastTS = NaN;
  private restart = true;
  // Detection state (values in rep-up units: dir × signal).
  private dir: 1 | -1 | 0;
  private phase = REST;
  private rest = 0;
  /** Auto direction: leaky min and max of the raw-direction signal. */
  private lo = 0;
  private hi = 0;
  private repRest = 0;
  private peak = 0;
  private peakIdx = 0;
  private returnIdx = 0;
  private min = 0;
  private minIdx = 0;
  private anchor = 0;
  private anchorTS = 0;
  private onsetTS = 0;
  private gapInRep = false;
  private prevEndIdx = 0;
  private repCount = 0;
  private counted = 0;

  constructor(params: Partial<RepSegmenterParams> = {}) {
    this.params = Object.freeze(resolveRepSegmenterParams(params));
    this.tauS = 1 / (2 * Math.PI * this.params.smoothingHz);
    this.smoothingDelayS = 2 * this.tauS;
    this.buf = new LookBack(this.params.maxRepS * this.params.maxRateHz + 2);
    this.sets = new SetTracker(this.params);
    this.dir = this.params.direction;
  }

  /** Back to the initial state (parameters kept). */
  reset(): void {
    this.buf.clear();
    this.sets.reset();
    this.lastTS = NaN;
    this.restart = true;
    this.dir = this.params.direction;
    this.phase = REST;
    this.gapInRep = false;
    this.prevEndIdx = 0;
    this.repCount = 0;
    this.counted = 0;
  }

  get state(): RepSegmenterState {
    const d = this.dir === 0 ? 1 : this.dir;
    return {
      phase: PHASES[this.phase]!,
      direction: this.dir,
      smoothedDeg: Number.isFinite(this.lastTS) ? this.z2 : NaN,
      restDeg: this.dir === 0 ? this.lo : d * (this.phase === REST ? this.rest : this.repRest),
      peakDeg: this.phase === REST ? NaN : d * this.peak,
      repCount: this.repCount,
      countedReps: this.counted,
      set: this.sets.set,
      referenceRomDeg: this.sets.referenceRomDeg,
      lastTimeS: this.lastTS,
    };
  }

  /**
   * One sample: time (s, increasing) and angle (deg; NaN = missing). Returns the rep completed
   * by this sample, if any.
   */
  push(tS: number, angleDeg: number): Rep | undefined {
    if (!Number.isFinite(tS) || !(tS > this.lastTS || Number.isNaN(this.lastTS))) return undefined;
    if (!Number.isFinite(angleDeg)) {
      // A gap: nothing to smooth over; the next finite sample restarts the smoothing.
      this.restart = true;
      if (this.phase !== REST) this.gapInRep = true;
      return undefined;
    }
    const p = this.params;
    const dtS = tS - this.lastTS;
    if (this.restart || !(dtS <= p.maxGapS)) {
      if (!this.restart && this.phase !== REST) this.gapInRep = true;
      this.z1 = this.z2 = angleDeg;
    } else {
      const a = 1 - Math.exp(-dtS / this.tauS);
      this.z1 += a * (angleDeg - this.z1);
      this.z2 += a * (this.z1 - this.z2);
    }
    const first = this.restart && Number.isNaN(this.lastTS);
    this.restart = false;
    this.lastTS = tS;
    const x = this.z2;
    const n = this.buf.count;
    this.buf.push(tS - this.smoothingDelayS, x);
    if (first) {
      this.lo = this.hi = x;
      this.rest = this.dir * x;
      return undefined;
    }
    if (this.dir === 0) {
      this.decideDirection(x, n, dtS);
      return undefined;
    }
    return this.step(this.dir * x, n, tS, dtS);
  }

  /** A block of samples; returns the reps completed in it (a shared empty array when none). */
  pushBlock(tS: ArrayLike<number>, angleDeg: ArrayLike<number>): readonly Rep[] {
    if (tS.length !== angleDeg.length) throw new RangeError(`pushBlock: ${tS.length} times but ${angleDeg.length} angles`);
    let out: Rep[] | undefined;
    for (let i = 0; i < tS.length; i++) {
      const r = this.push(tS[i]!, angleDeg[i]!);
      if (r) (out ??= []).push(r);
    }
    return out ?? NO_REPS;
  }

  /**
   * End of the recording: a rep still returning is completed (REP_TRUNCATED when it had not
   * settled back near rest); one still out or holding is reported truncated and partial (not
   * counted). Then the segmenter is at rest.
   */
  finish(): Rep | undefined {
    const n = this.buf.count - 1;
    if (n < 0 || this.dir === 0) return undefined;
    const p = this.params;
    const exc = this.peak - this.repRest;
    let rep: Rep | undefined;
    if (this.phase === RETURN) {
      const y = this.dir * this.buf.valueAt(n);
      const settled = y - this.repRest <= p.settleFraction * exc;
      rep = this.emit(this.lastTS, settled ? 0 : REP_TRUNCATED, false);
    } else if (this.phase === OUT && exc >= p.minRomDeg) {
      this.returnIdx = this.minIdx = n;
      this.min = this.dir * this.buf.valueAt(n);
      rep = this.emit(this.lastTS, REP_TRUNCATED, true);
    }
    this.toRest(this.dir * this.buf.valueAt(n));
    return rep;
  }

  private decideDirection(x: number, n: number, dtS: number): void {
    const leak = this.params.restDriftDegS * dtS;
    if (x <= this.lo + leak) {
      this.lo = x;
    } else this.lo += leak;
    if (x >= this.hi - leak) {
      this.hi = x;
    } else this.hi -= leak;
    const e = this.params.enterDeg;
    if (x - this.lo >= e) {
      this.dir = 1;
      this.startOut(this.lo, x, n);
    } else if (this.hi - x >= e) {
      this.dir = -1;
      this.startOut(-this.hi, -x, n);
    }
  }

  private startOut(restLevel: number, y: number, n: number): void {
    this.phase = OUT;
    this.repRest = restLevel;
    this.peak = y;
    this.peakIdx = n;
    this.onsetTS = this.lastTS;
    this.gapInRep = false;
  }

  private toRest(level: number): void {
    this.phase = REST;
    this.rest = level;
  }

  private step(y: number, n: number, tS: number, dtS: number): Rep | undefined {
    const p = this.params;
    if (this.phase === REST) {
      const leak = p.restDriftDegS * dtS;
      if (y <= this.rest + leak) {
        this.rest = y;
      } else this.rest += leak;
      if (y - this.rest >= p.enterDeg) this.startOut(this.rest, y, n);
      return undefined;
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
      } else if (tS - this.onsetTS > p.maxRepS) {
        // Never came back: a new resting pose (sensor moved, position changed), not a rep.
        this.toRest(y);
      }
      return undefined;
    }
    // RETURN
    if (y < this.min) {
      this.min = y;
      this.minIdx = n;
    }
    const exc = this.peak - this.repRest;
    if (y - this.min >= Math.max(p.enterDeg, p.reboundFraction * exc)) {
      // Rising again before settling: this rep ended at the lowest point, the next one has begun.
      const rep = this.emit(tS, 0, false);
      this.startOut(this.min, y, n);
      this.onsetTS = this.buf.timeAt(this.minIdx) + this.smoothingDelayS;
      return rep;
    }
    const band = Math.max(p.stillBandMinDeg, p.stillBandFraction * exc);
    if (Math.abs(y - this.anchor) > band) {
      this.anchor = y;
      this.anchorTS = tS;
      return undefined;
    }
    const stillS = tS - this.anchorTS;
    const low = y - this.repRest <= p.settleFraction * exc;
    // Still near the old rest level, or still for long at a new one (the rest pose shifted).
    if ((stillS >= p.settleS && low) || stillS >= 6 * p.settleS) {
      const rep = this.emit(tS, 0, false);
      this.toRest(this.min);
      return rep;
    }
    return undefined;
  }

  private emit(nowS: number, extraFlags: number, incomplete: boolean): Rep {
    const p = this.params;
    const lm = this.lm;
    lm.searchFrom = Math.max(this.prevEndIdx, this.buf.oldest);
    lm.restBefore = this.repRest;
    lm.peakIdx = this.peakIdx;
    lm.peak = this.peak;
    lm.returnIdx = this.returnIdx;
    lm.minIdx = this.minIdx;
    lm.restAfter = this.min;
    const t = placeBoundaries(this.buf, this.dir, lm, p, this.times);
    this.prevEndIdx = this.minIdx;
    const romDeg = this.peak - this.repRest;
    const { set, partial: small } = this.sets.add(t.startS, t.endS, romDeg);
    const partial = small || incomplete;
    let flags = extraFlags;
    if (partial) flags |= REP_PARTIAL;
    if (this.gapInRep) flags |= REP_GAP;
    if (!t.hasHold) flags |= REP_NO_HOLD;
    if (t.startCut && this.buf.oldest > 0) flags |= REP_TRUNCATED;
    const rep: Rep = Object.freeze({
      index: this.repCount++,
      set,
      startS: t.startS,
      peakS: t.peakS,
      holdEndS: t.holdEndS,
      endS: t.endS,
      restDeg: this.dir * this.repRest,
      peakDeg: this.dir * this.peak,
      romDeg,
      direction: this.dir === -1 ? -1 : 1,
      partial,
      flags,
      latencyS: Math.max(0, nowS - t.endS),
    });
    if (!partial) this.counted++;
    this.gapInRep = false;
    return rep;
  }
}

const NO_REPS: readonly Rep[] = Object.freeze([]);
