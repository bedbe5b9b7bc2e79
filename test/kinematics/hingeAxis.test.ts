import { describe, expect, it } from 'vitest';
import { CalibrationInputError, estimateHingeAxes, estimateHingeAxesFromBlocks } from '../../src/kinematics/hingeAxis';
import { concatBlocks } from '../../src/samples/block';
import { kneeFlexionScenario } from '../../src/sim/scenarios';
import { simulate } from '../../src/sim/simulate';
import { axisErrDeg, swingingKneeScenario, trueKneeAxes } from './calibrationHelpers';

function run(sc: ReturnType<typeof swingingKneeScenario>, rateHz = 100) {
  const r = simulate(sc, { rateHz });
  const b1 = concatBlocks(r.blocks['thigh']!).block, b2 = concatBlocks(r.blocks['shank']!).block;
  return { r, b1, b2 };
}

describe('estimateHingeAxes (Seel 2014) on the simulator', () => {
  for (const [seed, mount] of [[1, 10], [2, 15], [3, 20]] as const) {
    it(`noise off, unknown mounts ${mount}°: axes within 1° (seed ${seed})`, () => {
      const sc = swingingKneeScenario({ mountErrorDeg: mount, seed });
      const { b1, b2 } = run(sc);
      const [t1, t2] = trueKneeAxes(sc);
      const res = estimateHingeAxes(b1.gyrRadS, b2.gyrRadS, 0.01, { j1Hint: t1, j2Hint: t2 });
      expect(res.quality).toBe('good');
      expect(axisErrDeg(res.j1, t1)).toBeLessThan(1);
      expect(axisErrDeg(res.j2, t2)).toBeLessThan(1);
      // hints fix the sign
      expect(res.j1[0]! * t1[0]! + res.j1[1]! * t1[1]! + res.j1[2]! * t1[2]!).toBeGreaterThan(0.99);
      expect(res.j2[0]! * t2[0]! + res.j2[1]! * t2[1]! + res.j2[2]! * t2[2]!).toBeGreaterThan(0.99);
      expect(res.residualRadS).toBeLessThan(0.01);
    });
  }

  it('consumer noise + soft-tissue wobble, 15° mounts: axes within 3°, from blocks', () => {
    const sc = swingingKneeScenario({ mountErrorDeg: 15, seed: 5, noise: 'consumer', softTissue: true });
    const r = simulate(sc, { rateHz: 100 });
    const [t1, t2] = trueKneeAxes(sc);
    const res = estimateHingeAxesFromBlocks([...r.blocks['thigh']!, ...r.blocks['shank']!], 'thigh', 'shank');
    expect(res.quality).not.toBe('failed');
    expect(axisErrDeg(res.j1, t1)).toBeLessThan(3);
    expect(axisErrDeg(res.j2, t2)).toBeLessThan(3);
  });

  it('sensors at different rates are aligned first', () => {
    const sc = swingingKneeScenario({ mountErrorDeg: 12, seed: 4 });
    const sensors = [{ ...sc.sensors[0]!, rateHz: 100 }, { ...sc.sensors[1]!, rateHz: 60 }];
    const r = simulate({ ...sc, sensors }, { rateHz: 100 });
    const [t1, t2] = trueKneeAxes(sc);
    const res = estimateHingeAxesFromBlocks([...r.blocks['thigh']!, ...r.blocks['shank']!], 'thigh', 'shank');
    expect(axisErrDeg(res.j1, t1)).toBeLessThan(1.5);
    expect(axisErrDeg(res.j2, t2)).toBeLessThan(1.5);
  });

  it('fixed thigh (standard knee scenario): j1 is unobservable → failed, not a confident axis', () => {
    const sc = kneeFlexionScenario({ mountErrorDeg: 15, reps: 3 });
    const r = simulate(sc, { rateHz: 100 });
    const b1 = concatBlocks(r.blocks['thigh']!).block, b2 = concatBlocks(r.blocks['shank']!).block;
    const res = estimateHingeAxes(b1.gyrRadS, b2.gyrRadS, 0.01);
    expect(res.quality).toBe('failed');
    expect(res.j1UncertaintyDeg).toBeGreaterThan(8);
    expect(res.reason).toMatch(/observable/);
    // j2 itself is still right (the shank rotates only about it)
    expect(axisErrDeg(res.j2, trueKneeAxes(sc)[1])).toBeLessThan(1);
  });

  it('too-small movement → poor or failed', () => {
    const sc = swingingKneeScenario({ mountErrorDeg: 15, seed: 6, hipAmplitudeDeg: 1, kneeAmplitudeDeg: 1.5, noise: 'consumer', durationS: 10 });
    const { b1, b2 } = run(sc);
    const res = estimateHingeAxes(b1.gyrRadS, b2.gyrRadS, 0.01);
    expect(res.quality).not.toBe('good');
    expect(res.reason).toBeDefined();
  });

  it('a quality of good is never a wrong axis: sweep of movement sizes (consumer noise + wobble)', () => {
    const seen: string[] = [];
    for (const [hip, knee] of [[0.5, 20], [2, 10], [3, 5], [10, 20]] as const) {
      const sc = swingingKneeScenario({ mountErrorDeg: 15, seed: 6, hipAmplitudeDeg: hip, kneeAmplitudeDeg: knee, noise: 'consumer', softTissue: true, durationS: 10 });
      const { b1, b2 } = run(sc);
      const [t1, t2] = trueKneeAxes(sc);
      const res = estimateHingeAxes(b1.gyrRadS, b2.gyrRadS, 0.01);
      const err = Math.max(axisErrDeg(res.j1, t1), axisErrDeg(res.j2, t2));
      seen.push(res.quality);
      if (res.quality === 'good') expect(err).toBeLessThan(3);
      if (err > 3) expect(res.quality).not.toBe('good');
    }
    // the thigh that barely moves (0.5°) leaves j1 unobservable; the largest movement is fine
    expect(seen[0]).toBe('failed');
    expect(seen[3]).toBe('good');
  });

  it('no movement at all → failed with NaN axes and a reason', () => {
    const g = new Float64Array(3000);
    const res = estimateHingeAxes(g, g, 0.01);
    expect(res.quality).toBe('failed');
    expect(res.reason).toMatch(/too little movement/);
    expect(Number.isNaN(res.j1[0]!)).toBe(true);
  });

  it('bad input throws CalibrationInputError', () => {
    expect(() => estimateHingeAxes(new Float64Array(6), new Float64Array(9), 0.01)).toThrow(CalibrationInputError);
    expect(() => estimateHingeAxes(new Float64Array(4), new Float64Array(4), 0.01)).toThrow(CalibrationInputError);
    expect(() => estimateHingeAxes(new Float64Array(6), new Float64Array(6), 0)).toThrow(CalibrationInputError);
    expect(() => estimateHingeAxes(new Float64Array(6), new Float64Array(6), 0.01, { starts: 0 })).toThrow(CalibrationInputError);
    const sc = swingingKneeScenario({ durationS: 2 });
    const r = simulate(sc, { rateHz: 50 });
    expect(() => estimateHingeAxesFromBlocks(r.blocks['thigh']!, 'thigh', 'shank')).toThrow(/no data for sensor 'shank'/);
  });
});
