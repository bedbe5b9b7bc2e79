import { describe, expect, it } from 'vitest';
import * as quat from '../../src/math/quat';
import * as vec3 from '../../src/math/vec3';
import { freeMotionScenario, kneeFlexionScenario, shoulderAbductionScenario, staticScenario } from '../../src/sim/scenarios';
import { SimInputError } from '../../src/sim/sim-error';
import { simulate, type SimulationResult } from '../../src/sim/simulate';
import { maxAbsDiff } from './helpers';

const DEG = Math.PI / 180;

/** Global direction of a sensor axis at truth sample k. */
function sensorAxisG(r: SimulationResult, id: string, k: number, axis: number[]): Float64Array {
  const q = quat.readAt(quat.create(), r.truth.sensors[id]!.quat, k);
  return quat.rotate(vec3.create(), q, axis);
}

/** Global direction of a segment axis at session sample k. */
function segmentAxisG(r: SimulationResult, seg: string, k: number, axis: number[]): Float64Array {
  const q = quat.readAt(quat.create(), r.truth.segments[seg]!.quat, k);
  return quat.rotate(vec3.create(), q, axis);
}

describe('knee flexion scenario', () => {
  const sc = kneeFlexionScenario();
  const r = simulate(sc, { rateHz: 100 });
  const idx = (t: number) => Math.round(t * 100);

  it('has 10 reps to 90° with 2 s holds, reported in the truth', () => {
    expect(r.truth.reps).toHaveLength(10);
    expect(r.truth.reps).toEqual(sc.reps);
    const flex = r.truth.joints.knee!.anglesRad.flexion!;
    for (const rep of r.truth.reps) {
      expect(rep.holdEndS - rep.peakS).toBeCloseTo(2, 12);
      expect(rep.amplitudeRad).toBeCloseTo(90 * DEG, 14);
      expect(flex[idx(rep.peakS) + 1]).toBeCloseTo(90 * DEG, 12);
      expect(flex[idx(rep.startS)]).toBeCloseTo(0, 9);
    }
    expect(sc.durationS).toBeCloseTo(r.truth.reps[9]!.endS + 2, 12);
  });

  it('ISB frames: standing thigh y up, x forward (north), z right (east); sensor x up the segment, z lateral', () => {
    expect(maxAbsDiff(segmentAxisG(r, 'thigh', 0, [0, 1, 0]), [0, 0, 1])).toBeLessThan(1e-12);
    expect(maxAbsDiff(segmentAxisG(r, 'thigh', 0, [1, 0, 0]), [0, 1, 0])).toBeLessThan(1e-12);
    expect(maxAbsDiff(segmentAxisG(r, 'thigh', 0, [0, 0, 1]), [1, 0, 0])).toBeLessThan(1e-12);
    expect(maxAbsDiff(sensorAxisG(r, 'thigh', 0, [1, 0, 0]), [0, 0, 1])).toBeLessThan(1e-12);
    expect(maxAbsDiff(sensorAxisG(r, 'thigh', 0, [0, 0, 1]), [1, 0, 0])).toBeLessThan(1e-12);
    // At rest the thigh sensor reads +g along its x axis.
    expect(maxAbsDiff(r.blocks.thigh![0]!.accMS2.subarray(0, 3), [9.81, 0, 0])).toBeLessThan(1e-12);
  });

  it('flexion swings the shank backwards: at 90° the shank y axis (ankle → knee) points forward', () => {
    const k = idx(r.truth.reps[0]!.peakS) + 10;
    expect(maxAbsDiff(segmentAxisG(r, 'shank', k, [0, 1, 0]), [0, 1, 0])).toBeLessThan(1e-9);
    // Knee below hip, ankle behind the knee.
    const knee = r.truth.segments.shank!.posM;
    expect(knee[3 * k + 2]).toBeCloseTo(0.9 - 0.42, 12);
  });

  it('thigh gyro is zero; shank gyro magnitude equals the flexion rate', () => {
    const th = r.blocks.thigh![0]!.gyrRadS;
    expect(Math.max(...Array.from(th, Math.abs))).toBe(0);
    const sh = r.blocks.shank![0]!.gyrRadS;
    const state = sc.body.createState();
    let worst = 0, peak = 0;
    for (let k = 0; k < r.truth.tS.length; k++) {
      const rate = sc.body.evaluate(r.truth.tS[k]!, state).dofRateRadS[0]!;
      worst = Math.max(worst, Math.abs(Math.hypot(sh[3 * k]!, sh[3 * k + 1]!, sh[3 * k + 2]!) - Math.abs(rate)));
      peak = Math.max(peak, Math.abs(rate));
    }
    expect(worst).toBeLessThan(1e-12);
    expect(peak).toBeCloseTo((15 / 8) * (90 * DEG) / 1.5, 6); // minimum-jerk peak rate
  });

  it('left side mirrors the mounting: lateral is west when facing north', () => {
    const left = simulate(kneeFlexionScenario({ side: 'left', reps: 1 }), { rateHz: 50 });
    expect(maxAbsDiff(sensorAxisG(left, 'thigh', 0, [0, 0, 1]), [-1, 0, 0])).toBeLessThan(1e-12);
    expect(left.blocks.thigh![0]!.info.side).toBe('left');
    // Flexion is still positive and swings the shank backwards.
    const k = Math.round(left.truth.reps[0]!.peakS * 50) + 5;
    expect(maxAbsDiff(segmentAxisG(left, 'shank', k, [0, 1, 0]), [0, 1, 0])).toBeLessThan(1e-9);
  });

  it('seated: thigh horizontal, knee rests at 90° and extends to 0°', () => {
    const s = simulate(kneeFlexionScenario({ posture: 'seated', reps: 2 }), { rateHz: 50 });
    expect(maxAbsDiff(segmentAxisG(s, 'thigh', 0, [0, 1, 0]), [0, -1, 0])).toBeLessThan(1e-12);
    const flex = s.truth.joints.knee!.anglesRad.flexion!;
    expect(flex[0]).toBeCloseTo(90 * DEG, 14);
    const k = Math.round(s.truth.reps[0]!.peakS * 50) + 5;
    expect(flex[k]).toBeCloseTo(0, 12);
    expect(s.truth.reps[0]!.amplitudeRad).toBeCloseTo(-90 * DEG, 14);
    // Resting shank hangs vertically; extended shank points forward (y from ankle to knee points back).
    expect(maxAbsDiff(segmentAxisG(s, 'shank', 0, [0, 1, 0]), [0, 0, 1])).toBeLessThan(1e-12);
    expect(maxAbsDiff(segmentAxisG(s, 'shank', k, [0, 1, 0]), [0, -1, 0])).toBeLessThan(1e-9);
  });

  it('facingDeg turns the whole subject about the vertical', () => {
    const e = simulate(kneeFlexionScenario({ facingDeg: 90, reps: 1 }), { rateHz: 50, durationS: 1 });
    expect(maxAbsDiff(segmentAxisG(e, 'thigh', 0, [1, 0, 0]), [1, 0, 0])).toBeLessThan(1e-12); // facing east
    expect(maxAbsDiff(segmentAxisG(e, 'thigh', 0, [0, 0, 1]), [0, -1, 0])).toBeLessThan(1e-12); // right is south
  });

  it('variation, partial reps and sets pass through to the truth', () => {
    const v = kneeFlexionScenario({ reps: 3, sets: 2, amplitudeVariation: 0.1, partialReps: [4], seed: 9 });
    expect(v.reps).toHaveLength(6);
    expect(v.reps!.filter((x) => x.partial).map((x) => x.index)).toEqual([4]);
    expect(v.reps![3]!.set).toBe(1);
  });
});

describe('shoulder abduction scenario', () => {
  it('elevates the arm 0 → 150° in the frontal plane', () => {
    const sc = shoulderAbductionScenario({ reps: 2 });
    const r = simulate(sc, { rateHz: 50 });
    const rep = r.truth.reps[0]!;
    const k = Math.round(rep.peakS * 50) + 5;
    expect(r.truth.joints.shoulder!.anglesRad.elevation![k]).toBeCloseTo(150 * DEG, 12);
    expect(r.truth.joints.shoulder!.dofNames).toEqual(['planeOfElevation', 'elevation', 'axialRotation']);
    // Hanging arm: distal direction (−y) down. Raised 150°: lateral (east) and up.
    expect(maxAbsDiff(segmentAxisG(r, 'upperArm', 0, [0, -1, 0]), [0, 0, -1])).toBeLessThan(1e-12);
    expect(maxAbsDiff(segmentAxisG(r, 'upperArm', k, [0, -1, 0]), [Math.sin(150 * DEG), 0, -Math.cos(150 * DEG)])).toBeLessThan(1e-9);
  });

  it('left arm abducts to the left; plane of elevation 90° is forward flexion', () => {
    const left = simulate(shoulderAbductionScenario({ reps: 1, amplitudeDeg: 90, side: 'left' }), { rateHz: 50 });
    const kl = Math.round(left.truth.reps[0]!.peakS * 50) + 5;
    expect(maxAbsDiff(segmentAxisG(left, 'upperArm', kl, [0, -1, 0]), [-1, 0, 0])).toBeLessThan(1e-9);
    const fwd = simulate(shoulderAbductionScenario({ reps: 1, amplitudeDeg: 90, planeOfElevationDeg: 90 }), { rateHz: 50 });
    const kf = Math.round(fwd.truth.reps[0]!.peakS * 50) + 5;
    expect(maxAbsDiff(segmentAxisG(fwd, 'upperArm', kf, [0, -1, 0]), [0, 1, 0])).toBeLessThan(1e-9);
  });
});

describe('free-motion and static scenarios', () => {
  it('free motion is still during the lead-in, then rotates and translates substantially', () => {
    const r = simulate(freeMotionScenario({ durationS: 20, seed: 3 }), { rateHz: 100 });
    const t = r.truth.sensors.imu!;
    const g = r.blocks.imu![0]!.gyrRadS;
    expect(Math.max(...Array.from(g.subarray(0, 3 * 200), Math.abs))).toBe(0);
    let maxAngle = 0, maxRate = 0, maxDisp = 0;
    const q0 = quat.readAt(quat.create(), t.quat, 0), q = quat.create();
    for (let k = 0; k < t.tS.length; k++) {
      maxAngle = Math.max(maxAngle, quat.distanceRad(q0, quat.readAt(q, t.quat, k)));
      maxRate = Math.max(maxRate, Math.hypot(g[3 * k]!, g[3 * k + 1]!, g[3 * k + 2]!));
      maxDisp = Math.max(maxDisp, Math.hypot(t.posM[3 * k]!, t.posM[3 * k + 1]!, t.posM[3 * k + 2]! - 1));
    }
    expect(maxAngle).toBeGreaterThan(60 * DEG);
    expect(maxRate).toBeGreaterThan(1);
    expect(maxDisp).toBeGreaterThan(0.05);
    // Different seeds, different motion.
    const r2 = simulate(freeMotionScenario({ durationS: 20, seed: 4 }), { rateHz: 100 });
    expect(r2.truth.sensors.imu!.quat[4 * 1500]).not.toBe(t.quat[4 * 1500]);
  });

  it('static scenario accepts an explicit orientation', () => {
    const q = quat.fromAxisAngle(quat.create(), [1, 1, 0], 1);
    const r = simulate(staticScenario({ orientation: q, durationS: 0.1 }), { rateHz: 10 });
    expect(quat.equalsRotation(r.truth.sensors.imu!.quat.subarray(0, 4), q, 1e-15)).toBe(true);
    expect(() => staticScenario({ orientation: [0, 0, 0, 0] })).toThrow(SimInputError);
  });

  it('mountErrorDeg rotates each mount by exactly that angle, reproducibly', () => {
    const a = kneeFlexionScenario({ mountErrorDeg: 5, seed: 2 });
    const b = kneeFlexionScenario({ mountErrorDeg: 5, seed: 2 });
    const nominal = kneeFlexionScenario();
    for (let i = 0; i < 2; i++) {
      expect(quat.distanceRad(a.sensors[i]!.orientation!, nominal.sensors[i]!.orientation!)).toBeCloseTo(5 * DEG, 12);
      expect(Array.from(a.sensors[i]!.orientation!)).toEqual(Array.from(b.sensors[i]!.orientation!));
    }
  });
});

describe('options', () => {
  it('a sensor may run at its own rate; truth follows its own instants', () => {
    const sc = staticScenario({ durationS: 1 });
    const r = simulate({ ...sc, sensors: [{ ...sc.sensors[0]!, rateHz: 40 }] }, { rateHz: 100 });
    expect(r.truth.tS.length).toBe(100);
    expect(r.truth.sensors.imu!.tS.length).toBe(40);
    expect(r.blocks.imu![0]!.info.rateHz).toBe(40);
  });

  it('9-axis by default; magnetometer and quaternion channels are optional', () => {
    const sc = staticScenario({ durationS: 0.1 });
    const r = simulate({ ...sc, sensors: [{ ...sc.sensors[0]!, magnetometer: false, outputQuat: true }] }, { rateHz: 10 });
    const b = r.blocks.imu![0]!;
    expect(b.magUT).toBeUndefined();
    expect(Array.from(b.quat!)).toEqual(Array.from(r.truth.sensors.imu!.quat));
    expect(simulate(sc, { rateHz: 10 }).blocks.imu![0]!.magUT).toBeDefined();
  });

  it('rejects bad options', () => {
    const sc = staticScenario();
    expect(() => simulate(sc, { rateHz: 0 })).toThrow(SimInputError);
    expect(() => simulate(sc, { seed: 1.5 })).toThrow(SimInputError);
    expect(() => simulate(sc, { blockSize: 0 })).toThrow(SimInputError);
    expect(() => simulate({ ...sc, durationS: undefined }, {})).toThrow(/durationS/);
    expect(() => simulate({ ...sc, sensors: [sc.sensors[0]!, sc.sensors[0]!] }, {})).toThrow(/duplicate/);
    expect(() => simulate({ ...sc, sensors: [{ ...sc.sensors[0]!, segment: 'nope' }] }, {})).toThrow(/unknown segment/);
  });
});
