import { describe, expect, it } from 'vitest';
import { SAT_ACC, SAT_GYR, concatBlocks } from '../../src/samples/block';
import { ERROR_PRESETS, noiseStdFromDensity, type ErrorPresetName, type SensorErrorParams } from '../../src/sim/errors';
import { freeMotionScenario, kneeFlexionScenario, staticScenario } from '../../src/sim/scenarios';
import { SimInputError } from '../../src/sim/sim-error';
import { simulate } from '../../src/sim/simulate';
import { sameBytes } from './helpers';

/** Output minus truth for one channel of a single-block simulation, per axis. */
function residuals(out: Float64Array, truth: Float64Array): number[][] {
  const r: number[][] = [[], [], []];
  for (let i = 0; i < out.length; i++) r[i % 3]!.push(out[i]! - truth[i]!);
  return r;
}
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const std = (v: number[]) => {
  const m = mean(v);
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
};

function staticWith(errors: SensorErrorParams | ErrorPresetName, durationS = 60) {
  return simulate(staticScenario({ rollDeg: 20, pitchDeg: 10, durationS, noise: errors }), { rateHz: 100 });
}

describe('determinism', () => {
  const sc = kneeFlexionScenario({ reps: 3, noise: 'consumer', softTissue: true });
  const opts = { rateHz: 100, durationS: 20 };
  const withDrops = { ...ERROR_PRESETS.consumer, drops: { probability: 0.01, burstMeanSamples: 3 }, clock: { timestampJitterStdS: 1e-4 } };

  it('same seed, same bytes', () => {
    const a = simulate(sc, { ...opts, seed: 11, errors: withDrops });
    const b = simulate(sc, { ...opts, seed: 11, errors: withDrops });
    for (const id of ['thigh', 'shank']) {
      const ca = concatBlocks(a.blocks[id]!).block, cb = concatBlocks(b.blocks[id]!).block;
      expect(sameBytes(ca.tS, cb.tS)).toBe(true);
      expect(sameBytes(ca.gyrRadS, cb.gyrRadS)).toBe(true);
      expect(sameBytes(ca.accMS2, cb.accMS2)).toBe(true);
      expect(sameBytes(ca.magUT!, cb.magUT!)).toBe(true);
      expect(a.blocks[id]!.map((x) => x.gapBeforeS)).toEqual(b.blocks[id]!.map((x) => x.gapBeforeS));
    }
  });

  it('different seed, different noise (but the same truth without seeded wobble)', () => {
    const plain = kneeFlexionScenario({ reps: 3, noise: 'consumer' });
    const a = simulate(plain, { ...opts, seed: 1 });
    const b = simulate(plain, { ...opts, seed: 2 });
    expect(sameBytes(a.blocks.shank![0]!.gyrRadS, b.blocks.shank![0]!.gyrRadS)).toBe(false);
    expect(sameBytes(a.truth.sensors.shank!.quat, b.truth.sensors.shank!.quat)).toBe(true);
  });

  it('enabling drops does not change the noise of the samples that remain', () => {
    const a = simulate(sc, { ...opts, seed: 3 });
    const b = simulate(sc, { ...opts, seed: 3, errors: { ...ERROR_PRESETS.consumer, drops: { probability: 0.02 } } });
    const full = a.blocks.thigh![0]!;
    const kept = b.truth.sensors.thigh!.emitted;
    const cat = concatBlocks(b.blocks.thigh!).block;
    let j = 0;
    let mismatches = 0;
    for (let k = 0; k < kept.length; k++) {
      if (!kept[k]) continue;
      for (let c = 0; c < 3; c++) if (cat.gyrRadS[3 * j + c] !== full.gyrRadS[3 * k + c]) mismatches++;
      j++;
    }
    expect(mismatches).toBe(0);
    expect(j).toBe(cat.tS.length);
    expect(j).toBeLessThan(kept.length);
  });

  it('ideal errors reproduce the truth exactly', () => {
    const r = simulate(sc, { ...opts, errors: 'ideal' });
    expect(sameBytes(r.blocks.shank![0]!.gyrRadS, r.truth.sensors.shank!.gyrRadS)).toBe(true);
    expect(sameBytes(r.blocks.shank![0]!.accMS2, r.truth.sensors.shank!.accMS2)).toBe(true);
  });
});

describe('noise and bias', () => {
  it('white noise has the configured std on every axis, and zero mean', () => {
    const { blocks, truth } = staticWith({ gyr: { noiseStd: 0.01 }, acc: { noiseStd: 0.05 }, mag: { noiseStd: 0.4 } });
    const b = blocks.imu![0]!;
    const t = truth.sensors.imu!;
    const n = b.tS.length; // 6000 per axis: std within ~±2 %, 5σ bound below
    for (const [out, tr, sd] of [
      [b.gyrRadS, t.gyrRadS, 0.01],
      [b.accMS2, t.accMS2, 0.05],
      [b.magUT!, t.magUT, 0.4],
    ] as const) {
      for (const r of residuals(out, tr)) {
        expect(Math.abs(std(r) / sd - 1)).toBeLessThan(5 / Math.sqrt(2 * n));
        expect(Math.abs(mean(r))).toBeLessThan((5 * sd) / Math.sqrt(n));
      }
    }
  });

  it('a constant bias shows up as the mean', () => {
    const bias = [0.02, -0.03, 0.01];
    const { blocks, truth } = staticWith({ gyr: { noiseStd: 0.005, bias } });
    const r = residuals(blocks.imu![0]!.gyrRadS, truth.sensors.imu!.gyrRadS);
    r.forEach((axis, i) => expect(Math.abs(mean(axis) - bias[i]!)).toBeLessThan(5 * 0.005 / Math.sqrt(axis.length)));
    expect(Array.from(truth.sensors.imu!.errors.gyr.bias)).toEqual(bias);
  });

  it('a random turn-on bias is drawn per sensor, reported in the truth, and seen in the output', () => {
    const { blocks, truth } = staticWith({ acc: { biasStd: 0.1 } }, 1);
    const drawn = truth.sensors.imu!.errors.acc.bias;
    expect(Math.hypot(drawn[0]!, drawn[1]!, drawn[2]!)).toBeGreaterThan(0);
    const r = residuals(blocks.imu![0]!.accMS2, truth.sensors.imu!.accMS2);
    r.forEach((axis, i) => expect(Math.max(...axis.map((v) => Math.abs(v - drawn[i]!)))).toBeLessThan(1e-12));
  });

  it('the random-walk bias grows with σ√Δt per step and is reported per sample', () => {
    const sigma = 0.01;
    const { blocks, truth } = staticWith({ gyr: { biasRandomWalk: sigma } }, 60);
    const t = truth.sensors.imu!;
    const b = blocks.imu![0]!;
    // Output − truth is exactly the reported bias trace.
    let worst = 0;
    for (let i = 0; i < b.gyrRadS.length; i++) worst = Math.max(worst, Math.abs(b.gyrRadS[i]! - t.gyrRadS[i]! - t.gyrBiasRadS[i]!));
    expect(worst).toBeLessThan(1e-12);
    const steps: number[] = [];
    for (let k = 1; k < b.tS.length; k++) steps.push(t.gyrBiasRadS[3 * k]! - t.gyrBiasRadS[3 * (k - 1)]!);
    expect(Math.abs(std(steps) / (sigma * Math.sqrt(0.01)) - 1)).toBeLessThan(0.05);
    expect(t.gyrBiasRadS[0]).toBe(0);
  });

  it('scale factor and misalignment apply M = I + diag(scale) + cross terms exactly', () => {
    const scale = [0.01, -0.02, 0.03];
    const mis = [0.001, -0.002, 0.003, 0.004, -0.005, 0.006]; // xy xz yx yz zx zy
    const { blocks, truth } = staticWith({ acc: { scale, misalignmentRad: mis } }, 0.1);
    const x = truth.sensors.imu!.accMS2.subarray(0, 3);
    const y = blocks.imu![0]!.accMS2.subarray(0, 3);
    const M = [1 + scale[0]!, mis[0]!, mis[1]!, mis[2]!, 1 + scale[1]!, mis[3]!, mis[4]!, mis[5]!, 1 + scale[2]!];
    for (let r = 0; r < 3; r++) expect(y[r]).toBeCloseTo(M[3 * r]! * x[0]! + M[3 * r + 1]! * x[1]! + M[3 * r + 2]! * x[2]!, 12);
    expect(Array.from(truth.sensors.imu!.errors.acc.matrix)).toEqual(M);
  });

  it('the consumer preset gives plausible MEMS-level errors', () => {
    const { truth } = staticWith('consumer', 10);
    const e = truth.sensors.imu!.errors;
    for (let i = 0; i < 3; i++) {
      expect(Math.abs(e.gyr.bias[i]!)).toBeLessThan(5 * 0.5 * (Math.PI / 180));
      expect(Math.abs(e.gyr.matrix[4 * i]! - 1)).toBeLessThan(0.03);
    }
    expect(e.gyr.noiseStd).toBe(0.005);
    expect(e.acc.noiseStd).toBe(0.02);
    expect(e.mag.noiseStd).toBe(0.5);
  });

  it('converts a datasheet noise density to a per-sample std', () => {
    // 0.014 °/s/√Hz (a BMI160-class gyro) at 100 Hz → 0.14 °/s.
    expect(noiseStdFromDensity(0.014, 100)).toBeCloseTo(0.14, 12);
    expect(() => noiseStdFromDensity(0.01, 0)).toThrow(SimInputError);
  });

  it('rejects bad parameters', () => {
    expect(() => staticWith({ gyr: { noiseStd: -1 } }, 1)).toThrow(SimInputError);
    expect(() => staticWith({ acc: { bias: [1, 2] } }, 1)).toThrow(SimInputError);
    expect(() => staticWith({ mag: { range: 0 } }, 1)).toThrow(SimInputError);
    expect(() => staticWith({ drops: { probability: 1 } }, 1)).toThrow(SimInputError);
    expect(() => simulate(staticScenario({ noise: 'lab-grade' as never }), {})).toThrow(/unknown error preset/);
  });
});

describe('saturation and quantisation', () => {
  it('clips at ±range, flags exactly the clipped samples, and leaves others untouched', () => {
    const range = 1.5;
    const sc = kneeFlexionScenario({ reps: 2, noise: { gyr: { range } } });
    const { blocks, truth } = simulate(sc, { rateHz: 100 });
    const b = blocks.shank![0]!;
    const t = truth.sensors.shank!;
    expect(b.saturated).toBeDefined();
    let flagged = 0, bad = 0;
    for (let k = 0; k < b.tS.length; k++) {
      const over = [0, 1, 2].some((c) => Math.abs(t.gyrRadS[3 * k + c]!) >= range);
      if (((b.saturated![k]! & SAT_GYR) !== 0) !== over || (b.saturated![k]! & SAT_ACC) !== 0) bad++;
      for (let c = 0; c < 3; c++) {
        const v = t.gyrRadS[3 * k + c]!;
        if (b.gyrRadS[3 * k + c] !== (Math.abs(v) >= range ? Math.sign(v) * range : v)) bad++;
      }
      if (over) flagged++;
    }
    expect(bad).toBe(0);
    expect(flagged).toBeGreaterThan(10);
    // The thigh never moves: nothing saturates, so no mask at all.
    expect(blocks.thigh![0]!.saturated).toBeUndefined();
  });

  it('quantises to multiples of the LSB within half an LSB of the input', () => {
    const lsb = 0.01;
    const { blocks, truth } = simulate(freeMotionScenario({ durationS: 5, noise: { acc: { lsb }, gyr: { lsb: 1e-3 } } }), { rateHz: 100 });
    const b = blocks.imu![0]!;
    const t = truth.sensors.imu!;
    let distinctSteps = 0, offGrid = 0, worst = 0;
    for (let i = 0; i < b.accMS2.length; i++) {
      const q = b.accMS2[i]! / lsb;
      offGrid = Math.max(offGrid, Math.abs(q - Math.round(q)));
      worst = Math.max(worst, Math.abs(b.accMS2[i]! - t.accMS2[i]!));
      if (i >= 3 && b.accMS2[i] !== b.accMS2[i - 3]) distinctSteps++;
    }
    expect(offGrid).toBeLessThan(1e-6);
    expect(worst).toBeLessThanOrEqual(lsb / 2 + 1e-12);
    expect(worst).toBeGreaterThan(lsb / 4); // it does round
    expect(distinctSteps).toBeGreaterThan(100);
  });
});

describe('clock and dropped samples', () => {
  it('dropped samples are absent; the next block carries gapBeforeS; truth keeps every true time', () => {
    const rateHz = 100;
    const sc = freeMotionScenario({ durationS: 30, noise: { drops: { probability: 0.01, burstMeanSamples: 4 } } });
    const { blocks, truth } = simulate(sc, { rateHz });
    const t = truth.sensors.imu!;
    expect(t.tS.length).toBe(3000);
    const bl = blocks.imu!;
    expect(bl.length).toBeGreaterThan(5);
    // Rebuild the emitted mask from the blocks and check each gap.
    let idx = 0;
    let emittedCount = 0;
    for (const b of bl) {
      const first = Math.round(b.tS[0]! * rateHz);
      const missing = first - idx;
      if (missing > 0) expect(b.gapBeforeS).toBeCloseTo(missing / rateHz, 12);
      else expect(b.gapBeforeS).toBeUndefined();
      let bad = 0;
      for (let i = 0; i < b.tS.length; i++) {
        const k = first + i;
        if (t.emitted[k] !== 1 || b.tS[i] !== t.reportedTS[k] || b.gyrRadS[3 * i] !== t.gyrRadS[3 * k]) bad++; // ideal sensor otherwise
      }
      for (let k = idx; k < first; k++) if (t.emitted[k] !== 0) bad++;
      expect(bad).toBe(0);
      idx = first + b.tS.length;
      emittedCount += b.tS.length;
    }
    expect(emittedCount).toBe(t.emitted.reduce((a, v) => a + v, 0));
    // Mean burst length ≈ 4 (geometric), dropout rate ≈ p per sample.
    let bursts = 0;
    for (let k = 0; k < t.emitted.length; k++) if (!t.emitted[k] && (k === 0 || t.emitted[k - 1])) bursts++;
    const dropped = t.emitted.length - emittedCount;
    expect(dropped / bursts).toBeGreaterThan(2.5);
    expect(dropped / bursts).toBeLessThan(6);
  });

  it('splits contiguous output into blocks of blockSize without gap markers', () => {
    const { blocks } = simulate(staticScenario({ durationS: 1 }), { rateHz: 100, blockSize: 16 });
    const bl = blocks.imu!;
    expect(bl.map((b) => b.tS.length)).toEqual([16, 16, 16, 16, 16, 16, 4]);
    expect(bl.every((b) => b.gapBeforeS === undefined)).toBe(true);
    expect(concatBlocks(bl).block.tS[99]).toBeCloseTo(0.99, 12);
  });

  it('clock drift: true sampling runs fast by ppm while timestamps stay nominal', () => {
    const { truth } = simulate(staticScenario({ durationS: 10, noise: { clock: { driftPpm: 1000, offsetS: 5 } } }), { rateHz: 100 });
    const t = truth.sensors.imu!;
    expect(t.tS.length).toBe(1001); // 10 s × 100.1 Hz
    expect(t.tS[1000]).toBeCloseTo(1000 / 100.1, 12);
    expect(t.reportedTS[1000]).toBeCloseTo(5 + 10, 12);
  });

  it('timestamp jitter has the configured std and keeps time strictly increasing', () => {
    const sd = 0.001;
    const { blocks, truth } = simulate(staticScenario({ durationS: 60, noise: { clock: { timestampJitterStdS: sd } } }), { rateHz: 100 });
    const b = blocks.imu![0]!;
    const dev: number[] = [];
    let bad = 0;
    for (let k = 0; k < b.tS.length; k++) {
      dev.push(b.tS[k]! - k / 100);
      if (k > 0 && !(b.tS[k]! > b.tS[k - 1]!)) bad++;
      if (truth.sensors.imu!.tS[k] !== k / 100) bad++; // true sampling untouched
    }
    expect(bad).toBe(0);
    expect(Math.abs(std(dev) / sd - 1)).toBeLessThan(0.05);
  });

  it('sampling jitter moves the true instants, and the truth follows them', () => {
    const { truth } = simulate(freeMotionScenario({ durationS: 5, noise: { clock: { samplingJitterStdS: 0.002 } } }), { rateHz: 100 });
    const t = truth.sensors.imu!;
    expect(t.tS.some((v, k) => Math.abs(v - k / 100) > 1e-4)).toBe(true);
    expect(Array.from(t.reportedTS.subarray(0, 3))).toEqual([0, 0.01, 0.02]);
    // Off the session grid, so its truth was evaluated at its own instants: differs from the grid truth.
    expect(truth.tS.length).toBe(500);
  });
});
