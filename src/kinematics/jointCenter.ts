/**
 * Joint centre from the two accelerometers and gyroscopes (Seel, Schauer & Raisch, 2012
 * "Joint axis and position estimation from inertial measurement data by exploiting kinematic
 * constraints"; Crabolu et al. 2017): the joint centre is one physical point, so its specific
 * force seen from either sensor has the same norm. With r_i the joint centre in sensor i's
 * coordinates (m) and
 *   f_i = a_i + ω_i × (ω_i × r_i) + ω̇_i × r_i     (specific force at the joint centre, sensor-i frame)
 * the fit minimises Σ (‖f₁‖ − ‖f₂‖)² over r₁, r₂ by Levenberg–Marquardt (6 parameters), from a
 * few starts. ω̇ is the central difference of the gyro after a zero-phase low-pass.
 *
 * Observability: the movement must rotate the joint about several directions. For a hinge, any
 * point on the axis fits equally (one direction unobservable): pass the hinge axes `j1`, `j2`
 * and the result is moved along them to the point closest to both sensors (Seel 2012); without
 * them such a fit is reported 'failed' ('not observable'). The 1-σ of each r_i comes from the
 * Gauss–Newton covariance with the RMS residual (floored), plus the shift an accelerometer bias
 * causes (bias / RMS‖Γ_i‖: a segment that hardly rotates cannot locate the centre in its sensor):
 * 'good' / 'poor' / 'failed', per the larger of the two.
 */
import { solveDamped } from '../math/dampedSolve';
import { filtfiltInPlace } from '../math/butterworth';
import { symmetricEigen } from '../math/symmetricEigen';
import * as vec3 from '../math/vec3';
import type { Vec3, Vec3Like } from '../math/vec3';
import { CalibrationInputError, type CalibrationQuality } from './hingeAxis';

export interface JointCenterParams {
  /** At most this many samples in the fit (evenly subsampled). Default 3000. */
  maxSamples: number;
  /** Minimum number of usable samples. Default 200. */
  minSamples: number;
  /** Zero-phase low-pass of the gyro before differentiating it, Hz (0 = off). Default 10. */
  gyrLowPassHz: number;
  /** LM iterations per start. Default 50. */
  maxIterations: number;
  /** Residual floor for the uncertainty, m/s² (acc noise, wobble). Default 0.05. */
  noiseFloorMS2: number;
  /**
   * Accelerometer bias 1-σ, m/s² (consumer MEMS: 0.05). A bias is not averaged out by more samples:
   * it shifts r_i by about bias / ‖Γ_i‖ (RMS over the movement), which is added to the 1-σ — so a
   * sensor that hardly rotates gets a large one. Default 0.05.
   */
  accBiasSigmaMS2: number;
  /** 1-σ of each r_i up to which the result is 'good', m. Default 0.01. */
  goodSigmaM: number;
  /** Above this it is 'failed', m. Default 0.05. */
  failedSigmaM: number;
  /** RMS residual above which the joint model is doubtful ('poor'), m/s². Default 0.5. */
  maxResidualMS2: number;
  /** Hinge axes in the sensor frames (for a hinge: fixes the free shift along the axis). */
  j1?: Vec3Like;
  j2?: Vec3Like;
}

export const DEFAULT_JOINT_CENTER_PARAMS: JointCenterParams = {
  maxSamples: 3000,
  minSamples: 200,
  gyrLowPassHz: 10,
  maxIterations: 50,
  noiseFloorMS2: 0.05,
  accBiasSigmaMS2: 0.05,
  goodSigmaM: 0.01,
  failedSigmaM: 0.05,
  maxResidualMS2: 0.5,
};

export interface JointCenterResult {
  /** Joint centre in sensor-1 coordinates, m. */
  readonly r1M: Vec3;
  /** Joint centre in sensor-2 coordinates, m. */
  readonly r2M: Vec3;
  /** RMS of ‖f₁‖ − ‖f₂‖ over the fitted samples, m/s². */
  readonly residualMS2: number;
  /** 1-σ of r1M / r2M (largest direction), m (Infinity when unobservable). */
  readonly r1SigmaM: number;
  readonly r2SigmaM: number;
  readonly samplesUsed: number;
  readonly quality: CalibrationQuality;
  readonly reason?: string;
}

/** Γ(ω, ω̇) r = ω × (ω × r) + ω̇ × r, into out. */
function gamma(out: Vec3, w: Float64Array, dw: Float64Array, o: number, r: Vec3Like): Vec3 {
  const wx = w[o]!, wy = w[o + 1]!, wz = w[o + 2]!;
  const cx = wy * r[2]! - wz * r[1]!, cy = wz * r[0]! - wx * r[2]!, cz = wx * r[1]! - wy * r[0]!;
  out[0] = wy * cz - wz * cy + (dw[o + 1]! * r[2]! - dw[o + 2]! * r[1]!);
  out[1] = wz * cx - wx * cz + (dw[o + 2]! * r[0]! - dw[o]! * r[2]!);
  out[2] = wx * cy - wy * cx + (dw[o]! * r[1]! - dw[o + 1]! * r[0]!);
  return out;
}

interface Data {
  a1: Float64Array; w1: Float64Array; d1: Float64Array;
  a2: Float64Array; w2: Float64Array; d2: Float64Array;
  m: number;
}

const F = vec3.create(), G = vec3.create(), E = vec3.create(), K1 = vec3.create(), K2 = vec3.create();

/** Residual of sample i and (optionally) its gradient w.r.t. (r1, r2) into row (6). */
function residual(d: Data, i: number, r1: Vec3Like, r2: Vec3Like, row?: Float64Array): number {
  const o = 3 * i;
  gamma(F, d.w1, d.d1, o, r1);
  F[0] += d.a1[o]!; F[1] += d.a1[o + 1]!; F[2] += d.a1[o + 2]!;
  gamma(G, d.w2, d.d2, o, r2);
  G[0] += d.a2[o]!; G[1] += d.a2[o + 1]!; G[2] += d.a2[o + 2]!;
  const n1 = vec3.length(F), n2 = vec3.length(G);
  if (row) {
    // d‖f‖/dr = (f/‖f‖)ᵀ Γ, and Γ is linear in r: column k is Γ e_k.
    for (let k = 0; k < 3; k++) {
      E.fill(0); E[k] = 1;
      const c1 = gamma(K1, d.w1, d.d1, o, E), c2 = gamma(K2, d.w2, d.d2, o, E);
      row[k] = n1 > 1e-12 ? vec3.dot(F, c1) / n1 : 0;
      row[3 + k] = n2 > 1e-12 ? -vec3.dot(G, c2) / n2 : 0;
    }
  }
  return n1 - n2;
}

function cost(d: Data, r1: Vec3Like, r2: Vec3Like): number {
  let c = 0;
  for (let i = 0; i < d.m; i++) c += residual(d, i, r1, r2) ** 2;
  return c;
}

function normal(d: Data, r1: Vec3Like, r2: Vec3Like, jtj: Float64Array, jte: Float64Array): number {
  jtj.fill(0);
  jte.fill(0);
  const row = new Float64Array(6);
  let c = 0;
  for (let i = 0; i < d.m; i++) {
    const e = residual(d, i, r1, r2, row);
    c += e * e;
    for (let a = 0; a < 6; a++) {
      jte[a] += row[a]! * e;
      for (let b = 0; b < 6; b++) jtj[6 * a + b] += row[a]! * row[b]!;
    }
  }
  return c;
}


function lm(d: Data, r1: Vec3, r2: Vec3, iterations: number): number {
  const jtj = new Float64Array(36), jte = new Float64Array(6), dx = new Float64Array(6);
  const t1 = vec3.create(), t2 = vec3.create();
  let lambda = 1e-3, c = Infinity;
  for (let it = 0; it < iterations; it++) {
    c = normal(d, r1, r2, jtj, jte);
    let improved = false;
    for (let tries = 0; tries < 10 && !improved; tries++) {
      if (!solveDamped(jtj, jte, 6, lambda, dx)) break;
      vec3.set(t1, r1[0]! - dx[0]!, r1[1]! - dx[1]!, r1[2]! - dx[2]!);
      vec3.set(t2, r2[0]! - dx[3]!, r2[1]! - dx[4]!, r2[2]! - dx[5]!);
      const cn = cost(d, t1, t2);
      if (cn < c) {
        const rel = (c - cn) / Math.max(c, 1e-300);
        vec3.copy(r1, t1);
        vec3.copy(r2, t2);
        c = cn;
        lambda = Math.max(lambda / 10, 1e-12);
        improved = true;
        if (rel < 1e-12) it = iterations;
      } else lambda *= 10;
    }
    if (!improved) break;
  }
  return c;
}

function check(name: string, a: ArrayLike<number>, n: number): void {
  if (a.length !== 3 * n) throw new CalibrationInputError(`joint centre: ${name} has length ${a.length}, expected ${3 * n} (time-aligned, 3 per sample)`);
}

/**
 * Joint centre from time-aligned accelerometer (m/s²) and gyroscope (rad/s) samples of both
 * sensors (3n each), sample period `dtS`. Samples with a non-finite value (or next to one, for
 * the derivative) are skipped.
 */
export function estimateJointCenter(
  acc1MS2: ArrayLike<number>, gyr1RadS: ArrayLike<number>, acc2MS2: ArrayLike<number>, gyr2RadS: ArrayLike<number>, dtS: number,
  params: Partial<JointCenterParams> = {},
): JointCenterResult {
  const p = { ...DEFAULT_JOINT_CENTER_PARAMS, ...params };
  for (const k of ['maxSamples', 'minSamples', 'gyrLowPassHz', 'maxIterations', 'noiseFloorMS2', 'accBiasSigmaMS2', 'goodSigmaM', 'failedSigmaM', 'maxResidualMS2'] as const) {
    if (!Number.isFinite(p[k]) || p[k] < 0) throw new CalibrationInputError(`joint centre: parameter ${k} must be a finite number ≥ 0, got ${String(p[k])}`);
  }
  if (!(dtS > 0) || !Number.isFinite(dtS)) throw new CalibrationInputError(`joint centre: dtS must be > 0, got ${dtS}`);
  const n = acc1MS2.length / 3;
  check('acc1MS2', acc1MS2, n); check('gyr1RadS', gyr1RadS, n); check('acc2MS2', acc2MS2, n); check('gyr2RadS', gyr2RadS, n);
  const rateHz = 1 / dtS;
  // Finite samples; the low-pass runs over each finite run separately (no filtering across gaps).
  const ok = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let f = true;
    for (let k = 0; k < 3 && f; k++) f = Number.isFinite(acc1MS2[3 * i + k]!) && Number.isFinite(gyr1RadS[3 * i + k]!) && Number.isFinite(acc2MS2[3 * i + k]!) && Number.isFinite(gyr2RadS[3 * i + k]!);
    ok[i] = f ? 1 : 0;
  }
  const w1 = Float64Array.from(gyr1RadS), w2 = Float64Array.from(gyr2RadS);
  if (p.gyrLowPassHz > 0 && p.gyrLowPassHz < 0.45 * rateHz) {
    for (let i = 0; i < n;) {
      if (!ok[i]) { i++; continue; }
      let j = i;
      while (j < n && ok[j]) j++;
      if (j - i >= 12) {
        filtfiltInPlace(w1.subarray(3 * i, 3 * j), 3, p.gyrLowPassHz, rateHz);
        filtfiltInPlace(w2.subarray(3 * i, 3 * j), 3, p.gyrLowPassHz, rateHz);
      }
      i = j;
    }
  }
  const usable: number[] = [];
  for (let i = 1; i < n - 1; i++) if (ok[i - 1] && ok[i] && ok[i + 1]) usable.push(i);
  const m = Math.min(usable.length, p.maxSamples);
  const fail = (reason: string, samples = m): JointCenterResult => ({
    r1M: vec3.fromValues(NaN, NaN, NaN), r2M: vec3.fromValues(NaN, NaN, NaN), residualMS2: NaN, r1SigmaM: Infinity, r2SigmaM: Infinity, samplesUsed: samples, quality: 'failed', reason,
  });
  if (m < Math.max(p.minSamples, 7)) return fail(`too few usable samples (${usable.length}, need ${Math.max(p.minSamples, 7)})`);
  const d: Data = { a1: new Float64Array(3 * m), w1: new Float64Array(3 * m), d1: new Float64Array(3 * m), a2: new Float64Array(3 * m), w2: new Float64Array(3 * m), d2: new Float64Array(3 * m), m };
  for (let s = 0; s < m; s++) {
    const i = usable[Math.floor((s * usable.length) / m)]!;
    for (let k = 0; k < 3; k++) {
      d.a1[3 * s + k] = acc1MS2[3 * i + k]!;
      d.a2[3 * s + k] = acc2MS2[3 * i + k]!;
      d.w1[3 * s + k] = w1[3 * i + k]!;
      d.w2[3 * s + k] = w2[3 * i + k]!;
      d.d1[3 * s + k] = (w1[3 * (i + 1) + k]! - w1[3 * (i - 1) + k]!) / (2 * dtS);
      d.d2[3 * s + k] = (w2[3 * (i + 1) + k]! - w2[3 * (i - 1) + k]!) / (2 * dtS);
    }
  }
  // Starts: the sensors themselves, and ±0.2 m along each sensor axis pair (segment-sized).
  const starts: [number[], number[]][] = [[[0, 0, 0], [0, 0, 0]]];
  for (let k = 0; k < 3; k++) for (const s of [0.2, -0.2]) {
    const a = [0, 0, 0]; a[k] = s;
    starts.push([a, a.map((x) => -x)]);
  }
  let best = { r1: vec3.create(), r2: vec3.create(), c: Infinity };
  for (const [s1, s2] of starts) {
    const r1 = vec3.fromValues(s1[0]!, s1[1]!, s1[2]!), r2 = vec3.fromValues(s2[0]!, s2[1]!, s2[2]!);
    const c = lm(d, r1, r2, p.maxIterations);
    if (c < best.c) best = { r1, r2, c };
  }
  const { r1, r2 } = best;
  const residualMS2 = Math.sqrt(best.c / m);
  // RMS size of Γ_i (its Frobenius norm / √3 ≈ a typical gain from r to acceleration), 1/s².
  let g1 = 0, g2 = 0;
  for (let i = 0; i < m; i++) {
    const o = 3 * i;
    const w1s = d.w1[o]! ** 2 + d.w1[o + 1]! ** 2 + d.w1[o + 2]! ** 2, w2s = d.w2[o]! ** 2 + d.w2[o + 1]! ** 2 + d.w2[o + 2]! ** 2;
    g1 += (2 * w1s * w1s) / 3 + (2 * (d.d1[o]! ** 2 + d.d1[o + 1]! ** 2 + d.d1[o + 2]! ** 2)) / 3;
    g2 += (2 * w2s * w2s) / 3 + (2 * (d.d2[o]! ** 2 + d.d2[o + 1]! ** 2 + d.d2[o + 2]! ** 2)) / 3;
  }
  const bias1M = p.accBiasSigmaMS2 / Math.max(Math.sqrt(g1 / m), 1e-9), bias2M = p.accBiasSigmaMS2 / Math.max(Math.sqrt(g2 / m), 1e-9);
  // Covariance σ²(JᵀJ)⁻¹ (pseudo-inverse), σ at least the noise floor.
  const jtj = new Float64Array(36), jte = new Float64Array(6);
  normal(d, r1, r2, jtj, jte);
  const eig = symmetricEigen(jtj, 6);
  const sigma2 = Math.max(residualMS2, p.noiseFloorMS2) ** 2;
  const lamMax = Math.max(eig.values[5]!, 1e-300);
  const cov = new Float64Array(36);
  let nullDir: number[] | undefined;
  for (let e = 0; e < 6; e++) {
    const lam = eig.values[e]!;
    const weak = !(lam > lamMax * 1e-10);
    if (weak && !nullDir) nullDir = Array.from({ length: 6 }, (_, r) => eig.vectors[6 * r + e]!);
    const inv = weak ? 1e300 : 1 / lam;
    for (let r = 0; r < 6; r++) for (let k = 0; k < 6; k++) cov[6 * r + k] += sigma2 * inv * eig.vectors[6 * r + e]! * eig.vectors[6 * k + e]!;
  }
  const reasons: string[] = [];
  let quality: CalibrationQuality = 'good';
  if (p.j1 && p.j2) {
    // Hinge: move along the axes to the point closest to both sensors (Seel 2012), and take the
    // uncertainty across the axis only (along it the joint centre is arbitrary).
    const j1 = vec3.normalize(vec3.create(), p.j1), j2 = vec3.normalize(vec3.create(), p.j2);
    const shift = 0.5 * (vec3.dot(r1, j1) + vec3.dot(r2, j2));
    vec3.scaleAndAdd(r1, r1, j1, -shift);
    vec3.scaleAndAdd(r2, r2, j2, -shift);
    return finishResult(r1, r2, residualMS2, Math.hypot(blockSigma(cov, 0, j1), bias1M), Math.hypot(blockSigma(cov, 3, j2), bias2M), m, p, reasons, quality);
  }
  if (nullDir) {
    quality = 'failed';
    reasons.push('joint centre not observable from this movement (a hinge? pass its axes j1, j2, or move about several axes)');
  }
  return finishResult(r1, r2, residualMS2, Math.hypot(blockSigma(cov, 0), bias1M), Math.hypot(blockSigma(cov, 3), bias2M), m, p, reasons, quality);
}

/** Largest 1-σ (m) of the 3×3 block at offset o, optionally ignoring the direction `along`. */
function blockSigma(cov: Float64Array, o: number, along?: Vec3Like): number {
  const b = new Float64Array(9);
  for (let r = 0; r < 3; r++) for (let k = 0; k < 3; k++) b[3 * r + k] = cov[6 * (o + r) + o + k]!;
  if (along) {
    // Project out `along`: P b P with P = I − a aᵀ.
    const P = new Float64Array(9);
    for (let r = 0; r < 3; r++) for (let k = 0; k < 3; k++) P[3 * r + k] = (r === k ? 1 : 0) - along[r]! * along[k]!;
    const t = new Float64Array(9), u = new Float64Array(9);
    for (let r = 0; r < 3; r++) for (let k = 0; k < 3; k++) { let s = 0; for (let q = 0; q < 3; q++) s += P[3 * r + q]! * b[3 * q + k]!; t[3 * r + k] = s; }
    for (let r = 0; r < 3; r++) for (let k = 0; k < 3; k++) { let s = 0; for (let q = 0; q < 3; q++) s += t[3 * r + q]! * P[3 * q + k]!; u[3 * r + k] = s; }
    b.set(u);
  }
  const e = symmetricEigen(b, 3);
  const s = Math.sqrt(Math.max(e.values[2]!, 0));
  return s > 1e3 || !Number.isFinite(s) ? Infinity : s;
}

function finishResult(
  r1M: Vec3, r2M: Vec3, residualMS2: number, r1SigmaM: number, r2SigmaM: number, m: number, p: JointCenterParams, reasons: string[], q0: CalibrationQuality,
): JointCenterResult {
  let quality = q0;
  const worst = Math.max(r1SigmaM, r2SigmaM);
  if (quality !== 'failed' && worst > p.failedSigmaM) {
    quality = 'failed';
    reasons.push(`joint centre not observable from this movement (1-σ ${fmtM(r1SigmaM)} / ${fmtM(r2SigmaM)}): rotate the joint about several axes, faster`);
  } else if (quality === 'good' && worst > p.goodSigmaM) {
    quality = 'poor';
    reasons.push(`joint centre uncertain (1-σ ${fmtM(r1SigmaM)} / ${fmtM(r2SigmaM)})`);
  }
  if (residualMS2 > p.maxResidualMS2) {
    if (quality === 'good') quality = 'poor';
    reasons.push(`large residual ${residualMS2.toFixed(2)} m/s²: the sensors may not share one joint centre (soft tissue, wrong joint)`);
  }
  return { r1M, r2M, residualMS2, r1SigmaM, r2SigmaM, samplesUsed: m, quality, ...(reasons.length ? { reason: reasons.join('; ') } : {}) };
}

function fmtM(x: number): string {
  return Number.isFinite(x) ? `${(x * 1000).toFixed(1)} mm` : '∞';
}
