/**
 * Per-angle 1-σ of clinical joint angles from the orientation error of the two segments: a
 * first-order propagation through the Euler decomposition, with the error sources that can be
 * told apart geometrically.
 *
 * A small error ε of the relative rotation (expressed in the proximal segment frame,
 * q_rel′ = exp(ε) ⊗ q_rel) changes the intrinsic angles by da = M⁻¹ε, where the columns of M are
 * the three rotation axes in the proximal frame: e_a1, R_a1 e_a2, R_a1 R_a2 e_a3. Every error
 * source maps into that frame as
 * - **mount** (sensor-to-segment calibration) of either sensor: its covariance in its segment
 *   frame (the distal one turned into the proximal frame by the relative rotation); a direction
 *   found with 1-σ σ_j tilts the frame about the two axes perpendicular to it: σ_j² (I − j jᵀ);
 * - **inclination** of either sensor's 6D filter (about global horizontal axes): σ_tilt² (I − v vᵀ);
 * - **relative heading** of the two sensors (about the global vertical; heading alignment,
 *   or drift while nothing observes it): σ_head² v vᵀ,
 * with v the global vertical seen in the proximal segment frame. Then σ_k² = r_kᵀ C r_k with r_k
 * the k-th row of M⁻¹. This is why a heading error barely touches knee flexion while the thigh
 * is upright (it goes into axial rotation), and why the first and third angles blow up near a
 * gimbal lock (M singular: capped at π).
 */
import type { EulerSequence } from '../math/euler';
import type { Vec3Like } from '../math/vec3';

const C1 = new Float64Array(3);
const C2 = new Float64Array(3);
const C3 = new Float64Array(3);

function axisIndex(ch: string): number {
  return ch === 'X' ? 0 : ch === 'Y' ? 1 : 2;
}

/** Rotate v in place about coordinate axis k by θ. */
function rotateAbout(v: Float64Array, k: number, theta: number): void {
  const c = Math.cos(theta), s = Math.sin(theta);
  const i = (k + 1) % 3, j = (k + 2) % 3;
  const a = v[i]!, b = v[j]!;
  v[i] = c * a - s * b;
  v[j] = s * a + c * b;
}

/**
 * Mount covariance (rad², 3×3 row-major, segment frame) of a mount fixed by two segment
 * directions a, b found with 1-σ σ_a, σ_b: σ_a²(I − a aᵀ) + σ_b²(I − b bᵀ) + (residual²/3)·I.
 */
export function mountCovariance(a: Vec3Like, aSigmaRad: number, b: Vec3Like, bSigmaRad: number, residualRad = 0): Float64Array {
  const out = new Float64Array(9);
  const na = Math.hypot(a[0]!, a[1]!, a[2]!), nb = Math.hypot(b[0]!, b[1]!, b[2]!);
  const r = (residualRad * residualRad) / 3;
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      const d = i === j ? 1 : 0;
      out[3 * i + j] = aSigmaRad ** 2 * (d - (a[i]! * a[j]!) / (na * na)) + bSigmaRad ** 2 * (d - (b[i]! * b[j]!) / (nb * nb)) + r * d;
    }
  }
  return out;
}

/**
 * 1-σ (rad) of the three intrinsic angles `sequence` for a rotation-error covariance `cov9`
 * (rad², 3×3 row-major) in the frame of the decomposed rotation's first axis, at first and
 * second angles a1, a2 (rad). Written to `out` (3), capped at π. Allocation-free.
 */
export function eulerAngleSigmaFromCovariance(out: Float64Array, sequence: EulerSequence, a1: number, a2: number, cov9: ArrayLike<number>): Float64Array {
  if (!invRows(sequence, a1, a2)) {
    out[0] = Math.PI; out[1] = Math.PI; out[2] = Math.PI;
    return out;
  }
  for (let k = 0; k < 3; k++) {
    const r0 = RI[3 * k]!, r1 = RI[3 * k + 1]!, r2 = RI[3 * k + 2]!;
    let v = 0;
    for (let i = 0; i < 3; i++) {
      const ri = i === 0 ? r0 : i === 1 ? r1 : r2;
      v += ri * (cov9[3 * i]! * r0 + cov9[3 * i + 1]! * r1 + cov9[3 * i + 2]! * r2);
    }
    out[k] = Math.min(Math.PI, Math.sqrt(Math.max(0, v)));
  }
  return out;
}

const RI = new Float64Array(9);

/** Rows of M⁻¹ into RI; false when M is singular (gimbal lock). */
function invRows(sequence: EulerSequence, a1: number, a2: number): boolean {
  const k0 = axisIndex(sequence[0]!), k1 = axisIndex(sequence[1]!), k2 = axisIndex(sequence[2]!);
  C1.fill(0); C1[k0] = 1;
  C2.fill(0); C2[k1] = 1; rotateAbout(C2, k0, a1);
  C3.fill(0); C3[k2] = 1; rotateAbout(C3, k1, a2); rotateAbout(C3, k0, a1);
  const x23 = C2[1]! * C3[2]! - C2[2]! * C3[1]!, y23 = C2[2]! * C3[0]! - C2[0]! * C3[2]!, z23 = C2[0]! * C3[1]! - C2[1]! * C3[0]!;
  const det = C1[0]! * x23 + C1[1]! * y23 + C1[2]! * z23;
  if (!(Math.abs(det) > 1e-9)) return false;
  for (let k = 0; k < 3; k++) {
    const a = k === 0 ? C2 : k === 1 ? C3 : C1;
    const b = k === 0 ? C3 : k === 1 ? C1 : C2;
    RI[3 * k] = (a[1]! * b[2]! - a[2]! * b[1]!) / det;
    RI[3 * k + 1] = (a[2]! * b[0]! - a[0]! * b[2]!) / det;
    RI[3 * k + 2] = (a[0]! * b[1]! - a[1]! * b[0]!) / det;
  }
  return true;
}
