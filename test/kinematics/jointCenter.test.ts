import { describe, expect, it } from 'vitest';
import { CalibrationInputError } from '../../src/kinematics/hingeAxis';
import { estimateJointCenter } from '../../src/kinematics/jointCenter';
import * as quat from '../../src/math/quat';
import { concatBlocks } from '../../src/samples/block';
import { simulate } from '../../src/sim/simulate';
import { kneeSwingScenario } from '../../src/sim/scenarios';
import { hipCircles } from './acceptanceScenarios';

const RATE = 100;
const mm = (a: ArrayLike<number>, b: ArrayLike<number>): number => 1000 * Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);

/** True joint centre in a sensor's frame: r = R_seg,S* (jointInSegment − sensorPosition). */
function trueCenter(mount: ArrayLike<number>, jointInSegM: number[], sensorPosM: ArrayLike<number>): Float64Array {
  return quat.rotateInverse(new Float64Array(3), mount, [jointInSegM[0]! - sensorPosM[0]!, jointInSegM[1]! - sensorPosM[1]!, jointInSegM[2]! - sensorPosM[2]!]);
}

describe('joint centre from accelerometers (Seel 2012)', () => {
  for (const noise of [false, true]) {
    it(`ball joint (hip), quick leg circles — ${noise ? 'consumer noise + wobble: thigh side within 5 mm, the slowly moving pelvis side flagged' : 'noise off: within 1 mm'}`, () => {
      const sc = hipCircles({ noise, seed: 3 });
      const r = simulate(sc, { rateHz: RATE, seed: 3 });
      const b = sc.sensors.map((s) => concatBlocks(r.blocks[s.id]!).block);
      const i0 = 3 * RATE;
      const res = estimateJointCenter(b[0]!.accMS2.subarray(3 * i0), b[0]!.gyrRadS.subarray(3 * i0), b[1]!.accMS2.subarray(3 * i0), b[1]!.gyrRadS.subarray(3 * i0), 1 / RATE, noise ? {} : { accBiasSigmaMS2: 0 });
      // Hip centre: pelvis frame (0, −0.08, 0.1); the thigh's origin.
      const t1 = trueCenter(sc.sensors[0]!.orientation!, [0, -0.08, 0.1], sc.sensors[0]!.positionM!);
      const t2 = trueCenter(sc.sensors[1]!.orientation!, [0, 0, 0], sc.sensors[1]!.positionM!);
      const e1 = mm(res.r1M, t1), e2 = mm(res.r2M, t2);
      console.log(`joint centre hip ${noise ? 'noise' : 'ideal'}: errors ${e1.toFixed(1)} / ${e2.toFixed(1)} mm, 1-σ ${(res.r1SigmaM * 1000).toFixed(1)} / ${(res.r2SigmaM * 1000).toFixed(1)} mm, residual ${res.residualMS2.toFixed(3)} m/s², ${res.quality} ${res.reason ?? ''}`);
      if (!noise) {
        expect(Math.max(e1, e2)).toBeLessThan(1);
        expect(res.quality).toBe('good');
      } else {
        // The thigh circles fast: its centre is found to a few mm. The pelvis only sways slowly, so
        // in its sensor the centre is poorly determined — and flagged so, never a confident wrong one.
        expect(e2).toBeLessThan(5);
        expect(e2 / 1000).toBeLessThan(3 * res.r2SigmaM);
        expect(e1 / 1000).toBeLessThan(3 * res.r1SigmaM);
        expect(res.quality).not.toBe('good');
      }
    });
  }

  it('hinge (knee, thigh swinging): unobservable along the axis → failed without axes; with the axes, the point on the axis closest to the sensors', () => {
    const sc = kneeSwingScenario({ seed: 2, durationS: 20 });
    const r = simulate(sc, { rateHz: RATE });
    const b = sc.sensors.map((s) => concatBlocks(r.blocks[s.id]!).block);
    const args = [b[0]!.accMS2, b[0]!.gyrRadS, b[1]!.accMS2, b[1]!.gyrRadS, 1 / RATE] as const;
    const free = estimateJointCenter(...args);
    expect(free.quality).toBe('failed');
    expect(free.reason).toMatch(/not observable/);
    const j1 = quat.rotateInverse(new Float64Array(3), sc.sensors[0]!.orientation!, [0, 0, 1]);
    const j2 = quat.rotateInverse(new Float64Array(3), sc.sensors[1]!.orientation!, [0, 0, 1]);
    const res = estimateJointCenter(...args, { j1, j2, accBiasSigmaMS2: 0 }); // ideal sensors: no bias
    // Knee centre: thigh (0, −0.42, 0); the sensors sit 8 and 5 cm lateral, so the closest point on
    // the axis is ≈ 6.5 cm lateral of the centre: compare across the axis only.
    const t1 = trueCenter(sc.sensors[0]!.orientation!, [0, -0.42, 0], sc.sensors[0]!.positionM!);
    const t2 = trueCenter(sc.sensors[1]!.orientation!, [0, 0, 0], sc.sensors[1]!.positionM!);
    const across = (a: Float64Array, t: Float64Array, j: Float64Array): number => {
      const d = [a[0]! - t[0]!, a[1]! - t[1]!, a[2]! - t[2]!];
      const along = d[0]! * j[0]! + d[1]! * j[1]! + d[2]! * j[2]!;
      return 1000 * Math.hypot(d[0]! - along * j[0]!, d[1]! - along * j[1]!, d[2]! - along * j[2]!);
    };
    console.log(`joint centre knee (axes given): across-axis errors ${across(res.r1M, t1, j1).toFixed(2)} / ${across(res.r2M, t2, j2).toFixed(2)} mm, ${res.quality}`);
    expect(res.quality).toBe('good');
    expect(across(res.r1M, t1, j1)).toBeLessThan(1);
    expect(across(res.r2M, t2, j2)).toBeLessThan(1);
  });

  it('still sensors → failed, never a confident centre; bad input throws', () => {
    const n = 500, acc = new Float64Array(3 * n), gyr = new Float64Array(3 * n);
    for (let i = 0; i < n; i++) acc[3 * i + 2] = 9.81;
    const res = estimateJointCenter(acc, gyr, acc, gyr, 0.01);
    expect(res.quality).toBe('failed');
    expect(() => estimateJointCenter(acc, gyr, acc.subarray(3), gyr, 0.01)).toThrow(CalibrationInputError);
    expect(() => estimateJointCenter(acc, gyr, acc, gyr, 0)).toThrow(CalibrationInputError);
    const short = estimateJointCenter(acc.subarray(0, 30), gyr.subarray(0, 30), acc.subarray(0, 30), gyr.subarray(0, 30), 0.01);
    expect(short.quality).toBe('failed');
    expect(short.reason).toMatch(/too few/);
  });
});

describe('joint centre and heading alignment with gaps (NaN rows from alignBlocks)', () => {
  it('a 0.3 s gap in one sensor: skipped (no filtering or differencing across it), same answer', () => {
    const sc = hipCircles({ noise: false, seed: 3 });
    const r = simulate(sc, { rateHz: RATE, seed: 3 });
    const b = sc.sensors.map((s) => concatBlocks(r.blocks[s.id]!).block);
    const i0 = 3 * RATE;
    const a2 = Float64Array.from(b[1]!.accMS2.subarray(3 * i0)), g2 = Float64Array.from(b[1]!.gyrRadS.subarray(3 * i0));
    a2.fill(NaN, 3 * 500, 3 * 530);
    g2.fill(NaN, 3 * 500, 3 * 530);
    const res = estimateJointCenter(b[0]!.accMS2.subarray(3 * i0), b[0]!.gyrRadS.subarray(3 * i0), a2, g2, 1 / RATE, { accBiasSigmaMS2: 0 });
    const t2 = trueCenter(sc.sensors[1]!.orientation!, [0, 0, 0], sc.sensors[1]!.positionM!);
    expect(mm(res.r2M, t2)).toBeLessThan(1);
    expect(res.quality).toBe('good');
  });
});
