/**
 * `alignToSampleInstant`: accelerometer and magnetometer samples rotated into the
 * almost-inertial frame with the orientation at their own instant (half a strapdown step
 * before the quaternion after the step). Simulator ground truth (instantaneous sampling, so
 * the effect is exactly the one the switch removes) and properties.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Vqf } from '../../src/fusion/vqf';
import { VQF_DEFAULTS, VQF_TUNED, VqfParamError } from '../../src/fusion/vqfParams';
import { freeMotionScenario } from '../../src/sim';
import { createBlock } from '../../src/samples/block';
import { rmsErrorDeg, sensorRun, simulate } from './vqfHelpers';

const RATE = 100;

function run(params: Record<string, unknown>, block: Parameters<Vqf['updateBlock']>[0]): Float64Array {
  const out = new Float64Array(4 * block.tS.length);
  new Vqf(params, { rateHz: RATE }).updateBlock(block, out);
  return out;
}

describe('Vqf: alignToSampleInstant', () => {
  it('is off in the published defaults and on in VQF_TUNED; must be a boolean', () => {
    expect(VQF_DEFAULTS.alignToSampleInstant).toBe(false);
    expect(VQF_TUNED.alignToSampleInstant).toBe(true);
    expect(() => new Vqf({ alignToSampleInstant: 1 as unknown as boolean })).toThrow(VqfParamError);
  });

  it('removes most of the inclination error of fast motion with large accelerations (ideal sensor)', () => {
    // Free 3-D motion up to ±180°: the misrotated specific force is the only error left for an
    // ideal sensor (output judged with the strapdown's half-sample lead taken out, as elsewhere).
    const { block, truth } = sensorRun(simulate(freeMotionScenario({ durationS: 60, seed: 11, rotationAmplitudeDeg: 180 }), { rateHz: RATE, seed: 11 }));
    const n = block.tS.length;
    const lead = { latencyCompensationS: -0.5 / RATE, magEnabled: false };
    const off = rmsErrorDeg(run({ ...lead, alignToSampleInstant: false }, block), truth, 2, 5 * RATE, n);
    const on = rmsErrorDeg(run({ ...lead, alignToSampleInstant: true }, block), truth, 2, 5 * RATE, n);
    expect(on).toBeLessThan(0.5 * off);
    expect(on).toBeLessThan(0.3);
  });

  it('changes nothing without rotation (property)', () => {
    const vec = fc.tuple(fc.double({ min: -30, max: 30, noNaN: true }), fc.double({ min: -30, max: 30, noNaN: true }), fc.double({ min: -30, max: 30, noNaN: true }));
    fc.assert(
      fc.property(fc.array(fc.tuple(vec, vec), { minLength: 1, maxLength: 60 }), (samples) => {
        const n = samples.length;
        const block = createBlock({ sensorId: 'imu', rateHz: RATE }, n, { mag: true });
        for (let i = 0; i < n; i++) {
          block.tS[i] = i / RATE;
          block.accMS2.set([samples[i]![0][0], samples[i]![0][1], samples[i]![0][2] + 9.81], 3 * i);
          block.magUT!.set(samples[i]![1], 3 * i);
        }
        const a = run({ alignToSampleInstant: false, motionBiasEst: false, restBiasEst: false }, block);
        const b = run({ alignToSampleInstant: true, motionBiasEst: false, restBiasEst: false }, block);
        expect(Array.from(b)).toEqual(Array.from(a));
      }),
      { numRuns: 100 },
    );
  });

  it('keeps unit quaternions and finite state for any finite rates; getState/setState resumes exactly', () => {
    const num = fc.double({ min: -40, max: 40, noNaN: true });
    fc.assert(
      fc.property(fc.array(fc.tuple(num, num, num, num, num, num), { minLength: 2, maxLength: 80 }), fc.integer({ min: 1, max: 79 }), (rows, cut) => {
        const n = rows.length;
        const block = createBlock({ sensorId: 'imu', rateHz: RATE }, n);
        for (let i = 0; i < n; i++) {
          block.tS[i] = i / RATE;
          block.gyrRadS.set(rows[i]!.slice(0, 3), 3 * i);
          block.accMS2.set(rows[i]!.slice(3, 6), 3 * i);
        }
        const whole = run({ alignToSampleInstant: true }, block);
        for (let i = 0; i < n; i++) expect(Math.hypot(...whole.subarray(4 * i, 4 * i + 4))).toBeCloseTo(1, 12);
        // Resume after `cut` samples from a serialised state: same output.
        const k = Math.min(cut, n - 1);
        const f = new Vqf({ alignToSampleInstant: true }, { rateHz: RATE });
        const g = new Vqf({ alignToSampleInstant: true }, { rateHz: RATE });
        const q = new Float64Array(4);
        for (let i = 0; i < k; i++) f.update(block.gyrRadS.subarray(3 * i, 3 * i + 3), block.accMS2.subarray(3 * i, 3 * i + 3), null, 1 / RATE);
        g.setState(JSON.parse(JSON.stringify(f.getState())));
        for (let i = k; i < n; i++) {
          f.update(block.gyrRadS.subarray(3 * i, 3 * i + 3), block.accMS2.subarray(3 * i, 3 * i + 3), null, 1 / RATE);
          g.update(block.gyrRadS.subarray(3 * i, 3 * i + 3), block.accMS2.subarray(3 * i, 3 * i + 3), null, 1 / RATE);
        }
        expect(Array.from(g.getQuat(q))).toEqual(Array.from(f.getQuat(new Float64Array(4))));
      }),
      { numRuns: 60 },
    );
  });
});
