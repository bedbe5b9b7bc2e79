import { describe, expect, it } from 'vitest';
import { countRepsOffline, restSideDirection, smoothZeroPhase } from '../../src/reps/offline';
import { RepSegmenter } from '../../src/reps/segmenter';

const RATE = 50;

/**
 * Rest at `rest` deg, reps to `rest + sign·40` with a 3 s hold and 2 s back at rest; the
 * recording starts with a settling excursion the other way, then waits 15 s at rest before the
 * first rep. (The streaming first-rep rule gets these right too; on UCI PT the two differ only on
 * the template recordings of s2 e2 and s2 e8, where the rest-side rule finds 7 and 9 reps, the
 * first-rep rule 6 and 6.)
 */
function holdsSignal(sign: 1 | -1, reps: number): { tS: Float64Array; angleDeg: Float64Array } {
  const seg: Array<[number, number]> = []; // [duration s, target deg] piecewise linear
  const rest = 0, end = sign * 40;
  seg.push([0.5, -sign * 20], [2, -sign * 20], [1, rest], [15, rest]);
  for (let k = 0; k < reps; k++) seg.push([1, end], [3, end], [1, rest], [2, rest]);
  seg.push([12, rest]);
  const total = seg.reduce((a, s) => a + s[0], 0);
  const n = Math.round(total * RATE);
  const tS = new Float64Array(n), angleDeg = new Float64Array(n);
  let t0 = 0, v0 = -sign * 20, k = 0;
  for (let i = 0; i < n; i++) {
    const t = i / RATE;
    while (k < seg.length && t > t0 + seg[k]![0]) {
      t0 += seg[k]![0];
      v0 = seg[k]![1];
      k++;
    }
    const s = seg[Math.min(k, seg.length - 1)]!;
    const f = k < seg.length ? (t - t0) / s[0] : 1;
    tS[i] = t;
    angleDeg[i] = v0 + f * (s[1] - v0) + 0.2 * Math.sin(7 * t);
  }
  return { tS, angleDeg };
}

describe('restSideDirection / countRepsOffline automatic direction', () => {
  for (const sign of [1, -1] as const) {
    it(`rest where the signal waits: reps ${sign > 0 ? 'up' : 'down'} from it even after a settling excursion the other way`, () => {
      const { tS, angleDeg } = holdsSignal(sign, 8);
      expect(restSideDirection(tS, smoothZeroPhase(tS, angleDeg, 1.5, 0.2))).toBe(sign);
      const off = countRepsOffline({ tS, angleDeg, name: 'sim' });
      expect(off.count).toBe(8);
      for (const r of off.reps.filter((x) => !x.partial)) expect(r.direction).toBe(sign);
      // The same recording mirrored: the other direction.
      const mirrored = countRepsOffline({ tS, angleDeg: angleDeg.map((v) => -v), name: 'sim' });
      expect(mirrored.count).toBe(8);
      expect(mirrored.reps.find((x) => !x.partial)!.direction).toBe(-sign);
    });
  }

  it('no idle period (continuous oscillation): undecided, so offline keeps the streaming rule', () => {
    const n = 60 * RATE;
    const tS = Float64Array.from({ length: n }, (_, i) => i / RATE);
    const angleDeg = tS.map((t) => 30 * Math.sin((2 * Math.PI * t) / 4));
    expect(restSideDirection(tS, angleDeg)).toBe(0);
    const seg = new RepSegmenter();
    const live = [...seg.pushBlock(tS, angleDeg)];
    const last = seg.finish();
    if (last) live.push(last);
    const off = countRepsOffline({ tS, angleDeg, name: 'sine' });
    expect(off.count).toBe(live.filter((r) => !r.partial).length);
    expect(off.reps[0]!.direction).toBe(live[0]!.direction);
  });

  it('flat or tiny input: 0', () => {
    expect(restSideDirection(new Float64Array([0, 1, 2]), new Float64Array([5, 5, 5]))).toBe(0);
    expect(restSideDirection(new Float64Array(0), new Float64Array(0))).toBe(0);
  });
});

describe('SetTracker fidgets', () => {
  it('a tiny movement is no rep; a run of referenceReps of them is a new amplitude (partial, then adopted)', async () => {
    const { SetTracker } = await import('../../src/reps/setTracker');
    const { resolveRepSegmenterParams } = await import('../../src/reps/segmenterParams');
    const t = new SetTracker(resolveRepSegmenterParams({}));
    let s = 0;
    const add = (rom: number) => {
      const r = t.add(s, s + 3, rom);
      s += 4;
      return r;
    };
    for (let i = 0; i < 5; i++) expect(add(60)).toMatchObject({ fidget: false, partial: false });
    expect(add(8)).toMatchObject({ fidget: true });
    expect(add(60)).toMatchObject({ fidget: false, partial: false });
    const run = Array.from({ length: 12 }, () => add(8));
    expect(run.slice(0, 4).every((r) => r.fidget)).toBe(true);
    expect(run[4]).toMatchObject({ fidget: false, partial: true });
    expect(run.slice(4).every((r) => !r.fidget)).toBe(true);
    expect(run.at(-1)).toMatchObject({ fidget: false, partial: false });
  });
});
