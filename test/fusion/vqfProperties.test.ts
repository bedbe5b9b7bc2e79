/**
 * VQF-class filter properties: unit norm over a million random updates, no NaN from any
 * finite input, empty and single-sample blocks.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Vqf } from '../../src/fusion/vqf';
import { estimateOrientationOffline } from '../../src/fusion/offline';
import { createBlock } from '../../src/samples/block';

/** Small deterministic generator (xorshift32) for the long run: fast-check is for the shrinking cases. */
function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

function finiteState(f: Vqf): boolean {
  const walk = (v: unknown): boolean =>
    typeof v === 'number' ? Number.isFinite(v) : Array.isArray(v) ? v.every(walk) : typeof v === 'object' && v !== null ? Object.values(v).every(walk) : true;
  return walk(f.getState());
}

describe('Vqf properties', () => {
  it('keeps a unit quaternion over 10⁶ random updates (mixed rates, random dt, random magnitudes)', () => {
    const rnd = xorshift(12345);
    const f = new Vqf();
    const g = new Float64Array(3), a = new Float64Array(3), m = new Float64Array(3), q = new Float64Array(4);
    let worst = 0;
    for (let i = 0; i < 1_000_000; i++) {
      // Rates up to ±40 rad/s (1 % up to ±4000), accelerations near and far from 1 g, any field.
      const big = rnd() < 0.01 ? 100 : 1;
      for (let k = 0; k < 3; k++) {
        g[k] = (rnd() - 0.5) * 80 * big;
        a[k] = (rnd() - 0.5) * 40 * big + (k === 2 ? 9.81 : 0);
        m[k] = (rnd() - 0.5) * 100;
      }
      const dt = 0.0005 + rnd() * 0.02;
      f.update(g, a, rnd() < 0.3 ? m : null, dt);
      if ((i & 1023) === 0 || i === 999_999) {
        f.getQuat(q);
        worst = Math.max(worst, Math.abs(Math.hypot(q[0]!, q[1]!, q[2]!, q[3]!) - 1));
      }
    }
    expect(worst).toBeLessThan(1e-12);
    expect(finiteState(f)).toBe(true);
    expect(f.inputReport.badDt + f.inputReport.badGyr + f.inputReport.badAcc).toBe(0);
  });

  it('never produces NaN from finite inputs, however extreme', () => {
    const num = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.double({ min: -100, max: 100, noNaN: true }),
      fc.constantFrom(0, -0, 1e-300, -1e-300, 1e300, -1e300, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE),
    );
    const vec = fc.tuple(num, num, num);
    const sample = fc.record({ g: vec, a: vec, m: fc.option(vec, { nil: null }), dt: fc.oneof(fc.double({ min: 1e-6, max: 1, noNaN: true }), fc.constant(0.01)) });
    fc.assert(
      fc.property(fc.array(sample, { minLength: 1, maxLength: 60 }), fc.boolean(), (samples, sixD) => {
        const f = new Vqf({ magEnabled: !sixD });
        const q = new Float64Array(4);
        for (const s of samples) {
          f.update(s.g, s.a, s.m, s.dt);
          f.getQuat(q);
          if (!q.every(Number.isFinite)) return false;
          if (Math.abs(Math.hypot(q[0]!, q[1]!, q[2]!, q[3]!) - 1) > 1e-9) return false;
        }
        return finiteState(f) && f.getBiasRadS(new Float64Array(3)).every(Number.isFinite);
      }),
      { numRuns: 300 },
    );
  });

  it('handles zero-length and single-sample blocks (real-time and offline)', () => {
    const info = { sensorId: 'imu', rateHz: 100 };
    const empty = createBlock(info, 0, { mag: true });
    const f = new Vqf();
    const before = JSON.stringify(f.getState());
    f.updateBlock(empty, new Float64Array(0));
    expect(JSON.stringify(f.getState())).toBe(before);
    expect(estimateOrientationOffline(empty)).toHaveLength(0);

    const one = createBlock(info, 1, { mag: true });
    one.accMS2.set([0, 9.81 * Math.sin(0.3), 9.81 * Math.cos(0.3)]);
    one.magUT!.set([0, 20, -40]);
    const out = new Float64Array(4);
    f.updateBlock(one, out);
    expect(out.every(Number.isFinite)).toBe(true);
    expect(Math.hypot(...out)).toBeCloseTo(1, 12);
    // Tilted 0.3 rad about x: the estimate's inclination is exact after one sample.
    const tilt = 2 * Math.acos(Math.sqrt(out[0]! ** 2 + out[3]! ** 2));
    expect(tilt).toBeCloseTo(0.3, 9);
    const off = estimateOrientationOffline(one);
    expect(off).toHaveLength(4);
    expect(Array.from(off)).toEqual(Array.from(out));
    expect(() => f.updateBlock(one, new Float64Array(3))).toThrow(/outQuat/);
  });
});
