/**
 * Madgwick's gradient-descent orientation filter (S. Madgwick, "An efficient orientation
 * filter for inertial and inertial/magnetic sensor arrays", report, 2010), 6D (IMU) and
 * 9D (MARG), written from the report's equations.
 *
 * Each sample: the gyroscope rate of change q̇_ω = ½ q ⊗ (0, ω) is corrected by one
 * normalised gradient-descent step on the objective f = q* ⊗ d ⊗ q − s (reference
 * direction d in the earth frame, measurement s in the sensor frame) for gravity and, in 9D,
 * the magnetic field: q̇ = q̇_ω − β ∇f/‖∇f‖, integrated by a first-order step and
 * renormalised (as the original; at IMU rates the difference to exact integration is
 * negligible, and it keeps the baseline faithful).
 *
 * Frames: the report's earth frame has z up and the magnetic reference in the x–z plane
 * (b = (b_x, 0, b_z)), i.e. North-West-Up. The filter works there and outputs ENU:
 * q_ENU = q_z(+90°) ⊗ q_NWU (see `baselineFilter.ts`). In 6D the heading is arbitrary.
 *
 * The magnetic reference fix: the reference direction b is re-estimated every sample from
 * the measurement, h = q ⊗ m ⊗ q*, b = (√(h_x² + h_y²), 0, h_z). The widely copied 2010 C
 * implementation stores √(h_x² + h_y²) and h_z in variables meant to hold 2b_x and 2b_z (the
 * factor ×2 of the expanded Jacobian) without doubling them, so its objective compares the
 * unit measurement with a reference of half length: the objective no longer vanishes at the
 * true orientation (a radial gradient is left, which eats into the normalised step), and the
 * magnetometer weighs half as much as the accelerometer in the gradient. Here b has unit
 * length like m, as the report intends (`legacyMagReference: true` reproduces the original,
 * to compare with published figures; on BROAD its half-weight magnetometer happens to cost
 * inclination less in the magnetically disturbed trials). See
 * github.com/dlaidig/broad/issues/1 and github.com/RideBeeline/madgwick-investigation (bug 2).
 */
import { A0, AhrsFilterBase, CQ, DT, G0, M0, MS, SERIES_EPS, checkGain, normalizeFrom } from './baselineFilter';
import type { AhrsCommonParams, AhrsState } from './baselineFilter';

export interface MadgwickParams extends AhrsCommonParams {
  /**
   * Gain β of the gradient step, rad/s (the report: β = √(3/4)·ω̃, ω̃ the gyroscope
   * measurement error): the estimate is pulled towards the accelerometer/magnetometer at
   * up to 2β rad/s. Larger follows them faster but lets through more linear acceleration
   * and magnetic disturbance. Default 0.12, the single value that did best over all 39 BROAD
   * trials for the original code (4.96° total, 2.71° inclination; Laidig et al. 2021). On the
   * 15 trials of `eval:broad` this filter scores 5.06° / 2.91° at 0.12 and 4.84° / 2.57° at
   * its best, 0.08 (the original code: 4.98° / 2.67° at 0.12, matching the published
   * per-trial figures). The original code's own default is 0.1.
   */
  beta?: number;
  /**
   * Reproduce the original C code's halved magnetic reference (see the module comment).
   * Only for comparison with published results. Default false.
   */
  legacyMagReference?: boolean;
}

export type MadgwickState = AhrsState;

/** Madgwick AHRS, 6D/9D. Output q_GS in ENU (9D) or z-up (6D). */
export class MadgwickFilter extends AhrsFilterBase {
  readonly name = 'madgwick';
  readonly beta: number;
  readonly legacyMagReference: boolean;
  /** The parameters in effect, defaults filled in (frozen). */
  readonly params: Readonly<Required<MadgwickParams>>;

  constructor(params: MadgwickParams = {}) {
    super(params, true);
    this.beta = checkGain('beta', params.beta ?? 0.12);
    this.legacyMagReference = params.legacyMagReference ?? false;
    this.params = Object.freeze({ ...this.commonParams(), beta: this.beta, legacyMagReference: this.legacyMagReference });
  }

  protected step(useAcc: boolean, useMag: boolean): void {
    const io = this.io;
    const q = this.q;
    const w = q[0]!, x = q[1]!, y = q[2]!, z = q[3]!;
    const gx = io[G0]!, gy = io[G0 + 1]!, gz = io[G0 + 2]!;
    const dtS = io[DT]!;
    // Gyroscope prediction q + ½ q ⊗ (0, ω)·dt. (Sums are paired here and below to shorten
    // the chain of dependent operations from one sample to the next, which sets the speed.)
    const hdt = 0.5 * dtS;
    const pw = w + hdt * (-x * gx - (y * gy + z * gz));
    const px = x + hdt * (w * gx + (y * gz - z * gy));
    const py = y + hdt * (w * gy + (z * gx - x * gz));
    const pz = z + hdt * (w * gz + (x * gy - y * gx));

    const pp = (pw * pw + px * px) + (py * py + pz * pz);
    // Gradient step k·s (none without an accelerometer sample) and |p − k·s|².
    let k = 0, sw = 0, sx = 0, sy = 0, sz = 0, n2 = pp;
    if (useAcc) {
      // The report's gradient ∇ = Jᵀf, f = Rᵀd − s per reference, written for unit q as its
      // tangent part 2 q ⊗ (0, Σ v̂ × s) plus its radial part q·Σ(J q)·f, where v̂ = Rᵀd is
      // the predicted direction and J q = 2v̂ − 2(d_x, 0, d_z) (the report writes the
      // diagonal of R as 1 − 2(…), not in homogeneous form). Equal to the report's expanded
      // Jacobian products to rounding (checked in the tests), in fewer operations.
      const ax = io[A0]!, ay = io[A0 + 1]!, az = io[A0 + 2]!;
      const xx = x * x, yy = y * y, zz = z * z;
      const xy = x * y, xz = x * z, yz = y * z, wx = w * x, wy = w * y, wz = w * z;
      // Third row of R_GS: predicted "up" in the sensor frame (d = (0, 0, 1)).
      const r20 = 2 * (xz - wy), r21 = 2 * (yz + wx), r22 = 1 - 2 * (xx + yy);
      let cx = r21 * az - r22 * ay;
      let cy = r22 * ax - r20 * az;
      let cz = r20 * ay - r21 * ax;
      let rad = r20 * (r20 - ax) + (r21 * (r21 - ay) + (r22 - 1) * (r22 - az));
      if (useMag) {
        const mx = io[M0]!, my = io[M0 + 1]!, mz = io[M0 + 2]!;
        const r00 = 1 - 2 * (yy + zz), r01 = 2 * (xy - wz), r02 = 2 * (xz + wy);
        const r10 = 2 * (xy + wz), r11 = 1 - 2 * (xx + zz), r12 = 2 * (yz - wx);
        // Measured field in the earth frame, h = R m; reference b = (|h_xy|, 0, h_z) (for the
        // raw m). (Not |h_xy|² = |m|² − h_z²: that cancels badly for a near-vertical field.)
        const hx = r00 * mx + (r01 * my + r02 * mz);
        const hy = r10 * mx + (r11 * my + r12 * mz);
        let bx = Math.sqrt(hx * hx + hy * hy);
        let bz = r20 * mx + (r21 * my + r22 * mz);
        if (this.legacyMagReference) {
          bx *= 0.5;
          bz *= 0.5;
        }
        // Predicted field in the sensor frame, Rᵀ b.
        const vx = bx * r00 + bz * r20, vy = bx * r01 + bz * r21, vz = bx * r02 + bz * r22;
        // Both terms are quadratic in the raw m: ×1/|m|² makes them those of the unit vector.
        const ms = io[MS]!;
        cx += (vy * mz - vz * my) * ms;
        cy += (vz * mx - vx * mz) * ms;
        cz += (vx * my - vy * mx) * ms;
        rad += ((vx - bx) * (vx - mx) + (vy * (vy - my) + (vz - bz) * (vz - mz))) * ms;
      }
      // ∇/2 = q ⊗ (0, c) + rad·q
      sw = (rad * w - x * cx) - (y * cy + z * cz);
      sx = (rad * x + w * cx) + (y * cz - z * cy);
      sy = (rad * y + w * cy) + (z * cx - x * cz);
      sz = (rad * z + w * cz) + (x * cy - y * cx);
      const s2 = (sw * sw + sx * sx) + (sy * sy + sz * sz);
      // At convergence the gradient is rounding noise with a random direction, and the
      // normalised step would turn it into a jitter of β·dt: below 1e-12 there is no step.
      if (s2 > 1e-24) {
        const bdt = this.beta * dtS;
        k = bdt / Math.sqrt(s2);
        // |p − k·s|² = |p|² − 2k p·s + (β dt)², with |p|² and p·s ready before k is.
        const ps = (pw * sw + px * sx) + (py * sy + pz * sz);
        n2 = (pp + bdt * bdt) - 2 * k * ps;
      }
    }
    const qw = pw - k * sw, qx = px - k * sx, qy = py - k * sy, qz = pz - k * sz;
    const e = n2 - 1;
    if (e > -SERIES_EPS && e < SERIES_EPS) {
      const sc = (1 - 0.5 * e) + e * e * (0.375 - 0.3125 * e);
      q[0] = qw * sc;
      q[1] = qx * sc;
      q[2] = qy * sc;
      q[3] = qz * sc;
    } else {
      io[CQ] = qw;
      io[CQ + 1] = qx;
      io[CQ + 2] = qy;
      io[CQ + 3] = qz;
      normalizeFrom(q, io, CQ);
    }
  }
}
