import { describe, expect, it } from 'vitest';
import { RepSegmenter } from '../../src/reps/segmenter';
import { countRepsOffline } from '../../src/reps/offline';
import type { Rep } from '../../src/reps/rep';
import { simSignal } from './helpers';

const DEG = Math.PI / 180;

function stream(seg: RepSegmenter, tS: Float64Array, angleDeg: Float64Array): Rep[] {
  const out = [...seg.pushBlock(tS, angleDeg)];
  const last = seg.finish();
  if (last) out.push(last);
  return out;
}

describe('RepSegmenter on clean simulated reps', () => {
  it('counts exactly and places boundaries within 0.2 s, streaming and offline', () => {
    const { signal, seq } = simSignal({ reps: 6, sets: 2, startS: 2, amplitudeRad: 70 * DEG, riseS: 1.5, holdS: 3, restS: 1, setRestS: 12 });
    const live = stream(new RepSegmenter(), signal.tS, signal.angleDeg);
    const off = countRepsOffline(signal);
    expect(live).toHaveLength(12);
    expect(off.count).toBe(12);
    expect(off.countPerSet).toEqual([6, 6]);
    for (const reps of [live, off.reps]) {
      reps.forEach((r, i) => {
        const g = seq.reps[i]!;
        expect(r.set).toBe(g.set);
        expect(Math.abs(r.startS - g.startS)).toBeLessThan(0.2);
        expect(Math.abs(r.endS - g.endS)).toBeLessThan(0.2);
        expect(Math.abs(r.romDeg - 70)).toBeLessThan(2);
        expect(r.partial).toBe(false);
      });
    }
  });
});
