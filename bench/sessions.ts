/**
 * Simulated live sessions for the pipeline benches (generated from the sources, not measured):
 * standing knee flexion, consumer-grade 9-axis sensors at 100 Hz, in blocks of `blockSize`
 * samples as BLE notifications deliver them. Several seeds give more sensor streams on the same
 * clock (same motion, independent sensor errors and mounts) for the 5-sensor chain.
 */
import { quat } from '../src/index';
import * as sim from '../src/sim/index';
import type { InertialBlock } from '../src/index';

export const RATE_HZ = 100;

export interface SimSession {
  /** Per sensor, its blocks in time order; every sensor has the same block times. */
  readonly sensors: readonly (readonly InertialBlock[])[];
  readonly ids: readonly string[];
  /** Mount q_{seg,S} per sensor. */
  readonly mounts: readonly Float64Array[];
  readonly samplesPerSensor: number;
  readonly durationS: number;
}

/** `sensorCount` streams of one knee session (thigh, shank, thigh, shank, …; seeds 1, 2, …). */
export function kneeSession(sensorCount: number, durationS = 60, blockSize = 25): SimSession {
  const sensors: InertialBlock[][] = [], ids: string[] = [], mounts: Float64Array[] = [];
  for (let seed = 1; sensors.length < sensorCount; seed++) {
    const scenario = sim.kneeFlexionScenario({ reps: 100, restS: 1.5, noise: 'consumer', softTissue: true, seed });
    const s = sim.simulate(scenario, { rateHz: RATE_HZ, seed, durationS, blockSize });
    for (const id of ['thigh', 'shank']) {
      if (sensors.length === sensorCount) break;
      // No dropped samples in this scenario, so every stream has the same blocks on the same clock.
      sensors.push(s.blocks[id]!.map((b) => ({ ...b, info: { ...b.info, sensorId: `${id}${seed}` } }) as InertialBlock));
      ids.push(`${id}${seed}`);
      mounts.push(Float64Array.from(scenario.sensors.find((x) => x.id === id)!.orientation ?? quat.create()));
    }
  }
  const samplesPerSensor = sensors[0]!.reduce((n, b) => n + b.tS.length, 0);
  for (const blocks of sensors) {
    if (blocks.length !== sensors[0]!.length || blocks.reduce((n, b) => n + b.tS.length, 0) !== samplesPerSensor) throw new Error('bench: sensor streams are not on one clock');
  }
  return { sensors, ids, mounts, samplesPerSensor, durationS };
}
