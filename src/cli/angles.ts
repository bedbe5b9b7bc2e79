/**
 * `kinemetry angles <session-dir> --joint J --proximal A --distal B`: clinical joint angles from
 * two sensors as CSV (`t` + one column per angle in degrees + per-angle uncertainty), with a ROM
 * summary on stderr (or JSON on stdout with `--json`).
 *
 * Pipeline: read both sensors → one clock (alignBlocks; rows where either sensor is missing are
 * written with empty angle cells and counted) → offline VQF orientation per sensor (6D unless
 * `--mag`) → sensor-to-segment calibration (static pose, or functional per joint model: hinge
 * axes for knee/ankle/hinge, 2-DoF axes for elbow/wrist, two single-plane calibration movements
 * for hip/shoulder/trunk/neck; windows found by `detectCalibrationWindows` or given as
 * `functional:neutral=…,move1=…,move2=…`) → magnetometer-free heading alignment (hinge:
 * streaming; 2-DoF: windowed refit; ball: held after calibration) → JointAngleStage.
 */
import { readSession } from '../io/node/session';
import type { SessionRecording } from '../io/node/session';
import * as quat from '../math/quat';
import type { Quat } from '../math/quat';
import type { Side } from '../kinematics/body';
import { ballJointFunctionalCalibration, hingeAxisSignFromVertical, twoDofHeadingSeries, twoDofJointFunctionalCalibration } from '../kinematics/functionalCalibration';
import type { BallJointCalibrationResult, TwoDofJointCalibrationResult } from '../kinematics/functionalCalibration';
import { sensorToSegmentFromPairs, stillGravityDirection } from '../kinematics/staticCalibration';
import { HeadingAlignment, applyHeadingCorrection } from '../kinematics/headingAlignment';
import { estimateHingeAxes, estimateHingeAxesFromBlocks } from '../kinematics/hingeAxis';
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
import type { Command, CommandContext, OptionSpec } from './command';
import { EXIT_OK } from './errors';
import {
  JointDataError, axisUsable, biasSigmaDegS, degToRad, detectCalibrationWindows, joinBlocks, finiteRows3, neutralPoseMount, orientationOf, parseCalibrate,
  readSensorBlocks, staticMount, windowIndices, worse,
} from './jointCalibration';
import type { CalibrateSpec, DetectedWindows, MountResult, WindowS } from './jointCalibration';
import { openOutput, writeOutput } from './output';

const ANGLE_JOINTS = [...JOINT_NAMES, 'hinge'] as const;
/** Mean heading-alignment confidence below which the calibration is reported 'poor'. */
const MIN_HEADING_CONFIDENCE = 0.5;
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
  /** Functional calibration: the joint model used and the windows (s), given or found. */
  functional?: FunctionalInfo;
}

/** How a functional calibration was done (for the summary). */
export interface FunctionalInfo {
  /** hinge (knee, ankle, generic hinge), 2-dof (elbow, wrist) or ball (hip, shoulder, neck, trunk). */
  model: FunctionalModel;
  /** 'automatic' (found in the recording) or 'given' (--calibrate functional:…), per window. */
  windowsS: { neutral?: WindowS; move1?: WindowS; move2?: WindowS };
  source: { neutral?: 'automatic' | 'given'; move1?: 'automatic' | 'given' | 'whole recording'; move2?: 'automatic' | 'given' };
  /** Ball joint: angle between the second movement's axes and the predicted ones, deg (proximal, distal). */
  checkDeg?: readonly [number, number];
}

export type FunctionalModel = 'hinge' | '2-dof' | 'ball';

/** Which functional calibration each joint gets, and its segment axes. */
interface FunctionalJointModel {
  model: FunctionalModel;
  /** 2-DoF: first axis (proximal segment), second axis (distal segment). Ball: first movement's axis, turned so the movement is a positive rotation about it; second movement's axis (sign-free). */
  first?: (side: Side) => readonly [number, number, number];
  second?: readonly [number, number, number];
  /** The calibration movements, for messages. */
  moves?: readonly [string, string];
}

const FUNCTIONAL_MODELS: Record<string, FunctionalJointModel> = {
  knee: { model: 'hinge' },
  ankle: { model: 'hinge' },
  hinge: { model: 'hinge' },
  elbow: { model: '2-dof', first: () => [0, 0, 1], second: [0, 1, 0] },
  wrist: { model: '2-dof', first: () => [0, 0, 1], second: [1, 0, 0] },
  hip: { model: 'ball', first: () => [0, 0, 1], second: [1, 0, 0], moves: ['hip flexion', 'hip abduction'] },
  shoulder: { model: 'ball', first: (side) => [side === 'left' ? 1 : -1, 0, 0], second: [0, 0, 1], moves: ['shoulder abduction (frontal plane)', 'shoulder flexion (sagittal plane)'] },
  trunk: { model: 'ball', first: () => [0, 0, -1], second: [1, 0, 0], moves: ['trunk flexion', 'trunk lateral flexion'] },
  neck: { model: 'ball', first: () => [0, 0, -1], second: [1, 0, 0], moves: ['neck flexion', 'neck lateral flexion'] },
};

/** The functional model of a joint argument. */
export function functionalModelOf(jointArg: string): FunctionalModel {
  return FUNCTIONAL_MODELS[jointArg]!.model;
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
  /** Functional calibration windows, [i0, i1) on the aligned grid. */
  windows: CalWindows;
}

interface CalWindows {
  neutral?: [number, number];
  move1?: [number, number];
  move2?: [number, number];
  given: { neutral: boolean; move1: boolean; move2: boolean };
  /** What was found automatically (for messages). */
  detected: DetectedWindows;
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
    if (!inp.windows.neutral) throw new JointDataError(noNeutralMessage(path));
    [i0, i1] = inp.windows.neutral;
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

function noNeutralMessage(path: string): string {
  return `${path}: calibration failed: functional: no still neutral pose found (both sensors still for ≥ ${0.5} s); start the recording with one, or give it: --calibrate functional:neutral=<t0>-<t1>`;
}

const fmtS = (t: number): string => String(Number(t.toFixed(2)));
function windowText(al: AlignedBlocks, w: [number, number]): string {
  return `${fmtS(al.tS[w[0]]!)}–${fmtS(al.tS[Math.max(w[0], w[1] - 1)]!)} s`;
}
function windowSeconds(al: AlignedBlocks, w: [number, number] | undefined): WindowS | undefined {
  return w ? [Number(al.tS[w[0]]!.toFixed(3)), Number(al.tS[Math.max(w[0], w[1] - 1)]!.toFixed(3))] : undefined;
}

/** [i0, i1) of a given window; exit-1 error when it is not inside the recording or too short. */
function givenWindow(al: AlignedBlocks, w: WindowS, key: string, path: string): [number, number] {
  // Tolerance: a window may end at the nominal duration (one sample period after the last sample) or a little beyond.
  const t = al.tS, n = t.length, tol = Math.max(1 / al.rateHz, 0.05) + 1e-6;
  if (w[0] < t[0]! - tol || w[1] > t[n - 1]! + tol) {
    throw new JointDataError(`${path}: calibration failed: window ${key}=${w[0]}-${w[1]} s is outside the recording (${fmtS(t[0]!)}–${fmtS(t[n - 1]!)} s)`);
  }
  let i0 = 0;
  while (i0 < n && t[i0]! < w[0]) i0++;
  let i1 = i0;
  while (i1 < n && t[i1]! <= w[1]) i1++;
  if (i1 - i0 < 10) throw new JointDataError(`${path}: calibration failed: window ${key}=${w[0]}-${w[1]} s holds ${i1 - i0} samples (need ≥ 10)`);
  return [i0, i1];
}

function functionalInfo(inp: Inputs, model: FunctionalModel, uses: { move1: boolean; move2: boolean }, move1Whole?: boolean): FunctionalInfo {
  const w = inp.windows, al = inp.al;
  const src = (g: boolean): 'given' | 'automatic' => (g ? 'given' : 'automatic');
  const windowsS: FunctionalInfo['windowsS'] = {};
  const source: FunctionalInfo['source'] = {};
  const ns = windowSeconds(al, w.neutral);
  if (ns) { windowsS.neutral = ns; source.neutral = src(w.given.neutral); }
  if (uses.move1) {
    const m1 = windowSeconds(al, w.move1);
    if (m1) { windowsS.move1 = m1; source.move1 = move1Whole ? 'whole recording' : src(w.given.move1); }
    else source.move1 = 'whole recording';
  }
  if (uses.move2) {
    const m2 = windowSeconds(al, w.move2);
    if (m2) { windowsS.move2 = m2; source.move2 = src(w.given.move2); }
  }
  return { model, windowsS, source };
}

const sub3 = (x: Float64Array, w: readonly [number, number]): Float64Array => x.subarray(3 * w[0], 3 * w[1]);
const sub4 = (x: Float64Array, w: readonly [number, number]): Float64Array => x.subarray(4 * w[0], 4 * w[1]);

/** The hint q_seg,S for which the segment axis `a` appears in the sensor as `j` (fixes an axis estimate's sign). */
function axisHint(a: readonly number[], j: ArrayLike<number>): Quat {
  return quat.conjugate(quat.create(), quat.fromTwoVectors(quat.create(), a, [j[0]!, j[1]!, j[2]!]));
}

/** Relative heading 1-σ: `sigma0` (s) growing with `driftRadS` away from the calibration interval [tA, tB]; π outside its run. */
function heldHeadingSigma(inp: Inputs, calRun: [number, number] | undefined, sigma0: number, driftRadS: number, tA: number, tB: number): Float64Array {
  return Float64Array.from(inp.al.tS, (t, i) => {
    if (!calRun || i < calRun[0] || i >= calRun[1]) return Math.PI;
    const d = t < tA ? tA - t : t > tB ? t - tB : 0;
    return Math.min(Math.PI, Math.hypot(sigma0, driftRadS * d));
  });
}

function mountOfResult(r: { qSegSensor: Quat; residualDeg: number; quality: CalibrationQuality; reason?: string }, cov: Float64Array, source: string): MountResult {
  return { qSegSensor: r.qSegSensor, residualDeg: r.residualDeg, quality: r.quality, ...(r.reason ? { reason: r.reason } : {}), headingSource: source, covarianceRad2: cov };
}

/**
 * 2-DoF joint (elbow: flexion + pronation; wrist: flexion + deviation): both axes and the heading
 * offset from the orientations (Laidig 2017) over move1 (default: the whole recording), gravity
 * in the neutral pose; δ then refitted over 8 s windows. Axis signs: the neutral pose must
 * give the same frame for both segments (second axis), and the first DoF's excursion from
 * neutral is taken as positive (flexion).
 */
function calibrateTwoDof(inp: Inputs, m: FunctionalJointModel, side: Side, proxName: string, distName: string): JointCalibration {
  const { al, path } = inp;
  const a = al.bySensorId[proxName]!.block, b = al.bySensorId[distName]!.block;
  const nw = inp.windows.neutral;
  if (!nw) throw new JointDataError(noNeutralMessage(path));
  const n = al.tS.length;
  const mv = inp.windows.move1 ?? [0, n];
  const im = validSampleIn(inp, nw[0], nw[1]);
  // One 6D heading frame pair per run: the fit (constant δ) must stay inside the run of the neutral pose.
  const calRun = inp.runs.find(([r0, r1]) => im >= r0 && im < r1);
  const range: [number, number] = [Math.max(calRun?.[0] ?? 0, Math.min(nw[0], mv[0])), Math.min(calRun?.[1] ?? n, Math.max(nw[1], mv[1]))];
  const A1 = m.first!(side), A2 = m.second!;
  const stillAcc = finiteRows3(a.accMS2!, nw[0], nw[1]), stillGyr = finiteRows3(a.gyrRadS!, nw[0], nw[1]);
  const base = {
    quat1: sub4(inp.qP, range), quat2: sub4(inp.qD, range), neutralIndex: im - range[0],
    still1AccMS2: stillAcc, still1GyrRadS: stillGyr, firstSegmentAxis: A1, secondSegmentAxis: A2,
  };
  let c: TwoDofJointCalibrationResult = twoDofJointFunctionalCalibration(base);
  if (c.quality === 'failed') throw new JointDataError(`${path}: calibration failed: functional (2-DoF ${inp.isHinge ? 'hinge' : 'joint'}): ${c.reason ?? 'axes not found'}`);
  // Signs. Second axis: at the neutral sample the proximal segment's second axis, seen from the distal sensor, must point along j2.
  const qp = quat.readAt(quat.create(), inp.qP, im), qd = quat.readAt(quat.create(), inp.qD, im);
  const g = stillGravityDirection(stillAcc, stillGyr);
  const prox = sensorToSegmentFromPairs({ sensor: g.upS, segment: [0, 1, 0] }, { sensor: c.axes.j1, segment: A1 });
  const a2S = quat.rotate(new Float64Array(3), prox.qSensorSegment, A2);
  const a2G = quat.rotate(new Float64Array(3), qp, a2S);
  const qdc = applyHeadingCorrection(quat.create(), qd, c.axes.deltaRad);
  const a2D = quat.rotateInverse(new Float64Array(3), qdc, a2G);
  const j1 = Float64Array.from(c.axes.j1);
  const j2 = Float64Array.from(c.axes.j2);
  const flip2 = a2D[0]! * j2[0]! + a2D[1]! * j2[1]! + a2D[2]! * j2[2]! < 0;
  if (flip2) for (let k = 0; k < 3; k++) j2[k] = -j2[k]!;
  // First axis: the first DoF's rate is (ω_dist − ω_prox)·j1 in global (axes ⊥), ω_dist = R_z(δ)R₂g₂; its largest excursion from the neutral sample must be positive.
  const gp = a.gyrRadS!, gd = b.gyrRadS!, dt = 1 / al.rateHz;
  const t1 = quat.create(), t2 = quat.create(), w1 = new Float64Array(3), w2 = new Float64Array(3), jG = new Float64Array(3);
  let th = 0, peak = 0;
  for (let i = im; i < range[1]; i++) {
    quat.readAt(t1, inp.qP, i);
    quat.readAt(t2, inp.qD, i);
    if (!Number.isFinite(t1[0]! + t2[0]! + gp[3 * i]! + gd[3 * i]!)) continue;
    applyHeadingCorrection(t2, t2, c.axes.deltaRad);
    quat.rotate(w1, t1, gp.subarray(3 * i, 3 * i + 3));
    quat.rotate(w2, t2, gd.subarray(3 * i, 3 * i + 3));
    quat.rotate(jG, t1, j1);
    th += ((w2[0]! - w1[0]!) * jG[0]! + (w2[1]! - w1[1]!) * jG[1]! + (w2[2]! - w1[2]!) * jG[2]!) * dt;
    if (Math.abs(th) > Math.abs(peak)) peak = th;
  }
  const flip1 = peak < 0;
  if (flip1) for (let k = 0; k < 3; k++) j1[k] = -j1[k]!;
  if (flip1 || flip2) {
    c = twoDofJointFunctionalCalibration({ ...base, proximalMountHint: axisHint(A1, j1), distalMountHint: axisHint(A2, j2) });
    if (c.quality === 'failed') throw new JointDataError(`${path}: calibration failed: functional (2-DoF joint): ${c.reason ?? 'axes not found'}`);
  }
  const reasons: string[] = c.reason ? [c.reason] : [];
  let quality: CalibrationQuality = c.quality;
  const source = 'functional 2-DoF axes + neutral pose';
  const proximal = mountOfResult(c.proximal, c.proximalCovarianceRad2, source);
  const distal = mountOfResult(c.distal, c.distalCovarianceRad2, source);
  // δ over time (the two 6D headings drift apart), in the run of the calibration; after a long gap the relative heading is lost.
  const delta = new Float64Array(n);
  if (calRun) {
    const d = delta.subarray(calRun[0], calRun[1]);
    twoDofHeadingSeries(d, al.tS.subarray(calRun[0], calRun[1]), sub4(inp.qP, calRun), sub4(inp.qD, calRun), c.axes.j1, c.axes.j2, c.headingDeltaRad);
    delta.fill(d[0]!, 0, calRun[0]);
    delta.fill(d[d.length - 1]!, calRun[1]);
  }
  const headingSigmaRad = heldHeadingSigma(inp, calRun, c.headingSigmaRad, 0, -Infinity, Infinity);
  if (inp.runs.length > 1) {
    quality = worse(quality, 'poor');
    reasons.push(`${inp.runs.length - 1} gap(s) longer than ${MAX_BRIDGE_S} s: the relative heading is only known in the run of the neutral pose (angle uncertainty 180 elsewhere)`);
  }
  const cal: JointCalibration = { proximal, distal, quality, reasons, headingDeltaRad: delta, headingConfidence: c.headingConfidence, headingSigmaRad };
  cal.functional = functionalInfo(inp, '2-dof', { move1: true, move2: false }, !inp.windows.move1);
  return cal;
}

/**
 * Ball joint (hip, shoulder, trunk, neck): two single-plane calibration movements after the
 * neutral pose, each starting and ending there (hip: flexion then abduction; shoulder: abduction
 * then flexion; trunk/neck: flexion then lateral flexion). The first movement's axis (both
 * sensors) + gravity give the mounts; the second checks them; δ is held after.
 */
function calibrateBall(inp: Inputs, jointArg: string, m: FunctionalJointModel, side: Side, proxName: string, distName: string): JointCalibration {
  const { al, path } = inp;
  const a = al.bySensorId[proxName]!.block, b = al.bySensorId[distName]!.block;
  const { neutral: nw, move1: m1, move2: m2 } = inp.windows;
  if (!nw) throw new JointDataError(noNeutralMessage(path));
  const need = `${jointArg} is a ball joint: functional calibration needs, after the still neutral pose, two single-plane movements from neutral and back: ${m.moves![0]}, then ${m.moves![1]}`;
  if (!m1 || !m2) {
    const found = inp.windows.detected.moves.length;
    throw new JointDataError(`${path}: calibration failed: functional: ${need}; found ${m1 ? 'only one' : 'none'} (${found} movement bout(s) of ≥ 15° after the neutral pose)${found < 2 ? '; give them with --calibrate functional:neutral=<t0>-<t1>,move1=<t0>-<t1>,move2=<t0>-<t1>' : ''}`);
  }
  const gp = a.gyrRadS!, gd = b.gyrRadS!, dt = 1 / al.rateHz;
  const pre = estimateHingeAxes(sub3(gp, m1), sub3(gd, m1), dt);
  if (pre.quality === 'failed') throw new JointDataError(`${path}: calibration failed: functional: first calibration movement (${windowText(al, m1)}): ${pre.reason ?? 'axis not found'}`);
  let j1: Float64Array = Float64Array.from(pre.j1), j2: Float64Array = Float64Array.from(pre.j2);
  const sgn = hingeAxisSignFromVertical(sub4(inp.qP, m1), sub4(inp.qD, m1), j1, j2);
  if (sgn.flipJ2) j2 = negate(j2);
  // The movement is a positive rotation about the axis: (g₂·j₂ − g₁·j₁) integrates to the joint's excursion.
  let th = 0, peak = 0;
  for (let i = m1[0]; i < m1[1]; i++) {
    const r = (gd[3 * i]! * j2[0]! + gd[3 * i + 1]! * j2[1]! + gd[3 * i + 2]! * j2[2]!) - (gp[3 * i]! * j1[0]! + gp[3 * i + 1]! * j1[1]! + gp[3 * i + 2]! * j1[2]!);
    if (!Number.isFinite(r)) continue;
    th += r * dt;
    if (Math.abs(th) > Math.abs(peak)) peak = th;
  }
  if (peak < 0) { j1 = negate(j1); j2 = negate(j2); }
  const A1 = m.first!(side), A2 = m.second!;
  const mv = (w: [number, number]) => ({ gyr1RadS: sub3(gp, w), gyr2RadS: sub3(gd, w), quat1: sub4(inp.qP, w), quat2: sub4(inp.qD, w), dtS: dt, startS: al.tS[w[0]]! });
  const c: BallJointCalibrationResult = ballJointFunctionalCalibration({
    first: mv(m1), second: mv(m2), firstSegmentAxis: A1, secondSegmentAxis: A2,
    still1AccMS2: finiteRows3(a.accMS2!, nw[0], nw[1]), still2AccMS2: finiteRows3(b.accMS2!, nw[0], nw[1]),
    still1GyrRadS: finiteRows3(gp, nw[0], nw[1]), still2GyrRadS: finiteRows3(gd, nw[0], nw[1]),
    proximalMountHint: axisHint(A1, j1), distalMountHint: axisHint(A1, j2),
  });
  if (c.quality === 'failed') throw new JointDataError(`${path}: calibration failed: functional: ${c.reason ?? 'unknown reason'}`);
  const reasons: string[] = c.reason ? [c.reason] : [];
  let quality: CalibrationQuality = c.quality;
  if (sgn.evidence < 0.01) {
    quality = worse(quality, 'poor');
    reasons.push('first calibration movement: its axis stayed horizontal in both sensors, so the two axis signs could not be matched (the proximal segment should tilt a little during it)');
  }
  const source = 'functional: first calibration movement axis + neutral pose';
  const proximal = mountOfResult(c.proximal, c.proximalCovarianceRad2, source);
  const distal = mountOfResult(c.distal, c.distalCovarianceRad2, source);
  const n = al.tS.length;
  const calRun = inp.runs.find(([r0, r1]) => m1[0] >= r0 && m2[1] <= r1);
  const filterDrift = (inp.headingDriftDegS * Math.PI) / 180;
  const drift = Number.isFinite(c.headingDriftRadS) ? Math.max(c.headingDriftRadS, filterDrift) : filterDrift;
  const headingSigmaRad = heldHeadingSigma(inp, calRun, c.headingSigmaRad, drift, al.tS[m1[0]]!, al.tS[m2[1] - 1]!);
  if (!calRun) {
    quality = worse(quality, 'poor');
    reasons.push(`a gap longer than ${MAX_BRIDGE_S} s inside the calibration movements: the relative heading is not known (angle uncertainty 180)`);
  } else if (inp.runs.length > 1) {
    quality = worse(quality, 'poor');
    reasons.push(`${inp.runs.length - 1} gap(s) longer than ${MAX_BRIDGE_S} s: the relative heading is only known in the run of the calibration movements (angle uncertainty 180 elsewhere)`);
  }
  const cal: JointCalibration = {
    proximal, distal, quality, reasons, headingDeltaRad: new Float64Array(n).fill(c.headingDeltaRad), headingConfidence: c.headingConfidence, headingSigmaRad,
  };
  cal.functional = { ...functionalInfo(inp, 'ball', { move1: true, move2: true }), checkDeg: c.checkDeg };
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

/** The joint options of `angles`, shared with `reps` and `analyze`. */
export const JOINT_OPTIONS: OptionSpec = {
  joint: { type: 'string' },
  proximal: { type: 'string' },
  distal: { type: 'string' },
  side: { type: 'string' },
  calibrate: { type: 'string' },
  mag: { type: 'boolean' },
};

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
  // Functional calibration windows: given (--calibrate functional:neutral=…,move1=…,move2=…) or found.
  const given = spec.kind === 'functional' ? spec.windows ?? {} : {};
  const aB = al.bySensorId[proxName]!.block, dB = al.bySensorId[distName]!.block;
  const detected: DetectedWindows = spec.kind === 'functional' ? detectCalibrationWindows(al.tS, aB.gyrRadS!, dB.gyrRadS!, qP, qD, al.rateHz) : { moves: [] };
  const pick = (key: 'neutral' | 'move1' | 'move2', auto: [number, number] | undefined): [number, number] | undefined => (given[key] ? givenWindow(al, given[key], key, path) : auto);
  const windows: CalWindows = {
    neutral: pick('neutral', detected.neutral),
    given: { neutral: !!given.neutral, move1: !!given.move1, move2: !!given.move2 },
    detected,
  };
  const fm = FUNCTIONAL_MODELS[o.jointArg]!;
  if (spec.kind === 'functional' && fm.model === 'ball') {
    windows.move1 = pick('move1', detected.moves[0]);
    windows.move2 = pick('move2', detected.moves[1]);
  } else if (given.move1) {
    windows.move1 = givenWindow(al, given.move1, 'move1', path);
  }
  if (given.move2 && fm.model !== 'ball') throw new UsageError(`--calibrate: move2 is for ball joints (hip, shoulder, neck, trunk); ${o.jointArg} takes neutral and move1`);
  const headingDriftDegS = useMag ? 0 : Math.hypot(biasSigmaDegS(joinBlocks(pBlocks)), biasSigmaDegS(joinBlocks(dBlocks)));
  if (spec.kind === 'functional' && fm.model !== 'hinge') {
    const inp: Inputs = { path, al, qP, qD, hinge: undefined, hingeError: undefined, useMag, isHinge, headingDriftDegS, runs, windows };
    const cal = fm.model === 'ball' ? calibrateBall(inp, o.jointArg, fm, side, proxName, distName) : calibrateTwoDof(inp, fm, side, proxName, distName);
    const res = runAngles(inp, cal, joint, side);
    return { al, cal, hinge: undefined, joint, isHinge, names: angleColumnNames(joint), ...res };
  }
  let hinge: HingeAxisResult | undefined;
  let hingeError: string | undefined;
  try {
    if (windows.move1) {
      hinge = estimateHingeAxes(sub3(aB.gyrRadS!, windows.move1), sub3(dB.gyrRadS!, windows.move1), 1 / al.rateHz);
    } else {
      hinge = estimateHingeAxesFromBlocks([...pBlocks, ...dBlocks], proxName, distName);
    }
  } catch (e) {
    hingeError = (e as Error).message;
  }
  if (hinge && axisUsable(hinge, 1) && axisUsable(hinge, 2)) {
    // The fit's signs are independent per axis: make the pair one physical direction (its
    // vertical component must agree in both sensors), else the mounts and heading come out 180° off.
    const sign = hingeAxisSignFromVertical(qP, qD, hinge.j1, hinge.j2);
    if (sign.flipJ2) hinge = { ...hinge, j2: negate(hinge.j2) };
  }
  const inp: Inputs = { path, al, qP, qD, hinge, hingeError, useMag, isHinge, headingDriftDegS, runs, windows };
  let cal = calibrate(inp, spec, 1, proxName, distName);
  if (cal.quality === 'failed') throw new JointDataError(`${path}: calibration failed: ${cal.reasons.join('; ') || 'unknown reason'}`);
  let res = runAngles(inp, cal, joint, side);
  const axisKnown = axisUsable(hinge, 1) || axisUsable(hinge, 2);
  if (axisKnown && mostlyNegative(res)) {
    // The estimated axis sign is arbitrary: choose the one that makes the movement positive (e.g. flexion).
    cal = calibrate(inp, spec, -1, proxName, distName);
    res = runAngles(inp, cal, joint, side);
  }
  if (spec.kind === 'functional') cal.functional = functionalInfo(inp, 'hinge', { move1: true, move2: false }, !windows.move1);
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

function methodText(spec: CalibrateSpec): string {
  if (spec.kind === 'static') return `static:${spec.t0S}-${spec.t1S}`;
  if (spec.kind === 'functional' && spec.windows && Object.keys(spec.windows).length) {
    return `functional:${Object.entries(spec.windows).map(([k, w]) => `${k}=${w[0]}-${w[1]}`).join(',')}`;
  }
  return spec.kind;
}

/** One line: the model and the windows used (and whether found or given). */
export function functionalText(f: FunctionalInfo): string {
  const w = (k: 'neutral' | 'move1' | 'move2', label: string): string | undefined => {
    const v = f.windowsS[k], src = f.source[k];
    if (src === 'whole recording' && !v) return `${label} whole recording`;
    return v ? `${label} ${v[0]}–${v[1]} s (${src})` : undefined;
  };
  const parts = [w('neutral', 'neutral pose'), w('move1', f.model === 'ball' ? 'movement 1' : 'axes from'), w('move2', 'movement 2')].filter(Boolean);
  const check = f.checkDeg ? `; second-movement axis check ${f.checkDeg.map((v) => (Number.isFinite(v) ? v.toFixed(1) : '–')).join('/')}° (proximal/distal)` : '';
  return `functional ${f.model} model: ${parts.join(', ')}${check}`;
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
        method: methodText(spec),
        ...(cal.functional ? { functional: cal.functional } : {}),
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
    if (cal.functional) lines2.push(`  ${functionalText(cal.functional)}`);
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
else the sensor z axis is assumed lateral (quality 'poor').
functional (default) is magnetometer-free and needs a still neutral pose (both segments as in
anatomical neutral) and movement of BOTH segments; per joint:
  knee, ankle, hinge: the hinge axis from the whole recording (or move1), heading aligned
    continuously from it. --joint hinge is a generic 1-DoF joint: one column angle_deg about
    the functional axis, zero at the first sample.
  elbow (flexion + pronation), wrist (flexion + deviation): 2-DoF axes and the heading from the
    whole recording (or move1), then the heading refitted over 8 s windows. Flexion is taken as
    positive away from neutral.
  hip, shoulder, trunk, neck (ball joints): two single-plane calibration movements, each from
    neutral and back (repeats are fine): hip flexion then hip abduction; shoulder abduction
    then flexion; trunk/neck flexion then lateral flexion. The first gives the mounts, the
    second checks them (quality 'poor' when its axis is off by > 5° or it is missing); the
    heading is held after them (its uncertainty grows with the 6D drift).
By default the windows are found in the recording: the neutral pose is the first still
period (≥ 0.5 s, at most 3 s used), the movements the first two bouts after it that tilt the
distal segment ≥ 15° about different axes; the summary says which windows were used. Give
them with functional:neutral=<t0>-<t1>[,move1=<t0>-<t1>][,move2=<t0>-<t1>] (s; any key left
out is still found automatically), e.g. --calibrate functional:neutral=0-2,move1=3-11,move2=12-20.
A window outside the recording, a missing neutral pose or first movement, or one too small to
find an axis exits 1 with the reason (one line); a low-confidence result is written and
reported 'poor' with the reason.
The hinge axis sign is chosen so the movement is mainly positive.
The ROM summary (min, max, range, time at end range, ± uncertainty, percent of the AAOS normal;
extremes of the angles low-passed at 6 Hz, the CSV keeps the raw angles) goes to stderr, or with --json to stdout as JSON (then -o is required for the CSV).`,
  options: JOINT_OPTIONS,
  optionsHelp: [
    ['--joint NAME', `${ANGLE_JOINTS.join(', ')}`],
    ['--proximal SENSOR', 'sensor on the proximal segment (e.g. thigh for the knee)'],
    ['--distal SENSOR', 'sensor on the distal segment (e.g. shank)'],
    ['--side left|right', 'body side of a limb joint (default right)'],
    ['--calibrate HOW', 'functional (default; windows found automatically), functional:neutral=<t0>-<t1>[,move1=<t0>-<t1>][,move2=<t0>-<t1>] (s), or static:<t0>-<t1> (still neutral pose, s)'],
    ['--mag', 'use the magnetometers (9D); default is magnetometer-free 6D'],
  ],
  run,
};
