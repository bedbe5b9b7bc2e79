import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quatFromEuler } from '../../src/math/euler';
import * as quat from '../../src/math/quat';
import { Body } from '../../src/sim/body';
import { ConstantTrajectory, SinusoidTrajectory } from '../../src/sim/trajectory';
import { UnknownBodyPartError } from '../../src/kinematics/angleErrors';
import { SEGMENTS, SEGMENT_NAMES } from '../../src/kinematics/body';
import { JOINTS, JOINT_NAMES, angleColumnNames, jointDef } from '../../src/kinematics/joints';
import { jointAnglesFromQuats, segmentQuatFromSensor } from '../../src/kinematics/jointAngles';
import { real, unitQuat } from '../math/arbitraries';

const DEG = Math.PI / 180;
const out = new Float64Array(3);

describe('body model', () => {
  it('has the nine ISB segments and eight joints between known segments', () => {
    expect([...SEGMENT_NAMES].sort()).toEqual(['foot', 'forearm', 'hand', 'head', 'pelvis', 'shank', 'thigh', 'thorax', 'upperArm']);
    for (const j of JOINT_NAMES) {
      const d = JOINTS[j];
      expect(SEGMENTS[d.proximal]).toBeDefined();
      expect(SEGMENTS[d.distal]).toBeDefined();
      expect(d.sequence).toBe(j === 'shoulder' ? 'YXY' : 'ZXY');
      expect(d.lateral).toBe(!(j === 'trunk' || j === 'neck'));
    }
  });

  it('names columns with units and rejects unknown joints', () => {
    expect(angleColumnNames('knee')).toEqual(['flexion_deg', 'adduction_deg', 'rotation_deg']);
    expect(angleColumnNames('shoulder')).toEqual(['planeOfElevation_deg', 'elevation_deg', 'rotation_deg']);
    expect(angleColumnNames('elbow')).toEqual(['flexion_deg', 'carryingAngle_deg', 'pronation_deg']);
    expect(() => jointDef('toString')).toThrow(UnknownBodyPartError);
    expect(() => jointDef('kne')).toThrow(/unknown joint 'kne'/);
  });
});

describe('jointAnglesFromQuats sign conventions', () => {
  it('hip (right): Z-X-Y angles are flexion, adduction, internal rotation with sign +1', () => {
    const rel = quatFromEuler(quat.create(), 'ZXY', 30 * DEG, 10 * DEG, 20 * DEG);
    const pelvis = quat.fromAxisAngle(quat.create(), [0.3, 1, -0.2], 1.1);
    const thigh = quat.multiply(quat.create(), pelvis, rel);
    jointAnglesFromQuats(out, pelvis, thigh, JOINTS.hip, 'right');
    expect(out[0]! / DEG).toBeCloseTo(30, 10);
    expect(out[1]! / DEG).toBeCloseTo(10, 10);
    expect(out[2]! / DEG).toBeCloseTo(20, 10);
  });

  it('hip flexion swings the thigh anteriorly; knee flexion swings the shank posteriorly', () => {
    const id = quat.create();
    // Thigh turned +30° about z: its distal end (−y) goes to +x (anterior).
    const thigh = quat.fromAxisAngle(quat.create(), [0, 0, 1], 30 * DEG);
    expect(quat.rotate(new Float64Array(3), thigh, [0, -1, 0])[0]).toBeGreaterThan(0);
    expect(jointAnglesFromQuats(out, id, thigh, JOINTS.hip, 'right')[0]! / DEG).toBeCloseTo(30, 10);
    // Shank turned about −z: distal end goes posterior → knee flexion +.
    const shank = quat.fromAxisAngle(quat.create(), [0, 0, -1], 40 * DEG);
    expect(quat.rotate(new Float64Array(3), shank, [0, -1, 0])[0]).toBeLessThan(0);
    expect(jointAnglesFromQuats(out, id, shank, JOINTS.knee, 'right')[0]! / DEG).toBeCloseTo(40, 10);
    // Head tipped forward (top goes anterior) → neck flexion +.
    const head = quat.fromAxisAngle(quat.create(), [0, 0, -1], 25 * DEG);
    expect(quat.rotate(new Float64Array(3), head, [0, 1, 0])[0]).toBeGreaterThan(0);
    expect(jointAnglesFromQuats(out, id, head, JOINTS.neck, 'left')[0]! / DEG).toBeCloseTo(25, 10);
    // Right shank's distal end moving medially (−z) = adduction (varus) +.
    const varus = quat.fromAxisAngle(quat.create(), [1, 0, 0], 5 * DEG);
    expect(quat.rotate(new Float64Array(3), varus, [0, -1, 0])[2]).toBeLessThan(0);
    expect(jointAnglesFromQuats(out, id, varus, JOINTS.knee, 'right')[1]! / DEG).toBeCloseTo(5, 10);
    // Left shank: medial is +z, so the mirrored rotation is the varus one.
    const varusL = quat.fromAxisAngle(quat.create(), [-1, 0, 0], 5 * DEG);
    expect(jointAnglesFromQuats(out, id, varusL, JOINTS.knee, 'left')[1]! / DEG).toBeCloseTo(5, 10);
  });

  it('shoulder: ISB Y-X(−)-Y rotation gives plane, elevation ≥ 0, axial rotation', () => {
    const id = quat.create();
    const arm = quatFromEuler(quat.create(), 'YXY', 40 * DEG, -120 * DEG, 15 * DEG);
    jointAnglesFromQuats(out, id, arm, JOINTS.shoulder, 'right');
    expect(Array.from(out, (v) => v / DEG)).toEqual([expect.closeTo(40, 9), expect.closeTo(120, 9), expect.closeTo(15, 9)]);
    // Plane 0 raises the right arm laterally (+z), plane 90 anteriorly (+x).
    const abd = quatFromEuler(quat.create(), 'YXY', 0, -90 * DEG, 0);
    expect(quat.rotate(new Float64Array(3), abd, [0, -1, 0])[2]).toBeCloseTo(1, 12);
    const flex = quatFromEuler(quat.create(), 'YXY', 90 * DEG, -90 * DEG, 0);
    expect(quat.rotate(new Float64Array(3), flex, [0, -1, 0])[0]).toBeCloseTo(1, 12);
  });

  it('a left joint gives the same clinical angles as the mirror-image right joint (all lateral joints)', () => {
    fc.assert(
      fc.property(unitQuat, unitQuat, fc.constantFrom(...JOINT_NAMES.filter((j) => JOINTS[j].lateral)), (qp, rel, j) => {
        const qd = quat.multiply(quat.create(), qp, rel);
        const right = Array.from(jointAnglesFromQuats(new Float64Array(3), qp, qd, JOINTS[j], 'right'));
        // Mirror image through the sagittal plane: every rotation maps as (w, x, y, z) → (w, −x, −y, z).
        const relM = quat.fromValues(rel[0]!, -rel[1]!, -rel[2]!, rel[3]!);
        const qpM = quat.fromValues(qp[0]!, -qp[1]!, -qp[2]!, qp[3]!);
        const qdM = quat.multiply(quat.create(), qpM, relM);
        const left = Array.from(jointAnglesFromQuats(new Float64Array(3), qpM, qdM, JOINTS[j], 'left'));
        for (let k = 0; k < 3; k++) expect(Math.abs(Math.sin(0.5 * (left[k]! - right[k]!)))).toBeLessThan(1e-9);
      }),
      { numRuns: 200 },
    );
  });

  it('midline joints ignore the side', () => {
    fc.assert(
      fc.property(unitQuat, unitQuat, (a, b) => {
        const r = Array.from(jointAnglesFromQuats(new Float64Array(3), a, b, JOINTS.trunk, 'right'));
        const l = Array.from(jointAnglesFromQuats(new Float64Array(3), a, b, JOINTS.trunk, 'left'));
        expect(l).toEqual(r);
      }),
      { numRuns: 100 },
    );
  });

  it('angles reproduce the relative rotation (round trip through the sequence and signs)', () => {
    fc.assert(
      fc.property(unitQuat, real(-170, 170), real(-80, 80), real(-170, 170), fc.constantFrom('hip', 'knee', 'elbow', 'neck'), (qp, a1, a2, a3, j) => {
        const def = JOINTS[j as 'hip'];
        const raw = quatFromEuler(quat.create(), 'ZXY', a1 * DEG, a2 * DEG, a3 * DEG);
        const qd = quat.multiply(quat.create(), qp, raw);
        jointAnglesFromQuats(out, qp, qd, def, 'right');
        expect(out[0]! / DEG).toBeCloseTo(def.dofs[0].sign * a1, 6);
        expect(out[1]! / DEG).toBeCloseTo(def.dofs[1].sign * a2, 6);
        expect(out[2]! / DEG).toBeCloseTo(def.dofs[2].sign * a3, 6);
      }),
      { numRuns: 200 },
    );
  });

  it('hip angles from a simulated left and right hip agree (simulator mirrored axes)', () => {
    const angles = [new SinusoidTrajectory({ amplitude: 0.8, frequencyHz: 0.3, offset: 0.3 }), new SinusoidTrajectory({ amplitude: 0.2, frequencyHz: 0.5 }), new ConstantTrajectory(0.25)] as const;
    const make = (s: 1 | -1) =>
      new Body([
        { name: 'pelvis', orientation: quat.fromAxisAngle(quat.create(), [0, 0, 1], 0.7) },
        { name: 'thigh', parent: 'pelvis', jointName: 'hip', joint: { type: 'ball', axes: [[0, 0, 1], [s, 0, 0], [0, s, 0]], angles: angles as never } },
      ]);
    const right = make(1);
    const left = make(-1);
    const sr = right.createState();
    const sl = left.createState();
    const a = new Float64Array(3);
    const b = new Float64Array(3);
    for (let t = 0; t < 4; t += 0.37) {
      right.evaluate(t, sr);
      left.evaluate(t, sl);
      jointAnglesFromQuats(a, sr.q.subarray(0, 4), sr.q.subarray(4, 8), JOINTS.hip, 'right');
      jointAnglesFromQuats(b, sl.q.subarray(0, 4), sl.q.subarray(4, 8), JOINTS.hip, 'left');
      for (let k = 0; k < 3; k++) {
        expect(a[k]).toBeCloseTo(sr.dofRad[k]!, 10);
        expect(b[k]).toBeCloseTo(a[k]!, 10);
      }
    }
  });

  it('segmentQuatFromSensor undoes the mount and applies the heading offset about vertical', () => {
    fc.assert(
      fc.property(unitQuat, unitQuat, real(-3, 3), (qSeg, mount, h) => {
        const qGS = quat.multiply(quat.create(), qSeg, mount); // q_G,S = q_G,seg ⊗ q_seg,S
        const back = segmentQuatFromSensor(quat.create(), qGS, mount);
        expect(quat.distanceRad(back, qSeg)).toBeLessThan(1e-9);
        const withH = segmentQuatFromSensor(quat.create(), qGS, mount, h);
        const expected = quat.multiply(quat.create(), quat.fromAxisAngle(quat.create(), [0, 0, 1], h), qSeg);
        expect(quat.distanceRad(withH, expected)).toBeLessThan(1e-9);
      }),
      { numRuns: 100 },
    );
  });
});
