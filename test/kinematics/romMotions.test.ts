import { describe, expect, it } from 'vitest';
import { shoulderAbductionScenario } from '../../src/sim/scenarios';
import { simulate } from '../../src/sim/simulate';
import { AngleInputError, UnknownBodyPartError } from '../../src/kinematics/angleErrors';
import { FLAG_PLANE_HELD, jointAnglesOverRecording } from '../../src/kinematics/jointAngleStage';
import { JOINTS } from '../../src/kinematics/joints';
import { AAOS_NORMAL_ROM_DEG } from '../../src/kinematics/norms';
import { ROM_MOTION_SOURCES, motionExcursionDeg } from '../../src/kinematics/romMotions';
import { romSummary } from '../../src/kinematics/romSummary';

const DEG = Math.PI / 180;

describe('ROM motions ↔ joint angles', () => {
  it('every AAOS motion has a source DoF on a known joint', () => {
    expect(Object.keys(ROM_MOTION_SOURCES).sort()).toEqual(Object.keys(AAOS_NORMAL_ROM_DEG).sort());
    for (const s of Object.values(ROM_MOTION_SOURCES)) expect(JOINTS[s.joint].dofs[s.dof]).toBeDefined();
  });

  it('signs: extension negates flexion, abduction negates adduction, bilateral takes |angle|', () => {
    const a = Float64Array.from([30 * DEG, -10 * DEG, -20 * DEG, -15 * DEG, 5 * DEG, 25 * DEG]);
    const out = new Float64Array(2);
    expect(Array.from(motionExcursionDeg('hip-flexion', a, out))).toEqual([expect.closeTo(30, 12), expect.closeTo(-15, 12)]);
    expect(Array.from(motionExcursionDeg('hip-extension', a, out))).toEqual([expect.closeTo(-30, 12), expect.closeTo(15, 12)]);
    expect(Array.from(motionExcursionDeg('hip-abduction', a, out))).toEqual([expect.closeTo(10, 12), expect.closeTo(-5, 12)]);
    expect(Array.from(motionExcursionDeg('cervical-rotation', a, out))).toEqual([expect.closeTo(20, 12), expect.closeTo(25, 12)]);
    expect(() => motionExcursionDeg('knee-bend', a, out)).toThrow(UnknownBodyPartError);
    expect(() => motionExcursionDeg('hip-flexion', a.subarray(0, 4), out)).toThrow(AngleInputError);
  });

  it('shoulder flexion ROM from a simulated sagittal-plane elevation; not counted as abduction', () => {
    const sc = shoulderAbductionScenario({ planeOfElevationDeg: 90, amplitudeDeg: 140, reps: 2 });
    const r = simulate(sc, { rateHz: 50 });
    const res = jointAnglesOverRecording(r.truth.segments['thorax']!.quat, r.truth.sensors['upperArm']!.quat, {
      joint: 'shoulder',
      proximal: { qSegSensor: [1, 0, 0, 0] },
      distal: { qSegSensor: sc.sensors[0]!.orientation! },
    });
    const n = r.truth.tS.length;
    const held = Uint8Array.from(res.flags, (f) => f & FLAG_PLANE_HELD);
    const flex = new Float64Array(n);
    const inFlex = new Uint8Array(n);
    motionExcursionDeg('shoulder-flexion', res.anglesRad, flex, inFlex, held);
    expect(inFlex.every((v) => v === 1)).toBe(true);
    const s = romSummary(r.truth.tS, flex, undefined, { motion: 'shoulder-flexion' });
    expect(s.maxDeg).toBeCloseTo(140, 6);
    expect(s.percentOfNormal).toBeCloseTo((100 * 140) / 180, 4);
    const inAbd = new Uint8Array(n);
    motionExcursionDeg('shoulder-abduction', res.anglesRad, new Float64Array(n), inAbd, held);
    for (let i = 0; i < n; i++) expect(inAbd[i]).toBe(held[i] ? 1 : 0);
  });
});
