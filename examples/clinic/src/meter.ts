/**
 * The clinic page's measurement, DOM-free: blocks with orientation (after `fuseOrientation`)
 * in, live angle ± uncertainty and captured end-range trials out. Same code for replay and
 * live sensors.
 *
 * 1. Static zero: waits for `calibStillS` of stillness (|ω| < `stillDegS`), then takes the
 *    mount from gravity (segment long axis up) with the sensor z assumed lateral, as
 *    `kinemetry rom` does.
 * 2. Angle: the segment's inclination in the motion's plane (`Inclinometer`); the sign is
 *    chosen from the first excursion beyond 20° (the assumed lateral axis may point medially).
 *    Uncertainty: a 1-σ from the static zero's mount covariance and the 6D filter's inclination
 *    error, propagated through the reading (inclUncertainty.ts).
 * 3. End-range capture and the slipped check: `EndRangeCapture` (capture.ts).
 */
import { INCLINOMETER_MOTIONS, Inclinometer, quat } from '../../../src/index';
import { sensorToSegmentFromPairs, stillGravityDirection } from '../../../src/calibration';
import { inclinometerSigmaRad, staticZeroCovariance } from './inclUncertainty';
import type { SampleBlock, Side } from '../../../src/index';
import type { MotionPreset } from './presets';
import { EndRangeCapture } from './capture';
import type { CaptureOptions, Trial } from './capture';

const R = 180 / Math.PI;
const UP = [0, 0, 1] as const;
/** Longer steps between samples are gaps (BLE dropouts): stillness and holds restart after them. */
export const MAX_STEP_S = 0.25;

export type { Trial } from './capture';

export interface MeterOptions extends CaptureOptions {
  calibStillS?: number;
}

export type MeterState = 'waiting-still' | 'measuring';

export interface MeterReading {
  readonly tS: number;
  readonly angleDeg: number;
  readonly uncertaintyDeg: number;
  readonly speedDegS: number;
  readonly outOfPlane: boolean;
}

export interface TrialStats {
  count: number;
  bestDeg: number;
  bestUncDeg: number;
  meanDeg: number;
  sdDeg: number;
  meanUncDeg: number;
}

export class RomMeter {
  state: MeterState = 'waiting-still';
  last: MeterReading | undefined;
  mountResidualDeg = NaN;
  private readonly o: Required<Pick<MeterOptions, 'calibStillS' | 'stillDegS'>>;
  private readonly capture: EndRangeCapture;
  private incl: Inclinometer | undefined;
  private sign = 0;
  private stillAcc: number[] = [];
  private stillGyr: number[] = [];
  private stillT0 = NaN;
  private readonly qi = quat.create();
  private readonly qSegSensor = quat.create();
  private readonly uS = new Float64Array(3);
  private readonly uSeg = new Float64Array(3);
  private mountCov: Float64Array = new Float64Array(9);
  private lastT = NaN;

  constructor(readonly preset: MotionPreset, readonly side: Side, options: MeterOptions = {}) {
    this.o = { calibStillS: options.calibStillS ?? 1, stillDegS: options.stillDegS ?? 3 };
    this.capture = new EndRangeCapture(options);
  }

  get trials(): Trial[] {
    return this.capture.trials;
  }

  /** Angle at the last still rest near neutral after a trial, deg (NaN before). */
  get restOffsetDeg(): number {
    return this.capture.restOffsetDeg;
  }

  /** Feed one block (must carry acc, gyr and quat). Returns the trials captured in it. */
  push(b: SampleBlock): Trial[] {
    const acc = b.accMS2, gyr = b.gyrRadS, q = b.quat;
    if (!acc || !gyr || !q) return [];
    const out: Trial[] = [];
    const n = b.tS.length;
    for (let i = 0; i < n; i++) {
      const t = b.tS[i]!;
      const speed = Math.hypot(gyr[3 * i]!, gyr[3 * i + 1]!, gyr[3 * i + 2]!) * R;
      if (!Number.isFinite(speed)) continue;
      // A gap in the data: nothing is known about the time in between, so no stillness or hold spans it.
      if (t - this.lastT > MAX_STEP_S) this.resetHolds();
      this.lastT = t;
      if (this.state === 'waiting-still') {
        if (speed > this.o.stillDegS) {
          this.stillAcc = []; this.stillGyr = []; this.stillT0 = NaN;
          continue;
        }
        if (Number.isNaN(this.stillT0)) this.stillT0 = t;
        for (let k = 0; k < 3; k++) { this.stillAcc.push(acc[3 * i + k]!); this.stillGyr.push(gyr[3 * i + k]!); }
        if (t - this.stillT0 >= this.o.calibStillS) this.calibrate();
        continue;
      }
      quat.readAt(this.qi, q, i);
      if (!Number.isFinite(this.qi[0]!)) continue;
      const raw = this.incl!.fromQuat(this.qi) * R;
      const outOfPlane = this.incl!.flags !== 0;
      if (this.sign === 0 && Math.abs(raw) > 20 && !outOfPlane) this.sign = raw < 0 ? -1 : 1;
      const a = (this.sign || 1) * raw;
      quat.rotateInverse(this.uS, this.qi, UP);
      quat.rotate(this.uSeg, this.qSegSensor, this.uS);
      const unc = inclinometerSigmaRad(this.uSeg, INCLINOMETER_MOTIONS[this.preset.inclinometer].plane, this.mountCov) * R;
      this.last = { tS: t, angleDeg: a, uncertaintyDeg: unc, speedDegS: speed, outOfPlane };
      if (outOfPlane) { this.capture.resetHolds(); continue; }
      const trial = this.capture.push(t, a, unc, speed);
      if (trial) out.push(trial);
    }
    return out;
  }

  /** Sensor slipped: the rest angle after a trial is far from the zero. */
  get slipped(): boolean {
    return this.capture.slipped;
  }

  get outOfPlane(): boolean {
    return this.last?.outOfPlane ?? false;
  }

  private resetHolds(): void {
    this.stillAcc = []; this.stillGyr = []; this.stillT0 = NaN;
    this.capture.resetHolds();
  }

  private calibrate(): void {
    const g = stillGravityDirection(this.stillAcc, this.stillGyr);
    const r = sensorToSegmentFromPairs({ sensor: g.upS, segment: [0, 1, 0] }, { sensor: [0, 0, 1], segment: [0, 0, 1] });
    this.mountResidualDeg = r.residualDeg;
    this.mountCov = staticZeroCovariance(r.residualDeg);
    quat.copy(this.qSegSensor, r.qSegSensor);
    this.incl = new Inclinometer({ motion: this.preset.inclinometer, side: this.side, qSegSensor: r.qSegSensor });
    this.state = 'measuring';
    this.stillAcc = []; this.stillGyr = [];
  }

  stats(): TrialStats | undefined {
    return trialStats(this.trials);
  }
}

/** Best (any trial) and mean ± sd of the full (non-partial) trials. */
export function trialStats(trials: readonly Trial[]): TrialStats | undefined {
  if (trials.length === 0) return undefined;
  let best = trials[0]!;
  for (const x of trials) if (x.valueDeg > best.valueDeg) best = x;
  const full = trials.filter((x) => !x.partial);
  const mean = full.reduce((s, x) => s + x.valueDeg, 0) / full.length;
  const sd = full.length > 1 ? Math.sqrt(full.reduce((s, x) => s + (x.valueDeg - mean) ** 2, 0) / (full.length - 1)) : 0;
  const meanUnc = full.reduce((s, x) => s + x.uncertaintyDeg, 0) / full.length;
  return { count: full.length, bestDeg: best.valueDeg, bestUncDeg: best.uncertaintyDeg, meanDeg: mean, sdDeg: sd, meanUncDeg: meanUnc };
}

/** Symmetry, %: 100 · smaller / larger of the two sides' best values. */
export function symmetryPercent(leftDeg: number, rightDeg: number): number {
  const hi = Math.max(leftDeg, rightDeg), lo = Math.min(leftDeg, rightDeg);
  return hi > 0 ? (100 * lo) / hi : NaN;
}
