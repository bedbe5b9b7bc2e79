import { describe, expect, it } from 'vitest';
import { RepSequence } from '../../src/sim/reps';
import { SimInputError } from '../../src/sim/sim-error';
import { d1, valueAt } from './helpers';

const base = { reps: 4, sets: 2, startS: 2, restRad: 0.1, amplitudeRad: 1.5, riseS: 1.5, holdS: 2, returnS: 1, restS: 1, setRestS: 5 };

describe('RepSequence', () => {
  it('lays reps out with the given tempo, rests and set rests', () => {
    const seq = new RepSequence(base);
    expect(seq.reps).toHaveLength(8);
    const r0 = seq.reps[0]!;
    expect(r0).toMatchObject({ index: 0, set: 0, startS: 2, peakS: 3.5, holdEndS: 5.5, endS: 6.5, partial: false });
    expect(r0.amplitudeRad).toBe(1.5);
    expect(r0.peakRad).toBeCloseTo(1.6, 15);
    expect(seq.reps[1]!.startS).toBeCloseTo(7.5, 12); // + rest 1
    expect(seq.reps[4]!.set).toBe(1);
    expect(seq.reps[4]!.startS).toBeCloseTo(seq.reps[3]!.endS + 5, 12); // set rest
    expect(seq.endS).toBe(seq.reps[7]!.endS);
  });

  it('angle truth matches the rep times: rest at start/end, peak through the hold, still at each boundary', () => {
    const seq = new RepSequence(base);
    const o = new Float64Array(3);
    for (const r of seq.reps) {
      expect(Array.from(seq.evaluate(r.startS, o))).toEqual([0.1, 0, 0]);
      seq.evaluate(r.peakS, o);
      expect(o[0]).toBeCloseTo(r.peakRad, 14);
      expect(o[1]).toBe(0);
      seq.evaluate((r.peakS + r.holdEndS) / 2, o);
      expect(o[0]).toBe(r.peakRad);
      seq.evaluate(r.endS, o);
      expect(o[0]).toBeCloseTo(0.1, 14);
      expect(o[1]).toBeCloseTo(0, 14);
      // Moving strictly between start and peak.
      seq.evaluate((r.startS + r.peakS) / 2, o);
      expect(o[0]).toBeCloseTo(0.1 + r.amplitudeRad / 2, 12);
      expect(o[1]).toBeGreaterThan(0);
    }
    expect(Array.from(seq.evaluate(0, o))).toEqual([0.1, 0, 0]);
    expect(Array.from(seq.evaluate(seq.endS + 3, o))).toEqual([0.1, 0, 0]);
  });

  it('has exact derivatives (checked by finite differences across a rep)', () => {
    const seq = new RepSequence(base);
    const slope = (t: number) => seq.evaluate(t, new Float64Array(3))[1]!;
    for (let t = 2.05; t < 7; t += 0.37) {
      const o = seq.evaluate(t, new Float64Array(3));
      expect(o[1]).toBeCloseTo(d1((s) => valueAt(seq, s), t, 1e-4), 7);
      expect(o[2]).toBeCloseTo(d1(slope, t, 1e-4), 6);
    }
  });

  it('varies amplitude and tempo reproducibly with the seed', () => {
    const p = { ...base, amplitudeVariation: 0.1, tempoVariation: 0.1, seed: 7 };
    const a = new RepSequence(p).reps;
    const b = new RepSequence(p).reps;
    const c = new RepSequence({ ...p, seed: 8 }).reps;
    expect(a).toEqual(b);
    expect(a.map((r) => r.amplitudeRad)).not.toEqual(c.map((r) => r.amplitudeRad));
    expect(new Set(a.map((r) => r.amplitudeRad)).size).toBe(8);
    // Tempo: rise, hold and return of a rep scale together.
    for (const r of a) {
      const k = (r.peakS - r.startS) / 1.5;
      expect((r.holdEndS - r.peakS) / 2).toBeCloseTo(k, 12);
      expect((r.endS - r.holdEndS) / 1).toBeCloseTo(k, 12);
    }
    // Switching tempo variation off keeps the amplitudes (separate random streams).
    const noTempo = new RepSequence({ ...p, tempoVariation: 0 }).reps;
    expect(noTempo.map((r) => r.amplitudeRad)).toEqual(a.map((r) => r.amplitudeRad));
  });

  it('cuts partial reps short and flags them', () => {
    const seq = new RepSequence({ ...base, partialReps: [2, 5], partialFraction: 0.4 });
    expect(seq.reps.filter((r) => r.partial).map((r) => r.index)).toEqual([2, 5]);
    expect(seq.reps[2]!.amplitudeRad).toBeCloseTo(0.6, 15);
    expect(valueAt(seq, (seq.reps[2]!.peakS + seq.reps[2]!.holdEndS) / 2)).toBeCloseTo(0.7, 14);
  });

  it('supports negative excursions (e.g. extension from a flexed rest)', () => {
    const seq = new RepSequence({ reps: 1, restRad: Math.PI / 2, amplitudeRad: -Math.PI / 2, riseS: 1, holdS: 1 });
    expect(valueAt(seq, 1.5)).toBeCloseTo(0, 14);
    expect(seq.reps[0]!.endS).toBe(3);
  });

  it('rejects impossible sequences', () => {
    expect(() => new RepSequence({ ...base, reps: 1.5 })).toThrow(SimInputError);
    expect(() => new RepSequence({ ...base, riseS: 0 })).toThrow(SimInputError);
    expect(() => new RepSequence({ ...base, holdS: -1 })).toThrow(SimInputError);
    expect(() => new RepSequence({ ...base, partialReps: [8] })).toThrow(SimInputError);
    expect(() => new RepSequence({ ...base, partialFraction: 1 })).toThrow(SimInputError);
  });
});
