import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReorderBuffer } from '../../../src/io/ble/reorderBuffer';
import type { ReorderOutcome } from '../../../src/io/ble/reorderBuffer';

function collect(w: number) {
  const out: { key: number; outcome: ReorderOutcome }[] = [];
  const b = new ReorderBuffer<number>(w, { release: (key, outcome) => out.push({ key, outcome }), duplicate: (key) => out.push({ key, outcome: 'duplicate' }) });
  return { b, out };
}

describe('ReorderBuffer', () => {
  it('puts overtaken packets back, passes late ones at once, holds back repeats', () => {
    const { b, out } = collect(2);
    for (const k of [1, 3, 2, 4, 5, 6, 4, 0, 7]) b.push(k, k);
    b.flush();
    expect(out.map((o) => `${o.key}${o.outcome[0]}`).join(' ')).toBe('1i 2r 3i 4i 4d 0l 5i 6i 7i');
    expect(() => b.push(NaN, 0)).toThrow(RangeError);
    expect(() => new ReorderBuffer(-1, { release() {}, duplicate() {} })).toThrow(RangeError);
  });

  it('property: every packet comes out exactly once (released or duplicate); the ones not late come out sorted', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }), fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 120 }), (w, keys) => {
        const { b, out } = collect(w);
        keys.forEach((k) => b.push(k, k));
        b.flush();
        if (out.length !== keys.length) return false;
        const inOrder = out.filter((o) => o.outcome === 'in-order' || o.outcome === 'reordered').map((o) => o.key);
        for (let i = 1; i < inOrder.length; i++) if (!(inOrder[i]! > inOrder[i - 1]!)) return false;
        // Each distinct key is released once (a repeat within the remembered 64 releases is a duplicate).
        const released = out.filter((o) => o.outcome !== 'duplicate').map((o) => o.key);
        return new Set(released).size === released.length && new Set(released).size === new Set(keys).size;
      }),
      { numRuns: 300 },
    );
  });
});
