import { describe, expect, it } from 'vitest';
import { CalibrationInputError } from '../../src/kinematics/hingeAxis';
import { JointAngleStage } from '../../src/kinematics/jointAngleStage';
import { sensorToSegmentFromPairs, staticPoseCalibration, stillGravityDirection } from '../../src/kinematics/staticCalibration';
import * as quat from '../../src/math/quat';
import { concatBlocks } from '../../src/samples/block';
import { kneeFlexionScenario } from '../../src/sim/scenarios';
import { simulate } from '../../src/sim/simulate';
import { DEG, trueKneeAxes } from './calibrationHelpers';

/** First `s` seconds of a sensor's acc and gyro. */
function still(r: ReturnType<typeof simulate>, id: string, fromS: number, toS: number) {
  const b = concatBlocks(r.blocks[id]!).block;
  const i0 = b.tS.findIndex((t) => t >= fromS), i1 = b.tS.findIndex((t) => t >= toS);
  return { acc: b.accMS2.subarray(3 * i0, 3 * i1), gyr: b.gyrRadS.subarray(3 * i0, 3 * i1), all: b };
}

function errDeg(qSensorSegment: Float64Array, qSegSensor: ArrayLike<number>): number {
  return quat.distanceRad(qSensorSegment, quat.conjugate(quat.create(), qSegSensor)) / DEG;
}

/** Rotate a vector by `deg` about a perpendicular direction (a stand-in for a functional-axis error). */
function tilt(v: Float64Array, deg: number): Float64Array {
  const perp = Math.abs(v[0]!) < 0.9 ? [1, 0, 0] : [0, 1, 0];
  const ax = [v[1]! * perp[2]! - v[2]! * perp[1]!, v[2]! * perp[0]! - v[0]! * perp[2]!, v[0]! * perp[1]! - v[1]! * perp[0]!];
  return quat.rotate(new Float64Array(3), quat.fromAxisAngle(quat.create(), ax, deg * DEG), v);
}

describe('static-pose sensor-to-segment calibration', () => {
  it('standing still + hinge axis, noise off, 20° unknown mounts: exact', () => {
    const sc = kneeFlexionScenario({ mountErrorDeg: 20, seed: 9, reps: 1 });
    const r = simulate(sc, { rateHz: 100 });
    const [j1, j2] = trueKneeAxes(sc);
    for (const [k, id, j] of [[0, 'thigh', j1], [1, 'shank', j2]] as const) {
      const s = still(r, id, 0.2, 1.8);
      const res = staticPoseCalibration({ accMS2: s.acc, gyrRadS: s.gyr, segmentUp: [0, 1, 0], secondary: { sensor: j, segment: [0, 0, -1] } });
      expect(res.quality).toBe('good');
      expect(res.gravity.still).toBe(true);
      expect(res.residualDeg).toBeLessThan(1e-6);
      expect(errDeg(res.qSensorSegment, sc.sensors[k]!.orientation!)).toBeLessThan(1e-4);
    }
  });

  it('calibration → joint-angle stage: the calibrated mounts give the true knee flexion (noise off)', () => {
    const sc = kneeFlexionScenario({ mountErrorDeg: 20, seed: 9, reps: 2 });
    const r = simulate(sc, { rateHz: 100 });
    const [j1, j2] = trueKneeAxes(sc);
    const mount = (id: string, j: Float64Array): Float64Array => {
      const s = still(r, id, 0.2, 1.8);
      const res = staticPoseCalibration({ accMS2: s.acc, gyrRadS: s.gyr, segmentUp: [0, 1, 0], secondary: { sensor: j, segment: [0, 0, -1] } });
      expect(res.quality).toBe('good');
      return res.qSegSensor;
    };
    const stage = new JointAngleStage({ joint: 'knee', side: 'right', proximal: { qSegSensor: mount('thigh', j1) }, distal: { qSegSensor: mount('shank', j2) } });
    const n = r.truth.tS.length;
    const out = new Float64Array(3 * n);
    stage.updateArrays(r.truth.sensors.thigh!.quat, r.truth.sensors.shank!.quat, out);
    const truth = r.truth.joints.knee!.anglesRad.flexion!;
    let worstDeg = 0;
    for (let i = 0; i < n; i++) worstDeg = Math.max(worstDeg, Math.abs(out[3 * i]! - truth[i]!) / DEG);
    expect(worstDeg).toBeLessThan(1e-3);
    expect(Math.max(...truth) / DEG).toBeGreaterThan(80); // the reps really happened
  });

  it('consumer noise + wobble, axis off by 2°: sensor-to-segment within 3°', () => {
    const sc = kneeFlexionScenario({ mountErrorDeg: 15, seed: 4, reps: 1, noise: 'consumer', softTissue: true });
    const r = simulate(sc, { rateHz: 100 });
    const [j1] = trueKneeAxes(sc);
    const s = still(r, 'thigh', 0.2, 1.8);
    const res = staticPoseCalibration({ accMS2: s.acc, gyrRadS: s.gyr, segmentUp: [0, 1, 0], secondary: { sensor: tilt(j1, 2), segment: [0, 0, -1] } });
    expect(res.quality).toBe('good');
    const e = errDeg(res.qSensorSegment, sc.sensors[0]!.orientation!);
    expect(e).toBeLessThan(3);
    expect(e).toBeGreaterThan(0.1); // the 2° axis error shows
  });

  it('two static poses (standing: y up; seated: thigh x up), no functional movement needed', () => {
    const p = { mountErrorDeg: 15, seed: 11, reps: 1, noise: 'consumer' as const };
    const sc = kneeFlexionScenario(p);
    const rs = simulate(sc, { rateHz: 100 });
    const rse = simulate(kneeFlexionScenario({ ...p, posture: 'seated' }), { rateHz: 100 });
    const a = stillGravityDirection(still(rs, 'thigh', 0.2, 1.8).acc);
    const b = stillGravityDirection(still(rse, 'thigh', 0.2, 1.8).acc);
    const res = sensorToSegmentFromPairs({ sensor: a.upS, segment: [0, 1, 0] }, { sensor: b.upS, segment: [1, 0, 0] });
    expect(res.quality).toBe('good');
    expect(res.separationDeg).toBeCloseTo(90, 6);
    expect(errDeg(res.qSensorSegment, sc.sensors[0]!.orientation!)).toBeLessThan(1.5);
  });

  it('moving during the "still" period → failed with a reason', () => {
    const sc = kneeFlexionScenario({ mountErrorDeg: 10, reps: 1 });
    const r = simulate(sc, { rateHz: 100 });
    const [, j2] = trueKneeAxes(sc);
    const s = still(r, 'shank', 2.2, 3.2); // inside the first rep
    const res = staticPoseCalibration({ accMS2: s.acc, gyrRadS: s.gyr, segmentUp: [0, 1, 0], secondary: { sensor: j2, segment: [0, 0, -1] } });
    expect(res.quality).toBe('failed');
    expect(res.reason).toMatch(/not still/);
  });

  it('inconsistent or degenerate directions are flagged', () => {
    // secondary sensor direction parallel to gravity: rotation undetermined
    const r1 = sensorToSegmentFromPairs({ sensor: [0, 0, 1], segment: [0, 1, 0] }, { sensor: [0, 0, 2], segment: [0, 0, 1] });
    expect(r1.quality).toBe('failed');
    // 60° inconsistency: 30° apart in the sensor frame, 90° in the segment frame
    const r2 = sensorToSegmentFromPairs({ sensor: [0, 0, 1], segment: [0, 1, 0] }, { sensor: [Math.cos(60 * DEG), 0, Math.sin(60 * DEG)], segment: [0, 0, 1] });
    expect(r2.quality).toBe('failed');
    expect(r2.residualDeg).toBeCloseTo(60, 6);
    // exact rotation recovered for a consistent pair
    const q = quat.fromAxisAngle(quat.create(), [1, 2, 3], 1.1);
    const u = quat.rotate(new Float64Array(3), q, [0, 1, 0]), w = quat.rotate(new Float64Array(3), q, [0, 0, -1]);
    const r3 = sensorToSegmentFromPairs({ sensor: u, segment: [0, 1, 0] }, { sensor: w, segment: [0, 0, -1] });
    expect(quat.distanceRad(r3.qSensorSegment, q)).toBeLessThan(1e-9);
    expect(() => sensorToSegmentFromPairs({ sensor: [0, 0, 0], segment: [0, 1, 0] }, { sensor: [1, 0, 0], segment: [1, 0, 0] })).toThrow(CalibrationInputError);
    expect(() => stillGravityDirection(new Float64Array(4))).toThrow(CalibrationInputError);
  });
});
