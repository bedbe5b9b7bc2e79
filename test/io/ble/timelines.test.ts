import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HostTimeline } from '../../../src/io/ble/hostTimeline';
import { InertialPairer } from '../../../src/io/ble/pairer';
import { SensorClock, SensorTimeline } from '../../../src/io/ble/sensorTimeline';

describe('HostTimeline', () => {
  it('measures the true rate from bursty arrivals, keeps times increasing and never after arrival', () => {
    fc.assert(
      fc.property(fc.integer({ min: 5, max: 400 }), fc.double({ min: 0.3, max: 3, noNaN: true }), fc.integer({ min: 1, max: 12 }), (trueHz, nominalRatio, perPacket) => {
        const tl = new HostTimeline({ rateHz: trueHz * nominalRatio });
        let last = -Infinity;
        let k = 0;
        let arrival = 0;
        for (let p = 0; p < Math.ceil((4 * trueHz) / perPacket); p++) {
          k += perPacket;
          // Arrival: after the newest sample, with up to 30 ms of radio latency; the host clock never goes back.
          arrival = Math.max(arrival, k / trueHz + (0.03 * ((p * 7919) % 13)) / 13);
          const s = tl.stamp(arrival, perPacket);
          if (s.gapBeforeS > 0) return false;
          for (const t of s.tS) {
            // (Several notifications handled at one host instant get µs steps past it.)
            if (!(t > last) || t > arrival + 1e-5) return false;
            last = t;
          }
        }
        return Math.abs(tl.rateHz / trueHz - 1) < 0.05;
      }),
      { numRuns: 60 },
    );
  });

  it('reports a silence as a gap with its length', () => {
    const tl = new HostTimeline({ rateHz: 100 });
    for (let i = 1; i <= 200; i++) tl.stamp(i / 100, 1);
    expect(tl.rateHz).toBeCloseTo(100, 6);
    const s = tl.stamp(3, 1);
    expect(s.gapBeforeS).toBeCloseTo(3 - 2 - 0.01, 6);
    expect(s.missingSamples).toBe(99);
  });
});

describe('SensorTimeline', () => {
  it('last-sample stamps: spread over the interval, gaps, duplicates, reordering', () => {
    const clock = new SensorClock();
    const tl = new SensorTimeline(50, clock, 1e-6);
    const a = tl.placeLast(1.0, 5, 100);
    expect(a.kind).toBe('ok');
    expect(a.tS![4]).toBe(100);
    expect(a.tS![1]! - a.tS![0]!).toBeCloseTo(0.02, 12);
    const b = tl.placeLast(1.11, 5, 100.2); // 5 samples in 110 ms: the sensor's rate is a little off nominal
    expect(b.kind).toBe('ok');
    expect(b.tS![0]! - a.tS![4]!).toBeCloseTo(0.022, 12);
    expect(tl.placeLast(1.11, 5, 100.3).kind).toBe('duplicate');
    expect(tl.placeLast(1.05, 5, 100.3).kind).toBe('out-of-order');
    const c = tl.placeLast(1.11 + 0.022 * 15, 5, 100.6); // two frames lost
    expect(c).toMatchObject({ kind: 'dropped', missingSamples: 10 });
    expect(c.gapBeforeS).toBeCloseTo(0.22, 9);
  });

  it('first-sample stamps: period measured across frames, shared clock offset', () => {
    const clock = new SensorClock();
    const acc = new SensorTimeline(104, clock);
    const gyr = new SensorTimeline(104, clock);
    const a = acc.placeFirst(10, 4, 50);
    const g = gyr.placeFirst(10, 4, 50.004); // arrives later: same sensor times, same session times
    expect([...g.tS!]).toEqual([...a.tS!]);
    expect(acc.placeFirst(10 + 4 / 104, 4, 50.04).kind).toBe('ok');
    expect(acc.placeFirst(10 + 12 / 104, 4, 50.12)).toMatchObject({ kind: 'dropped', missingSamples: 4 });
    expect(acc.placeFirst(10.05, 4, 50.13).kind).toBe('out-of-order');
  });

  it('first-sample stamps counted in whole ms: no false drops or reordering, times increasing, at every Movesense rate', () => {
    fc.assert(
      fc.property(fc.constantFrom(13, 26, 52, 104, 208, 416, 833, 1666), fc.integer({ min: 1, max: 16 }), fc.double({ min: 0, max: 1, noNaN: true }), (rateHz, k, phase) => {
        const n = Math.max(k, Math.ceil(1.5e-3 * rateHz)); // a frame spans more than the 1 ms stamp resolution
        const tl = new SensorTimeline(rateHz);
        let last = -Infinity;
        for (let f = 0; f < 200; f++) {
          const firstMs = Math.floor(1000 * ((f * n) / (rateHz * 1.0003) + phase)); // the sensor runs 0.03 % slow
          const placed = tl.placeFirst(firstMs / 1000, n, 10 + (f * n) / rateHz);
          if (placed.kind !== 'ok') return false;
          for (const t of placed.tS!) {
            if (!(t > last)) return false;
            last = t;
          }
        }
        return Math.abs(tl.periodS * rateHz * 1.0003 - 1) < 0.01;
      }),
      { numRuns: 60 },
    );
  });

  it('per-sample stamps', () => {
    const tl = new SensorTimeline(100);
    expect(tl.placeEach(Float64Array.of(1, 1.01), 5).kind).toBe('ok');
    expect(tl.placeEach(Float64Array.of(1, 1.01), 5).kind).toBe('duplicate');
    expect(tl.placeEach(Float64Array.of(1.005), 5).kind).toBe('out-of-order');
    expect(tl.placeEach(Float64Array.of(1.02, 1.03), 5).kind).toBe('ok');
    expect(tl.placeEach(Float64Array.of(1.07), 5)).toMatchObject({ kind: 'dropped', missingSamples: 3 });
  });
});

describe('InertialPairer', () => {
  it('pairs by time, gives up samples whose partner was lost, and stops at gaps', () => {
    const p = new InertialPairer({ by: 'time', periodS: 0.01 });
    const t = (ks: number[], phase = 0) => ks.map((k) => k * 0.01 + phase);
    const xyz = (n: number) => new Array(3 * n).fill(1);
    p.pushAcc(t([0, 1, 2, 3, 4, 5, 9, 10]), xyz(8));
    p.pushGyr(t([0, 1, 3, 4, 5, 9, 10], 0.004), xyz(7)); // gyro sample 2 lost
    const first = p.take(0.015)!; // 0, 1; acc 2 has no partner; 3 comes two periods later: a new block
    expect(first.tS.length).toBe(2);
    expect(first.tS[1]).toBeCloseTo(0.012, 12); // mean of the pair's times
    expect(p.takeUnpaired()).toBe(1);
    const second = p.take(0.015)!; // 3, 4, 5; then a gap before 9
    expect(second.tS.length).toBe(3);
    expect(p.takeUnpaired()).toBe(0);
    expect(p.take(0.015)!.tS.length).toBe(2);
    expect(p.take()).toBeNull();
  });

  it('pairs in order and bounds its queues', () => {
    const p = new InertialPairer({ by: 'order', maxQueue: 5 });
    p.pushAcc(new Float64Array(8), new Float64Array(24));
    expect(p.takeUnpaired()).toBe(3);
    p.pushGyr(new Float64Array(2), new Float64Array(6));
    expect(p.take()!.tS.length).toBe(2);
  });
});
