/**
 * VQF-class filter against simulator ground truth: static tilt, rotation about each axis,
 * bias convergence at rest and in motion, magnetic disturbance rejection, different sensor
 * rates, and the parameter/coefficient plumbing.
 */
import { describe, expect, it } from 'vitest';
import * as quat from '../../src/math/quat';
import { Vqf } from '../../src/fusion/vqf';
import { VQF_DEFAULTS, VqfParamError, resolveVqfParams } from '../../src/fusion/vqfParams';
import { freeMotionScenario, staticScenario } from '../../src/sim';
import { DEG, axisRotationScenario, maxErrorDeg, rmsErrorDeg, sensorRun, simulate } from './vqfHelpers';

const RATE = 100;

function run(f: Vqf, block: Parameters<Vqf['updateBlock']>[0]): Float64Array {
  const out = new Float64Array(4 * block.tS.length);
  f.updateBlock(block, out);
  return out;
}

describe('Vqf: static tilt', () => {
  it('converges to the exact inclination of an ideal sensor from the identity', () => {
    const sim = simulate(staticScenario({ pitchDeg: 35, rollDeg: -50, yawDeg: 120, durationS: 10 }), { rateHz: RATE });
    const { block, truth } = sensorRun(sim);
    // The start-up average of a constant is that constant, and the correction is applied in
    // full: exact from the first sample, although the filter starts at the identity (> 50° off).
    expect(quat.angleRad(quat.multiplyConjugateLeft(quat.create(), truth.subarray(0, 4), [1, 0, 0, 0])) / DEG).toBeGreaterThan(50);
    const noBias = run(new Vqf({ magEnabled: false, motionBiasEst: false }, { rateHz: RATE }), block);
    expect(maxErrorDeg(noBias, truth, 2, 0, 10 * RATE)).toBeLessThan(1e-5);
    // With motion bias estimation that first big correction looks like a bias (clipped to
    // 2 °/s) for a moment; the rest detector then takes the estimate back to zero.
    const out = run(new Vqf({ magEnabled: false }, { rateHz: RATE }), block);
    expect(maxErrorDeg(out, truth, 2, 0, 10 * RATE)).toBeLessThan(0.01);
    expect(maxErrorDeg(out, truth, 2, 8 * RATE, 10 * RATE)).toBeLessThan(0.002);
  });

  it('with a consumer IMU, stays within the accelerometer bias of the true inclination', () => {
    const sim = simulate(staticScenario({ pitchDeg: -20, rollDeg: 10, durationS: 30, noise: 'consumer' }), { rateHz: RATE, seed: 3 });
    const { block, truth } = sensorRun(sim);
    const out = run(new Vqf({}, { rateHz: RATE }), block);
    // Accelerometer bias ~0.05 m/s² per axis ↔ ~0.3°; noise averages out.
    expect(maxErrorDeg(out, truth, 2, 5 * RATE, 30 * RATE)).toBeLessThan(0.6);
    // 9D: heading from the magnetometer within a degree or two (calibration errors of the preset).
    expect(rmsErrorDeg(out, truth, 1, 20 * RATE, 30 * RATE)).toBeLessThan(2);
  });
});

describe('Vqf: rotation about each sensor axis', () => {
  for (const [name, axis] of [
    ['x', [1, 0, 0]],
    ['y', [0, 1, 0]],
    ['z', [0, 0, 1]],
  ] as const) {
    it(`tracks ±90° swings about ${name} (ideal sensor: only the strapdown step's half-sample lead)`, () => {
      const sim = simulate(axisRotationScenario(axis, { durationS: 20 }), { rateHz: RATE });
      const { block, truth } = sensorRun(sim);
      // The simulator samples rates instantaneously; holding each over the interval before it
      // puts the estimate ½ sample ahead, ≤ ½·dt·ω_max = 0.5·0.01 s·226 °/s ≈ 1.1°.
      const plain = run(new Vqf({}, { rateHz: RATE }), block);
      expect(maxErrorDeg(plain, truth, 0, 5 * RATE, 20 * RATE)).toBeLessThan(1.2);
      // Taking that half sample back leaves only second-order errors.
      const out = run(new Vqf({ latencyCompensationS: -0.5 / RATE }, { rateHz: RATE }), block);
      expect(rmsErrorDeg(out, truth, 2, 5 * RATE, 20 * RATE)).toBeLessThan(0.05);
      expect(rmsErrorDeg(out, truth, 0, 5 * RATE, 20 * RATE)).toBeLessThan(0.1);
      for (let i = 0; i < block.tS.length; i++) expect(Math.abs(quat.norm(out.subarray(4 * i, 4 * i + 4)) - 1)).toBeLessThan(1e-12);
    });

    it(`tracks swings about ${name} with a consumer IMU (noise, bias, scale errors)`, () => {
      const sim = simulate(axisRotationScenario(axis, { durationS: 40, noise: 'consumer' }), { rateHz: RATE, seed: 7 });
      const { block, truth } = sensorRun(sim);
      const out = run(new Vqf({}, { rateHz: RATE }), block);
      expect(rmsErrorDeg(out, truth, 2, 5 * RATE, 40 * RATE)).toBeLessThan(1.5);
      // Heading carries the preset's magnetometer errors (1 µT bias on a 21 µT horizontal field ≈ 3°).
      expect(rmsErrorDeg(out, truth, 0, 10 * RATE, 40 * RATE)).toBeLessThan(5);
    });
  }
});

describe('Vqf: gyroscope bias', () => {
  const biasRadS = [0.8 * DEG, -1.2 * DEG, 0.5 * DEG];

  it('at rest: the estimate converges to the true bias within 0.05 °/s by 10 s', () => {
    const noise = { gyr: { bias: biasRadS, noiseStd: 0.005 }, acc: { noiseStd: 0.02 }, mag: { noiseStd: 0.5 } };
    const sim = simulate(staticScenario({ pitchDeg: 15, rollDeg: 25, durationS: 20, noise }), { rateHz: RATE });
    const { block } = sensorRun(sim);
    const f = new Vqf({}, { rateHz: RATE });
    const out = new Float64Array(4);
    const b = new Float64Array(3);
    const biasErrDegS = (): number => {
      f.getBiasRadS(b);
      return Math.hypot(b[0]! - biasRadS[0]!, b[1]! - biasRadS[1]!, b[2]! - biasRadS[2]!) / DEG;
    };
    let restSeenAtS = -1;
    let err10 = NaN;
    for (let i = 0; i < block.tS.length; i++) {
      f.updateBlock({ ...block, tS: block.tS.subarray(i, i + 1), gyrRadS: block.gyrRadS.subarray(3 * i, 3 * i + 3), accMS2: block.accMS2.subarray(3 * i, 3 * i + 3), magUT: block.magUT!.subarray(3 * i, 3 * i + 3) }, out);
      if (restSeenAtS < 0 && f.flags.resting) restSeenAtS = block.tS[i]!;
      if (i === 10 * RATE) err10 = biasErrDegS();
    }
    // Rest needs 1.5 s of steady signals (+ the 0.5 s low-pass settling).
    expect(restSeenAtS).toBeGreaterThan(1.4);
    expect(restSeenAtS).toBeLessThan(2.5);
    expect(err10).toBeLessThan(0.05);
    expect(biasErrDegS()).toBeLessThan(0.03);
    expect(f.getBiasSigmaDegS()).toBeLessThan(0.05);
  });

  it('in motion: the horizontal bias is learnt (no rest at all) and beats not estimating it', () => {
    const noise = { gyr: { bias: biasRadS, noiseStd: 0.003 }, acc: { noiseStd: 0.02 } };
    const sc = freeMotionScenario({ durationS: 120, staticLeadS: 0, rampS: 0.5, noise, seed: 4 });
    const sim = simulate(sc, { rateHz: RATE });
    const { block, truth } = sensorRun(sim);
    const withEst = new Vqf({ magEnabled: false, restBiasEst: false }, { rateHz: RATE });
    const outEst = run(withEst, block);
    const without = new Vqf({ magEnabled: false, restBiasEst: false, motionBiasEst: false }, { rateHz: RATE });
    const outNo = run(without, block);
    // In motion the bias shows through the inclination correction, so only its components that
    // turn away from the vertical are observable: sensor x and y here (the motion stays
    // within ±60° of level), learnt within 0.15 °/s of 0.8 and −1.2 °/s after 2 min.
    const b = withEst.getBiasRadS(new Float64Array(3));
    expect(Math.abs(b[0]! - biasRadS[0]!) / DEG).toBeLessThan(0.15);
    expect(Math.abs(b[1]! - biasRadS[1]!) / DEG).toBeLessThan(0.15);
    expect(Math.abs(b[2]!) / DEG).toBeLessThan(0.5); // the unobservable one stays near zero
    expect(rmsErrorDeg(outEst, truth, 2, 60 * RATE, 120 * RATE)).toBeLessThan(0.3 * rmsErrorDeg(outNo, truth, 2, 60 * RATE, 120 * RATE));
  });
});

describe('Vqf: magnetic disturbance', () => {
  // A uniform extra field of 30 µT east from 20 s to 35 s: norm +17 %, dip −14°.
  const magneticField = { disturbances: [{ type: 'uniform' as const, fieldUT: [30, 0, 0], startS: 20, endS: 35 }] };

  function session() {
    const sc = freeMotionScenario({ durationS: 50, noise: 'consumer', magneticField, seed: 2, rotationAmplitudeDeg: 45 });
    return sensorRun(simulate(sc, { rateHz: RATE, seed: 5 }));
  }

  it('flags the disturbance and holds the heading from the gyroscope', () => {
    const { block, truth } = session();
    const f = new Vqf({}, { rateHz: RATE });
    const out = new Float64Array(4 * block.tS.length);
    const one = new Float64Array(4);
    let disturbedIn = 0, disturbedOut = 0;
    for (let i = 0; i < block.tS.length; i++) {
      const t = block.tS[i]!;
      f.updateBlock({ ...block, tS: block.tS.subarray(i, i + 1), gyrRadS: block.gyrRadS.subarray(3 * i, 3 * i + 3), accMS2: block.accMS2.subarray(3 * i, 3 * i + 3), magUT: block.magUT!.subarray(3 * i, 3 * i + 3) }, one);
      out.set(one, 4 * i);
      if (t > 20.2 && t < 35) disturbedIn += f.flags.magDisturbed ? 1 : 0;
      if (t > 10 && t < 20) disturbedOut += f.flags.magDisturbed ? 1 : 0;
    }
    expect(disturbedIn / (14.8 * RATE)).toBeGreaterThan(0.95);
    expect(disturbedOut).toBe(0);
    // Heading held within 2° through the 15 s disturbance.
    expect(maxErrorDeg(out, truth, 1, 20 * RATE, 35 * RATE)).toBeLessThan(2);
    // Without rejection the same field drags the heading far off.
    const naive = run(new Vqf({ magDistRejection: false }, { rateHz: RATE }), block);
    expect(maxErrorDeg(naive, truth, 1, 20 * RATE, 35 * RATE)).toBeGreaterThan(10);
  });

  it('never lets the magnetometer touch inclination (9D inclination = 6D inclination)', () => {
    const { block } = session();
    const a = run(new Vqf({}, { rateHz: RATE }), block);
    const b = run(new Vqf({ magEnabled: false }, { rateHz: RATE }), block);
    const upA = new Float64Array(3), upB = new Float64Array(3);
    let maxDiff = 0;
    for (let i = 0; i < block.tS.length; i++) {
      // The sensor-frame "up" of both estimates coincides: δ only turns about the vertical.
      quat.rotateInverse(upA, a.subarray(4 * i, 4 * i + 4), [0, 0, 1]);
      quat.rotateInverse(upB, b.subarray(4 * i, 4 * i + 4), [0, 0, 1]);
      maxDiff = Math.max(maxDiff, Math.hypot(upA[0]! - upB[0]!, upA[1]! - upB[1]!, upA[2]! - upB[2]!));
    }
    expect(maxDiff).toBeLessThan(1e-9);
  });
});

describe('Vqf: different sensor rates', () => {
  it('gyroscope 200 Hz, accelerometer 100 Hz, magnetometer 25 Hz: as accurate as all at 200 Hz', () => {
    const RATE2 = 200;
    const sc = freeMotionScenario({ durationS: 40, noise: 'consumer', seed: 6 });
    const { block, truth } = sensorRun(simulate(sc, { rateHz: RATE2, seed: 6 }));
    const n = block.tS.length;
    const mixed = new Vqf({}, { gyrRateHz: 200, accRateHz: 100, magRateHz: 25 });
    const same = new Vqf({}, { rateHz: 200 });
    const outMixed = new Float64Array(4 * n), outSame = new Float64Array(4 * n);
    const q = new Float64Array(4);
    const dt = 1 / RATE2;
    for (let i = 0; i < n; i++) {
      const g = block.gyrRadS.subarray(3 * i, 3 * i + 3), a = block.accMS2.subarray(3 * i, 3 * i + 3), m = block.magUT!.subarray(3 * i, 3 * i + 3);
      mixed.updateGyr(g, dt);
      if (i % 2 === 0) mixed.updateAcc(a, 2 * dt);
      if (i % 8 === 0) mixed.updateMag(m, 8 * dt);
      outMixed.set(mixed.getQuat(q), 4 * i);
      same.update(g, a, m, dt);
      outSame.set(same.getQuat(q), 4 * i);
    }
    const st = mixed.getState();
    expect(st.coeffTsS).toEqual([0.005, 0.01, 0.04]);
    const incMixed = rmsErrorDeg(outMixed, truth, 2, 10 * RATE2, n);
    const incSame = rmsErrorDeg(outSame, truth, 2, 10 * RATE2, n);
    expect(incMixed).toBeLessThan(1);
    expect(Math.abs(incMixed - incSame)).toBeLessThan(0.2);
    expect(rmsErrorDeg(outMixed, truth, 0, 10 * RATE2, n)).toBeLessThan(rmsErrorDeg(outSame, truth, 0, 10 * RATE2, n) + 0.5);
  });

  it('fuses every k-th magnetometer sample above 100 Hz: exactly a 100 Hz magnetometer, with its gain', () => {
    const RATE_HZ = 300;
    const sc = freeMotionScenario({ durationS: 40, noise: 'consumer', seed: 8 });
    const { block, truth } = sensorRun(simulate(sc, { rateHz: RATE_HZ, seed: 8 }));
    const n = block.tS.length;
    const fast = new Vqf({ magDistRejection: false }, { rateHz: RATE_HZ });
    // The same magnetometer samples fused explicitly at 100 Hz, the reference.
    const slow = new Vqf({ magDistRejection: false }, { gyrRateHz: RATE_HZ, accRateHz: RATE_HZ, magRateHz: 100 });
    const outFast = new Float64Array(4 * n), outSlow = new Float64Array(4 * n);
    const q = new Float64Array(4);
    const dt = 1 / RATE_HZ;
    for (let i = 0; i < n; i++) {
      const g = block.gyrRadS.subarray(3 * i, 3 * i + 3), a = block.accMS2.subarray(3 * i, 3 * i + 3), m = block.magUT!.subarray(3 * i, 3 * i + 3);
      fast.update(g, a, m, dt);
      outFast.set(fast.getQuat(q), 4 * i);
      slow.updateGyr(g, dt);
      slow.updateAcc(a, dt);
      if (i % 3 === 0) slow.updateMag(m, 3 * dt);
      outSlow.set(slow.getQuat(q), 4 * i);
    }
    // The heading gain per fused sample is that of a 100 Hz magnetometer (1 − e^(−Ts/τ)).
    expect(fast.getLastMagGain()).toBeCloseTo(1 - Math.exp(-(3 / RATE_HZ) / VQF_DEFAULTS.tauMagS), 12);
    expect(fast.getLastMagGain()).toBeCloseTo(slow.getLastMagGain(), 12);
    // Exactly the filter with the magnetometer fused at 100 Hz: same samples, same steps.
    expect(outFast).toEqual(outSlow);
    expect(rmsErrorDeg(outFast, truth, 2, 10 * RATE_HZ, n)).toBeLessThan(1);
  });

  it('learns the rates from the time steps and follows a rate change (coefficients recomputed only then)', () => {
    const f = new Vqf({ magEnabled: false });
    const g = [0, 0, 0], a = [0, 0, 9.81];
    for (let i = 0; i < 500; i++) f.update(g, a, null, 0.01);
    expect(f.getState().coeffTsS.slice(0, 2)).toEqual([0.01, 0.01]);
    // Jitter of ±20 % and one 0.5 s gap do not count as a rate change.
    for (let i = 0; i < 500; i++) f.update(g, a, null, i === 250 ? 0.5 : 0.01 * (1 + 0.2 * Math.sin(i)));
    expect(f.getState().coeffTsS[0]).toBe(0.01);
    // A real change to 50 Hz is followed within a few hundred samples.
    for (let i = 0; i < 400; i++) f.update(g, a, null, 0.02);
    const ts = f.getState().coeffTsS[0]!;
    expect(Math.abs(ts - 0.02) / 0.02).toBeLessThan(0.06);
    const q = f.getQuat6D(new Float64Array(4));
    expect(quat.angleRad(q)).toBeLessThan(1e-9); // level and still throughout
  });
});

describe('Vqf params', () => {
  it('documents the published defaults', () => {
    expect(VQF_DEFAULTS.tauAccS).toBe(3);
    expect(VQF_DEFAULTS.tauMagS).toBe(9);
    expect(VQF_DEFAULTS.biasSigmaInitDegS).toBe(0.5);
    expect(VQF_DEFAULTS.biasForgettingTimeS).toBe(100);
    expect(VQF_DEFAULTS.biasClipDegS).toBe(2);
    expect(VQF_DEFAULTS.biasSigmaMotionDegS).toBe(0.1);
    expect(VQF_DEFAULTS.biasSigmaRestDegS).toBe(0.03);
    expect([VQF_DEFAULTS.restMinS, VQF_DEFAULTS.restThGyrDegS, VQF_DEFAULTS.restThAccMS2]).toEqual([1.5, 2, 0.5]);
    expect([VQF_DEFAULTS.magNormTh, VQF_DEFAULTS.magDipThDeg, VQF_DEFAULTS.magMaxRejectionTimeS]).toEqual([0.1, 10, 60]);
    expect([VQF_DEFAULTS.motionBiasEst, VQF_DEFAULTS.restBiasEst, VQF_DEFAULTS.magDistRejection]).toEqual([true, true, true]);
  });

  it('rejects bad parameters and unknown keys with VqfParamError', () => {
    expect(() => resolveVqfParams({ tauAccS: -1 })).toThrow(VqfParamError);
    expect(() => resolveVqfParams({ biasClipDegS: 0 })).toThrow(/biasClipDegS/);
    expect(() => resolveVqfParams({ tauMagS: NaN })).toThrow(VqfParamError);
    expect(() => resolveVqfParams({ magEnabled: 1 as unknown as boolean })).toThrow(/boolean/);
    expect(() => resolveVqfParams({ tauAcc: 3 } as never)).toThrow(/not a VQF parameter/);
    expect(() => new Vqf({}, { rateHz: 0 })).toThrow(VqfParamError);
    expect(resolveVqfParams({ tauAccS: 0 }).tauAccS).toBe(0);
  });

  it('tauAcc 0 trusts the accelerometer completely (inclination = accelerometer direction)', () => {
    const f = new Vqf({ tauAccS: 0, magEnabled: false, motionBiasEst: false, restBiasEst: false }, { rateHz: 100 });
    const acc = [3, -2, 9];
    f.update([0.3, -0.2, 0.1], acc, null, 0.01);
    f.update([0.3, -0.2, 0.1], acc, null, 0.01);
    const up = quat.rotate(new Float64Array(3), f.getQuat6D(new Float64Array(4)), acc);
    expect(up[0]).toBeCloseTo(0, 12);
    expect(up[1]).toBeCloseTo(0, 12);
    expect(up[2]).toBeCloseTo(Math.hypot(3, 2, 9), 12);
  });
});
