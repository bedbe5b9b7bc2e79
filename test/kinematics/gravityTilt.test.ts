/**
 * Tilt from gravity (accelerometer-only sensors such as the Polar H10) against simulator
 * truth: the angle between the segment's up direction now and at the upright reference.
 */
import { describe, expect, it } from 'vitest';
import { AngleInputError } from '../../src/kinematics/angleErrors';
import { GravityTilt, TILT_NOT_AT_REST, referenceUpFromRest } from '../../src/kinematics/gravityTilt';
import * as quat from '../../src/math/quat';
import { MissingChannelError, createBlock } from '../../src/samples/block';
import type { AccelBlock } from '../../src/samples/block';
import { blockFromArrays } from '../../src/samples/construct';
import { freeMotionScenario, simulate, staticScenario } from '../../src/sim';
import type { SensorTruth } from '../../src/sim';

/** The simulated sensor as an accelerometer-only block (what an H10 would give). */
function accOnly(sim: ReturnType<typeof simulate>, id = 'imu'): AccelBlock {
  const b = sim.blocks[id]![0]!;
  return blockFromArrays({ ...b.info, device: 'Polar H10 (simulated)' }, { tS: b.tS, accMS2: b.accMS2 });
}

/** True tilt, deg: angle between the global up seen in the sensor frame at sample k and at sample k0. */
function trueTiltDeg(truth: SensorTruth, k: number, k0: number): number {
  const q = (i: number) => [truth.quat[4 * i]!, truth.quat[4 * i + 1]!, truth.quat[4 * i + 2]!, truth.quat[4 * i + 3]!];
  const u = quat.rotateInverse(new Float64Array(3), q(k), [0, 0, 1]);
  const u0 = quat.rotateInverse(new Float64Array(3), q(k0), [0, 0, 1]);
  const c = Math.max(-1, Math.min(1, u[0]! * u0[0]! + u[1]! * u0[1]! + u[2]! * u0[2]!));
  return (Math.acos(c) * 180) / Math.PI;
}

describe('GravityTilt', () => {
  it('a sensor held still at pitch 20°, roll 15° is tilted acos(cos 20° cos 15°) from level', () => {
    const sim = simulate(staticScenario({ durationS: 1, pitchDeg: 20, rollDeg: 15 }), { rateHz: 200, errors: 'ideal' });
    const b = accOnly(sim);
    const out = new Float64Array(b.tS.length);
    const flags = new Uint8Array(b.tS.length);
    new GravityTilt({ referenceUp: [0, 0, 1] }).updateBlock(b, out, flags);
    const expectedDeg = (Math.acos(Math.cos((20 * Math.PI) / 180) * Math.cos((15 * Math.PI) / 180)) * 180) / Math.PI;
    for (const v of out) expect(v).toBeCloseTo(expectedDeg, 9);
    expect(flags.every((f) => f === 0)).toBe(true);
  });

  it('follows a slowly leaning segment within 1° RMS of the truth, from a reference taken while still, with consumer-grade noise', () => {
    const sim = simulate(freeMotionScenario({ durationS: 20, staticLeadS: 2, rotationAmplitudeDeg: 35, translationAmplitudeM: 0.02, maxFrequencyHz: 0.3, noise: 'consumer', seed: 3 }), {
      rateHz: 200,
    });
    const truth = sim.truth.sensors['imu']!;
    const b = accOnly(sim);
    const ref = referenceUpFromRest(b, 0, 1.8);
    const tilt = new GravityTilt({ referenceUp: ref });
    const out = new Float64Array(b.tS.length);
    const flags = new Uint8Array(b.tS.length);
    tilt.updateBlock(b, out, flags);
    let sq = 0, max = 0, maxTrue = 0, used = 0;
    for (let k = 0; k < out.length; k++) {
      if (flags[k] & TILT_NOT_AT_REST) continue;
      const t = trueTiltDeg(truth, k, 0);
      const e = out[k]! - t;
      sq += e * e;
      max = Math.max(max, Math.abs(e));
      maxTrue = Math.max(maxTrue, t);
      used++;
    }
    const rmsDeg = Math.sqrt(sq / used);
    console.info(`gravity tilt vs truth: rms ${rmsDeg.toFixed(3)}°, max ${max.toFixed(3)}°, true tilt up to ${maxTrue.toFixed(1)}°, ${used}/${out.length} samples at rest`);
    expect(maxTrue).toBeGreaterThan(20); // the segment really leaned
    expect(used / out.length).toBeGreaterThan(0.95);
    expect(rmsDeg).toBeLessThan(1);
    expect(max).toBeLessThan(3);
  });

  it('flags samples with linear acceleration, and refuses what it cannot use with typed errors', () => {
    const tilt = new GravityTilt({ referenceUp: [0, 0, 9.81] });
    expect(tilt.tiltDeg(0, 0, 9.81)).toBe(0);
    expect(tilt.flags).toBe(0);
    expect(tilt.tiltDeg(0, 9.81, 0)).toBeCloseTo(90, 12);
    expect(tilt.tiltDeg(0, 0, -9.81)).toBeCloseTo(180, 12);
    tilt.tiltDeg(3, 0, 12);
    expect(tilt.flags).toBe(TILT_NOT_AT_REST);
    expect(() => tilt.tiltDeg(0, 0, 0)).toThrow(AngleInputError);
    expect(() => tilt.tiltDeg(NaN, 0, 9.81)).toThrow(AngleInputError);
    expect(() => new GravityTilt({ referenceUp: [0, 0, 0] })).toThrow(AngleInputError);
    const orientationOnly = createBlock({ sensorId: 'pelvis' }, 2, { inertial: false, quat: true });
    expect(() => tilt.updateBlock(orientationOnly as AccelBlock, new Float64Array(2))).toThrow(MissingChannelError);
    const moving = blockFromArrays({ sensorId: 'chest' }, { tS: [0, 0.005, 0.01], accMS2: [0, 0, 9.81, 0, 0, 9.8, 0, 4, 12] });
    expect(() => referenceUpFromRest(moving, 0, 0.02)).toThrow(/not still at 0.01 s/);
    expect(() => referenceUpFromRest(moving, 5, 6)).toThrow(/no samples in 5…6 s/);
    expect(Array.from(referenceUpFromRest(moving, 0, 0.006))).toEqual([0, 0, (9.81 + 9.8) / 2]);
    expect(() => tilt.updateBlock(moving, new Float64Array(2))).toThrow(/outDeg needs length 3/);
  });
});
