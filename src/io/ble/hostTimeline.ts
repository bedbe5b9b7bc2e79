/**
 * Session times for sensors that send no timestamps (WitMotion, MetaWear streaming, Thingy,
 * generic profiles without a time field). Notifications arrive in bursts, so arrival times
 * are a poor clock for single samples. Until about a second of arrivals has measured the
 * rate, samples are spread between arrivals; after that they are spaced at the measured
 * rate, never later than their arrival, gently pulled towards the arrivals so that latency
 * jitter cannot accumulate, and a silence much longer than the rate explains is a gap.
 */

export interface HostTimelineOptions {
  /** Declared or configured output rate, Hz: the spacing of the very first notification, and the scale of gaps until the rate is measured. */
  rateHz: number;
  /** Seconds of arrivals after which the measured rate is used. Default 1 s. */
  settleS?: number;
  /** A silence longer than max(minGapS, 4 periods) beyond the expected arrival is a gap. Default 0.25 s (longer than BLE connection-event bursts). */
  minGapS?: number;
}

export interface HostStamp {
  readonly tS: Float64Array;
  /** Time missing before the first sample beyond one period, s; 0 when contiguous. */
  readonly gapBeforeS: number;
  readonly missingSamples: number;
}

/** Spacing used when the host clock has not advanced (several notifications handled at one instant), s. */
const MIN_STEP_S = 1e-6;
/** Lag (s) over which the spacing is shortened by the full {@link MAX_PULL}: the pull-in time constant. */
const PULL_LAG_S = 10;
const MAX_PULL = 0.05;

export class HostTimeline {
  private readonly nominalHz: number;
  private readonly settleS: number;
  private readonly minGapS: number;
  private measuredHz = NaN;
  private lastTS = NaN;
  private windowStartS = NaN;
  private windowLastS = NaN;
  /** Samples in notifications after the window's first, up to the last one. */
  private windowSamples = 0;

  constructor(options: HostTimelineOptions) {
    if (!(options.rateHz > 0) || !Number.isFinite(options.rateHz)) throw new RangeError(`HostTimeline: rateHz must be > 0, got ${options.rateHz}`);
    this.nominalHz = options.rateHz;
    this.settleS = options.settleS ?? 1;
    this.minGapS = options.minGapS ?? 0.25;
  }

  /** Current rate: measured once settled, nominal until then, Hz. */
  get rateHz(): number {
    return Number.isNaN(this.measuredHz) ? this.nominalHz : this.measuredHz;
  }

  reset(): void {
    this.measuredHz = NaN;
    this.lastTS = NaN;
    this.restartWindow(NaN);
  }

  private restartWindow(arrivalS: number): void {
    this.windowStartS = this.windowLastS = arrivalS;
    this.windowSamples = 0;
  }

  /** Times for `n` samples that arrived at `hostTimeS` (s since session start). */
  stamp(hostTimeS: number, n: number): HostStamp {
    const tS = new Float64Array(n);
    let gapBeforeS = 0;
    let missingSamples = 0;
    if (Number.isNaN(this.lastTS)) {
      const p = 1 / this.rateHz;
      for (let k = 0; k < n; k++) tS[k] = hostTimeS - (n - 1 - k) * p;
      this.restartWindow(hostTimeS);
    } else {
      const settled = this.windowLastS - this.windowStartS >= this.settleS && this.windowSamples > 0;
      const p = 1 / this.rateHz;
      const lagS = hostTimeS - (this.lastTS + n * p);
      const gapAfterS = settled ? Math.max(this.minGapS, 4 * p) : Math.max(2, 8 / this.nominalHz);
      if (lagS > gapAfterS) {
        for (let k = 0; k < n; k++) tS[k] = hostTimeS - (n - 1 - k) * p;
        gapBeforeS = tS[0]! - this.lastTS - p;
        missingSamples = Math.max(1, Math.round(gapBeforeS / p));
        this.restartWindow(hostTimeS); // the rate is measured over contiguous data only
      } else {
        let step: number;
        if (!settled || lagS < 0) {
          // Rate not yet known, or the samples would run ahead of their arrival: spread up to the arrival.
          step = hostTimeS > this.lastTS ? (hostTimeS - this.lastTS) / n : MIN_STEP_S;
        } else {
          step = p * (1 - Math.min(MAX_PULL, lagS / PULL_LAG_S));
        }
        for (let k = 0; k < n; k++) tS[k] = this.lastTS + (k + 1) * step;
        this.windowSamples += n;
        this.windowLastS = hostTimeS;
        const elapsedS = this.windowLastS - this.windowStartS;
        if (elapsedS >= this.settleS) this.measuredHz = this.windowSamples / elapsedS;
      }
    }
    this.lastTS = tS[n - 1]!;
    return { tS, gapBeforeS, missingSamples };
  }
}
