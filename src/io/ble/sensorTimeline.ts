/**
 * Per-sample session times for sensors that timestamp their frames (Polar, Movesense,
 * generic profiles with a time field). The sensor clock is mapped onto session time by the
 * offset seen at the first frame (its newest sample ≈ its arrival time); the drift of the
 * sensor's clock against the host's is corrected downstream (`ClockDriftCorrector`, applied by
 * `sensorEvents`), from many frames' arrivals. The spacing of samples inside a frame comes
 * from the sensor clock, so bursty radio delivery does not jitter the times; missing,
 * repeated and reordered frames show in the timestamps and are classified here.
 */

export type PlacementKind = 'ok' | 'dropped' | 'duplicate' | 'out-of-order';

export interface Placement {
  readonly kind: PlacementKind;
  /** Session times of the frame's samples; null for a duplicate (not emitted again). */
  readonly tS: Float64Array | null;
  /** Time missing before the frame beyond one sample period, s (for `dropped`). */
  readonly gapBeforeS: number;
  /** Estimated samples lost before the frame (for `dropped`). */
  readonly missingSamples: number;
}

/** Timestamp resolution slack for clocks counted in ms (Movesense), s. */
const DEFAULT_RESOLUTION_S = 1e-3;

/**
 * Sensor clock → session time, by the offset seen at the device's first frame. One per
 * device, shared by its streams (accelerometer, gyroscope, …) so that they stay aligned.
 */
export class SensorClock {
  private offsetS: number | null = null;
  /** Session time of a sensor time; the first call fixes the offset so that `sensorS` ↦ `hostTimeS`. */
  toSessionS(sensorS: number, hostTimeS: number): number {
    this.offsetS ??= hostTimeS - sensorS;
    return sensorS + this.offsetS;
  }
  get isSet(): boolean {
    return this.offsetS !== null;
  }
  reset(): void {
    this.offsetS = null;
  }
}

export class SensorTimeline {
  /** Sensor time of the previous in-order frame's stamp (first or last sample), s. */
  private prevStampS = NaN;
  private prevFirstS = NaN;
  private prevLastS = NaN;
  private prevN = 0;
  /** Sums over contiguous frames for the period estimate. */
  private sumIntervalS = 0;
  private sumSamples = 0;
  /** Which sample the stamps mark: the period estimate counts the samples between stamps accordingly. */
  private stampIsLast = true;

  constructor(
    /** Nominal rate, Hz: the spacing until frames have been seen, and the scale of gap detection. */
    readonly rateHz: number,
    /** Shared with the device's other streams; reset it together with them. */
    readonly clock: SensorClock = new SensorClock(),
    readonly resolutionS: number = DEFAULT_RESOLUTION_S,
  ) {
    if (!(rateHz > 0) || !Number.isFinite(rateHz)) throw new RangeError(`SensorTimeline: rateHz must be > 0, got ${rateHz}`);
  }

  /**
   * Estimated sample period, s: measured over contiguous frames once they span 200 stamp
   * resolutions (so that stamp rounding moves it by < 0.5 %), nominal until then.
   */
  get periodS(): number {
    return this.sumSamples > 0 && this.sumIntervalS >= 200 * this.resolutionS && this.sumIntervalS > 0 ? this.sumIntervalS / this.sumSamples : 1 / this.rateHz;
  }

  /** Forget this stream's history (the shared clock is reset by its owner). */
  reset(): void {
    this.prevStampS = this.prevFirstS = this.prevLastS = NaN;
    this.prevN = 0;
    this.sumIntervalS = this.sumSamples = 0;
  }

  private out(kind: PlacementKind, sensorTimes: Float64Array | null, hostTimeS: number, gapBeforeS = 0, missingSamples = 0): Placement {
    if (sensorTimes) {
      // The newest sample of the first frame ↦ its arrival time.
      if (!this.clock.isSet) this.clock.toSessionS(sensorTimes[sensorTimes.length - 1]!, hostTimeS);
      for (let k = 0; k < sensorTimes.length; k++) sensorTimes[k] = this.clock.toSessionS(sensorTimes[k]!, hostTimeS);
    }
    return { kind, tS: sensorTimes, gapBeforeS, missingSamples };
  }

  private accept(firstS: number, lastS: number, stampS: number, n: number, contiguous: boolean): void {
    if (contiguous && this.prevN > 0) {
      this.sumIntervalS += stampS - this.prevStampS;
      this.sumSamples += stampStep(this.prevN, n, this.stampIsLast);
    }
    this.prevStampS = stampS;
    this.prevFirstS = firstS;
    this.prevLastS = lastS;
    this.prevN = n;
  }

  /**
   * A frame of `n` samples stamped with the sensor time of its LAST sample (Polar PMD):
   * samples are spread evenly over the interval since the previous frame's stamp; the
   * first frame, and frames after a gap, use the period estimate.
   */
  placeLast(lastSensorS: number, n: number, hostTimeS: number): Placement {
    this.stampIsLast = true;
    const p = this.periodS;
    const times = new Float64Array(n);
    if (this.prevN === 0) {
      for (let k = 0; k < n; k++) times[k] = lastSensorS - (n - 1 - k) * p;
      this.accept(times[0]!, lastSensorS, lastSensorS, n, false);
      return this.out('ok', times, hostTimeS);
    }
    if (lastSensorS === this.prevStampS) return this.out('duplicate', null, hostTimeS);
    if (lastSensorS < this.prevStampS) {
      for (let k = 0; k < n; k++) times[k] = lastSensorS - (n - 1 - k) * p;
      return this.out('out-of-order', times, hostTimeS);
    }
    const intervalS = lastSensorS - this.prevStampS;
    const missing = intervalS / p - n;
    if (missing > Math.max(1, 0.5 * n) && intervalS > n * p + this.resolutionS) {
      for (let k = 0; k < n; k++) times[k] = lastSensorS - (n - 1 - k) * p;
      const gapS = times[0]! - this.prevLastS - p;
      this.accept(times[0]!, lastSensorS, lastSensorS, n, false);
      return this.out('dropped', times, hostTimeS, gapS, Math.max(1, Math.round(missing)));
    }
    const step = intervalS / n;
    if (step < 0.25 * p) {
      // More samples than the interval can hold: an implausible stamp. Place it on its own, like a late frame.
      for (let k = 0; k < n; k++) times[k] = lastSensorS - (n - 1 - k) * p;
      return this.out('out-of-order', times, hostTimeS);
    }
    for (let k = 0; k < n; k++) times[k] = this.prevStampS + (k + 1) * step;
    times[n - 1] = lastSensorS;
    this.accept(times[0]!, lastSensorS, lastSensorS, n, true);
    return this.out('ok', times, hostTimeS);
  }

  /**
   * A frame of `n` samples stamped with the sensor time of its FIRST sample (Movesense):
   * samples follow at the estimated period.
   */
  placeFirst(firstSensorS: number, n: number, hostTimeS: number): Placement {
    this.stampIsLast = false;
    const p = this.periodS;
    const times = new Float64Array(n);
    const fill = (startS: number) => {
      for (let k = 0; k < n; k++) times[k] = startS + k * p;
    };
    if (this.prevN === 0) {
      fill(firstSensorS);
      this.accept(times[0]!, times[n - 1]!, firstSensorS, n, false);
      return this.out('ok', times, hostTimeS);
    }
    // (Frames shorter than the stamp resolution could share a stamp; real ones are longer.)
    if (firstSensorS === this.prevStampS) return this.out('duplicate', null, hostTimeS);
    if (firstSensorS < this.prevStampS) {
      fill(firstSensorS);
      return this.out('out-of-order', times, hostTimeS);
    }
    // Where this frame should start if nothing was lost (from the previous frame as placed).
    const expectedS = this.prevFirstS + this.prevN * p;
    const lateS = firstSensorS - expectedS;
    if (lateS > Math.max(0.5 * this.prevN * p, p) + this.resolutionS) {
      fill(firstSensorS);
      const gapS = times[0]! - this.prevLastS - p;
      this.accept(times[0]!, times[n - 1]!, firstSensorS, n, false);
      return this.out('dropped', times, hostTimeS, gapS, Math.max(1, Math.round(lateS / p)));
    }
    // Stamps counted in whole ms jitter by up to a period at high rates: within the
    // resolution, continue the previous frame exactly; never overlap it.
    fill(Math.max(Math.abs(lateS) <= this.resolutionS ? expectedS : firstSensorS, this.prevLastS + 0.5 * p));
    this.accept(times[0]!, times[n - 1]!, firstSensorS, n, true);
    return this.out('ok', times, hostTimeS);
  }

  /** Samples that each carry their own sensor time (generic profiles): strictly increasing within the frame. */
  placeEach(sensorTimes: Float64Array, hostTimeS: number): Placement {
    this.stampIsLast = false;
    const n = sensorTimes.length;
    const first = sensorTimes[0]!;
    const last = sensorTimes[n - 1]!;
    const p = 1 / this.rateHz;
    if (this.prevN === 0) {
      this.accept(first, last, first, n, false);
      return this.out('ok', sensorTimes, hostTimeS);
    }
    if (first === this.prevFirstS && n === this.prevN) return this.out('duplicate', null, hostTimeS);
    if (first <= this.prevLastS) return this.out('out-of-order', sensorTimes, hostTimeS);
    const gapS = first - this.prevLastS - p;
    if (gapS > 0.5 * p + this.resolutionS) {
      this.accept(first, last, first, n, false);
      return this.out('dropped', sensorTimes, hostTimeS, gapS, Math.max(1, Math.round(gapS / p)));
    }
    this.accept(first, last, first, n, true);
    return this.out('ok', sensorTimes, hostTimeS);
  }
}

/** Samples between two consecutive stamps: for last-sample stamps the new frame's n, for first-sample stamps the previous frame's. */
function stampStep(prevN: number, n: number, stampIsLast: boolean): number {
  return stampIsLast ? n : prevN;
}
