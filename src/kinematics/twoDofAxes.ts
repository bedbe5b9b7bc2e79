/**
 * Axis estimation for a 2-DoF joint (e.g. elbow flexion + forearm pronation/supination) from the
 * two sensors' orientations (Laidig et al., ICORR 2017; Olsson et al., Sensors 20:3534, 2020).
 * The first axis j₁ is fixed in segment 1 (sensor 1), the second j₂ in segment 2 (sensor 2),
 * and the angle between them is constant whatever the two joint angles are:
 *   (R₁ j₁) · (R_z(δ) R₂ j₂) = cos α   for every sample,
 * with α the angle between the axes (90° by default, the ISB elbow model) and δ the heading
 * offset between the sensors' orientation frames (0 for heading-consistent 9D orientations; with
 * independent 6D orientations set `estimateHeading` and δ is fitted as a constant — keep the
 * recording short, ≲ 1 min, so that the 6D heading drift stays small).
 *
 * Minimised Σ eᵢ² by Levenberg–Marquardt over unit j₁, j₂ (tangent-plane steps) and δ, from
 * several starts. Each axis is defined up to sign; with hints the sign makes a positive dot
 * product with the hint, else the largest component is positive. Quality comes from the 1-σ
 * axis uncertainty of the Gauss–Newton covariance: a movement that does not use both DoFs (or
 * moves the segments too little) leaves an axis unobservable → 'poor'/'failed', never a
 * confident wrong axis.
 */
import { solveDamped } from '../math/dampedSolve';
import { symmetricEigen } from '../math/symmetricEigen';
import * as quat from '../math/quat';
import * as vec3 from '../math/vec3';
import type { Vec3, Vec3Like } from '../math/vec3';
import { CalibrationInputError, type CalibrationQuality } from './hingeAxis';

const DEG = Math.PI / 180;

export interface TwoDofAxesParams {
  /** Angle between the two axes, deg. Default 90. */
  axisAngleDeg: number;
  /** Fit a constant heading offset δ between the two orientation frames. Default true. */
  estimateHeading: boolean;
  /** At most this many samples (evenly subsampled). Default 1500. */
  maxSamples: number;
  /** Minimum number of valid samples. Default 50. */
  minSamples: number;
  /** Starts per δ start. Default 10. */
  starts: number;
  /** LM iterations per start. Default 50. */
  maxIterations: number;
  /**
   * Residual floor for the uncertainty, dimensionless ≈ rad. Orientation errors of a fusion
   * filter are slow and correlated, so the i.i.d. covariance is optimistic (simulated 6D VQF
   * with consumer noise: axis errors ≈ 8× the 1-σ from the raw residual); the floor makes the
   * reported 1-σ of the same order as the error. Default 0.1.
   */
  noiseFloor: number;
  /** 1-σ axis uncertainty up to which the result is 'good', deg. Default 1.5. */
  goodUncertaintyDeg: number;
  /** Above this the result is 'failed', deg. Default 8. */
  failedUncertaintyDeg: number;
  /** RMS residual above which the model is doubtful ('poor'). Default 0.05. */
  maxResidual: number;
  j1Hint?: Vec3Like;
  j2Hint?: Vec3Like;
}

export const DEFAULT_TWO_DOF_AXES_PARAMS: TwoDofAxesParams = {
  axisAngleDeg: 90,
  estimateHeading: true,
  maxSamples: 1500,
  minSamples: 50,
  starts: 10,
  maxIterations: 50,
  noiseFloor: 0.1,
  goodUncertaintyDeg: 1.5,
  failedUncertaintyDeg: 8,
  maxResidual: 0.05,
};

export interface TwoDofAxesResult {
  /** First joint axis, sensor-1 coordinates (unit). */
  readonly j1: Vec3;
  /** Second joint axis, sensor-2 coordinates (unit). */
  readonly j2: Vec3;
  /** Heading correction of sensor 2's frame, rad (q₂′ = q_z(δ) ⊗ q₂); 0 when not estimated. */
  readonly deltaRad: number;
  /** RMS of (R₁j₁)·(R_z(δ)R₂j₂) − cos α. */
  readonly residual: number;
  readonly j1UncertaintyDeg: number;
  readonly j2UncertaintyDeg: number;
  readonly deltaUncertaintyDeg: number;
  readonly samplesUsed: number;
  readonly quality: CalibrationQuality;
  readonly reason?: string;
}

function tangentBasis(outU: Vec3, outV: Vec3, j: Vec3Like): void {
  const ax = Math.abs(j[0]!), ay = Math.abs(j[1]!), az = Math.abs(j[2]!);
  const e = ax <= ay && ax <= az ? [1, 0, 0] : ay <= az ? [0, 1, 0] : [0, 0, 1];
  vec3.normalize(outU, vec3.cross(outU, j, e));
  vec3.cross(outV, j, outU);
}


/** Per-sample data: the sensor axes' images need R₁ and R₂; stored as row-major 3×3 each. */
interface Samples {
  r1: Float64Array;
  r2: Float64Array;
  m: number;
}

/** a = R v (row-major R at offset o). */
function rot(out: Vec3, r: Float64Array, o: number, v: Vec3Like): Vec3 {
  out[0] = r[o]! * v[0]! + r[o + 1]! * v[1]! + r[o + 2]! * v[2]!;
  out[1] = r[o + 3]! * v[0]! + r[o + 4]! * v[1]! + r[o + 5]! * v[2]!;
  out[2] = r[o + 6]! * v[0]! + r[o + 7]! * v[1]! + r[o + 8]! * v[2]!;
  return out;
}

class Fitter {
  private readonly a1 = vec3.create();
  private readonly a2 = vec3.create();
  private readonly b = [vec3.create(), vec3.create(), vec3.create(), vec3.create()];
  private readonly tmp = vec3.create();
  readonly np: number;
  constructor(private readonly s: Samples, private readonly cosA: number, private readonly withDelta: boolean) {
    this.np = withDelta ? 5 : 4;
  }

  /** Residual of sample i; if `row` given, fills dr/d(u1, v1, u2, v2[, δ]) (bases must be set). */
  residual(i: number, j1: Vec3Like, j2: Vec3Like, delta: number, row?: Float64Array): number {
    const a1 = rot(this.a1, this.s.r1, 9 * i, j1);
    const r2 = rot(this.tmp, this.s.r2, 9 * i, j2);
    const c = Math.cos(delta), sn = Math.sin(delta);
    const a2 = this.a2;
    a2[0] = c * r2[0]! - sn * r2[1]!;
    a2[1] = sn * r2[0]! + c * r2[1]!;
    a2[2] = r2[2]!;
    const e = vec3.dot(a1, a2) - this.cosA;
    if (row) {
      const t = this.tmp;
      // d/dj1 = R₁ᵀ a2 projected on the basis: (R₁ b)·a2
      row[0] = vec3.dot(rot(t, this.s.r1, 9 * i, this.b[0]!), a2);
      row[1] = vec3.dot(rot(t, this.s.r1, 9 * i, this.b[1]!), a2);
      for (let k = 0; k < 2; k++) {
        const rb = rot(t, this.s.r2, 9 * i, this.b[2 + k]!);
        row[2 + k] = a1[0]! * (c * rb[0]! - sn * rb[1]!) + a1[1]! * (sn * rb[0]! + c * rb[1]!) + a1[2]! * rb[2]!;
      }
      // d(R_z(δ) v)/dδ = ẑ × R_z(δ) v
      if (this.withDelta) row[4] = a1[0]! * -a2[1]! + a1[1]! * a2[0]!;
    }
    return e;
  }

  setBases(j1: Vec3Like, j2: Vec3Like): void {
    tangentBasis(this.b[0]!, this.b[1]!, j1);
    tangentBasis(this.b[2]!, this.b[3]!, j2);
  }

  normal(j1: Vec3Like, j2: Vec3Like, delta: number, jtj: Float64Array, jte: Float64Array): number {
    const n = this.np;
    this.setBases(j1, j2);
    jtj.fill(0);
    jte.fill(0);
    const row = new Float64Array(n);
    let cost = 0;
    for (let i = 0; i < this.s.m; i++) {
      const e = this.residual(i, j1, j2, delta, row);
      cost += e * e;
      for (let r = 0; r < n; r++) {
        jte[r] += row[r]! * e;
        for (let k = 0; k < n; k++) jtj[n * r + k] += row[r]! * row[k]!;
      }
    }
    return cost;
  }

  cost(j1: Vec3Like, j2: Vec3Like, delta: number): number {
    let c = 0;
    for (let i = 0; i < this.s.m; i++) c += this.residual(i, j1, j2, delta) ** 2;
    return c;
  }

  basis(k: number): Vec3 {
    return this.b[k]!;
  }
}

function step(out: Vec3, j: Vec3Like, u: Vec3Like, v: Vec3Like, du: number, dv: number): Vec3 {
  for (let k = 0; k < 3; k++) out[k] = j[k]! + du * u[k]! + dv * v[k]!;
  return vec3.normalize(out, out);
}

function orientSign(j: Vec3, hint: Vec3Like | undefined): boolean {
  let flip: boolean;
  if (hint) flip = vec3.dot(j, hint) < 0;
  else {
    let k = 0;
    for (let i = 1; i < 3; i++) if (Math.abs(j[i]!) > Math.abs(j[k]!)) k = i;
    flip = j[k]! < 0;
  }
  if (flip) vec3.negate(j, j);
  return flip;
}

/**
 * 2-DoF joint axes from time-aligned orientations q_GS of the two sensors (4n each; samples
 * with a non-finite component are skipped).
 */
export function estimateTwoDofAxes(quat1: ArrayLike<number>, quat2: ArrayLike<number>, params: Partial<TwoDofAxesParams> = {}): TwoDofAxesResult {
  const p = { ...DEFAULT_TWO_DOF_AXES_PARAMS, ...params };
  for (const k of ['axisAngleDeg', 'maxSamples', 'minSamples', 'starts', 'maxIterations', 'noiseFloor', 'goodUncertaintyDeg', 'failedUncertaintyDeg', 'maxResidual'] as const) {
    if (!Number.isFinite(p[k]) || p[k] < 0) throw new CalibrationInputError(`2-DoF axes: parameter ${k} must be a finite number ≥ 0, got ${String(p[k])}`);
  }
  if (p.starts < 1 || p.maxSamples < 1) throw new CalibrationInputError('2-DoF axes: starts and maxSamples must be ≥ 1');
  if (quat1.length % 4 !== 0 || quat2.length % 4 !== 0) throw new CalibrationInputError('2-DoF axes: quaternion arrays must have length 4n');
  if (quat1.length !== quat2.length) throw new CalibrationInputError(`2-DoF axes: the sensors have ${quat1.length / 4} and ${quat2.length / 4} samples; align them first (alignBlocks)`);
  const n = quat1.length / 4;
  const valid: number[] = [];
  for (let i = 0; i < n; i++) {
    let ok = true;
    for (let k = 0; k < 4; k++) if (!Number.isFinite(quat1[4 * i + k]!) || !Number.isFinite(quat2[4 * i + k]!)) ok = false;
    if (ok) valid.push(i);
  }
  const m = Math.min(valid.length, p.maxSamples);
  const nanAxis = (): Vec3 => vec3.fromValues(NaN, NaN, NaN);
  if (m < Math.max(p.minSamples, 5)) {
    return { j1: nanAxis(), j2: nanAxis(), deltaRad: NaN, residual: NaN, j1UncertaintyDeg: Infinity, j2UncertaintyDeg: Infinity, deltaUncertaintyDeg: Infinity, samplesUsed: m, quality: 'failed', reason: `too few samples (${valid.length})` };
  }
  const r1 = new Float64Array(9 * m), r2 = new Float64Array(9 * m);
  const q = quat.create(), v = vec3.create();
  const axes = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  for (let s = 0; s < m; s++) {
    const i = valid[Math.floor((s * valid.length) / m)]!;
    for (const [arr, src] of [[r1, quat1], [r2, quat2]] as const) {
      quat.normalize(q, quat.readAt(q, src, i));
      for (let c = 0; c < 3; c++) {
        quat.rotate(v, q, axes[c]!);
        for (let r = 0; r < 3; r++) arr[9 * s + 3 * r + c] = v[r]!;
      }
    }
  }
  const fitter = new Fitter({ r1, r2, m }, Math.cos(p.axisAngleDeg * DEG), p.estimateHeading);
  const np = fitter.np;
  const jtj = new Float64Array(np * np), jte = new Float64Array(np), dx = new Float64Array(np);
  const t1 = vec3.create(), t2 = vec3.create();
  let best = { j1: vec3.create(), j2: vec3.create(), delta: 0, cost: Infinity };
  const ga = Math.PI * (3 - Math.sqrt(5));
  const deltaStarts = p.estimateHeading ? [0, (2 * Math.PI) / 3, (-2 * Math.PI) / 3] : [0];
  for (const d0 of deltaStarts) {
    for (let s = 0; s < p.starts; s++) {
      const z1 = 1 - (2 * (s + 0.5)) / p.starts, z2 = 1 - (2 * (((s * 3) % p.starts) + 0.5)) / p.starts;
      const j1 = vec3.fromValues(Math.sqrt(1 - z1 * z1) * Math.cos(s * ga), Math.sqrt(1 - z1 * z1) * Math.sin(s * ga), z1);
      const j2 = vec3.fromValues(Math.sqrt(1 - z2 * z2) * Math.cos(s * ga * 2 + 1), Math.sqrt(1 - z2 * z2) * Math.sin(s * ga * 2 + 1), z2);
      let delta = d0, lambda = 1e-3, cost = Infinity;
      for (let it = 0; it < p.maxIterations; it++) {
        cost = fitter.normal(j1, j2, delta, jtj, jte);
        let improved = false;
        for (let tries = 0; tries < 10 && !improved; tries++) {
          if (!solveDamped(jtj, jte, np, lambda, dx)) break;
          step(t1, j1, fitter.basis(0), fitter.basis(1), -dx[0]!, -dx[1]!);
          step(t2, j2, fitter.basis(2), fitter.basis(3), -dx[2]!, -dx[3]!);
          const dNew = p.estimateHeading ? delta - dx[4]! : delta;
          const c = fitter.cost(t1, t2, dNew);
          if (c < cost) {
            const rel = (cost - c) / Math.max(cost, 1e-300);
            vec3.copy(j1, t1);
            vec3.copy(j2, t2);
            delta = dNew;
            cost = c;
            lambda = Math.max(lambda / 10, 1e-12);
            improved = true;
            if (rel < 1e-12) it = p.maxIterations;
          } else lambda *= 10;
        }
        if (!improved) break;
      }
      if (cost < best.cost) best = { j1: vec3.copy(vec3.create(), j1), j2: vec3.copy(vec3.create(), j2), delta, cost };
    }
  }
  const { j1, j2 } = best;
  let delta = best.delta;
  const flip1 = orientSign(j1, p.j1Hint);
  // A single flip keeps the residual only for perpendicular axes (cos α = 0); otherwise j2
  // must follow j1 (and its hint is ignored).
  if (Math.abs(Math.cos(p.axisAngleDeg * DEG)) < 1e-9) orientSign(j2, p.j2Hint);
  else if (flip1) vec3.negate(j2, j2);
  delta = Math.atan2(Math.sin(delta), Math.cos(delta));
  const residual = Math.sqrt(fitter.cost(j1, j2, delta) / m);

  fitter.normal(j1, j2, delta, jtj, jte);
  const eig = symmetricEigen(jtj, np);
  const sigma2 = Math.max(residual, p.noiseFloor) ** 2;
  const lamMax = Math.max(eig.values[np - 1]!, 1e-300);
  const cov = new Float64Array(np * np);
  for (let e = 0; e < np; e++) {
    const lam = eig.values[e]!;
    const inv = lam > lamMax * 1e-14 ? 1 / lam : 1e300;
    for (let r = 0; r < np; r++) for (let k = 0; k < np; k++) cov[np * r + k] += sigma2 * inv * eig.vectors[np * r + e]! * eig.vectors[np * k + e]!;
  }
  const sd = (x: number): number => {
    const d = Math.sqrt(Math.max(x, 0)) / DEG;
    return d > 1e6 || !Number.isFinite(d) ? Infinity : d;
  };
  const block = (o: number): number => {
    const a = cov[np * o + o]!, d = cov[np * (o + 1) + o + 1]!, c = cov[np * o + o + 1]!;
    return sd(0.5 * (a + d) + Math.sqrt(0.25 * (a - d) ** 2 + c * c));
  };
  const j1UncertaintyDeg = block(0), j2UncertaintyDeg = block(2);
  const deltaUncertaintyDeg = p.estimateHeading ? sd(cov[np * 4 + 4]!) : 0;
  const worst = Math.max(j1UncertaintyDeg, j2UncertaintyDeg, deltaUncertaintyDeg);
  let quality: CalibrationQuality = 'good';
  const reasons: string[] = [];
  if (worst > p.failedUncertaintyDeg) {
    quality = 'failed';
    reasons.push(`axes not observable from this movement (1-σ j1 ${fmt(j1UncertaintyDeg)}°, j2 ${fmt(j2UncertaintyDeg)}°, δ ${fmt(deltaUncertaintyDeg)}°): move both degrees of freedom and the proximal segment`);
  } else if (worst > p.goodUncertaintyDeg) {
    quality = 'poor';
    reasons.push(`axes uncertain (1-σ j1 ${fmt(j1UncertaintyDeg)}°, j2 ${fmt(j2UncertaintyDeg)}°, δ ${fmt(deltaUncertaintyDeg)}°)`);
  }
  if (residual > p.maxResidual) {
    if (quality === 'good') quality = 'poor';
    reasons.push(`large residual ${residual.toFixed(3)}: the joint may not be this 2-DoF model`);
  }
  return {
    j1, j2, deltaRad: p.estimateHeading ? delta : 0, residual, j1UncertaintyDeg, j2UncertaintyDeg, deltaUncertaintyDeg, samplesUsed: m, quality,
    ...(reasons.length ? { reason: reasons.join('; ') } : {}),
  };
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toFixed(1) : '∞';
}
