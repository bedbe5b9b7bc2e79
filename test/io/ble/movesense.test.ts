import { describe, expect, it } from 'vitest';
import { BleConfigError } from '../../../src/io/ble/errors';
import { bytesToHex } from '../../../src/io/ble/hex';
import { MOVESENSE_GSP, MovesenseDriver, movesenseHello, movesenseSubscribe, movesenseUnsubscribe } from '../../../src/io/ble/movesense';
import { DEG_TO_RAD } from '../../../src/samples/units';
import { f32, u16, u32, utf8, view } from './bytes';

const N = MOVESENSE_GSP.notify;

function data(ref: number, tMs: number, vectors: number[][]): DataView {
  return view([2, ref, ...u32(tMs), ...vectors.flatMap((v) => f32(...v))]);
}

describe('Movesense GSP commands', () => {
  it('builds HELLO, SUBSCRIBE with the UTF-8 path, UNSUBSCRIBE', () => {
    expect(bytesToHex(movesenseSubscribe(0x63, '/Meas/IMU9/104'))).toBe(bytesToHex([1, 0x63, ...utf8('/Meas/IMU9/104')]));
    expect(bytesToHex(movesenseHello())).toBe('00 01');
    expect(bytesToHex(movesenseUnsubscribe(0x63))).toBe('02 63');
    expect(new MovesenseDriver({ resources: ['IMU6'], rateHz: 208 }).subscribeCommands().map((c) => new TextDecoder().decode(c.slice(2)))).toEqual(['/Meas/IMU6/208']);
  });
  it('refuses rates outside the list, Acc without Gyro and a fast magnetometer', () => {
    expect(() => new MovesenseDriver({ rateHz: 100 })).toThrow(BleConfigError);
    expect(() => new MovesenseDriver({ resources: ['Acc'] })).toThrow(BleConfigError);
    expect(() => new MovesenseDriver({ resources: ['IMU9'], rateHz: 208 })).toThrow(BleConfigError);
  });
});

describe('MovesenseDriver.decode', () => {
  it('decodes IMU9 with N = 2: N acc, then N gyro, then N magn vectors', () => {
    const d = new MovesenseDriver({ sensorId: 'ms' });
    const acc = [[0.5, -1, 9.81], [0.25, -1.5, 9.5]];
    const gyr = [[10, -20, 30], [11, -21, 31]];
    const mag = [[20, -5, 40], [21, -6, 41]];
    const r = d.decode(data(0x63, 1000, [...acc, ...gyr, ...mag]), 5, N);
    expect(r.problems).toEqual([]);
    const b = r.block!;
    expect(b.tS.length).toBe(2);
    expect(b.tS[1]! - b.tS[0]!).toBeCloseTo(1 / 104, 12);
    expect(b.tS[1]).toBeCloseTo(5, 12); // newest sample ↦ arrival
    expect([...b.accMS2!].map((v) => +v.toFixed(4))).toEqual(acc.flat());
    expect(b.gyrRadS![4]).toBeCloseTo(-21 * DEG_TO_RAD, 5);
    expect([...b.magUT!].map((v) => +v.toFixed(3))).toEqual(mag.flat());

    // Next packet 2 samples later (≈ 19 ms): contiguous; then one lost packet.
    const r2 = d.decode(data(0x63, 1019, [...acc, ...gyr, ...mag]), 5.02, N);
    expect(r2.block!.gapBeforeS).toBeUndefined();
    const r3 = d.decode(data(0x63, 1058, [...acc, ...gyr, ...mag]), 5.06, N);
    expect(r3.problems).toMatchObject([{ source: 'stream', kind: 'dropped', stream: 'IMU9', missingSamples: 2 }]);
    expect(r3.block!.gapBeforeS! * 104).toBeCloseTo(2, 0);
    expect(d.decode(data(0x63, 1058, [...acc, ...gyr, ...mag]), 5.07, N).problems[0]).toMatchObject({ kind: 'duplicate' });
    expect(d.decode(data(0x63, 1000, [...acc, ...gyr, ...mag]), 5.08, N).problems[0]).toMatchObject({ kind: 'out-of-order' });
  });

  it('pairs Acc and Gyro subscriptions by sensor time and decodes Magn alone', () => {
    const d = new MovesenseDriver({ sensorId: 'ms', resources: ['Acc', 'Gyro', 'Magn'], rateHz: 52 });
    expect(d.decode(data(0x63, 500, [[1, 2, 3], [4, 5, 6]]), 1, N).block).toBeNull();
    const b = d.decode(data(0x64, 500, [[90, 0, 0], [0, 90, 0]]), 1.001, N).block!;
    expect(b.tS.length).toBe(2);
    expect(b.accMS2![3]).toBeCloseTo(4, 6);
    expect(b.gyrRadS![4]).toBeCloseTo(Math.PI / 2, 6);
    const m = d.decode(data(0x65, 500, [[30, 0, -30]]), 1.002, N).block!;
    expect(m.info.sensorId).toBe('ms.mag');
    expect(m.accMS2).toBeUndefined();
    expect([...m.magUT!]).toEqual([30, 0, -30]);
  });

  it('reports command failures, unknown references, bad lengths and NaN floats', () => {
    const d = new MovesenseDriver();
    expect(d.decode(view([1, 0x63, ...u16(200)]), 0, N)).toMatchObject({ block: null, problems: [] });
    expect(d.decode(view([1, 0x63, ...u16(404)]), 0, N).problems[0]).toMatchObject({ kind: 'command-failed', reason: '/Meas/IMU9/104: status 404' });
    expect(d.decode(data(0x70, 0, [[1, 2, 3]]), 0, N).problems[0]).toMatchObject({ kind: 'unsupported' });
    expect(d.decode(view([2, 0x63, ...u32(0), 1, 2, 3]), 0, N).problems[0]).toMatchObject({ kind: 'malformed' });
    const nan = d.decode(data(0x63, 10, [[NaN, 0, 0], [0, 0, 0], [0, 0, 0]]), 0, N);
    expect(nan.block).toBeNull();
    expect(nan.problems[0]).toMatchObject({ kind: 'non-finite', driver: 'movesense-gsp' });
    expect(d.decode(view([2]), 0, N).problems[0]).toMatchObject({ kind: 'malformed' });
  });

  it('unwraps the 32-bit ms counter', () => {
    const d = new MovesenseDriver({ resources: ['IMU6'], rateHz: 52 });
    const z = [[0, 0, 9.8], [0, 0, 0]];
    const t1 = d.decode(data(0x63, 2 ** 32 - 10, z), 1, N).block!.tS[0]!;
    const t2 = d.decode(data(0x63, 9, z), 1.02, N).block!.tS[0]!; // one IMU6 sample (2 vectors) later
    expect(t2 - t1).toBeCloseTo(1 / 52, 9);
  });
});
