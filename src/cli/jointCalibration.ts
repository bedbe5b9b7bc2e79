/**
 * Helpers shared by `kinemetry angles` and `kinemetry rom`: reading sensors of a session,
 * offline orientation per sensor, parsing `--calibrate`, and the sensor-to-segment calibration
 * of a joint (static pose or functional hinge axes) with its quality.
 */
import { estimateOrientationOffline } from '../fusion/offline';
import { VQF_TUNED } from '../fusion/vqfParams';
import type { SessionRecording } from '../io/node/session';
import * as quat from '../math/quat';
import type { Quat } from '../math/quat';
import type { CalibrationQuality, HingeAxisResult } from '../kinematics/hingeAxis';
import { DEFAULT_HINGE_AXIS_PARAMS } from '../kinematics/hingeAxis';
import { mountCovariance } from '../kinematics/angleUncertainty';
import { sensorToSegmentFromPairs, stillGravityDirection } from '../kinematics/staticCalibration';
import { Vqf } from '../fusion/vqf';
import { concatBlocks, requireInertial } from '../samples/block';
import type { InertialBlock, SampleBlock } from '../samples/block';
import { UsageError } from './command';
import { JointDataError } from './errors';

export { JointDataError };

const DEG = Math.PI / 180;


export type CalibrateSpec = { kind: 'functional' } | { kind: 'static'; t0S: number; t1S: number } | { kind: 'identity' };

/** `functional`, `static:<t0>-<t1>` (s) or, when allowed, `identity`. Throws UsageError. */
export function parseCalibrate(text: string, allowIdentity = false): CalibrateSpec {
  if (text === 'functional') return { kind: 'functional' };
  if (allowIdentity && text === 'identity') return { kind: 'identity' };
  const m = /^static:([0-9.eE+]+)-([0-9.eE+]+)$/.exec(text);
  if (m) {
    const t0S = Number(m[1]), t1S = Number(m[2]);
    if (Number.isFinite(t0S) && Number.isFinite(t1S) && t1S > t0S) return { kind: 'static', t0S, t1S };
  }
  throw new UsageError(`--calibrate must be functional or static:<t0>-<t1> (seconds, t1 > t0)${allowIdentity ? ' or identity' : ''}, got '${text}'`);
}

/** All blocks of one sensor, concatenated (gaps kept as `gapBeforeS`); exit-1 error when absent. */
export async function readSensorBlocks(recordings: readonly SessionRecording[], sensor: string, path: string): Promise<SampleBlock[]> {
  const rec = recordings.find((r) => r.sensorId === sensor);
  if (!rec) throw new JointDataError(`${path}: no sensor '${sensor}' (sensors: ${recordings.map((r) => r.sensorId).join(', ')})`);
  const blocks: SampleBlock[] = [];
  for await (const b of rec.blocks()) blocks.push(b);
  if (blocks.length === 0) throw new JointDataError(`${path}: sensor '${sensor}' has no samples`);
  for (const b of blocks) if (!b.accMS2 || !b.gyrRadS) throw new JointDataError(`${path}: sensor '${sensor}' needs an accelerometer and a gyroscope`);
  return blocks;
}

/** Offline VQF orientation q_GS (4n) of an inertial block: 6D unless `useMag` (and a magnetometer exists). */
export function orientationOf(block: SampleBlock, useMag: boolean, stage: string): Float64Array {
  const b: InertialBlock = requireInertial(block, stage);
  return estimateOrientationOffline(b, { ...VQF_TUNED, magEnabled: useMag && b.magUT !== undefined });
}

/** Indices [i0, i1) of grid times within [t0S, t1S]; exit-1 error with fewer than `minSamples`. */
export function windowIndices(tS: ArrayLike<number>, t0S: number, t1S: number, path: string, minSamples = 10): [number, number] {
  let i0 = 0;
  while (i0 < tS.length && tS[i0]! < t0S) i0++;
  let i1 = i0;
  while (i1 < tS.length && tS[i1]! <= t1S) i1++;
  if (i1 - i0 < minSamples) throw new JointDataError(`${path}: calibration failed: the still period ${t0S}–${t1S} s holds ${i1 - i0} samples of the aligned recording (need ≥ ${minSamples})`);
  return [i0, i1];
}

/** Finite rows of a 3n array within [i0, i1). */
export function finiteRows3(a: ArrayLike<number>, i0: number, i1: number): Float64Array {
  const out: number[] = [];
  for (let i = i0; i < i1; i++) {
    const x = a[3 * i]!, y = a[3 * i + 1]!, z = a[3 * i + 2]!;
    if (Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(z)) out.push(x, y, z);
  }
  return Float64Array.from(out);
}

/** Is one hinge axis usable on its own (its 1-σ uncertainty below the estimator's 'failed' limit)? */
export function axisUsable(h: HingeAxisResult | undefined, which: 1 | 2): boolean {
  if (!h) return false;
  const u = which === 1 ? h.j1UncertaintyDeg : h.j2UncertaintyDeg;
  return Number.isFinite(u) && u <= DEFAULT_HINGE_AXIS_PARAMS.failedUncertaintyDeg && h.residualRadS <= DEFAULT_HINGE_AXIS_PARAMS.maxResidualRadS;
}

export interface MountResult {
  /** Mount q_seg,S. */
  readonly qSegSensor: Quat;
  readonly residualDeg: number;
  readonly quality: CalibrationQuality;
  readonly reason?: string;
  /** How the rotation about the long axis was fixed. */
  readonly headingSource: string;
  /** Mount error covariance, rad², 3×3 row-major, segment frame (for the 1-σ angle uncertainty). Default: residual² · I. */
  readonly covarianceRad2?: Float64Array;
}

/** Per-axis 1-σ of a still-pose gravity direction (consumer accelerometer), deg. */
export const GRAVITY_SIGMA_DEG = 0.3;
/** 1-σ of a mount direction that is only assumed (sensor z lateral, strapped by eye), deg. */
export const ASSUMED_AXIS_SIGMA_DEG = 15;

/** Gyro-bias 1-σ of a forward 6D VQF over the block at its end, deg/s: how fast an unobserved 6D heading drifts. */
export function biasSigmaDegS(block: SampleBlock): number {
  const b: InertialBlock = requireInertial(block, 'angles');
  const f = new Vqf({ ...VQF_TUNED, magEnabled: false }, block.info.rateHz !== undefined && block.info.rateHz > 0 ? { rateHz: block.info.rateHz } : {});
  f.updateBlock(b, new Float64Array(4 * b.tS.length));
  return f.getBiasSigmaDegS();
}

/**
 * Mount from gravity in a still neutral pose (segment y up) plus, when given, a sensor-frame
 * direction known to be the segment's z (joint axis); without one, the sensor z axis
 * is assumed to point along the segment z (lateral) and the result is at best 'poor'.
 */
export function staticMount(accStill: ArrayLike<number>, gyrStill: ArrayLike<number>, axisS: ArrayLike<number> | undefined, what: string, axisSigmaDeg = 1): MountResult {
  const g = stillGravityDirection(accStill, gyrStill);
  const secondary = axisS ?? [0, 0, 1];
  const r = sensorToSegmentFromPairs({ sensor: g.upS, segment: [0, 1, 0] }, { sensor: secondary, segment: [0, 0, 1] });
  const reasons: string[] = [];
  let quality: CalibrationQuality = r.quality;
  if (r.reason) reasons.push(`${what}: ${r.reason}`);
  if (!g.still) {
    quality = 'failed';
    reasons.push(`${what}: ${g.reason ?? 'not still'}`);
  }
  if (!axisS && quality === 'good') {
    quality = 'poor';
    reasons.push(`${what}: no functional joint axis; assumed the sensor z axis points laterally`);
  }
  return {
    qSegSensor: r.qSegSensor,
    residualDeg: r.residualDeg,
    quality,
    ...(reasons.length ? { reason: reasons.join('; ') } : {}),
    headingSource: axisS ? 'functional joint axis' : 'sensor z axis (default)',
    covarianceRad2: mountCovariance([0, 0, 1], (axisS ? axisSigmaDeg : ASSUMED_AXIS_SIGMA_DEG) * DEG, [0, 1, 0], GRAVITY_SIGMA_DEG * DEG, r.residualDeg * DEG),
  };
}

/**
 * Neutral-pose mount: the segment is assumed to have the orientation `qGSegRef` (the other
 * segment's, from its own calibration) at the sample where the sensor reads `qGS`:
 * q_seg,S = q_G,seg* ⊗ q_GS. This also absorbs the 6D heading offset between the two sensors at that time.
 */
export function neutralPoseMount(qGSegRef: Quat, qGS: Quat): Quat {
  const out = quat.create();
  quat.multiply(out, quat.conjugate(quat.create(), qGSegRef), qGS);
  return quat.normalize(out, out);
}

/** The worse of two qualities. */
export function worse(a: CalibrationQuality, b: CalibrationQuality): CalibrationQuality {
  const rank = { good: 0, poor: 1, failed: 2 } as const;
  return rank[a] >= rank[b] ? a : b;
}

export function degToRad(d: number): number {
  return d * DEG;
}

/** Concatenate one sensor's blocks into one (gaps kept). */
export function joinBlocks(blocks: readonly SampleBlock[]): SampleBlock {
  return blocks.length === 1 ? blocks[0]! : concatBlocks(blocks).block;
}
