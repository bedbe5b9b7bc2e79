/**
 * Data-quality check of one sensor's stream: NaN/Inf values, time going backwards or standing
 * still, gaps, saturation, non-unit quaternions. Streaming with bounded memory, so a live
 * session or a multi-hour recording can be checked block by block; pushing a recording in any
 * split gives the same report as pushing it whole.
 *
 * ## How intervals are judged
 * A gap is an interval longer than `gapFactor` periods. The period is the declared one
 * (`options.nominalRateHz`), or — when none is given — the median of the first {@link REFERENCE_INTERVALS} positive intervals. Until
 * that many intervals have been seen, intervals wait (bounded) in a pending list; `report()`
 * judges them provisionally against the median so far, without committing.
 *
 * An interval that spans k samples with unusable times (non-finite, or equal to the previous
 * time) counts as k + 1 periods, so one bad timestamp is reported once (as `nan` or
 * `duplicate-time`), not again as a gap. After a backwards step, the next sample is measured
 * from before the step if it lies beyond it (one mis-stamped sample), else from the step (a
 * clock reset: one problem, not one per later sample).
 *
 * ## Median interval, bounded memory
 * Up to {@link REFERENCE_INTERVALS} intervals the reported median is exact. Beyond, intervals
 * go into a histogram of log₂(interval / reference median) with {@link HISTOGRAM_BINS} bins
 * over ratios 1/64 … 64 (bin width ≈ 0.2 %; outliers clamp to the end bins). Each bin keeps
 * its count and its sum, and the median is the mean of the bin holding the middle rank, so it
 * is within one bin width (≈ 0.2 %) of the true median, and exact when the intervals in that
 * bin are all equal (a regular clock). Memory: 64 KiB of histogram plus the capped lists.
 */
import type { SampleBlock } from './block';
import { SAT_ACC, SAT_GYR, SAT_MAG } from './block';
import { checkBlockShape } from './construct';
import { SampleParameterError, SensorMismatchError } from './errors';
import { medianInPlace } from './rate';

export interface ValidationOptions {
  /**
   * Declared rate, Hz; when absent the measured (median-interval) rate is used for gap
   * detection. `info.rateHz` is deliberately not used on its own: a wrong header rate would
   * turn every interval into a gap (or hide real ones); pass it here if you trust it.
   */
  nominalRateHz?: number;
  /** An interval longer than gapFactor × nominal period is a gap. Default 1.5. */
  gapFactor?: number;
  /** Full-scale range, m/s²; a sample component with |v| >= range × 0.999 counts as saturated. Absent: not checked (the block's own `saturated` mask is still counted). */
  accRangeMS2?: number;
  /** Full-scale range, rad/s (see accRangeMS2). */
  gyrRangeRadS?: number;
  /** Full-scale range, µT (see accRangeMS2). */
  magRangeUT?: number;
  /** Keep at most this many problem records, and as many gap records (counts stay exact). Default 100. */
  maxProblems?: number;
}

export type ProblemKind = 'nan' | 'infinite' | 'non-monotonic-time' | 'duplicate-time' | 'non-unit-quaternion';

export interface SampleProblem {
  readonly kind: ProblemKind;
  readonly sensorId: string;
  /** Global sample index across all pushed blocks. */
  readonly index: number;
  /** Time of the sample, s (NaN-free: previous valid time if t itself is bad, 0 if there is none yet). */
  readonly tS: number;
  readonly channel: 'tS' | 'acc' | 'gyr' | 'mag' | 'quat';
  readonly message: string;
}

export interface Gap {
  readonly sensorId: string;
  /** Index of the first sample after the gap. */
  readonly index: number;
  /** Time of the last sample before the gap, s. */
  readonly startS: number;
  /** Missing time, s: interval minus one nominal period. */
  readonly lengthS: number;
  /** Estimated missing samples: round(lengthS / period), at least 1 (0 when no period is known). */
  readonly missingSamples: number;
  /** True when the gap was declared by a block's `gapBeforeS` (possibly also visible in the times). */
  readonly declared: boolean;
}

export interface ValidationReport {
  readonly sensorId: string;
  readonly samples: number;
  /** Earliest finite sample time, s (0 without any). */
  readonly startS: number;
  /** Latest finite sample time, s (0 without any). */
  readonly endS: number;
  readonly durationS: number;
  readonly nominalRateHz: number | undefined;
  /** 1 / medianIntervalS; 0 when no positive interval was seen. */
  readonly measuredRateHz: number;
  /** Median interval, s (0 when no positive interval was seen). */
  readonly medianIntervalS: number;
  /** Period gaps were judged against, s: declared, else measured; 0 when unknown. */
  readonly gapPeriodS: number;
  /** The first `maxProblems` gaps. */
  readonly gaps: readonly Gap[];
  /** Number of gaps (exact, even when `gaps` is capped). */
  readonly gapCount: number;
  /** Sum of all gaps' lengthS, s. */
  readonly gapTotalS: number;
  readonly missingSamples: number;
  /** The first `maxProblems` problems, in sample order. */
  readonly problems: readonly SampleProblem[];
  readonly problemCounts: Readonly<Record<ProblemKind, number>>;
  /** Samples with at least one saturated component per channel (threshold or block mask). */
  readonly saturatedSamples: { readonly acc: number; readonly gyr: number; readonly mag: number };
  /** No problems (gaps and saturation are reported, not failures). */
  readonly ok: boolean;
}

/** Intervals whose median sets the reference period when no rate is declared. */
export const REFERENCE_INTERVALS = 256;
/** Bins of the median-interval histogram (log₂ ratio −6 … +6). */
export const HISTOGRAM_BINS = 4096;
const HIST_LOG2_MIN = -6;
const HIST_LOG2_SPAN = 12;
/** | ‖q‖ − 1 | above this is a non-unit quaternion. */
export const QUAT_NORM_TOLERANCE = 1e-3;
/** Fraction of full scale at which a component counts as saturated. */
export const SATURATION_FRACTION = 0.999;

const KINDS: readonly ProblemKind[] = ['nan', 'infinite', 'non-monotonic-time', 'duplicate-time', 'non-unit-quaternion'];

function fmt(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toFixed(6))) : String(x);
}

function positiveOrUndefined(name: string, v: number | undefined, unit: string): number | undefined {
  if (v === undefined) return undefined;
  if (!(v > 0) || !Number.isFinite(v)) throw new SampleParameterError(name, v, `a finite value > 0 ${unit}`);
  return v;
}

/** Streaming validator: push blocks of one sensor in order (bounded memory), then report(). */
export class BlockValidator {
  private readonly nominalOptionHz: number | undefined;
  private readonly gapFactor: number;
  private readonly accRange: number | undefined;
  private readonly gyrRange: number | undefined;
  private readonly magRange: number | undefined;
  private readonly maxProblems: number;

  private sensorId: string | undefined;
  private nominalRateHz: number | undefined;
  /** Period gaps are judged against once known, s; 0 until then. */
  private periodS = 0;
  private samples = 0;
  private minT = Infinity;
  private maxT = -Infinity;
  /** Last finite time, NaN before the first. */
  private prevT = NaN;
  /** Samples with non-finite time since prevT. */
  private badSincePrev = 0;
  /** Declared gap (gapBeforeS) waiting for the next sample whose time advances, s. */
  private carriedGapS = 0;
  /** Time before the last backwards step (NaN when none is pending) and samples since it. */
  private anchorT = NaN;
  private anchorBad = 0;

  private problems: SampleProblem[] = [];
  private counts: Record<ProblemKind, number> = { nan: 0, infinite: 0, 'non-monotonic-time': 0, 'duplicate-time': 0, 'non-unit-quaternion': 0 };
  private gaps: Gap[] = [];
  private gapCount = 0;
  private gapTotalS = 0;
  private missing = 0;
  private satAcc = 0;
  private satGyr = 0;
  private satMag = 0;

  // Entries waiting for a period (index, time after, interval, unusable samples inside, declared
  // gap). Bounded: every entry but the first adds a reference interval, and the period is
  // fixed once REFERENCE_INTERVALS of those exist.
  private readonly pendIndex = new Float64Array(REFERENCE_INTERVALS + 1);
  private readonly pendT = new Float64Array(REFERENCE_INTERVALS + 1);
  private readonly pendDt = new Float64Array(REFERENCE_INTERVALS + 1);
  private readonly pendBad = new Float64Array(REFERENCE_INTERVALS + 1);
  private readonly pendDeclared = new Float64Array(REFERENCE_INTERVALS + 1);
  private pendCount = 0;

  // First intervals (each divided by the samples it spans), then the histogram.
  private readonly ref = new Float64Array(REFERENCE_INTERVALS);
  private refCount = 0;
  private refMedianS = 0;
  private histCount: Float64Array | undefined;
  private histSum: Float64Array | undefined;
  private intervalCount = 0;

  constructor(options: ValidationOptions = {}) {
    this.nominalOptionHz = positiveOrUndefined('nominalRateHz', options.nominalRateHz, 'Hz');
    const gf = options.gapFactor ?? 1.5;
    if (!(gf > 0) || !Number.isFinite(gf)) throw new SampleParameterError('gapFactor', gf, 'a finite factor > 0');
    this.gapFactor = gf;
    this.accRange = positiveOrUndefined('accRangeMS2', options.accRangeMS2, 'm/s²');
    this.gyrRange = positiveOrUndefined('gyrRangeRadS', options.gyrRangeRadS, 'rad/s');
    this.magRange = positiveOrUndefined('magRangeUT', options.magRangeUT, 'µT');
    const mp = options.maxProblems ?? 100;
    if (!Number.isInteger(mp) || mp < 0) throw new SampleParameterError('maxProblems', mp, 'an integer ≥ 0');
    this.maxProblems = mp;
  }

  /** Forget everything pushed so far (options stay). */
  reset(): void {
    this.sensorId = undefined;
    this.nominalRateHz = undefined;
    this.periodS = 0;
    this.samples = 0;
    this.minT = Infinity;
    this.maxT = -Infinity;
    this.prevT = NaN;
    this.badSincePrev = 0;
    this.carriedGapS = 0;
    this.anchorT = NaN;
    this.anchorBad = 0;
    this.problems = [];
    for (const k of KINDS) this.counts[k] = 0;
    this.gaps = [];
    this.gapCount = 0;
    this.gapTotalS = 0;
    this.missing = 0;
    this.satAcc = 0;
    this.satGyr = 0;
    this.satMag = 0;
    this.pendCount = 0;
    this.refCount = 0;
    this.refMedianS = 0;
    this.histCount = undefined;
    this.histSum = undefined;
    this.intervalCount = 0;
  }

  /** Check the next block of the sensor. Throws BlockShapeError / SensorMismatchError. */
  push(block: SampleBlock): this {
    checkBlockShape(block);
    const id = block.info.sensorId;
    if (this.sensorId === undefined) {
      this.sensorId = id;
      this.nominalRateHz = this.nominalOptionHz;
      if (this.nominalRateHz !== undefined) this.periodS = 1 / this.nominalRateHz;
    } else if (id !== this.sensorId) {
      throw new SensorMismatchError(this.sensorId, id);
    }
    const g = block.gapBeforeS;
    if (g !== undefined && g !== 0) {
      if (!(g > 0) || !Number.isFinite(g)) throw new SampleParameterError(`${id}: gapBeforeS`, g, 'a finite time ≥ 0 s');
      this.carriedGapS += g;
    }
    const { tS, accMS2, gyrRadS, magUT, quat, saturated } = block;
    const n = tS.length;
    for (let i = 0; i < n; i++) {
      const index = this.samples + i;
      const t = tS[i]!;
      let tGood: number;
      if (Number.isFinite(t)) {
        this.time(index, t);
        tGood = t;
      } else {
        tGood = Number.isFinite(this.prevT) ? this.prevT : 0;
        this.problem(Number.isNaN(t) ? 'nan' : 'infinite', index, tGood, 'tS', `time is ${t}`);
        this.badSincePrev++;
        this.anchorBad++;
      }
      const mask = saturated ? saturated[i]! : 0;
      if ((accMS2 && this.vec3(accMS2, i, index, tGood, 'acc', this.accRange)) || (mask & SAT_ACC) !== 0) this.satAcc++;
      if ((gyrRadS && this.vec3(gyrRadS, i, index, tGood, 'gyr', this.gyrRange)) || (mask & SAT_GYR) !== 0) this.satGyr++;
      if (magUT) {
        if (this.vec3(magUT, i, index, tGood, 'mag', this.magRange) || (mask & SAT_MAG) !== 0) this.satMag++;
      } else if ((mask & SAT_MAG) !== 0) this.satMag++;
      if (quat) this.quaternion(quat, i, index, tGood);
    }
    this.samples += n;
    return this;
  }

  /** Summary of everything pushed so far; does not change the validator's state. */
  report(): ValidationReport {
    const gaps = this.gaps.slice();
    let gapCount = this.gapCount;
    let gapTotalS = this.gapTotalS;
    let missing = this.missing;
    const period = this.periodS > 0 ? this.periodS : this.provisionalPeriodS();
    for (let k = 0; k < this.pendCount; k++) {
      const gap = this.classify(k, period);
      if (!gap) continue;
      gapCount++;
      gapTotalS += gap.lengthS;
      missing += gap.missingSamples;
      if (gaps.length < this.maxProblems) gaps.push(gap);
    }
    const medianS = this.medianIntervalS();
    const problemCounts = { ...this.counts };
    const total = KINDS.reduce((s, k) => s + problemCounts[k], 0);
    const any = this.minT <= this.maxT;
    return {
      sensorId: this.sensorId ?? '',
      samples: this.samples,
      startS: any ? this.minT : 0,
      endS: any ? this.maxT : 0,
      durationS: any ? this.maxT - this.minT : 0,
      nominalRateHz: this.nominalRateHz,
      measuredRateHz: medianS > 0 ? 1 / medianS : 0,
      medianIntervalS: medianS,
      gapPeriodS: period,
      gaps,
      gapCount,
      gapTotalS,
      missingSamples: missing,
      problems: this.problems.slice(),
      problemCounts,
      saturatedSamples: { acc: this.satAcc, gyr: this.satGyr, mag: this.satMag },
      ok: total === 0,
    };
  }

  // ---- per sample ----

  private time(index: number, t: number): void {
    if (t < this.minT) this.minT = t;
    if (t > this.maxT) this.maxT = t;
    const prev = this.prevT;
    if (Number.isNaN(prev)) {
      this.advance(index, t, NaN, 0);
      return;
    }
    // Right after a backwards step: if time is past where it was before the step, that step
    // was one mis-stamped sample in an intact timeline; measure from before it.
    const anchor = this.anchorT;
    if (!Number.isNaN(anchor)) {
      this.anchorT = NaN;
      if (t > anchor) {
        this.advance(index, t, t - anchor, this.anchorBad);
        return;
      }
    }
    const dt = t - prev;
    if (dt > 0) {
      this.advance(index, t, dt, this.badSincePrev);
    } else if (dt === 0) {
      // A sample is there but its time says nothing: treat it like an unusable time, so the
      // next interval spans it (no false gap when it was a mis-stamped in-between sample).
      this.problem('duplicate-time', index, t, 'tS', `time ${fmt(t)} s repeats the previous sample's`);
      this.badSincePrev++;
    } else {
      this.problem('non-monotonic-time', index, t, 'tS', `time goes back ${fmt(-dt)} s (from ${fmt(prev)} s to ${fmt(t)} s)`);
      // Later samples are judged from here (a clock reset is one problem, not one per
      // remaining sample), unless the next one resumes the old timeline (see above).
      this.anchorT = prev;
      this.anchorBad = this.badSincePrev + 1;
      this.prevT = t;
      this.badSincePrev = 0;
    }
  }

  /** Time advanced to t by dt over `bad` unusable samples (dt = NaN: first usable time). */
  private advance(index: number, t: number, dt: number, bad: number): void {
    const declared = this.carriedGapS;
    if (!Number.isNaN(dt)) {
      this.entry(index, t, dt, bad, declared);
      this.interval(dt / (bad + 1));
    } else if (declared > 0) {
      this.entry(index, t, NaN, 0, declared);
    }
    this.prevT = t;
    this.badSincePrev = 0;
    this.carriedGapS = 0;
  }

  /** Returns true when a finite component reaches the saturation threshold. */
  private vec3(data: Float64Array, i: number, index: number, t: number, channel: 'acc' | 'gyr' | 'mag', range: number | undefined): boolean {
    const x = data[3 * i]!, y = data[3 * i + 1]!, z = data[3 * i + 2]!;
    if (Number.isNaN(x) || Number.isNaN(y) || Number.isNaN(z)) {
      this.problem('nan', index, t, channel, `${channel} is NaN`);
      return false;
    }
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) {
      this.problem('infinite', index, t, channel, `${channel} is infinite`);
      return false;
    }
    if (range === undefined) return false;
    const thr = range * SATURATION_FRACTION;
    return Math.abs(x) >= thr || Math.abs(y) >= thr || Math.abs(z) >= thr;
  }

  private quaternion(data: Float64Array, i: number, index: number, t: number): void {
    const w = data[4 * i]!, x = data[4 * i + 1]!, y = data[4 * i + 2]!, z = data[4 * i + 3]!;
    if (Number.isNaN(w) || Number.isNaN(x) || Number.isNaN(y) || Number.isNaN(z)) {
      this.problem('nan', index, t, 'quat', 'quat is NaN');
      return;
    }
    if (!Number.isFinite(w) || !Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) {
      this.problem('infinite', index, t, 'quat', 'quat is infinite');
      return;
    }
    const norm = Math.sqrt(w * w + x * x + y * y + z * z);
    if (Math.abs(norm - 1) > QUAT_NORM_TOLERANCE) {
      this.problem('non-unit-quaternion', index, t, 'quat', `quaternion norm ${fmt(norm)} differs from 1 by more than ${QUAT_NORM_TOLERANCE}`);
    }
  }

  private problem(kind: ProblemKind, index: number, t: number, channel: SampleProblem['channel'], what: string): void {
    this.counts[kind]++;
    if (this.problems.length >= this.maxProblems) return;
    const sensorId = this.sensorId!;
    this.problems.push({ kind, sensorId, index, tS: t, channel, message: `${sensorId} sample ${index} (t = ${fmt(t)} s): ${what}` });
  }

  // ---- gaps ----

  /** An interval (or a declared gap with no interval, dt = NaN) ending at sample `index`. */
  private entry(index: number, t: number, dt: number, bad: number, declaredS: number): void {
    if (this.periodS > 0) {
      this.commit(this.gapOf(index, t, dt, bad, declaredS, this.periodS));
      return;
    }
    const k = this.pendCount++;
    this.pendIndex[k] = index;
    this.pendT[k] = t;
    this.pendDt[k] = dt;
    this.pendBad[k] = bad;
    this.pendDeclared[k] = declaredS;
  }

  private classify(k: number, periodS: number): Gap | undefined {
    return this.gapOf(this.pendIndex[k]!, this.pendT[k]!, this.pendDt[k]!, this.pendBad[k]!, this.pendDeclared[k]!, periodS);
  }

  private gapOf(index: number, t: number, dt: number, bad: number, declaredS: number, periodS: number): Gap | undefined {
    let lengthS: number;
    let startS: number;
    if (Number.isNaN(dt)) {
      // Declared before the first usable time: no sample before it, so place it one period before t.
      lengthS = declaredS;
      startS = t - declaredS - periodS;
    } else {
      const excess = dt - (bad + 1) * periodS;
      if (declaredS > 0) lengthS = Math.max(declaredS, excess);
      else if (periodS > 0 && dt > (bad + this.gapFactor) * periodS) lengthS = excess;
      else return undefined;
      startS = t - dt;
    }
    const missingSamples = periodS > 0 ? Math.max(1, Math.round(lengthS / periodS)) : 0;
    return { sensorId: this.sensorId!, index, startS, lengthS, missingSamples, declared: declaredS > 0 };
  }

  private commit(gap: Gap | undefined): void {
    if (!gap) return;
    this.gapCount++;
    this.gapTotalS += gap.lengthS;
    this.missing += gap.missingSamples;
    if (this.gaps.length < this.maxProblems) this.gaps.push(gap);
  }

  // ---- median interval ----

  private interval(d: number): void {
    this.intervalCount++;
    if (this.refCount < REFERENCE_INTERVALS) {
      this.ref[this.refCount++] = d;
      if (this.refCount === REFERENCE_INTERVALS) this.startHistogram();
      return;
    }
    this.histAdd(d);
  }

  private startHistogram(): void {
    this.refMedianS = medianInPlace(this.ref.slice(), REFERENCE_INTERVALS);
    this.histCount = new Float64Array(HISTOGRAM_BINS);
    this.histSum = new Float64Array(HISTOGRAM_BINS);
    for (let k = 0; k < REFERENCE_INTERVALS; k++) this.histAdd(this.ref[k]!);
    if (this.periodS === 0) {
      this.periodS = this.refMedianS;
      for (let k = 0; k < this.pendCount; k++) this.commit(this.classify(k, this.periodS));
      this.pendCount = 0;
    }
  }

  private histAdd(d: number): void {
    const pos = ((Math.log2(d / this.refMedianS) - HIST_LOG2_MIN) / HIST_LOG2_SPAN) * HISTOGRAM_BINS;
    const b = pos < 0 ? 0 : pos >= HISTOGRAM_BINS ? HISTOGRAM_BINS - 1 : Math.floor(pos);
    this.histCount![b]!++;
    this.histSum![b]! += d;
  }

  private provisionalPeriodS(): number {
    return medianInPlace(this.ref.slice(0, this.refCount));
  }

  private medianIntervalS(): number {
    if (this.intervalCount <= REFERENCE_INTERVALS) return this.provisionalPeriodS();
    const counts = this.histCount!, sums = this.histSum!;
    const n = this.intervalCount;
    const lo = (n - 1) >> 1, hi = n >> 1;
    let cum = 0;
    let loMean = NaN;
    for (let b = 0; b < HISTOGRAM_BINS; b++) {
      const c = counts[b]!;
      if (c === 0) continue;
      const next = cum + c;
      if (Number.isNaN(loMean) && lo < next) loMean = sums[b]! / c;
      if (hi < next) return 0.5 * (loMean + sums[b]! / c);
      cum = next;
    }
    return loMean;
  }
}

/** Validate one block (a whole recording, or a single notification). */
export function validateBlock(block: SampleBlock, options?: ValidationOptions): ValidationReport {
  return new BlockValidator(options).push(block).report();
}
