import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countRepsOffline } from '../../src/reps/offline';
import { REP_GAP, REP_NO_HOLD, REP_TRUNCATED, type Rep } from '../../src/reps/rep';
import { RepSegmenter } from '../../src/reps/segmenter';
import { RepParamError } from '../../src/reps/segmenterParams';
import type { RepSequenceParams } from '../../src/sim/reps';
import { simSignal, type SimSignalOptions } from './helpers';

const DEG = Math.PI / 180;

function stream(seg: RepSegmenter, tS: ArrayLike<number>, angleDeg: ArrayLike<number>): Rep[] {
  const out = [...seg.pushBlock(tS, angleDeg)];
  const last = seg.finish();
  if (last) out.push(last);
  return out;
}

/** Runs streaming and offline; checks they agree on the reps, and both against the truth within `tolS`. */
function checkAgainstTruth(p: RepSequenceParams, o: SimSignalOptions, tolS: number): { live: Rep[]; off: readonly Rep[] } {
  const { signal, seq } = simSignal(p, o);
  const live = stream(new RepSegmenter(), signal.tS, signal.angleDeg);
  const off = countRepsOffline(signal).reps;
  const truth = seq.reps;
  for (const reps of [live, off]) {
    expect(reps.map((r) => r.partial)).toEqual(truth.map((r) => r.partial));
    reps.forEach((r, i) => {
      const g = truth[i]!;
      expect(r.set, `rep ${i} set`).toBe(g.set);
      expect(Math.abs(r.startS - g.startS), `rep ${i} start ${r.startS} vs ${g.startS}`).toBeLessThan(tolS);
      expect(Math.abs(r.endS - g.endS), `rep ${i} end ${r.endS} vs ${g.endS}`).toBeLessThan(tolS);
    });
  }
  return { live, off };
}

const base: RepSequenceParams = { reps: 6, sets: 2, startS: 2, amplitudeRad: 70 * DEG, riseS: 1.5, holdS: 3, restS: 1, setRestS: 12 };

describe('RepSegmenter on simulated reps with known times', () => {
  it('clean: exact count, sets, boundaries within 0.2 s, peak/hold within 0.3 s, ROM within 2°', () => {
    const { live, off } = checkAgainstTruth(base, {}, 0.2);
    expect(live).toHaveLength(12);
    const r = countRepsOffline(simSignal(base).signal);
    expect(r.count).toBe(12);
    expect(r.countPerSet).toEqual([6, 6]);
    const truth = simSignal(base).seq.reps;
    for (const reps of [live, off]) {
      reps.forEach((x, i) => {
        expect(Math.abs(x.peakS - truth[i]!.peakS)).toBeLessThan(0.3);
        expect(Math.abs(x.holdEndS - truth[i]!.holdEndS)).toBeLessThan(0.3);
        expect(Math.abs(x.romDeg - 70)).toBeLessThan(2);
        expect(x.direction).toBe(1);
        expect(x.flags & REP_NO_HOLD).toBe(0);
      });
    }
    // Offline has no latency; streaming emits each rep shortly after it ends.
    expect(off.every((x) => x.latencyS === 0)).toBe(true);
    for (const x of live) {
      expect(x.latencyS).toBeGreaterThan(0);
      expect(x.latencyS).toBeLessThan(1);
    }
  });

  it('noise 0.5° rms, drift 0.1°/s, 5 s holds, tempo and amplitude variation: boundaries within 0.2 s', () => {
    checkAgainstTruth(
      { ...base, holdS: 5, amplitudeVariation: 0.1, tempoVariation: 0.1, seed: 3 },
      { noiseDeg: 0.5, driftDegS: 0.1 },
      0.2,
    );
  });

  it('partial reps are reported, flagged and not counted', () => {
    const p = { ...base, partialReps: [2, 8], partialFraction: 0.45 };
    const { live } = checkAgainstTruth(p, { noiseDeg: 0.3 }, 0.2);
    expect(live.filter((r) => r.partial).map((r) => r.index)).toEqual([2, 8]);
    expect(countRepsOffline(simSignal(p, { noiseDeg: 0.3 }).signal).count).toBe(10);
  });

  it('reps going down from rest, without holds, back to back (no rest between reps)', () => {
    const { live } = checkAgainstTruth({ ...base, amplitudeRad: -40 * DEG, holdS: 0, restS: 0 }, { noiseDeg: 0.2 }, 0.2);
    expect(live.every((r) => r.direction === -1 && (r.flags & REP_NO_HOLD) !== 0)).toBe(true);
  });

  it('a whole set of low-amplitude reps after a pause counts (partial is relative to the set, not the session)', () => {
    const { signal } = simSignal({ ...base, reps: 5, sets: 1 });
    const low = simSignal({ ...base, reps: 5, sets: 1, amplitudeRad: 21 * DEG });
    // Concatenate: 5 reps of 70°, then (after 15 s) 5 reps of 21° (30 %: below partialFraction, above newSetFraction).
    const shift = signal.tS[signal.tS.length - 1]! + 15;
    const tS = Float64Array.from([...signal.tS, ...low.signal.tS.map((t) => t + shift)]);
    const angleDeg = Float64Array.from([...signal.angleDeg, ...low.signal.angleDeg]);
    // Fill the pause with rest samples at the same rate.
    const r = countRepsOffline({ tS, angleDeg, name: 'two sets' });
    expect(r.count).toBe(10);
    expect(r.countPerSet).toEqual([5, 5]);
  });

  it('30 s static holds count with maxHoldS raised (by default a still stretch over 10 s is a new rest pose)', () => {
    const { signal } = simSignal({ ...base, reps: 3, sets: 1, holdS: 30, restS: 3 }, { noiseDeg: 0.2 });
    expect(countRepsOffline(signal, { maxHoldS: 40, maxRepS: 60 }).count).toBe(3);
    expect(countRepsOffline(signal).count).toBeLessThan(3); // the documented limit of the default
  });

  it('slow reps with long holds and long rests are still single reps (hold wobble is not a rep)', () => {
    const { signal } = simSignal({ ...base, reps: 4, sets: 1, riseS: 3, holdS: 8, restS: 4 });
    const wobbly = signal.angleDeg.map((a, i) => a + 3 * Math.sin(2 * Math.PI * 0.7 * signal.tS[i]!) * (a > 60 ? 1 : 0));
    expect(countRepsOffline({ ...signal, angleDeg: wobbly }).count).toBe(4);
  });
});

describe('RepSegmenter between sets', () => {
  /** Two sets of 6 × 70° with a 20 s pause (set 1 starts at 2 + 6·(1.5+3+1.5+1) − 1 + 20). */
  const p = { ...base, setRestS: 20 };
  const bump = (tS: Float64Array, a: Float64Array, fromS: number, toS: number, deg: number): Float64Array =>
    a.map((v, i) => {
      const t = tS[i]!;
      if (t <= fromS || t >= toS) return v;
      const u = (t - fromS) / (toS - fromS);
      return v + deg * Math.sin(Math.PI * u) ** 2;
    });

  it('a fidget during the pause (< fidgetFraction of the ROM) is no rep, a slightly larger one is partial; a brief dip below rest and a shifted rest pose do not break the next set', () => {
    const { signal, seq } = simSignal(p, { noiseDeg: 0.2 });
    const pauseS = seq.reps[5]!.endS;
    const cases = [
      { name: 'fidget', a: bump(signal.tS, signal.angleDeg, pauseS + 6, pauseS + 8, 6), reps: 12 },
      { name: 'fidget reported (fidgetFraction 0)', a: bump(signal.tS, signal.angleDeg, pauseS + 6, pauseS + 8, 6), reps: 13, params: { fidgetFraction: 0 } },
      { name: 'small movement (between fidgetFraction and newSetFraction)', a: bump(signal.tS, signal.angleDeg, pauseS + 6, pauseS + 8, 16), reps: 13 },
      { name: 'dip', a: bump(signal.tS, signal.angleDeg, pauseS + 6, pauseS + 9, -40), reps: 12 },
      // The rest pose moves up by 15° during the pause and stays there.
      { name: 'shift', a: signal.angleDeg.map((v, i) => v + (signal.tS[i]! > pauseS + 4 ? Math.min(15, 7.5 * (signal.tS[i]! - pauseS - 4)) : 0)), reps: 12 },
    ];
    for (const c of cases) {
      const sig = { ...signal, angleDeg: c.a };
      const params = 'params' in c ? c.params : {};
      const off = countRepsOffline(sig, params);
      expect(off.count, c.name).toBe(12);
      expect(off.reps, c.name).toHaveLength(c.reps);
      const live = stream(new RepSegmenter(params), sig.tS, sig.angleDeg);
      expect(live.filter((r) => !r.partial), c.name).toHaveLength(12);
      expect(live, c.name).toHaveLength(c.reps);
      const second = off.reps.filter((r) => !r.partial && r.startS > pauseS);
      second.forEach((r, i) => {
        expect(Math.abs(r.startS - seq.reps[6 + i]!.startS), `${c.name} rep ${i}`).toBeLessThan(0.2);
        expect(Math.abs(r.endS - seq.reps[6 + i]!.endS), `${c.name} rep ${i}`).toBeLessThan(0.2);
      });
    }
  });
});

describe('RepSegmenter bad input', () => {
  it('no movement (noise only) → 0 reps; a constant signal → 0 reps', () => {
    const n = 3000;
    const tS = Float64Array.from({ length: n }, (_, i) => i / 50);
    const noise = simSignal({ reps: 0, amplitudeRad: 1, riseS: 1 }, { noiseDeg: 0.4, tailS: 60 }).signal;
    expect(countRepsOffline(noise).count).toBe(0);
    expect(stream(new RepSegmenter(), tS, new Float64Array(n).fill(12))).toHaveLength(0);
  });

  it('one rep → 1; empty input → 0; a single sample → 0', () => {
    expect(countRepsOffline(simSignal({ ...base, reps: 1, sets: 1 }).signal).count).toBe(1);
    expect(countRepsOffline({ tS: new Float64Array(0), angleDeg: new Float64Array(0), name: 'empty' }).count).toBe(0);
    expect(countRepsOffline({ tS: new Float64Array([0]), angleDeg: new Float64Array([5]), name: 'one' }).count).toBe(0);
  });

  it('500 reps, fast', () => {
    const { signal } = simSignal({ reps: 500, startS: 1, amplitudeRad: 30 * DEG, riseS: 0.5, holdS: 0.3, restS: 0.3 }, { rateHz: 25, noiseDeg: 0.2 });
    const t0 = performance.now();
    const r = countRepsOffline(signal);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(r.count).toBe(500);
    expect(r.partialCount).toBe(0);
  });

  it('a gap (NaN) mid-rep: the rep is still found, flagged REP_GAP; NaN at rest changes nothing', () => {
    const { signal, seq } = simSignal(base, { noiseDeg: 0.2 });
    const a = signal.angleDeg.slice();
    const r1 = seq.reps[1]!;
    const r4 = seq.reps[4]!;
    for (let i = 0; i < a.length; i++) {
      const t = signal.tS[i]!;
      if (t > r1.startS + 0.5 && t < r1.startS + 1.2) a[i] = NaN; // during the rise
      if (t > r4.holdEndS + 0.2 && t < r4.holdEndS + 0.6) a[i] = NaN; // during the return
      if (t > r4.endS + 0.2 && t < r4.endS + 0.6) a[i] = NaN; // at rest
    }
    for (const reps of [stream(new RepSegmenter(), signal.tS, a), countRepsOffline({ ...signal, angleDeg: a }).reps]) {
      expect(reps).toHaveLength(12);
      expect(reps.filter((r) => (r.flags & REP_GAP) !== 0).map((r) => r.index)).toEqual([1, 4]);
      expect(Math.abs(reps[1]!.endS - r1.endS)).toBeLessThan(0.2);
      expect(Math.abs(reps[4]!.startS - r4.startS)).toBeLessThan(0.2);
    }
  });

  it('all NaN, non-increasing and non-finite times are ignored', () => {
    const seg = new RepSegmenter();
    expect(seg.pushBlock([0, 1, 2], [NaN, NaN, NaN])).toHaveLength(0);
    expect(seg.push(1, 5)).toBeUndefined();
    expect(seg.push(NaN, 5)).toBeUndefined();
    expect(seg.push(0.5, 5)).toBeUndefined(); // not after the last time
    expect(() => seg.pushBlock([0, 1], [0])).toThrow(RangeError);
  });

  it('a recording that ends mid-rep reports it truncated and partial (not counted)', () => {
    const { signal, seq } = simSignal({ ...base, reps: 3, sets: 1 });
    const cut = signal.tS.findIndex((t) => t > seq.reps[2]!.peakS + 1);
    const r = countRepsOffline({ tS: signal.tS.subarray(0, cut), angleDeg: signal.angleDeg.subarray(0, cut), name: 'cut' });
    expect(r.count).toBe(2);
    expect(r.reps).toHaveLength(3);
    expect(r.reps[2]!.partial).toBe(true);
    expect(r.reps[2]!.flags & REP_TRUNCATED).toBe(REP_TRUNCATED);
  });

  it('rejects bad parameters with a RepParamError', () => {
    expect(() => new RepSegmenter({ partialFraction: 1.5 })).toThrow(RepParamError);
    expect(() => new RepSegmenter({ direction: 2 as never })).toThrow(RepParamError);
    expect(() => new RepSegmenter({ minRomDeg: 1, enterDeg: 2 })).toThrow(RepParamError);
    expect(() => new RepSegmenter({ nonsense: 1 } as never)).toThrow(RepParamError);
  });
});

describe('RepSegmenter state', () => {
  it('is inspectable and resettable; a reset segmenter gives the same reps again', () => {
    const { signal } = simSignal({ ...base, reps: 3, sets: 1 });
    const seg = new RepSegmenter();
    expect(seg.state).toMatchObject({ phase: 'rest', direction: 0, repCount: 0 });
    const first = stream(seg, signal.tS, signal.angleDeg);
    expect(seg.state).toMatchObject({ phase: 'rest', direction: 1, repCount: 3, countedReps: 3, set: 0 });
    expect(seg.state.referenceRomDeg).toBeCloseTo(first[1]!.romDeg, 6);
    seg.reset();
    expect(seg.state).toMatchObject({ phase: 'rest', direction: 0, repCount: 0 });
    expect(stream(seg, signal.tS, signal.angleDeg)).toEqual(first);
  });

  it('sample-by-sample and block pushes give identical reps', () => {
    const { signal } = simSignal(base, { noiseDeg: 0.3 });
    const a = new RepSegmenter();
    const one: Rep[] = [];
    for (let i = 0; i < signal.tS.length; i++) {
      const r = a.push(signal.tS[i]!, signal.angleDeg[i]!);
      if (r) one.push(r);
    }
    const b = new RepSegmenter();
    const blocks: Rep[] = [];
    for (let i = 0; i < signal.tS.length; i += 37) blocks.push(...b.pushBlock(signal.tS.subarray(i, i + 37), signal.angleDeg.subarray(i, i + 37)));
    expect(blocks).toEqual(one);
  });
});

describe('RepSegmenter properties', () => {
  it('any rep count, amplitude, tempo, rest, direction, offset and sampling rate: exact count, streaming = offline', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 8 }),
        fc.double({ min: 8, max: 150, noNaN: true }),
        fc.constantFrom(1, -1),
        fc.double({ min: 0.4, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 6, noNaN: true }),
        fc.double({ min: 0.3, max: 4, noNaN: true }),
        fc.double({ min: -90, max: 90, noNaN: true }),
        fc.constantFrom(25, 50, 100),
        (reps, ampDeg, sign, riseS, holdS, restS, restDeg, rateHz) => {
          const p = { reps, startS: 1, restRad: restDeg * DEG, amplitudeRad: sign * ampDeg * DEG, riseS, holdS, restS };
          const { signal } = simSignal(p, { rateHz, noiseDeg: 0.1 });
          const live = stream(new RepSegmenter(), signal.tS, signal.angleDeg);
          const off = countRepsOffline(signal);
          expect(off.count).toBe(reps);
          expect(live.filter((r) => !r.partial)).toHaveLength(reps);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('countRepsOffline and source gaps', () => {
  it('a gap listed in gapAfterS inside a rep flags it REP_GAP without changing the count', () => {
    const { signal, seq } = simSignal(base);
    const r2 = seq.reps[2]!;
    const keep = Array.from(signal.tS, (t) => !(t > r2.peakS + 0.5 && t < r2.peakS + 0.6));
    const tS = signal.tS.filter((_, i) => keep[i]);
    const angleDeg = signal.angleDeg.filter((_, i) => keep[i]);
    const gapAt = tS[tS.findIndex((t) => t > r2.peakS + 0.5) - 1]!;
    const r = countRepsOffline({ tS, angleDeg, name: 'gappy', gapAfterS: [gapAt] });
    expect(r.count).toBe(12);
    expect(r.reps.filter((x) => (x.flags & REP_GAP) !== 0).map((x) => x.index)).toEqual([2]);
  });
});
