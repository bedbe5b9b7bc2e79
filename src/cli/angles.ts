/**
 * `kinemetry angles <session-dir> --joint J --proximal A --distal B`: clinical joint angles from
 * two sensors as CSV (`t` + one column per angle in degrees + per-angle uncertainty), with a ROM
 * summary on stderr (or JSON on stdout with `--json`).
 *
 * Pipeline: read both sensors → one clock (alignBlocks; rows where either sensor is missing are
 * written with empty angle cells and counted) → offline VQF orientation per sensor (6D unless
 * `--mag`) → sensor-to-segment calibration (static pose or functional hinge axes) →
 * magnetometer-free heading alignment when both joint axes are known → JointAngleStage.
 */
import { readSession } from '../io/node/session';
import type { SessionRecording } from '../io/node/session';
import * as quat from '../math/quat';
import type { Quat } from '../math/quat';
import type { Side } from '../kinematics/body';
import { hingeAxisSignFromVertical } from '../kinematics/functionalCalibration';
import { HeadingAlignment, applyHeadingCorrection } from '../kinematics/headingAlignment';
import { estimateHingeAxesFromBlocks } from '../kinematics/hingeAxis';
import type { CalibrationQuality, HingeAxisResult } from '../kinematics/hingeAxis';
import { jointAnglesOverRecording } from '../kinematics/jointAngleStage';
import { JOINT_NAMES, angleColumnNames, jointDef } from '../kinematics/joints';
import type { JointName } from '../kinematics/joints';
import { ROM_MOTIONS } from '../kinematics/norms';
import { romSummary } from '../kinematics/romSummary';
import type { RomSummary } from '../kinematics/romSummary';
import { alignBlocks } from '../samples/align';
import type { AlignedBlocks } from '../samples/align';
import type { SampleBlock } from '../samples/block';
import { UsageError, readerOptions } from './command';
import type { Command, CommandContext } from './command';
import { EXIT_OK } from './errors';
import {
  JointDataError, axisUsable, biasSigmaDegS, degToRad, joinBlocks, finiteRows3, neutralPoseMount, orientationOf, parseCalibrate,
  readSensorBlocks, staticMount, windowIndices, worse,
} from './jointCalibration';
import type { CalibrateSpec, MountResult } from './jointCalibration';
import { openOutput, writeOutput } from './output';

const ANGLE_JOINTS = [...JOINT_NAMES, 'hinge'] as const;
/** Mean heading-alignment confidence below which the calibration is reported 'poor'. */
const MIN_HEADING_CONFIDENCE = 0.5;
/** Length of the still start used for the long axis by functional calibration, s. */
const FUNCTIONAL_STILL_S = 1;
/** Relative heading 1-σ of two 9D orientations (VQF 9D on BROAD: ≈ 2° total RMSE), deg. */
const MAG_HEADING_SIGMA_DEG = 2;
/** Longer gaps (either sensor) split the recording into runs with their own filters and heading alignment, s
 *  (a shorter one is bridged by the filter: BLE-like drops of a few samples; the rotation during it is lost). */
const MAX_BRIDGE_S = 0.25;
/** ROM extremes are taken after this zero-phase low-pass (kinematic smoothing; soft-tissue wobble is faster), Hz. */
const ROM_LOW_PASS_HZ = 6;

export interface JointCalibration {
  proximal: MountResult;
  distal: MountResult;
  quality: CalibrationQuality;
  reasons: string[];
  /** Heading correction of the distal sensor per sample (rad), when aligned. */
  headingDeltaRad?: Float64Array;
  headingConfidence?: number;
  /** 1-σ of the relative heading per sample, rad. */
  headingSigmaRad: Float64Array;
}

interface Inputs {
  path: string;
  al: AlignedBlocks;
  qP: Float64Array;
  qD: Float64Array;
  hinge: HingeAxisResult | undefined;
  hingeError: string | undefined;
  useMag: boolean;
  isHinge: boolean;
  /** Relative 6D heading drift while unobserved, deg/s (from the filters' gyro-bias σ). */
  headingDriftDegS: number;
  /** [i0, i1) runs of common data, split at gaps longer than MAX_BRIDGE_S. */
  runs: [number, number][];
}

/**
 * Runs [i0, i1) of rows valid in both sensors, split where the invalid stretch lasts longer than
 * `maxBridgeS`; shorter drops stay inside a run (the filter bridges them). Runs under 10 rows are dropped.
 */
function validRuns(valid: Uint8Array, tS: Float64Array, maxBridgeS: number): [number, number][] {
  const runs: [number, number][] = [];
  let start = -1, lastOk = -1;
  for (let i = 0; i <= valid.length; i++) {
    const ok = i < valid.length && valid[i] === 1;
    if (ok) {
      if (start < 0) start = i;
      else if (tS[i]! - tS[lastOk]! > maxBridgeS + 1e-9 && i - lastOk > 1) {
        if (lastOk + 1 - start >= 10) runs.push([start, lastOk + 1]);
        start = i;
      }
      lastOk = i;
    } else if (i === valid.length && start >= 0 && lastOk + 1 - start >= 10) runs.push([start, lastOk + 1]);
  }
  return runs;
}

/** Rows [i0, i1) of an aligned block (views, no copy). */
function sliceBlock(b: SampleBlock, i0: number, i1: number): SampleBlock {
  const { gapBeforeS: _gap, ...rest } = b;
  return {
    ...rest,
    tS: b.tS.subarray(i0, i1),
    ...(b.accMS2 ? { accMS2: b.accMS2.subarray(3 * i0, 3 * i1) } : {}),
    ...(b.gyrRadS ? { gyrRadS: b.gyrRadS.subarray(3 * i0, 3 * i1) } : {}),
    ...(b.magUT ? { magUT: b.magUT.subarray(3 * i0, 3 * i1) } : {}),
    ...(b.quat ? { quat: b.quat.subarray(4 * i0, 4 * i1) } : {}),
    ...(b.saturated ? { saturated: b.saturated.subarray(i0, i1) } : {}),
  } as SampleBlock;
}

function negate(v: ArrayLike<number>): Float64Array {
  return Float64Array.from([-v[0]!, -v[1]!, -v[2]!]);
}

/** Segment orientation q_G,seg = q_GS ⊗ q_seg,S* at sample i. */
function segmentAt(q4n: Float64Array, i: number, qSegSensor: Quat): Quat {
  const qGS = quat.readAt(quat.create(), q4n, i);
  return quat.multiply(quat.create(), qGS, quat.conjugate(quat.create(), qSegSensor));
}

/** A sample index inside [i0, i1) where both orientations are finite (the middle one if possible). */
function validSampleIn(inp: Inputs, i0: number, i1: number): number {
  const ok = (i: number): boolean => inp.al.allValid[i] === 1 && Number.isFinite(inp.qP[4 * i]!) && Number.isFinite(inp.qD[4 * i]!);
  const mid = (i0 + i1) >> 1;
  for (let d = 0; d < i1 - i0; d++) {
    if (mid + d < i1 && ok(mid + d)) return mid + d;
    if (mid - d >= i0 && ok(mid - d)) return mid - d;
  }
  throw new JointDataError(`${inp.path}: calibration failed: no sample of the still period has data from both sensors`);
}

/** Calibration with the joint axes taken as +j (sign = 1) or −j (sign = −1). */
function calibrate(inp: Inputs, spec: CalibrateSpec, sign: 1 | -1, proxName: string, distName: string): JointCalibration {
  const { al, path, hinge } = inp;
  const a = al.bySensorId[proxName]!.block, b = al.bySensorId[distName]!.block;
  const j1 = hinge && axisUsable(hinge, 1) ? (sign > 0 ? hinge.j1 : negate(hinge.j1)) : undefined;
  const j2 = hinge && axisUsable(hinge, 2) ? (sign > 0 ? hinge.j2 : negate(hinge.j2)) : undefined;
  const reasons: string[] = [];
  let i0: number, i1: number;
  if (spec.kind === 'static') {
    [i0, i1] = windowIndices(al.tS, spec.t0S, spec.t1S, path);
  } else {
    if (!j1 || !j2) {
      const why = inp.hingeError ?? hinge?.reason ?? 'joint axes not found';
      throw new JointDataError(`${path}: calibration failed: functional: ${why}`);
    }
    if (hinge && hinge.quality === 'poor' && hinge.reason) reasons.push(`hinge axes: ${hinge.reason}`);
    [i0, i1] = windowIndices(al.tS, al.tS[0]!, al.tS[0]! + FUNCTIONAL_STILL_S, path);
  }
  const mountOf = (blk: SampleBlock, axis: Float64Array | undefined, what: string): MountResult => {
    if (inp.isHinge && axis) {
      // A generic hinge: only the axis matters; the long axis is any perpendicular one.
      const qSSeg = quat.fromTwoVectors(quat.create(), [0, 0, 1], axis);
      const u = (axisSigmaDeg(what) * Math.PI) / 180;
      // Only the rotation about the axis is undefined, and it does not enter the hinge angle.
      return { qSegSensor: quat.conjugate(quat.create(), qSSeg), residualDeg: 0, quality: 'good', headingSource: 'functional joint axis', covarianceRad2: Float64Array.from([u * u, 0, 0, 0, u * u, 0, 0, 0, 0]) };
    }
    return staticMount(finiteRows3(blk.accMS2!, i0, i1), finiteRows3(blk.gyrRadS!, i0, i1), axis, what, axis ? axisSigmaDeg(what) : undefined);
  };
  function axisSigmaDeg(what: string): number {
    return hinge ? (what === 'proximal' ? hinge.j1UncertaintyDeg : hinge.j2UncertaintyDeg) : Infinity;
  }
  const distal = mountOf(b, j2, 'distal');
  let proximal: MountResult;
  if (j1) {
    proximal = mountOf(a, j1, 'proximal');
  } else {
    // No proximal axis: neutral pose — both segments share one orientation during the still period.
    const im = validSampleIn(inp, i0, i1);
    const still = staticMount(finiteRows3(a.accMS2!, i0, i1), finiteRows3(a.gyrRadS!, i0, i1), undefined, 'proximal');
    const failed = still.quality === 'failed' && /not still/.test(still.reason ?? '');
    proximal = {
      qSegSensor: neutralPoseMount(segmentAt(inp.qD, im, distal.qSegSensor), quat.readAt(quat.create(), inp.qP, im)),
      residualDeg: 0,
      quality: failed ? 'failed' : 'good',
      ...(failed ? { reason: still.reason! } : {}),
      headingSource: 'neutral pose (same orientation as the distal segment in the still period)',
      // It inherits the distal mount's error (how neutral the pose really was is not known).
      ...(distal.covarianceRad2 ? { covarianceRad2: distal.covarianceRad2 } : {}),
    };
  }
  let quality = worse(proximal.quality, distal.quality);
  if (proximal.reason) reasons.push(proximal.reason);
  if (distal.reason) reasons.push(distal.reason);
  const n = al.tS.length;
  // Relative heading 1-σ: 9D → the filters' heading accuracy; mag-free without alignment → it is
  // fixed at the still period (neutral pose / common start) and drifts unobserved from there.
  const tCal = al.tS[Math.min(n - 1, (i0 + i1) >> 1)]!;
  const drift = (inp.headingDriftDegS * Math.PI) / 180;
  const calRun = inp.runs.find(([r0, r1]) => i0 < r1 && i1 > r0);
  const headingSigmaRad = inp.useMag
    ? new Float64Array(n).fill((MAG_HEADING_SIGMA_DEG * Math.PI) / 180)
    // A 6D heading does not survive a long gap (each run has its own filter): outside the run
    // of the still period the relative heading is unknown.
    : Float64Array.from(al.tS, (t, i) => (calRun && i >= calRun[0] && i < calRun[1] ? Math.min(Math.PI, drift * Math.abs(t - tCal)) : Math.PI));
  const cal: JointCalibration = { proximal, distal, quality, reasons, headingSigmaRad };
  if (j1 && j2 && !inp.useMag) {
    // One alignment per run: its window must not mix samples from both sides of a long gap.
    const delta = new Float64Array(n), conf = new Float64Array(n);
    let sum = 0;
    for (const [r0, r1] of inp.runs) {
      const ha = new HeadingAlignment(j1, j2, { headingDriftDegS: inp.headingDriftDegS });
      const d = delta.subarray(r0, r1), c = conf.subarray(r0, r1), sg = headingSigmaRad.subarray(r0, r1), t = al.tS.subarray(r0, r1);
      ha.updateBlock(t, inp.qP.subarray(4 * r0, 4 * r1), inp.qD.subarray(4 * r0, 4 * r1), a.gyrRadS!.subarray(3 * r0, 3 * r1), b.gyrRadS!.subarray(3 * r0, 3 * r1), d, c, sg);
      const m = r1 - r0;
      let first = 0;
      while (first < m && !(c[first]! > 0)) first++;
      if (first < m) {
        // Offline: the first estimate holds from the run's start (its σ grows backwards with the drift).
        d.fill(d[first]!, 0, first);
        for (let i = 0; i < first; i++) sg[i] = Math.min(Math.PI, Math.hypot(sg[first]!, drift * (t[first]! - t[i]!)));
      }
      for (let i = 0; i < m; i++) sum += i < first ? c[first] ?? 0 : c[i]!;
    }
    const meanConf = n > 0 ? sum / n : 0;
    cal.headingDeltaRad = delta;
    cal.headingConfidence = meanConf;
    if (meanConf < MIN_HEADING_CONFIDENCE) {
      quality = worse(quality, 'poor');
      reasons.push(`heading alignment confidence ${meanConf.toFixed(2)} < ${MIN_HEADING_CONFIDENCE} (joint axis near vertical or not a hinge)`);
    }
  }
  if (!inp.useMag && !cal.headingDeltaRad && inp.runs.length > 1) {
    quality = worse(quality, 'poor');
    reasons.push(`${inp.runs.length - 1} gap(s) longer than ${MAX_BRIDGE_S} s: without heading alignment the relative heading is lost after them (angle uncertainty π there)`);
  }
  cal.quality = quality;
  return cal;
}

interface AngleRun {
  anglesRad: Float64Array;
  uncRad: Float64Array;
  rowOk: Uint8Array;
  okCount: number;
}

function runAngles(inp: Inputs, cal: JointCalibration, joint: JointName, side: Side): AngleRun {
  const n = inp.al.tS.length;
  const rowOk = new Uint8Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    let ok = inp.al.allValid[i] === 1;
    for (let k = 0; k < 4 && ok; k++) ok = Number.isFinite(inp.qP[4 * i + k]!) && Number.isFinite(inp.qD[4 * i + k]!);
    rowOk[i] = ok ? 1 : 0;
    if (ok) m++;
  }
  // Only samples with data from both sensors go through the stage (no NaN into its unwrapping).
  const qp = new Float64Array(4 * m), qd = new Float64Array(4 * m), hs = new Float64Array(m);
  const tmp = quat.create(), cor = quat.create();
  for (let i = 0, j = 0; i < n; i++) {
    if (!rowOk[i]) continue;
    quat.readAt(tmp, inp.qP, i);
    quat.writeAt(qp, j, tmp);
    quat.readAt(tmp, inp.qD, i);
    if (cal.headingDeltaRad) applyHeadingCorrection(cor, tmp, cal.headingDeltaRad[i]!);
    else quat.copy(cor, tmp);
    quat.writeAt(qd, j, cor);
    hs[j] = cal.headingSigmaRad[i]!;
    j++;
  }
  const sigma = (r: MountResult): number => degToRad(r.residualDeg);
  const series = jointAnglesOverRecording(qp, qd, {
    joint, side, uncertainty: 'sigma', headingSigmaRadN: hs,
    proximal: { qSegSensor: cal.proximal.qSegSensor, orientationUncertaintyRad: sigma(cal.proximal), ...(cal.proximal.covarianceRad2 ? { mountCovarianceRad2: cal.proximal.covarianceRad2 } : {}) },
    distal: { qSegSensor: cal.distal.qSegSensor, orientationUncertaintyRad: sigma(cal.distal), ...(cal.distal.covarianceRad2 ? { mountCovarianceRad2: cal.distal.covarianceRad2 } : {}) },
  });
  const anglesRad = new Float64Array(3 * n).fill(NaN), uncRad = new Float64Array(3 * n).fill(NaN);
  for (let i = 0, j = 0; i < n; i++) {
    if (!rowOk[i]) continue;
    for (let k = 0; k < 3; k++) {
      anglesRad[3 * i + k] = series.anglesRad[3 * j + k]!;
      uncRad[3 * i + k] = series.uncertaintyRad[3 * j + k]!;
    }
    j++;
  }
  return { anglesRad, uncRad, rowOk, okCount: m };
}

/** Extremes of the first angle over valid rows: the motion is taken to go mainly in its positive direction. */
function mostlyNegative(r: AngleRun): boolean {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < r.rowOk.length; i++) {
    if (!r.rowOk[i]) continue;
    const v = r.anglesRad[3 * i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return -lo > hi;
}

function fmtNum(v: number, digits: number): string {
  if (!Number.isFinite(v)) return '';
  const s = v.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

/** What selects and calibrates a joint: the options of `angles`, shared with `reps` and `analyze`. */
export interface JointOptions {
  /** As given: a joint name or 'hinge'. */
  readonly jointArg: string;
  readonly proximal: string;
  readonly distal: string;
  readonly side: Side;
  readonly spec: CalibrateSpec;
  readonly useMag: boolean;
}

/** `--joint`, `--proximal`, `--distal`, `--side`, `--calibrate`, `--mag` (UsageError when incomplete or bad). */
export function parseJointOptions(values: CommandContext['values']): JointOptions {
  const jointArg = values.joint as string | undefined;
  if (jointArg === undefined) throw new UsageError(`--joint is required (${ANGLE_JOINTS.join(', ')})`);
  if (!(ANGLE_JOINTS as readonly string[]).includes(jointArg)) throw new UsageError(`unknown joint '${jointArg}' (joints: ${ANGLE_JOINTS.join(', ')})`);
  const proximal = values.proximal as string | undefined, distal = values.distal as string | undefined;
  if (proximal === undefined || distal === undefined) throw new UsageError('--proximal and --distal name the two sensors');
  if (proximal === distal) throw new UsageError('--proximal and --distal must be different sensors');
  const sideArg = (values.side as string | undefined) ?? 'right';
  if (sideArg !== 'left' && sideArg !== 'right') throw new UsageError(`--side must be left or right, got '${sideArg}'`);
  const spec = parseCalibrate((values.calibrate as string | undefined) ?? 'functional');
  return { jointArg, proximal, distal, side: sideArg, spec, useMag: values.mag === true };
}

/** Joint angles of a session on the two sensors' common clock (see the module comment). */
export interface JointAngleResult {
  readonly al: AlignedBlocks;
  readonly cal: JointCalibration;
  readonly hinge: HingeAxisResult | undefined;
  /** The kinematic joint (elbow for a generic hinge). */
  readonly joint: JointName;
  readonly isHinge: boolean;
  /** Column names of the angles, e.g. ['flexion_deg', 'adduction_deg', 'rotation_deg'] or ['angle_deg']. */
  readonly names: readonly string[];
  /** 3 per row, rad; NaN where the row has no data from both sensors. */
  readonly anglesRad: Float64Array;
  readonly uncRad: Float64Array;
  readonly rowOk: Uint8Array;
  readonly okCount: number;
}

/** Read both sensors, align, orient, calibrate and compute the joint angles. Exit-1 errors as JointDataError. */
export async function computeJointAngles(path: string, recordings: readonly SessionRecording[], o: JointOptions): Promise<JointAngleResult> {
  const { proximal: proxName, distal: distName, side, spec, useMag } = o;
  const isHinge = o.jointArg === 'hinge';
  const joint: JointName = isHinge ? 'elbow' : (o.jointArg as JointName);
  const pBlocks = await readSensorBlocks(recordings, proxName, path);
  const dBlocks = await readSensorBlocks(recordings, distName, path);
  let al: AlignedBlocks;
  try {
    al = alignBlocks([...pBlocks, ...dBlocks]);
  } catch (e) {
    throw new JointDataError(`${path}: sensors '${proxName}' and '${distName}' cannot be put on one clock: ${(e as Error).message.replace(/^alignBlocks: /, '')}`);
  }
  if (al.allValidCount < 10) throw new JointDataError(`${path}: sensors '${proxName}' and '${distName}' share only ${al.allValidCount} valid samples`);
  // Orientation per run of common data: a filter must not integrate across a long gap (the
  // rotation during it is lost, and a 6D heading with it); short drops are bridged.
  const runs = validRuns(al.allValid, al.tS, MAX_BRIDGE_S);
  if (runs.length === 0) throw new JointDataError(`${path}: sensors '${proxName}' and '${distName}' share no run of 10 valid samples without a gap`);
  const qP = new Float64Array(4 * al.tS.length).fill(NaN), qD = new Float64Array(4 * al.tS.length).fill(NaN);
  for (const [r0, r1] of runs) {
    qP.set(orientationOf(sliceBlock(al.bySensorId[proxName]!.block, r0, r1), useMag, 'angles'), 4 * r0);
    qD.set(orientationOf(sliceBlock(al.bySensorId[distName]!.block, r0, r1), useMag, 'angles'), 4 * r0);
  }
  let hinge: HingeAxisResult | undefined;
  let hingeError: string | undefined;
  try {
    hinge = estimateHingeAxesFromBlocks([...pBlocks, ...dBlocks], proxName, distName);
  } catch (e) {
    hingeError = (e as Error).message;
  }
  if (hinge && axisUsable(hinge, 1) && axisUsable(hinge, 2)) {
    // The fit's signs are independent per axis: make the pair one physical direction (its
    // vertical component must agree in both sensors), else the mounts and heading come out 180° off.
    const sign = hingeAxisSignFromVertical(qP, qD, hinge.j1, hinge.j2);
    if (sign.flipJ2) hinge = { ...hinge, j2: negate(hinge.j2) };
  }
  const headingDriftDegS = useMag ? 0 : Math.hypot(biasSigmaDegS(joinBlocks(pBlocks)), biasSigmaDegS(joinBlocks(dBlocks)));
  const inp: Inputs = { path, al, qP, qD, hinge, hingeError, useMag, isHinge, headingDriftDegS, runs };
  let cal = calibrate(inp, spec, 1, proxName, distName);
  if (cal.quality === 'failed') throw new JointDataError(`${path}: calibration failed: ${cal.reasons.join('; ') || 'unknown reason'}`);
  let res = runAngles(inp, cal, joint, side);
  const axisKnown = axisUsable(hinge, 1) || axisUsable(hinge, 2);
  if (axisKnown && mostlyNegative(res)) {
    // The estimated axis sign is arbitrary: choose the one that makes the movement positive (e.g. flexion).
    cal = calibrate(inp, spec, -1, proxName, distName);
    res = runAngles(inp, cal, joint, side);
  }
  if (isHinge) {
    // A generic hinge has no anatomical zero: angles are relative to the first valid sample.
    let first = 0;
    while (first < res.rowOk.length && !res.rowOk[first]) first++;
    const a0 = res.anglesRad[3 * first]!;
    for (let i = 0; i < res.rowOk.length; i++) res.anglesRad[3 * i] = res.anglesRad[3 * i]! - a0;
  }
  const names = isHinge ? ['angle_deg'] : angleColumnNames(joint);
  return { al, cal, hinge, joint, isHinge, names, ...res };
}

async function run(ctx: CommandContext): Promise<number> {
  const { common, values, positionals, io } = ctx;
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'no session given (a directory with one file per sensor)' : `one session at a time, got ${positionals.length}`);
  const jo = parseJointOptions(values);
  if (common.json && common.out === undefined) throw new UsageError('--json prints the summary on stdout: give the angle CSV a file with -o');
  const { jointArg, proximal: proxName, distal: distName, side, spec, useMag } = jo;
  const path = positionals[0]!;

  const session = await readSession(path, readerOptions(common));
  const jr = await computeJointAngles(path, session.recordings, jo);
  const { al, cal, hinge, joint, isHinge } = jr;
  const res: AngleRun = jr;

  const names = jr.names;
  const nCols = names.length;
  const n = al.tS.length;
  const header = ['t', ...names, ...names.map((c) => c.replace(/_deg$/, '_unc_deg'))].join(',');
  const lines: string[] = new Array<string>(n);
  const R = 180 / Math.PI;
  for (let i = 0; i < n; i++) {
    const cells: string[] = [String(Number(al.tS[i]!.toPrecision(12)))];
    for (let k = 0; k < nCols; k++) cells.push(fmtNum(res.anglesRad[3 * i + k]! * R, 3));
    for (let k = 0; k < nCols; k++) cells.push(fmtNum(res.uncRad[3 * i + k]! * R, 3));
    lines[i] = cells.join(',');
  }

  // Summary per DoF over the valid rows.
  const m = res.okCount;
  const tV = new Float64Array(m);
  const dofSummaries: Record<string, RomSummary> = {};
  for (let k = 0; k < nCols; k++) {
    const aV = new Float64Array(m), uV = new Float64Array(m);
    for (let i = 0, j = 0; i < n; i++) {
      if (!res.rowOk[i]) continue;
      tV[j] = al.tS[i]!;
      aV[j] = res.anglesRad[3 * i + k]! * R;
      uV[j] = res.uncRad[3 * i + k]! * R;
      j++;
    }
    const dofName = isHinge ? 'angle' : jointDef(joint).dofs[k]!.name;
    const motion = `${joint}-${dofName}`;
    const withNorm = !isHinge && (ROM_MOTIONS as readonly string[]).includes(motion);
    dofSummaries[names[k]!] = romSummary(tV, aV, uV, { lowPassHz: ROM_LOW_PASS_HZ, ...(withNorm ? { motion } : {}) });
  }
  const emptyRows = n - m;

  const out = await openOutput(common.out, io);
  try {
    await out.write(`${header}\n${lines.join('\n')}\n`);
  } finally {
    await out.close();
  }
  const headingSources = { proximal: cal.proximal.headingSource, distal: cal.distal.headingSource };
  if (common.json) {
    const json = {
      session: path, joint: jointArg, side, proximal: proxName, distal: distName,
      calibration: {
        method: spec.kind === 'static' ? `static:${spec.t0S}-${spec.t1S}` : spec.kind,
        quality: cal.quality,
        ...(cal.reasons.length ? { reason: cal.reasons.join('; ') } : {}),
        proximalResidualDeg: cal.proximal.residualDeg,
        distalResidualDeg: cal.distal.residualDeg,
        headingSources,
        ...(cal.headingConfidence !== undefined ? { headingConfidence: cal.headingConfidence } : {}),
        ...(hinge ? { hinge: { quality: hinge.quality, residualRadS: hinge.residualRadS, j1UncertaintyDeg: hinge.j1UncertaintyDeg, j2UncertaintyDeg: hinge.j2UncertaintyDeg } } : {}),
      },
      orientation: useMag ? '9D' : '6D',
      rows: n, emptyRows, rateHz: al.rateHz,
      summary: dofSummaries,
      anglesPath: common.out,
    };
    await writeOutput(undefined, io, `${JSON.stringify(json, null, 2)}\n`);
  } else {
    const lines2: string[] = [];
    lines2.push(`${path}: ${jointArg} (${side}), ${proxName} → ${distName}, ${useMag ? '9D' : '6D'} orientation, ${n} rows at ${al.rateHz.toFixed(1)} Hz, ${emptyRows} without data from both sensors (empty cells)`);
    lines2.push(`calibration ${spec.kind}: ${cal.quality}${cal.reasons.length ? ` — ${cal.reasons.join('; ')}` : ''}`);
    lines2.push(`  residual proximal ${cal.proximal.residualDeg.toFixed(2)}°, distal ${cal.distal.residualDeg.toFixed(2)}°; heading: proximal from ${headingSources.proximal}, distal from ${headingSources.distal}${cal.headingConfidence !== undefined ? `, alignment confidence ${cal.headingConfidence.toFixed(2)}` : ''}`);
    for (const [name, s] of Object.entries(dofSummaries)) {
      const norm = s.normalDeg !== undefined ? `, ${s.percentOfNormal!.toFixed(0)}% of AAOS normal ${s.normalDeg}°` : '';
      lines2.push(`  ${name}: min ${s.minDeg.toFixed(1)} ± ${s.minUncertaintyDeg.toFixed(1)}, max ${s.maxDeg.toFixed(1)} ± ${s.maxUncertaintyDeg.toFixed(1)}, range ${s.rangeDeg.toFixed(1)} ± ${s.rangeUncertaintyDeg.toFixed(1)}, ${s.timeAtEndRangeS.toFixed(1)} s at end range${norm}`);
    }
    io.stderr.write(`${lines2.join('\n')}\n`);
  }
  return EXIT_OK;
}

export const anglesCommand: Command = {
  name: 'angles',
  summary: 'clinical joint angles from two sensors as CSV, with a ROM summary',
  usage: 'angles [options] <session-dir> --joint J --proximal SENSOR --distal SENSOR',
  description: `
Joint angles (ISB sequences, clinical names and signs, mirrored for the left side) from the
proximal and distal sensor of a session, as CSV: t, one column per angle in degrees (e.g.
flexion_deg) and its 1-σ uncertainty (e.g. flexion_unc_deg: calibration, 6D inclination and
relative-heading errors propagated to each angle; 180 = undefined), one row per sample of the
common clock. Rows where either sensor has no data (gaps, edges) keep empty angle cells; the
summary counts them. Orientation is magnetometer-free (6D) unless --mag; the two sensors'
headings are then aligned from the joint axis when both sensors' axes are known. A gap longer
than 0.25 s restarts the orientation filters and the heading alignment after it (without
alignment the relative heading is lost there: quality 'poor', uncertainty 180).

Calibration: static:<t0>-<t1> takes a still neutral pose between t0 and t1 s (segment long axis
up); the rotation about it comes from the functional joint axis when the movement reveals it,
else from the neutral pose (the proximal segment has the distal segment's orientation then),
else the sensor z axis is assumed lateral (quality 'poor'). functional (default) needs both
joint axes from the movement, so the proximal segment must move too (and a still first
second in the neutral pose for the long axis). --joint hinge is a generic 1-DoF joint: one
column angle_deg about the functional axis, zero at the first sample.
The axis sign is chosen so the movement is mainly positive. A calibration that fails exits 1
with the reason; a low-confidence one is still written and reported 'poor'.
The ROM summary (min, max, range, time at end range, ± uncertainty, percent of the AAOS normal;
extremes of the angles low-passed at 6 Hz, the CSV keeps the raw angles) goes to stderr, or with --json to stdout as JSON (then -o is required for the CSV).`,
  options: {
    joint: { type: 'string' },
    proximal: { type: 'string' },
    distal: { type: 'string' },
    side: { type: 'string' },
    calibrate: { type: 'string' },
    mag: { type: 'boolean' },
  },
  optionsHelp: [
    ['--joint NAME', `${ANGLE_JOINTS.join(', ')}`],
    ['--proximal SENSOR', 'sensor on the proximal segment (e.g. thigh for the knee)'],
    ['--distal SENSOR', 'sensor on the distal segment (e.g. shank)'],
    ['--side left|right', 'body side of a limb joint (default right)'],
    ['--calibrate HOW', 'functional (default) or static:<t0>-<t1> (still neutral pose, s)'],
    ['--mag', 'use the magnetometers (9D); default is magnetometer-free 6D'],
  ],
  run,
};
