/**
 * Coefficients of the VQF-class filter: everything derived from the parameters and the three
 * sampling periods (gyroscope, accelerometer, magnetometer), kept apart from both so that a
 * sample never recomputes a `tan` or an `exp`. They are recomputed only when a sensor's
 * sampling period changes (see `Vqf`), one sensor at a time.
 *
 * Bias covariances are in (°/s)²; the bias itself is in rad/s (the Kalman gain is unitless,
 * so only the covariances' scale must agree among themselves).
 */
import { createLowPassCoefficients, lowPassCoefficients, type LowPassCoefficients } from './vqfLowPass';
import type { VqfParams } from './vqfParams';

const DEG = Math.PI / 180;

export interface VqfCoefficients {
  /** Sampling periods the coefficients are for, s (0: not known yet). */
  gyrTsS: number;
  accTsS: number;
  magTsS: number;
  /** Accelerometer low-pass in the almost-inertial frame (τ = tauAccS at accTsS); also the bias model's filters. */
  readonly accLp: LowPassCoefficients;
  /**
   * Bias estimation runs on every `biasDecimation`-th accelerometer sample (at ≤ ~75 Hz: the
   * bias changes over minutes, and this step is the filter's most expensive), i.e. every
   * `biasTsS`; `biasLp` is the tauAccS low-pass at that period.
   */
  biasDecimation: number;
  biasTsS: number;
  readonly biasLp: LowPassCoefficients;
  /** Rest detection low-passes of the gyroscope (gyrTsS) and accelerometer (accTsS). */
  readonly restGyrLp: LowPassCoefficients;
  readonly restAccLp: LowPassCoefficients;
  /**
   * The magnetometer is fused on every `magDecimation`-th sample (at ≤ ~100 Hz): the heading
   * correction acts over `tauMagS` (seconds), so faster updates add cost, not accuracy; this
   * step and the disturbance check were a fifth of a 9D update at BROAD's 286 Hz. `magTsS` is
   * the period of the fused samples.
   */
  magDecimation: number;
  /** Low-pass of the current field norm and dip (magTsS). */
  readonly magNormDipLp: LowPassCoefficients;
  /** Heading correction gain per magnetometer sample, 1 − exp(−Ts/τ). */
  kMag: number;
  /** Gain of the reference norm/dip adaptation per magnetometer sample. */
  kMagRef: number;
  /** Initial bias variance, (°/s)². */
  biasP0: number;
  /** Bias process noise per accelerometer sample, (°/s)². */
  biasV: number;
  /** Measurement noise of the motion update (horizontal axes, vertical axis) and the rest update, (°/s)². */
  biasMotionW: number;
  biasVerticalW: number;
  biasRestW: number;
  /** The same as measurement noise diagonals: [motion x, y, z, rest x, y, z]. */
  readonly biasW: Float64Array;
  /** Parameters converted once to rad and squared where compared squared. */
  biasClipRadS: number;
  restThGyrSq: number;
  restThAccSq: number;
  magDipThRad: number;
  magNewMinGyrRadS: number;
}

export function createVqfCoefficients(): VqfCoefficients {
  return {
    gyrTsS: 0,
    accTsS: 0,
    magTsS: 0,
    accLp: createLowPassCoefficients(),
    biasDecimation: 1,
    biasTsS: 0,
    biasLp: createLowPassCoefficients(),
    restGyrLp: createLowPassCoefficients(),
    restAccLp: createLowPassCoefficients(),
    magDecimation: 1,
    magNormDipLp: createLowPassCoefficients(),
    biasW: new Float64Array(6),
    kMag: 0,
    kMagRef: 0,
    biasP0: 0,
    biasV: 0,
    biasMotionW: 0,
    biasVerticalW: 0,
    biasRestW: 0,
    biasClipRadS: 0,
    restThGyrSq: 0,
    restThAccSq: 0,
    magDipThRad: 0,
    magNewMinGyrRadS: 0,
  };
}

/** Gain of a first-order filter step with time constant `tauS` at period `tsS` (τ = 0: 1). */
export function gainFromTau(tauS: number, tsS: number): number {
  if (tauS === 0) return 1;
  return 1 - Math.exp(-tsS / tauS);
}

/** Rate-independent constants (unit conversions). */
export function setParamConstants(c: VqfCoefficients, p: VqfParams): void {
  c.biasClipRadS = p.biasClipDegS * DEG;
  c.restThGyrSq = (p.restThGyrDegS * DEG) ** 2;
  c.restThAccSq = p.restThAccMS2 ** 2;
  c.magDipThRad = p.magDipThDeg * DEG;
  c.magNewMinGyrRadS = p.magNewMinGyrDegS * DEG;
}

export function setGyrCoefficients(c: VqfCoefficients, p: VqfParams, tsS: number): void {
  c.gyrTsS = tsS;
  lowPassCoefficients(c.restGyrLp, p.restFilterTauS, tsS);
}

export function setAccCoefficients(c: VqfCoefficients, p: VqfParams, tsS: number): void {
  c.accTsS = tsS;
  lowPassCoefficients(c.accLp, p.tauAccS, tsS);
  lowPassCoefficients(c.restAccLp, p.restFilterTauS, tsS);
  c.biasDecimation = Math.max(1, Math.round(tsS > 0 ? 0.02 / tsS : 1));
  c.biasTsS = tsS * c.biasDecimation;
  lowPassCoefficients(c.biasLp, p.tauAccS, c.biasTsS);
  c.biasP0 = p.biasSigmaInitDegS ** 2;
  // Variance growth per bias step such that a bias known exactly becomes uncertain by
  // 0.1 °/s (one standard deviation) after biasForgettingTimeS without measurements.
  c.biasV = (0.1 ** 2 * c.biasTsS) / p.biasForgettingTimeS;
  // Measurement noise chosen so that the steady-state covariance of the random-walk bias
  // under continuous updates is about the requested sigma².
  const pMotion = p.biasSigmaMotionDegS ** 2;
  c.biasMotionW = (pMotion * pMotion) / c.biasV + pMotion;
  c.biasVerticalW = c.biasMotionW / Math.max(p.biasVerticalForgettingFactor, 1e-10);
  const pRest = p.biasSigmaRestDegS ** 2;
  c.biasRestW = (pRest * pRest) / c.biasV + pRest;
  c.biasW.set([c.biasMotionW, c.biasMotionW, c.biasVerticalW, c.biasRestW, c.biasRestW, c.biasRestW]);
}

export function setMagCoefficients(c: VqfCoefficients, p: VqfParams, tsS: number): void {
  c.magDecimation = Math.max(1, Math.round(tsS > 0 ? 0.01 / tsS : 1));
  tsS *= c.magDecimation;
  c.magTsS = tsS;
  c.kMag = gainFromTau(p.tauMagS, tsS);
  c.kMagRef = gainFromTau(p.magRefTauS, tsS);
  lowPassCoefficients(c.magNormDipLp, p.magCurrentTauS, tsS);
}
