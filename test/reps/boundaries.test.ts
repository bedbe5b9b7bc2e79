import { describe, expect, it } from 'vitest';
import { countRepsOffline } from '../../src/reps/offline';
import { RepSegmenter } from '../../src/reps/segmenter';
import { simSignal } from './helpers';

const DEG = Math.PI / 180;

describe('rep boundaries next to missing samples', () => {
  it('a gap right at each onset and end gives finite boundaries at the gap edge, streaming and offline', () => {
    const { signal, seq } = simSignal({ reps: 4, startS: 2, amplitudeRad: 60 * DEG, riseS: 1.5, holdS: 2, restS: 2, setRestS: 10 }, {});
    const angleDeg = Float64Array.from(signal.angleDeg);
    // Blank 3 samples just before every true onset and just after every true end.
    for (const r of seq.reps) {
      for (const t of [r.startS, r.endS]) {
        let i = signal.tS.findIndex((x) => x >= t);
        for (let k = -2; k <= 0; k++) angleDeg[i + k] = NaN;
        i++;
      }
    }
    const holed = { ...signal, angleDeg };
    const seg = new RepSegmenter();
    const live = [...seg.pushBlock(holed.tS, holed.angleDeg)];
    const last = seg.finish();
    if (last) live.push(last);
    for (const reps of [live, countRepsOffline(holed).reps]) {
      expect(reps.filter((r) => !r.partial)).toHaveLength(4);
      for (const r of reps) {
        for (const t of [r.startS, r.peakS, r.holdEndS, r.endS]) expect(Number.isFinite(t)).toBe(true);
        expect(r.startS).toBeLessThan(r.endS);
        expect(Number.isFinite(r.romDeg)).toBe(true);
      }
      reps.forEach((r, i) => {
        expect(Math.abs(r.startS - seq.reps[i]!.startS)).toBeLessThan(0.3);
        expect(Math.abs(r.endS - seq.reps[i]!.endS)).toBeLessThan(0.3);
      });
    }
  });
});
