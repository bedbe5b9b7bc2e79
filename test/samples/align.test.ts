import { describe, expect, it } from 'vitest';
import * as quat from '../../src/math/quat';
import { sliceBlock, type SampleBlock } from '../../src/samples/block';
import { alignBlocks } from '../../src/samples/align';
import { blockFromArrays } from '../../src/samples/construct';
import { InsufficientSamplesError, NoOverlapError, SampleParameterError } from '../../src/samples/errors';

/**
 * A sensor sampling a linear signal of session time: acc = (1 + 2·T, −T, 9.81), and a
 * constant-rate rotation about z, where T = t + offsetS is session time and t the sensor's
 * own clock.
 */
function sensor(id: string, rateHz: number, t0: number, n: number, offsetS = 0, drop?: (i: number) => boolean): SampleBlock {
  const ts: number[] = [];
  for (let i = 0; i < n; i++) if (!drop?.(i)) ts.push(t0 + i / rateHz);
  const tS = Float64Array.from(ts);
  const m = tS.length;
  const acc = new Float64Array(3 * m), q = new Float64Array(4 * m), tmp = quat.create();
  for (let i = 0; i < m; i++) {
    const T = tS[i]! + offsetS;
    acc.set([1 + 2 * T, -T, 9.81], 3 * i);
    quat.writeAt(q, i, quat.fromAxisAngle(tmp, [0, 0, 1], 1.3 * T));
  }
  return blockFromArrays({ sensorId: id, rateHz }, { tS, accMS2: acc, gyrRadS: new Float64Array(3 * m), quat: q });
}

function expectMatchesTruth(block: SampleBlock, valid: Uint8Array, tS: Float64Array): void {
  const got = quat.create(), want = quat.create();
  for (let k = 0; k < tS.length; k++) {
    if (!valid[k]) continue;
    const T = tS[k]!;
    expect(Math.abs(block.accMS2![3 * k]! - (1 + 2 * T))).toBeLessThan(1e-12);
    expect(Math.abs(block.accMS2![3 * k + 1]! + T)).toBeLessThan(1e-12);
    quat.readAt(got, block.quat!, k);
    quat.fromAxisAngle(want, [0, 0, 1], 1.3 * T);
    expect(quat.distanceRad(got, want)).toBeLessThan(1e-12);
  }
}

describe('alignBlocks', () => {
  it('puts a 100 Hz and a 52 Hz sensor with offset starts on one grid over their overlap', () => {
    const a = sensor('thigh', 100, 0, 500); // 0 … 4.99 s
    const b = sensor('shank', 52, 0.37, 200); // 0.37 … 4.1969 s
    const r = alignBlocks([a, b]);
    expect(r.rateHz).toBeCloseTo(100, 6); // the faster sensor's measured rate
    expect(r.tS[0]).toBe(0.37);
    const last = 0.37 + 199 / 52;
    expect(r.tS[r.tS.length - 1]!).toBeLessThanOrEqual(last);
    expect(last - r.tS[r.tS.length - 1]!).toBeLessThan(0.0100001);
    expect(r.sensors.map((s) => s.sensorId)).toEqual(['thigh', 'shank']);
    expect(r.bySensorId.shank!.sourceRateHz).toBeCloseTo(52, 6);
    for (const s of r.sensors) {
      expect(s.validCount).toBe(r.tS.length);
      expect(s.block.tS).toBe(r.tS);
      expect(s.block.info.rateHz).toBe(r.rateHz);
      expectMatchesTruth(s.block, s.valid, r.tS);
    }
    expect(r.allValidCount).toBe(r.tS.length);
  });

  it('honours an explicit rate and span; outside a sensor’s data it is invalid', () => {
    const a = sensor('thigh', 100, 0, 500);
    const b = sensor('shank', 52, 1, 104); // 1 … 2.98 s
    const r = alignBlocks([a, b], { rateHz: 50, startS: 0.5, endS: 3.5 });
    expect(r.tS).toHaveLength(151);
    expect(r.tS[1]! - r.tS[0]!).toBeCloseTo(0.02, 14);
    expect(r.bySensorId.thigh!.validCount).toBe(151);
    const vb = r.bySensorId.shank!.valid;
    for (let k = 0; k < r.tS.length; k++) {
      const inside = r.tS[k]! >= 1 && r.tS[k]! <= 1 + 103 / 52;
      expect(vb[k]).toBe(inside ? 1 : 0);
      expect(r.allValid[k]).toBe(inside ? 1 : 0);
    }
    expectMatchesTruth(r.bySensorId.shank!.block, vb, r.tS);
  });

  it('applies clock offsets: session time = sensor time + offset', () => {
    // The shank's clock started 12.5 s late relative to the session: its own times read 0 …,
    // session times are 12.5 + its own.
    const a = sensor('thigh', 100, 12, 400);
    const b = sensor('shank', 52, 0, 150, 12.5);
    const r = alignBlocks([a, b], { timeOffsetsS: { shank: 12.5 } });
    expect(r.tS[0]).toBe(12.5);
    expect(r.bySensorId.shank!.offsetS).toBe(12.5);
    expect(r.bySensorId.thigh!.offsetS).toBe(0);
    for (const s of r.sensors) {
      expect(s.validCount).toBe(r.tS.length);
      expectMatchesTruth(s.block, s.valid, r.tS);
    }
  });

  it("marks one sensor's gap invalid without touching the other", () => {
    const a = sensor('thigh', 100, 0, 300);
    const b = sensor('shank', 52, 0, 150, 0, (i) => i >= 60 && i < 70); // 60/52 … 70/52 s missing
    const r = alignBlocks([a, b]);
    const gapStart = 59 / 52, gapEnd = 70 / 52;
    const vb = r.bySensorId.shank!.valid;
    let invalid = 0;
    for (let k = 0; k < r.tS.length; k++) {
      const inGap = r.tS[k]! > gapStart && r.tS[k]! < gapEnd;
      expect(vb[k]).toBe(inGap ? 0 : 1);
      expect(r.allValid[k]).toBe(inGap ? 0 : 1);
      if (inGap) {
        invalid++;
        expect(Number.isNaN(r.bySensorId.shank!.block.accMS2![3 * k]!)).toBe(true);
      }
    }
    expect(invalid).toBeGreaterThan(15);
    expect(r.bySensorId.thigh!.validCount).toBe(r.tS.length);
    expectMatchesTruth(r.bySensorId.shank!.block, vb, r.tS);
  });

  it('joins several blocks of one sensor and keeps their declared gaps as breaks', () => {
    const a = sensor('thigh', 100, 0, 300);
    const whole = sensor('shank', 100, 0, 300);
    // Times look continuous, but the second block declares 50 ms lost before it.
    const parts = [sliceBlock(whole, 0, 150), { ...sliceBlock(whole, 150), gapBeforeS: 0.05 }];
    const r = alignBlocks([a, ...parts], { rateHz: 1000 });
    const vb = r.bySensorId.shank!.valid;
    for (let k = 0; k < r.tS.length; k++) {
      const t = r.tS[k]!;
      const inBreak = t > 1.49 + 1e-9 && t < 1.5 - 1e-9;
      expect(vb[k]).toBe(inBreak ? 0 : 1);
    }
    expect(r.sensors).toHaveLength(2);
  });

  it('throws typed errors for bad input', () => {
    const a = sensor('thigh', 100, 0, 100);
    const far = sensor('shank', 100, 5, 100);
    expect(() => alignBlocks([a, far])).toThrow(NoOverlapError);
    expect(() => alignBlocks([])).toThrow(SampleParameterError);
    expect(() => alignBlocks([a], { timeOffsetsS: { shnak: 1 } })).toThrow(/shnak/);
    expect(() => alignBlocks([a], { timeOffsetsS: { thigh: NaN } })).toThrow(SampleParameterError);
    expect(() => alignBlocks([a], { rateHz: -5 })).toThrow(SampleParameterError);
    expect(() => alignBlocks([sensor('x', 100, 0, 1)])).toThrow(InsufficientSamplesError);
    expect(() => alignBlocks([a, sensor('empty', 100, 0, 0)], { rateHz: 100 })).toThrow(NoOverlapError);
  });
});
