/**
 * End-range capture, shared by the one-sensor (RomMeter) and two-sensor (KneeMeter) measurements:
 * a trial is taken when the patient holds still (|ω| < `holdDegS`) for `holdS` within
 * `nearPeakDeg` of the movement's peak and at least `minTrialDeg` from neutral; its value is the
 * mean angle over the hold. Re-armed once the angle is back below half the trial. After a trial,
 * a still rest near neutral for `restS` gives the rest angle: far from 0 = the sensor slipped.
 */
export interface Trial {
  readonly valueDeg: number;
  readonly uncertaintyDeg: number;
  readonly tS: number;
  /** Below `partialFraction` of the best trial: shown, not counted in the mean. */
  partial: boolean;
}

export interface CaptureOptions {
  stillDegS?: number;
  holdS?: number;
  holdDegS?: number;
  nearPeakDeg?: number;
  minTrialDeg?: number;
  partialFraction?: number;
  /** Rest angle beyond this after a trial = slipped, deg. */
  slippedDeg?: number;
  restS?: number;
}

export class EndRangeCapture {
  readonly trials: Trial[] = [];
  /** Angle at the last still rest near neutral after a trial, deg (NaN before). */
  restOffsetDeg = NaN;
  slipped = false;
  private readonly o: Required<CaptureOptions>;
  private holdT0 = NaN;
  private holdSum = 0;
  private holdUnc = 0;
  private holdN = 0;
  private peakDeg = -Infinity;
  private armed = true;
  private captured = false;
  private restT0 = NaN;

  constructor(options: CaptureOptions = {}) {
    this.o = { stillDegS: 3, holdS: 1, holdDegS: 8, nearPeakDeg: 10, minTrialDeg: 15, partialFraction: 0.7, slippedDeg: 8, restS: 2, ...options };
  }

  /** Nothing is known across a gap in the data: no hold or rest spans it. */
  resetHolds(): void {
    this.holdT0 = NaN; this.captured = false; this.restT0 = NaN;
  }

  /** One sample (angle not counted when out of plane: call `resetHolds` instead). Returns a new trial, if any. */
  push(t: number, a: number, unc: number, speed: number): Trial | undefined {
    this.watchRest(t, a, speed);
    return this.track(t, a, unc, speed);
  }

  private watchRest(t: number, a: number, speed: number): void {
    if (speed >= this.o.stillDegS || Math.abs(a) > 25 || this.trials.length === 0) { this.restT0 = NaN; return; }
    if (Number.isNaN(this.restT0)) this.restT0 = t;
    if (t - this.restT0 >= this.o.restS) {
      this.restOffsetDeg = a;
      if (Math.abs(a) > this.o.slippedDeg) this.slipped = true;
    }
  }

  private track(t: number, a: number, unc: number, speed: number): Trial | undefined {
    if (!this.armed) {
      const lastTrial = this.trials[this.trials.length - 1];
      if (!lastTrial || a < 0.5 * lastTrial.valueDeg) { this.armed = true; this.peakDeg = -Infinity; }
      return undefined;
    }
    if (a > this.peakDeg) this.peakDeg = a;
    const near = a >= this.o.minTrialDeg && a >= this.peakDeg - this.o.nearPeakDeg;
    if (!(near && speed < this.o.holdDegS)) {
      this.holdT0 = NaN; this.captured = false;
      return undefined;
    }
    if (Number.isNaN(this.holdT0)) { this.holdT0 = t; this.holdSum = 0; this.holdUnc = 0; this.holdN = 0; }
    this.holdSum += a; this.holdUnc += unc; this.holdN++;
    if (!this.captured && t - this.holdT0 >= this.o.holdS) {
      this.captured = true;
      this.armed = false;
      const trial: Trial = { valueDeg: this.holdSum / this.holdN, uncertaintyDeg: this.holdUnc / this.holdN, tS: t, partial: false };
      this.trials.push(trial);
      const best = Math.max(...this.trials.map((x) => x.valueDeg));
      for (const x of this.trials) x.partial = x.valueDeg < this.o.partialFraction * best;
      return trial;
    }
    return undefined;
  }
}
