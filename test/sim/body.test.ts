import { describe, expect, it } from 'vitest';
import * as quat from '../../src/math/quat';
import { Body } from '../../src/sim/body';
import { quatFromAxes } from '../../src/sim/motion';
import { SimInputError } from '../../src/sim/sim-error';
import { simulate } from '../../src/sim/simulate';
import { ConstantTrajectory, SinusoidTrajectory } from '../../src/sim/trajectory';
import { maxAbsDiff } from './helpers';

describe('Body', () => {
  it('rejects malformed chains', () => {
    const c = new ConstantTrajectory(0);
    expect(() => new Body([])).toThrow(SimInputError);
    expect(() => new Body([{ name: 'a', parent: 'x' }])).toThrow(/root/);
    expect(() => new Body([{ name: 'a' }, { name: 'b' }])).toThrow(/root/);
    expect(() => new Body([{ name: 'a' }, { name: 'b', parent: 'c' }])).toThrow(/parent 'c'/);
    expect(() => new Body([{ name: 'a' }, { name: 'a', parent: 'a' }])).toThrow(/duplicate/);
    expect(() => new Body([{ name: 'a' }, { name: 'b', parent: 'a', joint: { type: 'hinge', axis: [0, 0, 0], angle: c } }])).toThrow(/non-zero/);
    expect(() => new Body([{ name: 'a' }, { name: 'b', parent: 'a', orientation: [1, 0, 0, 0] }])).toThrow(/root/);
    expect(() => new Body([{ name: 'a', orientation: [0, 0, 0, 0] }])).toThrow(SimInputError);
    expect(() => new Body([{ name: 'a' }]).segmentIndex('b')).toThrow(/unknown segment/);
  });

  it('a 2-DoF joint applies its axes in order (intrinsic) and reports each angle', () => {
    const a1 = 0.7, a2 = -0.4;
    const body = new Body([
      { name: 'p' },
      {
        name: 'c',
        parent: 'p',
        jointName: 'j',
        joint: { type: 'two-dof', axes: [[0, 0, 1], [1, 0, 0]], angles: [new ConstantTrajectory(a1), new ConstantTrajectory(a2)], dofNames: ['flex', 'abd'] },
        offset: quat.fromAxisAngle(quat.create(), [0, 1, 0], 0.3),
      },
    ]);
    const { truth } = simulate({ body, sensors: [], durationS: 0.05 }, { rateHz: 100 });
    const j = truth.joints.j!;
    expect(j.dofNames).toEqual(['flex', 'abd']);
    expect(j.anglesRad.flex![0]).toBe(a1);
    expect(j.anglesRad.abd![0]).toBe(a2);
    const expected = quat.multiply(
      quat.create(),
      quat.multiply(quat.create(), quat.fromAxisAngle(quat.create(), [0, 0, 1], a1), quat.fromAxisAngle(quat.create(), [1, 0, 0], a2)),
      quat.fromAxisAngle(quat.create(), [0, 1, 0], 0.3),
    );
    expect(quat.equalsRotation(j.relativeQuat.subarray(0, 4), expected, 1e-12)).toBe(true);
  });

  it('child origins follow the chain: joint positions rotate with their parents', () => {
    const body = new Body([
      { name: 'thigh', orientation: quat.fromAxisAngle(quat.create(), [1, 0, 0], Math.PI / 2), position: [0, 0, 1] },
      { name: 'shank', parent: 'thigh', jointPositionM: [0, -0.4, 0], joint: { type: 'hinge', axis: [0, 0, 1], angle: new SinusoidTrajectory({ amplitude: 1, frequencyHz: 1 }) } },
      { name: 'foot', parent: 'shank', jointPositionM: [0, -0.4, 0] },
    ]);
    const state = body.evaluate(0, body.createState());
    // Thigh y axis points along global z; the shank (hinge angle 0 at t = 0) continues it.
    expect(maxAbsDiff(state.posM.subarray(3, 6), [0, 0, 0.6])).toBeLessThan(1e-12);
    expect(maxAbsDiff(state.posM.subarray(6, 9), [0, 0, 0.2])).toBeLessThan(1e-12);
    expect(body.joints.map((j) => j.name)).toEqual(['thigh-shank', 'shank-foot']);
  });
});

describe('quatFromAxes', () => {
  it('builds the rotation whose columns are the given axes', () => {
    const q = quatFromAxes([0, 1, 0], [-1, 0, 0], [0, 0, 1]);
    expect(quat.equalsRotation(q, quat.fromAxisAngle(quat.create(), [0, 0, 1], Math.PI / 2), 1e-15)).toBe(true);
    const r = quat.fromAxisAngle(quat.create(), [1, -2, 0.5], 2.9);
    const cols = [[1, 0, 0], [0, 1, 0], [0, 0, 1]].map((e) => quat.rotate(new Float64Array(3), r, e));
    expect(quat.equalsRotation(quatFromAxes(cols[0]!, cols[1]!, cols[2]!), r, 1e-14)).toBe(true);
  });

  it('rejects non-orthonormal or left-handed axes', () => {
    expect(() => quatFromAxes([1, 0, 0], [0, 1, 0], [0, 0, -1])).toThrow(SimInputError);
    expect(() => quatFromAxes([1, 0, 0], [1, 1, 0], [0, 0, 1])).toThrow(SimInputError);
  });
});
