/**
 * Set membership and the partial-rep decision. A rep is partial when its ROM is clearly below
 * the median ROM of the last few reps of the same set — relative to its neighbours, not to the
 * session maximum, so a whole set of low-amplitude reps counts, and the reference restarts
 * with every set (a pause longer than `setPauseS`); the first rep of a set is partial only when
 * it is tiny against the previous set (`newSetFraction`). Partials enter the reference too: one short
 * rep among full ones stays partial, a lasting change of amplitude is adopted after a few reps.
 * A movement below `fidgetFraction` of the reference (a fidget, a posture adjustment in a pause)
 * is not a rep at all: it is not reported, does not enter the reference and does not end a
 * pause — unless `referenceReps` of them come in a row (then it is a new, much smaller amplitude,
 * reported as partial reps until the reference has adopted it).
 */
import type { RepSegmenterParams } from './segmenterParams';

export class SetTracker {
  private readonly history: Float64Array;
  private readonly scratch: Float64Array;
  private n = 0;
  private next = 0;
  /** Current set number (0-based). */
  set = 0;
  /** End of the previous rep, s (NaN before the first). */
  lastEndS = NaN;
  private started = false;
  private fidgetRun = 0;

  constructor(private readonly p: RepSegmenterParams) {
    this.history = new Float64Array(p.referenceReps);
    this.scratch = new Float64Array(p.referenceReps);
  }

  /** Median ROM of the reference reps of the current set, deg (NaN when none yet). */
  get referenceRomDeg(): number {
    if (this.n === 0) return NaN;
    const a = this.scratch;
    for (let i = 0; i < this.n; i++) a[i] = this.history[i]!;
    // Insertion sort: at most `referenceReps` values, no allocation.
    for (let i = 1; i < this.n; i++) {
      const v = a[i]!;
      let j = i - 1;
      while (j >= 0 && a[j]! > v) {
        a[j + 1] = a[j]!;
        j--;
      }
      a[j + 1] = v;
    }
    const h = this.n >> 1;
    return this.n % 2 === 1 ? a[h]! : 0.5 * (a[h - 1]! + a[h]!);
  }

  /** Assigns the rep to a set and decides whether it is partial; then records it. */
  add(startS: number, endS: number, romDeg: number): { set: number; partial: boolean; fidget: boolean } {
    const ref = this.referenceRomDeg;
    if (Number.isFinite(ref) && romDeg < this.p.fidgetFraction * ref) {
      // A run of `referenceReps` tiny movements is a new amplitude: from then on they are reps.
      if (++this.fidgetRun < this.p.referenceReps) return { set: this.set, partial: true, fidget: true };
    } else this.fidgetRun = 0;
    let fraction = this.p.partialFraction;
    if (this.started && startS - this.lastEndS > this.p.setPauseS) {
      this.set++;
      this.n = 0;
      this.next = 0;
      // The first rep of a new set has no neighbours yet: only a tiny one, against the previous
      // set, is partial (a fidget during the pause) — a whole set may well be lower.
      fraction = this.p.newSetFraction;
    }
    this.started = true;
    const partial = Number.isFinite(ref) && romDeg < fraction * ref;
    this.history[this.next] = romDeg;
    this.next = (this.next + 1) % this.history.length;
    if (this.n < this.history.length) this.n++;
    this.lastEndS = endS;
    return { set: this.set, partial, fidget: false };
  }

  reset(): void {
    this.n = 0;
    this.next = 0;
    this.set = 0;
    this.lastEndS = NaN;
    this.started = false;
    this.fidgetRun = 0;
  }
}
