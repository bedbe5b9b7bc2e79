import { describe, expect, it } from 'vitest';
import { BleConfigError, BlePacketError } from '../../../src/io/ble/errors';
import { bytesToHex } from '../../../src/io/ble/hex';
import { PolarPmdDriver } from '../../../src/io/ble/polarPmd';
import {
  PMD_CONTROL,
  PMD_DATA,
  decodePmdDeltaFrames,
  parsePmdFeatures,
  parsePmdResponse,
  parsePmdSettings,
  parsePmdStartFactor,
  pmdSettingsQuery,
  pmdStartCommand,
  pmdStopCommand,
} from '../../../src/io/ble/polarPmdProtocol';
import { DEG_TO_RAD, STANDARD_GRAVITY_MS2 } from '../../../src/samples/units';
import { f32, i16, i24, packDeltas, u16, u64, view } from './bytes';

const T0 = 700_000_000_000_000_000n; // ns since 2000: 2022-03-07

/** A PMD data frame. */
function frame(type: number, tsNs: bigint, frameType: number, payload: number[]): DataView {
  return view([type, ...u64(tsNs), frameType, ...payload]);
}

/** Compressed xyz frame from int16 samples: reference + one delta block per (width, count) segment. */
function compressed(samples: number[][], segments: [width: number, count: number][]): number[] {
  const out = [...i16(samples[0]![0]!), ...i16(samples[0]![1]!), ...i16(samples[0]![2]!)];
  let k = 1;
  for (const [width, count] of segments) {
    const deltas = samples.slice(k, k + count).map((s, i) => s.map((v, c) => v - samples[k + i - 1]![c]!));
    out.push(width, count, ...packDeltas(width, deltas));
    k += count;
  }
  expect(k).toBe(samples.length);
  return out;
}

describe('Polar PMD commands and answers', () => {
  it('builds the H10 ACC 200 Hz, 16 bit, ±8 g start command from sensors.md', () => {
    expect(bytesToHex(pmdStartCommand(2, { sampleRateHz: 200, resolutionBits: 16, range: 8 }))).toBe('02 02 00 01 c8 00 01 01 10 00 02 01 08 00');
  });
  it('builds settings query, stop, range-in-milli-units and channels', () => {
    expect(bytesToHex(pmdSettingsQuery(5))).toBe('01 05');
    expect(bytesToHex(pmdStopCommand(2))).toBe('03 02');
    expect(bytesToHex(pmdStartCommand(5, { sampleRateHz: 52, resolutionBits: 16, range: 2000, rangeMilli: 70000, channels: 3 }))).toBe(
      '02 05 00 01 34 00 01 01 10 00 02 01 d0 07 03 01 70 11 01 00 04 01 03',
    );
    expect(() => pmdStartCommand(2, { sampleRateHz: 70000, resolutionBits: 16 })).toThrow(RangeError);
  });
  it('parses the feature bitmap', () => {
    expect(parsePmdFeatures(view('0f 65'))).toEqual({ ecg: true, ppg: false, acc: true, ppi: false, gyro: true, mag: true });
    expect(parsePmdFeatures(view('0f'))).toBeNull();
  });
  it('parses a settings answer with rates, resolution, ranges and factor', () => {
    const r = parsePmdResponse(view([0xf0, 1, 2, 0, 0, 0, 2, ...u16(52), ...u16(104), 1, 1, ...u16(16), 2, 2, ...u16(8), ...u16(16), 5, 1, ...f32(0.000244140625)]))!;
    expect(r).toMatchObject({ opCode: 1, measurementType: 2, status: 0, statusText: 'success', more: 0 });
    const s = parsePmdSettings(r.params);
    expect(s).toMatchObject({ sampleRateHz: [52, 104], resolutionBits: [16], range: [8, 16] });
    expect(s.factor).toBeCloseTo(0.000244140625, 12);
    expect(() => parsePmdSettings(Uint8Array.of(0, 3, 1))).toThrow(RangeError);
  });
  it('reads the factor from a start answer (bare f32 or settings list) and names error statuses', () => {
    expect(parsePmdStartFactor(Uint8Array.from(f32(0.5)))).toBe(0.5);
    expect(parsePmdStartFactor(Uint8Array.from([5, 1, ...f32(0.25)]))).toBe(0.25);
    expect(parsePmdStartFactor(Uint8Array.from(f32(NaN)))).toBeUndefined();
    expect(parsePmdResponse(view('f0 02 05 08 00'))!.statusText).toBe('invalid sample rate');
    expect(parsePmdResponse(view('02 02 05 08 00'))).toBeNull();
  });
});

describe('Polar PMD delta frames', () => {
  it('decodes several bit widths with negative deltas, cumulatively', () => {
    const samples = [
      [1000, -2000, 3000],
      [1001, -2003, 2998], // 3-bit deltas
      [999, -2000, 3001],
      [1100, -2100, 2900], // 8-bit deltas
      [1000, -1990, 3020],
      [1000, -1990, 3020], // zero delta in a wide block
      [-31000, 30000, 0], // 17-bit deltas
    ];
    const bytes = Uint8Array.from(compressed(samples, [[3, 2], [8, 3], [17, 1]]));
    const d = decodePmdDeltaFrames(bytes, 3, 16);
    expect(d.ok && d.raw).toEqual(samples.flat());
  });
  it('reports truncated blocks and widths over 32 bits', () => {
    const ok = compressed([[1, 2, 3], [2, 3, 4]], [[4, 1]]);
    expect(decodePmdDeltaFrames(Uint8Array.from(ok.slice(0, -1)), 3, 16).ok).toBe(false);
    expect(decodePmdDeltaFrames(Uint8Array.from([...ok.slice(0, 6), 33, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), 3, 16).ok).toBe(false);
    expect(decodePmdDeltaFrames(Uint8Array.from([...ok, 4]), 3, 16).ok).toBe(false); // dangling header byte
  });
});

describe('PolarPmdDriver.decode', () => {
  const factor = 0.000244140625; // 1/4096 g per LSB

  function driver() {
    // The factor normally comes from the start answer.
    return new PolarPmdDriver({ sensorId: 'verity', factors: { acc: factor, gyro: 0.06103515625 } });
  }

  it('pairs compressed ACC and GYRO frames into SI blocks with sensor-clock times', () => {
    const d = driver();
    const acc = Array.from({ length: 4 }, (_, k) => [4096 + k, -k * 3, 2048 - 5 * k]);
    const gyr = Array.from({ length: 4 }, (_, k) => [16 * k, -100, 7 - k]);
    const dtNs = 19_230_769n; // 52 Hz
    const r1 = d.decode(frame(2, T0 + 3n * dtNs, 0x80, compressed(acc, [[4, 3]])), 10, PMD_DATA);
    expect(r1.block).toBeNull(); // waits for the gyroscope
    const r2 = d.decode(frame(5, T0 + 3n * dtNs, 0x80, compressed(gyr, [[6, 3]])), 10.001, PMD_DATA);
    expect(r2.problems).toEqual([]);
    const b = r2.block!;
    expect(b.tS.length).toBe(4);
    expect(b.info.sensorId).toBe('verity');
    expect(b.accMS2![0]).toBeCloseTo(4096 * factor * STANDARD_GRAVITY_MS2, 12);
    expect(b.accMS2![5]).toBeCloseTo((2048 - 5) * factor * STANDARD_GRAVITY_MS2, 12);
    expect(b.gyrRadS![3]).toBeCloseTo(16 * 0.06103515625 * DEG_TO_RAD, 12);
    // Last sample ↦ arrival time of the first frame; first frame spaced at 1/52 s.
    expect(b.tS[3]).toBeCloseTo(10, 9);
    expect(b.tS[3]! - b.tS[2]!).toBeCloseTo(1 / 52, 9);

    // Next frames: spread over the interval between frame timestamps (here 4 samples in 80 ms).
    const r3 = d.decode(frame(2, T0 + 3n * dtNs + 80_000_000n, 0x80, compressed(acc, [[4, 3]])), 10.2, PMD_DATA);
    const r4 = d.decode(frame(5, T0 + 3n * dtNs + 80_000_000n, 0x80, compressed(gyr, [[6, 3]])), 10.2, PMD_DATA);
    expect(r3.block).toBeNull();
    const b2 = r4.block!;
    expect(b2.tS[0]! - b.tS[3]!).toBeCloseTo(0.02, 9);
    expect(b2.tS[3]).toBeCloseTo(10.08, 9);
    expect(b2.gapBeforeS).toBeUndefined();
  });

  it('decodes uncompressed int8/int16/int24 ACC frames in mG (paired with GYRO)', () => {
    for (const [ft, enc] of [
      [0, (v: number) => [v & 0xff]],
      [1, i16],
      [2, i24],
    ] as const) {
      const d = driver();
      const mg = [[100, -50, 1000 % 128], [-128 + 1, 127, 0]];
      const payload = mg.flat().flatMap((v) => enc(ft === 0 ? Math.max(-128, Math.min(127, v)) : v));
      d.decode(frame(2, T0, ft, payload), 1, PMD_DATA);
      const b = d.decode(frame(5, T0, 0x80, compressed([[0, 0, 0], [1, 1, 1]], [[2, 1]])), 1, PMD_DATA).block!;
      expect(b.tS.length).toBe(2);
      expect(b.accMS2![1]).toBeCloseTo((-50 * STANDARD_GRAVITY_MS2) / 1000, 12);
      expect(b.accMS2![4]).toBeCloseTo((127 * STANDARD_GRAVITY_MS2) / 1000, 12);
    }
  });

  it('reports a dropped frame from the timestamps and marks the gap', () => {
    const d = driver();
    const s = [[0, 0, 0], [1, 1, 1], [2, 2, 2], [3, 3, 3]];
    const dt = 19_230_769n;
    const push = (i: number, tHost: number) => {
      const ts = T0 + BigInt(4 * i + 3) * dt;
      const ra = d.decode(frame(2, ts, 0x80, compressed(s, [[2, 3]])), tHost, PMD_DATA);
      const rg = d.decode(frame(5, ts, 0x80, compressed(s, [[2, 3]])), tHost, PMD_DATA);
      return [...ra.problems, ...rg.problems, rg.block] as const;
    };
    push(0, 1);
    push(1, 1.08);
    const out = push(3, 1.24); // frames 2 of both streams lost
    const problems = out.slice(0, -1) as { kind: string; missingSamples?: number }[];
    expect(problems.filter((p) => p.kind === 'dropped').map((p) => p.missingSamples)).toEqual([4, 4]);
    const b = out[out.length - 1] as { gapBeforeS?: number; tS: Float64Array };
    expect(b.tS.length).toBe(4);
    expect(b.gapBeforeS! * 52).toBeCloseTo(4, 3);
  });

  it('reports duplicates (not emitted twice), out-of-order frames and garbage without throwing', () => {
    const d = driver();
    const s = [[0, 0, 0], [1, 1, 1]];
    d.decode(frame(2, T0 + 1_000_000_000n, 0x80, compressed(s, [[2, 1]])), 1, PMD_DATA);
    expect(d.decode(frame(2, T0 + 1_000_000_000n, 0x80, compressed(s, [[2, 1]])), 1, PMD_DATA).problems.map((p) => p.kind)).toEqual(['duplicate']);
    expect(d.decode(frame(2, T0, 0x80, compressed(s, [[2, 1]])), 1, PMD_DATA).problems.map((p) => p.kind)).toEqual(['out-of-order', 'unpaired']);
    const bad = d.decode(view('02 01 02'), 1, PMD_DATA);
    expect(bad.block).toBeNull();
    const e = bad.problems[0] as BlePacketError;
    expect(e).toBeInstanceOf(BlePacketError);
    expect(e).toMatchObject({ driver: 'polar-pmd', kind: 'malformed', packetIndex: 3, bytesHex: '02 01 02' });
    expect(d.decode(frame(0, T0, 0, [1, 2, 3]), 1, PMD_DATA).problems[0]).toMatchObject({ kind: 'unsupported' });
    expect(d.decode(frame(2, T0 + 2n, 0x81, [1, 2, 3]), 1, PMD_DATA).problems[0]).toMatchObject({ kind: 'unsupported' });
    expect(d.decode(view('f0 02 02 00 00'), 1, PMD_CONTROL)).toMatchObject({ block: null, problems: [] });
  });

  it('decodes MAG into magnetometer-only blocks', () => {
    const d = new PolarPmdDriver({ sensorId: 'v', mag: { sampleRateHz: 50, resolutionBits: 16, range: 50 } });
    const b = d.decode(frame(6, T0, 0x80, compressed([[100, -200, 300], [101, -199, 301]], [[2, 1]])), 3, PMD_DATA).block!;
    expect(b.info.sensorId).toBe('v.mag');
    expect(b.accMS2).toBeUndefined();
    expect([...b.magUT!]).toEqual([100, -200, 300, 101, -199, 301].map((v) => v * 100));
  });

  it('refuses acc and gyro at different rates', () => {
    expect(() => new PolarPmdDriver({ acc: { sampleRateHz: 52, resolutionBits: 16 }, gyro: { sampleRateHz: 104, resolutionBits: 16 } })).toThrow(BleConfigError);
  });
});
