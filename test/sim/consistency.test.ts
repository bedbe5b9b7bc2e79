/**
 * Internal consistency of the exact truth on general motion (where no closed form is at hand):
 * the accelerometer must equal the second derivative of the simulated sensor position (plus
 * gravity, rotated), and the gyroscope the rate of the simulated orientation — checked by
 * 4th-order finite differences of the simulator's own outputs.
 */
import { describe, expect, it } from 'vitest';
import * as quat from '../../src/math/quat';
import * as vec3 from '../../src/math/vec3';
import { Body } from '../../src/sim/body';
import { ImuModel, createImuTruthSample, type ImuTruthSample, type SensorSpec } from '../../src/sim/imu';
import { MagneticField } from '../../src/sim/magnetic';
import { AxisPositionTrajectory, AxisSequenceOrientation } from '../../src/sim/pose';
import { Rng } from '../../src/sim/random';
import { freeMotionScenario, kneeFlexionScenario } from '../../src/sim/scenarios';
import type { Scenario } from '../../src/sim/simulate';
import { buildSoftTissue } from '../../src/sim/soft-tissue';
import { MinimumJerkTrajectory, SinusoidTrajectory, SumTrajectory } from '../../src/sim/trajectory';
import { d1, d2 } from './helpers';

const env = { field: new MagneticField(), gravityMS2: 9.81 };

function modelFor(sc: Scenario, sensorId: string, withWobble: boolean, durationS: number): ImuModel {
  const spec = sc.sensors.find((s) => s.id === sensorId)!;
  const seg = sc.body.segmentIndex(spec.segment);
  const times = Float64Array.from({ length: Math.round(durationS * 100) }, (_, k) => k / 100);
  const soft = withWobble ? buildSoftTissue({ translationAmplitudeM: 0.002 }, sc.body, seg, spec.positionM ?? [0, 0, 0], times, new Rng(1, 'w')) : null;
  return new ImuModel(sc.body, spec, env, soft);
}

/** Compare acc/gyro truth with finite differences of position/orientation at time t. */
function checkAt(model: ImuModel, t: number, h: number, accTol: number, gyrTol: number): void {
  const at = (s: number): ImuTruthSample => model.evaluate(s, createImuTruthSample());
  const now = at(t);
  // Accelerometer: f = Rᵀ(p̈ + g ẑ).
  const pdd = [0, 1, 2].map((c) => d2((s) => at(s).posM[c]!, t, h));
  const f = quat.rotateInverse(vec3.create(), now.q, [pdd[0]!, pdd[1]!, pdd[2]! + 9.81]);
  for (let c = 0; c < 3; c++) expect(Math.abs(now.accMS2[c]! - f[c]!)).toBeLessThan(accTol);
  // Velocity truth agrees with ṗ.
  for (let c = 0; c < 3; c++) expect(Math.abs(now.velMS[c]! - d1((s) => at(s).posM[c]!, t, h))).toBeLessThan(accTol);
  // Gyro: ω = 2 Im(q* ⊗ q̇), with q̇ differentiated on a sign-consistent branch.
  const qd = [0, 1, 2, 3].map((c) =>
    d1((s) => {
      const q = at(s).q;
      return (quat.dot(q, now.q) < 0 ? -1 : 1) * q[c]!;
    }, t, h),
  );
  const w = quat.multiplyConjugateLeft(quat.create(), now.q, qd);
  for (let c = 0; c < 3; c++) expect(Math.abs(now.gyrRadS[c]! - 2 * w[c + 1]!)).toBeLessThan(gyrTol);
}

describe('accelerometer and gyro truth vs finite differences of the simulated pose', () => {
  it('free 3-D rotation + translation, sensor offset from the body origin', () => {
    const sc = freeMotionScenario({ durationS: 20, sensorPositionM: [0.05, -0.03, 0.02], seed: 5 });
    const model = modelFor(sc, 'imu', false, 20);
    for (const t of [0.5, 2.7, 3.3, 5.1, 8.9, 13.37, 19.2]) checkAt(model, t, 1e-3, 1e-6, 1e-7);
  });

  it('three-segment chain with a two-DoF joint, a quaternion ball joint and a translating, rotating root', () => {
    const sin = (a: number, f: number, p: number) => new SinusoidTrajectory({ amplitude: a, frequencyHz: f, phaseRad: p });
    const body = new Body([
      {
        name: 'pelvis',
        orientation: new AxisSequenceOrientation({ axes: [[0, 0, 1], [1, 0, 0]], angles: [sin(0.4, 0.5, 0), sin(0.2, 0.8, 1)] }),
        position: new AxisPositionTrajectory(sin(0.1, 0.6, 0), sin(0.05, 1.1, 2), new SumTrajectory([sin(0.03, 2, 0.5), new MinimumJerkTrajectory({ from: 0.9, to: 1.0, durationS: 2 })])),
      },
      {
        name: 'thigh',
        parent: 'pelvis',
        jointPositionM: [0, -0.1, 0.1],
        joint: { type: 'two-dof', axes: [[0, 0, 1], [1, 0, 0]], angles: [sin(0.8, 0.4, 0.1), sin(0.2, 0.9, 0.3)] },
        offset: quat.fromAxisAngle(quat.create(), [0, 1, 0], 0.1),
      },
      {
        name: 'shank',
        parent: 'thigh',
        jointPositionM: [0, -0.42, 0],
        joint: {
          type: 'ball',
          orientation: new AxisSequenceOrientation({ axes: [[0, 0, -1], [0, 1, 0], [1, 0, 0]], angles: [sin(0.9, 0.7, 0), sin(0.3, 1.3, 0.2), sin(0.1, 0.5, 2)] }),
        },
      },
    ]);
    const spec: SensorSpec = { id: 's', segment: 'shank', positionM: [0.03, -0.2, 0.05], orientation: quat.fromAxisAngle(quat.create(), [1, 2, 3], 2) };
    const model = new ImuModel(body, spec, env);
    for (const t of [0.3, 1.1, 2.4, 3.9, 5.5]) checkAt(model, t, 1e-3, 1e-6, 1e-7);
  });

  it('soft-tissue wobble keeps orientation, gyro and accelerometer consistent', () => {
    const sc = kneeFlexionScenario({ reps: 2, softTissue: true });
    const model = modelFor(sc, 'shank', true, 20);
    expect(model.softTissue!.events.length).toBeGreaterThanOrEqual(4);
    // Right after an event the wobble is strongest (12 Hz): a smaller step.
    const e = model.softTissue!.events.map((x) => x.tS);
    for (const t of [e[0]! + 0.013, e[0]! + 0.05, e[1]! + 0.031, e[2]! + 0.2, 4.1]) checkAt(model, t, 2e-4, 1e-6, 1e-7);
  });

  it('wobble actually moves the sensor relative to its segment, and only after movement starts', () => {
    const sc = kneeFlexionScenario({ reps: 1, softTissue: { rotationAmplitudeRad: 0.03 } });
    const withW = modelFor(sc, 'shank', true, 10);
    const without = new ImuModel(sc.body, sc.sensors[1]!, env);
    const t0 = withW.softTissue!.events[0]!.tS;
    const a = withW.evaluate(t0 + 0.03, createImuTruthSample());
    const b = without.evaluate(t0 + 0.03, createImuTruthSample());
    const angle = quat.distanceRad(a.q, b.q);
    expect(angle).toBeGreaterThan(0.005);
    expect(angle).toBeLessThan(0.05);
    const early = withW.evaluate(1, createImuTruthSample());
    expect(quat.distanceRad(early.q, without.evaluate(1, createImuTruthSample()).q)).toBe(0);
  });
});
