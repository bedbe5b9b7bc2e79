/**
 * Principal axis of angular motion of one sensor, in its own frame, from the gyroscope.
 * For a limb rotating about one joint axis the body-frame angular velocity stays along that
 * axis, so the axis is the dominant eigenvector of Σ w·ω̂ω̂ᵀ. Each sample is weighted by the
 * angle it turns (w = |ω|·dt) rather than by |ω|² as in a plain covariance, so a few fast
 * jerks (a bump, repositioning) do not outvote the exercise; samples slower than
 * `minRateRadS` (bias, noise, tremor at rest) are left out.
 */
import { symmetricEigen } from '../math/symmetricEigen';

/** Running accumulator of the weighted scatter matrix (allocation-free per sample). */
export class RotationAxisAccumulator {
  /** Upper triangle xx, xy, xz, yy, yz, zz. */
  private readonly m = new Float64Array(6);
  /** Total angle turned by the samples used, rad. */
  totalRad = 0;

  constructor(readonly minRateRadS: number) {}

  add(wx: number, wy: number, wz: number, dtS: number): void {
    const r = Math.hypot(wx, wy, wz);
    if (!(r >= this.minRateRadS) || !(dtS > 0) || !Number.isFinite(r)) return;
    const w = dtS / r; // |ω|·dt · (ω/|ω|)(ω/|ω|)ᵀ = dt/|ω| · ωωᵀ
    const m = this.m;
    m[0] += w * wx * wx;
    m[1] += w * wx * wy;
    m[2] += w * wx * wz;
    m[3] += w * wy * wy;
    m[4] += w * wy * wz;
    m[5] += w * wz * wz;
    this.totalRad += r * dtS;
  }

  /**
   * Dominant axis (unit, written to `out`) and its share of the total, in [1/3, 1]
   * (1 = a pure single-axis rotation). Share 0 and axis (1, 0, 0) when there was no motion.
   */
  axis(out: Float64Array): number {
    const m = this.m;
    const tr = m[0]! + m[3]! + m[5]!;
    if (!(tr > 0)) {
      out[0] = 1;
      out[1] = 0;
      out[2] = 0;
      return 0;
    }
    const e = symmetricEigen([m[0]!, m[1]!, m[2]!, m[1]!, m[3]!, m[4]!, m[2]!, m[4]!, m[5]!], 3);
    // Ascending eigenvalues: the last column is the dominant axis.
    out[0] = e.vectors[2]!;
    out[1] = e.vectors[5]!;
    out[2] = e.vectors[8]!;
    return e.values[2]! / tr;
  }

  reset(): void {
    this.m.fill(0);
    this.totalRad = 0;
  }
}

/** {@link RotationAxisAccumulator} over a whole gyroscope record (interleaved xyz, rad/s). */
export function principalRotationAxis(tS: ArrayLike<number>, gyrRadS: ArrayLike<number>, minRateRadS: number, out: Float64Array): number {
  const acc = new RotationAxisAccumulator(minRateRadS);
  for (let i = 1; i < tS.length; i++) {
    acc.add(gyrRadS[3 * i]!, gyrRadS[3 * i + 1]!, gyrRadS[3 * i + 2]!, tS[i]! - tS[i - 1]!);
  }
  return acc.axis(out);
}

/**
 * How much a sensor turned in total, deg: Σ |ω|·dt over samples faster than `minRateRadS`
 * (bias and noise at rest excluded). Picks the moving sensor of a session (the one to count
 * reps on when none is named).
 */
export function totalRotationDeg(tS: ArrayLike<number>, gyrRadS: ArrayLike<number>, minRateRadS: number): number {
  const acc = new RotationAxisAccumulator(minRateRadS);
  for (let i = 1; i < tS.length; i++) acc.add(gyrRadS[3 * i]!, gyrRadS[3 * i + 1]!, gyrRadS[3 * i + 2]!, tS[i]! - tS[i - 1]!);
  return (acc.totalRad * 180) / Math.PI;
}
