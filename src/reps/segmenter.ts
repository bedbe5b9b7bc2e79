/**
 * Streaming repetition segmenter over any 1-D movement signal (deg): push samples, get each
 * {@link Rep} as soon as it is complete.
 *
 * The signal is smoothed (two critically damped 1st-order low-pass stages), the detection is
 * the state machine of repCore.ts, and the boundaries are placed afterwards from a look-back
 * buffer ({@link placeBoundaries}); the smoothing's group delay is subtracted from the
 * boundary times, so they are not late by it. The rep event need not wait for the smoothed
 * signal to settle: the lead-compensated signal 2·z1 − z2 (no low-frequency lag) tells when the
 * movement has stopped near rest, and the rep is emitted once it has stayed stopped for
 * `confirmS` (longer for slow returns), its end placed on the first smoothing stage (see
 * {@link restEntryS}). The detection itself goes on over the smoothed signal (repCore.ts), so
 * the counts do not depend on the early event. With `direction: 0` two detectors (up and down) run until one completes a rep;
 * its direction is kept from then on (a recording that starts off its rest pose, e.g. an arm
 * settling after the start, would otherwise fool a decision on the first excursion).
 * NaN samples or time jumps are gaps: the smoothing restarts after them and a rep that spans
 * one carries REP_GAP. Sets and partial reps: see setTracker.ts.
 *
 * Allocation-free per sample: the state is a fixed set of numbers and preallocated arrays; only
 * an emitted {@link Rep} allocates.
 */
import { placeBoundaries, restEntryS, type RepLandmarks, type RepTimes } from './boundaries';
import { LookBack } from './lookBack';
import { NOTHING, OUT, RETURN, REST, RepCore } from './repCore';
import { REP_GAP, REP_NO_HOLD, REP_PARTIAL, REP_TRUNCATED, type Rep } from './rep';
import { resolveRepSegmenterParams, type RepSegmenterParams } from './segmenterParams';
import { SetTracker } from './setTracker';

export type RepPhase = 'rest' | 'out' | 'return';

/** A snapshot of the segmenter's state, for display and tests. */
export interface RepSegmenterState {
  readonly phase: RepPhase;
  /** +1 / −1, or 0 while still undecided (auto direction, no rep yet). */
  readonly direction: 1 | -1 | 0;
  /** Smoothed signal at the last sample, deg (NaN before the first). */
  readonly smoothedDeg: number;
  /** Current rest level, deg (signal units; the upward detector's while undecided). */
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

const PHASES: readonly RepPhase[] = ['rest', 'out', 'return'];

export class RepSegmenter {
  readonly params: Readonly<RepSegmenterParams>;
  /** Group delay of the smoothing at low frequencies, s (subtracted from boundary times). */
  readonly smoothingDelayS: number;
  private readonly buf: LookBack;
  /**
   * For the end of a rep reported early (same sample numbers as `buf`): the first smoothing
   * stage z1 at its delay-compensated times, and the raw signal.
   */
  private readonly lightBuf: LookBack;
  private readonly rawBuf: LookBack;
  private readonly sets: SetTracker;
  private readonly tauS: number;
  private readonly up: RepCore;
  private readonly down: RepCore;
  /** The detector in use; undefined while the direction is undecided. */
  private core: RepCore | undefined;
  private readonly times: RepTimes = { startS: 0, peakS: 0, holdEndS: 0, endS: 0, startCut: false, hasHold: false };
  private z1 = 0;
  private z2 = 0;
  private lastTS = NaN;
  private restart = true;
  private repCount = 0;
  private counted = 0;

  constructor(params: Partial<RepSegmenterParams> = {}) {
    this.params = Object.freeze(resolveRepSegmenterParams(params));
    this.tauS = 1 / (2 * Math.PI * this.params.smoothingHz);
    this.smoothingDelayS = 2 * this.tauS;
    this.buf = new LookBack(this.params.maxRepS * this.params.maxRateHz + 2);
    this.lightBuf = new LookBack(this.buf.capacity);
    this.rawBuf = new LookBack(this.buf.capacity);
    this.sets = new SetTracker(this.params);
    this.up = new RepCore(1, this.params);
    this.down = new RepCore(-1, this.params);
    this.core = this.pick();
  }

  private pick(): RepCore | undefined {
    const d = this.params.direction;
    return d === 1 ? this.up : d === -1 ? this.down : undefined;
  }

  /** Back to the initial state (parameters kept). */
  reset(): void {
    this.buf.clear();
    this.lightBuf.clear();
    this.rawBuf.clear();
    this.sets.reset();
    this.lastTS = NaN;
    this.restart = true;
    this.core = this.pick();
    this.repCount = 0;
    this.counted = 0;
  }

  get state(): RepSegmenterState {
    const c = this.core ?? this.up;
    const started = Number.isFinite(this.lastTS);
    return {
      phase: PHASES[c.phase]!,
      direction: this.core ? this.core.dir : 0,
      smoothedDeg: started ? this.z2 : NaN,
      restDeg: started ? c.dir * (c.phase === REST ? c.rest : c.repRest) : NaN,
      peakDeg: c.phase === REST ? NaN : c.dir * c.peak,
      repCount: this.repCount,
      countedReps: this.counted,
      set: this.sets.set,
      referenceRomDeg: this.sets.referenceRomDeg,
      lastTimeS: this.lastTS,
    };
  }

  /**
   * One sample: time (s, increasing) and angle (deg; NaN = missing). Returns the rep completed
   * by this sample, if any. Samples with a non-finite or non-increasing time are ignored.
   */
  push(tS: number, angleDeg: number): Rep | undefined {
    if (!Number.isFinite(tS) || !(tS > this.lastTS || Number.isNaN(this.lastTS))) return undefined;
    if (!Number.isFinite(angleDeg)) {
      // A gap: nothing to smooth over; the next finite sample restarts the smoothing.
      this.restart = true;
      this.up.markGap();
      this.down.markGap();
      return undefined;
    }
    const p = this.params;
    const first = Number.isNaN(this.lastTS);
    const dtS = first ? 0 : tS - this.lastTS;
    if (this.restart || !(dtS <= p.maxGapS)) {
      if (!first) {
        this.up.markGap();
        this.down.markGap();
      }
      this.z1 = this.z2 = angleDeg;
    } else {
      const a = 1 - Math.exp(-dtS / this.tauS);
      this.z1 += a * (angleDeg - this.z1);
      this.z2 += a * (this.z1 - this.z2);
    }
    this.restart = false;
    this.lastTS = tS;
    const x = this.z2;
    // Each stage lags a slow signal by τ and z1 − z2 ≈ τ·dz2/dt, so z2 + 2τ·dz2/dt = 2·z1 − z2
    // has no low-frequency lag (it is noisier than z2 and overshoots a stop slightly).
    const lead = 2 * this.z1 - this.z2;
    const n = this.buf.count;
    this.buf.push(tS - this.smoothingDelayS, x);
    this.lightBuf.push(tS - this.tauS, this.z1);
    this.rawBuf.push(tS, angleDeg);
    if (first) {
      this.up.init(x);
      this.down.init(-x);
      return undefined;
    }
    const oldest = this.buf.oldest;
    if (this.core) {
      const d = this.core.dir;
      return this.core.step(d * x, d * lead, n, tS, dtS, oldest) !== NOTHING ? this.emit(this.core, tS, 0, false) : undefined;
    }
    // Undecided: the first detector to complete a rep sets the direction — unless that "rep"
    // lies inside a larger excursion the other way (wobble during the first hold).
    const upDone = this.up.step(x, lead, n, tS, dtS, oldest) !== NOTHING && !this.inside(this.up, this.down);
    const downDone = this.down.step(-x, -lead, n, tS, dtS, oldest) !== NOTHING && !this.inside(this.down, this.up);
    if (upDone || downDone) {
      this.core = upDone ? this.up : this.down;
      return this.emit(this.core, tS, 0, false);
    }
    return undefined;
  }

  /** Whether the rep `k` just completed began inside a larger excursion that `other` is still in. */
  private inside(k: RepCore, other: RepCore): boolean {
    return other.phase !== REST && other.onsetTS < k.doneOnsetTS && other.peak - other.repRest > k.done.peak - k.done.restBefore;
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
   * counted). Then the segmenter is at rest. Undecided direction: the detector with the larger
   * excursion in progress decides.
   */
  finish(): Rep | undefined {
    const n = this.buf.count - 1;
    if (n < 0) return undefined;
    let c = this.core;
    if (!c) {
      const exc = (k: RepCore): number => (k.phase === REST ? 0 : k.peak - k.repRest);
      c = exc(this.down) > exc(this.up) ? this.down : this.up;
      if (exc(c) < this.params.minRomDeg) return undefined;
      this.core = c;
    }
    const p = this.params;
    const y = c.dir * this.buf.valueAt(n);
    const exc = c.peak - c.repRest;
    let rep: Rep | undefined;
    if (c.phase === RETURN && !c.reported) {
      c.complete(this.buf.oldest);
      c.doneCause = 'end';
      rep = this.emit(c, this.lastTS, y - c.repRest <= p.settleFraction * exc ? 0 : REP_TRUNCATED, false);
    } else if (c.phase === OUT && exc >= p.minRomDeg) {
      c.returnIdx = c.minIdx = n;
      c.min = y;
      c.complete(this.buf.oldest);
      c.doneCause = 'end';
      rep = this.emit(c, this.lastTS, REP_TRUNCATED, true);
    }
    c.toRest(y);
    return rep;
  }

  /** The rep `c` just completed, or undefined when it is a fidget (see setTracker.ts). */
  private emit(c: RepCore, nowS: number, extraFlags: number, incomplete: boolean): Rep | undefined {
    const lm: RepLandmarks = c.done;
    const p = this.params;
    const t = placeBoundaries(this.buf, c.dir, lm, p, this.times);
    const romDeg = lm.peak - lm.restBefore;
    if (c.doneCause === 'rest') {
      // Reported early: the smoothed look-back (2τ behind) has not come down yet; the end is
      // placed on the first stage (τ behind) against the raw rest level.
      const last = this.buf.count - 1;
      const edge = Math.max(p.boundaryMinDeg, p.boundaryFraction * romDeg);
      t.endS = Math.min(nowS, Math.max(t.holdEndS, restEntryS(this.lightBuf, this.tauS, this.rawBuf, c.dir, Math.max(lm.returnIdx, this.buf.oldest), last, c.doneStillFromS, edge)));
    }
    const { set, partial: small, fidget } = this.sets.add(t.startS, t.endS, romDeg);
    if (fidget) return undefined;
    const partial = small || incomplete;
    let flags = extraFlags;
    if (partial) flags |= REP_PARTIAL;
    if (c.doneGap) flags |= REP_GAP;
    if (!t.hasHold) flags |= REP_NO_HOLD;
    if (t.startCut && this.buf.oldest > 0) flags |= REP_TRUNCATED;
    const rep: Rep = Object.freeze({
      index: this.repCount++,
      set,
      startS: t.startS,
      peakS: t.peakS,
      holdEndS: t.holdEndS,
      endS: t.endS,
      restDeg: c.dir * lm.restBefore,
      peakDeg: c.dir * lm.peak,
      romDeg,
      direction: c.dir,
      partial,
      flags,
      latencyS: Math.max(0, nowS - t.endS),
      emittedS: nowS,
      endedBy: c.doneCause,
    });
    if (!partial) this.counted++;
    return rep;
  }
}

const NO_REPS: readonly Rep[] = Object.freeze([]);
