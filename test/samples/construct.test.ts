import { describe, expect, it } from 'vitest';
import { SAT_GYR } from '../../src/samples/block';
import { GyroWithoutAccError, blockDurationS, blockFromArrays, checkBlockShape } from '../../src/samples/construct';
import { BlockShapeError } from '../../src/samples/errors';

const info = { sensorId: 'shank', rateHz: 100 };

describe('blockFromArrays', () => {
  it('accepts flat arrays and rows, copying non-Float64 input and keeping Float64Array as is', () => {
    const acc = new Float64Array([1, 2, 3, 4, 5, 6]);
    const b = blockFromArrays(info, {
      tS: [0, 0.01],
      accMS2: acc,
      gyrRadS: [
        [0.1, 0.2, 0.3],
        [0.4, 0.5, 0.6],
      ],
      quat: [1, 0, 0, 0, 0, 1, 0, 0],
      saturated: [0, SAT_GYR],
      gapBeforeS: 0.5,
    });
    expect(b.tS).toBeInstanceOf(Float64Array);
    expect(Array.from(b.tS)).toEqual([0, 0.01]);
    expect(b.accMS2).toBe(acc);
    expect(Array.from(b.gyrRadS)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
    expect(Array.from(b.quat!)).toEqual([1, 0, 0, 0, 0, 1, 0, 0]);
    expect(b.magUT).toBeUndefined();
    expect(Array.from(b.saturated!)).toEqual([0, SAT_GYR]);
    expect(b.gapBeforeS).toBe(0.5);
    expect(b.info).toBe(info);
  });

  it('throws a typed error naming the channel when lengths mismatch', () => {
    try {
      blockFromArrays(info, { tS: [0, 1, 2], accMS2: new Float64Array(9), gyrRadS: new Float64Array(8) });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(BlockShapeError);
      const err = e as BlockShapeError;
      expect([err.field, err.expectedLength, err.actualLength, err.sensorId]).toEqual(['gyrRadS', 9, 8, 'shank']);
      expect(err.message).toContain('gyrRadS has length 8, expected 9');
    }
    expect(() => blockFromArrays(info, { tS: [0], accMS2: [[1, 2]], gyrRadS: [0, 0, 0] })).toThrow(/accMS2\[0\] has length 2/);
    expect(() => blockFromArrays(info, { tS: [0], accMS2: [0, 0, 0], gyrRadS: [0, 0, 0], magUT: [1, 2, 3, 4] })).toThrow(BlockShapeError);
    expect(() => blockFromArrays(info, { tS: [0], accMS2: [0, 0, 0], gyrRadS: [0, 0, 0], quat: [1, 0, 0] })).toThrow(BlockShapeError);
    expect(() => blockFromArrays(info, { tS: [0], accMS2: [0, 0, 0], gyrRadS: [0, 0, 0], saturated: [0, 0] })).toThrow(BlockShapeError);
    expect(() => blockFromArrays(info, { tS: [0], accMS2: [0, 0, 0], gyrRadS: [0, 0, 0], gapBeforeS: -1 })).toThrow(RangeError);
  });
});

describe('blockFromArrays: accelerometer without gyroscope', () => {
  it('accepts acc without gyr (Polar H10) and checks its length', () => {
    const h = blockFromArrays({ sensorId: 'chest' }, { tS: [0, 0.005], accMS2: [[0, 0, 9.8], [0.1, 0, 9.7]] });
    expect(Array.from(h.accMS2)).toEqual([0, 0, 9.8, 0.1, 0, 9.7]);
    expect(h.gyrRadS).toBeUndefined();
    expect(() => checkBlockShape(h)).not.toThrow();
    expect(() => blockFromArrays(info, { tS: [0, 1], accMS2: [0, 0, 0] })).toThrow(/accMS2 has length 3, expected 6/);
  });

  it('refuses gyr without acc with a typed error that says so', () => {
    for (const run of [
      () => blockFromArrays(info, { tS: [0, 1], gyrRadS: new Float64Array(6) }),
      () => checkBlockShape({ info, tS: new Float64Array(2), gyrRadS: new Float64Array(6) }),
    ]) {
      let err: unknown;
      try {
        run();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(GyroWithoutAccError);
      expect(err).toBeInstanceOf(BlockShapeError);
      expect(err).toMatchObject({ sensorId: 'shank', field: 'accMS2', expectedLength: 6, actualLength: 0 });
      expect((err as Error).message).toBe('shank: gyrRadS given without accMS2 (a block may have acc without gyr, not gyr without acc)');
    }
  });
});

describe('checkBlockShape, blockDurationS', () => {
  it('checks an assembled block', () => {
    const good = blockFromArrays(info, { tS: [0, 1], accMS2: new Float64Array(6), gyrRadS: new Float64Array(6) });
    expect(() => checkBlockShape(good)).not.toThrow();
    expect(() => checkBlockShape({ ...good, quat: new Float64Array(7) })).toThrow(BlockShapeError);
  });

  it('is last minus first time, 0 below two samples', () => {
    expect(blockDurationS(blockFromArrays(info, { tS: [2, 2.5, 4.25], accMS2: new Float64Array(9), gyrRadS: new Float64Array(9) }))).toBe(2.25);
    expect(blockDurationS(blockFromArrays(info, { tS: [3], accMS2: new Float64Array(3), gyrRadS: new Float64Array(3) }))).toBe(0);
  });
});
