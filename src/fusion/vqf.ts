/**
 * VQF-class orientation filter, written from the method of Laidig & Seel, "VQF: Highly
 * accurate IMU orientation estimation with bias estimation and magnetic disturbance
 * rejection", Information Fusion 91 (2023).
 *
 * Structure (q_GS convention of src/math/quat.ts):
 * - `gyrQuat` (sensor → almost-inertial frame I): strapdown integration of the gyroscope minus
 *   the bias estimate.
 * - `accQuat` (I → 6D earth frame E, z up): the specific force is rotated into I, where over
 *   a few seconds it is almost constant (gravity, plus linear accelerations that average out),
 *   low-pass filtered there (2nd-order Butterworth, τ = `tauAccS`) and the full remaining tilt
 *   between that filtered vector and vertical is corrected at every sample. Filtering in I
 *   instead of the sensor frame is what lets a long time constant work during fast rotation.
 *   With `alignToSampleInstant` each sample is rotated with the orientation at its own
 *   instant, half a strapdown step before gyrQuat (likewise the magnetometer below).
 * - `deltaRad` (E → East-North-Up): a single heading offset about the vertical, driven by the
 *   magnetometer's horizontal direction in E through a first-order filter (τ = `tauMagS`),
 *   with disturbance detection and rejection (magDisturbance.ts). The magnetometer never
 *   touches inclination.
 * - Gyroscope bias: Kalman filter with 3×3 covariance, in motion from the inclination
 *   correction and at rest from the low-passed gyroscope (biasEstimator.ts, restDetector.ts).
 *
 * Output: 6D = accQuat ⊗ gyrQuat (z up, heading arbitrary: it starts at the sensor's own
 * heading and drifts only with the residual vertical bias); 9D = Rz(δ) ⊗ 6D in
 * East-North-Up. {@link Vqf.getQuat} gives 9D once a magnetometer sample has been fused.
 *
 * Sensors may run at different rates: {@link Vqf.updateGyr}, {@link Vqf.updateAcc} and
 * {@link Vqf.updateMag} each take the time since that sensor's previous sample;
 * {@link Vqf.update} calls them in order for one instant. Coefficients are recomputed only
 * when a sensor's smoothed sampling period changes by more than `rateChangeTolerance`.
 *
 * Bad input never enters the state: non-finite values, zero accelerometer vectors and
 * dt ≤ 0 are skipped and counted in {@link Vqf.inputReport}; saturated gyroscope samples are
 * integrated (the best information there is) but end rest detection; saturated accelerometer
 * and magnetometer samples are not used. No allocation per sample.
 */
import * as quat from '../math/quat';
import type { Quat } from '../math/quat';
import type { Vec3, Vec3Like } from '../math/vec3';
import * as block from '../samples/block';
import type { InertialBlock } from '../samples/block';
import * as biasEstimator from './biasEstimator';
import type { FusionFlags, FusionInputReport, OrientationFilter } from './filter';
import * as magDisturbance from './magDisturbance';
import * as restDetector from './restDetector';
import {
  createVqfCoefficients,
  setAccCoefficients,
  setGyrCoefficients,
  setMagCoefficients,
  setParamConstants,
  type VqfCoefficients,
} from './vqfCoefficients';
import * as vqfLowPass from './vqfLowPass';
import { resolveVqfParams, VqfParamError, type VqfParams } from './vqfParams';
import { createVqfLiveState, loadPlainState, toPlainState, type VqfLiveState, type VqfState } from './vqfState';

/** Sampling rates known in advance (otherwise each is learnt from the first time step). */
export interface VqfRates {
  /** Nominal rate of all three sensors, Hz. */
  rateHz?: number;
  gyrRateHz?: number;
  accRateHz?: number;
  magRateHz?: number;
}

/** `outQuat` too short for the block (needs 4 values per sample). */
export class FusionOutputLengthError extends RangeError {
  override readonly name = 'FusionOutputLengthError';
  constructor(needed: number, got: number) {
    super(`updateBlock: outQuat needs length ≥ ${needed} (4 per sample), got ${got}`);
  }
}

// Imported functions and constants bound once: under a CommonJS transform (tsx, some bundlers)
// every access through a module object is a getter call, which the JIT stops inlining in
// functions this size — a third of the per-sample time.
const { integrateRate, rotate, multiply, normalize } = quat;
const { SAT_ACC, SAT_GYR, SAT_MAG, requireInertial } = block;
const { biasStep, resetBiasCovariance } = biasEstimator;
const { magDistDetect, magRejectionGain } = magDisturbance;
const { breakRest, restStepAcc, restStepGyr } = restDetector;
const { adaptLowPassState, lowPassAveraging, lowPassStep3 } = vqfLowPass;

const GYR = 0, ACC = 1, MAG = 2;
const BAD_GYR = 0, BAD_ACC = 1, BAD_MAG = 2, BAD_DT = 3, SATURATED = 4, GAPS = 5;
/** Smoothing of the measured sampling period (per sample) and its outlier clip (× current). */
const RATE_SMOOTHING = 0.02;
const RATE_CLIP = 2;
/** Default sampling period when a block's first sample has nothing better, s. */
const FALLBACK_TS_S = 0.01;

/**
 * Largest magnitudes taken as measurements; beyond them a value is as unusable as NaN (no
 * sensor reads them, and their squares would overflow): rad/s, m/s², µT, and s for a step.
 */
const MAX_GYR_RAD_S = 1e4;
const MAX_ACC_MS2 = 1e6;
const MAX_MAG_UT = 1e6;
const MAX_DT_S = 1e6;

/** All three finite and within ±lim (false for NaN and ±∞: comparisons with NaN fail). */
function within3(v: Vec3Like, lim: number): boolean {
  const x = v[0]!, y = v[1]!, z = v[2]!;
  return x <= lim && x >= -lim && y <= lim && y >= -lim && z <= lim && z >= -lim;
}

function goodDt(dtS: number): boolean {
  return dtS > 0 && dtS <= MAX_DT_S;
}

export class Vqf implements OrientationFilter<VqfState> {
  readonly name = 'vqf';
  readonly params: Readonly<VqfParams>;
  private readonly c: VqfCoefficients;
  private s: VqfLiveState;
  /** Sampling periods given at construction, s (0 = learn). */
  private readonly givenTsS: Float64Array;
  // Scratch, reused every sample.
  private readonly v3 = new Float64Array(3);
  private readonly accE = new Float64Array(3);
  /** An accelerometer or magnetometer sample rotated to its sampling instant (alignToSampleInstant). */
  private readonly alignedS = new Float64Array(3);
  private readonly q6 = new Float64Array(4);
  /** `q6` holds accQuat ⊗ gyrQuat for the current state (cleared by every state change). */
  private q6Valid = false;
  private readonly qc = new Float64Array(4);
  /** See {@link headingCosSin} (NaN: not computed yet). */
  private readonly headCS = Float64Array.of(NaN, 1, 0);
  private readonly gain = new Float64Array(1);
  /** Time step of the sample being processed, s (a field, not an argument: see vqfLowPass.ts). */
  private stepDtS = 0.01;
  /** Time step given to `update` (or taken from a block), s. */
  private callDtS = 0.01;
  private readonly gyrS = new Float64Array(3);
  private readonly accS = new Float64Array(3);
  private readonly magS = new Float64Array(3);
  private readonly oldLp = new Float64Array(6);
  private readonly oldLp2 = new Float64Array(6);
  private readonly oldLp3 = new Float64Array(6);
  private readonly flagsValue = { initialising: true, resting: false, accRejected: false, magDisturbed: false, magUsed: false };
  private readonly reportValue = { badGyr: 0, badAcc: 0, badMag: 0, badDt: 0, saturated: 0, gaps: 0 };

  constructor(params: Partial<VqfParams> = {}, rates: VqfRates = {}) {
    this.params = Object.freeze(resolveVqfParams(params));
    this.givenTsS = new Float64Array(3);
    const names = ['gyrRateHz', 'accRateHz', 'magRateHz'] as const;
    for (let k = 0; k < 3; k++) {
      const r = rates[names[k]!] ?? rates.rateHz;
      if (r === undefined) continue;
      if (!(r > 0) || !Number.isFinite(r)) throw new VqfParamError(names[k]!, r, 'must be a positive finite rate in Hz');
      this.givenTsS[k] = 1 / r;
    }
    this.c = createVqfCoefficients();
    setParamConstants(this.c, this.params);
    this.s = createVqfLiveState();
    this.reset();
  }

  /** Back to the initial state; parameters and given rates are kept. */
  reset(): void {
    this.s = createVqfLiveState();
    this.q6Valid = false;
    resetBiasCovariance(this.s.bias.p, this.params.biasSigmaInitDegS ** 2);
    for (let k = 0; k < 3; k++) if (this.givenTsS[k]! > 0) this.setRate(k, this.givenTsS[k]!, false);
  }

  // ---------------------------------------------------------------- sampling rates

  private setRate(k: number, tsS: number, adapt: boolean): void {
    const c = this.c, p = this.params, s = this.s;
    s.coeffTsS[k] = tsS;
    s.avgTsS[k] = tsS;
    if (k === GYR) {
      this.oldLp.set(c.restGyrLp);
      setGyrCoefficients(c, p, tsS);
      if (adapt) adaptLowPassState(s.rest.gyrLpState, 3, this.oldLp, c.restGyrLp);
    } else if (k === ACC) {
      this.oldLp.set(c.accLp);
      this.oldLp2.set(c.restAccLp);
      this.oldLp3.set(c.biasLp);
      setAccCoefficients(c, p, tsS);
      if (adapt) {
        adaptLowPassState(s.accLpState, 3, this.oldLp, c.accLp);
        adaptLowPassState(s.bias.rLpState, 9, this.oldLp3, c.biasLp);
        adaptLowPassState(s.bias.rbLpState, 2, this.oldLp3, c.biasLp);
        adaptLowPassState(s.rest.accLpState, 3, this.oldLp2, c.restAccLp);
        if (s.bias.phase >= c.biasDecimation) s.bias.phase = 0;
      }
    } else {
      this.oldLp.set(c.magNormDipLp);
      setMagCoefficients(c, p, tsS);
      if (s.magSkip >= c.magDecimation) s.magSkip = 0;
      if (adapt) adaptLowPassState(s.magDist.normDipLpState, 2, this.oldLp, c.magNormDipLp);
    }
  }

  /** Follow the sampling period of sensor `k` (the first step sets it unless it was given). */
  private trackRate(k: number): void {
    const s = this.s;
    const dtS = this.stepDtS;
    const ts = s.coeffTsS[k]!;
    if (ts === 0) {
      this.setRate(k, dtS, false);
      return;
    }
    // One long step (a gap) or a short one (jitter) moves the average by at most 2 %.
    const d = dtS > RATE_CLIP * ts ? RATE_CLIP * ts : dtS < ts / RATE_CLIP ? ts / RATE_CLIP : dtS;
    const avg = s.avgTsS[k]! + RATE_SMOOTHING * (d - s.avgTsS[k]!);
    s.avgTsS[k] = avg;
    if (Math.abs(avg - ts) > this.params.rateChangeTolerance * ts) this.setRate(k, avg, true);
  }

  // ---------------------------------------------------------------- update steps

  /**
   * Gyroscope sample (rad/s, sensor frame) `dtS` after the previous one. `saturated` marks a
   * clipped reading: integrated anyway, but it ends rest detection.
   */
  updateGyr(gyrRadS: Vec3Like, dtS: number, saturated = false): void {
    if (!goodDt(dtS)) {
      this.s.report[BAD_DT]++;
      return;
    }
    if (saturated) this.s.report[SATURATED]++;
    this.stepDtS = dtS;
    this.stepGyr(gyrRadS, saturated);
  }

  /** Accelerometer sample (m/s², sensor frame) `dtS` after the previous accelerometer sample. */
  updateAcc(accMS2: Vec3Like, dtS: number, saturated = false): void {
    if (!goodDt(dtS)) {
      this.s.report[BAD_DT]++;
      return;
    }
    if (saturated) this.s.report[SATURATED]++;
    this.stepDtS = dtS;
    this.stepAcc(accMS2, saturated);
  }

  /**
   * Magnetometer sample (µT, sensor frame; any consistent unit works — only its direction,
   * norm ratio and dip are used) `dtS` after the previous magnetometer sample. A zero vector
   * means "no sample".
   */
  updateMag(magUT: Vec3Like, dtS: number, saturated = false): void {
    if (!goodDt(dtS)) {
      this.s.report[BAD_DT]++;
      return;
    }
    if (saturated) {
      this.s.report[BAD_MAG]++;
      return;
    }
    this.stepDtS = dtS;
    this.stepMag(magUT);
  }

  /**
   * One instant: gyroscope, accelerometer and (if not null) magnetometer, `dtS` after the
   * previous call. `saturatedBits` is the sample's SAT_ACC | SAT_GYR | SAT_MAG mask.
   */
  update(gyrRadS: Vec3Like, accMS2: Vec3Like, magUT: Vec3Like | null, dtS: number, saturatedBits = 0): void {
    this.callDtS = dtS;
    this.updateSample(gyrRadS, accMS2, magUT, saturatedBits);
  }

  /** {@link update} with the time step in `callDtS` (no number argument to box per sample). */
  private updateSample(gyrRadS: Vec3Like, accMS2: Vec3Like, magUT: Vec3Like | null | undefined, saturatedBits: number): void {
    const s = this.s;
    const dtS = this.callDtS;
    if (!goodDt(dtS)) {
      s.report[BAD_DT]++;
      return;
    }
    if (dtS > this.params.maxStepS) {
      // Once more with the step gapStep set (≤ maxStepS): a merged local would box the step.
      this.gapStep();
      this.updateSample(gyrRadS, accMS2, magUT, saturatedBits);
      return;
    }
    if ((saturatedBits & (SAT_ACC | SAT_GYR)) !== 0) s.report[SATURATED]++;
    s.pendingAccS += dtS;
    s.pendingMagS += dtS;
    this.stepDtS = dtS;
    this.stepGyr(gyrRadS, (saturatedBits & SAT_GYR) !== 0);
    this.stepDtS = s.pendingAccS;
    if (this.stepAcc(accMS2, (saturatedBits & SAT_ACC) !== 0)) s.pendingAccS = 0;
    if (magUT !== null && magUT !== undefined) {
      if ((saturatedBits & SAT_MAG) !== 0) s.report[BAD_MAG]++;
      else {
        // The first magnetometer sample may come long after start: its step is this call's.
        // (if/else, not ?:, which V8 merges into a boxed number here.)
        if (s.coeffTsS[MAG] === 0) this.stepDtS = dtS;
        else this.stepDtS = s.pendingMagS;
        if (this.stepMag(magUT)) s.pendingMagS = 0;
      }
    }
  }

  /**
   * A step longer than `maxStepS`: count the gap, restart rest detection, and make this
   * sample's step one nominal gyroscope period (the rotation during the gap is unknown;
   * the accelerometer then corrects the inclination at its usual rate).
   */
  private gapStep(): void {
    const s = this.s;
    s.report[GAPS]++;
    breakRest(s.rest);
    const ts = s.coeffTsS[GYR]!;
    if (ts > 0 && ts <= this.params.maxStepS) this.callDtS = ts;
    else this.callDtS = Math.min(FALLBACK_TS_S, this.params.maxStepS);
    s.pendingAccS = 0;
    s.pendingMagS = 0;
  }

  private stepGyr(gyr: Vec3Like, saturated: boolean): void {
    const dtS = this.stepDtS;
    const s = this.s, p = this.params;
    const gx = gyr[0]!, gy = gyr[1]!, gz = gyr[2]!;
    // Bounds written out at each sensor's entry (false for NaN, ±∞): as a shared helper V8 did
    // not inline it into these large callers, a call per sensor per sample (3 % of the time).
    if (!(Math.abs(gx) <= MAX_GYR_RAD_S && Math.abs(gy) <= MAX_GYR_RAD_S && Math.abs(gz) <= MAX_GYR_RAD_S)) {
      s.report[BAD_GYR]++;
      breakRest(s.rest);
      return;
    }
    this.trackRate(GYR);
    if (p.restBiasEst || p.magDistRejection) {
      if (saturated) breakRest(s.rest);
      else restStepGyr(s.rest, gyr, this.c);
    }
    const b = s.bias.biasRadS, g = s.lastGyrRadS;
    g[0] = gx - b[0]!;
    g[1] = gy - b[1]!;
    g[2] = gz - b[2]!;
    integrateRate(s.gyrQuat, s.gyrQuat, g, dtS);
    s.lastGyrDtS = dtS;
    this.q6Valid = false;
  }

  /** Returns whether the sample was used. */
  private stepAcc(acc: Vec3Like, saturated: boolean): boolean {
    const s = this.s, p = this.params, c = this.c;
    const ax = acc[0]!, ay = acc[1]!, az = acc[2]!;
    if (!(Math.abs(ax) <= MAX_ACC_MS2 && Math.abs(ay) <= MAX_ACC_MS2 && Math.abs(az) <= MAX_ACC_MS2) || (ax === 0 && ay === 0 && az === 0)) {
      s.report[BAD_ACC]++;
      s.accRejected = true;
      return false;
    }
    if (saturated) {
      s.accRejected = true;
      return false;
    }
    s.accRejected = false;
    this.trackRate(ACC);
    if (p.restBiasEst) restStepAcc(s.rest, acc, c, p);

    // Specific force into the almost-inertial frame, low-passed there.
    const v = rotate(this.v3, s.gyrQuat, p.alignToSampleInstant ? this.alignHalfStep(acc) : acc);
    lowPassStep3(s.lastAccLp, v, c.accLp, s.accLpState);
    // Into the 6D earth frame; the correction turns it onto +z.
    const e = rotate(this.accE, s.accQuat, s.lastAccLp);
    const n = Math.sqrt(e[0]! * e[0]! + e[1]! * e[1]! + e[2]! * e[2]!);
    if (!(n > 0)) return true;
    // One division and multiplications instead of a division per component: divisions are
    // the long operations on this per-sample chain (differs from x / n by at most 1 ulp).
    const inv = 1 / n;
    e[0] = e[0]! * inv;
    e[1] = e[1]! * inv;
    e[2] = e[2]! * inv;
    // Shortest rotation from e to ẑ: axis e × ẑ = (e_y, −e_x, 0), cos(θ/2) = √((1 + e_z)/2).
    const qw = Math.sqrt(0.5 * (e[2]! + 1));
    const qc = this.qc;
    if (qw > 1e-6) {
      const h = 0.5 / qw;
      qc[0] = qw;
      qc[1] = e[1]! * h;
      qc[2] = -e[0]! * h;
      qc[3] = 0;
    }
    else {
      // e points straight down: any horizontal axis will do.
      qc[0] = 0;
      qc[1] = 1;
      qc[2] = 0;
      qc[3] = 0;
    }
    const q = multiply(s.accQuat, qc, s.accQuat);
    // Both factors are unit to rounding, so |q|² = 1 + O(1e-16): one Newton step towards
    // 1/|q|, (3 − |q|²)/2, renormalises as well as a square root and a division, for less.
    const n2 = q[0]! * q[0]! + q[1]! * q[1]! + q[2]! * q[2]! + q[3]! * q[3]!;
    if (Math.abs(n2 - 1) < 1e-6) {
      const k = 1.5 - 0.5 * n2;
      q[0] = q[0]! * k;
      q[1] = q[1]! * k;
      q[2] = q[2]! * k;
      q[3] = q[3]! * k;
    } else normalize(q, q);
    // q6 = accQuat ⊗ gyrQuat is formed when something reads it (bias step, magnetometer, output).
    this.q6Valid = false;

    if ((p.motionBiasEst || p.restBiasEst) && ++s.bias.phase >= c.biasDecimation) {
      s.bias.phase = 0;
      multiply(this.q6, s.accQuat, s.gyrQuat);
      this.q6Valid = true;
      biasStep(s.bias, this.q6, e, s.rest.detected, s.rest.lastGyrLp, c, p);
    }
    return true;
  }

  /**
   * A sensor-frame vector (accelerometer or magnetometer sample) rotated by exp(−ω·Δt/2)
   * (ω, Δt: the last gyroscope rate and step), into `alignedS`: gyrQuat ⊗ that rotation is
   * the orientation half a step before gyrQuat, the instant of the sample (see
   * {@link VqfParams.alignToSampleInstant}). Rodrigues' formula on the rotation
   * vector φ = −ω·Δt/2: a + (sin θ/θ) φ × a + ((1 − cos θ)/θ²) φ × (φ × a), θ = |φ|.
   */
  private alignHalfStep(vec: Vec3Like): Float64Array {
    const s = this.s, out = this.alignedS;
    const g = s.lastGyrRadS, h = -0.5 * s.lastGyrDtS;
    const px = g[0]! * h, py = g[1]! * h, pz = g[2]! * h;
    const ax = vec[0]!, ay = vec[1]!, az = vec[2]!;
    const t2 = px * px + py * py + pz * pz;
    let k1: number, k2: number;
    if (t2 < 1e-2) {
      // θ < 0.1 rad (every realistic step): the series to θ⁴, error < θ⁶/5040 ≈ 2e-10.
      k1 = 1 - (t2 / 6) * (1 - t2 / 20);
      k2 = 0.5 - (t2 / 24) * (1 - t2 / 30);
    } else {
      const t = Math.sqrt(t2);
      k1 = Math.sin(t) / t;
      k2 = (1 - Math.cos(t)) / t2;
    }
    const cx = py * az - pz * ay, cy = pz * ax - px * az, cz = px * ay - py * ax;
    out[0] = ax + k1 * cx + k2 * (py * cz - pz * cy);
    out[1] = ay + k1 * cy + k2 * (pz * cx - px * cz);
    out[2] = az + k1 * cz + k2 * (px * cy - py * cx);
    return out;
  }

  /** Returns whether the sample was used (false: refused or missing). */
  private stepMag(mag: Vec3Like): boolean {
    const s = this.s, p = this.params, c = this.c;
    const mx = mag[0]!, my = mag[1]!, mz = mag[2]!;
    if (!(Math.abs(mx) <= MAX_MAG_UT && Math.abs(my) <= MAX_MAG_UT && Math.abs(mz) <= MAX_MAG_UT)) {
      s.report[BAD_MAG]++;
      return false;
    }
    if ((mx === 0 && my === 0 && mz === 0) || !p.magEnabled) return false;
    this.trackRate(MAG);
    if (s.magSkip > 0) {
      s.magSkip--;
      return true;
    }
    s.magSkip = c.magDecimation - 1;
    if (!this.q6Valid) {
      multiply(this.q6, s.accQuat, s.gyrQuat);
      this.q6Valid = true;
    }
    const m = rotate(this.v3, this.q6, p.alignToSampleInstant ? this.alignHalfStep(mag) : mag);
    const h2 = m[0]! * m[0]! + m[1]! * m[1]!;
    // A field along the vertical says nothing about heading.
    if (!(h2 > 1e-12 * (h2 + m[2]! * m[2]!))) return false;
    if (p.magDistRejection) magDistDetect(s.magDist, m, s.rest.lastGyrLp, c, p);
    // Heading of the horizontal field, clockwise from +y (north) towards +x (east).
    let dis = Math.atan2(m[0]!, m[1]!) - s.deltaRad;
    if (dis > Math.PI) dis -= 2 * Math.PI;
    else if (dis < -Math.PI) dis += 2 * Math.PI;
    s.lastMagDisAngleRad = dis;
    let k = c.kMag;
    if (p.magDistRejection) {
      magRejectionGain(s.magDist, this.gain, c, p);
      k = this.gain[0]!;
    }
    // Fast start-up: the gain is at least 1/N for the N-th sample until t ≈ tauMag.
    if (s.kMagInit !== 0) {
      if (k < s.kMagInit) k = s.kMagInit;
      s.kMagInit = s.kMagInit / (s.kMagInit + 1);
      if (s.kMagInit * p.tauMagS < c.magTsS) s.kMagInit = 0;
    }
    let delta = s.deltaRad + k * dis;
    if (delta > Math.PI) delta -= 2 * Math.PI;
    else if (delta < -Math.PI) delta += 2 * Math.PI;
    s.deltaRad = delta;
    s.lastMagGain = k;
    s.magUsed = true;
    return true;
  }

  /**
   * Filter a block: one quaternion per sample into `outQuat` (q_GS, 9D when the block has a
   * magnetometer and `magEnabled`, else 6D). Time steps come from `block.tS`; the first
   * sample of the first block (and the first after a `gapBeforeS`) uses the nominal period
   * (`info.rateHz`, else the current one). A sample whose time does not increase is skipped
   * (counted as bad dt) and gets the held orientation.
   */
  updateBlock(block: InertialBlock, outQuat: Float64Array): void {
    // Typed callers cannot pass anything else; plain-JS ones get the typed error, not a TypeError.
    requireInertial(block, 'Vqf.updateBlock');
    const n = block.tS.length;
    if (outQuat.length < 4 * n) throw new FusionOutputLengthError(4 * n, outQuat.length);
    if (n === 0) return;
    const s = this.s;
    const tS = block.tS, gyr = block.gyrRadS, acc = block.accMS2, mag = block.magUT, sat = block.saturated;
    const useMag = mag !== undefined && this.params.magEnabled;
    const rate = block.info.rateHz;
    let nominal = rate !== undefined && rate > 0 && Number.isFinite(rate) ? 1 / rate : s.coeffTsS[GYR]!;
    if (!(nominal > 0)) nominal = n > 1 && tS[n - 1]! > tS[0]! ? (tS[n - 1]! - tS[0]!) / (n - 1) : FALLBACK_TS_S;
    const gap = block.gapBeforeS !== undefined && block.gapBeforeS > 0;
    if (gap) {
      breakRest(s.rest);
      s.report[GAPS]++;
    }
    const g = this.gyrS, a = this.accS, m = this.magS;
    const restart = !s.blockStarted || gap;
    for (let i = 0; i < n; i++) {
      const t = tS[i]!;
      // The step goes straight into a field in each branch: a local merged from `nominal` and
      // a difference would make V8 box every step.
      const first = i === 0 && restart;
      const dt = t - s.lastBlockTS;
      if (!Number.isFinite(t)) this.callDtS = NaN;
      else if (first) this.callDtS = nominal;
      else this.callDtS = dt;
      if (Number.isFinite(t) && (first || dt > 0)) {
        s.lastBlockTS = t;
        s.blockStarted = true;
      }
      const k = 3 * i;
      g[0] = gyr[k]!;
      g[1] = gyr[k + 1]!;
      g[2] = gyr[k + 2]!;
      a[0] = acc[k]!;
      a[1] = acc[k + 1]!;
      a[2] = acc[k + 2]!;
      if (useMag) {
        m[0] = mag[k]!;
        m[1] = mag[k + 1]!;
        m[2] = mag[k + 2]!;
      }
      this.updateSample(g, a, useMag ? m : null, sat !== undefined ? sat[i]! : 0);
      this.writeQuat(outQuat, 4 * i);
    }
  }

  /** getQuat written out into `out[k..k+4)` (kept flat: this runs once per block sample). */
  private writeQuat(out: Float64Array, k: number): void {
    const s = this.s;
    const q = this.qc;
    this.quat6(q);
    const w = q[0]!, x = q[1]!, y = q[2]!, z = q[3]!;
    if (!s.magUsed) {
      out[k] = w;
      out[k + 1] = x;
      out[k + 2] = y;
      out[k + 3] = z;
      return;
    }
    const hc = this.headingCosSin();
    const cw = hc[1]!, sz = hc[2]!;
    out[k] = cw * w - sz * z;
    out[k + 1] = cw * x - sz * y;
    out[k + 2] = cw * y + sz * x;
    out[k + 3] = cw * z + sz * w;
  }

  // ---------------------------------------------------------------- outputs

  /** accQuat ⊗ gyrQuat, predicted by `latencyCompensationS` when set. */
  private quat6(out: Quat): Quat {
    const s = this.s;
    if (this.params.latencyCompensationS !== 0) {
      integrateRate(out, s.gyrQuat, s.lastGyrRadS, this.params.latencyCompensationS);
      return multiply(out, s.accQuat, out);
    }
    if (this.q6Valid) {
      const q = this.q6;
      out[0] = q[0]!;
      out[1] = q[1]!;
      out[2] = q[2]!;
      out[3] = q[3]!;
      return out;
    }
    return multiply(out, s.accQuat, s.gyrQuat);
  }

  /**
   * [δ, cos(δ/2), sin(δ/2)] for the current heading offset δ. Recomputed only when δ has
   * changed: it moves once per fused magnetometer sample (every 3rd sample at 286 Hz), and the
   * output is read per sample.
   */
  private headingCosSin(): Float64Array {
    const hc = this.headCS, d = this.s.deltaRad;
    if (hc[0] !== d) {
      hc[0] = d;
      hc[1] = Math.cos(0.5 * d);
      hc[2] = Math.sin(0.5 * d);
    }
    return hc;
  }

  /** 6D orientation: z up, heading arbitrary. */
  getQuat6D(out: Quat): Quat {
    return this.quat6(out);
  }

  /** 9D orientation in East-North-Up (equals 6D until a magnetometer sample arrives). */
  getQuat9D(out: Quat): Quat {
    this.quat6(out);
    const hc = this.headingCosSin();
    const cw = hc[1]!, sz = hc[2]!;
    // Rz(δ) ⊗ q, written out (the rotation has only w and z parts).
    const w = out[0]!, x = out[1]!, y = out[2]!, z = out[3]!;
    out[0] = cw * w - sz * z;
    out[1] = cw * x - sz * y;
    out[2] = cw * y + sz * x;
    out[3] = cw * z + sz * w;
    return out;
  }

  /** 9D once a magnetometer sample has been fused, else 6D. */
  getQuat(out: Quat): Quat {
    return this.s.magUsed ? this.getQuat9D(out) : this.getQuat6D(out);
  }

  getBiasRadS(out: Vec3): Vec3 {
    const b = this.s.bias.biasRadS;
    out[0] = b[0]!;
    out[1] = b[1]!;
    out[2] = b[2]!;
    return out;
  }

  /** Set the bias estimate (rad/s) and, optionally, its standard deviation (°/s, all axes). */
  setBiasRadS(bias: Vec3Like, sigmaDegS?: number): void {
    if (!within3(bias, Infinity)) throw new VqfParamError('bias', Array.from(bias as ArrayLike<number>).join(','), 'must be finite');
    const lim = this.c.biasClipRadS;
    for (let i = 0; i < 3; i++) this.s.bias.biasRadS[i] = Math.max(-lim, Math.min(lim, bias[i]!));
    if (sigmaDegS !== undefined) {
      if (!(sigmaDegS >= 0) || !Number.isFinite(sigmaDegS)) throw new VqfParamError('sigmaDegS', sigmaDegS, 'must be finite and ≥ 0');
      resetBiasCovariance(this.s.bias.p, sigmaDegS * sigmaDegS);
    }
  }

  /** Uncertainty of the bias estimate: √ of the largest diagonal covariance entry, °/s. */
  getBiasSigmaDegS(): number {
    const P = this.s.bias.p;
    return Math.sqrt(Math.max(P[0]!, P[4]!, P[8]!));
  }

  /** Heading offset 6D → East-North-Up, rad. */
  getDeltaRad(): number {
    return this.s.deltaRad;
  }

  /** Gain of the last heading correction (0 while a disturbance is rejected). */
  getLastMagGain(): number {
    return this.s.lastMagGain;
  }

  get flags(): FusionFlags {
    const s = this.s, f = this.flagsValue;
    f.initialising = lowPassAveraging(s.accLpState, 3) || (s.magUsed && s.kMagInit !== 0);
    f.resting = s.rest.detected;
    f.accRejected = s.accRejected;
    f.magDisturbed = s.magUsed && this.params.magDistRejection && s.magDist.detected;
    f.magUsed = s.magUsed;
    return f;
  }

  get inputReport(): FusionInputReport {
    const r = this.s.report, o = this.reportValue;
    o.badGyr = r[BAD_GYR]!;
    o.badAcc = r[BAD_ACC]!;
    o.badMag = r[BAD_MAG]!;
    o.badDt = r[BAD_DT]!;
    o.saturated = r[SATURATED]!;
    o.gaps = r[GAPS]!;
    return o;
  }

  /** Deep copy of the state as plain data (JSON-serialisable). */
  getState(): VqfState {
    return toPlainState(this.s);
  }

  /**
   * Restore a state from {@link getState} (same parameters assumed). Throws `VqfStateError`
   * for a malformed state, leaving the filter unchanged. Coefficients follow the state's
   * sampling periods.
   */
  setState(state: VqfState): void {
    loadPlainState(this.s, state);
    this.q6Valid = false;
    for (let k = 0; k < 3; k++) {
      const ts = this.s.coeffTsS[k]!;
      if (ts === 0 && this.givenTsS[k]! > 0) this.setRate(k, this.givenTsS[k]!, false);
      else if (ts > 0) {
        const avg = this.s.avgTsS[k]!;
        this.setRate(k, ts, false);
        this.s.avgTsS[k] = avg;
      }
    }
  }
}
