/**
 * Euler / Cardan angles ↔ quaternions for all 12 axis sequences.
 *
 * ## Naming
 * A sequence string names the axes in the order the rotations are applied. The plain
 * functions ({@link quatFromEuler}, {@link eulerFromQuat}) read it **intrinsically** (moving
 * axes, the ISB joint-angle convention): `'ZXY'` with angles (a1, a2, a3) is a rotation a1
 * about Z, then a2 about the new X′, then a3 about the newer Y″, i.e.
 * `q = q_Z(a1) ⊗ q_X(a2) ⊗ q_Y(a3)`. The `…Extrinsic` functions read it with fixed axes:
 * a1 about X first, then a2 about fixed Y, then a3 about fixed Z for `'XYZ'`, i.e.
 * `q = q_Z(a3) ⊗ q_Y(a2) ⊗ q_X(a1)`; so extrinsic `'XYZ'` (a, b, c) is intrinsic `'ZYX'`
 * (c, b, a). With q = q_GS (quat.ts convention) the intrinsic axes are those of the moving
 * frame S; for a joint, pass the relative orientation q_AB = quat.relative(q_GA, q_GB).
 *
 * ## Ranges
 * a1, a3 ∈ (−π, π]. Middle angle a2 ∈ [−π/2, π/2] for Cardan/Tait-Bryan sequences (three
 * different axes), a2 ∈ [0, π] for proper Euler sequences (first axis = last axis).
 *
 * ## Gimbal lock
 * The middle angle is singular at ±π/2 (Tait-Bryan) or at 0 and π (proper Euler): there only
 * a1 ± a3 is defined. When a2 is within `tolRad` (default {@link GIMBAL_LOCK_TOL_RAD}) of a
 * singular value, the extraction sets **a3 = 0** and gives a1 the whole combined rotation
 * (for the intrinsic and the extrinsic functions alike: always the third returned angle).
 * a2 keeps its computed value, so the returned angles reproduce q exactly when a2 is exactly
 * singular and to within about 2·tolRad otherwise. {@link isGimbalLock} tells callers whether
 * this rule applied, and {@link gimbalDistanceRad} how far from the singularity q is (a1 and
 * a3 individually become ill-conditioned, ~noise / distance, well before the lock itself).
 *
 * ## Method
 * One general extraction, not 12 hand-written cases: a proper sequence i-j-i is read off
 * q = q_i(α) ⊗ q_j(β) ⊗ q_i(γ), whose components are
 * (w, q_i, q_j, ε q_m) = (cos(β/2)cos σ, cos(β/2)sin σ, sin(β/2)cos δ, sin(β/2)sin δ) with
 * σ = (α+γ)/2, δ = (α−γ)/2, ε = ε_ijm, by atan2 alone (β = 2·atan2(|(q_j, εq_m)|, |(w, q_i)|)),
 * so there is no asin/acos precision loss near the singularities. A Tait-Bryan sequence
 * i-j-k becomes the proper sequence i-j-i after q ⊗ q_j(π/2), with β′ = β + π/2 and
 * γ′ = −ε_ijk γ. (Same idea as Bernardes & Viollet, PLoS ONE 17(11), 2022; derived here for
 * kinemetry's Hamilton, scalar-first, intrinsic conventions.)
 */
import { wrapPi } from './angle';
import { NonFiniteInputError, ParameterRangeError, UnknownEulerSequenceError } from './errors';
import * as mat3 from './mat3';
import type { Mat3, Mat3Like } from './mat3';
import type { Quat, QuatLike } from './quat';
import type { Vec3 } from './vec3';

/** Cardan / Tait-Bryan sequences: three different axes. */
export type TaitBryanSequence = 'XYZ' | 'XZY' | 'YXZ' | 'YZX' | 'ZXY' | 'ZYX';
/** Proper Euler sequences: first axis = third axis. */
export type ProperEulerSequence = 'XYX' | 'XZX' | 'YXY' | 'YZY' | 'ZXZ' | 'ZYZ';
export type EulerSequence = TaitBryanSequence | ProperEulerSequence;

export const TAIT_BRYAN_SEQUENCES: readonly TaitBryanSequence[] = ['XYZ', 'XZY', 'YXZ', 'YZX', 'ZXY', 'ZYX'];
export const PROPER_EULER_SEQUENCES: readonly ProperEulerSequence[] = ['XYX', 'XZX', 'YXY', 'YZY', 'ZXZ', 'ZYZ'];
export const EULER_SEQUENCES: readonly EulerSequence[] = [...TAIT_BRYAN_SEQUENCES, ...PROPER_EULER_SEQUENCES];

/**
 * Default distance (rad) of the middle angle from its singular value within which the
 * gimbal-lock rule applies. Small on purpose, so the rule costs at most ~2e-9 rad of
 * reproduction error: outside it the general formula is exact (only the split between a1
 * and a3 is noisy). An exactly singular input lands within ~1e-15 of the singular value.
 * Pass a larger tolerance (e.g. a few degrees) to {@link isGimbalLock} to flag poorly
 * conditioned angles.
 */
export const GIMBAL_LOCK_TOL_RAD = 1e-9;

const HALF_PI = 0.5 * Math.PI;

/** Axis indices (0 = X, 1 = Y, 2 = Z) of each sequence, looked up without allocation. */
const AXES: Readonly<Record<EulerSequence, readonly [number, number, number]>> = {
  XYZ: [0, 1, 2], XZY: [0, 2, 1], YXZ: [1, 0, 2], YZX: [1, 2, 0], ZXY: [2, 0, 1], ZYX: [2, 1, 0],
  XYX: [0, 1, 0], XZX: [0, 2, 0], YXY: [1, 0, 1], YZY: [1, 2, 1], ZXZ: [2, 0, 2], ZYZ: [2, 1, 2],
};

/** Indexed, not destructured, by callers: array destructuring may allocate an iterator. */
function axesOf(seq: EulerSequence): readonly [number, number, number] {
  // Object.hasOwn guards against 'toString' & co. from untyped callers.
  if (!Object.hasOwn(AXES, seq)) throw new UnknownEulerSequenceError(String(seq));
  return AXES[seq];
}

export function isTaitBryan(seq: EulerSequence): seq is TaitBryanSequence {
  const a = axesOf(seq);
  return a[0] !== a[2];
}

/** Levi-Civita ε_ijm for distinct i, j (m the remaining axis): +1 when i→j is cyclic (X→Y→Z→X). */
function leviCivita(i: number, j: number): number {
  return (j - i + 3) % 3 === 1 ? 1 : -1;
}

function checkQuat(q: QuatLike): void {
  const w = q[0]!, x = q[1]!, y = q[2]!, z = q[3]!;
  if (!Number.isFinite(w + x + y + z)) {
    throw new NonFiniteInputError('q', Number.isFinite(w) ? (Number.isFinite(x) ? (Number.isFinite(y) ? z : y) : x) : w);
  }
}

/** out ← out ⊗ q_axis(angleRad), the elementary rotation about coordinate axis 0/1/2. */
function multiplyAxisRight(out: Quat, axis: number, angleRad: number): void {
  const h = 0.5 * angleRad;
  const c = Math.cos(h), s = Math.sin(h);
  const bx = axis === 0 ? s : 0, by = axis === 1 ? s : 0, bz = axis === 2 ? s : 0;
  const w = out[0]!, x = out[1]!, y = out[2]!, z = out[3]!;
  out[0] = w * c - x * bx - y * by - z * bz;
  out[1] = w * bx + x * c + y * bz - z * by;
  out[2] = w * by - x * bz + y * c + z * bx;
  out[3] = w * bz + x * by - y * bx + z * c;
}

/** out = q_i(α) ⊗ q_j(β) ⊗ q_k(γ). */
function compose(out: Quat, i: number, j: number, k: number, alpha: number, beta: number, gamma: number): Quat {
  if (!Number.isFinite(alpha + beta + gamma)) {
    throw new NonFiniteInputError('Euler angles', Number.isFinite(alpha) ? (Number.isFinite(beta) ? gamma : beta) : alpha);
  }
  out[0] = 1;
  out[1] = 0;
  out[2] = 0;
  out[3] = 0;
  multiplyAxisRight(out, i, alpha);
  multiplyAxisRight(out, j, beta);
  multiplyAxisRight(out, k, gamma);
  return out;
}

/**
 * The (a, b, c, d) of the proper-sequence form for q = q_i(α) q_j(β) q_k(γ):
 * (a, b) = |·| cos(β′/2)(cos σ, sin σ), (c, d) = |·| sin(β′/2)(cos δ, sin δ). Written into
 * the module scratch `ABCD` so the two public readers share it without allocating.
 */
const ABCD = new Float64Array(4);
function properForm(q: QuatLike, i: number, j: number, k: number): void {
  const w = q[0]!;
  const qi = q[1 + i]!, qj = q[1 + j]!;
  const m = 3 - i - j;
  const eps = leviCivita(i, j);
  if (i === k) {
    ABCD[0] = w;
    ABCD[1] = qi;
    ABCD[2] = qj;
    ABCD[3] = eps * q[1 + m]!;
  } else {
    // q ⊗ (1 + e_j) ∝ q ⊗ q_j(π/2); the common factor 1/√2 cancels in every atan2 below.
    const qk = q[1 + k]!;
    ABCD[0] = w - qj;
    ABCD[1] = qi - eps * qk;
    ABCD[2] = w + qj;
    ABCD[3] = qi + eps * qk;
  }
}

/** Middle angle of the proper form, β′ ∈ [0, π]. */
function middlePrime(): number {
  const a = ABCD[0]!, b = ABCD[1]!, c = ABCD[2]!, d = ABCD[3]!;
  return 2 * Math.atan2(Math.sqrt(c * c + d * d), Math.sqrt(a * a + b * b));
}

/**
 * Angles (α, β, γ) with q = q_i(α) ⊗ q_j(β) ⊗ q_k(γ). In gimbal lock, zero γ (or α when
 * `zeroAlpha`) and put the combined rotation on the other outer angle.
 */
function extract(out: Vec3, q: QuatLike, i: number, j: number, k: number, tolRad: number, zeroAlpha: boolean): Vec3 {
  checkQuat(q);
  properForm(q, i, j, k);
  const betaP = middlePrime();
  const sigma = Math.atan2(ABCD[1]!, ABCD[0]!); // (α + γ′)/2
  const delta = Math.atan2(ABCD[3]!, ABCD[2]!); // (α − γ′)/2
  let alpha: number, gammaP: number;
  // Same distance expressions as gimbalDistanceRad, so isGimbalLock agrees at the boundary.
  if (betaP <= tolRad) {
    // Only α + γ′ = 2σ is defined.
    alpha = zeroAlpha ? 0 : 2 * sigma;
    gammaP = zeroAlpha ? 2 * sigma : 0;
  } else if (Math.PI - betaP <= tolRad) {
    // Only α − γ′ = 2δ is defined.
    alpha = zeroAlpha ? 0 : 2 * delta;
    gammaP = zeroAlpha ? -2 * delta : 0;
  } else {
    alpha = sigma + delta;
    gammaP = sigma - delta;
  }
  if (i === k) {
    out[1] = betaP;
    out[2] = wrapPi(gammaP);
  } else {
    out[1] = betaP - HALF_PI;
    out[2] = wrapPi(-leviCivita(i, j) * gammaP);
  }
  out[0] = wrapPi(alpha);
  // −0 from a sign flip of an exact zero is harmless but surprising in printed output.
  if (out[2] === 0) out[2] = 0;
  if (out[0] === 0) out[0] = 0;
  return out;
}

function checkTol(tolRad: number): void {
  if (!(tolRad >= 0) || !(tolRad < HALF_PI)) {
    throw new ParameterRangeError(`tolRad must be in [0, π/2), got ${tolRad}`);
  }
}

/** Quaternion of intrinsic Euler angles (rad): q = q_e1(a1) ⊗ q_e2(a2) ⊗ q_e3(a3). */
export function quatFromEuler(out: Quat, seq: EulerSequence, a1Rad: number, a2Rad: number, a3Rad: number): Quat {
  const ax = axesOf(seq);
  return compose(out, ax[0], ax[1], ax[2], a1Rad, a2Rad, a3Rad);
}

/** Quaternion of extrinsic (fixed-axis) Euler angles (rad): q = q_e3(a3) ⊗ q_e2(a2) ⊗ q_e1(a1). */
export function quatFromEulerExtrinsic(out: Quat, seq: EulerSequence, a1Rad: number, a2Rad: number, a3Rad: number): Quat {
  const ax = axesOf(seq);
  return compose(out, ax[2], ax[1], ax[0], a3Rad, a2Rad, a1Rad);
}

/**
 * Intrinsic Euler angles (rad) of q for `seq`, written to `out` as (a1, a2, a3) and
 * returned. Ranges and the gimbal-lock rule (a3 = 0) are in the module doc. q need not be
 * normalised; q and −q give the same angles. Throws {@link NonFiniteInputError} for NaN/∞.
 */
export function eulerFromQuat(out: Vec3, q: QuatLike, seq: EulerSequence, tolRad = GIMBAL_LOCK_TOL_RAD): Vec3 {
  checkTol(tolRad);
  const ax = axesOf(seq);
  return extract(out, q, ax[0], ax[1], ax[2], tolRad, false);
}

/** Extrinsic (fixed-axis) Euler angles (rad) of q, the inverse of {@link quatFromEulerExtrinsic}; a3 = 0 in gimbal lock. */
export function eulerFromQuatExtrinsic(out: Vec3, q: QuatLike, seq: EulerSequence, tolRad = GIMBAL_LOCK_TOL_RAD): Vec3 {
  checkTol(tolRad);
  const ax = axesOf(seq);
  // Extrinsic e1-e2-e3 (a1, a2, a3) is intrinsic e3-e2-e1 (a3, a2, a1): α = a3 is zeroed in lock.
  extract(out, q, ax[2], ax[1], ax[0], tolRad, true);
  const a3 = out[0]!;
  out[0] = out[2]!;
  out[2] = a3;
  return out;
}

/**
 * Distance (rad) of the intrinsic middle angle of q from its nearest singular value:
 * π/2 − |a2| for Tait-Bryan, min(a2, π − a2) for proper Euler sequences. In [0, π/2].
 */
export function gimbalDistanceRad(q: QuatLike, seq: EulerSequence): number {
  checkQuat(q);
  const ax = axesOf(seq);
  properForm(q, ax[0], ax[1], ax[2]);
  const b = middlePrime();
  return Math.min(b, Math.PI - b);
}

/** As {@link gimbalDistanceRad} for the extrinsic reading of `seq`. */
export function gimbalDistanceExtrinsicRad(q: QuatLike, seq: EulerSequence): number {
  checkQuat(q);
  const ax = axesOf(seq);
  properForm(q, ax[2], ax[1], ax[0]);
  const b = middlePrime();
  return Math.min(b, Math.PI - b);
}

/** True when {@link eulerFromQuat} with the same `tolRad` applies the gimbal-lock rule. */
export function isGimbalLock(q: QuatLike, seq: EulerSequence, tolRad = GIMBAL_LOCK_TOL_RAD): boolean {
  return gimbalDistanceRad(q, seq) <= tolRad;
}

/** True when {@link eulerFromQuatExtrinsic} with the same `tolRad` applies the gimbal-lock rule. */
export function isGimbalLockExtrinsic(q: QuatLike, seq: EulerSequence, tolRad = GIMBAL_LOCK_TOL_RAD): boolean {
  return gimbalDistanceExtrinsicRad(q, seq) <= tolRad;
}

const SCRATCH_Q = new Float64Array(4);

/** Rotation matrix (row-major, v_G = R v_S) of intrinsic Euler angles (rad). */
export function mat3FromEuler(out: Mat3, seq: EulerSequence, a1Rad: number, a2Rad: number, a3Rad: number): Mat3 {
  return mat3.fromQuat(out, quatFromEuler(SCRATCH_Q, seq, a1Rad, a2Rad, a3Rad));
}

/** Intrinsic Euler angles (rad) of a rotation matrix, via {@link mat3.toQuat}; same ranges and lock rule as {@link eulerFromQuat}. */
export function eulerFromMat3(out: Vec3, m: Mat3Like, seq: EulerSequence, tolRad = GIMBAL_LOCK_TOL_RAD): Vec3 {
  return eulerFromQuat(out, mat3.toQuat(SCRATCH_Q, m), seq, tolRad);
}
