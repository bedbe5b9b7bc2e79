/**
 * Exercise repetitions as an angle trajectory with exact ground truth: each rep is a
 * minimum-jerk move from the resting angle to the end-range angle, a hold, a minimum-jerk
 * return, then rest; sets are separated by a longer rest. Because minimum-jerk moves start and
 * end with zero velocity and acceleration, the whole sequence is C².
 */
import { Rng } from './random';
import { SimInputError, requireFinite, requireNonNegative, requirePositive } from './sim-error';
import { minimumJerkProfile, type Trajectory1 } from './trajectory';

/** Ground truth of one repetition. Times in s since session start. */
export interface RepTruth {
  /** 0-based over the whole sequence (all sets). */
  readonly index: number;
  /** 0-based set number. */
  readonly set: number;
  /** Movement onset (leaves the resting angle). */
  readonly startS: number;
  /** End-range angle reached (start of the hold). */
  readonly peakS: number;
  /** End of the hold (start of the return). */
  readonly holdEndS: number;
  /** Back at the resting angle. */
  readonly endS: number;
  /** Signed excursion peak − rest, rad. */
  readonly amplitudeRad: number;
  /** Angle held at the peak, rad. */
  readonly peakRad: number;
  /** True when this rep was deliberately cut short (see {@link RepSequenceParams.partialReps}). */
  readonly partial: boolean;
}

export interface RepSequenceParams {
  /** Repetitions per set (integer ≥ 0). */
  reps: number;
  /** Number of sets (integer ≥ 1). Default 1. */
  sets?: number;
  /** Onset of the first rep, s (a still lead-in before it). Default 0. */
  startS?: number;
  /** Resting angle between reps, rad. Default 0. */
  restRad?: number;
  /** Signed excursion from rest to end range, rad (negative moves the other way). */
  amplitudeRad: number;
  /** Duration of the outward move, s (> 0). */
  riseS: number;
  /** Hold at end range, s (≥ 0). Default 0. */
  holdS?: number;
  /** Duration of the return move, s (> 0). Default `riseS`. */
  returnS?: number;
  /** Rest between reps within a set, s (≥ 0). Default 0. */
  restS?: number;
  /** Rest between sets, s (≥ 0). Default 10. */
  setRestS?: number;
  /** Relative std of each rep's amplitude (0.05 = 5 %). Default 0. */
  amplitudeVariation?: number;
  /** Relative std of each rep's tempo: rise, hold and return durations scale together. Default 0. */
  tempoVariation?: number;
  /** 0-based indices (over all sets) of reps that stop short at `partialFraction` of the amplitude. */
  partialReps?: readonly number[];
  /** Fraction of the amplitude a partial rep reaches, in (0, 1). Default 0.5. */
  partialFraction?: number;
  /** Seed of the amplitude/tempo variation. Default 1. */
  seed?: number;
}

/** Factors drawn from N(1, σ) are kept within [0.25, 1.75] so a rep never reverses or vanishes. */
function variedFactor(rng: Rng, relStd: number): number {
  if (relStd === 0) return 1;
  return Math.min(1.75, Math.max(0.25, 1 + relStd * rng.gaussian()));
}

function requireCount(what: string, v: number, min: number): number {
  if (!Number.isInteger(v) || v < min) throw new SimInputError(`${what} must be an integer ≥ ${min}, got ${v}`);
  return v;
}

export class RepSequence implements Trajectory1 {
  /** Ground truth, one entry per rep in time order. */
  readonly reps: readonly RepTruth[];
  readonly restRad: number;
  /** Time the last rep ends (s); the angle stays at rest afterwards. */
  readonly endS: number;
  private readonly starts: Float64Array;
  private readonly s = new Float64Array(3);
  private last = 0;

  constructor(p: RepSequenceParams) {
    const reps = requireCount('RepSequence reps', p.reps, 0);
    const sets = requireCount('RepSequence sets', p.sets ?? 1, 1);
    const startS = requireFinite('RepSequence startS', p.startS ?? 0);
    const restRad = requireFinite('RepSequence restRad', p.restRad ?? 0);
    const amplitude = requireFinite('RepSequence amplitudeRad', p.amplitudeRad);
    const riseS = requirePositive('RepSequence riseS', p.riseS);
    const holdS = requireNonNegative('RepSequence holdS', p.holdS ?? 0);
    const returnS = requirePositive('RepSequence returnS', p.returnS ?? p.riseS);
    const restS = requireNonNegative('RepSequence restS', p.restS ?? 0);
    const setRestS = requireNonNegative('RepSequence setRestS', p.setRestS ?? 10);
    const ampVar = requireNonNegative('RepSequence amplitudeVariation', p.amplitudeVariation ?? 0);
    const tempoVar = requireNonNegative('RepSequence tempoVariation', p.tempoVariation ?? 0);
    const partialFraction = requireFinite('RepSequence partialFraction', p.partialFraction ?? 0.5);
    if (!(partialFraction > 0 && partialFraction < 1)) {
      throw new SimInputError(`RepSequence partialFraction must be in (0, 1), got ${partialFraction}`);
    }
    const total = reps * sets;
    const partial = new Set<number>();
    for (const i of p.partialReps ?? []) {
      if (!Number.isInteger(i) || i < 0 || i >= total) {
        throw new SimInputError(`RepSequence partialReps: ${i} is not a rep index in [0, ${total})`);
      }
      partial.add(i);
    }
    // Separate streams so that switching tempo variation on keeps the amplitudes.
    const seed = p.seed ?? 1;
    const ampRng = new Rng(seed, 'reps', 'amplitude');
    const tempoRng = new Rng(seed, 'reps', 'tempo');

    this.restRad = restRad;
    const out: RepTruth[] = [];
    let t = startS;
    for (let set = 0; set < sets; set++) {
      for (let r = 0; r < reps; r++) {
        const index = set * reps + r;
        const isPartial = partial.has(index);
        const a = amplitude * variedFactor(ampRng, ampVar) * (isPartial ? partialFraction : 1);
        const k = variedFactor(tempoRng, tempoVar);
        const peakS = t + riseS * k;
        const holdEndS = peakS + holdS * k;
        const endS = holdEndS + returnS * k;
        out.push({ index, set, startS: t, peakS, holdEndS, endS, amplitudeRad: a, peakRad: restRad + a, partial: isPartial });
        t = endS + (r === reps - 1 ? (set === sets - 1 ? 0 : setRestS) : restS);
      }
    }
    this.reps = out;
    this.starts = Float64Array.from(out, (x) => x.startS);
    this.endS = out.length > 0 ? out[out.length - 1]!.endS : startS;
  }

  /** Index of the last rep with startS ≤ t, or −1. */
  private repAt(tS: number): number {
    const st = this.starts;
    const n = st.length;
    if (n === 0 || tS < st[0]!) return -1;
    let i = this.last;
    if (st[i]! <= tS && (i + 1 >= n || tS < st[i + 1]!)) return i;
    let lo = 0, hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (st[mid]! <= tS) lo = mid;
      else hi = mid - 1;
    }
    return (this.last = lo);
  }

  evaluate(tS: number, out: Float64Array): Float64Array {
    out[0] = this.restRad;
    out[1] = 0;
    out[2] = 0;
    const i = this.repAt(tS);
    if (i < 0) return out;
    const r = this.reps[i]!;
    if (tS >= r.endS) return out;
    let from: number, d: number, t0: number, T: number;
    if (tS < r.peakS) {
      from = this.restRad;
      d = r.amplitudeRad;
      t0 = r.startS;
      T = r.peakS - r.startS;
    } else if (tS < r.holdEndS) {
      out[0] = r.peakRad;
      return out;
    } else {
      from = r.peakRad;
      d = -r.amplitudeRad;
      t0 = r.holdEndS;
      T = r.endS - r.holdEndS;
    }
    const s = minimumJerkProfile((tS - t0) / T, this.s);
    out[0] = from + d * s[0]!;
    out[1] = (d * s[1]!) / T;
    out[2] = (d * s[2]!) / (T * T);
    return out;
  }
}
