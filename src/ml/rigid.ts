/**
 * Rotation-centre fit for one window: how far the sensor sits from the joint it turns about.
 *
 * Why: a forearm sensor turning about the elbow (elbow flexion/extension, r ≈ 0.15–0.25 m)
 * and one on a straight arm turning about the shoulder (abduction, r ≈ 0.4–0.6 m) can share
 * the same rotation axis in the sensor frame; the centripetal and tangential accelerations
 * (r·ω², r·α) tell them apart, whatever the strap's angle.
 *
 * Model (sensor frame, acc in g): f(t) = Φ(t)·u0 + ([ω]ₓ² + [α]ₓ)·p, where u0 is "up" at the
 * window start, Φ(t) carries it along the integrated gyro (du/dt = −ω × u, so no gravity
 * estimate is needed) and p is the sensor's position relative to a fixed rotation centre.
 * Linear in (u0, p): least squares with a small ridge on p (p → 0 when nothing turns).
 */
import { SAMPLE_CHANNELS } from './windows';
import type { Resampled } from './windows';

const G = 9.81;
const GYR_SCALE = 2;

export interface RigidFit {
  /** |p|: distance of the sensor from the fitted rotation centre, m. */
  radiusM: number;
  /** RMS of the model's residual, g (large: not a rotation about a fixed point). */
  residualG: number;
  /** Unit direction of p in the sensor frame (zero when p is zero). */
  readonly dir: Float64Array;
  /** Σ|ω|² over the window, (rad/s)²: how much rotation the fit saw (weight when averaging fits). */
  weight: number;
}

export function newRigidFit(): RigidFit {
  return { radiusM: 0, residualG: 0, dir: new Float64Array(3), weight: 0 };
}

// Scratch (module-level so a fit allocates nothing).
const N = new Float64Array(36);
const B = new Float64Array(6);
const theta = new Float64Array(6);
const phi = new Float64Array(9);
const tmp = new Float64Array(9);
const A = new Float64Array(18);
const mSkew = new Float64Array(9);
const rot = new Float64Array(9);

/** Solve the 6×6 system N·x = B in place (Gaussian elimination, partial pivoting) into `theta`; false if singular. */
function solve6(): boolean {
  for (let c = 0; c < 6; c++) {
    let piv = c;
    for (let r = c + 1; r < 6; r++) if (Math.abs(N[r * 6 + c]!) > Math.abs(N[piv * 6 + c]!)) piv = r;
    if (Math.abs(N[piv * 6 + c]!) < 1e-12) return false;
    if (piv !== c) {
      for (let k = 0; k < 6; k++) { const t = N[c * 6 + k]!; N[c * 6 + k] = N[piv * 6 + k]!; N[piv * 6 + k] = t; }
      const t = B[c]!; B[c] = B[piv]!; B[piv] = t;
    }
    for (let r = c + 1; r < 6; r++) {
      const f = N[r * 6 + c]! / N[c * 6 + c]!;
      if (f === 0) continue;
      for (let k = c; k < 6; k++) N[r * 6 + k]! -= f * N[c * 6 + k]!;
      B[r]! -= f * B[c]!;
    }
  }
  for (let r = 5; r >= 0; r--) {
    let s = B[r]!;
    for (let k = r + 1; k < 6; k++) s -= N[r * 6 + k]! * theta[k]!;
    theta[r] = s / N[r * 6 + r]!;
  }
  return true;
}

/** Row i (0–2) of the 3×6 design matrix at one sample into A: [Φ | [ω]ₓ² + [α]ₓ]. */
function design(wx: number, wy: number, wz: number, ax: number, ay: number, az: number): void {
  // [ω]ₓ² = ω ωᵀ − |ω|² I ; [α]ₓ = skew(α).
  const w2 = wx * wx + wy * wy + wz * wz;
  const m = mSkew;
  m[0] = wx * wx - w2; m[1] = wx * wy - az; m[2] = wx * wz + ay;
  m[3] = wy * wx + az; m[4] = wy * wy - w2; m[5] = wy * wz - ax;
  m[6] = wz * wx - ay; m[7] = wz * wy + ax; m[8] = wz * wz - w2;
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      A[i * 6 + j] = phi[i * 3 + j]!;
      A[i * 6 + 3 + j] = m[i * 3 + j]!;
    }
  }
}

/** Φ ← exp(−[ω dt]ₓ)·Φ (Rodrigues). */
function stepPhi(wx: number, wy: number, wz: number, dt: number): void {
  const th = Math.sqrt(wx * wx + wy * wy + wz * wz) * dt;
  if (th < 1e-12) return;
  const kx = -wx / (th / dt), ky = -wy / (th / dt), kz = -wz / (th / dt);
  const c = Math.cos(th), s = Math.sin(th), C = 1 - c;
  const r = rot;
  r[0] = c + kx * kx * C; r[1] = kx * ky * C - kz * s; r[2] = kx * kz * C + ky * s;
  r[3] = ky * kx * C + kz * s; r[4] = c + ky * ky * C; r[5] = ky * kz * C - kx * s;
  r[6] = kz * kx * C - ky * s; r[7] = kz * ky * C + kx * s; r[8] = c + kz * kz * C;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) tmp[i * 3 + j] = r[i * 3]! * phi[j]! + r[i * 3 + 1]! * phi[3 + j]! + r[i * 3 + 2]! * phi[6 + j]!;
  phi.set(tmp);
}

/** Angular rate and its central-difference derivative at resampled sample i (clamped to [i0, i1)). */
function rates(x: Float32Array, i: number, i0: number, i1: number, dt: number, out: Float64Array): void {
  const b = i * SAMPLE_CHANNELS;
  const ip = Math.min(i1 - 1, i + 1), im = Math.max(i0, i - 1);
  const span = (ip - im) * dt || 1;
  for (let k = 0; k < 3; k++) {
    out[k] = x[b + 3 + k]! * GYR_SCALE;
    out[3 + k] = ((x[ip * SAMPLE_CHANNELS + 3 + k]! - x[im * SAMPLE_CHANNELS + 3 + k]!) * GYR_SCALE) / span;
  }
}

const wa = new Float64Array(6);

/** Carry Φ from sample i to i+1 with the mean of their rates (trapezoid: exact to O(dt²) for a fixed axis). */
function stepMid(x: Float32Array, i: number, i1: number, dt: number): void {
  if (i + 1 >= i1) return;
  const a = i * SAMPLE_CHANNELS + 3, b = a + SAMPLE_CHANNELS;
  stepPhi(((x[a]! + x[b]!) * GYR_SCALE) / 2, ((x[a + 1]! + x[b + 1]!) * GYR_SCALE) / 2, ((x[a + 2]! + x[b + 2]!) * GYR_SCALE) / 2, dt);
}

/**
 * Fit the rigid-rotation model over resampled samples [i0, i1) into `out`.
 * `ridge` (per sample, in (rad/s)⁴) pulls p towards 0 where the rotation does not determine it.
 */
export function rigidFit(r: Resampled, i0: number, i1: number, out: RigidFit, ridge = 0.01): RigidFit {
  const x = r.x, dt = 1 / r.rateHz, n = i1 - i0;
  out.radiusM = 0; out.residualG = 0; out.weight = 0; out.dir.fill(0);
  if (n < 3) return out;
  N.fill(0); B.fill(0);
  phi.fill(0); phi[0] = 1; phi[4] = 1; phi[8] = 1;
  let weight = 0;
  for (let i = i0; i < i1; i++) {
    rates(x, i, i0, i1, dt, wa);
    weight += wa[0]! ** 2 + wa[1]! ** 2 + wa[2]! ** 2;
    design(wa[0]!, wa[1]!, wa[2]!, wa[3]!, wa[4]!, wa[5]!);
    const b = i * SAMPLE_CHANNELS;
    for (let row = 0; row < 3; row++) {
      const f = x[b + row]!;
      for (let j = 0; j < 6; j++) {
        const aj = A[row * 6 + j]!;
        B[j]! += aj * f;
        for (let k = j; k < 6; k++) N[j * 6 + k]! += aj * A[row * 6 + k]!;
      }
    }
    stepMid(x, i, i1, dt);
  }
  for (let j = 0; j < 6; j++) for (let k = 0; k < j; k++) N[j * 6 + k] = N[k * 6 + j]!;
  for (let j = 3; j < 6; j++) N[j * 6 + j]! += ridge * n;
  out.weight = weight;
  if (!solve6()) return out;
  // Residual: a second pass with the fitted parameters.
  phi.fill(0); phi[0] = 1; phi[4] = 1; phi[8] = 1;
  let res = 0;
  for (let i = i0; i < i1; i++) {
    rates(x, i, i0, i1, dt, wa);
    design(wa[0]!, wa[1]!, wa[2]!, wa[3]!, wa[4]!, wa[5]!);
    const b = i * SAMPLE_CHANNELS;
    for (let row = 0; row < 3; row++) {
      let pred = 0;
      for (let j = 0; j < 6; j++) pred += A[row * 6 + j]! * theta[j]!;
      res += (x[b + row]! - pred) ** 2;
    }
    stepMid(x, i, i1, dt);
  }
  const p = Math.hypot(theta[3]!, theta[4]!, theta[5]!);
  out.radiusM = p * G;
  out.residualG = Math.sqrt(res / n);
  if (p > 0) for (let k = 0; k < 3; k++) out.dir[k] = theta[3 + k]! / p;
  return out;
}
