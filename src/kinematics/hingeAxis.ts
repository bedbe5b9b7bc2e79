/**
 * Functional hinge-axis estimation from two gyroscopes (Seel, Raisch & Schauer, Sensors 14:6891,
 * 2014): for a 1-DoF joint, the angular rates of the two segments differ only along the joint
 * axis, so the rate components perpendicular to it have equal length:
 * ‖g₁ × j₁‖ = ‖g₂ × j₂‖ with j₁ fixed in sensor 1 and j₂ fixed in sensor 2. Minimise
 * Σ (‖g₁×j₁‖ − ‖g₂×j₂‖)² over unit j₁, j₂ by Levenberg–Marquardt in a local spherical (tangent
 * plane) parametrisation, from several starts.
 *
 * Observability: each axis is only found if its sensor rotates about directions other than the
 * axis itself (e.g. a fixed thigh leaves j₁ undetermined). The fit reports a per-axis 1-σ
 * uncertainty from the Gauss–Newton covariance, and the flag is 'poor'/'failed' when that or the
 * movement about the axis is too small — never a confident wrong axis.
 *
 * Sign: (±j₁, ±j₂) all fit equally. With `j1Hint`/`j2Hint` (e.g. the nominal mounting) each axis
 * is turned to make a positive dot product with its hint; without hints each axis is turned so
 * that its largest-magnitude component is positive, and the pair may then be sign-inconsistent
 * (the joint-angle stage must fix the sign by its clinical convention).
 */
import { solveDamped } from '../math/dampedSolve';
import { symmetricEigen } from '../math/symmetricEigen';
import * as vec3 from '../math/vec3';
import type { Vec3, Vec3Like } from '../math/vec3';
import type { SampleBlock } from '../samples/block';
import { alignBlocks } from '../samples/align';

const DEG = Math.PI / 180;

export class CalibrationInputError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'CalibrationInputError';
  }
}

export type CalibrationQuality = 'good' | 'poor' | 'failed';

export interface HingeAxisParams {
  /** Samples with ‖g₁‖ + ‖g₂‖ below this are skipped (no information), rad/s. Default 0.3. */
  minRateRadS: number;
  /** At most this many samples enter the fit (evenly subsampled). Default 2000. */
  maxSamples: number;
  /** Number of starts (fixed, spread over the sphere). Default 12. */
  starts: number;
  /** LM iterations per start. Default 40. */
  maxIterations: number;
  /** Residual floor for the uncertainty, rad/s: covers gyro noise and soft-tissue wobble, which
   *  the RMS residual alone under-represents (errors were ~3× the unfloored 1-σ). Default 0.05. */
  noiseFloorRadS: number;
  /** Axis 1-σ uncertainty up to which the result is 'good', deg. Default 1.5. */
  goodUncertaintyDeg: number;
  /** Above this it is 'failed' (else 'poor'), deg. Default 8. */
  failedUncertaintyDeg: number;
  /** Minimum total rotation about the axis (Σ|θ̇|·dt over all samples), deg. Default 120. */
  minTotalRotationDeg: number;
  /** RMS residual above which the hinge model is doubtful ('poor'), rad/s. Default 0.3. */
  maxResidualRadS: number;
  /** Minimum number of informative samples. Default 50. */
  minSamples: number;
  /** Samples whose residual exceeds max(3 robust σ, this) are refitted without, rad/s. Infinity disables. Default 0.02. */
  robustFloorRadS: number;
  /** Sign hints in each sensor frame (see file comment). Default none. */
  j1Hint?: Vec3Like;
  j2Hint?: Vec3Like;
}

export const DEFAULT_HINGE_AXIS_PARAMS: HingeAxisParams = {
  minRateRadS: 0.3,
  maxSamples: 2000,
  starts: 12,
  maxIterations: 40,
  noiseFloorRadS: 0.05,
  goodUncertaintyDeg: 1.5,
  failedUncertaintyDeg: 8,
  minTotalRotationDeg: 120,
  maxResidualRadS: 0.3,
  minSamples: 50,
  robustFloorRadS: 0.02,
};

export interface HingeAxisResult {
  /** Unit joint axis in sensor-1 coordinates (NaN only with quality 'failed' for too few moving samples). */
  readonly j1: Vec3;
  /** Unit joint axis in sensor-2 coordinates. */
  readonly j2: Vec3;
  /** RMS of ‖g₁×j₁‖ − ‖g₂×j₂‖ over the fitted samples, rad/s. */
  readonly residualRadS: number;
  /** 1-σ direction uncertainty of j1 / j2, deg (Infinity when unobservable). */
  readonly j1UncertaintyDeg: number;
  readonly j2UncertaintyDeg: number;
  /** Σ |g₂·j₂ ∓ g₁·j₁| dt over all samples — rotation about the joint axis, deg. */
  readonly totalRotationDeg: number;
  /** Samples in the final fit, after the robust rejection. */
  readonly samplesUsed: number;
  /** Informative samples rejected as outliers of the hinge model (wobble transients), see `robustFloorRadS`. */
  readonly samplesRejected: number;
  readonly quality: CalibrationQuality;
  readonly reason?: string;
}

/** Unit vector from spherical angles: (cos φ cos θ, cos φ sin θ, sin φ). */
function spherical(out: Vec3, phi: number, theta: number): Vec3 {
  return vec3.set(out, Math.cos(phi) * Math.cos(theta), Math.cos(phi) * Math.sin(theta), Math.sin(phi));
}

/** Two unit vectors completing `j` to an orthonormal basis (tangent plane of the sphere). */
function tangentBasis(outU: Vec3, outV: Vec3, j: Vec3Like): void {
  const ax = Math.abs(j[0]!), ay = Math.abs(j[1]!), az = Math.abs(j[2]!);
  const e = ax <= ay && ax <= az ? [1, 0, 0] : ay <= az ? [0, 1, 0] : [0, 0, 1];
  vec3.normalize(outU, vec3.cross(outU, j, e));
  vec3.cross(outV, j, outU);
}

/** ‖g×j‖ and its gradient with respect to j (zero where g ∥ j or g = 0). */
function crossNormGrad(outGrad: Vec3, gx: number, gy: number, gz: number, j: Vec3Like): number {
  const d = gx * j[0]! + gy * j[1]! + gz * j[2]!;
  const g2 = gx * gx + gy * gy + gz * gz;
  const n = Math.sqrt(Math.max(0, g2 - d * d));
  if (n < 1e-12) {
    outGrad.fill(0);
    return n;
  }
  outGrad[0] = (g2 * j[0]! - d * gx) / n;
  outGrad[1] = (g2 * j[1]! - d * gy) / n;
  outGrad[2] = (g2 * j[2]! - d * gz) / n;
  return n;
}

interface Fit {
  j1: Vec3;
  j2: Vec3;
  cost: number;
}

/** Sum of squared residuals for axes j1, j2 over the selected samples. */
function costOf(g1: Float64Array, g2: Float64Array, m: number, j1: Vec3Like, j2: Vec3Like, grad: Vec3): number {
  let c = 0;
  for (let i = 0; i < m; i++) {
    const e = crossNormGrad(grad, g1[3 * i]!, g1[3 * i + 1]!, g1[3 * i + 2]!, j1) - crossNormGrad(grad, g2[3 * i]!, g2[3 * i + 1]!, g2[3 * i + 2]!, j2);
    c += e * e;
  }
  return c;
}

/**
 * Normal equations JᵀJ (4×4, row-major) and Jᵀe at (j1, j2), parameters = tangent steps
 * (u1, v1, u2, v2). Returns the cost.
 */
function normalEquations(
  g1: Float64Array, g2: Float64Array, m: number, j1: Vec3, j2: Vec3, b: Vec3[], jtj: Float64Array, jte: Float64Array, w: Vec3[],
): number {
  jtj.fill(0);
  jte.fill(0);
  let c = 0;
  const row = new Float64Array(4);
  for (let i = 0; i < m; i++) {
    const n1 = crossNormGrad(w[0]!, g1[3 * i]!, g1[3 * i + 1]!, g1[3 * i + 2]!, j1);
    const n2 = crossNormGrad(w[1]!, g2[3 * i]!, g2[3 * i + 1]!, g2[3 * i + 2]!, j2);
    const e = n1 - n2;
    c += e * e;
    row[0] = vec3.dot(w[0]!, b[0]!);
    row[1] = vec3.dot(w[0]!, b[1]!);
    row[2] = -vec3.dot(w[1]!, b[2]!);
    row[3] = -vec3.dot(w[1]!, b[3]!);
    for (let r = 0; r < 4; r++) {
      jte[r] += row[r]! * e;
      for (let k = 0; k < 4; k++) jtj[4 * r + k] += row[r]! * row[k]!;
    }
  }
  return c;
}


function stepAxis(out: Vec3, j: Vec3Like, u: Vec3Like, v: Vec3Like, du: number, dv: number): Vec3 {
  out[0] = j[0]! + du * u[0]! + dv * v[0]!;
  out[1] = j[1]! + du * u[1]! + dv * v[1]!;
  out[2] = j[2]! + du * u[2]! + dv * v[2]!;
  return vec3.normalize(out, out);
}

function levenbergMarquardt(g1: Float64Array, g2: Float64Array, m: number, j1: Vec3, j2: Vec3, iterations: number): Fit {
  const b = [vec3.create(), vec3.create(), vec3.create(), vec3.create()];
  const w = [vec3.create(), vec3.create()];
  const jtj = new Float64Array(16), jte = new Float64Array(4), dx = new Float64Array(4);
  const t1 = vec3.create(), t2 = vec3.create();
  let lambda = 1e-3;
  let cost = Infinity;
  for (let it = 0; it < iterations; it++) {
    tangentBasis(b[0]!, b[1]!, j1);
    tangentBasis(b[2]!, b[3]!, j2);
    cost = normalEquations(g1, g2, m, j1, j2, b, jtj, jte, w);
    let improved = false;
    for (let tries = 0; tries < 10 && !improved; tries++) {
      if (!solveDamped(jtj, jte, 4, lambda, dx)) break;
      stepAxis(t1, j1, b[0]!, b[1]!, -dx[0]!, -dx[1]!);
      stepAxis(t2, j2, b[2]!, b[3]!, -dx[2]!, -dx[3]!);
      const c = costOf(g1, g2, m, t1, t2, w[0]!);
      if (c < cost) {
        vec3.copy(j1, t1);
        vec3.copy(j2, t2);
        const rel = (cost - c) / Math.max(cost, 1e-300);
        cost = c;
        lambda = Math.max(lambda / 10, 1e-12);
        improved = true;
        if (rel < 1e-12) it = iterations;
      } else {
        lambda *= 10;
      }
    }
    if (!improved) break;
  }
  return { j1, j2, cost };
}

function orientSign(j: Vec3, hint: Vec3Like | undefined): void {
  if (hint) {
    if (vec3.dot(j, hint) < 0) vec3.negate(j, j);
    return;
  }
  let k = 0;
  for (let i = 1; i < 3; i++) if (Math.abs(j[i]!) > Math.abs(j[k]!)) k = i;
  if (j[k]! < 0) vec3.negate(j, j);
}

function checkGyr(name: string, g: ArrayLike<number>): void {
  if (g.length % 3 !== 0) throw new CalibrationInputError(`hinge axis: ${name} length ${g.length} is not a multiple of 3`);
}

function resolveParams(p: Partial<HingeAxisParams>): HingeAxisParams {
  const r = { ...DEFAULT_HINGE_AXIS_PARAMS, ...p };
  for (const k of ['minRateRadS', 'maxSamples', 'starts', 'maxIterations', 'noiseFloorRadS', 'goodUncertaintyDeg', 'failedUncertaintyDeg', 'minTotalRotationDeg', 'maxResidualRadS', 'minSamples'] as const) {
    const v = r[k];
    if (!Number.isFinite(v) || v < 0) throw new CalibrationInputError(`hinge axis: parameter ${k} must be a finite number ≥ 0, got ${String(v)}`);
  }
  if (!(r.robustFloorRadS >= 0)) throw new CalibrationInputError(`hinge axis: parameter robustFloorRadS must be ≥ 0 (Infinity disables), got ${String(r.robustFloorRadS)}`);
  if (r.maxSamples < 1 || r.starts < 1) throw new CalibrationInputError('hinge axis: maxSamples and starts must be ≥ 1');
  return r;
}

/**
 * Hinge axes from time-aligned gyroscope samples of the two sensors (rad/s, 3n each, sample i of
 * both taken at the same instant; `dtS` = sample period, for the rotation total). Non-finite
 * samples are skipped.
 */
export function estimateHingeAxes(gyr1RadS: ArrayLike<number>, gyr2RadS: ArrayLike<number>, dtS: number, params: Partial<HingeAxisParams> = {}): HingeAxisResult {
  const p = resolveParams(params);
  checkGyr('gyr1RadS', gyr1RadS);
  checkGyr('gyr2RadS', gyr2RadS);
  if (gyr1RadS.length !== gyr2RadS.length) {
    throw new CalibrationInputError(`hinge axis: the sensors have ${gyr1RadS.length / 3} and ${gyr2RadS.length / 3} samples; align them first (alignBlocks)`);
  }
  if (!(dtS > 0) || !Number.isFinite(dtS)) throw new CalibrationInputError(`hinge axis: dtS must be > 0, got ${dtS}`);
  const n = gyr1RadS.length / 3;
  // Informative samples.
  const idx: number[] = [];
  for (let i = 0; i < n; i++) {
    let ok = true;
    for (let k = 0; k < 3; k++) if (!Number.isFinite(gyr1RadS[3 * i + k]!) || !Number.isFinite(gyr2RadS[3 * i + k]!)) ok = false;
    if (!ok) continue;
    const r = Math.hypot(gyr1RadS[3 * i]!, gyr1RadS[3 * i + 1]!, gyr1RadS[3 * i + 2]!) + Math.hypot(gyr2RadS[3 * i]!, gyr2RadS[3 * i + 1]!, gyr2RadS[3 * i + 2]!);
    if (r >= p.minRateRadS) idx.push(i);
  }
  const m = Math.min(idx.length, p.maxSamples);
  const fail = (reason: string): HingeAxisResult => ({
    j1: vec3.fromValues(NaN, NaN, NaN), j2: vec3.fromValues(NaN, NaN, NaN), residualRadS: NaN,
    j1UncertaintyDeg: Infinity, j2UncertaintyDeg: Infinity, totalRotationDeg: 0, samplesUsed: m, samplesRejected: 0, quality: 'failed', reason,
  });
  if (m < Math.max(p.minSamples, 4)) return fail(`too little movement: ${idx.length} samples above ${p.minRateRadS} rad/s (need ${Math.max(p.minSamples, 4)})`);
  const g1 = new Float64Array(3 * m), g2 = new Float64Array(3 * m);
  for (let s = 0; s < m; s++) {
    const i = idx[Math.floor((s * idx.length) / m)]!;
    for (let k = 0; k < 3; k++) {
      g1[3 * s + k] = gyr1RadS[3 * i + k]!;
      g2[3 * s + k] = gyr2RadS[3 * i + k]!;
    }
  }
  // Starts: golden-angle spiral directions for j1 and j2 (deterministic, spread over the sphere;
  // a hemisphere suffices because of the sign symmetry).
  let best: Fit | undefined;
  const ga = Math.PI * (3 - Math.sqrt(5));
  for (let s = 0; s < p.starts; s++) {
    const z = 1 - (s + 0.5) / p.starts;
    const phi = Math.asin(z);
    const j1 = spherical(vec3.create(), phi, s * ga);
    const j2 = spherical(vec3.create(), Math.asin(1 - ((s * 7) % p.starts + 0.5) / p.starts), s * ga * 3 + 1);
    const fit = levenbergMarquardt(g1, g2, m, j1, j2, p.maxIterations);
    if (!best || fit.cost < best.cost) best = fit;
  }
  // Robust refit: soft-tissue wobble puts short, large transients (≈ 1 rad/s at 10–15 Hz) on
  // one gyro that violate the hinge model; a few of them pulled the least-squares axis by ~5°
  // while the covariance still said 0.5°. Drop samples beyond 3 robust σ (MAD) and refit from
  // the current solution, twice at most.
  let mUsed = m;
  let samplesRejected = 0;
  const grad = vec3.create();
  for (let round = 0; round < 2; round++) {
    const res = new Float64Array(mUsed);
    for (let i = 0; i < mUsed; i++) {
      res[i] = Math.abs(crossNormGrad(grad, g1[3 * i]!, g1[3 * i + 1]!, g1[3 * i + 2]!, best!.j1) - crossNormGrad(grad, g2[3 * i]!, g2[3 * i + 1]!, g2[3 * i + 2]!, best!.j2));
    }
    const sorted = Float64Array.from(res).sort();
    const limit = Math.max(3 * 1.4826 * sorted[mUsed >> 1]!, p.robustFloorRadS);
    let k = 0;
    for (let i = 0; i < mUsed; i++) {
      if (res[i]! > limit) continue;
      for (let c = 0; c < 3; c++) {
        g1[3 * k + c] = g1[3 * i + c]!;
        g2[3 * k + c] = g2[3 * i + c]!;
      }
      k++;
    }
    if (k === mUsed || k < Math.max(p.minSamples, 4, mUsed >> 1)) break;
    samplesRejected += mUsed - k;
    mUsed = k;
    best = levenbergMarquardt(g1, g2, mUsed, best!.j1, best!.j2, p.maxIterations);
  }
  const { j1, j2 } = best!;
  orientSign(j1, p.j1Hint);
  orientSign(j2, p.j2Hint);
  const residualRadS = Math.sqrt(costOf(g1, g2, mUsed, j1, j2, grad) / mUsed);

  // Uncertainty: cov ≈ σ² (JᵀJ)⁻¹ with σ at least the noise floor; per axis the larger
  // eigenvalue of its 2×2 marginal block.
  const b = [vec3.create(), vec3.create(), vec3.create(), vec3.create()];
  tangentBasis(b[0]!, b[1]!, j1);
  tangentBasis(b[2]!, b[3]!, j2);
  const jtj = new Float64Array(16), jte = new Float64Array(4);
  normalEquations(g1, g2, mUsed, j1, j2, b, jtj, jte, [vec3.create(), vec3.create()]);
  const eig = symmetricEigen(jtj, 4);
  const sigma2 = Math.max(residualRadS, p.noiseFloorRadS) ** 2;
  const cov = new Float64Array(16);
  const lamMax = Math.max(eig.values[3]!, 1e-300);
  for (let e = 0; e < 4; e++) {
    const lam = eig.values[e]!;
    const inv = lam > lamMax * 1e-14 ? 1 / lam : 1e300;
    for (let r = 0; r < 4; r++) for (let k = 0; k < 4; k++) cov[4 * r + k] += sigma2 * inv * eig.vectors[4 * r + e]! * eig.vectors[4 * k + e]!;
  }
  const blockSigmaDeg = (o: number): number => {
    const a = cov[5 * o]!, d = cov[5 * (o + 1)]!, c = cov[4 * o + o + 1]!;
    const lmax = 0.5 * (a + d) + Math.sqrt(0.25 * (a - d) ** 2 + c * c);
    const sd = Math.sqrt(Math.max(lmax, 0)) / DEG;
    return sd > 1e6 || !Number.isFinite(sd) ? Infinity : sd;
  };
  const j1UncertaintyDeg = blockSigmaDeg(0);
  const j2UncertaintyDeg = blockSigmaDeg(2);

  // Rotation about the joint axis: the relative rate along the axis is g₂·j₂ − s·g₁·j₁ where s
  // is the sign making the pair consistent; take the sign giving the smaller total (the
  // inconsistent pair adds both segments' rates instead of differencing them).
  let rotPlus = 0, rotMinus = 0;
  for (let i = 0; i < n; i++) {
    const a = gyr1RadS[3 * i]! * j1[0]! + gyr1RadS[3 * i + 1]! * j1[1]! + gyr1RadS[3 * i + 2]! * j1[2]!;
    const c = gyr2RadS[3 * i]! * j2[0]! + gyr2RadS[3 * i + 1]! * j2[1]! + gyr2RadS[3 * i + 2]! * j2[2]!;
    if (!Number.isFinite(a) || !Number.isFinite(c)) continue;
    rotPlus += Math.abs(c - a) * dtS;
    rotMinus += Math.abs(c + a) * dtS;
  }
  const totalRotationDeg = Math.min(rotPlus, rotMinus) / DEG;

  const worst = Math.max(j1UncertaintyDeg, j2UncertaintyDeg);
  let quality: CalibrationQuality = 'good';
  const reasons: string[] = [];
  if (worst > p.failedUncertaintyDeg) {
    quality = 'failed';
    reasons.push(`axis not observable from this movement (1-σ j1 ${fmt(j1UncertaintyDeg)}°, j2 ${fmt(j2UncertaintyDeg)}°); both segments must rotate, not only about the joint axis`);
  } else if (worst > p.goodUncertaintyDeg) {
    quality = 'poor';
    reasons.push(`axis uncertain (1-σ j1 ${fmt(j1UncertaintyDeg)}°, j2 ${fmt(j2UncertaintyDeg)}°)`);
  }
  if (totalRotationDeg < p.minTotalRotationDeg) {
    if (quality === 'good') quality = 'poor';
    reasons.push(`little rotation about the joint axis (${totalRotationDeg.toFixed(0)}° < ${p.minTotalRotationDeg}°)`);
  }
  if (residualRadS > p.maxResidualRadS) {
    if (quality === 'good') quality = 'poor';
    reasons.push(`large residual ${residualRadS.toFixed(3)} rad/s: the joint may not be a hinge`);
  }
  return {
    j1, j2, residualRadS, j1UncertaintyDeg, j2UncertaintyDeg, totalRotationDeg, samplesUsed: mUsed, samplesRejected, quality,
    ...(reasons.length ? { reason: reasons.join('; ') } : {}),
  };
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toFixed(1) : '∞';
}

/**
 * Convenience: hinge axes from the recorded blocks of the two sensors (any rates, gaps allowed):
 * aligned onto a common grid with {@link alignBlocks}; samples invalid in either sensor are skipped.
 */
export function estimateHingeAxesFromBlocks(
  blocks: readonly SampleBlock[], sensor1: string, sensor2: string, params: Partial<HingeAxisParams> = {},
): HingeAxisResult {
  for (const id of [sensor1, sensor2]) {
    if (!blocks.some((b) => b.info.sensorId === id)) throw new CalibrationInputError(`hinge axis: no data for sensor '${id}'`);
  }
  const used = blocks.filter((b) => b.info.sensorId === sensor1 || b.info.sensorId === sensor2);
  for (const b of used) if (!b.gyrRadS) throw new CalibrationInputError(`hinge axis: sensor '${b.info.sensorId}' has no gyroscope channel`);
  const al = alignBlocks(used);
  const a = al.bySensorId[sensor1]!, b = al.bySensorId[sensor2]!;
  const g1 = Float64Array.from(a.block.gyrRadS!), g2 = Float64Array.from(b.block.gyrRadS!);
  for (let i = 0; i < al.tS.length; i++) {
    if (!al.allValid[i]) for (let k = 0; k < 3; k++) { g1[3 * i + k] = NaN; g2[3 * i + k] = NaN; }
  }
  return estimateHingeAxes(g1, g2, 1 / al.rateHz, params);
}
