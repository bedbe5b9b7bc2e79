/**
 * Rest detection for the VQF-class filter: the sensor is at rest when, for `restMinS`, the
 * gyroscope and the accelerometer both stay within a threshold of their own low-passed values
 * (τ = `restFilterTauS`) and the low-passed gyroscope is small enough to be a bias (≤ the
 * bias clip). The low-passed gyroscope at rest is then the bias measurement.
 *
 * The gyroscope can only veto rest; the accelerometer's steady samples accumulate rest time
 * (so rest is judged at the accelerometer's rate).
 */
import type { VqfCoefficients } from './vqfCoefficients';
import * as vqfLowPass from './vqfLowPass';

// Bound once (see vqf.ts: module-object access can cost a getter call per use).
const { lowPassStateLength, lowPassStep3 } = vqfLowPass;
import type { VqfParams } from './vqfParams';

/** Plain-data rest detector state, generic over the array type (live: Float64Array; serialised: number[]). */
export interface RestStateOf<A> {
  detected: boolean;
  /** Time the signals have been steady, s. */
  tS: number;
  /** Low-passed gyroscope (rad/s) and accelerometer (m/s²). */
  lastGyrLp: A;
  lastAccLp: A;
  gyrLpState: A;
  accLpState: A;
  /** Last squared deviations from the low-passed values: gyroscope (rad/s)², accelerometer (m/s²)². */
  lastSqDev: A;
}

export type RestState = RestStateOf<number[]>;

export function createRestState(): RestStateOf<Float64Array> {
  return {
    detected: false,
    tS: 0,
    lastGyrLp: new Float64Array(3),
    lastAccLp: new Float64Array(3),
    gyrLpState: new Float64Array(lowPassStateLength(3)),
    accLpState: new Float64Array(lowPassStateLength(3)),
    lastSqDev: new Float64Array(2),
  };
}

/** Not at rest (e.g. after a saturated or missing gyroscope sample). */
export function breakRest(r: RestStateOf<Float64Array>): void {
  r.tS = 0;
  r.detected = false;
}

/** Gyroscope sample (rad/s): can only end a rest. */
export function restStepGyr(r: RestStateOf<Float64Array>, gyrRadS: ArrayLike<number>, c: VqfCoefficients): void {
  const lp = lowPassStep3(r.lastGyrLp, gyrRadS, c.restGyrLp, r.gyrLpState);
  const dx = gyrRadS[0]! - lp[0]!, dy = gyrRadS[1]! - lp[1]!, dz = gyrRadS[2]! - lp[2]!;
  const dev = dx * dx + dy * dy + dz * dz;
  r.lastSqDev[0] = dev;
  const clip = c.biasClipRadS;
  if (dev >= c.restThGyrSq || Math.abs(lp[0]!) > clip || Math.abs(lp[1]!) > clip || Math.abs(lp[2]!) > clip) breakRest(r);
}

/** Accelerometer sample (m/s²): steady samples add rest time (one accelerometer period each). */
export function restStepAcc(r: RestStateOf<Float64Array>, accMS2: ArrayLike<number>, c: VqfCoefficients, p: VqfParams): void {
  const lp = lowPassStep3(r.lastAccLp, accMS2, c.restAccLp, r.accLpState);
  const dx = accMS2[0]! - lp[0]!, dy = accMS2[1]! - lp[1]!, dz = accMS2[2]! - lp[2]!;
  const dev = dx * dx + dy * dy + dz * dz;
  r.lastSqDev[1] = dev;
  if (dev >= c.restThAccSq) {
    breakRest(r);
    return;
  }
  r.tS += c.accTsS;
  if (r.tS >= p.restMinS) r.detected = true;
}
