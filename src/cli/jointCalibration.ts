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


/** A time window [t0, t1], s. */
export type WindowS = readonly [number, number];

/** Explicit windows of a functional calibration (any subset; the rest is found automatically). */
export interface FunctionalWindows {
  /** Still neutral pose. */
  readonly neutral?: WindowS;
  /** First calibration movement (hinge / 2-DoF: the movement the axes are fitted on). */
  readonly move1?: WindowS;
  /** Second calibration movement (ball joints). */
  readonly move2?: WindowS;
}

export type CalibrateSpec =
  | { kind: 'functional'; windows?: FunctionalWindows }
  | { kind: 'static'; t0S: number; t1S: number }
  | { kind: 'identity' };

const CALIBRATE_FORMS = 'functional, functional:neutral=<t0>-<t1>[,move1=<t0>-<t1>][,move2=<t0>-<t1>] or static:<t0>-<t1> (seconds, t1 > t0)';

function parseWindow(text: string): WindowS | undefined {
  const m = /^([0-9.eE+]+)-([0-9.eE+]+)$/.exec(text);
  if (!m) return undefined;
  const t0S = Number(m[1]), t1S = Number(m[2]);
  return Number.isFinite(t0S) && Number.isFinite(t1S) && t1S > t0S ? [t0S, t1S] : undefined;
}

/**
 * `functional`, `functional:neutral=0-2,move1=2-8,move2=8-14` (s; any subset of the three keys),
 * `static:<t0>-<t1>` (s) or, when allowed, `identity`. Throws UsageError.
 */
export function parseCalibrate(text: string, allowIdentity = false): CalibrateSpec {
  if (text === 'functional') return { kind: 'functional' };
  if (allowIdentity && text === 'identity') return { kind: 'identity' };
  const bad = (why: string): UsageError => new UsageError(`--calibrate must be ${CALIBRATE_FORMS}${allowIdentity ? ' or identity' : ''}, got '${text}'${why ? `: ${why}` : ''}`);
  if (text.startsWith('functional:')) {
    const windows: { neutral?: WindowS; move1?: WindowS; move2?: WindowS } = {};
    const body = text.slice('functional:'.length);
    if (body === '') throw bad('no windows after functional:');
    for (const part of body.split(',')) {
      const eq = part.indexOf('=');
      const key = eq < 0 ? part : part.slice(0, eq);
      if (key !== 'neutral' && key !== 'move1' && key !== 'move2') throw bad(`unknown window '${key}' (neutral, move1, move2)`);
      if (windows[key]) throw bad(`window '${key}' given twice`);
      const w = eq < 0 ? undefined : parseWindow(part.slice(eq + 1));
      if (!w) throw bad(`window ${key} must be <t0>-<t1> in seconds with t1 > t0`);
      windows[key] = w;
    }
    return { kind: 'functional', windows };
  }
  const m = /^static:(.*)$/.exec(text);
  if (m) {
    const w = parseWindow(m[1]!);
    if (w) return { kind: 'static', t0S: w[0], t1S: w[1] };
  }
  throw bad('');
}

/** Finds windows of a functional calibration in a recording (see `detectCalibrationWindows`). */
export interface DetectedWindows {
  /** Still neutral pose, [i0, i1) on the aligned grid, or undefined when none. */
  neutral?: [number, number];
  /** Calibration movement bouts after the neutral pose, in order: [i0, i1) each, distinct axes. */
  moves: [number, number][];
}

/** Thresholds of the automatic window detection. */
const STILL_GYR_RAD_S = 0.1;
const STILL_MIN_S = 0.5;
const STILL_MAX_S = 3;
const BOUT_ON_DEG = 10;
const BOUT_OFF_DEG = 5;
const BOUT_MIN_PEAK_DEG = 15;
const SAME_AXIS_DEG = 35;

function upInSensor(q4n: ArrayLike<number>, i: number, out: number[]): boolean {
  const w = q4n[4 * i]!, x = q4n[4 * i + 1]!, y = q4n[4 * i + 2]!, z = q4n[4 * i + 3]!;
  if (!Number.isFinite(w + x + y + z)) return false;
  // Third row of R(q): global z in sensor coordinates.
  out[0] = 2 * (x * z - w * y);
  out[1] = 2 * (y * z + w * x);
  out[2] = 1 - 2 * (x * x + y * y);
  return true;
}

/**
 * Automatic windows of a functional calibration, from the aligned gyros (3n, NaN where invalid)
 * and 6D orientations (4n) of both sensors:
 * - neutral: the first run of ≥ 0.5 s where both gyro norms (0.2 s moving maximum) stay below
 *   0.1 rad/s, at most its first 3 s, trimmed by 0.1 s at each end;
 * - movement bouts: after the neutral pose, the distal sensor's tilt away from its neutral
 *   direction minus the proximal sensor's (heading-free, so 6D is enough) rises above 10° and
 *   falls back below 5°, with a peak ≥ 15°. Consecutive bouts about the same tilt axis (in the
 *   distal sensor, within 35°) are one calibration movement; a bout about another axis starts
 *   the next movement.
 */
export function detectCalibrationWindows(tS: ArrayLike<number>, gyrP: ArrayLike<number>, gyrD: ArrayLike<number>, qP: ArrayLike<number>, qD: ArrayLike<number>, rateHz: number): DetectedWindows {
  const n = tS.length;
  const half = Math.max(1, Math.round(0.1 * rateHz));
  const mag = (g: ArrayLike<number>, i: number): number => Math.hypot(g[3 * i]!, g[3 * i + 1]!, g[3 * i + 2]!);
  const raw = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const a = mag(gyrP, i), b = mag(gyrD, i);
    raw[i] = Number.isFinite(a + b) && a < STILL_GYR_RAD_S && b < STILL_GYR_RAD_S ? 1 : 0;
  }
  const still = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let ok = 1;
    for (let k = Math.max(0, i - half); k <= Math.min(n - 1, i + half) && ok; k++) ok = raw[k]!;
    still[i] = ok;
  }
  const out: DetectedWindows = { moves: [] };
  const minStill = Math.round(STILL_MIN_S * rateHz), trim = Math.round(0.1 * rateHz);
  for (let i = 0; i < n; ) {
    if (!still[i]) { i++; continue; }
    let j = i;
    while (j < n && still[j]) j++;
    if (j - i >= minStill) {
      const i1 = Math.min(j, i + Math.round(STILL_MAX_S * rateHz));
      out.neutral = [i + (i > 0 ? trim : 0), Math.max(i + (i > 0 ? trim : 0) + 1, i1 - trim)];
      break;
    }
    i = j;
  }
  if (!out.neutral) return out;
  // Neutral up directions of each sensor.
  const up = [0, 0, 0], u0P = [0, 0, 0], u0D = [0, 0, 0];
  for (let i = out.neutral[0]; i < out.neutral[1]; i++) {
    if (upInSensor(qP, i, up)) for (let k = 0; k < 3; k++) u0P[k]! += up[k]!;
    if (upInSensor(qD, i, up)) for (let k = 0; k < 3; k++) u0D[k]! += up[k]!;
  }
  const nrm = (v: number[]): number[] => { const l = Math.hypot(v[0]!, v[1]!, v[2]!); return v.map((x) => x / l); };
  const p0 = nrm(u0P), d0 = nrm(u0D);
  const ang = (a: number[], b: number[]): number => Math.acos(Math.max(-1, Math.min(1, a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!))) * (180 / Math.PI);
  const m = new Float64Array(n).fill(NaN);
  const uD = [0, 0, 0], uP = [0, 0, 0];
  for (let i = out.neutral[1]; i < n; i++) {
    if (upInSensor(qP, i, uP) && upInSensor(qD, i, uD)) m[i] = ang(nrm(uD), d0) - ang(nrm(uP), p0);
  }
  interface Bout { i0: number; i1: number; axis: number[] }
  const bouts: Bout[] = [];
  for (let i = out.neutral[1]; i < n; ) {
    if (!(m[i]! > BOUT_ON_DEG)) { i++; continue; }
    let i0 = i;
    while (i0 > out.neutral[1] && m[i0 - 1]! > BOUT_OFF_DEG) i0--;
    let j = i, peak = i;
    while (j < n && !(m[j]! < BOUT_OFF_DEG)) {
      if (m[j]! > m[peak]!) peak = j;
      j++;
    }
    if (m[peak]! >= BOUT_MIN_PEAK_DEG) {
      upInSensor(qD, peak, uD);
      const u = nrm(uD);
      const ax = nrm([d0[1]! * u[2]! - d0[2]! * u[1]!, d0[2]! * u[0]! - d0[0]! * u[2]!, d0[0]! * u[1]! - d0[1]! * u[0]!]);
      bouts.push({ i0, i1: j, axis: ax });
    }
    i = j;
  }
  const pad = Math.round(0.3 * rateHz);
  let cur: { i0: number; i1: number; axis: number[] } | undefined;
  const moves: [number, number][] = [];
  for (const b of bouts) {
    const sameAxis = cur && Math.abs(cur.axis[0]! * b.axis[0]! + cur.axis[1]! * b.axis[1]! + cur.axis[2]! * b.axis[2]!) > Math.cos((SAME_AXIS_DEG * Math.PI) / 180);
    if (cur && sameAxis) { cur.i1 = b.i1; continue; }
    if (cur) moves.push([cur.i0, cur.i1]);
    cur = { ...b };
    if (moves.length >= 2) break;
  }
  if (cur && moves.length < 2) moves.push([cur.i0, cur.i1]);
  // Pad by 0.3 s (the movement starts and ends slowly), without overlapping the neighbours.
  out.moves = moves.slice(0, 2).map(([i0, i1], k, a) => [
    Math.max(k === 0 ? out.neutral![1] : a[k - 1]![1], i0 - pad),
    Math.min(k + 1 < a.length ? a[k + 1]![0] : n, i1 + pad),
  ]);
  return out;
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

/**
 * The one sensor a single-sensor command works on: `--sensor`, or the only one of the session
 * (a UsageError names the choices when there are several), its blocks joined; exit-1 error
 * with fewer than `minSamples` samples.
 */
export async function readOneSensor(recordings: readonly SessionRecording[], sensorArg: string | undefined, path: string, minSamples: number): Promise<{ sensor: string; block: SampleBlock }> {
  let sensor = sensorArg;
  if (sensor === undefined) {
    if (recordings.length > 1) throw new UsageError(`${path} has ${recordings.length} sensors (${recordings.map((r) => r.sensorId).join(', ')}): pick one with --sensor`);
    sensor = recordings[0]!.sensorId;
  }
  const block = joinBlocks(await readSensorBlocks(recordings, sensor, path));
  if (block.tS.length < minSamples) throw new JointDataError(`${path}: sensor '${sensor}' has only ${block.tS.length} samples`);
  return { sensor, block };
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
