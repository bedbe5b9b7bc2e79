/**
 * Mahony-specific behaviour: the PI feedback — k_P sets the correction time constant, the
 * integral term is the gyroscope bias estimate and converges on a still sensor.
 */
import { describe, expect, it } from 'vitest';
import { MahonyFilter } from '../../src/fusion/mahony';
import { FilterParameterError } from '../../src/math/errors';
import * as quat from '../../src/math/quat';
import { SAT_GYR, createBlock } from '../../src/samples/block';
import { simulate, staticScenario } from '../../src/sim/index';
import { DEG, errorParts, runAndCompare } from './madgwickMahonyHelpers';

const BIAS = [0.02, -0.03, 0.01]; // rad/s (≈ 1.1, −1.7, 0.6 °/s)

function biasedStill(durationS: number, pitchDeg = 25, rollDeg = -40) {
  return simulate(
    staticScenario({ yawDeg: 30, pitchDeg, rollDeg, durationS, noise: { gyr: { bias: BIAS, noiseStd: 0.003 }, acc: { noiseStd: 0.02 }, mag: { noiseStd: 0.3 } } }),
    { rateHz: 100 },
  );
}

describe('Mahony', () => {
  it('defaults: k_P 0.74, k_I 0.0012 (BROAD); bad gains refused', () => {
    const f = new MahonyFilter();
    expect(f.name).toBe('mahony');
    expect([f.kp, f.ki]).toEqual([0.74, 0.0012]);
    expect(new MahonyFilter({ kp: 1, useMag: false }).params).toEqual({ rateHz: 100, useMag: false, reinitAfterGapS: 1, initialBiasRadS: [0, 0, 0], kp: 1, ki: 0.0012 });
    expect(() => new MahonyFilter({ kp: -1 })).toThrow(FilterParameterError);
    expect(() => new MahonyFilter({ ki: Infinity })).toThrow(FilterParameterError);
  });

  it('k_P is the correction rate: a small tilt error decays as exp(−k_P t)', () => {
    for (const kp of [0.5, 2]) {
      const f = new MahonyFilter({ kp, ki: 0, useMag: false });
      f.setQuat(quat.fromAxisAngle(quat.create(), [0, 1, 0], 2 / DEG));
      const t = 1 / kp;
      for (let i = 0; i < Math.round(t * 1000); i++) f.update([0, 0, 0], [0, 0, 9.81], null, 0.001);
      const err = errorParts(f.getQuat(quat.create()), [1, 0, 0, 0]).inclinationDeg;
      expect(err / 2).toBeCloseTo(Math.exp(-1), 2);
    }
  });

  it('9D: the integral converges to the gyroscope bias on all axes within 60 s (k_P 1, k_I 0.1)', () => {
    const sim = biasedStill(60);
    const f = new MahonyFilter({ kp: 1, ki: 0.1 });
    runAndCompare(f, sim);
    const b = f.getBiasRadS(new Float64Array(3));
    // Inclination axes settle with τ ≈ 9 s; the heading axis is seen through the field's
    // horizontal part only (cos²(65°) weaker), so it is allowed more.
    for (let c = 0; c < 3; c++) expect(Math.abs(b[c]! - BIAS[c]!), `axis ${c}`).toBeLessThan(1e-3);
    // Without bias estimation the same data leave a standing inclination error of the order
    // of |bias|/k_P; with it, it is gone (the heading, observed more weakly, takes longer).
    expect(runAndCompare(new MahonyFilter({ kp: 1, ki: 0 }), sim, 50).inclinationMaxDeg).toBeGreaterThan(1);
    expect(runAndCompare(new MahonyFilter({ kp: 1, ki: 0.1 }), sim, 50).inclinationMaxDeg).toBeLessThan(0.3);
  });

  it('6D: only the bias perpendicular to gravity is observable and learnt', () => {
    const sim = biasedStill(60, 0, 0); // level: gravity along sensor z
    const f = new MahonyFilter({ kp: 1, ki: 0.1, useMag: false });
    runAndCompare(f, sim);
    const b = f.getBiasRadS(new Float64Array(3));
    expect(b[0]).toBeCloseTo(BIAS[0]!, 3);
    expect(b[1]).toBeCloseTo(BIAS[1]!, 3);
    expect(Math.abs(b[2]!)).toBeLessThan(1e-4);
  });

  it('k_I = 0 learns nothing; a saturated gyroscope freezes the integral', () => {
    const f = new MahonyFilter({ ki: 0 });
    runAndCompare(f, biasedStill(5));
    expect(Array.from(f.getBiasRadS(new Float64Array(3)))).toEqual([0, 0, 0]);
    const g = new MahonyFilter({ kp: 1, ki: 0.5 });
    const n = 200;
    const block = createBlock({ sensorId: 'x', rateHz: 100 }, n, { saturated: true });
    for (let i = 0; i < n; i++) {
      block.tS[i] = i / 100;
      block.accMS2.set([0, 0, 9.81], 3 * i);
      block.gyrRadS.set([0.05, 0, 0], 3 * i);
    }
    block.saturated!.fill(SAT_GYR);
    g.updateBlock(block, new Float64Array(4 * n));
    expect(Array.from(g.getBiasRadS(new Float64Array(3)))).toEqual([0, 0, 0]);
    block.saturated!.fill(0);
    for (let i = 0; i < n; i++) block.tS[i] = 2 + i / 100;
    g.updateBlock(block, new Float64Array(4 * n));
    expect(g.getBiasRadS(new Float64Array(3))[0]).toBeGreaterThan(0.005);
  });
});
