/**
 * The simulator against closed-form truth, noise off: every comparison at ≤ 1e-9.
 */
import { describe, expect, it } from 'vitest';
import * as quat from '../../src/math/quat';
import * as vec3 from '../../src/math/vec3';
import { Body } from '../../src/sim/body';
import { GRAVITY_MS2 } from '../../src/sim/imu';
import { AxisSequenceOrientation, FixedPosition } from '../../src/sim/pose';
import { staticScenario } from '../../src/sim/scenarios';
import { simulate, type Scenario } from '../../src/sim/simulate';
import { MinimumJerkTrajectory, RampTrajectory } from '../../src/sim/trajectory';

const TOL = 1e-9;
const DEG = Math.PI / 180;

/** A single rigid body spinning at constant rate `rateRadS` about the (global = body) unit `axis`. */
function spinScenario(axis: number[], rateRadS: number, sensorPosM: number[], mount?: number[]): Scenario {
  const body = new Body([
    {
      name: 'body',
      orientation: new AxisSequenceOrientation({ axes: [axis], angles: [new RampTrajectory({ ratePerS: rateRadS })] }),
      position: new FixedPosition([1, 2, 3]),
    },
  ]);
  return { body, sensors: [{ id: 's', segment: 'body', positionM: sensorPosM, ...(mount ? { orientation: mount } : {}) }], durationS: 3 };
}

describe('pure rotation about one axis at constant rate', () => {
  const axis = vec3.normalize(vec3.create(), [1, -2, 0.5]);
  const w = 1.7;
  const { truth, blocks } = simulate(spinScenario(Array.from(axis), w, [0, 0, 0]), { rateHz: 50 });
  const block = blocks.s![0]!;

  it('gyro is the constant rate vector', () => {
    for (let k = 0; k < block.tS.length; k++) {
      for (let c = 0; c < 3; c++) expect(Math.abs(block.gyrRadS[3 * k + c]! - w * axis[c]!)).toBeLessThan(TOL);
    }
  });

  it('orientation is fromAxisAngle(axis, ω t)', () => {
    const q = quat.create(), ref = quat.create();
    for (let k = 0; k < truth.sensors.s!.tS.length; k++) {
      quat.fromAxisAngle(ref, axis, w * truth.sensors.s!.tS[k]!);
      expect(quat.equalsRotation(quat.readAt(q, truth.sensors.s!.quat, k), ref, TOL)).toBe(true);
    }
  });

  it('accelerometer reads gravity rotated into the sensor (sensor at the centre of rotation)', () => {
    const q = quat.create(), f = vec3.create();
    for (let k = 0; k < block.tS.length; k++) {
      quat.fromAxisAngle(q, axis, w * block.tS[k]!);
      quat.rotateInverse(f, q, [0, 0, GRAVITY_MS2]);
      for (let c = 0; c < 3; c++) expect(Math.abs(block.accMS2[3 * k + c]! - f[c]!)).toBeLessThan(TOL);
    }
  });

  it('a rotated mount sees the rate in its own frame', () => {
    const mount = quat.fromAxisAngle(quat.create(), [0.3, 0.2, 0.9], 1.1);
    const r = simulate(spinScenario(Array.from(axis), w, [0, 0, 0], Array.from(mount)), { rateHz: 50, durationS: 1 });
    const expected = quat.rotateInverse(vec3.create(), mount, vec3.scale(vec3.create(), axis, w));
    const g = r.blocks.s![0]!.gyrRadS;
    for (let k = 0; k < 50; k++) for (let c = 0; c < 3; c++) expect(Math.abs(g[3 * k + c]! - expected[c]!)).toBeLessThan(TOL);
  });
});

describe('constant-rate spin of a sensor offset from the axis', () => {
  it('vertical axis: centripetal −ω² r plus gravity, exactly', () => {
    const w = 4, r = 0.3;
    const { blocks } = simulate(spinScenario([0, 0, 1], w, [r, 0, 0]), { rateHz: 100 });
    const b = blocks.s![0]!;
    for (let k = 0; k < b.tS.length; k++) {
      expect(Math.abs(b.accMS2[3 * k]! - -w * w * r)).toBeLessThan(TOL);
      expect(Math.abs(b.accMS2[3 * k + 1]!)).toBeLessThan(TOL);
      expect(Math.abs(b.accMS2[3 * k + 2]! - GRAVITY_MS2)).toBeLessThan(TOL);
    }
  });

  it('tilted axis, general offset: f = Rᵀ(ω×(ω×R r) + g ẑ)', () => {
    const axis = vec3.normalize(vec3.create(), [0.4, 1, 0.7]);
    const w = 2.5;
    const rS = [0.1, -0.25, 0.05];
    const { blocks, truth } = simulate(spinScenario(Array.from(axis), w, rS), { rateHz: 40 });
    const b = blocks.s![0]!;
    const q = quat.create(), rG = vec3.create(), wG = vec3.scale(vec3.create(), axis, w), a = vec3.create(), f = vec3.create();
    for (let k = 0; k < b.tS.length; k++) {
      quat.fromAxisAngle(q, axis, w * b.tS[k]!);
      quat.rotate(rG, q, rS);
      vec3.cross(a, wG, vec3.cross(a, wG, rG));
      quat.rotateInverse(f, q, [a[0]!, a[1]!, a[2]! + GRAVITY_MS2]);
      for (let c = 0; c < 3; c++) expect(Math.abs(b.accMS2[3 * k + c]! - f[c]!)).toBeLessThan(TOL);
      // Position truth: fixed centre + R r.
      for (let c = 0; c < 3; c++) expect(Math.abs(truth.sensors.s!.posM[3 * k + c]! - ([1, 2, 3][c]! + rG[c]!))).toBeLessThan(TOL);
    }
  });
});

describe('static tilt', () => {
  const sc = staticScenario({ yawDeg: 35, pitchDeg: -20, rollDeg: 50, durationS: 1 });
  const { blocks, truth } = simulate(sc, { rateHz: 100 });
  const b = blocks.imu![0]!;
  const q = quat.multiply(
    quat.create(),
    quat.multiply(quat.create(), quat.fromAxisAngle(quat.create(), [0, 0, 1], 35 * DEG), quat.fromAxisAngle(quat.create(), [0, 1, 0], -20 * DEG)),
    quat.fromAxisAngle(quat.create(), [1, 0, 0], 50 * DEG),
  );

  it('gyro is exactly zero and acc = R⁻¹(0, 0, 9.81)', () => {
    const f = quat.rotateInverse(vec3.create(), q, [0, 0, 9.81]);
    for (let k = 0; k < b.tS.length; k++) {
      for (let c = 0; c < 3; c++) {
        expect(b.gyrRadS[3 * k + c]).toBe(0);
        expect(Math.abs(b.accMS2[3 * k + c]! - f[c]!)).toBeLessThan(TOL);
      }
      expect(quat.equalsRotation(quat.readAt(quat.create(), truth.sensors.imu!.quat, k), q, TOL)).toBe(true);
    }
  });

  it('|acc| is g for any tilt', () => {
    expect(Math.abs(Math.hypot(b.accMS2[0]!, b.accMS2[1]!, b.accMS2[2]!) - 9.81)).toBeLessThan(TOL);
  });
});

describe('magnetometer with inclination', () => {
  it('static sensor with known heading reads the rotated field exactly', () => {
    const B = 48, I = 62, yaw = 120;
    const sc = staticScenario({ yawDeg: yaw, durationS: 0.5, magneticField: { fieldUT: B, inclinationDeg: I } });
    const { blocks } = simulate(sc, { rateHz: 20 });
    const m = blocks.imu![0]!.magUT!;
    // Field in ENU (0, B cos I, −B sin I); the sensor is yawed by ψ about z, so it sees Rz(−ψ)·m.
    const c = Math.cos(yaw * DEG), s = Math.sin(yaw * DEG);
    const my = B * Math.cos(I * DEG), mz = -B * Math.sin(I * DEG);
    const expected = [s * my, c * my, mz];
    for (let k = 0; k < 10; k++) for (let j = 0; j < 3; j++) expect(Math.abs(m[3 * k + j]! - expected[j]!)).toBeLessThan(TOL);
    // Strength and dip angle are preserved.
    expect(Math.abs(Math.hypot(m[0]!, m[1]!, m[2]!) - B)).toBeLessThan(TOL);
    expect(Math.abs(Math.atan2(-m[2]!, Math.hypot(m[0]!, m[1]!)) - I * DEG)).toBeLessThan(TOL);
  });

  it('declination turns the horizontal component east of north', () => {
    const sc = staticScenario({ durationS: 0.1, magneticField: { fieldUT: 50, inclinationDeg: 0, declinationDeg: 90 } });
    const m = simulate(sc, { rateHz: 10 }).blocks.imu![0]!.magUT!;
    expect(Math.abs(m[0]! - 50)).toBeLessThan(TOL);
    expect(Math.abs(m[1]!)).toBeLessThan(TOL);
    expect(Math.abs(m[2]!)).toBeLessThan(TOL);
  });
});

describe('minimum-jerk hinge move', () => {
  const rootQ = quat.fromAxisAngle(quat.create(), [0.2, 1, -0.3], 0.8);
  const axis = vec3.normalize(vec3.create(), [0.3, 0.1, -1]);
  const mount = quat.fromAxisAngle(quat.create(), [1, 1, 0], 0.6);
  const move = new MinimumJerkTrajectory({ from: 0, to: Math.PI / 2, startS: 0.2, durationS: 1 });
  const body = new Body([
    { name: 'a', orientation: rootQ, position: [0, 0, 1] },
    { name: 'b', parent: 'a', jointPositionM: [0, -0.4, 0], joint: { type: 'hinge', axis, angle: move } },
  ]);
  const sc: Scenario = { body, sensors: [{ id: 's', segment: 'b', positionM: [0.02, -0.2, 0.05], orientation: mount }], durationS: 1.5 };

  it('gyro equals θ̇ · axis in the sensor frame', () => {
    const { blocks, truth } = simulate(sc, { rateHz: 200 });
    const b = blocks.s![0]!;
    const o = new Float64Array(3);
    const axS = quat.rotateInverse(vec3.create(), mount, axis);
    for (let k = 0; k < b.tS.length; k++) {
      move.evaluate(b.tS[k]!, o);
      for (let c = 0; c < 3; c++) expect(Math.abs(b.gyrRadS[3 * k + c]! - o[1]! * axS[c]!)).toBeLessThan(TOL);
      expect(Math.abs(truth.joints['a-b']!.anglesRad.angle![k]! - o[0]!)).toBeLessThan(TOL);
    }
  });

  it('orientation is root ⊗ hinge(θ) ⊗ mount, and the joint truth is the hinge rotation', () => {
    const { truth } = simulate(sc, { rateHz: 50 });
    const o = new Float64Array(3);
    const h = quat.create(), ref = quat.create(), q = quat.create();
    for (let k = 0; k < truth.tS.length; k++) {
      move.evaluate(truth.tS[k]!, o);
      quat.fromAxisAngle(h, axis, o[0]!);
      quat.multiply(ref, quat.multiply(ref, rootQ, h), mount);
      expect(quat.equalsRotation(quat.readAt(q, truth.sensors.s!.quat, k), ref, TOL)).toBe(true);
      expect(quat.equalsRotation(quat.readAt(q, truth.joints['a-b']!.relativeQuat, k), h, TOL)).toBe(true);
    }
  });

  it('integrating the simulated gyro (quat.integrateRate at 2 kHz) reproduces the true orientation', () => {
    const { blocks, truth } = simulate(sc, { rateHz: 2000 });
    const b = blocks.s![0]!;
    const q = quat.readAt(quat.create(), truth.sensors.s!.quat, 0);
    const qTrue = quat.create();
    const n = b.tS.length;
    let maxErr = 0;
    for (let k = 1; k < n; k++) {
      // Midpoint of the two samples' rates over the step: second-order accurate.
      const g = [0, 1, 2].map((c) => 0.5 * (b.gyrRadS[3 * (k - 1) + c]! + b.gyrRadS[3 * k + c]!));
      quat.integrateRate(q, q, g, b.tS[k]! - b.tS[k - 1]!);
      maxErr = Math.max(maxErr, quat.distanceRad(q, quat.readAt(qTrue, truth.sensors.s!.quat, k)));
    }
    expect(maxErr).toBeLessThan(1e-6);
  });
});
