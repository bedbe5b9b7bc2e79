/**
 * Gyroscope bias estimation of the VQF-class filter: a Kalman filter over the 3-D bias b
 * (rad/s) with a full 3×3 covariance P ((°/s)², row-major), run at the accelerometer rate.
 *
 * - In motion, the inclination correction is the measurement: an uncorrected bias makes the
 *   strapdown frame drift at R·b (R: sensor → 6D earth frame), which the correction then
 *   undoes, so  LP(R·b) − ω_corr ≈ LP(R)·b  where ω_corr is the correction rate and LP the
 *   accelerometer low-pass (applied to both sides so they are delayed alike). Only the two
 *   horizontal rows carry information; the vertical row is given a huge noise so that the
 *   vertical bias slowly forgets instead of drifting.
 * - At rest, the low-passed gyroscope is a direct measurement of b (R = I).
 *
 * P grows by a constant V per update (bias random walk) up to its initial value, so a long
 * time without information returns the estimate to "unknown" but never beyond.
 *
 * It runs on every `biasDecimation`-th accelerometer sample (≤ ~75 Hz; see vqfCoefficients):
 * with the process and measurement noise scaled to that period this is the same filter, at
 * half the cost at 100 Hz and a sixth at BROAD's 286 Hz (BROAD's figures moved by ≤ 0.001°).
 */
import type { VqfCoefficients } from './vqfCoefficients';
import * as vqfLowPass from './vqfLowPass';

// Bound once (see vqf.ts: module-object access can cost a getter call per use).
const { lowPassStateLength, lowPassStep, lowPassStep2 } = vqfLowPass;
import type { VqfParams } from './vqfParams';

export interface BiasStateOf<A> {
  /** Bias estimate, rad/s. */
  biasRadS: A;
  /** Covariance, (°/s)², row-major 3×3. */
  p: A;
  /** Low-pass memories of R (9 channels) and of the horizontal rows of R·b (2 channels). */
  rLpState: A;
  rbLpState: A;
  /** Accelerometer samples since the last bias step (see `biasDecimation`). */
  phase: number;
}

export type BiasState = BiasStateOf<number[]>;

export function createBiasState(): BiasStateOf<Float64Array> {
  return {
    biasRadS: new Float64Array(3),
    p: new Float64Array(9),
    rLpState: new Float64Array(lowPassStateLength(9)),
    rbLpState: new Float64Array(lowPassStateLength(2)),
    phase: 0,
  };
}

/** P = p0·I. */
export function resetBiasCovariance(p: Float64Array, p0: number): void {
  p.fill(0);
  p[0] = p0;
  p[4] = p0;
  p[8] = p0;
}

// Scratch (module-level: the filter is single-threaded and these never escape a call).
const R = new Float64Array(9);
const rb = new Float64Array(2);
const e = new Float64Array(3);

function clip(x: number, lim: number): number {
  return x > lim ? lim : x < -lim ? -lim : x;
}

/** Limit each disagreement to ±lim (a large one is more likely a disturbance than bias). */
function clipInnovation(lim: number): void {
  e[0] = clip(e[0]!, lim);
  e[1] = clip(e[1]!, lim);
  e[2] = clip(e[2]!, lim);
}

/**
 * One Kalman update b ← b + K·e, P ← P − K·H·P with measurement matrix H (row-major 3×3),
 * innovation e (rad/s) and diagonal measurement noise w[wOffset..+3) ((°/s)²). Written out
 * in scalars (P and S are symmetric); no number arguments (V8 would box them).
 */
export function biasKalmanUpdate(bias: Float64Array, P: Float64Array, H: Float64Array, innov: Float64Array, w: Float64Array, wOffset: number): void {
  const e0 = innov[0]!, e1 = innov[1]!, e2 = innov[2]!;
  const w0 = w[wOffset]!, w1 = w[wOffset + 1]!, w2 = w[wOffset + 2]!;
  const p00 = P[0]!, p01 = P[1]!, p02 = P[2]!, p11 = P[4]!, p12 = P[5]!, p22 = P[8]!;
  const h00 = H[0]!, h01 = H[1]!, h02 = H[2]!, h10 = H[3]!, h11 = H[4]!, h12 = H[5]!, h20 = H[6]!, h21 = H[7]!, h22 = H[8]!;
  // A = P Hᵀ (column j = P·h_j)
  const a00 = p00 * h00 + p01 * h01 + p02 * h02, a01 = p00 * h10 + p01 * h11 + p02 * h12, a02 = p00 * h20 + p01 * h21 + p02 * h22;
  const a10 = p01 * h00 + p11 * h01 + p12 * h02, a11 = p01 * h10 + p11 * h11 + p12 * h12, a12 = p01 * h20 + p11 * h21 + p12 * h22;
  const a20 = p02 * h00 + p12 * h01 + p22 * h02, a21 = p02 * h10 + p12 * h11 + p22 * h12, a22 = p02 * h20 + p12 * h21 + p22 * h22;
  // S = H A + W (symmetric)
  const s00 = h00 * a00 + h01 * a10 + h02 * a20 + w0;
  const s01 = h00 * a01 + h01 * a11 + h02 * a21;
  const s02 = h00 * a02 + h01 * a12 + h02 * a22;
  const s11 = h10 * a01 + h11 * a11 + h12 * a21 + w1;
  const s12 = h10 * a02 + h11 * a12 + h12 * a22;
  const s22 = h20 * a02 + h21 * a12 + h22 * a22 + w2;
  // S⁻¹ by cofactors (S is symmetric positive definite since W > 0).
  const c00 = s11 * s22 - s12 * s12, c01 = s02 * s12 - s01 * s22, c02 = s01 * s12 - s02 * s11;
  const det = s00 * c00 + s01 * c01 + s02 * c02;
  if (!(det > 0) || !Number.isFinite(det)) return;
  const id = 1 / det;
  const i00 = c00 * id, i01 = c01 * id, i02 = c02 * id;
  const i11 = (s00 * s22 - s02 * s02) * id, i12 = (s01 * s02 - s00 * s12) * id, i22 = (s00 * s11 - s01 * s01) * id;
  // K = A S⁻¹
  const k00 = a00 * i00 + a01 * i01 + a02 * i02, k01 = a00 * i01 + a01 * i11 + a02 * i12, k02 = a00 * i02 + a01 * i12 + a02 * i22;
  const k10 = a10 * i00 + a11 * i01 + a12 * i02, k11 = a10 * i01 + a11 * i11 + a12 * i12, k12 = a10 * i02 + a11 * i12 + a12 * i22;
  const k20 = a20 * i00 + a21 * i01 + a22 * i02, k21 = a20 * i01 + a21 * i11 + a22 * i12, k22 = a20 * i02 + a21 * i12 + a22 * i22;
  bias[0] = bias[0]! + k00 * e0 + k01 * e1 + k02 * e2;
  bias[1] = bias[1]! + k10 * e0 + k11 * e1 + k12 * e2;
  bias[2] = bias[2]! + k20 * e0 + k21 * e1 + k22 * e2;
  // P ← P − K Aᵀ (symmetric: the upper triangle, mirrored)
  const n00 = p00 - (k00 * a00 + k01 * a01 + k02 * a02);
  const n01 = p01 - (k00 * a10 + k01 * a11 + k02 * a12);
  const n02 = p02 - (k00 * a20 + k01 * a21 + k02 * a22);
  const n11 = p11 - (k10 * a10 + k11 * a11 + k12 * a12);
  const n12 = p12 - (k10 * a20 + k11 * a21 + k12 * a22);
  const n22 = p22 - (k20 * a20 + k21 * a21 + k22 * a22);
  P[0] = n00;
  P[1] = P[3] = n01;
  P[2] = P[6] = n02;
  P[4] = n11;
  P[5] = P[7] = n12;
  P[8] = n22;
}

/**
 * One bias step (every `biasDecimation`-th accelerometer sample). `q6` is the 6D orientation (sensor → earth)
 * before this sample's inclination correction, `accE` the normalised low-passed specific
 * force in the earth frame before that correction (its horizontal part is what the
 * correction removes), `restGyrLp` the rest detector's low-passed gyroscope, `resting` its verdict.
 */
export function biasStep(
  s: BiasStateOf<Float64Array>,
  q6: ArrayLike<number>,
  accE: ArrayLike<number>,
  resting: boolean,
  restGyrLp: ArrayLike<number>,
  c: VqfCoefficients,
  p: VqfParams,
): void {
  const b = s.biasRadS;
  const w = q6[0]!, x = q6[1]!, y = q6[2]!, z = q6[3]!;
  R[0] = 1 - 2 * (y * y + z * z);
  R[1] = 2 * (x * y - w * z);
  R[2] = 2 * (x * z + w * y);
  R[3] = 2 * (x * y + w * z);
  R[4] = 1 - 2 * (x * x + z * z);
  R[5] = 2 * (y * z - w * x);
  R[6] = 2 * (x * z - w * y);
  R[7] = 2 * (y * z + w * x);
  R[8] = 1 - 2 * (x * x + y * y);
  const b0 = b[0]!, b1 = b[1]!, b2 = b[2]!;
  rb[0] = R[0] * b0 + R[1] * b1 + R[2] * b2;
  rb[1] = R[3] * b0 + R[4] * b1 + R[5] * b2;
  // Both sides of the measurement see the same delay.
  lowPassStep(R, R, 9, c.biasLp, s.rLpState);
  lowPassStep2(rb, rb, c.biasLp, s.rbLpState);

  const P = s.p;
  // Prediction: the bias may have wandered (only up to the initial uncertainty).
  if (P[0]! < c.biasP0) P[0] = P[0]! + c.biasV;
  if (P[4]! < c.biasP0) P[4] = P[4]! + c.biasV;
  if (P[8]! < c.biasP0) P[8] = P[8]! + c.biasV;

  if (resting && p.restBiasEst) {
    e[0] = restGyrLp[0]! - b0;
    e[1] = restGyrLp[1]! - b1;
    e[2] = restGyrLp[2]! - b2;
    R.fill(0);
    R[0] = 1;
    R[4] = 1;
    R[8] = 1;
    clipInnovation(c.biasClipRadS);
    biasKalmanUpdate(b, P, R, e, c.biasW, 3);
  } else if (p.motionBiasEst) {
    const ts = c.accTsS;
    // The correction rotates about (accE_y, −accE_x, 0) by ≈ its length: ω_corr = that / Ts.
    e[0] = -accE[1]! / ts + rb[0]! - (R[0]! * b0 + R[1]! * b1 + R[2]! * b2);
    e[1] = accE[0]! / ts + rb[1]! - (R[3]! * b0 + R[4]! * b1 + R[5]! * b2);
    e[2] = -(R[6]! * b0 + R[7]! * b1 + R[8]! * b2);
    clipInnovation(c.biasClipRadS);
    biasKalmanUpdate(b, P, R, e, c.biasW, 0);
  }
  const lim = c.biasClipRadS;
  b[0] = clip(b[0]!, lim);
  b[1] = clip(b[1]!, lim);
  b[2] = clip(b[2]!, lim);
}
