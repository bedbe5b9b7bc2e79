import { describe, expect, it } from 'vitest';
import * as quat from '../../src/math/quat';
import { kneeFlexionScenario, shoulderAbductionScenario, uprightOrientation } from '../../src/sim/scenarios';
import { simulate } from '../../src/sim/simulate';
import { AngleInputError, UnknownBodyPartError } from '../../src/kinematics/angleErrors';
import { INCL_NOT_AT_REST, INCL_OUT_OF_PLANE, Inclinometer } from '../../src/kinematics/inclinometer';

const DEG = Math.PI / 180;
/** Noise off with the true mounts the angles are exact up to rounding (the issue asks for ≤ 0.1°). */
const TOL = 1e-9;

describe('Inclinometer against the simulator (noise off, known mount)', () => {
  for (const side of ['right', 'left'] as const) {
    it(`${side} standing knee flexion from the shank sensor equals knee flexion (thigh vertical)`, () => {
      const sc = kneeFlexionScenario({ side, reps: 2, mountErrorDeg: 8, facingDeg: 250 });
      const r = simulate(sc, { rateHz: 50 });
      const inc = new Inclinometer({ motion: 'knee-flexion', side, qSegSensor: sc.sensors[1]!.orientation! });
      const n = r.truth.tS.length;
      const out = new Float64Array(n);
      const flags = new Uint8Array(n);
      inc.updateArrays(r.truth.sensors['shank']!.quat, out, flags);
      const truth = r.truth.joints['knee']!.anglesRad['flexion']!;
      for (let i = 0; i < n; i++) {
        expect(Math.abs(out[i]! - truth[i]!)).toBeLessThan(TOL);
        expect(flags[i]).toBe(0);
      }
      expect(Math.max(...truth)).toBeGreaterThan(85 * DEG);
    });

    it(`${side} seated: hip flexion from the thigh sensor is 90°`, () => {
      const sc = kneeFlexionScenario({ side, posture: 'seated', reps: 1, mountErrorDeg: 8 });
      const r = simulate(sc, { rateHz: 20 });
      const inc = new Inclinometer({ motion: 'hip-flexion', side, qSegSensor: sc.sensors[0]!.orientation! });
      const out = inc.updateArrays(r.truth.sensors['thigh']!.quat, new Float64Array(r.truth.tS.length));
      for (const v of out) expect(Math.abs(v - 90 * DEG)).toBeLessThan(TOL);
    });

    it(`${side} shoulder abduction equals elevation up to 170°; the sagittal reading is flagged out of plane`, () => {
      const sc = shoulderAbductionScenario({ side, amplitudeDeg: 170, reps: 1, mountErrorDeg: 8, facingDeg: 75 });
      const r = simulate(sc, { rateHz: 50 });
      const q = r.truth.sensors['upperArm']!.quat;
      const n = r.truth.tS.length;
      const abd = new Inclinometer({ motion: 'shoulder-abduction', side, qSegSensor: sc.sensors[0]!.orientation! });
      const flx = new Inclinometer({ motion: 'shoulder-flexion', side, qSegSensor: sc.sensors[0]!.orientation! });
      const a = new Float64Array(n);
      const fa = new Uint8Array(n);
      abd.updateArrays(q, a, fa);
      const ff = new Uint8Array(n);
      flx.updateArrays(q, new Float64Array(n), ff);
      const elev = r.truth.joints['shoulder']!.anglesRad['elevation']!;
      for (let i = 0; i < n; i++) {
        expect(Math.abs(a[i]! - elev[i]!)).toBeLessThan(TOL);
        expect(fa[i]).toBe(0);
        expect(ff[i]).toBe(elev[i]! > 15 * DEG + 1e-9 && elev[i]! < 165 * DEG - 1e-9 ? INCL_OUT_OF_PLANE : 0);
      }
    });

    it(`${side} accelerometer at rest gives the same angle as the orientation`, () => {
      const sc = shoulderAbductionScenario({ side, amplitudeDeg: 120, reps: 1, mountErrorDeg: 8 });
      const r = simulate(sc, { rateHz: 50 });
      const st = r.truth.sensors['upperArm']!;
      const inc = new Inclinometer({ motion: 'shoulder-abduction', side, qSegSensor: sc.sensors[0]!.orientation! });
      let restSamples = 0;
      let movingFlagged = 0;
      for (let i = 0; i < st.tS.length; i++) {
        const acc = st.accMS2.subarray(3 * i, 3 * i + 3);
        const gyr = Math.hypot(st.gyrRadS[3 * i]!, st.gyrRadS[3 * i + 1]!, st.gyrRadS[3 * i + 2]!);
        const fromQ = inc.fromQuat(st.quat.subarray(4 * i, 4 * i + 4));
        const fromA = inc.fromAcc(acc);
        if (gyr === 0 && Math.abs(Math.hypot(acc[0]!, acc[1]!, acc[2]!) - 9.81) < 1e-9) {
          restSamples++;
          expect(Math.abs(fromA - fromQ)).toBeLessThan(1e-9);
          expect(inc.flags).toBe(0);
        } else if (inc.flags & INCL_NOT_AT_REST) movingFlagged++;
      }
      expect(restSamples).toBeGreaterThan(100);
      expect(movingFlagged).toBeGreaterThan(0);
    });
  }
});

describe('Inclinometer signs', () => {
  const up = uprightOrientation(30);
  const turned = (axis: number[], deg: number) => quat.multiply(quat.create(), up, quat.fromAxisAngle(quat.create(), axis, deg * DEG));
  const ID = [1, 0, 0, 0];

  it('shoulder flexion: arm swung forward about its +z is positive, up to 180° overhead, extension negative', () => {
    const inc = new Inclinometer({ motion: 'shoulder-flexion', qSegSensor: ID });
    expect(inc.fromQuat(turned([0, 0, 1], 120)) / DEG).toBeCloseTo(120, 9);
    expect(inc.fromQuat(turned([0, 0, 1], 180)) / DEG).toBeCloseTo(180, 9);
    expect(inc.fromQuat(turned([0, 0, 1], -40)) / DEG).toBeCloseTo(-40, 9);
    expect(inc.flags).toBe(0);
  });

  it('cervical flexion: head tipped forward is positive', () => {
    const inc = new Inclinometer({ motion: 'cervical-flexion', qSegSensor: ID });
    expect(inc.fromQuat(turned([0, 0, -1], 35)) / DEG).toBeCloseTo(35, 9);
    expect(inc.fromQuat(turned([0, 0, 1], 20)) / DEG).toBeCloseTo(-20, 9);
    // Then tilted 20° about its own x as well: the head's z leaves the horizontal by asin(sin 20° cos 35°), flagged.
    const q = quat.multiply(quat.create(), turned([0, 0, -1], 35), quat.fromAxisAngle(quat.create(), [1, 0, 0], 20 * DEG));
    inc.fromQuat(q);
    expect(inc.flags).toBe(INCL_OUT_OF_PLANE);
    expect(Math.abs(inc.outOfPlaneRad)).toBeCloseTo(Math.asin(Math.sin(20 * DEG) * Math.cos(35 * DEG)), 12);
  });

  it('rejects bad input', () => {
    expect(() => new Inclinometer({ motion: 'elbow-flexion' as never, qSegSensor: ID })).toThrow(UnknownBodyPartError);
    expect(() => new Inclinometer({ motion: 'hip-flexion', side: 'up' as never, qSegSensor: ID })).toThrow(UnknownBodyPartError);
    expect(() => new Inclinometer({ motion: 'hip-flexion', qSegSensor: [0, 0, 0, 0] })).toThrow(AngleInputError);
    expect(() => new Inclinometer({ motion: 'hip-flexion', qSegSensor: ID, outOfPlaneLimitDeg: 0 })).toThrow(AngleInputError);
    const inc = new Inclinometer({ motion: 'hip-flexion', qSegSensor: ID });
    expect(() => inc.fromAcc([0, 0, 0])).toThrow(AngleInputError);
    expect(() => inc.fromAcc([NaN, 9.81, 0])).toThrow(AngleInputError);
    expect(() => inc.fromQuat([NaN, 0, 0, 1])).toThrow(AngleInputError);
  });
});
