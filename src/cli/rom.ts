/**
 * `kinemetry rom <recording> --motion M`: single-sensor (inclinometer-style) range of motion —
 * the segment's elevation against gravity in the motion's plane, from the sensor's 6D
 * orientation — summarised as min / max / range / time at end range ± uncertainty, with the
 * AAOS normal and percent of normal.
 */
import { readSession } from '../io/node/session';
import * as quat from '../math/quat';
import type { Side } from '../kinematics/body';
import { INCLINOMETER_MOTIONS, Inclinometer } from '../kinematics/inclinometer';
import type { InclinometerMotion } from '../kinematics/inclinometer';
import { romSummary } from '../kinematics/romSummary';
import { UsageError, readerOptions } from './command';
import type { Command, CommandContext } from './command';
import { EXIT_OK } from './errors';
import { JointDataError, finiteRows3, orientationOf, parseCalibrate, readOneSensor, staticMount, windowIndices } from './jointCalibration';
import type { MountResult } from './jointCalibration';
import { writeOutput } from './output';

const MOTIONS = Object.keys(INCLINOMETER_MOTIONS) as InclinometerMotion[];
/** Default still period for the mount, s from the start of the recording. */
const DEFAULT_STILL_S = 1;

/** More excursion below zero than above (spread-free: recordings can be long). */
function mostlyNegative(a: readonly number[]): boolean {
  let lo = Infinity, hi = -Infinity;
  for (const v of a) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return a.length > 0 && -lo > hi;
}

async function run(ctx: CommandContext): Promise<number> {
  const { common, values, positionals, io } = ctx;
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'no recording given (a file, or a session directory with --sensor)' : `one recording at a time, got ${positionals.length}`);
  const motion = values.motion as string | undefined;
  if (motion === undefined) throw new UsageError(`--motion is required (${MOTIONS.join(', ')})`);
  if (!(MOTIONS as string[]).includes(motion)) throw new UsageError(`unknown motion '${motion}' (motions: ${MOTIONS.join(', ')})`);
  const sideArg = (values.side as string | undefined) ?? 'right';
  if (sideArg !== 'left' && sideArg !== 'right') throw new UsageError(`--side must be left or right, got '${sideArg}'`);
  const side: Side = sideArg;
  const mountArg = values.mount as string | undefined;
  if (mountArg !== undefined && mountArg !== 'identity') throw new UsageError(`--mount takes only 'identity' (sensor frame = segment frame), got '${mountArg}'`);
  const calArg = values.calibrate as string | undefined;
  if (mountArg !== undefined && calArg !== undefined) throw new UsageError('--mount identity and --calibrate exclude each other');
  const spec = mountArg === 'identity' ? { kind: 'identity' as const } : calArg !== undefined ? parseCalibrate(calArg) : undefined;
  if (spec?.kind === 'functional') throw new UsageError('rom has one sensor: --calibrate takes static:<t0>-<t1> (or use --mount identity)');
  const path = positionals[0]!;

  const session = await readSession(path, readerOptions(common));
  const { sensor, block } = await readOneSensor(session.recordings, common.sensor, path, 10);
  const n = block.tS.length;
  const q = orientationOf(block, false, 'rom');

  let mount: MountResult;
  let method: string;
  let assumedAxis = false;
  let stillAcc: Float64Array | undefined, stillGyr: Float64Array | undefined;
  if (spec?.kind === 'identity') {
    mount = { qSegSensor: quat.create(), residualDeg: 0, quality: 'good', headingSource: 'identity (sensor frame = segment frame)' };
    method = 'identity';
  } else {
    const t0S = spec?.kind === 'static' ? spec.t0S : block.tS[0]!;
    const t1S = spec?.kind === 'static' ? spec.t1S : block.tS[0]! + DEFAULT_STILL_S;
    const [i0, i1] = windowIndices(block.tS, t0S, t1S, path);
    stillAcc = finiteRows3(block.accMS2!, i0, i1);
    stillGyr = finiteRows3(block.gyrRadS!, i0, i1);
    mount = staticMount(stillAcc, stillGyr, undefined, sensor);
    assumedAxis = true;
    // One sensor has no joint axis: the segment's plane comes from the assumed lateral sensor z.
    if (mount.quality === 'poor') mount = { ...mount, quality: 'good', reason: `${sensor}: rotation about the long axis assumed (sensor z lateral)` };
    method = `static:${t0S}-${t1S}`;
  }
  if (mount.quality === 'failed') throw new JointDataError(`${path}: calibration failed: ${mount.reason ?? 'unknown reason'}`);

  const measure = (qSegSensor: Float64Array): { tV: number[]; aV: number[]; uV: number[]; outOfPlane: number; missing: number } => {
    const incl = new Inclinometer({ motion: motion as InclinometerMotion, side, qSegSensor });
    const tV: number[] = [], aV: number[] = [], uV: number[] = [];
    const qi = quat.create();
    let outOfPlane = 0, missing = 0;
    for (let i = 0; i < n; i++) {
      quat.readAt(qi, q, i);
      if (!(Number.isFinite(qi[0]!) && Number.isFinite(qi[1]!) && Number.isFinite(qi[2]!) && Number.isFinite(qi[3]!))) {
        missing++;
        continue;
      }
      const a = incl.fromQuat(qi);
      if (incl.flags !== 0) {
        outOfPlane++;
        continue;
      }
      tV.push(block.tS[i]!);
      aV.push(a * R);
      // Mount residual plus the out-of-plane tilt, which a goniometer in the plane would not see.
      uV.push(mount.residualDeg + Math.abs(incl.outOfPlaneRad) * R);
    }
    return { tV, aV, uV, outOfPlane, missing };
  };
  const R = 180 / Math.PI;
  let m = measure(mount.qSegSensor);
  if (assumedAxis && mostlyNegative(m.aV)) {
    // The assumed lateral axis points the other way: the movement is taken to be mainly positive.
    mount = { ...mount, qSegSensor: staticMount(stillAcc!, stillGyr!, [0, 0, -1], sensor).qSegSensor, reason: `${sensor}: rotation about the long axis assumed (sensor −z lateral, sign chosen so the motion is positive)` };
    m = measure(mount.qSegSensor);
  }
  const { tV, aV, uV, outOfPlane, missing } = m;
  if (aV.length === 0) throw new JointDataError(`${path}: no sample of '${sensor}' lies in the plane of ${motion} (${outOfPlane} out of plane)`);
  const s = romSummary(tV, aV, uV, { motion });
  const tEnd = s.timeAtEndRangeS;
  if (common.json) {
    const json = {
      recording: path, sensor, motion, side, calibration: { method, quality: mount.quality, residualDeg: mount.residualDeg, ...(mount.reason ? { reason: mount.reason } : {}) },
      samples: n, used: aV.length, outOfPlane, missing, summary: s,
    };
    await writeOutput(common.out, io, `${JSON.stringify(json, null, 2)}\n`);
  } else {
    const lines = [
      `${path}: ${motion} (${side}), sensor ${sensor}, mount ${method} (${mount.quality}${mount.reason ? `: ${mount.reason}` : ''})`,
      `samples ${n}, used ${aV.length}, out of plane ${outOfPlane}, missing ${missing}`,
      `min    ${s.minDeg.toFixed(1)} ± ${s.minUncertaintyDeg.toFixed(1)}° at ${s.tMinS.toFixed(2)} s`,
      `max    ${s.maxDeg.toFixed(1)} ± ${s.maxUncertaintyDeg.toFixed(1)}° at ${s.tMaxS.toFixed(2)} s`,
      `range  ${s.rangeDeg.toFixed(1)} ± ${s.rangeUncertaintyDeg.toFixed(1)}°`,
      `time at end range ${tEnd.toFixed(1)} s`,
      `AAOS normal ${s.normalDeg}°, ${s.percentOfNormal!.toFixed(0)} ± ${s.percentOfNormalUncertainty!.toFixed(0)}% of normal`,
    ];
    await writeOutput(common.out, io, `${lines.join('\n')}\n`);
  }
  return EXIT_OK;
}

export const romCommand: Command = {
  name: 'rom',
  summary: 'single-sensor range of motion (inclinometer style) with AAOS percent of normal',
  usage: 'rom [options] <recording> --motion MOTION',
  description: `
Range of motion from one sensor: the segment's elevation against gravity in the motion's
plane (sagittal for flexion, frontal for abduction), from the sensor's magnetometer-free
orientation. Prints min, max (with the time it occurs), range, time at end range (within 5° of
the max), each ± uncertainty (mount residual + tilt out of the plane), the AAOS normal and the
percent of normal. Samples tilted more than 15° out of the plane are not counted.
The sensor-to-segment mount comes from a still period (segment long axis up), by default the
first ${DEFAULT_STILL_S} s; the rotation about the long axis assumes the sensor z axis points
laterally. --mount identity takes the sensor frame as the segment frame. A session with
several sensors needs --sensor.`,
  options: {
    motion: { type: 'string' },
    side: { type: 'string' },
    calibrate: { type: 'string' },
    mount: { type: 'string' },
  },
  optionsHelp: [
    ['--motion NAME', MOTIONS.join(', ')],
    ['--side left|right', 'body side (default right; frontal-plane signs depend on it)'],
    ['--calibrate static:T0-T1', `still period for the mount, s (default the first ${DEFAULT_STILL_S} s)`],
    ['--mount identity', 'sensor frame = segment frame (no calibration)'],
  ],
  run,
};
