/**
 * Magnetometer hard- and soft-iron calibration from a recording: fit an ellipsoid to the
 * measured field vectors, then find the offset (hard iron) and the symmetric matrix (soft
 * iron) that map it onto a sphere of the local field strength.
 *
 * Model: a sensor in a constant field of strength B reads y = A·x + b with |x| = B, so the
 * readings lie on the ellipsoid (y − b)ᵀ S (y − b) = 1, S = (A Aᵀ)⁻¹/B². Calibration
 * x̂ = W (y − c) with c = b and W = B·S^½ (the symmetric square root) gives |x̂| = B. A
 * rotation inside A (axis misalignment relative to the accelerometer/gyroscope) cannot be
 * seen from field magnitudes alone and is left in: W·A is a rotation, not the identity.
 *
 * Fit: the general quadric xᵀMx + 2nᵀx + J = 0 through the samples by algebraic least
 * squares — the unit 10-vector (M, n, J) minimising Σ(quadric)², i.e. the eigenvector of the
 * smallest eigenvalue of DᵀD (D one row of monomials per sample) — on samples centred and
 * scaled to unit size for conditioning; then c = −M⁻¹n and S = M/(cᵀMc − J). The fit is
 * only trustworthy when the samples cover many directions: rotating the sensor in a plane
 * (or about one axis) leaves the quadric undetermined. `coverage` measures that and `ok`
 * says whether the result should be used.
 */
import { InsufficientDataError, LengthMismatchError, ParameterRangeError, SingularMatrixError } from '../math/errors';
import * as mat3 from '../math/mat3';
import type { Vec3, Vec3Like } from '../math/vec3';
import { symmetricEigen } from '../math/symmetricEigen';

export interface MagCalibrationParams {
  /**
   * Local field strength, µT, when known (e.g. from a geomagnetic model): the radius of the
   * sphere the data are mapped onto. Default: the geometric mean radius of the fitted
   * ellipsoid (so W has determinant 1 and only reshapes).
   */
  fieldUT?: number;
  /** Minimum {@link MagCalibration.coverage} for `ok`, in [0, 1]. Default 0.5. */
  minCoverage?: number;
  /** Maximum rms residual for `ok`, as a fraction of the field strength. Default 0.05. */
  maxResidualFraction?: number;
  /** Maximum ratio of the ellipsoid's longest to shortest axis for `ok` (soft iron beyond this is implausible). Default 2. */
  maxAxisRatio?: number;
  /** Minimum number of finite samples for `ok` (the fit itself needs 10). Default 100. */
  minSamples?: number;
}

export interface MagCalibration {
  /** Hard-iron offset c, µT (subtract from readings). */
  readonly hardIronUT: Float64Array;
  /** Soft-iron correction W, 3×3 row-major, symmetric: calibrated = W·(reading − c). */
  readonly softIron: Float64Array;
  /** Field strength the calibrated readings have, µT (NaN when no ellipsoid could be fitted; `ok` is then false). */
  readonly fieldUT: number;
  /** Rms of |calibrated| − fieldUT over the samples, µT (NaN when no ellipsoid could be fitted). */
  readonly residualUT: number;
  /**
   * Fraction of 60 evenly spread direction cells on the sphere that the calibrated field
   * directions visit, in [0, 1]: ≈ 1 for a sensor turned every way, ≈ 0.5 for a hemisphere,
   * < 0.25 for turning in one plane.
   */
  readonly coverage: number;
  /** Finite samples used. */
  readonly samples: number;
  /** Whether the calibration can be trusted (every check passed). */
  readonly ok: boolean;
  /** Why `ok` is false, one short sentence each (empty when ok). */
  readonly problems: readonly string[];
}

/** Number of direction cells for {@link MagCalibration.coverage}. */
const COVERAGE_CELLS = 60;
/** Cell centres: a Fibonacci lattice, nearly uniform on the sphere. */
const CELL_CENTRES: Float64Array = (() => {
  const out = new Float64Array(3 * COVERAGE_CELLS);
  const golden = Math.PI * (3 - Math.sqrt(5));
  for (let i = 0; i < COVERAGE_CELLS; i++) {
    const z = 1 - (2 * i + 1) / COVERAGE_CELLS;
    const r = Math.sqrt(1 - z * z);
    out[3 * i] = r * Math.cos(golden * i);
    out[3 * i + 1] = r * Math.sin(golden * i);
    out[3 * i + 2] = z;
  }
  return out;
})();

/**
 * Fit a hard/soft-iron calibration to magnetometer samples `magUT` (interleaved xyz, 3n, µT;
 * non-finite samples are skipped). Throws {@link InsufficientDataError} with fewer than 10
 * finite samples; otherwise always returns a result, with `ok` false and `problems` filled
 * when the data do not support it.
 */
export function fitMagCalibration(magUT: ArrayLike<number>, params: MagCalibrationParams = {}): MagCalibration {
  if (magUT.length % 3 !== 0) throw new LengthMismatchError('fitMagCalibration magUT', 'a multiple of 3', magUT.length);
  const minCoverage = checkRange('minCoverage', params.minCoverage ?? 0.5, 0, 1);
  const maxResidualFraction = checkRange('maxResidualFraction', params.maxResidualFraction ?? 0.05, 0, Infinity);
  const maxAxisRatio = checkRange('maxAxisRatio', params.maxAxisRatio ?? 2, 1, Infinity);
  const minSamples = checkRange('minSamples', params.minSamples ?? 100, 0, Infinity);
  if (params.fieldUT !== undefined && !(params.fieldUT > 0 && Number.isFinite(params.fieldUT))) {
    throw new ParameterRangeError(`fieldUT must be a positive number, got ${params.fieldUT}`);
  }

  // Finite samples, their mean and rms spread (for conditioning).
  const n0 = magUT.length / 3;
  const pts = new Float64Array(magUT.length);
  let n = 0;
  let mx = 0, my = 0, mz = 0;
  for (let i = 0; i < n0; i++) {
    const x = magUT[3 * i]!, y = magUT[3 * i + 1]!, z = magUT[3 * i + 2]!;
    if (!(Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(z))) continue;
    pts[3 * n] = x;
    pts[3 * n + 1] = y;
    pts[3 * n + 2] = z;
    mx += x;
    my += y;
    mz += z;
    n++;
  }
  if (n < 10) throw new InsufficientDataError('fitMagCalibration (finite magnetometer samples)', 10, n);
  mx /= n;
  my /= n;
  mz /= n;
  let spread = 0;
  for (let i = 0; i < n; i++) {
    const dx = pts[3 * i]! - mx, dy = pts[3 * i + 1]! - my, dz = pts[3 * i + 2]! - mz;
    spread += dx * dx + dy * dy + dz * dz;
  }
  spread = Math.sqrt(spread / n);
  const problems: string[] = [];
  if (n < minSamples) problems.push(`only ${n} samples (need ${minSamples})`);
  if (!(spread > 0)) {
    return result([mx, my, mz], identityScaled(1), NaN, NaN, 0, n, [...problems, 'all samples are the same: the sensor did not move']);
  }

  // Scatter matrix of the monomials [x², y², z², 2xy, 2xz, 2yz, 2x, 2y, 2z, 1] of the
  // normalised samples u = (y − mean)/spread.
  const s = 1 / spread;
  const dtd = new Float64Array(100);
  const row = new Float64Array(10);
  for (let i = 0; i < n; i++) {
    const x = (pts[3 * i]! - mx) * s, y = (pts[3 * i + 1]! - my) * s, z = (pts[3 * i + 2]! - mz) * s;
    row[0] = x * x;
    row[1] = y * y;
    row[2] = z * z;
    row[3] = 2 * x * y;
    row[4] = 2 * x * z;
    row[5] = 2 * y * z;
    row[6] = 2 * x;
    row[7] = 2 * y;
    row[8] = 2 * z;
    row[9] = 1;
    for (let a = 0; a < 10; a++) {
      const ra = row[a]!;
      for (let b = a; b < 10; b++) dtd[10 * a + b] += ra * row[b]!;
    }
  }
  const v = symmetricEigen(dtd, 10).vectors; // column 0: smallest eigenvalue
  const p = (k: number): number => v[10 * k]!;
  const M = mat3.fromValues(p(0), p(3), p(4), p(3), p(1), p(5), p(4), p(5), p(2));
  const nv = [p(6), p(7), p(8)];
  const J = p(9);

  let centre: number[] = [mx, my, mz];
  let W = identityScaled(1);
  let fieldUT = NaN;
  let fitted = false;
  try {
    const Minv = mat3.invert(mat3.create(), M);
    const cu = mat3.transformVec3(new Float64Array(3), Minv, nv);
    cu[0] = -cu[0]!;
    cu[1] = -cu[1]!;
    cu[2] = -cu[2]!;
    const Mc = mat3.transformVec3(new Float64Array(3), M, cu);
    const k = cu[0]! * Mc[0]! + cu[1]! * Mc[1]! + cu[2]! * Mc[2]! - J;
    // Shape matrix in µT⁻²: S = M / (k·spread²); an ellipsoid needs it positive definite.
    const S = new Float64Array(9);
    for (let i = 0; i < 9; i++) S[i] = M[i]! / (k * spread * spread);
    const eig = symmetricEigen(S, 3);
    const l0 = eig.values[0]!, l2 = eig.values[2]!;
    if (!(l0 > 0) || !Number.isFinite(l2)) {
      problems.push('the data do not lie on an ellipsoid (turn the sensor through more directions)');
    } else {
      centre = [mx + spread * cu[0]!, my + spread * cu[1]!, mz + spread * cu[2]!];
      const geoMeanRadius = Math.pow(eig.values[0]! * eig.values[1]! * eig.values[2]!, -1 / 6);
      fieldUT = params.fieldUT ?? geoMeanRadius;
      // W = B·V diag(√λ) Vᵀ
      const V = eig.vectors;
      W = new Float64Array(9);
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 3; j++) {
          let sum = 0;
          for (let e = 0; e < 3; e++) sum += V[3 * i + e]! * Math.sqrt(eig.values[e]!) * V[3 * j + e]!;
          W[3 * i + j] = fieldUT * sum;
        }
      }
      fitted = true;
      const axisRatio = Math.sqrt(l2 / l0);
      if (axisRatio > maxAxisRatio) problems.push(`ellipsoid axis ratio ${axisRatio.toFixed(2)} exceeds ${maxAxisRatio} (implausible soft iron, or too few directions)`);
    }
  } catch (e) {
    if (!(e instanceof SingularMatrixError)) throw e;
    problems.push('the data do not determine an ellipsoid (turn the sensor through more directions)');
  }

  // Residual and coverage on the calibrated directions (around the mean when the fit failed).
  let res2 = 0;
  const hit = new Uint8Array(COVERAGE_CELLS);
  const d = new Float64Array(3);
  const u = new Float64Array(3);
  for (let i = 0; i < n; i++) {
    d[0] = pts[3 * i]! - centre[0]!;
    d[1] = pts[3 * i + 1]! - centre[1]!;
    d[2] = pts[3 * i + 2]! - centre[2]!;
    mat3.transformVec3(u, W, d);
    const len = Math.sqrt(u[0]! * u[0]! + u[1]! * u[1]! + u[2]! * u[2]!);
    if (fitted) res2 += (len - fieldUT) * (len - fieldUT);
    if (len > 0) hit[nearestCell(u[0]! / len, u[1]! / len, u[2]! / len)] = 1;
  }
  let hits = 0;
  for (let c = 0; c < COVERAGE_CELLS; c++) hits += hit[c]!;
  const coverage = hits / COVERAGE_CELLS;
  const residualUT = fitted ? Math.sqrt(res2 / n) : NaN;
  if (coverage < minCoverage) {
    problems.push(`coverage ${coverage.toFixed(2)} is below ${minCoverage}: turn the sensor through more directions (not only in one plane)`);
  }
  if (fitted && residualUT > maxResidualFraction * fieldUT) {
    problems.push(`rms residual ${residualUT.toFixed(2)} µT exceeds ${(100 * maxResidualFraction).toFixed(0)} % of the field (magnetic disturbance or a moving magnet)`);
  }
  return result(centre, W, fieldUT, residualUT, coverage, n, problems);
}

/** Calibrated field out = W·(magUT − c), µT. `out` may alias `magUT`. */
export function applyMagCalibration(out: Vec3, magUT: Vec3Like, cal: MagCalibration): Vec3 {
  const c = cal.hardIronUT, W = cal.softIron;
  const x = magUT[0]! - c[0]!, y = magUT[1]! - c[1]!, z = magUT[2]! - c[2]!;
  out[0] = W[0]! * x + W[1]! * y + W[2]! * z;
  out[1] = W[3]! * x + W[4]! * y + W[5]! * z;
  out[2] = W[6]! * x + W[7]! * y + W[8]! * z;
  return out;
}

/** {@link applyMagCalibration} over an interleaved xyz array (3n) into `out` (may alias). */
export function applyMagCalibrationToArray(out: Float64Array, magUT: ArrayLike<number>, cal: MagCalibration): Float64Array {
  if (magUT.length % 3 !== 0) throw new LengthMismatchError('applyMagCalibrationToArray magUT', 'a multiple of 3', magUT.length);
  if (out.length < magUT.length) throw new LengthMismatchError('applyMagCalibrationToArray out', `at least ${magUT.length}`, out.length);
  const c = cal.hardIronUT, W = cal.softIron;
  for (let k = 0; k < magUT.length; k += 3) {
    const x = magUT[k]! - c[0]!, y = magUT[k + 1]! - c[1]!, z = magUT[k + 2]! - c[2]!;
    out[k] = W[0]! * x + W[1]! * y + W[2]! * z;
    out[k + 1] = W[3]! * x + W[4]! * y + W[5]! * z;
    out[k + 2] = W[6]! * x + W[7]! * y + W[8]! * z;
  }
  return out;
}

function nearestCell(x: number, y: number, z: number): number {
  let best = 0;
  let bestDot = -Infinity;
  for (let c = 0; c < COVERAGE_CELLS; c++) {
    const dot = x * CELL_CENTRES[3 * c]! + y * CELL_CENTRES[3 * c + 1]! + z * CELL_CENTRES[3 * c + 2]!;
    if (dot > bestDot) {
      bestDot = dot;
      best = c;
    }
  }
  return best;
}

function identityScaled(s: number): Float64Array {
  return Float64Array.of(s, 0, 0, 0, s, 0, 0, 0, s);
}

function checkRange(what: string, v: number, lo: number, hi: number): number {
  if (!(v >= lo && v <= hi)) throw new ParameterRangeError(`${what} must be in [${lo}, ${hi}], got ${v}`);
  return v;
}

function result(
  centre: ArrayLike<number>, W: Float64Array, fieldUT: number, residualUT: number, coverage: number, samples: number, problems: string[],
): MagCalibration {
  return {
    hardIronUT: Float64Array.from(centre),
    softIron: W,
    fieldUT,
    residualUT,
    coverage,
    samples,
    ok: problems.length === 0,
    problems,
  };
}
