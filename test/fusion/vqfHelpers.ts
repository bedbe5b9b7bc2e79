/** Shared helpers of the VQF tests: simulated sessions and error angles against the truth. */
import * as quat from '../../src/math/quat';
import type { Vec3Like } from '../../src/math/vec3';
import type { InertialBlock } from '../../src/samples/block';
import {
  AxisSequenceOrientation,
  Body,
  ConstantTrajectory,
  FadeInTrajectory,
  SinusoidTrajectory,
  SumTrajectory,
  simulate,
  type Scenario,
  type SensorErrorParams,
  type SimulationResult,
  type ErrorPresetName,
  type MagneticFieldParams,
} from '../../src/sim';

export const DEG = Math.PI / 180;

/** One sensor on a body that, after `leadS` still, swings ±`amplitudeDeg` about `axis` (sensor frame = body frame) at `frequencyHz`. */
export function axisRotationScenario(
  axis: Vec3Like,
  p: { amplitudeDeg?: number; frequencyHz?: number; leadS?: number; durationS?: number; base?: Vec3Like; noise?: ErrorPresetName | SensorErrorParams; magneticField?: MagneticFieldParams } = {},
): Scenario {
  const lead = p.leadS ?? 3;
  const angle = new SumTrajectory([
    new FadeInTrajectory(new SinusoidTrajectory({ amplitude: (p.amplitudeDeg ?? 90) * DEG, frequencyHz: p.frequencyHz ?? 0.4 }), lead, 1),
    new ConstantTrajectory(0),
  ]);
  // A tilted base so that no rotation axis is exactly vertical or horizontal by accident.
  const base = quat.fromRotationVector(quat.create(), p.base ?? [0.2, -0.15, 0.4]);
  const body = new Body([{ name: 'body', orientation: new AxisSequenceOrientation({ axes: [axis], angles: [angle], base }), position: [0, 0, 1] }]);
  return {
    name: 'axis-rotation',
    body,
    sensors: [{ id: 'imu', segment: 'body', errors: p.noise ?? 'ideal' }],
    ...(p.magneticField ? { magneticField: p.magneticField } : {}),
    durationS: p.durationS ?? 20,
  };
}

export function sensorRun(sim: SimulationResult, id = 'imu'): { block: InertialBlock; truth: Float64Array } {
  const blocks = sim.blocks[id]!;
  if (blocks.length !== 1) throw new Error(`expected one block, got ${blocks.length}`);
  return { block: blocks[0]!, truth: sim.truth.sensors[id]!.quat };
}

/** Error angles (rad) of q_est ⊗ q_true*: [total, heading (about global z), inclination]. */
export function errorAngles(est: ArrayLike<number>, truth: ArrayLike<number>, i: number, out = new Float64Array(3)): Float64Array {
  const k = 4 * i;
  const aw = est[k]!, ax = est[k + 1]!, ay = est[k + 2]!, az = est[k + 3]!;
  const bw = truth[k]!, bx = -truth[k + 1]!, by = -truth[k + 2]!, bz = -truth[k + 3]!;
  const w = aw * bw - ax * bx - ay * by - az * bz;
  const z = aw * bz + ax * by - ay * bx + az * bw;
  const wa = Math.abs(w), za = Math.abs(z);
  out[0] = 2 * Math.acos(Math.min(1, wa));
  out[1] = 2 * Math.atan2(za, wa);
  out[2] = 2 * Math.acos(Math.min(1, Math.sqrt(w * w + z * z)));
  return out;
}

/** RMS (deg) of error angle `which` (0 total, 1 heading, 2 inclination) over samples [from, to). */
export function rmsErrorDeg(est: ArrayLike<number>, truth: ArrayLike<number>, which: 0 | 1 | 2, from: number, to: number): number {
  const e = new Float64Array(3);
  let s = 0;
  for (let i = from; i < to; i++) {
    const a = errorAngles(est, truth, i, e)[which]!;
    s += a * a;
  }
  return Math.sqrt(s / (to - from)) / DEG;
}

/** Largest error angle `which` (deg) over samples [from, to). */
export function maxErrorDeg(est: ArrayLike<number>, truth: ArrayLike<number>, which: 0 | 1 | 2, from: number, to: number): number {
  const e = new Float64Array(3);
  let m = 0;
  for (let i = from; i < to; i++) m = Math.max(m, errorAngles(est, truth, i, e)[which]!);
  return m / DEG;
}

export { simulate };
