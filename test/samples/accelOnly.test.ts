/**
 * Accelerometer-only blocks (Polar H10) through the samples layer: validation, resampling
 * and alignment with a full IMU keep each sensor's own channels and never invent a gyroscope.
 */
import { describe, expect, it } from 'vitest';
import { alignBlocks } from '../../src/samples/align';
import { blockFromArrays } from '../../src/samples/construct';
import { resampleBlock } from '../../src/samples/resample';
import { uniformGrid } from '../../src/samples/rate';
import { validateBlock } from '../../src/samples/validate';

/** Linear ramps: linear interpolation must reproduce them exactly (up to rounding). */
const accAt = (t: number) => [1 + 2 * t, -3 * t, 9.81 + 0.5 * t];

function h10(rateHz: number, n: number, t0 = 0) {
  const tS = Array.from({ length: n }, (_, k) => t0 + k / rateHz);
  return blockFromArrays({ sensorId: 'chest', rateHz }, { tS, accMS2: tS.map(accAt) });
}

describe('accelerometer-only blocks in the samples layer', () => {
  it('validate: rate, gaps and bad values are reported on the accelerometer, gyroscope counts stay 0', () => {
    const b = h10(200, 400);
    b.accMS2[3 * 10 + 1] = NaN;
    const r = validateBlock(b, { accRangeMS2: 78.4 });
    expect(r.measuredRateHz).toBeCloseTo(200, 6);
    expect(r.problems.map((p) => [p.kind, p.channel, p.index])).toEqual([['nan', 'acc', 10]]);
    expect(r.saturatedSamples).toEqual({ acc: 0, gyr: 0, mag: 0 });
    expect(r.ok).toBe(false);
  });

  it('resample: 200 Hz → 100 Hz keeps acc only, exact on a ramp', () => {
    const b = h10(200, 201);
    const grid = uniformGrid(0, 1, 100);
    const r = resampleBlock(b, grid);
    expect(r.block.gyrRadS).toBeUndefined();
    expect(r.validCount).toBe(grid.length);
    for (let k = 0; k < grid.length; k++) {
      const e = accAt(grid[k]!);
      for (let c = 0; c < 3; c++) expect(r.block.accMS2![3 * k + c]).toBeCloseTo(e[c]!, 12);
    }
  });

  it('align: an H10 at 200 Hz with a 52 Hz IMU on one grid, each with its own channels', () => {
    const chest = h10(200, 800, 0.013);
    const n = 200;
    const tS = Array.from({ length: n }, (_, k) => k / 52);
    const thigh = blockFromArrays({ sensorId: 'thigh', rateHz: 52 }, { tS, accMS2: tS.map(accAt), gyrRadS: tS.map((t) => [t, 0, -t]) });
    const a = alignBlocks([chest, thigh], { rateHz: 100 });
    const c = a.bySensorId['chest']!.block;
    const t = a.bySensorId['thigh']!.block;
    expect(c.gyrRadS).toBeUndefined();
    expect(t.gyrRadS!.length).toBe(3 * a.tS.length);
    expect(a.allValidCount).toBe(a.tS.length);
    expect(a.tS[0]).toBeCloseTo(0.013, 12);
    for (let k = 0; k < a.tS.length; k += 37) {
      const e = accAt(a.tS[k]!);
      for (let i = 0; i < 3; i++) {
        expect(c.accMS2![3 * k + i]).toBeCloseTo(e[i]!, 9);
        expect(t.accMS2![3 * k + i]).toBeCloseTo(e[i]!, 9);
      }
    }
  });
});
