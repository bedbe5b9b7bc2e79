/**
 * Two-sensor knee flexion (thigh + shank) with a functional calibration, DOM-free, same outputs
 * as RomMeter (live angle ± 1-σ, end-range trials via `EndRangeCapture`).
 *
 * 1. Neutral pose: both sensors still for `calibStillS` (standing straight): gravity in each.
 * 2. Knee axis, functional: the patient bends and straightens the knee; once the shank has
 *    turned `axisRotationDeg` in all and is still again, the hinge axis is fitted in both
 *    sensors' gyros (`estimateHingeAxes`, Seel 2014). Only the shank's axis is observable while
 *    the thigh stays still (standing curl), and only it is used: shank mount = gravity + axis;
 *    thigh mount = the shank's segment orientation at the neutral pose (both segments share
 *    their frame there), which also absorbs the heading offset of the two sensors.
 * 3. Angles: `JointAngleStage` (knee, ISB Z-X-Y), 1-σ uncertainty from `angleUncertainty.ts`:
 *    both mounts' covariances (axis 1-σ from the fit, gravity, residual), each sensor's
 *    inclination error and the relative heading 1-σ `HEADING_SIGMA_DEG`. The axis sign is
 *    fitted too: it is chosen so the calibration movement reads as flexion (positive).
 * The samples of the calibration movement are kept and measured once the axis is known, so the
 * first bend also counts as a trial.
 */
import { JointAngleStage, mountCovariance, quat } from '../../../src/index';
import { estimateHingeAxes, sensorToSegmentFromPairs, stillGravityDirection } from '../../../src/calibration';
import type { SampleBlock, Side } from '../../../src/index';
import { EndRangeCapture } from './capture';
import type { CaptureOptions, Trial } from './capture';
import type { MeterReading } from './meter';

const DEG = Math.PI / 180;
/** Relative heading 1-σ of the two sensors after the neutral-pose alignment, deg (9D VQF heading error, methods.md order of magnitude). */
export const HEADING_SIGMA_DEG = 2;
/** Gravity direction 1-σ in a still pose, deg (as functionalCalibration.ts). */
const GRAVITY_SIGMA_DEG = 0.3;
/** Longest step between samples that is not a gap, s. */
const MAX_STEP_S = 0.25;
/** A thigh sample pairs with a shank sample when within this, s. */
const PAIR_S = 0.03;

export type KneeState = 'waiting-still' | 'finding-axis' | 'measuring';

export interface KneeOptions extends CaptureOptions {
  calibStillS?: number;
  /** Shank rotation to collect before fitting the axis, deg (one 90° bend and back ≈ 180°). */
  axisRotationDeg?: number;
  /** Axis fit accepted when its 1-σ is below this, deg. */
  maxAxisSigmaDeg?: number;
}

/** Ring of recent thigh samples (time, orientation, gyro) to pair with shank samples. */
class Ring {
  readonly tS: Float64Array;
  readonly q: Float64Array;
  readonly gyr: Float64Array;
  private n = 0;
  private head = 0;
  constructor(readonly size: number) {
    this.tS = new Float64Array(size); this.q = new Float64Array(4 * size); this.gyr = new Float64Array(3 * size);
  }
  push(t: number, q: ArrayLike<number>, qi: number, g: ArrayLike<number>, gi: number): void {
    const k = this.head;
    this.tS[k] = t;
    for (let j = 0; j < 4; j++) this.q[4 * k + j] = q[4 * qi + j]!;
    for (let j = 0; j < 3; j++) this.gyr[3 * k + j] = g[3 * gi + j]!;
    this.head = (k + 1) % this.size;
    this.n = Math.min(this.n + 1, this.size);
  }
  /** Slot of the sample nearest to t within PAIR_S, or −1. */
  nearest(t: number): number {
    let best = -1, bestD = PAIR_S;
    for (let i = 0; i < this.n; i++) {
      const d = Math.abs(this.tS[i]! - t);
      if (d <= bestD) { bestD = d; best = i; }
    }
    return best;
  }
}

export class KneeMeter {
  state: KneeState = 'waiting-still';
  last: MeterReading | undefined;
  /** Residual of the shank mount (gravity vs axis), deg. */
  mountResidualDeg = NaN;
  /** 1-σ of the fitted knee axis in the shank, deg. */
  axisSigmaDeg = NaN;
  private readonly o: Required<Pick<KneeOptions, 'calibStillS' | 'stillDegS' | 'axisRotationDeg' | 'maxAxisSigmaDeg'>>;
  private readonly capture: EndRangeCapture;
  private readonly thigh = new Ring(64);
  private lastT = NaN;
  private stillT0 = NaN;
  private stillAccS: number[] = [];
  private stillGyrS: number[] = [];
  private readonly qNeutralT = quat.create();
  private readonly qNeutralS = quat.create();
  // Calibration movement, paired samples.
  private buf = { tS: [] as number[], qT: [] as number[], qS: [] as number[], gT: [] as number[], gS: [] as number[] };
  private turnedDeg = 0;
  private stage: JointAngleStage | undefined;
  private readonly angles = new Float64Array(3);
  private readonly qT = quat.create();
  private readonly qS = quat.create();

  constructor(readonly side: Side, readonly sensors: { proximal: string; distal: string } = { proximal: 'thigh', distal: 'shank' }, options: KneeOptions = {}) {
    this.o = { calibStillS: options.calibStillS ?? 1, stillDegS: options.stillDegS ?? 3, axisRotationDeg: options.axisRotationDeg ?? 150, maxAxisSigmaDeg: options.maxAxisSigmaDeg ?? 3 };
    this.capture = new EndRangeCapture(options);
  }

  get trials(): Trial[] { return this.capture.trials; }
  get slipped(): boolean { return this.capture.slipped; }
  get restOffsetDeg(): number { return this.capture.restOffsetDeg; }
  get outOfPlane(): boolean { return false; }

  /** Feed a block of either sensor (acc, gyr and quat). Returns the trials captured in it. */
  push(b: SampleBlock): Trial[] {
    const acc = b.accMS2, gyr = b.gyrRadS, q = b.quat;
    if (!acc || !gyr || !q) return [];
    const n = b.tS.length;
    if (b.info.sensorId === this.sensors.proximal) {
      for (let i = 0; i < n; i++) this.thigh.push(b.tS[i]!, q, i, gyr, i);
      return [];
    }
    if (b.info.sensorId !== this.sensors.distal) return [];
    const out: Trial[] = [];
    for (let i = 0; i < n; i++) {
      const t = b.tS[i]!;
      const k = this.thigh.nearest(t);
      if (k < 0) continue;
      if (t - this.lastT > MAX_STEP_S) this.resetHolds();
      this.lastT = t;
      const g = this.thigh.gyr;
      const speedT = Math.hypot(g[3 * k]!, g[3 * k + 1]!, g[3 * k + 2]!) / DEG;
      const speedS = Math.hypot(gyr[3 * i]!, gyr[3 * i + 1]!, gyr[3 * i + 2]!) / DEG;
      if (!Number.isFinite(speedS) || !Number.isFinite(speedT)) continue;
      const speed = Math.max(speedT, speedS);
      quat.readAt(this.qT, this.thigh.q, k);
      quat.readAt(this.qS, q, i);
      if (this.state === 'waiting-still') {
        this.neutral(t, speed, acc, i, gyr);
      } else if (this.state === 'finding-axis') {
        this.collect(t, speedS, g, k, gyr, i, out);
      } else {
        const trial = this.measure(t, speed);
        if (trial) out.push(trial);
      }
    }
    return out;
  }

  private resetHolds(): void {
    this.stillT0 = NaN; this.stillAccS = []; this.stillGyrS = [];
    this.capture.resetHolds();
  }

  private neutral(t: number, speed: number, acc: ArrayLike<number>, i: number, gyr: ArrayLike<number>): void {
    if (speed > this.o.stillDegS) { this.stillT0 = NaN; this.stillAccS = []; this.stillGyrS = []; return; }
    if (Number.isNaN(this.stillT0)) this.stillT0 = t;
    for (let j = 0; j < 3; j++) { this.stillAccS.push(acc[3 * i + j]!); this.stillGyrS.push(gyr[3 * i + j]!); }
    if (t - this.stillT0 >= this.o.calibStillS) {
      quat.copy(this.qNeutralT, this.qT);
      quat.copy(this.qNeutralS, this.qS);
      this.state = 'finding-axis';
    }
  }

  private collect(t: number, speedS: number, gT: ArrayLike<number>, k: number, gS: ArrayLike<number>, i: number, out: Trial[]): void {
    const bf = this.buf;
    const dt = bf.tS.length ? t - bf.tS[bf.tS.length - 1]! : 0;
    bf.tS.push(t);
    for (let j = 0; j < 4; j++) { bf.qT.push(this.qT[j]!); bf.qS.push(this.qS[j]!); }
    for (let j = 0; j < 3; j++) { bf.gT.push(gT[3 * k + j]!); bf.gS.push(gS[3 * i + j]!); }
    this.turnedDeg += speedS * dt;
    if (this.turnedDeg < this.o.axisRotationDeg || speedS > this.o.stillDegS) return;
    const m = bf.tS.length;
    const dtS = (bf.tS[m - 1]! - bf.tS[0]!) / (m - 1);
    const h = estimateHingeAxes(bf.gT, bf.gS, dtS);
    if (!(h.j2UncertaintyDeg < this.o.maxAxisSigmaDeg)) { this.turnedDeg = 0; return; } // not yet: collect another bend
    this.axisSigmaDeg = h.j2UncertaintyDeg;
    this.build(h.j2, 1);
    // Sign: the calibration movement is flexion, so its largest excursion must be positive.
    let lo = 0, hi = 0;
    for (let s = 0; s < m; s++) {
      this.stage!.update(bf.qT.slice(4 * s, 4 * s + 4), bf.qS.slice(4 * s, 4 * s + 4), this.angles);
      lo = Math.min(lo, this.angles[0]!); hi = Math.max(hi, this.angles[0]!);
    }
    if (-lo > hi) this.build(h.j2, -1);
    this.state = 'measuring';
    // Measure the calibration movement itself.
    for (let s = 0; s < m; s++) {
      quat.readAt(this.qT, bf.qT, s);
      quat.readAt(this.qS, bf.qS, s);
      const gTs = Math.hypot(bf.gT[3 * s]!, bf.gT[3 * s + 1]!, bf.gT[3 * s + 2]!), gSs = Math.hypot(bf.gS[3 * s]!, bf.gS[3 * s + 1]!, bf.gS[3 * s + 2]!);
      const trial = this.measure(bf.tS[s]!, Math.max(gTs, gSs) / DEG);
      if (trial) out.push(trial);
    }
    this.buf = { tS: [], qT: [], qS: [], gT: [], gS: [] };
  }

  private build(j2: ArrayLike<number>, sign: number): void {
    const axis = [sign * j2[0]!, sign * j2[1]!, sign * j2[2]!];
    const gS = stillGravityDirection(this.stillAccS, this.stillGyrS);
    const distal = sensorToSegmentFromPairs({ sensor: gS.upS, segment: [0, 1, 0] }, { sensor: axis, segment: [0, 0, 1] });
    this.mountResidualDeg = distal.residualDeg;
    // Thigh mount: its segment has the shank segment's orientation in the neutral pose.
    const qGSegS = quat.multiply(quat.create(), this.qNeutralS, quat.conjugate(quat.create(), distal.qSegSensor));
    const qSegSensorT = quat.normalize(quat.create(), quat.multiply(quat.create(), quat.conjugate(quat.create(), qGSegS), this.qNeutralT));
    const cov = mountCovariance([0, 0, 1], this.axisSigmaDeg * DEG, [0, 1, 0], GRAVITY_SIGMA_DEG * DEG, distal.residualDeg * DEG);
    this.stage = new JointAngleStage({
      joint: 'knee', side: this.side, uncertainty: 'sigma', headingSigmaRad: HEADING_SIGMA_DEG * DEG,
      proximal: { qSegSensor: qSegSensorT, mountCovarianceRad2: cov },
      distal: { qSegSensor: distal.qSegSensor, mountCovarianceRad2: cov },
    });
  }

  private measure(t: number, speed: number): Trial | undefined {
    this.stage!.update(this.qT, this.qS, this.angles);
    const a = this.angles[0]! / DEG;
    const unc = this.stage!.uncertaintyRad[0]! / DEG;
    this.last = { tS: t, angleDeg: a, uncertaintyDeg: unc, speedDegS: speed, outOfPlane: false };
    return this.capture.push(t, a, unc, speed);
  }
}
