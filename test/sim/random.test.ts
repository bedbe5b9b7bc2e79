import { describe, expect, it } from 'vitest';
import { Rng, deriveSeed } from '../../src/sim/random';
import { SimInputError } from '../../src/sim/sim-error';

describe('Rng (xoshiro128**)', () => {
  it('is deterministic: same seed and labels give the same stream', () => {
    const a = new Rng(42, 'x');
    const b = new Rng(42, 'x');
    for (let i = 0; i < 100; i++) expect(a.nextU32()).toBe(b.nextU32());
  });

  it('gives pinned values for a fixed seed (catches any change of algorithm or seeding)', () => {
    const r = new Rng(1);
    const first = [r.nextU32(), r.nextU32(), r.nextU32()];
    // Re-derived from the state words by an independent BigInt implementation below.
    const s = new Rng(1).state.s;
    const mask = 0xffffffffn;
    const st = Array.from(s, (v) => BigInt(v));
    const rotl = (x: bigint, k: bigint) => ((x << k) | (x >> (32n - k))) & mask;
    const ref: number[] = [];
    for (let i = 0; i < 3; i++) {
      ref.push(Number((rotl((st[1]! * 5n) & mask, 7n) * 9n) & mask));
      const t = (st[1]! << 9n) & mask;
      st[2] = st[2]! ^ st[0]!;
      st[3] = st[3]! ^ st[1]!;
      st[1] = st[1]! ^ st[2]!;
      st[0] = st[0]! ^ st[3]!;
      st[2] = st[2]! ^ t;
      st[3] = rotl(st[3]!, 11n);
    }
    expect(first).toEqual(ref);
  });

  it('separates streams by seed and by label', () => {
    const seq = (r: Rng) => Array.from({ length: 8 }, () => r.nextU32());
    expect(seq(new Rng(1, 'a'))).not.toEqual(seq(new Rng(2, 'a')));
    expect(seq(new Rng(1, 'a'))).not.toEqual(seq(new Rng(1, 'b')));
    expect(deriveSeed(1, 'a', 'b')).not.toBe(deriveSeed(1, 'ab'));
    // Seeds differing only above bit 32 still differ.
    expect(deriveSeed(2 ** 40)).not.toBe(deriveSeed(0));
  });

  it('uniform() lies in [0, 1) with mean 1/2 and variance 1/12', () => {
    const r = new Rng(3);
    const n = 50000;
    let s = 0, s2 = 0, min = 1, max = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      s += u;
      s2 += u * u;
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(Math.abs(s / n - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(s2 / n - (s / n) ** 2 - 1 / 12)).toBeLessThan(0.002);
  });

  it('gaussian() has mean 0, std 1 and Gaussian tails', () => {
    const r = new Rng(4);
    const n = 50000;
    let s = 0, s2 = 0, beyond2 = 0;
    for (let i = 0; i < n; i++) {
      const g = r.gaussian();
      s += g;
      s2 += g * g;
      if (Math.abs(g) > 2) beyond2++;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.02);
    expect(Math.abs(Math.sqrt(s2 / n) - 1)).toBeLessThan(0.015);
    expect(beyond2 / n).toBeGreaterThan(0.04); // P(|g| > 2) = 0.0455
    expect(beyond2 / n).toBeLessThan(0.051);
  });

  it('rejects seeds that are not safe integers', () => {
    expect(() => new Rng(0.5)).toThrow(SimInputError);
    expect(() => new Rng(NaN)).toThrow(SimInputError);
  });
});
