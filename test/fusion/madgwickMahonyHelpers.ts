/**
 * Shared by the baseline filter tests (not a test file itself): run a filter over simulated
 * blocks and compare with the simulator's truth.
 */
import * as quat from '../../src/math/quat';
import type { OrientationFilter } from '../../src/fusion/filter';
import { Body, AxisSequenceOrientation, RampTrajectory, simulate } from '../../src/sim/index';
import type { SensorErrorParams, SimulationResult } from '../../src/sim/index';
import type { Vec3Like } from '../../src/math/vec3';

export const DEG = 180 / Math.PI;

export interface Errors {
  /** Rms of the total angle error, deg. */
  totalRmsDeg: number;
  /** Largest total angle error, deg. */
  totalMaxDeg: number;
  /** Largest inclination error (heading removed), deg. */
  inclinationMaxDeg: number;
  /** Largest heading error, deg. */
  headingMaxDeg: number;
  /** Number of samples compared. */
  n: number;
}

/**
 * BROAD's decomposition of q_e = q_est ⊗ q_true*: heading = 2·atan(|z/w|), inclination =
 * 2·acos(√(w² + z²)).
 */
export function errorParts(qEst: ArrayLike<number>, qTrue: ArrayLike<number>): { totalDeg: number; headingDeg: number; inclinationDeg: number } {
  const e = quat.multiply(quat.create(), qEst, quat.conjugate(quat.create(), qTrue));
  const w = Math.abs(e[0]!), z = Math.abs(e[3]!);
  return {
    totalDeg: quat.angleRad(e) * DEG,
    headingDeg: 2 * Math.atan2(z, w) * DEG,
    inclinationDeg: 2 * Math.acos(Math.min(1, Math.sqrt(e[0]! * e[0]! + e[3]! * e[3]!))) * DEG,
  };
}

/** Run `f` over every block of sensor `id` and compare each output with the truth, from `fromS` on. */
export function runAndCompare(f: OrientationFilter, sim: SimulationResult, fromS = 0, id = 'imu'): Errors & { out: Float64Array } {
  const blocks = sim.blocks[id]!;
  const truth = sim.truth.sensors[id]!;
  const total = blocks.reduce((s, b) => s + b.tS.length, 0);
  const out = new Float64Array(4 * total);
  let k = 0;
  for (const b of blocks) {
    f.updateBlock(b, out.subarray(4 * k));
    k += b.tS.length;
  }
  let sum2 = 0, totalMax = 0, incMax = 0, headMax = 0, n = 0;
  // Dropped samples are absent from the blocks but present in the truth: match by time.
  let j = 0;
  k = 0;
  for (const b of blocks) {
    for (let i = 0; i < b.tS.length; i++, k++) {
      while (truth.reportedTS[j]! < b.tS[i]!) j++;
      if (b.tS[i]! < fromS) continue;
      const e = errorParts(out.subarray(4 * k, 4 * k + 4), truth.quat.subarray(4 * j, 4 * j + 4));
      sum2 += e.totalDeg * e.totalDeg;
      totalMax = Math.max(totalMax, e.totalDeg);
      incMax = Math.max(incMax, e.inclinationDeg);
      headMax = Math.max(headMax, e.headingDeg);
      n++;
    }
  }
  return { totalRmsDeg: Math.sqrt(sum2 / n), totalMaxDeg: totalMax, inclinationMaxDeg: incMax, headingMaxDeg: headMax, n, out };
}

/**
 * One sensor spinning at a constant rate about a sensor axis (after `leadS` still), starting
 * from a tilted, turned orientation so that no axis is trivially aligned with the world.
 */
export function spinSimulation(axis: Vec3Like, rateDegS: number, durationS: number, errors: SensorErrorParams | 'ideal' = 'ideal'): SimulationResult {
  const base = quat.multiply(
    quat.create(),
    quat.fromAxisAngle(quat.create(), [0, 0, 1], 25 / DEG),
    quat.fromAxisAngle(quat.create(), [1, 0.5, 0], 30 / DEG),
  );
  const body = new Body([
    {
      name: 'body',
      orientation: new AxisSequenceOrientation({ axes: [axis], angles: [new RampTrajectory({ ratePerS: rateDegS / DEG })], base }),
      position: [0, 0, 1],
    },
  ]);
  return simulate({ body, sensors: [{ id: 'imu', segment: 'body', errors }], durationS }, { rateHz: 100 });
}
