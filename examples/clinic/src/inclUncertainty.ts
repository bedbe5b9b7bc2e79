/**
 * 1-σ of a one-sensor (inclinometer) reading, first order, with the error model of
 * src/kinematics/angleUncertainty.ts: the mount's covariance (`mountCovariance`: gravity
 * direction and the calibration residual; the assumed lateral axis about y) plus the 6D filter's
 * inclination error about the two horizontal axes, both as small rotations ε of the segment
 * frame, projected through the inclinometer angle θ = atan2(p·u, y·u) (u = global up in the
 * segment frame, p = x for sagittal, −z for frontal-plane motions; inclinometer.ts).
 * dθ = g·ε with g = w × u, w = ((y·u) p − (p·u) y) / ρ², so σ² = gᵀ C g. In the plane g is the
 * plane's normal (only the rotation about it changes the reading); out of the plane the
 * assumed-axis error leaks in, growing with the tilt.
 */
import { mountCovariance } from '../../../src/index';

const DEG = Math.PI / 180;
/** Gravity direction 1-σ in a still pose, deg (as functionalCalibration.ts). */
export const GRAVITY_SIGMA_DEG = 0.3;
/** 1-σ of the assumed lateral axis (sensor z) when nothing measured it, deg (as the CLI's static calibration). */
export const ASSUMED_AXIS_SIGMA_DEG = 15;
/** Inclination 1-σ of the real-time 6D filter per horizontal axis, deg (JointAngleStage's default, VQF on BROAD). */
export const TILT_SIGMA_DEG = 0.4;

/**
 * Mount covariance (rad², segment frame) of the one-sensor static zero with residual `residualDeg`.
 * The mount is TRIAD with gravity as the primary (segment y) and the assumed lateral axis only
 * fixing the rotation about it, so the assumed axis's error is a rotation about y alone:
 * `mountCovariance` for gravity and the residual, plus σ_axis² y yᵀ. (`mountCovariance` with
 * both directions would spread the 15° over x as well, which would make every frontal-plane
 * reading ±15°.)
 */
export function staticZeroCovariance(residualDeg: number): Float64Array {
  const c = mountCovariance([0, 1, 0], GRAVITY_SIGMA_DEG * DEG, [0, 0, 1], 0, residualDeg * DEG);
  c[4] = c[4]! + (ASSUMED_AXIS_SIGMA_DEG * DEG) ** 2;
  return c;
}

/** 1-σ of the reading, rad, at up-direction `u` (segment frame, unit), plane 'z' (sagittal) or 'x' (frontal). */
export function inclinometerSigmaRad(u: ArrayLike<number>, plane: 'z' | 'x', mountCov9: ArrayLike<number>, tiltSigmaRad = TILT_SIGMA_DEG * DEG): number {
  const ux = u[0]!, uy = u[1]!, uz = u[2]!;
  const pu = plane === 'z' ? ux : -uz;
  const rho2 = pu * pu + uy * uy;
  if (!(rho2 > 1e-12)) return Math.PI;
  // w = (uy p − pu y) / ρ², p = x or −z.
  const wx = plane === 'z' ? uy / rho2 : 0, wy = -pu / rho2, wz = plane === 'z' ? 0 : -uy / rho2;
  const gx = wy * uz - wz * uy, gy = wz * ux - wx * uz, gz = wx * uy - wy * ux;
  const g = [gx, gy, gz], uu = [ux, uy, uz];
  const t2 = tiltSigmaRad * tiltSigmaRad;
  let v = 0;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) v += g[i]! * (mountCov9[3 * i + j]! + t2 * ((i === j ? 1 : 0) - uu[i]! * uu[j]!)) * g[j]!;
  return Math.min(Math.PI, Math.sqrt(Math.max(0, v)));
}
