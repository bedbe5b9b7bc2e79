/**
 * Functional sensor-to-segment calibration of a whole joint, magnetometer-free: the full mount
 * q_seg,S of both sensors plus the heading offset δ between their 6D orientation frames, built
 * from the axis estimators (`hingeAxis.ts`, `twoDofAxes.ts`), gravity in a still neutral pose
 * (`staticCalibration.ts`) and the hinge-constraint heading fit (as `headingAlignment.ts`).
 *
 * What "functional" means per joint type (each needs two directions per sensor for TRIAD):
 * - **Hinge** (knee, generic 1-DoF): the hinge axis from the movement (Seel 2014) + gravity in a
 *   still neutral pose (segment y up). δ then comes from the hinge constraint, continuously
 *   (`HeadingAlignment`).
 * - **2-DoF** (elbow flexion + pronation): both axes and a constant δ from the orientations
 *   (Laidig 2017); proximal mount = flexion axis + gravity in the neutral pose; distal mount =
 *   pronation axis (its long axis) + the flexion axis carried into the distal sensor at the
 *   neutral sample (both segments share their frame there).
 * - **Ball** (hip, shoulder): no kinematic constraint at all, so two single-plane calibration
 *   movements are asked for: the first a pure rotation about one segment axis (e.g. hip flexion:
 *   z), the second about another (e.g. abduction: x), each starting from neutral and with the other
 *   DoFs at zero. Each is a hinge movement: its axis is found in both sensors (Seel 2014), and the
 *   two axes per sensor give the mount (TRIAD; the angle between them checks the model). δ is
 *   fitted from the hinge constraint of both movements and then HELD — after calibration nothing
 *   observes it, so its uncertainty grows with the 6D heading drift (see `angleUncertainty.ts`).
 *
 * Observability (all types): mag-free, the proximal sensor's axis and δ can only be separated if
 * the PROXIMAL segment also rotates during the calibration movement, about other directions than
 * the joint axis; with a still proximal segment the estimators report 'failed' (not observable),
 * never a confident wrong mount. Use 9D orientation or a static two-pose calibration then.
 *
 * Axis signs: every axis fit is sign-ambiguous. The nominal mounts (`*MountHint`, how the sensor
 * was strapped, within ~60°) fix them: each axis is turned towards the hint's image of the
 * segment axis.
 */
import * as quat from '../math/quat';
import type { QuatLike } from '../math/quat';
import * as vec3 from '../math/vec3';
import type { Vec3, Vec3Like } from '../math/vec3';
import { CalibrationInputError, DEFAULT_HINGE_AXIS_PARAMS, estimateHingeAxes } from './hingeAxis';
import type { CalibrationQuality, HingeAxisParams, HingeAxisResult } from './hingeAxis';
import { mountCovariance } from './angleUncertainty';
import { sensorToSegmentFromPairs, stillGravityDirection } from './staticCalibration';
import type { SensorToSegmentResult, StillnessParams } from './staticCalibration';
import { estimateTwoDofAxes } from './twoDofAxes';
import type { TwoDofAxesParams, TwoDofAxesResult } from './twoDofAxes';

const DEG = Math.PI / 180;

export interface HeadingOffsetResult {
  /** Heading correction of sensor 2, rad: q₂′ = q_z(δ) ⊗ q₂. */
  readonly deltaRad: number;
  /** 0…1, as `HeadingAlignment.confidence` (agreement × horizontal-axis geometry). */
  readonly confidence: number;
  /** Approximate 1-σ of δ, rad: the spread of the per-sample headings over √(effective samples). */
  readonly deltaSigmaRad: number;
  readonly samplesUsed: number;
}

/** Running sums of the closed-form heading fit (see `headingAlignment.ts`). */
interface HeadingSums {
  c: number;
  s: number;
  w: number;
  n: number;
}

function addHeadingSums(sums: HeadingSums, q1: ArrayLike<number>, q2: ArrayLike<number>, j1: Vec3Like, j2: Vec3Like): void {
  if (q1.length !== q2.length || q1.length % 4 !== 0) throw new CalibrationInputError(`heading offset: orientation arrays must both have length 4n (got ${q1.length}, ${q2.length})`);
  const a = quat.create(), b = quat.create(), a1 = vec3.create(), a2 = vec3.create();
  for (let i = 0; i < q1.length / 4; i++) {
    quat.readAt(a, q1, i);
    quat.readAt(b, q2, i);
    if (!Number.isFinite(a[0]! + a[1]! + a[2]! + a[3]! + b[0]! + b[1]! + b[2]! + b[3]!)) continue;
    quat.rotate(a1, a, j1);
    quat.rotate(a2, b, j2);
    sums.c += a1[0]! * a2[0]! + a1[1]! * a2[1]!;
    sums.s += a1[1]! * a2[0]! - a1[0]! * a2[1]!;
    sums.w += Math.hypot(a1[0]!, a1[1]!) * Math.hypot(a2[0]!, a2[1]!);
    sums.n++;
  }
}

function headingFromSums(sums: HeadingSums, fullTiltDeg: number): HeadingOffsetResult {
  if (sums.n === 0 || !(sums.w > 0)) return { deltaRad: 0, confidence: 0, deltaSigmaRad: Math.PI, samplesUsed: sums.n };
  const r = Math.hypot(sums.c, sums.s);
  const agreement = Math.min(1, r / sums.w);
  const full = Math.sin(fullTiltDeg * DEG) ** 2;
  const confidence = agreement * Math.min(1, sums.w / sums.n / full);
  // Circular spread of the weighted headings; samples are strongly correlated (slow motion),
  // so count ~1 independent sample per 25 (0.25 s at 100 Hz) rather than every one.
  const spread = Math.sqrt(Math.max(0, -2 * Math.log(Math.max(agreement, 1e-12))));
  const nEff = Math.max(1, sums.n / 25);
  const deltaSigmaRad = Math.min(Math.PI, spread / Math.sqrt(nEff) / Math.max(confidence, 1e-3));
  return { deltaRad: Math.atan2(sums.s, sums.c), confidence, deltaSigmaRad, samplesUsed: sums.n };
}

/**
 * Constant heading offset δ between two 6D orientation frames from a hinge movement (the joint
 * axis j₁ in sensor 1 and j₂ in sensor 2, sign-consistent): closed-form least squares over all
 * samples (several runs can be pooled: pass arrays of runs). Non-finite samples are skipped.
 */
export function estimateHeadingOffset(
  runs: readonly { q1: ArrayLike<number>; q2: ArrayLike<number>; j1: Vec3Like; j2: Vec3Like }[], fullTiltDeg = 30,
): HeadingOffsetResult {
  const sums: HeadingSums = { c: 0, s: 0, w: 0, n: 0 };
  for (const r of runs) addHeadingSums(sums, r.q1, r.q2, r.j1, r.j2);
  return headingFromSums(sums, fullTiltDeg);
}

/**
 * Sign consistency of a hinge axis pair without mount hints. The hinge constraint
 * R₁j₁ = R_z(δ)R₂j₂ holds whatever the heading offset δ for the VERTICAL components:
 * (R₁j₁)_z = (R₂j₂)_z at every sample. A pair fitted with independent signs (j₁, −j₂) makes them
 * opposite. Returns whether j₂ must be negated, and the evidence Σ|(R₁j₁)_z(R₂j₂)_z| / n (0 when the
 * axis stays horizontal: then the sign cannot be told from 6D orientations).
 */
export function hingeAxisSignFromVertical(quat1: ArrayLike<number>, quat2: ArrayLike<number>, j1: Vec3Like, j2: Vec3Like): { flipJ2: boolean; evidence: number } {
  if (quat1.length !== quat2.length || quat1.length % 4 !== 0) throw new CalibrationInputError(`hinge sign: orientation arrays must both have length 4n (got ${quat1.length}, ${quat2.length})`);
  const a = quat.create(), b = quat.create(), v1 = vec3.create(), v2 = vec3.create();
  let sum = 0, abs = 0, n = 0;
  for (let i = 0; i < quat1.length / 4; i++) {
    quat.readAt(a, quat1, i);
    quat.readAt(b, quat2, i);
    if (!Number.isFinite(a[0]! + a[1]! + a[2]! + a[3]! + b[0]! + b[1]! + b[2]! + b[3]!)) continue;
    const p = quat.rotate(v1, a, j1)[2]! * quat.rotate(v2, b, j2)[2]!;
    sum += p;
    abs += Math.abs(p);
    n++;
  }
  return { flipJ2: sum < 0, evidence: n > 0 ? abs / n : 0 };
}

/** Result common to the joint calibrations. */
export interface JointCalibrationResult {
  readonly proximal: SensorToSegmentResult;
  readonly distal: SensorToSegmentResult;
  /** Heading correction of the distal sensor's 6D frame, rad (for a hinge: the initial estimate). */
  readonly headingDeltaRad: number;
  readonly headingConfidence: number;
  /** 1-σ of δ at the end of calibration, rad. */
  readonly headingSigmaRad: number;
  /** 1-σ direction uncertainty of each sensor's mount, rad (axis fit + gravity/TRIAD residual). */
  readonly proximalSigmaRad: number;
  readonly distalSigmaRad: number;
  /** The mounts' error covariances, rad², 3×3 row-major in the segment frames (`SensorCalibration.mountCovarianceRad2`). */
  readonly proximalCovarianceRad2: Float64Array;
  readonly distalCovarianceRad2: Float64Array;
  readonly quality: CalibrationQuality;
  readonly reason?: string;
}

function isoCov(sigmaRad: number): Float64Array {
  const v = sigmaRad * sigmaRad;
  return Float64Array.from([v, 0, 0, 0, v, 0, 0, 0, v]);
}

function worse(a: CalibrationQuality, b: CalibrationQuality): CalibrationQuality {
  const rank = { good: 0, poor: 1, failed: 2 } as const;
  return rank[a] >= rank[b] ? a : b;
}

function hintAxis(mountHint: QuatLike | undefined, segmentAxis: Vec3Like): Vec3 | undefined {
  return mountHint ? quat.rotateInverse(vec3.create(), mountHint, segmentAxis) : undefined;
}

/** Per-axis 1-σ of the still-pose gravity direction (consumer acc: 0.05 m/s² bias ≈ 0.3°, 0.3° misalignment: ≈ 0.4° in all), rad. */
const GRAVITY_SIGMA_RAD = 0.3 * DEG;

/**
 * Per-axis 1-σ of a mount fixed by two directions (what the joint-angle stage's 'sigma' model
 * takes): each direction's error tilts the frame about the two axes perpendicular to it, so the
 * total variance 2σ_a² + 2σ_b² (+ the TRIAD mismatch, an observed inconsistency) spread over the
 * three axes.
 */
export function mountSigmaRad(aSigmaRad: number, bSigmaRad: number, residualRad = 0): number {
  return Math.sqrt((2 * aSigmaRad * aSigmaRad + 2 * bSigmaRad * bSigmaRad + residualRad * residualRad) / 3);
}
/** Headings below this confidence make the calibration 'poor'. */
const MIN_HEADING_CONFIDENCE = 0.5;

function finish(
  proximal: SensorToSegmentResult, distal: SensorToSegmentResult, heading: HeadingOffsetResult,
  proximalSigmaRad: number, distalSigmaRad: number, quality0: CalibrationQuality, reasons: string[],
  proximalCovarianceRad2 = isoCov(proximalSigmaRad), distalCovarianceRad2 = isoCov(distalSigmaRad),
): JointCalibrationResult {
  let quality = worse(quality0, worse(proximal.quality, distal.quality));
  if (proximal.reason) reasons.push(`proximal: ${proximal.reason}`);
  if (distal.reason) reasons.push(`distal: ${distal.reason}`);
  if (heading.confidence < MIN_HEADING_CONFIDENCE) {
    quality = worse(quality, 'poor');
    reasons.push(`heading alignment confidence ${heading.confidence.toFixed(2)} < ${MIN_HEADING_CONFIDENCE} (joint axis near vertical, or not the assumed joint)`);
  }
  return {
    proximal, distal, headingDeltaRad: heading.deltaRad, headingConfidence: heading.confidence, headingSigmaRad: heading.deltaSigmaRad,
    proximalSigmaRad, distalSigmaRad, proximalCovarianceRad2, distalCovarianceRad2, quality, ...(reasons.length ? { reason: reasons.join('; ') } : {}),
  };
}

export interface HingeJointCalibrationInput {
  /** Time-aligned gyros of the calibration movement, rad/s, 3n each; `dtS` their period. */
  readonly gyr1RadS: ArrayLike<number>;
  readonly gyr2RadS: ArrayLike<number>;
  readonly dtS: number;
  /** 6D orientations over the same samples (4n each), for the initial heading offset. */
  readonly quat1: ArrayLike<number>;
  readonly quat2: ArrayLike<number>;
  /** Still neutral pose: specific force of each sensor, m/s², 3n (gyro optional, for the stillness check). */
  readonly still1AccMS2: ArrayLike<number>;
  readonly still2AccMS2: ArrayLike<number>;
  readonly still1GyrRadS?: ArrayLike<number>;
  readonly still2GyrRadS?: ArrayLike<number>;
  /** The hinge axis in segment coordinates (knee: [0, 0, −1], flexion positive). */
  readonly segmentAxis: Vec3Like;
  /** Segment axis pointing up in the neutral pose. Default [0, 1, 0]. */
  readonly segmentUp?: Vec3Like;
  /** Nominal mounts q_seg,S (sign hints). */
  readonly proximalMountHint?: QuatLike;
  readonly distalMountHint?: QuatLike;
  readonly hinge?: Partial<HingeAxisParams>;
  readonly stillness?: Partial<StillnessParams>;
}

export interface HingeJointCalibrationResult extends JointCalibrationResult {
  readonly hinge: HingeAxisResult;
}

/** Hinge joint: functional axis + gravity in a still neutral pose (see module doc). */
export function hingeJointFunctionalCalibration(input: HingeJointCalibrationInput): HingeJointCalibrationResult {
  const up = input.segmentUp ?? [0, 1, 0];
  const hinge = estimateHingeAxes(input.gyr1RadS, input.gyr2RadS, input.dtS, {
    ...input.hinge,
    ...(input.proximalMountHint ? { j1Hint: hintAxis(input.proximalMountHint, input.segmentAxis)! } : {}),
    ...(input.distalMountHint ? { j2Hint: hintAxis(input.distalMountHint, input.segmentAxis)! } : {}),
  });
  const reasons: string[] = [];
  if (hinge.quality === 'failed') {
    const nan = quat.fromValues(NaN, NaN, NaN, NaN);
    const failed: SensorToSegmentResult = { qSensorSegment: nan, qSegSensor: nan, residualDeg: NaN, separationDeg: NaN, quality: 'failed' };
    return { ...finish(failed, failed, headingFromSums({ c: 0, s: 0, w: 0, n: 0 }, 30), Math.PI, Math.PI, 'failed', [`hinge axes: ${hinge.reason ?? 'failed'}`]), hinge };
  }
  if (hinge.reason) reasons.push(`hinge axes: ${hinge.reason}`);
  const mount = (acc: ArrayLike<number>, gyr: ArrayLike<number> | undefined, axisS: Vec3Like): SensorToSegmentResult => {
    const g = stillGravityDirection(acc, gyr, input.stillness);
    const r = sensorToSegmentFromPairs({ sensor: g.upS, segment: up }, { sensor: axisS, segment: input.segmentAxis });
    return g.still ? r : { ...r, quality: 'failed', reason: [g.reason, r.reason].filter(Boolean).join('; ') };
  };
  const proximal = mount(input.still1AccMS2, input.still1GyrRadS, hinge.j1);
  const distal = mount(input.still2AccMS2, input.still2GyrRadS, hinge.j2);
  const heading = estimateHeadingOffset([{ q1: input.quat1, q2: input.quat2, j1: hinge.j1, j2: hinge.j2 }]);
  const sig = (axisDeg: number, r: SensorToSegmentResult): number => mountSigmaRad(axisDeg * DEG, GRAVITY_SIGMA_RAD, r.residualDeg * DEG);
  const cov = (axisDeg: number, r: SensorToSegmentResult): Float64Array => mountCovariance(input.segmentAxis, axisDeg * DEG, up, GRAVITY_SIGMA_RAD, r.residualDeg * DEG);
  return {
    ...finish(proximal, distal, heading, sig(hinge.j1UncertaintyDeg, proximal), sig(hinge.j2UncertaintyDeg, distal), 'good', reasons,
      cov(hinge.j1UncertaintyDeg, proximal), cov(hinge.j2UncertaintyDeg, distal)),
    hinge,
  };
}

export interface TwoDofJointCalibrationInput {
  /** 6D orientations of both sensors over the calibration movement (4n each, time-aligned). */
  readonly quat1: ArrayLike<number>;
  readonly quat2: ArrayLike<number>;
  /** Index (into quat1/quat2) of a sample in the neutral pose (both DoFs at zero). */
  readonly neutralIndex: number;
  /** Still neutral pose of the proximal sensor: specific force, m/s², 3n (gyro optional). */
  readonly still1AccMS2: ArrayLike<number>;
  readonly still1GyrRadS?: ArrayLike<number>;
  /** First axis in proximal segment coordinates (elbow flexion: [0, 0, 1]). */
  readonly firstSegmentAxis: Vec3Like;
  /** Second axis in distal segment coordinates (pronation: [0, 1, 0], the long axis). */
  readonly secondSegmentAxis: Vec3Like;
  /** Proximal segment axis up in the neutral pose. Default [0, 1, 0]. */
  readonly segmentUp?: Vec3Like;
  readonly proximalMountHint?: QuatLike;
  readonly distalMountHint?: QuatLike;
  readonly twoDof?: Partial<TwoDofAxesParams>;
  readonly stillness?: Partial<StillnessParams>;
}

export interface TwoDofJointCalibrationResult extends JointCalibrationResult {
  readonly axes: TwoDofAxesResult;
}

/** 2-DoF joint: both axes and δ from the movement, gravity and the neutral pose (see module doc). */
export function twoDofJointFunctionalCalibration(input: TwoDofJointCalibrationInput): TwoDofJointCalibrationResult {
  const up = input.segmentUp ?? [0, 1, 0];
  const n = input.quat1.length / 4;
  if (!(Number.isInteger(input.neutralIndex) && input.neutralIndex >= 0 && input.neutralIndex < n)) {
    throw new CalibrationInputError(`2-DoF calibration: neutralIndex ${input.neutralIndex} outside 0…${n - 1}`);
  }
  const axes = estimateTwoDofAxes(input.quat1, input.quat2, {
    ...input.twoDof,
    ...(input.proximalMountHint ? { j1Hint: hintAxis(input.proximalMountHint, input.firstSegmentAxis)! } : {}),
    ...(input.distalMountHint ? { j2Hint: hintAxis(input.distalMountHint, input.secondSegmentAxis)! } : {}),
  });
  const reasons: string[] = [];
  const heading: HeadingOffsetResult = {
    deltaRad: axes.deltaRad, confidence: axes.quality === 'failed' ? 0 : 1, deltaSigmaRad: Math.min(Math.PI, axes.deltaUncertaintyDeg * DEG), samplesUsed: axes.samplesUsed,
  };
  if (axes.quality === 'failed') {
    const nan = quat.fromValues(NaN, NaN, NaN, NaN);
    const failed: SensorToSegmentResult = { qSensorSegment: nan, qSegSensor: nan, residualDeg: NaN, separationDeg: NaN, quality: 'failed' };
    return { ...finish(failed, failed, heading, Math.PI, Math.PI, 'failed', [`2-DoF axes: ${axes.reason ?? 'failed'}`]), axes };
  }
  if (axes.reason) reasons.push(`2-DoF axes: ${axes.reason}`);
  const g = stillGravityDirection(input.still1AccMS2, input.still1GyrRadS, input.stillness);
  let proximal = sensorToSegmentFromPairs({ sensor: g.upS, segment: up }, { sensor: axes.j1, segment: input.firstSegmentAxis });
  if (!g.still) proximal = { ...proximal, quality: 'failed', reason: [g.reason, proximal.reason].filter(Boolean).join('; ') };
  // The first axis seen from the distal sensor at the neutral sample (the segments' frames coincide there).
  const q1 = quat.readAt(quat.create(), input.quat1, input.neutralIndex);
  const q2 = quat.readAt(quat.create(), input.quat2, input.neutralIndex);
  const qz = quat.fromAxisAngle(quat.create(), [0, 0, 1], axes.deltaRad);
  const q2c = quat.multiply(quat.create(), qz, q2);
  const firstG = quat.rotate(vec3.create(), q1, axes.j1);
  const firstInDistal = quat.rotateInverse(vec3.create(), q2c, firstG);
  const distal = sensorToSegmentFromPairs({ sensor: axes.j2, segment: input.secondSegmentAxis }, { sensor: firstInDistal, segment: input.firstSegmentAxis });
  const s1 = mountSigmaRad(axes.j1UncertaintyDeg * DEG, GRAVITY_SIGMA_RAD, proximal.residualDeg * DEG);
  const s2 = mountSigmaRad(axes.j2UncertaintyDeg * DEG, axes.j1UncertaintyDeg * DEG, distal.residualDeg * DEG);
  const c1 = mountCovariance(input.firstSegmentAxis, axes.j1UncertaintyDeg * DEG, up, GRAVITY_SIGMA_RAD, proximal.residualDeg * DEG);
  const c2 = mountCovariance(input.secondSegmentAxis, axes.j2UncertaintyDeg * DEG, input.firstSegmentAxis, axes.j1UncertaintyDeg * DEG, distal.residualDeg * DEG);
  return { ...finish(proximal, distal, heading, s1, s2, 'good', reasons, c1, c2), axes };
}

/**
 * Time-varying heading offset δ(t) of a 2-DoF joint's sensors, so that the two 6D headings may
 * drift apart (the constant δ of `estimateTwoDofAxes` assumes they do not): with the axes j₁, j₂
 * fixed, δ is refitted over a moving window (`windowS`, every `stepS`) by Newton steps on
 * Σ ((R₁j₁) · R_z(δ)(R₂j₂) − cos α)², each from the previous window's value, and interpolated
 * linearly between window centres. A window whose curvature shows no information keeps the
 * previous δ. Writes δ (rad) per sample into `outDeltaRad` (length n).
 */
export function twoDofHeadingSeries(
  outDeltaRad: Float64Array, tS: ArrayLike<number>, quat1: ArrayLike<number>, quat2: ArrayLike<number>, j1: Vec3Like, j2: Vec3Like, delta0Rad: number,
  params: { windowS?: number; stepS?: number; axisAngleDeg?: number } = {},
): Float64Array {
  const n = tS.length;
  if (quat1.length < 4 * n || quat2.length < 4 * n || outDeltaRad.length < n) throw new CalibrationInputError(`2-DoF heading: inputs shorter than ${n} samples`);
  const windowS = params.windowS ?? 8, stepS = params.stepS ?? 1;
  if (!(windowS > 0 && stepS > 0)) throw new CalibrationInputError('2-DoF heading: windowS and stepS must be > 0');
  const cosA = Math.cos((params.axisAngleDeg ?? 90) * DEG);
  // Per sample: f(δ) = A cos δ + B sin δ + C.
  const A = new Float64Array(n), B = new Float64Array(n), C = new Float64Array(n);
  const q = quat.create(), a1 = vec3.create(), a2 = vec3.create();
  for (let i = 0; i < n; i++) {
    quat.readAt(q, quat1, i);
    if (!Number.isFinite(q[0]! + q[1]! + q[2]! + q[3]!)) { A[i] = NaN; continue; }
    quat.rotate(a1, q, j1);
    quat.readAt(q, quat2, i);
    if (!Number.isFinite(q[0]! + q[1]! + q[2]! + q[3]!)) { A[i] = NaN; continue; }
    quat.rotate(a2, q, j2);
    A[i] = a1[0]! * a2[0]! + a1[1]! * a2[1]!;
    B[i] = a1[1]! * a2[0]! - a1[0]! * a2[1]!;
    C[i] = a1[2]! * a2[2]! - cosA;
  }
  const centres: number[] = [], deltas: number[] = [];
  let d = delta0Rad;
  for (let tc = tS[0]! + windowS / 2; tc <= tS[n - 1]! - windowS / 2 + 1e-9 || centres.length === 0; tc += stepS) {
    for (let it = 0; it < 5; it++) {
      let g = 0, h = 0;
      const c = Math.cos(d), sn = Math.sin(d);
      for (let i = 0; i < n; i++) {
        if (Math.abs(tS[i]! - tc) > windowS / 2 || Number.isNaN(A[i]!)) continue;
        const f = A[i]! * c + B[i]! * sn + C[i]!, f1 = -A[i]! * sn + B[i]! * c, f2 = -A[i]! * c - B[i]! * sn;
        g += f * f1;
        h += f1 * f1 + f * f2;
      }
      if (!(h > 1e-6)) break; // no information in this window: keep δ
      d -= Math.max(-0.2, Math.min(0.2, g / h));
    }
    centres.push(tc);
    deltas.push(d);
    if (tc > tS[n - 1]!) break;
  }
  let k = 0;
  for (let i = 0; i < n; i++) {
    const t = tS[i]!;
    while (k < centres.length - 2 && t > centres[k + 1]!) k++;
    if (centres.length === 1 || t <= centres[0]!) outDeltaRad[i] = deltas[0]!;
    else if (t >= centres[centres.length - 1]!) outDeltaRad[i] = deltas[deltas.length - 1]!;
    else {
      const u = (t - centres[k]!) / (centres[k + 1]! - centres[k]!);
      outDeltaRad[i] = deltas[k]! + u * (deltas[k + 1]! - deltas[k]!);
    }
  }
  return outDeltaRad;
}

/** One single-plane calibration movement of a ball joint (time-aligned samples of both sensors). */
export interface CalibrationMovement {
  readonly gyr1RadS: ArrayLike<number>;
  readonly gyr2RadS: ArrayLike<number>;
  /** 6D orientations over the same samples, 4n each (for the heading offset). */
  readonly quat1: ArrayLike<number>;
  readonly quat2: ArrayLike<number>;
  readonly dtS: number;
  /** Time of the first sample, s: lets the two movements' heading offsets measure the 6D heading drift. */
  readonly startS?: number;
}

/** Floor of the measured relative heading drift, rad/s (two δ 10 s apart resolve ~0.005°/s). */
const MIN_HEADING_DRIFT_RAD_S = 0.005 * DEG;

export interface BallJointCalibrationInput {
  /** Movement about `firstSegmentAxis` only (e.g. hip flexion about z), from neutral. */
  readonly first: CalibrationMovement;
  /** Movement about `secondSegmentAxis` only (e.g. hip abduction about x), from neutral: the model check. */
  readonly second: CalibrationMovement;
  /** Segment axes of the two movements (at neutral the same in both segments). */
  readonly firstSegmentAxis: Vec3Like;
  readonly secondSegmentAxis: Vec3Like;
  /** Still neutral pose: specific force of each sensor, m/s², 3n (gyro optional). */
  readonly still1AccMS2: ArrayLike<number>;
  readonly still2AccMS2: ArrayLike<number>;
  readonly still1GyrRadS?: ArrayLike<number>;
  readonly still2GyrRadS?: ArrayLike<number>;
  /** Segment axis up in the neutral pose. Default [0, 1, 0]. */
  readonly segmentUp?: Vec3Like;
  readonly proximalMountHint?: QuatLike;
  readonly distalMountHint?: QuatLike;
  readonly hinge?: Partial<HingeAxisParams>;
  /** Second-movement axis mismatch above which the result is 'poor', deg. Default 5. */
  readonly maxCheckDeg?: number;
}

export interface BallJointCalibrationResult extends JointCalibrationResult {
  /** The calibration from the neutral pose and the first movement. */
  readonly first: HingeJointCalibrationResult;
  readonly second: HingeAxisResult;
  /** Angle between the second movement's measured axes and the ones the mounts predict, deg (proximal, distal). */
  readonly checkDeg: readonly [number, number];
  /**
   * Relative 6D heading drift, rad/s: |δ₂ − δ₁| / (time between the movements' centres), at least
   * 0.005°/s; NaN without both `startS` or a consistent second movement. After calibration δ is
   * held, so its 1-σ at time t is ≈ √(headingSigmaRad² + (drift·(t − end of calibration))²).
   */
  readonly headingDriftRadS: number;
}

/**
 * Ball joint (see module doc). Mag-free, each sensor's mount needs gravity in the neutral pose
 * plus one functional axis, and the heading offset needs the hinge constraint: so the first
 * single-plane movement is treated as a hinge (`hingeJointFunctionalCalibration`). The second
 * movement, about another segment axis, checks the model: its measured axes must agree with the
 * ones predicted by the mounts (else 'poor'); when they do, its hinge constraint also refines δ.
 * After calibration nothing observes δ for a ball joint: it is held (its error then grows with
 * the 6D heading drift).
 */
export function ballJointFunctionalCalibration(input: BallJointCalibrationInput): BallJointCalibrationResult {
  const maxCheckDeg = input.maxCheckDeg ?? 5;
  const first = hingeJointFunctionalCalibration({
    gyr1RadS: input.first.gyr1RadS, gyr2RadS: input.first.gyr2RadS, dtS: input.first.dtS, quat1: input.first.quat1, quat2: input.first.quat2,
    still1AccMS2: input.still1AccMS2, still2AccMS2: input.still2AccMS2,
    ...(input.still1GyrRadS ? { still1GyrRadS: input.still1GyrRadS } : {}),
    ...(input.still2GyrRadS ? { still2GyrRadS: input.still2GyrRadS } : {}),
    segmentAxis: input.firstSegmentAxis, ...(input.segmentUp ? { segmentUp: input.segmentUp } : {}),
    ...(input.proximalMountHint ? { proximalMountHint: input.proximalMountHint } : {}),
    ...(input.distalMountHint ? { distalMountHint: input.distalMountHint } : {}),
    ...(input.hinge ? { hinge: input.hinge } : {}),
  });
  const second = estimateHingeAxes(input.second.gyr1RadS, input.second.gyr2RadS, input.second.dtS, input.hinge);
  const reasons: string[] = first.reason ? [first.reason] : [];
  const checkDeg: [number, number] = [NaN, NaN];
  if (first.quality === 'failed') return { ...first, first, second, checkDeg, headingDriftRadS: NaN, reason: reasons.join('; ') || 'first movement: calibration failed' };
  let headingDriftRadS = NaN;
  let quality: CalibrationQuality = first.quality;
  // Predicted second axis in each sensor: q_S,seg applied to the segment axis (sign-free comparison).
  const predicted = (r: SensorToSegmentResult): Vec3 => quat.rotate(vec3.create(), r.qSensorSegment, input.secondSegmentAxis);
  const p1 = predicted(first.proximal), p2 = predicted(first.distal);
  const angle = (a: Vec3Like, b: Vec3Like): number => Math.acos(Math.min(1, Math.abs(vec3.dot(a, b)))) / DEG;
  const secondOk = Number.isFinite(second.j1UncertaintyDeg) || Number.isFinite(second.j2UncertaintyDeg);
  if (secondOk) {
    checkDeg[0] = Number.isFinite(second.j1UncertaintyDeg) && second.j1UncertaintyDeg <= DEFAULT_HINGE_AXIS_PARAMS.failedUncertaintyDeg ? angle(second.j1, p1) : NaN;
    checkDeg[1] = second.j2UncertaintyDeg <= DEFAULT_HINGE_AXIS_PARAMS.failedUncertaintyDeg ? angle(second.j2, p2) : NaN;
  }
  let heading: HeadingOffsetResult = { deltaRad: first.headingDeltaRad, confidence: first.headingConfidence, deltaSigmaRad: first.headingSigmaRad, samplesUsed: 0 };
  if (Number.isNaN(checkDeg[1])) {
    quality = worse(quality, 'poor');
    reasons.push(`second movement: axis not observable (${second.reason ?? 'too little movement'}); the model is unchecked`);
  } else if (Math.max(checkDeg[1], Number.isNaN(checkDeg[0]) ? 0 : checkDeg[0]) > maxCheckDeg) {
    quality = worse(quality, 'poor');
    reasons.push(`second movement: axis ${fmtDeg(checkDeg[0])}° (proximal) / ${fmtDeg(checkDeg[1])}° (distal) from the predicted one (> ${maxCheckDeg}°): not a single-plane movement about the expected axis, or a mount error`);
  } else {
    // Consistent: pool both movements' hinge constraints for δ, with the predicted (mount) axes;
    // the difference of their separate estimates over the time between them is the heading drift.
    const m1 = input.first, m2 = input.second;
    if (m1.startS !== undefined && m2.startS !== undefined) {
      const d2 = estimateHeadingOffset([{ q1: m2.quat1, q2: m2.quat2, j1: p1, j2: p2 }]).deltaRad;
      const c1 = m1.startS + (m1.quat1.length / 8) * m1.dtS, c2 = m2.startS + (m2.quat1.length / 8) * m2.dtS;
      const dd = Math.abs(Math.atan2(Math.sin(d2 - first.headingDeltaRad), Math.cos(d2 - first.headingDeltaRad)));
      if (Math.abs(c2 - c1) > 0) headingDriftRadS = Math.max(MIN_HEADING_DRIFT_RAD_S, dd / Math.abs(c2 - c1));
    }
    heading = estimateHeadingOffset([
      { q1: input.first.quat1, q2: input.first.quat2, j1: first.hinge.j1, j2: first.hinge.j2 },
      { q1: input.second.quat1, q2: input.second.quat2, j1: p1, j2: p2 },
    ]);
  }
  return {
    ...finish(first.proximal, first.distal, heading, first.proximalSigmaRad, first.distalSigmaRad, quality, reasons.filter((r) => r !== first.reason).concat(first.reason ? [first.reason] : []),
      first.proximalCovarianceRad2, first.distalCovarianceRad2),
    first, second, checkDeg, headingDriftRadS,
  };
}

function fmtDeg(x: number): string {
  return Number.isFinite(x) ? x.toFixed(1) : '–';
}

/** Apply q₂′ = q_z(δ) ⊗ q₂ to every sample of a 4n array, in place; returns it. */
export function applyHeadingOffsetInPlace(q4n: Float64Array, deltaRad: number): Float64Array {
  const c = Math.cos(deltaRad / 2), s = Math.sin(deltaRad / 2);
  for (let i = 0; i < q4n.length; i += 4) {
    const w = q4n[i]!, x = q4n[i + 1]!, y = q4n[i + 2]!, z = q4n[i + 3]!;
    q4n[i] = c * w - s * z;
    q4n[i + 1] = c * x - s * y;
    q4n[i + 2] = c * y + s * x;
    q4n[i + 3] = c * z + s * w;
  }
  return q4n;
}
