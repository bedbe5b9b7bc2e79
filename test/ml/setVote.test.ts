/** The per-set vote over window probabilities. */
import { describe, expect, it } from 'vitest';
import { setVote } from '../../src/ml/setVote';

/** Probabilities over classes [a, b, idle] from a string: 'a', 'b', 'A'/'B' (weak), '.' idle. */
function probs(s: string): Float64Array {
  const p = new Float64Array(3 * s.length);
  [...s].forEach((ch, k) => {
    const row = ch === 'a' ? [0.9, 0.05, 0.05] : ch === 'b' ? [0.05, 0.9, 0.05] : ch === 'A' ? [0.4, 0.35, 0.25] : ch === 'B' ? [0.35, 0.4, 0.25] : [0.05, 0.05, 0.9];
    p.set(row, 3 * k);
  });
  return p;
}
const names = (c: Int32Array) => [...c].map((k) => 'ab.'[k]).join('');

describe('setVote', () => {
  it('gives each set its summed-probability class, bridges short idle gaps, idles tiny sets', () => {
    const s = 'aaBaa..aBa......b.......bbbb';
    const v = setVote(probs(s), s.length, 3, 2, { bridgeWindows: 3, minSetWindows: 3 });
    expect(names(v.classes)).toBe(`aaaaaaaaaa${'.'.repeat(14)}bbbb`);
    expect(v.sets.map((x) => [x.start, x.end, x.cls])).toEqual([[0, 10, 0], [24, 28, 1]]);
  });
  it('a weak majority loses to a confident minority over the set', () => {
    const s = 'BBBaa';
    expect(names(setVote(probs(s), s.length, 3, 2).classes)).toBe('aaaaa');
  });
  it('without an idle class it is the plain per-window argmax', () => {
    const p = Float64Array.of(0.2, 0.8, 0.7, 0.3);
    expect([...setVote(p, 2, 2, -1).classes]).toEqual([1, 0]);
  });
});
