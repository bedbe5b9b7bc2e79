import { describe, expect, it } from 'vitest';
import { REP_GAP, type Rep } from '../../src/reps/rep';
import { buildTemplate } from '../../src/quality/template';
import { scoreReps } from '../../src/quality/score';
import { summariseSession } from '../../src/quality/session';
import type { RepMetrics, ScoredRep } from '../../src/quality/types';
import { QualityInputError } from '../../src/quality/errors';
import { simSession } from './helpers';

const DEG = Math.PI / 180;

describe('scoreReps', () => {
  it('without a template: scores from consistency, flags partial / low-rom / no-hold / gap / compensation', () => {
    const { signal, reps } = simSession({ reps: 6, startS: 1, amplitudeRad: 60 * DEG, riseS: 1.5, holdS: 2, restS: 1, partialReps: [2] }, { rateHz: 50 });
    const trunk = { tS: signal.tS, angleDeg: signal.tS.map((t) => (t > reps[4]!.startS && t < reps[4]!.endS ? 15 * Math.sin(t) : 0)), name: 'trunk' };
    const withGap = reps.map((r, i) => (i === 5 ? { ...r, flags: r.flags | REP_GAP } : r));
    const scored = scoreReps(signal, withGap, { compensation: trunk });
    expect(scored).toHaveLength(6);
    expect(scored[0]!.score).toBeGreaterThan(95);
    expect(scored[0]!.flags).toEqual([]);
    expect(scored[0]!.match).toBeUndefined();
    expect(scored[2]!.flags).toEqual(expect.arrayContaining(['partial', 'low-rom', 'inconsistent']));
    expect(scored[2]!.score).toBeLessThan(20);
    expect(scored[4]!.flags).toContain('compensation');
    expect(scored[5]!.flags).toContain('gap');
    for (const s of scored) {
      expect(s.score).toBeGreaterThanOrEqual(0);
      expect(s.score).toBeLessThanOrEqual(100);
    }
  });

  it('no hold and too fast against the session', () => {
    const a = simSession({ reps: 4, startS: 1, amplitudeRad: 60 * DEG, riseS: 1.5, holdS: 2, restS: 1 }, { rateHz: 50 });
    const b = simSession({ reps: 1, startS: 1, amplitudeRad: 60 * DEG, riseS: 0.5, holdS: 0, restS: 1 }, { rateHz: 50 });
    const n = a.signal.tS.length, m = b.signal.tS.length;
    const tS = Float64Array.from({ length: n + m }, (_, i) => i / 50);
    const angleDeg = new Float64Array(n + m);
    angleDeg.set(a.signal.angleDeg);
    angleDeg.set(b.signal.angleDeg, n);
    const off = n / 50;
    const r = b.reps[0]!;
    const reps: Rep[] = [...a.reps, { ...r, index: 4, startS: r.startS + off, peakS: r.peakS + off, holdEndS: r.holdEndS + off, endS: r.endS + off }];
    const scored = scoreReps({ tS, angleDeg, name: 'sim angle' }, reps);
    expect(scored[4]!.flags).toEqual(expect.arrayContaining(['no-hold', 'too-fast']));
    expect(scored[0]!.flags).not.toContain('no-hold');
  });

  it('two steady sets at two tempos: each rep consistent with its own set (high scores), the quicker second set flagged too-fast against the first', () => {
    const a = simSession({ reps: 6, startS: 1, amplitudeRad: 60 * DEG, riseS: 1.5, holdS: 3, restS: 1 }, { rateHz: 50 });
    const b = simSession({ reps: 6, startS: 1, amplitudeRad: 58 * DEG, riseS: 0.6, holdS: 0, restS: 1 }, { rateHz: 50 });
    const n = a.signal.tS.length, m = b.signal.tS.length;
    const tS = Float64Array.from({ length: n + m }, (_, i) => i / 50);
    const angleDeg = new Float64Array(n + m);
    angleDeg.set(a.signal.angleDeg);
    angleDeg.set(b.signal.angleDeg, n);
    const off = n / 50;
    const second = b.reps.map((r, k): Rep => ({ ...r, index: 6 + k, set: 1, startS: r.startS + off, peakS: r.peakS + off, holdEndS: r.holdEndS + off, endS: r.endS + off }));
    const reps: Rep[] = [...a.reps, ...second];
    const signal = { tS, angleDeg, name: 'sim angle' };
    const scored = scoreReps(signal, reps);
    for (const x of scored) {
      expect(x.score, `rep ${x.rep.index}`).toBeGreaterThan(80);
      expect(x.flags).not.toContain('inconsistent');
      expect(x.flags.includes('too-fast'), `rep ${x.rep.index}`).toBe(x.rep.set === 1);
      expect(x.flags).not.toContain('too-slow');
    }
    // The same reps as one set: each differs from the session's mixed "typical" rep.
    const asOne = scoreReps(signal, reps.map((r) => ({ ...r, set: 0 })));
    expect(Math.max(...asOne.map((x) => x.score))).toBeLessThan(60);
  });

  it('with a template: template score and label, label as a flag when not correct', () => {
    const tpl = simSession({ reps: 1, startS: 1, amplitudeRad: 60 * DEG, riseS: 1.5, holdS: 2 }, { rateHz: 50, name: 'knee' });
    const template = buildTemplate(tpl.signal, [{ label: 'correct', startS: 0.8, endS: tpl.reps[0]!.endS + 0.3 }]);
    const s = simSession({ reps: 3, startS: 1, amplitudeRad: 30 * DEG, riseS: 1.5, holdS: 2, restS: 1 }, { rateHz: 50, name: 'knee' });
    const scored = scoreReps(s.signal, s.reps, { template });
    for (const x of scored) {
      expect(x.match!.label).toBe('correct');
      expect(x.score).toBe(x.match!.score);
      expect(x.score).toBeLessThan(40);
      expect(x.flags).toContain('low-rom');
    }
  });
});

/** A scored rep with just what the session summary reads. */
function scored(i: number, set: number, startS: number, durationS: number, romDeg: number, partial = false): ScoredRep {
  const rep: Rep = { index: i, set, startS, peakS: startS + 1, holdEndS: startS + 2, endS: startS + durationS, restDeg: 0, peakDeg: romDeg, romDeg, direction: 1, partial, flags: 0, latencyS: 0 };
  const metrics = { romDeg, durationS } as RepMetrics;
  return { rep, metrics, score: 100, flags: partial ? ['partial'] : [] };
}

describe('summariseSession', () => {
  it('counts per set, rest between sets, partial reps not counted', () => {
    const reps = [0, 1, 2, 3, 4].map((i) => scored(i, 0, 2 + 5 * i, 4, 60, i === 2)).concat([0, 1, 2].map((i) => scored(5 + i, 1, 60 + 5 * i, 4, 58)));
    const s = summariseSession(reps);
    expect(s.count).toBe(7);
    expect(s.partialCount).toBe(1);
    expect(s.sets.map((x) => x.count)).toEqual([4, 3]);
    expect(s.sets[0]!.restBeforeS).toBeNaN();
    expect(s.sets[1]!.restBeforeS).toBeCloseTo(60 - (2 + 20 + 4), 9);
    expect(s.sets[1]!.meanRomDeg).toBeCloseTo(58, 9);
    expect(s.fatigue).toBe(false);
    expect(s.pacing).toBeUndefined();
    expect(s.plan).toBeUndefined();
    expect(s.notes.join(' ')).toMatch(/1 partial/);
  });

  it('fatigue: ROM falling or reps slowing clearly over the session', () => {
    const falling = Array.from({ length: 10 }, (_, i) => scored(i, 0, 5 * i, 4, 60 - 2 * i));
    const f = summariseSession(falling);
    expect(f.romTrendDegPerRep).toBeCloseTo(-2, 9);
    expect(f.fatigue).toBe(true);
    expect(f.notes.join(' ')).toMatch(/ROM fell by 18°/);
    const slowing = Array.from({ length: 10 }, (_, i) => scored(i, 0, 6 * i, 4 + 0.2 * i, 60));
    const g = summariseSession(slowing);
    expect(g.tempoTrendSPerRep).toBeCloseTo(0.2, 9);
    expect(g.fatigue).toBe(true);
    const steady = Array.from({ length: 10 }, (_, i) => scored(i, 0, 5 * i, 4 + 0.1 * Math.sin(i), 60 + Math.cos(i)));
    expect(summariseSession(steady).fatigue).toBe(false);
    expect(summariseSession(falling.slice(0, 3)).fatigue).toBe(false); // too few reps to tell
  });

  it('pacing against a plan: > 150 % over, < 50 % under', () => {
    const reps = (k: number): ScoredRep[] => Array.from({ length: k }, (_, i) => scored(i, Math.floor(i / 10), 5 * i, 4, 60));
    expect(summariseSession(reps(10), { plan: { repsPerSet: 10, sets: 1 } }).pacing).toBe('ok');
    expect(summariseSession(reps(10), { plan: { repsPerSet: 10, sets: 1 } }).plan).toEqual({ totalReps: 10, repsPerSet: 10, sets: 1 });
    expect(summariseSession(reps(10), { plan: { totalReps: 12 } }).plan).toEqual({ totalReps: 12 });
    expect(summariseSession(reps(15), { plan: { totalReps: 10 } }).pacing).toBe('ok');
    const over = summariseSession(reps(16), { plan: { totalReps: 10 } });
    expect(over.pacing).toBe('over');
    expect(over.notes.join(' ')).toMatch(/16 reps against 10 planned \(160 %\)/);
    expect(summariseSession(reps(4), { plan: { repsPerSet: 5, sets: 2 } }).pacing).toBe('under');
    expect(summariseSession(reps(5), { plan: { repsPerSet: 5, sets: 2 } }).pacing).toBe('ok');
    expect(() => summariseSession(reps(3), { plan: { totalReps: 0 } })).toThrow(QualityInputError);
  });

  it('an empty session', () => {
    const s = summariseSession([], { plan: { totalReps: 10 } });
    expect(s.count).toBe(0);
    expect(s.sets).toEqual([]);
    expect(s.pacing).toBe('under');
    expect(s.romTrendDegPerRep).toBeNaN();
  });
});

describe('scoreReps on awkward input', () => {
  it('no reps, one rep, no movement', () => {
    const { signal, reps } = simSession({ reps: 1, startS: 1, amplitudeRad: 60 * DEG, riseS: 1.5, holdS: 2 }, { rateHz: 50 });
    expect(scoreReps(signal, [])).toEqual([]);
    const one = scoreReps(signal, reps);
    expect(one[0]!.score).toBe(100);
    expect(one[0]!.metrics.consistency).toBeGreaterThan(99); // consistent with itself
    const flat = { ...signal, angleDeg: new Float64Array(signal.tS.length) };
    const still = scoreReps(flat, reps);
    expect(still[0]!.metrics.romDeg).toBe(0);
    expect(still[0]!.score).toBe(0);
  });

  it('500 reps in well under a few seconds', () => {
    const { signal, reps } = simSession({ reps: 500, startS: 1, amplitudeRad: 50 * DEG, riseS: 0.8, holdS: 0.5, restS: 0.5, amplitudeVariation: 0.05, seed: 5 }, { rateHz: 25 });
    const t0 = performance.now();
    const scored = scoreReps(signal, reps);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(scored).toHaveLength(500);
    expect(summariseSession(scored).count).toBe(500);
  });

  it('a rep outside the signal is a QualityInputError', () => {
    const { signal, reps } = simSession({ reps: 1, startS: 1, amplitudeRad: 60 * DEG, riseS: 1.5 }, { rateHz: 50 });
    expect(() => scoreReps(signal, [{ ...reps[0]!, startS: 500, endS: 505 }])).toThrow(QualityInputError);
  });
});
