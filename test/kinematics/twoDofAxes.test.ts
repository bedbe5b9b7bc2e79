import { describe, expect, it } from 'vitest';
import { Vqf } from '../../src/fusion/vqf';
import { CalibrationInputError } from '../../src/kinematics/hingeAxis';
import { estimateTwoDofAxes } from '../../src/kinematics/twoDofAxes';
import * as quat from '../../src/math/quat';
import { concatBlocks } from '../../src/samples/block';
import { Body } from '../../src/sim/body';
import { AxisSequenceOrientation } from '../../src/sim/pose';
import { simulate, type Scenario } from '../../src/sim/simulate';
import { ConstantTrajectory, SinusoidTrajectory } from '../../src/sim/trajectory';
import { DEG, axisErrDeg } from './calibrationHelpers';

const M1 = quat.normalize(quat.create(), quat.fromValues(0.8, 0.3, -0.4, 0.2));
const M2 = quat.normalize(quat.create(), quat.fromValues(0.5, -0.6, 0.1, 0.55));

/**
 * Elbow + forearm: upper arm swinging (3 sinusoids), forearm on a 2-DoF joint — flexion about
 * the upper arm's z, then pronation about the forearm's y — with arbitrary sensor mounts.
 */
function elbowScenario(opts: { pronationDeg?: number; upperArmDeg?: number; noise?: 'consumer'; softTissue?: boolean; durationS?: number } = {}): Scenario {
  const ua = (opts.upperArmDeg ?? 30) * DEG;
  const body = new Body([
    {
      name: 'upperArm',
      orientation: new AxisSequenceOrientation({
        axes: [[0, 0, 1], [1, 0, 0], [0, 1, 0]],
        angles: [
          new SinusoidTrajectory({ amplitude: ua, frequencyHz: 0.21 }),
          new SinusoidTrajectory({ amplitude: ua, frequencyHz: 0.33, phaseRad: 1 }),
          new SinusoidTrajectory({ amplitude: ua, frequencyHz: 0.27, phaseRad: 2 }),
        ],
      }),
      position: [0, 0, 1.4],
    },
    {
      name: 'forearm',
      parent: 'upperArm',
      jointName: 'elbow',
      jointPositionM: [0, -0.3, 0],
      joint: {
        type: 'two-dof',
        axes: [[0, 0, 1], [0, 1, 0]],
        angles: [
          new SinusoidTrajectory({ amplitude: 50 * DEG, frequencyHz: 0.4, offset: 60 * DEG }),
          opts.pronationDeg === 0 ? new ConstantTrajectory(0) : new SinusoidTrajectory({ amplitude: (opts.pronationDeg ?? 60) * DEG, frequencyHz: 0.17 }),
        ],
        dofNames: ['flexion', 'pronation'],
      },
    },
  ]);
  const common = { errors: opts.noise ?? ('ideal' as const), ...(opts.softTissue ? { softTissue: true } : {}) };
  return {
    body,
    sensors: [
      { id: 'upper', segment: 'upperArm', positionM: [0, -0.15, 0.04], orientation: M1, ...common },
      { id: 'fore', segment: 'forearm', positionM: [0, -0.15, 0.03], orientation: M2, ...common },
    ],
    durationS: opts.durationS ?? 40,
  };
}

const TRUE_J1 = quat.rotateInverse(new Float64Array(3), M1, [0, 0, 1]);
const TRUE_J2 = quat.rotateInverse(new Float64Array(3), M2, [0, 1, 0]);

describe('estimateTwoDofAxes (elbow flexion + pronation)', () => {
  it('noise off, true orientations (heading-consistent): axes within 0.1°, δ ≈ 0', () => {
    const r = simulate(elbowScenario(), { rateHz: 50 });
    const res = estimateTwoDofAxes(r.truth.sensors['upper']!.quat, r.truth.sensors['fore']!.quat, { j1Hint: TRUE_J1, j2Hint: TRUE_J2 });
    expect(res.quality).toBe('good');
    expect(axisErrDeg(res.j1, TRUE_J1)).toBeLessThan(0.1);
    expect(axisErrDeg(res.j2, TRUE_J2)).toBeLessThan(0.1);
    expect(Math.abs(res.deltaRad)).toBeLessThan(0.1 * DEG);
    expect(res.residual).toBeLessThan(1e-6);
    expect(res.j1[0]! * TRUE_J1[0]! + res.j1[1]! * TRUE_J1[1]! + res.j1[2]! * TRUE_J1[2]!).toBeGreaterThan(0.99);
  });

  it('noise off, sensor 2 in a frame rotated 50° in heading: δ recovered', () => {
    const r = simulate(elbowScenario(), { rateHz: 50 });
    const q2 = Float64Array.from(r.truth.sensors['fore']!.quat);
    const qz = quat.fromAxisAngle(quat.create(), [0, 0, 1], -50 * DEG), t = quat.create();
    for (let i = 0; i < q2.length / 4; i++) quat.writeAt(q2, i, quat.multiply(t, qz, quat.readAt(t, q2, i)));
    const res = estimateTwoDofAxes(r.truth.sensors['upper']!.quat, q2);
    expect(res.quality).toBe('good');
    expect(res.deltaRad / DEG).toBeCloseTo(50, 2);
    expect(axisErrDeg(res.j1, TRUE_J1)).toBeLessThan(0.1);
    expect(axisErrDeg(res.j2, TRUE_J2)).toBeLessThan(0.1);
  });

  it('consumer noise + wobble, independent 6D VQF orientations: axes within 3°', () => {
    const r = simulate(elbowScenario({ noise: 'consumer', softTissue: true }), { rateHz: 100 });
    const qs = ['upper', 'fore'].map((id) => {
      const b = concatBlocks(r.blocks[id]!).block;
      const q = new Float64Array(4 * b.tS.length);
      new Vqf({ magEnabled: false }, { rateHz: 100 }).updateBlock(b, q);
      return q.subarray(4 * 500); // after 5 s of convergence
    });
    const res = estimateTwoDofAxes(qs[0]!, qs[1]!);
    console.log(`2-DoF noisy: j1 ${axisErrDeg(res.j1, TRUE_J1).toFixed(2)}°, j2 ${axisErrDeg(res.j2, TRUE_J2).toFixed(2)}°, ${res.quality}, σ ${res.j1UncertaintyDeg.toFixed(2)}/${res.j2UncertaintyDeg.toFixed(2)}/${res.deltaUncertaintyDeg.toFixed(2)}°, residual ${res.residual.toFixed(4)}`);
    expect(res.quality).not.toBe('failed');
    expect(axisErrDeg(res.j1, TRUE_J1)).toBeLessThan(3);
    expect(axisErrDeg(res.j2, TRUE_J2)).toBeLessThan(3);
  });

  it('pronation never used and upper arm still → not good (axes unobservable)', () => {
    const r = simulate(elbowScenario({ pronationDeg: 0, upperArmDeg: 0 }), { rateHz: 50 });
    const res = estimateTwoDofAxes(r.truth.sensors['upper']!.quat, r.truth.sensors['fore']!.quat);
    console.log(`2-DoF unexcited: ${res.quality} ${res.reason}`);
    expect(res.quality).not.toBe('good');
    expect(res.reason).toMatch(/observable|uncertain/);
  });

  it('bad input', () => {
    expect(() => estimateTwoDofAxes(new Float64Array(8), new Float64Array(12))).toThrow(CalibrationInputError);
    expect(() => estimateTwoDofAxes(new Float64Array(7), new Float64Array(7))).toThrow(CalibrationInputError);
    const res = estimateTwoDofAxes(new Float64Array(8).fill(NaN), new Float64Array(8).fill(NaN));
    expect(res.quality).toBe('failed');
  });
});
