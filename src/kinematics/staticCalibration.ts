/**
 * Static-pose sensor-to-segment calibration. A still period in a known posture gives one
 * segment axis in sensor coordinates (gravity: the segment axis that points up reads as the
 * direction of the mean specific force); a second direction known in both frames — gravity in a
 * second known pose, or the functional hinge axis (`estimateHingeAxes`) — fixes the rotation
 * about it. Both pairs are combined by TRIAD (the primary pair is matched exactly, the secondary
 * only in the plane it spans with the primary).
 *
 * Result q_S,seg maps segment coordinates to sensor coordinates (v_S = q ⊗ v_seg ⊗ q*), so
 * q_G,seg = q_GS ⊗ q_S,seg. (The simulator's `SensorSpec.orientation` is q_seg,S = its conjugate.)
 */
import * as mat3 from '../math/mat3';
import * as quat from '../math/quat';
import type { Quat } from '../math/quat';
import * as vec3 from '../math/vec3';
import type { Vec3, Vec3Like } from '../math/vec3';
import { CalibrationInputError, type CalibrationQuality } from './hingeAxis';

const DEG = Math.PI / 180;

/** One direction known in both frames. */
export interface AxisPair {
  /** Direction in sensor coordinates (any length > 0). */
  readonly sensor: Vec3Like;
  /** The same direction in segment coordinates (any length > 0). */
  readonly segment: Vec3Like;
}

export interface StillnessParams {
  /** Largest RMS gyro norm of a still period, rad/s. Default 0.05 (≈ 3°/s). */
  maxGyrRmsRadS: number;
  /** Largest RMS deviation of the specific-force vector from its mean, m/s². Default 0.3. */
  maxAccStdMS2: number;
  /** Gravity, m/s²; the mean force norm may differ from it by at most maxAccStdMS2 + 5 %. Default 9.81. */
  gravityMS2: number;
}

export const DEFAULT_STILLNESS_PARAMS: StillnessParams = { maxGyrRmsRadS: 0.05, maxAccStdMS2: 0.3, gravityMS2: 9.81 };

export interface StillGravity {
  /** Unit "up" direction in sensor coordinates (mean specific force). */
  readonly upS: Vec3;
  readonly gyrRmsRadS: number;
  readonly accStdMS2: number;
  readonly accNormMS2: number;
  readonly still: boolean;
  readonly reason?: string;
}

/** Mean "up" direction in sensor coordinates over a still period (acc and optional gyro, 3n each). */
export function stillGravityDirection(accMS2: ArrayLike<number>, gyrRadS?: ArrayLike<number>, params: Partial<StillnessParams> = {}): StillGravity {
  const p = { ...DEFAULT_STILLNESS_PARAMS, ...params };
  if (accMS2.length % 3 !== 0 || accMS2.length === 0) throw new CalibrationInputError(`static calibration: acc length ${accMS2.length} must be a positive multiple of 3`);
  if (gyrRadS && gyrRadS.length !== accMS2.length) throw new CalibrationInputError('static calibration: acc and gyro must have the same number of samples');
  const n = accMS2.length / 3;
  const m = vec3.create();
  for (let i = 0; i < 3 * n; i++) {
    if (!Number.isFinite(accMS2[i]!)) throw new CalibrationInputError(`static calibration: non-finite acc sample at ${Math.floor(i / 3)}`);
    m[i % 3] += accMS2[i]! / n;
  }
  let v = 0, g2 = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++) v += (accMS2[3 * i + k]! - m[k]!) ** 2 / n;
    if (gyrRadS) for (let k = 0; k < 3; k++) g2 += gyrRadS[3 * i + k]! ** 2 / n;
  }
  const accStdMS2 = Math.sqrt(v), gyrRmsRadS = Math.sqrt(g2), accNormMS2 = vec3.length(m);
  if (!Number.isFinite(gyrRmsRadS)) throw new CalibrationInputError('static calibration: non-finite gyro sample');
  const reasons: string[] = [];
  if (gyrRmsRadS > p.maxGyrRmsRadS) reasons.push(`gyro RMS ${gyrRmsRadS.toFixed(3)} rad/s > ${p.maxGyrRmsRadS}`);
  if (accStdMS2 > p.maxAccStdMS2) reasons.push(`acc std ${accStdMS2.toFixed(2)} m/s² > ${p.maxAccStdMS2}`);
  if (Math.abs(accNormMS2 - p.gravityMS2) > p.maxAccStdMS2 + 0.05 * p.gravityMS2) reasons.push(`mean acc norm ${accNormMS2.toFixed(2)} m/s² is not gravity`);
  const upS = accNormMS2 > 1e-9 ? vec3.scale(vec3.create(), m, 1 / accNormMS2) : vec3.fromValues(NaN, NaN, NaN);
  return { upS, gyrRmsRadS, accStdMS2, accNormMS2, still: reasons.length === 0, ...(reasons.length ? { reason: `not still: ${reasons.join('; ')}` } : {}) };
}

export interface SensorToSegmentResult {
  /** q_S,seg (segment → sensor coordinates). */
  readonly qSensorSegment: Quat;
  /** The mount q_seg,S = conj(q_S,seg): what `SensorCalibration.qSegSensor` of the joint-angle stage takes. */
  readonly qSegSensor: Quat;
  /** Mismatch of the angle between the two directions in the two frames, deg (0 = consistent). */
  readonly residualDeg: number;
  /** Angle between the two directions (in the segment frame), deg; near 0/180 = ill-conditioned. */
  readonly separationDeg: number;
  readonly quality: CalibrationQuality;
  readonly reason?: string;
}

export interface PairParams {
  /** Residual up to which the result is 'good', deg. Default 5. */
  goodResidualDeg: number;
  /** Residual above which it is 'failed', deg. Default 20. */
  failedResidualDeg: number;
  /** Directions closer than this to parallel cannot fix the rotation ('failed'), deg. Default 20. */
  minSeparationDeg: number;
}

export const DEFAULT_PAIR_PARAMS: PairParams = { goodResidualDeg: 5, failedResidualDeg: 20, minSeparationDeg: 20 };

function unit(name: string, a: Vec3Like): Vec3 {
  const n = Math.hypot(a[0]!, a[1]!, a[2]!);
  if (!(n > 1e-12) || !Number.isFinite(n)) throw new CalibrationInputError(`static calibration: ${name} must be a finite non-zero vector`);
  return vec3.fromValues(a[0]! / n, a[1]! / n, a[2]! / n);
}

/** Orthonormal triad (columns t1 = a, t2 ∝ a × b, t3 = t1 × t2) as a row-major matrix. */
function triad(a: Vec3, b: Vec3): Float64Array {
  const t2 = vec3.normalize(vec3.create(), vec3.cross(vec3.create(), a, b));
  const t3 = vec3.cross(vec3.create(), a, t2);
  const m = mat3.create();
  for (let r = 0; r < 3; r++) {
    m[3 * r] = a[r]!;
    m[3 * r + 1] = t2[r]!;
    m[3 * r + 2] = t3[r]!;
  }
  return m;
}

/** TRIAD: the rotation q_S,seg taking `primary.segment` exactly onto `primary.sensor`, and `secondary` as well as possible. */
export function sensorToSegmentFromPairs(primary: AxisPair, secondary: AxisPair, params: Partial<PairParams> = {}): SensorToSegmentResult {
  const p = { ...DEFAULT_PAIR_PARAMS, ...params };
  const aS = unit('primary.sensor', primary.sensor), aB = unit('primary.segment', primary.segment);
  const bS = unit('secondary.sensor', secondary.sensor), bB = unit('secondary.segment', secondary.segment);
  const sepB = vec3.angleRad(aB, bB) / DEG, sepS = vec3.angleRad(aS, bS) / DEG;
  const separationDeg = sepB;
  const residualDeg = Math.abs(sepS - sepB);
  const minSep = Math.min(sepB, 180 - sepB, sepS, 180 - sepS);
  if (minSep < 1e-6) {
    return { qSensorSegment: quat.fromValues(NaN, NaN, NaN, NaN), qSegSensor: quat.fromValues(NaN, NaN, NaN, NaN), residualDeg, separationDeg, quality: 'failed', reason: 'the two directions are parallel: the rotation about them is undetermined' };
  }
  const mS = triad(aS, bS), mB = triad(aB, bB);
  // R_S,seg · mB = mS  →  R = mS · mBᵀ
  const r = mat3.multiply(mat3.create(), mS, mat3.transpose(mat3.create(), mB));
  const q = quat.normalize(quat.create(), mat3.toQuat(quat.create(), r));
  let quality: CalibrationQuality = 'good';
  const reasons: string[] = [];
  if (minSep < p.minSeparationDeg) {
    quality = 'failed';
    reasons.push(`directions only ${minSep.toFixed(1)}° from parallel (< ${p.minSeparationDeg}°)`);
  }
  if (residualDeg > p.failedResidualDeg) {
    quality = 'failed';
    reasons.push(`inconsistent directions: angle between them differs by ${residualDeg.toFixed(1)}°`);
  } else if (residualDeg > p.goodResidualDeg) {
    if (quality === 'good') quality = 'poor';
    reasons.push(`directions differ by ${residualDeg.toFixed(1)}° from the assumed geometry`);
  }
  quat.canonicalize(q, q);
  return { qSensorSegment: q, qSegSensor: quat.conjugate(quat.create(), q), residualDeg, separationDeg, quality, ...(reasons.length ? { reason: reasons.join('; ') } : {}) };
}

export interface StaticPoseInput {
  /** Still-period specific force in sensor coordinates, m/s², 3n. */
  readonly accMS2: ArrayLike<number>;
  /** Still-period gyro, rad/s, 3n (optional, for the stillness check). */
  readonly gyrRadS?: ArrayLike<number>;
  /** The segment axis that points up in this posture, segment coordinates (standing neutral: [0, 1, 0]). */
  readonly segmentUp: Vec3Like;
  /** The second direction: e.g. `{ sensor: hinge.j1, segment: [0, 0, -1] }` (knee axis), or gravity of a second pose. */
  readonly secondary: AxisPair;
  readonly stillness?: Partial<StillnessParams>;
  readonly pair?: Partial<PairParams>;
}

export interface StaticPoseResult extends SensorToSegmentResult {
  readonly gravity: StillGravity;
}

/** Static-pose calibration: gravity in a known posture (primary) + a second known direction. */
export function staticPoseCalibration(input: StaticPoseInput): StaticPoseResult {
  const gravity = stillGravityDirection(input.accMS2, input.gyrRadS, input.stillness);
  const res = sensorToSegmentFromPairs({ sensor: gravity.upS, segment: input.segmentUp }, input.secondary, input.pair);
  if (gravity.still) return { ...res, gravity };
  return { ...res, gravity, quality: 'failed', reason: [gravity.reason, res.reason].filter(Boolean).join('; ') };
}
