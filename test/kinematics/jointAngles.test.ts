import { describe, expect, it } from 'vitest';
import { quatFromEuler } from '../../src/math/euler';
import * as quat from '../../src/math/quat';
import { kneeFlexionScenario, shoulderAbductionScenario } from '../../src/sim/scenarios';
import { simulate, type SimulationResult } from '../../src/sim/simulate';
import { AngleInputError, UnknownBodyPartError } from '../../src/kinematics/angleErrors';
import {
  FLAG_NEAR_GIMBAL_LOCK,
  FLAG_PLANE_HELD,
  FLAG_PLANE_INITIAL,
  JointAngleStage,
  jointAnglesOverRecording,
} from '../../src/kinematics/jointAngleStage';

const DEG = Math.PI / 180;
const ID = new Float64Array([1, 0, 0, 0]);
/** Noise off with the true mounts the angles are exact up to rounding (the issue asks for ≤ 0.1°). */
const TOL = 1e-9;

function maxErr(a: Float64Array, k: number, truth: Float64Array): number {
  let m = 0;
  for (let i = 0; i < truth.length; i++) m = Math.max(m, Math.abs(a[3 * i + k]! - truth[i]!));
  return m;
}

function maxStep(a: Float64Array, k: number): number {
  let m = 0;
  for (let i = 3 + k; i < a.length; i += 3) m = Math.max(m, Math.abs(a[i]! - a[i - 3]!));
  return m;
}

describe('JointAngleStage — knee (simulator, noise off, known mounts)', () => {
  for (const side of ['right', 'left'] as const) {
    for (const posture of ['standing', 'seated'] as const) {
      it(`${side} ${posture}: flexion equals the simulator truth, other DoFs 0`, () => {
        const sc = kneeFlexionScenario({ side, posture, reps: 2, mountErrorDeg: 12, facingDeg: 130, seed: 3 });
        const r = simulate(sc, { rateHz: 50 });
        const stage = new JointAngleStage({
          joint: 'knee',
          side,
          proximal: { qSegSensor: sc.sensors[0]!.orientation! },
          distal: { qSegSensor: sc.sensors[1]!.orientation! },
        });
        const n = r.truth.tS.length;
        const out = new Float64Array(3 * n);
        stage.updateArrays(r.truth.sensors['thigh']!.quat, r.truth.sensors['shank']!.quat, out);
        const truth = r.truth.joints['knee']!.anglesRad['flexion']!;
        expect(maxErr(out, 0, truth)).toBeLessThan(TOL);
        expect(maxErr(out, 1, new Float64Array(n))).toBeLessThan(TOL);
        expect(maxErr(out, 2, new Float64Array(n))).toBeLessThan(TOL);
        // The fixture really flexes (guards against comparing zeros).
        expect(Math.max(...truth) - Math.min(...truth)).toBeGreaterThan(80 * DEG);
      });
    }
  }

  it('a wrong mount gives a wrong angle (the mount is really used)', () => {
    const sc = kneeFlexionScenario({ reps: 1, mountErrorDeg: 15 });
    const r = simulate(sc, { rateHz: 50 });
    const stage = new JointAngleStage({ joint: 'knee', proximal: { qSegSensor: sc.sensors[0]!.orientation! }, distal: { qSegSensor: ID } });
    const n = r.truth.tS.length;
    const out = new Float64Array(3 * n);
    stage.updateArrays(r.truth.sensors['thigh']!.quat, r.truth.sensors['shank']!.quat, out);
    expect(maxErr(out, 0, r.truth.joints['knee']!.anglesRad['flexion']!)).toBeGreaterThan(5 * DEG);
  });

  it('update() per sample equals updateArrays(), and reset() restarts', () => {
    const sc = kneeFlexionScenario({ reps: 1 });
    const r = simulate(sc, { rateHz: 20 });
    const p = { joint: 'knee' as const, proximal: { qSegSensor: sc.sensors[0]!.orientation! }, distal: { qSegSensor: sc.sensors[1]!.orientation! } };
    const a = new JointAngleStage(p);
    const b = new JointAngleStage(p);
    const qa = r.truth.sensors['thigh']!.quat;
    const qb = r.truth.sensors['shank']!.quat;
    const n = qa.length / 4;
    const arr = new Float64Array(3 * n);
    a.updateArrays(qa, qb, arr);
    const o = new Float64Array(3);
    for (let i = 0; i < n; i++) {
      b.update(qa.subarray(4 * i, 4 * i + 4), qb.subarray(4 * i, 4 * i + 4), o);
      expect(Array.from(o)).toEqual(Array.from(arr.subarray(3 * i, 3 * i + 3)));
    }
    a.reset();
    expect(a.update(qa.subarray(0, 4), qb.subarray(0, 4), o)[0]).toBe(arr[0]);
  });

  it('a common heading change of both sensors does not change the angles; a heading offset corrects one sensor', () => {
    const h = 1.3;
    const qz = quat.fromAxisAngle(quat.create(), [0, 0, 1], h);
    const thigh = quat.fromAxisAngle(quat.create(), [0.2, 0.1, 1], 0.4);
    const shank = quat.multiply(quat.create(), thigh, quat.fromAxisAngle(quat.create(), [0, 0, -1], 0.9));
    const st = new JointAngleStage({ joint: 'knee', proximal: { qSegSensor: ID }, distal: { qSegSensor: ID } });
    const ref = Array.from(st.update(thigh, shank, new Float64Array(3)));
    expect(ref[0]).toBeCloseTo(0.9, 12);
    st.reset();
    const rotated = Array.from(st.update(quat.multiply(quat.create(), qz, thigh), quat.multiply(quat.create(), qz, shank), new Float64Array(3)));
    rotated.forEach((v, k) => expect(v).toBeCloseTo(ref[k]!, 12));
    // Distal sensor's heading drifted by −h; the calibration's heading offset +h undoes it.
    const drifted = quat.multiply(quat.create(), quat.fromAxisAngle(quat.create(), [0, 0, 1], -h), shank);
    const st2 = new JointAngleStage({ joint: 'knee', proximal: { qSegSensor: ID }, distal: { qSegSensor: ID, headingOffsetRad: h } });
    Array.from(st2.update(thigh, drifted, new Float64Array(3))).forEach((v, k) => expect(v).toBeCloseTo(ref[k]!, 12));
  });

  it('unwraps the first and third angles across ±180°', () => {
    const st = new JointAngleStage({ joint: 'hip', proximal: { qSegSensor: ID }, distal: { qSegSensor: ID } });
    const o = new Float64Array(3);
    const q = quat.create();
    let prev = 0;
    for (let a = 150; a <= 230; a += 5) {
      st.update(ID, quatFromEuler(q, 'ZXY', 0.1, 0.05, a * DEG), o);
      expect(o[2]! / DEG).toBeCloseTo(a, 9);
      if (a > 150) expect(Math.abs(o[2]! - prev)).toBeLessThan(6 * DEG);
      prev = o[2]!;
    }
  });

  it('propagates the sensor orientation uncertainty to a per-angle bound; flags Z-X-Y gimbal lock', () => {
    const st = new JointAngleStage({
      joint: 'hip',
      proximal: { qSegSensor: ID, orientationUncertaintyRad: 1 * DEG },
      distal: { qSegSensor: ID, orientationUncertaintyRad: 2 * DEG },
    });
    const o = new Float64Array(3);
    st.update(ID, quatFromEuler(quat.create(), 'ZXY', 0.3, 0, 0.2), o);
    expect(Array.from(st.uncertaintyRad, (v) => v / DEG)).toEqual([expect.closeTo(3, 9), expect.closeTo(3, 9), expect.closeTo(3, 9)]);
    expect(st.flags).toBe(0);
    st.update(ID, quatFromEuler(quat.create(), 'ZXY', 0.3, 60 * DEG, 0.2), o);
    expect(st.uncertaintyRad[0]! / DEG).toBeCloseTo(6, 9); // 3° / cos 60°
    expect(st.uncertaintyRad[2]! / DEG).toBeCloseTo(3 * (1 + Math.tan(60 * DEG)), 9);
    st.update(ID, quatFromEuler(quat.create(), 'ZXY', 0.3, 85 * DEG, 0.2), o);
    expect(st.flags & FLAG_NEAR_GIMBAL_LOCK).toBeTruthy();
  });

  it('rejects bad input with typed errors', () => {
    const ok = { qSegSensor: ID };
    expect(() => new JointAngleStage({ joint: 'knees' as never, proximal: ok, distal: ok })).toThrow(UnknownBodyPartError);
    expect(() => new JointAngleStage({ joint: 'knee', side: 'middle' as never, proximal: ok, distal: ok })).toThrow(UnknownBodyPartError);
    expect(() => new JointAngleStage({ joint: 'knee', proximal: { qSegSensor: [1, 0, 0, 0.5] }, distal: ok })).toThrow(AngleInputError);
    expect(() => new JointAngleStage({ joint: 'knee', proximal: ok, distal: { qSegSensor: ID, orientationUncertaintyRad: -1 } })).toThrow(AngleInputError);
    expect(() => new JointAngleStage({ joint: 'knee', proximal: ok, distal: ok, gimbalHoldDeg: 60 })).toThrow(AngleInputError);
    const st = new JointAngleStage({ joint: 'knee', proximal: ok, distal: ok });
    const o = new Float64Array(3);
    expect(() => st.update([NaN, 0, 0, 0], ID, o)).toThrow(AngleInputError);
    expect(() => st.update(ID, [0, 0, 0, 0], o)).toThrow(AngleInputError);
    expect(() => st.updateArrays(new Float64Array(8), new Float64Array(4), new Float64Array(6))).toThrow(/aligned/);
    expect(() => st.updateArrays(new Float64Array(6), new Float64Array(6), new Float64Array(6))).toThrow(AngleInputError);
  });
});

describe('JointAngleStage — shoulder Y-X-Y (simulator)', () => {
  const runs = new Map<string, { sc: ReturnType<typeof shoulderAbductionScenario>; r: SimulationResult }>();
  function sim(side: 'left' | 'right', plane: number) {
    const key = `${side}${plane}`;
    if (!runs.has(key)) {
      const sc = shoulderAbductionScenario({ side, planeOfElevationDeg: plane, amplitudeDeg: 175, reps: 2, mountErrorDeg: 10, facingDeg: 40 });
      runs.set(key, { sc, r: simulate(sc, { rateHz: 50 }) });
    }
    return runs.get(key)!;
  }
  const params = (side: 'left' | 'right', sc: ReturnType<typeof shoulderAbductionScenario>) => ({
    joint: 'shoulder' as const,
    side,
    proximal: { qSegSensor: ID },
    distal: { qSegSensor: sc.sensors[0]!.orientation! },
  });

  for (const side of ['right', 'left'] as const) {
    for (const plane of [0, 30, 90]) {
      it(`${side}, plane ${plane}°, elevation 0 → 175°: offline angles equal truth, no jumps`, () => {
        const { sc, r } = sim(side, plane);
        // The thorax carries no sensor in this scenario: its true segment orientation is the proximal input.
        const res = jointAnglesOverRecording(r.truth.segments['thorax']!.quat, r.truth.sensors['upperArm']!.quat, params(side, sc));
        const T = r.truth.joints['shoulder']!.anglesRad;
        expect(maxErr(res.anglesRad, 0, T['planeOfElevation']!)).toBeLessThan(TOL);
        expect(maxErr(res.anglesRad, 1, T['elevation']!)).toBeLessThan(TOL);
        expect(maxErr(res.anglesRad, 2, T['axialRotation']!)).toBeLessThan(TOL);
        expect(Math.max(...T['elevation']!)).toBeGreaterThan(174 * DEG);
        expect(Math.min(...T['elevation']!)).toBe(0);
        // 50 Hz, 175° in 2 s: no step anywhere larger than a few degrees in any angle.
        for (let k = 0; k < 3; k++) expect(maxStep(res.anglesRad, k)).toBeLessThan(5 * DEG);
        // Held near 0° and near 175° (within 10° of 180°), and nowhere else.
        let held = 0;
        for (let i = 0; i < res.flags.length; i++) {
          const e = T['elevation']![i]!;
          const isHeld = (res.flags[i]! & FLAG_PLANE_HELD) !== 0;
          expect(isHeld).toBe(e <= 10 * DEG + 1e-9 || e >= 170 * DEG - 1e-9);
          if (isHeld) {
            held++;
            expect(res.uncertaintyRad[3 * i]).toBe(Math.PI);
          }
          expect(res.flags[i]! & FLAG_PLANE_INITIAL).toBe(0);
        }
        expect(held).toBeGreaterThan(10);
      });
    }
  }

  it('streaming: holds the initial plane before the arm leaves the lock region, flags it, then tracks truth', () => {
    const { sc, r } = sim('right', 90);
    const stage = new JointAngleStage(params('right', sc));
    const n = r.truth.tS.length;
    const out = new Float64Array(3 * n);
    const flags = new Uint8Array(n);
    stage.updateArrays(r.truth.segments['thorax']!.quat, r.truth.sensors['upperArm']!.quat, out, undefined, flags);
    const T = r.truth.joints['shoulder']!.anglesRad;
    let firstDefined = -1;
    for (let i = 0; i < n; i++) {
      if (firstDefined < 0 && !(flags[i]! & FLAG_PLANE_INITIAL)) firstDefined = i;
      if (firstDefined < 0) {
        expect(flags[i]! & FLAG_PLANE_HELD).toBeTruthy();
        expect(out[3 * i]).toBe(0); // the default initial plane
        // Plane + axial rotation still reproduce the rotation: their sum is the true sum.
        expect(out[3 * i]! + out[3 * i + 2]!).toBeCloseTo(T['planeOfElevation']![i]! + T['axialRotation']![i]!, 9);
      } else {
        expect(Math.abs(out[3 * i]! - T['planeOfElevation']![i]!)).toBeLessThan(TOL);
        expect(Math.abs(out[3 * i + 1]! - T['elevation']![i]!)).toBeLessThan(TOL);
        expect(Math.abs(out[3 * i + 2]! - T['axialRotation']![i]!)).toBeLessThan(TOL);
      }
    }
    expect(firstDefined).toBeGreaterThan(0);
  });

  it('plane-of-elevation uncertainty grows as elevation approaches 0°', () => {
    const st = new JointAngleStage({ joint: 'shoulder', proximal: { qSegSensor: ID, orientationUncertaintyRad: 1 * DEG }, distal: { qSegSensor: ID, orientationUncertaintyRad: 1 * DEG } });
    const o = new Float64Array(3);
    let prev = 0;
    for (const e of [150, 90, 45, 20, 11]) {
      st.update(ID, quatFromEuler(quat.create(), 'YXY', 0.5, -e * DEG, 0.1), o);
      expect(o[1]! / DEG).toBeCloseTo(e, 9);
      expect(st.flags).toBe(0);
      if (e < 90) expect(st.uncertaintyRad[0]!).toBeGreaterThan(prev);
      if (e === 150) expect(st.uncertaintyRad[0]! / DEG).toBeCloseTo(4, 9); // 2° / sin 150°
      prev = st.uncertaintyRad[0]!;
    }
    expect(prev / DEG).toBeCloseTo(2 / Math.sin(11 * DEG), 9);
    st.update(ID, quatFromEuler(quat.create(), 'YXY', 0.5, -5 * DEG, 0.1), o);
    expect(st.flags).toBe(FLAG_PLANE_HELD);
    expect(o[0]).toBeCloseTo(0.5, 12); // last well-defined plane
    expect(o[2]).toBeCloseTo(0.1, 9);
  });
});
