import { describe, expect, it } from 'vitest';
import { BleConfigError } from '../../../src/io/ble/errors';
import { bytesToHex } from '../../../src/io/ble/hex';
import { THINGY_QUATERNION, THINGY_RAW, Thingy52Driver, parseThingyMotionConfig, thingyMotionConfigBytes } from '../../../src/io/ble/thingy52';
import { DEG_TO_RAD, STANDARD_GRAVITY_MS2 } from '../../../src/samples/units';
import { i16, i32, view } from './bytes';

describe('Thingy52Driver', () => {
  it('decodes raw data 0406: acc /64 g, gyro /2048 °/s, compass /4096 µT', () => {
    const d = new Thingy52Driver({ rateHz: 50 });
    const raw = [64, -32, 0, 2048, 0, -4096, 4096, 8192, -2048].flatMap(i16);
    const b = d.decode(view(raw), 2, THINGY_RAW).block!;
    expect(b.accMS2![0]).toBeCloseTo(STANDARD_GRAVITY_MS2, 12);
    expect(b.accMS2![1]).toBeCloseTo(-0.5 * STANDARD_GRAVITY_MS2, 12);
    expect(b.gyrRadS![0]).toBeCloseTo(DEG_TO_RAD, 12);
    expect(b.gyrRadS![2]).toBeCloseTo(-2 * DEG_TO_RAD, 12);
    expect([...b.magUT!]).toEqual([1, 2, -0.5]);
    expect(b.tS[0]).toBe(2);
    expect(d.decode(view(raw.slice(0, 16)), 2.02, THINGY_RAW).problems[0]).toMatchObject({ kind: 'malformed', driver: 'thingy52' });
  });

  it('decodes quaternion 0404 (int32 / 2^30) into orientation-only blocks', () => {
    const d = new Thingy52Driver();
    const h = Math.SQRT1_2;
    const b = d.decode(view([h, 0, 0, h].flatMap((v) => i32(Math.round(v * 2 ** 30)))), 1, THINGY_QUATERNION).block!;
    expect(b.info.sensorId).toBe('thingy52.quat');
    expect(b.accMS2).toBeUndefined();
    expect(b.quat![0]).toBeCloseTo(h, 9);
    expect(b.quat![3]).toBeCloseTo(h, 9);
    expect(d.decode(view(new Array(16).fill(0)), 1.1, THINGY_QUATERNION).problems[0]).toMatchObject({ kind: 'malformed' });
  });

  it('reads and writes the 9-byte motion configuration', () => {
    const c = parseThingyMotionConfig(view('c8 00 f4 01 64 00 3c 00 01'))!;
    expect(c).toEqual({ stepIntervalMs: 200, tempCompIntervalMs: 500, magCompIntervalMs: 100, motionFrequencyHz: 60, wakeOnMotion: true });
    expect(bytesToHex(thingyMotionConfigBytes({ ...c, motionFrequencyHz: 100 }))).toBe('c8 00 f4 01 64 00 64 00 01');
    expect(() => new Thingy52Driver({ rateHz: 250 })).toThrow(BleConfigError);
  });
});
