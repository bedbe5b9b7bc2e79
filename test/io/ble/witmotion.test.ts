import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../../src/io/ble/hex';
import { WITMOTION_NOTIFY, WitMotionDriver, witmotionReadRegister } from '../../../src/io/ble/witmotion';
import { SAT_ACC } from '../../../src/samples/block';
import { DEG_TO_RAD, STANDARD_GRAVITY_MS2 } from '../../../src/samples/units';
import { i16, view } from './bytes';

/** A 55 61 packet from acc (g), gyro (°/s) and angle (°). */
function packet(accG: number[], gyrDps: number[], angleDeg = [0, 0, 0]): number[] {
  const q = (v: number, full: number) => Math.max(-32768, Math.min(32767, Math.round((v / full) * 32768)));
  return [0x55, 0x61, ...accG.flatMap((v) => i16(q(v, 16))), ...gyrDps.flatMap((v) => i16(q(v, 2000))), ...angleDeg.flatMap((v) => i16(q(v, 180)))];
}

describe('WitMotionDriver', () => {
  it('decodes 55 61 packets in SI units', () => {
    const d = new WitMotionDriver({ rateHz: 50 });
    const b = d.decode(view(packet([0, 0, 1], [90, 0, -45])), 1, WITMOTION_NOTIFY).block!;
    expect(b.tS.length).toBe(1);
    expect(b.accMS2![2]).toBeCloseTo(STANDARD_GRAVITY_MS2, 3);
    expect(b.gyrRadS![0]).toBeCloseTo(90 * DEG_TO_RAD, 3);
    expect(b.gyrRadS![2]).toBeCloseTo(-45 * DEG_TO_RAD, 3);
  });

  it('re-syncs packets split across notifications and reports skipped bytes', () => {
    const d = new WitMotionDriver({ rateHz: 50 });
    const stream = [0x12, 0x34, ...packet([1, 0, 0], [0, 0, 0]), ...packet([0, 1, 0], [0, 0, 0]), ...packet([0, 0, 1], [0, 0, 0])];
    // Cut at 7 (inside packet 1), 29 (inside packet 2), 41 (just after the 55 of packet 3).
    const cuts = [0, 7, 29, 43, stream.length];
    const counts: number[] = [];
    const kinds: string[] = [];
    for (let i = 0; i + 1 < cuts.length; i++) {
      const r = d.decode(view(stream.slice(cuts[i], cuts[i + 1])), 1 + 0.02 * i, WITMOTION_NOTIFY);
      counts.push(r.block?.tS.length ?? 0);
      kinds.push(...r.problems.map((p) => p.kind));
    }
    expect(counts).toEqual([0, 1, 1, 1]);
    expect(kinds).toEqual(['resync']);
  });

  it('skips 55 71 register replies, keeping their values', () => {
    const d = new WitMotionDriver();
    const reply = [0x55, 0x71, 0x3a, 0x00, ...i16(100), ...i16(-200), ...i16(300), ...i16(0), ...new Array(8).fill(0)];
    const r = d.decode(view([...reply, ...packet([0, 0, 1], [0, 0, 0])]), 1, WITMOTION_NOTIFY);
    expect(r.block!.tS.length).toBe(1);
    expect(r.problems).toEqual([]);
    expect(d.registers.get(0x3a)).toEqual([100, -200, 300, 0]);
    expect(bytesToHex(witmotionReadRegister(0x3a))).toBe('ff aa 27 3a 00');
  });

  it('stamps on the host at an estimated rate and flags saturation', () => {
    const d = new WitMotionDriver({ rateHz: 10 }); // device actually at 50 Hz, delivered 5 per notification
    let last: Float64Array | undefined;
    for (let i = 0; i < 60; i++) {
      const bytes = Array.from({ length: 5 }, () => packet([0, 0, 1], [0, 0, 0])).flat();
      const r = d.decode(view(bytes), 0.1 * (i + 1) + 0.003 * Math.sin(i), WITMOTION_NOTIFY);
      const b = r.block!;
      if (last) expect(b.tS[0]).toBeGreaterThan(last[last.length - 1]!);
      last = b.tS;
    }
    expect(d.estimatedRateHz).toBeCloseTo(50, 0);
    const sat = d.decode(view(packet([20, 0, 0], [0, 0, 0])), 6.2, WITMOTION_NOTIFY).block!;
    expect(sat.saturated![0]! & SAT_ACC).toBe(SAT_ACC);
  });
});
