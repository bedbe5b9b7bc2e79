/**
 * Session times for sensors that send no timestamps (WitMotion, MetaWear streaming, Thingy,
 * generic profiles without a time field). Notifications arrive in bursts, so arrival times
 * are a poor clock for single samples; instead samples are spaced at an estimated rate
 * (nominal until ~2 s of data give a measured one), never later than their arrival, and a
 * silence much longer than the rate explains is reported as a gap.
 */

export interface HostTimelineOptions {
  /** Declared or configured output rate, Hz: the spacing until the estimate settles. */
  rateHz: number;
  /** Seconds of arrivals after which the measured rate replaces the nominal one. Default 2 s. */
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

export class HostTimeline {
  private readonly nominalHz: number;
  private readonly settleS: number;
  private readonly minGapS: number;
  private rate: number;
  private lastTS = NaN;
  private windowStartS = NaN;
  private windowSamples = 0;

  constructor(options: HostTimelineOptions) {
    if (!(options.rateHz > 0) || !Number.isFinite(options.rateHz)) throw new RangeError(`HostTimeline: rateHz must be > 0, got ${options.rateHz}`);
    this.nominalHz = options.rateHz;
    this.rate = options.rateHz;
    this.settleS = options.settleS ?? 2;
    this.minGapS = options.minGapS ?? 0.25;
  }

  /** Current rate estimate, Hz. */
  get rateHz(): number {
    return this.rate;
  }

  reset(): void {
    this.rate = this.nominalHz;
    this.lastTS = this.windowStartS = NaN;
    this.windowSamples = 0;
  }

  /** Times for `n` samples that arrived at `hostTimeS` (s since session start). */
  stamp(hostTimeS: number, n: number): HostStamp {
    const tS = new Float64Array(n);
    const p = 1 / this.rate;
    if (Number.isNaN(this.lastTS)) {
      for (let k = 0; k < n; k++) tS[k] = hostTimeS - (n - 1 - k) * p;
      this.lastTS = tS[n - 1]!;
      this.windowStartS = hostTimeS;
      this.windowSamples = 0;
      return { tS, gapBeforeS: 0, missingSamples: 0 };
    }
    const endS = this.lastTS + n * p;
    let gapBeforeS = 0;
    let missingSamples = 0;
    if (hostTimeS - endS > Math.max(this.minGapS, 4 * p)) {
      for (let k = 0; k < n; k++) tS[k] = hostTimeS - (n - 1 - k) * p;
      gapBeforeS = tS[0]! - this.lastTS - p;
      missingSamples = Math.max(1, Math.round(gapBeforeS / p));
      this.windowStartS = hostTimeS; // the rate is measured over contiguous data only
      this.windowSamples = 0;
    } else {
      // Never place a sample after its arrival; a host clock that stalls still gets increasing times.
      const step = endS > hostTimeS && hostTimeS > this.lastTS ? (hostTimeS - this.lastTS) / n : p;
      for (let k = 0; k < n; k++) tS[k] = this.lastTS + (k + 1) * step;
      this.windowSamples += n;
      const elapsedS = hostTimeS - this.windowStartS;
      if (elapsedS >= this.settleS && this.windowSamples > 0) this.rate = this.windowSamples / elapsedS;
    }
    this.lastTS = tS[n - 1]!;
    return { tS, gapBeforeS, missingSamples };
  }
}
