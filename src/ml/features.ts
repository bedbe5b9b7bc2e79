/**
 * Engineered window features for the exercise recogniser: a fixed-length vector per window
 * centre, computed at two time scales — a short window (is the limb moving now?) and a long
 * context window around it (which movement: rotation axis, posture, the path of gravity).
 *
 * Why engineered features and not raw samples: with three training subjects a network over raw
 * samples learns each subject's strap angle; these statistics are mostly sign-free and
 * amplitude-normalised (a gyro covariance says which axis the limb turns about, not which way),
 * and a few are invariant to any mounting rotation (angles between the rotation axis,
 * gravity and the limb axis, rotation amplitude, pace).
 *
 * Input: a {@link Resampled} series (acc in g, gyro ÷ 2 rad/s). No tfjs here.
 */
import { SAMPLE_CHANNELS } from './windows';
import type { Resampled } from './windows';
import { newRigidFit, rigidFit } from './rigid';

export interface FeatureWindows {
  /** Short window, s: the one a label belongs to. */
  readonly shortS: number;
  /** Context window centred on the short one, s. */
  readonly longS: number;
  /** Hop between window centres, s. */
  readonly hopS: number;
  /** Per-scale feature indices left out (written as 0 at both scales): ablations of mounting-dependent cues. */
  readonly omit?: readonly number[];
}

/** Features per time scale: 26 from the window's statistics, 4 from the rotation-centre fit. */
export const SCALE_FEATURES = 30;
const RIGID_AT = 26;
/** Length of a feature vector (both scales). */
export const FEATURE_LENGTH = 2 * SCALE_FEATURES;

const GYR_SCALE = 2;
const DEG = 180 / Math.PI;

export interface FeatureMatrix {
  /** Row-major count × {@link FEATURE_LENGTH}. */
  readonly x: Float32Array;
  readonly count: number;
  /** Resampled index of each short window's first sample. */
  readonly startIndex: Int32Array;
  /** Short-window samples. */
  readonly steps: number;
  /** Start time of each short window, s. */
  readonly startS: Float64Array;
}

/** Scratch buffers reused across windows, so a recording allocates them once. */
class Scratch {
  angle: Float64Array;
  constructor(n: number) {
    this.angle = new Float64Array(n);
  }
}

/** Dominant eigenvector of a symmetric 3×3 (row-major) by power iteration, into `out`; returns its eigenvalue. */
function principal(m: Float64Array, out: Float64Array): number {
  let x = 1, y = 0.7, z = 0.4;
  let lambda = 0;
  for (let it = 0; it < 30; it++) {
    const nx = m[0]! * x + m[1]! * y + m[2]! * z;
    const ny = m[3]! * x + m[4]! * y + m[5]! * z;
    const nz = m[6]! * x + m[7]! * y + m[8]! * z;
    lambda = Math.sqrt(nx * nx + ny * ny + nz * nz);
    if (lambda === 0) break;
    x = nx / lambda; y = ny / lambda; z = nz / lambda;
  }
  out[0] = x; out[1] = y; out[2] = z;
  return lambda;
}

const cov = new Float64Array(9);
const acov = new Float64Array(9);
const axis = new Float64Array(3);

/**
 * One scale's features over resampled samples [i0, i1) into `out` at `o`:
 *  0–2  mean specific-force direction (≈ up in the sensor frame)
 *  3    log RMS of the acc deviation from its mean
 *  4    log RMS angular rate
 *  5–10 gyro covariance ÷ its trace (xx, yy, zz, xy, xz, yz): the rotation plane, sign-free
 *  11   share of the rotation about the principal axis (planarity)
 *  12   |cos| between principal axis and mean up
 *  13   |principal axis x| (the strap's long axis)
 *  14   range of the integrated rotation about the principal axis, ÷ 90°
 *  15   crossings of that angle through its mean per 10 s (pace)
 *  16   log peak angular rate
 *  17–22 covariance of the acc direction ÷ its trace (the path of gravity in the sensor frame)
 *  23   log trace of that covariance (how far gravity moves)
 *  24   largest angle between an acc direction and the mean one, ÷ 90°
 *  25   mean |acc| − 1 g
 * (26–29 are written by {@link rigidFeatures}.)
 */
function scaleFeatures(r: Resampled, i0: number, i1: number, out: Float32Array, o: number, s: Scratch): void {
  const x = r.x;
  const n = i1 - i0;
  let mx = 0, my = 0, mz = 0, mNorm = 0;
  let gx = 0, gy = 0, gz = 0;
  cov.fill(0);
  let peak = 0;
  for (let i = i0; i < i1; i++) {
    const b = i * SAMPLE_CHANNELS;
    const ax = x[b]!, ay = x[b + 1]!, az = x[b + 2]!;
    mx += ax; my += ay; mz += az;
    mNorm += Math.sqrt(ax * ax + ay * ay + az * az);
    const wx = x[b + 3]! * GYR_SCALE, wy = x[b + 4]! * GYR_SCALE, wz = x[b + 5]! * GYR_SCALE;
    gx += wx; gy += wy; gz += wz;
    cov[0]! += wx * wx; cov[1]! += wx * wy; cov[2]! += wx * wz;
    cov[4]! += wy * wy; cov[5]! += wy * wz; cov[8]! += wz * wz;
    const m = Math.sqrt(wx * wx + wy * wy + wz * wz);
    if (m > peak) peak = m;
  }
  mx /= n; my /= n; mz /= n; mNorm /= n;
  cov[3] = cov[1]!; cov[6] = cov[2]!; cov[7] = cov[5]!;
  const upN = Math.sqrt(mx * mx + my * my + mz * mz) || 1;
  const ux = mx / upN, uy = my / upN, uz = mz / upN;
  let accDev = 0, acx = 0, acy = 0, acz = 0, maxAng = 0;
  acov.fill(0);
  for (let i = i0; i < i1; i++) {
    const b = i * SAMPLE_CHANNELS;
    const ax = x[b]!, ay = x[b + 1]!, az = x[b + 2]!;
    accDev += (ax - mx) ** 2 + (ay - my) ** 2 + (az - mz) ** 2;
    const an = Math.sqrt(ax * ax + ay * ay + az * az) || 1;
    const dx = ax / an - ux, dy = ay / an - uy, dz = az / an - uz;
    acx += dx; acy += dy; acz += dz;
    acov[0]! += dx * dx; acov[1]! += dx * dy; acov[2]! += dx * dz;
    acov[4]! += dy * dy; acov[5]! += dy * dz; acov[8]! += dz * dz;
    const c = (ax * ux + ay * uy + az * uz) / an;
    const ang = Math.acos(Math.max(-1, Math.min(1, c)));
    if (ang > maxAng) maxAng = ang;
  }
  const tr = cov[0]! + cov[4]! + cov[8]!;
  const trA = acov[0]! + acov[4]! + acov[8]!;
  const lambda = tr > 0 ? principal(cov, axis) : 0;
  if (tr === 0) { axis[0] = 1; axis[1] = 0; axis[2] = 0; }
  // Integrated rotation about the principal axis (bias-free: the window's mean rate removed).
  const bx = gx / n, by = gy / n, bz = gz / n;
  const mean = (bx * axis[0]! + by * axis[1]! + bz * axis[2]!);
  let th = 0, lo = 0, hi = 0, thSum = 0;
  const dt = 1 / r.rateHz;
  for (let i = i0; i < i1; i++) {
    const b = i * SAMPLE_CHANNELS;
    const w = (x[b + 3]! * axis[0]! + x[b + 4]! * axis[1]! + x[b + 5]! * axis[2]!) * GYR_SCALE - mean;
    th += w * dt;
    s.angle[i - i0] = th;
    thSum += th;
    if (th < lo) lo = th;
    if (th > hi) hi = th;
  }
  const thMean = thSum / n;
  let crossings = 0;
  for (let k = 1; k < n; k++) if ((s.angle[k - 1]! - thMean) * (s.angle[k]! - thMean) < 0) crossings++;
  const t = tr || 1, tA = trA || 1;
  out[o] = ux; out[o + 1] = uy; out[o + 2] = uz;
  out[o + 3] = Math.log(Math.sqrt(accDev / n) + 1e-3);
  out[o + 4] = Math.log(Math.sqrt(tr / n) + 1e-3);
  out[o + 5] = cov[0]! / t; out[o + 6] = cov[4]! / t; out[o + 7] = cov[8]! / t;
  out[o + 8] = cov[1]! / t; out[o + 9] = cov[2]! / t; out[o + 10] = cov[5]! / t;
  out[o + 11] = tr > 0 ? lambda / tr : 0;
  out[o + 12] = Math.abs(axis[0]! * ux + axis[1]! * uy + axis[2]! * uz);
  out[o + 13] = Math.abs(axis[0]!);
  out[o + 14] = ((hi - lo) * DEG) / 90;
  out[o + 15] = (crossings * 10) / (n * dt);
  out[o + 16] = Math.log(peak + 1e-3);
  const mA = acx / n, mB = acy / n, mC = acz / n;
  // Centred covariance of the acc direction.
  const cxx = acov[0]! / n - mA * mA, cyy = acov[4]! / n - mB * mB, czz = acov[8]! / n - mC * mC;
  const cxy = acov[1]! / n - mA * mB, cxz = acov[2]! / n - mA * mC, cyz = acov[5]! / n - mB * mC;
  const ct = cxx + cyy + czz || (tA / n) || 1;
  out[o + 17] = cxx / ct; out[o + 18] = cyy / ct; out[o + 19] = czz / ct;
  out[o + 20] = cxy / ct; out[o + 21] = cxz / ct; out[o + 22] = cyz / ct;
  out[o + 23] = Math.log(Math.max(0, cxx + cyy + czz) + 1e-5);
  out[o + 24] = (maxAng * DEG) / 90;
  out[o + 25] = mNorm - 1;
}

const fit = newRigidFit();

/** Each short window's rotation-centre fit (./rigid), fitted once and shared by both scales. */
interface Fits {
  readonly w: Float64Array;
  readonly rad: Float64Array;
  readonly res: Float64Array;
  /** p̂, count × 3. */
  readonly dir: Float64Array;
}

function shortFits(r: Resampled, count: number, hop: number, steps: number): Fits {
  const f: Fits = { w: new Float64Array(count), rad: new Float64Array(count), res: new Float64Array(count), dir: new Float64Array(3 * count) };
  for (let k = 0; k < count; k++) {
    const s0 = k * hop;
    rigidFit(r, s0, Math.min(r.n, s0 + steps), fit);
    f.w[k] = fit.weight + 1e-9;
    f.rad[k] = fit.radiusM;
    f.res[k] = fit.residualG;
    f.dir.set(fit.dir, 3 * k);
  }
  return f;
}

/**
 * Rotation-centre features over the short windows k0…k1−1 (their fits averaged with each
 * window's rotation as weight: one 4-s fit per window, since the gyro-carried gravity of the
 * model drifts over long spans) into `out` at `o`, against the mean up already at out[o…o+2]:
 *  26  log(radius m + 0.05)   27  log(residual g + 0.005)
 *  28  |p̂ · x| (centre along the strap's long axis)   29  p̂ · mean up (centre above or below)
 */
function rigidFeatures(f: Fits, k0: number, k1: number, out: Float32Array, o: number): void {
  const ux = out[o]!, uy = out[o + 1]!, uz = out[o + 2]!;
  let w = 0, rad = 0, res = 0, along = 0, up = 0;
  for (let k = k0; k < k1; k++) {
    const q = f.w[k]!, d = 3 * k;
    w += q;
    rad += q * f.rad[k]!;
    res += q * f.res[k]!;
    along += q * Math.abs(f.dir[d]!);
    up += q * (f.dir[d]! * ux + f.dir[d + 1]! * uy + f.dir[d + 2]! * uz);
  }
  const d = w || 1;
  out[o + RIGID_AT] = Math.log(rad / d + 0.05);
  out[o + RIGID_AT + 1] = Math.log(res / d + 0.005);
  out[o + RIGID_AT + 2] = along / d;
  out[o + RIGID_AT + 3] = up / d;
}

/**
 * Feature vectors of a resampled series: one per short window (every `hopS`), each with the
 * short window's features then those of the context window centred on it (clipped to the
 * recording). A recording shorter than a short window gives one vector over all of it.
 */
export function featureMatrix(r: Resampled, spec: FeatureWindows): FeatureMatrix {
  const steps = Math.max(2, Math.round(spec.shortS * r.rateHz));
  const longSteps = Math.max(steps, Math.round(spec.longS * r.rateHz));
  const hop = Math.max(1, Math.round(spec.hopS * r.rateHz));
  const count = r.n < 2 ? 0 : r.n <= steps ? 1 : Math.floor((r.n - steps) / hop) + 1;
  const x = new Float32Array(count * FEATURE_LENGTH);
  const startIndex = new Int32Array(count), startS = new Float64Array(count);
  const scratch = new Scratch(Math.max(steps, longSteps));
  const fits = shortFits(r, count, hop, steps);
  for (let w = 0; w < count; w++) {
    const s0 = w * hop;
    const s1 = Math.min(r.n, s0 + steps);
    startIndex[w] = s0;
    startS[w] = r.t0S + s0 / r.rateHz;
    scaleFeatures(r, s0, s1, x, w * FEATURE_LENGTH, scratch);
    rigidFeatures(fits, w, w + 1, x, w * FEATURE_LENGTH);
    const centre = (s0 + s1) / 2;
    let l0 = Math.round(centre - longSteps / 2), l1 = l0 + longSteps;
    if (l0 < 0) { l1 = Math.min(r.n, l1 - l0); l0 = 0; }
    if (l1 > r.n) { l0 = Math.max(0, l0 - (l1 - r.n)); l1 = r.n; }
    scaleFeatures(r, l0, l1, x, w * FEATURE_LENGTH + SCALE_FEATURES, scratch);
    // The short windows wholly inside the context (at least this one).
    const k0 = Math.min(w, Math.ceil(l0 / hop)), k1 = Math.max(w + 1, Math.min(count, Math.floor((l1 - steps) / hop) + 1));
    rigidFeatures(fits, k0, k1, x, w * FEATURE_LENGTH + SCALE_FEATURES);
    if (spec.omit) for (const f of spec.omit) { x[w * FEATURE_LENGTH + f] = 0; x[w * FEATURE_LENGTH + SCALE_FEATURES + f] = 0; }
  }
  return { x, count, startIndex, steps, startS };
}

/**
 * Rotate a resampled series' acc and gyro triples by the row-major rotation matrix `m` into a
 * new series (|gyro| is unchanged). Used for mounting augmentation in training.
 */
export function rotateResampled(r: Resampled, m: ArrayLike<number>): Resampled {
  const x = Float32Array.from(r.x);
  for (let i = 0; i < r.n; i++) {
    for (const b of [i * SAMPLE_CHANNELS, i * SAMPLE_CHANNELS + 3]) {
      const a0 = x[b]!, a1 = x[b + 1]!, a2 = x[b + 2]!;
      x[b] = m[0]! * a0 + m[1]! * a1 + m[2]! * a2;
      x[b + 1] = m[3]! * a0 + m[4]! * a1 + m[5]! * a2;
      x[b + 2] = m[6]! * a0 + m[7]! * a1 + m[8]! * a2;
    }
  }
  return { ...r, x };
}

/** The rotation by `angleRad` about unit axis (ux, uy, uz), row-major. */
export function axisAngleMatrix(ux: number, uy: number, uz: number, angleRad: number): Float64Array {
  const c = Math.cos(angleRad), s = Math.sin(angleRad), C = 1 - c;
  return Float64Array.of(
    c + ux * ux * C, ux * uy * C - uz * s, ux * uz * C + uy * s,
    uy * ux * C + uz * s, c + uy * uy * C, uy * uz * C - ux * s,
    uz * ux * C - uy * s, uz * uy * C + ux * s, c + uz * uz * C,
  );
}
