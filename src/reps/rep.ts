/**
 * The shared vocabulary of repetition counting: a 1-D movement signal in degrees and the rep
 * events a segmenter emits over it. Quality scoring (`quality/`), the report (`report/`) and
 * the CLI consume these types; `reps/` produces them.
 *
 * Times are seconds since session start. Angles are degrees (names say so). A rep event is a
 * small immutable object, emitted once, when the rep is complete (streaming) or after the
 * whole recording was seen (offline).
 */

/**
 * A 1-D movement signal: one angle per sample. A joint angle (e.g. knee flexion), a segment
 * elevation against gravity, or the automatic dominant rotation of one sensor.
 */
export interface MovementSignal {
  /** Sample times, s since session start, strictly increasing. */
  readonly tS: Float64Array;
  /** The angle per sample, deg. NaN where the sample is missing (a gap) or invalid. */
  readonly angleDeg: Float64Array;
  /** What the angle is, for reports: e.g. 'knee flexion', 'dominant rotation (sensor thigh)'. */
  readonly name: string;
  /** Times (s) after which a gap in the source starts: the signal is not continuous there. */
  readonly gapAfterS?: readonly number[];
}

/** Rep flags (bit set in {@link Rep.flags}). */
export const REP_PARTIAL = 1; // reached clearly less than the set's typical ROM: reported, not counted
export const REP_GAP = 2; // a gap in the data falls inside the rep: boundaries / ROM less certain
export const REP_NO_HOLD = 4; // no hold at end range was detected
export const REP_TRUNCATED = 8; // the recording ended (or started) inside the rep

/** What ended a rep (see {@link Rep.endedBy}). */
export type RepEndCause = 'rest' | 'settle' | 'rebound' | 'newRest' | 'end';

/** One repetition: leave rest → reach end range (peak) → hold → return to rest. */
export interface Rep {
  /** 0-based over all reps found (partial ones included), in time order. */
  readonly index: number;
  /** 0-based set number (sets are separated by a pause much longer than the rest between reps). */
  readonly set: number;
  /** Movement onset: leaves the resting angle, s. */
  readonly startS: number;
  /** End range reached (start of the hold; the peak itself when there is no hold), s. */
  readonly peakS: number;
  /** End of the hold: the return starts, s (= peakS when there is no hold). */
  readonly holdEndS: number;
  /** Back at rest, s. */
  readonly endS: number;
  /** Signal at rest before the rep, deg. */
  readonly restDeg: number;
  /** Signal at end range (extreme of the excursion), deg. */
  readonly peakDeg: number;
  /** Range of motion of this rep: |peakDeg − restDeg|, deg. */
  readonly romDeg: number;
  /** +1 when the excursion goes up from rest, −1 when it goes down. */
  readonly direction: 1 | -1;
  /** True when the rep reached clearly less than the typical ROM (see REP_PARTIAL). */
  readonly partial: boolean;
  /** REP_* bits. */
  readonly flags: number;
  /**
   * For a streaming segmenter: how long after `endS` the event was emitted, s (the detection
   * latency; includes any look-ahead the detector needs to confirm the return). 0 offline.
   */
  readonly latencyS: number;
  /**
   * Streaming: time of the sample whose push emitted the event, s (signal time; `latencyS` =
   * emittedS − endS). Absent offline.
   */
  readonly emittedS?: number;
  /**
   * What ended the rep: 'rest' — the movement stopped near rest (early event, end placed on the
   * lag-free signal); 'settle' — the smoothed signal was still near rest for `settleS`;
   * 'rebound' — the next rep began before it settled; 'newRest' — it came to rest away from the
   * old rest level (a shifted pose, after 6 × settleS); 'end' — the recording ended.
   */
  readonly endedBy?: RepEndCause;
}
