/**
 * Mahony's explicit complementary filter (R. Mahony, T. Hamel, J.-M. Pflimlin, "Nonlinear
 * complementary filters on the special orthogonal group", IEEE TAC 53(5), 2008), in the
 * quaternion form of its widely used AHRS variant, 6D and 9D.
 *
 * Each sample: the error between measured and predicted reference directions (sensor frame,
 * unit vectors) is e = a × v̂ (+ m × ŵ in 9D), with v̂ = Rᵀ(0, 0, 1) the predicted "up" and
 * ŵ = Rᵀ b the predicted field, b = (0, |h_xy|, h_z) re-estimated from h = R m so that only
 * heading is compared (ENU: magnetic north along y). A PI controller feeds it back into the
 * rate: ω' = ω − b̂ + k_P e, with the integral term b̂̇ = −k_I e — the integral is the
 * gyroscope bias estimate. q̇ = ½ q ⊗ (0, ω'), first-order step, renormalised.
 *
 * Works directly in the output frame (ENU in 9D, z-up with arbitrary heading in 6D). The
 * integral only sees the axes the references observe: in 6D the bias about the vertical is
 * not observable and is not learned.
 */
import { A0, AhrsFilterBase, CQ, DT, G0, M0, MS, SERIES_EPS, checkGain, normalizeFrom } from './baselineFilter';
import type { AhrsCommonParams, AhrsState } from './baselineFilter';

export interface MahonyParams extends AhrsCommonParams {
  /**
   * Proportional gain k_P, rad/s per unit of error (e = sin of the angle between measured and
   * predicted directions). Sets how fast the accelerometer/magnetometer pull the estimate:
   * time constant ≈ 1/k_P s. Default 0.74, the best single value (with k_I 0.0012) over all
   * 39 BROAD trials (7.49° total, 3.70° inclination; Laidig et al. 2021); on the 15 trials of
   * `eval:broad` this filter scores 8.89° / 3.99°, the published per-trial figures of the
   * original code average 8.90° / 4.00° there. The common C implementation defaults to 0.5.
   */
  kp?: number;
  /**
   * Integral gain k_I, rad/s² per unit of error: the rate at which the gyroscope bias
   * estimate learns. 0 disables bias estimation. The error loop is s² + k_P·s + k_I, so with
   * k_P² > 4k_I the slowest time constant is ≈ 2/(k_P − √(k_P² − 4k_I)) s. Default 0.0012
   * (BROAD best, together with k_P 0.74 — slow: ≈ 10 min). For a bias that settles within a
   * minute use e.g. k_P 1, k_I 0.1 (≈ 9 s).
   */
  ki?: number;
}

export type MahonyState = AhrsState;

/** Mahony AHRS with PI feedback, 6D/9D. Output q_GS in ENU (9D) or z-up (6D). */
export class MahonyFilter extends AhrsFilterBase {
  readonly name = 'mahony';
  readonly kp: number;
  readonly ki: number;
  /** The parameters in effect, defaults filled in (frozen). */
  readonly params: Readonly<Required<MahonyParams>>;

  constructor(params: MahonyParams = {}) {
    super(params, false);
    this.kp = checkGain('kp', params.kp ?? 0.74);
    this.ki = checkGain('ki', params.ki ?? 0.0012);
    this.params = Object.freeze({ ...this.commonParams(), kp: this.kp, ki: this.ki });
  }

  protected step(useAcc: boolean, useMag: boolean, freezeBias: boolean): void {
    const io = this.io;
    let gx = io[G0]!, gy = io[G0 + 1]!, gz = io[G0 + 2]!;
    const ax = io[A0]!, ay = io[A0 + 1]!, az = io[A0 + 2]!;
    const mx = io[M0]!, my = io[M0 + 1]!, mz = io[M0 + 2]!;
    const dtS = io[DT]!;
    const q = this.q;
    const w = q[0]!, x = q[1]!, y = q[2]!, z = q[3]!;
    if (useAcc) {
      // Predicted up, v̂ = third row of R_GS.
      const vx = 2 * (x * z - w * y);
      const vy = 2 * (y * z + w * x);
      const vz = 1 - 2 * (x * x + y * y);
      let ex = ay * vz - az * vy;
      let ey = az * vx - ax * vz;
      let ez = ax * vy - ay * vx;
      if (useMag) {
        // h = R m (global, raw m); reference b = (0, |h_xy|, h_z); ŵ = Rᵀ b = b_n·row1(R) + b_z·row2(R).
        const r10 = 2 * (x * y + w * z), r11 = 1 - 2 * (x * x + z * z), r12 = 2 * (y * z - w * x);
        const hx = (1 - 2 * (y * y + z * z)) * mx + (2 * (x * y - w * z) * my + 2 * (x * z + w * y) * mz);
        const hy = r10 * mx + (r11 * my + r12 * mz);
        const bn = Math.sqrt(hx * hx + hy * hy);
        const bz = vx * mx + (vy * my + vz * mz);
        const wx = bn * r10 + bz * vx;
        const wy = bn * r11 + bz * vy;
        const wz = bn * r12 + bz * vz;
        // Quadratic in the raw m: ×1/|m|² gives the unit-vector error.
        const ms = io[MS]!;
        ex += (my * wz - mz * wy) * ms;
        ey += (mz * wx - mx * wz) * ms;
        ez += (mx * wy - my * wx) * ms;
      }
      const b = this.bias;
      if (this.ki > 0 && !freezeBias) {
        // b̂̇ = −k_I e; the rate below already has the old b̂ removed, so correct it by the change.
        const kdt = this.ki * dtS;
        const nb0 = b[0]! - kdt * ex, nb1 = b[1]! - kdt * ey, nb2 = b[2]! - kdt * ez;
        gx -= nb0 - b[0]!;
        gy -= nb1 - b[1]!;
        gz -= nb2 - b[2]!;
        b[0] = nb0;
        b[1] = nb1;
        b[2] = nb2;
      }
      const kp = this.kp;
      gx += kp * ex;
      gy += kp * ey;
      gz += kp * ez;
    }
    const hdt = 0.5 * dtS;
    const qw = w + hdt * (-x * gx - (y * gy + z * gz));
    const qx = x + hdt * (w * gx + (y * gz - z * gy));
    const qy = y + hdt * (w * gy + (z * gx - x * gz));
    const qz = z + hdt * (w * gz + (x * gy - y * gx));
    // Renormalise (see SERIES_EPS in baselineFilter.ts).
    const e = (qw * qw + qx * qx) + (qy * qy + qz * qz) - 1;
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
