/**
 * Online clock-drift correction for one sensor: maps the times its driver placed (linear in
 * the sensor's own clock, which runs tens of ppm off the host's) onto the host clock, so that
 * several sensors in one session stay aligned for hours.
 *
 * Each frame gives a pair (time of its newest sample, host arrival time). BLE only ever adds
 * delay, so the offset d = arrival − time lies on or above a line whose slope is the drift:
 * the LOWER ENVELOPE of d is the clock relation, its scatter above is latency. The envelope is
 * sampled as the minimum of d per bucket of sensor time, and a line is fitted by least squares
 * to the bucket minima of a sliding window (rejecting buckets that sit well above the line:
 * stretches where every packet was delayed). The output mapping is never stepped: it is
 * piecewise linear, and each frame re-aims its slope at the fitted line (error / tauS, within
 * ±maxSlewPpm), so times stay continuous and strictly increasing while the error decays.
 */

export interface ClockDriftOptions {
  /** Sensor time per envelope bucket, s. Default 5. */
  bucketS?: number;
  /** Buckets in the fit window (window = bucketS · windowBuckets). Default 60 (5 min). */
  windowBuckets?: number;
  /** Time constant with which the mapping closes on the fitted line, s. Default 5. */
  tauS?: number;
  /** Largest rate change the slewing applies, ppm. Default 2000 (2 ms per s). */
  maxSlewPpm?: number;
}

export const CLOCK_DRIFT_DEFAULTS: Readonly<Required<ClockDriftOptions>> = Object.freeze({ bucketS: 5, windowBuckets: 60, tauS: 5, maxSlewPpm: 2000 });

/** Fewest closed buckets for a slope fit; before that the offset alone is tracked. */
const MIN_FIT_BUCKETS = 3;
/** Buckets above the first fit by more than this many median residuals (+ a floor) are delay, not clock. */
const REJECT_SCALE = 3;
const REJECT_FLOOR_S = 1e-4;

export class ClockDriftCorrector {
  private readonly o: Required<ClockDriftOptions>;
  // Envelope buckets, a ring of the last windowBuckets closed ones.
  private readonly bucketT: Float64Array;
  private readonly bucketD: Float64Array;
  private readonly keep: Uint8Array;
  private readonly residual: Float64Array;
  private buckets = 0;
  private next = 0;
  private openEndS = NaN;
  private openT = NaN;
  private openD = Infinity;
  private prevOpenD = Infinity;
  // The fitted line d(t) = fitD + fitSlope·(t − fitT); slope kept across restarts as the prior.
  private fitted = false;
  private fitT = 0;
  private fitD = 0;
  private fitSlope = 0;
  // The output mapping: out = anchorOut + rate · (t − anchorIn).
  private anchorIn = NaN;
  private anchorOut = NaN;
  private rate = 1;
  private lastIn = -Infinity;

  constructor(options: ClockDriftOptions = {}) {
    const o = { ...CLOCK_DRIFT_DEFAULTS, ...options };
    for (const k of ['bucketS', 'tauS', 'maxSlewPpm'] as const) {
      if (!(o[k] > 0) || !Number.isFinite(o[k])) throw new RangeError(`ClockDriftCorrector: ${k} must be a finite number > 0, got ${o[k]}`);
    }
    if (!(o.windowBuckets >= MIN_FIT_BUCKETS) || !Number.isInteger(o.windowBuckets)) throw new RangeError(`ClockDriftCorrector: windowBuckets must be an integer ≥ ${MIN_FIT_BUCKETS}, got ${o.windowBuckets}`);
    this.o = o;
    this.bucketT = new Float64Array(o.windowBuckets);
    this.bucketD = new Float64Array(o.windowBuckets);
    this.keep = new Uint8Array(o.windowBuckets);
    this.residual = new Float64Array(o.windowBuckets);
  }

  /** Estimated drift of the host clock against the sensor's, ppm (host s per sensor s − 1); 0 until fitted. */
  get driftPpm(): number {
    return this.fitSlope * 1e6;
  }

  /** Whether the slope has been fitted (enough buckets), or only the offset tracked so far. */
  get isFitted(): boolean {
    return this.fitted;
  }

  /**
   * One frame: `newestS` is the time the driver placed its newest sample at, `arrivalS` the
   * host time it arrived (same clock as the session). Call before mapping the frame's samples.
   */
  observe(newestS: number, arrivalS: number): void {
    if (!Number.isFinite(newestS) || !Number.isFinite(arrivalS)) return;
    const d = arrivalS - newestS;
    if (Number.isNaN(this.anchorIn)) {
      // First frame: its newest sample ↦ its arrival, as the driver's own clock does.
      this.anchorIn = newestS;
      this.anchorOut = arrivalS;
      this.rate = 1 + this.fitSlope;
      this.lastIn = newestS;
      this.openEndS = newestS + this.o.bucketS;
    }
    if (newestS >= this.openEndS) this.closeBucket(newestS);
    if (d < this.openD) {
      this.openD = d;
      this.openT = newestS;
    }
    this.steer();
  }

  /** Host-clock time of a time placed by the driver. */
  map(tS: number): number {
    if (Number.isNaN(this.anchorIn)) return tS;
    if (tS > this.lastIn) this.lastIn = tS;
    return this.anchorOut + this.rate * (tS - this.anchorIn);
  }

  /** `out[i] = map(tS[i])`; `out` may be `tS`. */
  mapInto(tS: Float64Array, out: Float64Array): void {
    for (let i = 0; i < tS.length; i++) out[i] = this.map(tS[i]!);
  }

  /**
   * The driver's clock restarted (reconnect): its times have a new offset. The envelope starts
   * afresh; the drift fitted so far stays as the slope until it is refitted.
   */
  restart(): void {
    this.buckets = this.next = 0;
    this.openEndS = NaN;
    this.openT = NaN;
    this.openD = this.prevOpenD = Infinity;
    this.fitted = false;
    this.anchorIn = this.anchorOut = NaN;
    this.lastIn = -Infinity;
  }

  private closeBucket(newestS: number): void {
    if (Number.isFinite(this.openD)) {
      this.bucketT[this.next] = this.openT;
      this.bucketD[this.next] = this.openD;
      this.next = (this.next + 1) % this.o.windowBuckets;
      this.buckets = Math.min(this.buckets + 1, this.o.windowBuckets);
      this.prevOpenD = this.openD;
    }
    this.openD = Infinity;
    this.openT = NaN;
    this.openEndS += this.o.bucketS;
    // After a silence longer than a bucket, the next bucket starts at this frame.
    if (newestS >= this.openEndS) this.openEndS = newestS + this.o.bucketS;
    if (this.buckets >= MIN_FIT_BUCKETS) this.fit();
  }

  /** Least squares on the kept buckets, twice: all, then without those well above the first line. */
  private fit(): void {
    const m = this.buckets;
    this.keep.fill(1, 0, m);
    if (!this.fitKept(m)) return;
    for (let i = 0; i < m; i++) this.residual[i] = this.bucketD[i]! - this.lineD(this.bucketT[i]!);
    const scale = medianAbs(this.residual, m);
    const limit = REJECT_SCALE * scale + REJECT_FLOOR_S;
    let rejected = 0;
    for (let i = 0; i < m; i++) {
      if (this.residual[i]! > limit) {
        this.keep[i] = 0;
        rejected++;
      }
    }
    if (rejected > 0 && m - rejected >= MIN_FIT_BUCKETS) this.fitKept(m);
  }

  private fitKept(m: number): boolean {
    let n = 0;
    let sumT = 0;
    let sumD = 0;
    for (let i = 0; i < m; i++) {
      if (!this.keep[i]) continue;
      n++;
      sumT += this.bucketT[i]!;
      sumD += this.bucketD[i]!;
    }
    const meanT = sumT / n;
    const meanD = sumD / n;
    let stt = 0;
    let std = 0;
    for (let i = 0; i < m; i++) {
      if (!this.keep[i]) continue;
      const dt = this.bucketT[i]! - meanT;
      stt += dt * dt;
      std += dt * (this.bucketD[i]! - meanD);
    }
    if (!(stt > 0)) return false;
    this.fitT = meanT;
    this.fitD = meanD;
    this.fitSlope = std / stt;
    this.fitted = true;
    return true;
  }

  private lineD(tS: number): number {
    return this.fitD + this.fitSlope * (tS - this.fitT);
  }

  /** Re-aim the mapping at the target from where it stands (continuous at the newest time mapped). */
  private steer(): void {
    const tA = Math.max(this.lastIn, this.anchorIn);
    const outA = this.anchorOut + this.rate * (tA - this.anchorIn);
    // Before a fit: the offset alone, from the lowest delay in the open and the last bucket.
    const targetD = this.fitted ? this.lineD(tA) : Math.min(this.openD, this.prevOpenD);
    const errS = tA + targetD - outA;
    const maxSlew = this.o.maxSlewPpm * 1e-6;
    const slew = Math.max(-maxSlew, Math.min(maxSlew, errS / this.o.tauS));
    this.anchorIn = tA;
    this.anchorOut = outA;
    this.rate = 1 + this.fitSlope + slew;
  }
}

/** Median of |a[0..m)| (m ≥ 1), without allocating: a small selection by counting. */
function medianAbs(a: Float64Array, m: number): number {
  // m ≤ windowBuckets (tens): an O(m²) rank search is cheap and allocation-free.
  const k = (m - 1) >> 1;
  for (let i = 0; i < m; i++) {
    const v = Math.abs(a[i]!);
    let below = 0;
    let equal = 0;
    for (let j = 0; j < m; j++) {
      const w = Math.abs(a[j]!);
      if (w < v) below++;
      else if (w === v) equal++;
    }
    if (below <= k && k < below + equal) return v;
  }
  return 0;
}
