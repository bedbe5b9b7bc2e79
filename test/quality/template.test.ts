import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QualityInputError } from '../../src/quality/errors';
import { buildTemplate, matchTemplate, type LabelledRep } from '../../src/quality/template';
import { dtwDistance } from '../../src/quality/shape';
import { scoreReps } from '../../src/quality/score';
import { simSession, type SimSession } from './helpers';

const DEG = Math.PI / 180;

/** A supervised session: one correct, one too-fast, one too-low rep (or `copies` of each). */
function templateSession(copies = 1, name = 'knee angle'): { s: SimSession; labelled: LabelledRep[] } {
  const kinds = [
    { label: 'correct', amplitudeRad: 60 * DEG, riseS: 1.5, holdS: 3 },
    { label: 'too-fast', amplitudeRad: 58 * DEG, riseS: 0.6, holdS: 0.5 },
    { label: 'too-low', amplitudeRad: 30 * DEG, riseS: 1.4, holdS: 3 },
  ];
  // One RepSequence per kind, concatenated in time: build a signal by summing shifted sequences.
  const parts = kinds.flatMap((k) => Array.from({ length: copies }, () => k));
  const rate = 50;
  const pieces = parts.map((k, i) => simSession({ reps: 1, startS: 1, amplitudeRad: k.amplitudeRad * (1 + 0.03 * i), riseS: k.riseS, holdS: k.holdS }, { rateHz: rate, tailS: 1, seed: i + 1, noiseDeg: 0.2, name }));
  let n = 0;
  for (const p of pieces) n += p.signal.tS.length;
  const tS = new Float64Array(n), angleDeg = new Float64Array(n);
  const labelled: LabelledRep[] = [];
  let k = 0;
  pieces.forEach((p, i) => {
    const t0 = k / rate;
    for (let j = 0; j < p.signal.tS.length; j++) {
      tS[k + j] = (k + j) / rate;
      angleDeg[k + j] = p.signal.angleDeg[j]!;
    }
    const r = p.reps[0]!;
    // Loose labels: a therapist's presses 0.4 s before onset and 0.3 s after the return.
    labelled.push({ label: parts[i]!.label, startS: t0 + r.startS - 0.4, endS: t0 + r.endS + 0.3 });
    k += p.signal.tS.length;
  });
  return { s: { signal: { tS, angleDeg, name }, reps: [], seq: pieces[0]!.seq }, labelled };
}

/** A later session: 4 correct, 4 too fast, 4 too low, with natural variation. */
function laterSession(name = 'knee angle'): { s: SimSession; truth: string[] } {
  const set = (amp: number, rise: number, hold: number, seed: number): SimSession =>
    simSession({ reps: 4, startS: 1, amplitudeRad: amp * DEG, riseS: rise, holdS: hold, restS: 1.5, amplitudeVariation: 0.08, tempoVariation: 0.1, seed }, { rateHz: 50, noiseDeg: 0.3, seed, name });
  const sets = [set(62, 1.6, 3.2, 11), set(60, 0.55, 0.4, 12), set(31, 1.5, 2.8, 13)];
  let n = 0;
  for (const p of sets) n += p.signal.tS.length;
  const tS = new Float64Array(n), angleDeg = new Float64Array(n);
  const reps: SimSession['reps'] = [];
  let k = 0;
  for (const p of sets) {
    const t0 = k / 50;
    for (let j = 0; j < p.signal.tS.length; j++) {
      tS[k + j] = (k + j) / 50;
      angleDeg[k + j] = p.signal.angleDeg[j]!;
    }
    for (const r of p.reps) reps.push({ ...r, index: reps.length, startS: r.startS + t0, peakS: r.peakS + t0, holdEndS: r.holdEndS + t0, endS: r.endS + t0 });
    k += p.signal.tS.length;
  }
  return { s: { signal: { tS, angleDeg, name }, reps, seq: sets[0]!.seq }, truth: ['correct', 'too-fast', 'too-low'].flatMap((l) => [l, l, l, l]) };
}

describe('template mode', () => {
  it('labels correct / too-fast / too-low reps of a later session from one template rep per label', () => {
    const { s: tpl, labelled } = templateSession();
    const template = buildTemplate(tpl.signal, labelled);
    expect(template.labels).toEqual(['correct', 'too-fast', 'too-low']);
    // The loose labels were snapped to nothing worse: ROM of each template rep as simulated.
    expect(Math.abs(template.reps[0]!.romDeg - 60)).toBeLessThan(1);
    const { s, truth } = laterSession();
    const matches = s.reps.map((r) => matchTemplate(template, s.signal, r));
    expect(matches.map((m) => m.label)).toEqual(truth);
    for (let i = 0; i < 4; i++) expect(matches[i]!.score).toBeGreaterThan(70);
    for (let i = 4; i < 12; i++) expect(matches[i]!.score).toBeLessThan(40);
    const low = matches[8]!;
    expect(low.reasons.some((r) => /^ROM \d+° vs 60° in the template \(smaller\)$/.test(r))).toBe(true);
    expect(low.romRatio!).toBeLessThan(0.6);
    const fast = matches[4]!;
    expect(fast.reasons.some((r) => /faster/.test(r))).toBe(true);
    expect(fast.tempoRatio!).toBeLessThan(0.6);
    expect(matches[0]!.shapeDistanceDeg).toBeLessThan(6);
  });

  it('scoreReps (session-relative ROM by default) gives the same labels', () => {
    const { s: tpl, labelled } = templateSession();
    const template = buildTemplate(tpl.signal, labelled);
    const { s, truth } = laterSession();
    const scored = scoreReps(s.signal, s.reps, { template });
    expect(scored.map((x) => x.match!.label)).toEqual(truth);
    expect(scored[8]!.flags).toContain('too-low');
    expect(scored[4]!.flags).toContain('too-fast');
  });

  it('works the same with several template reps per label', () => {
    const { s: tpl, labelled } = templateSession(3);
    const template = buildTemplate(tpl.signal, labelled);
    expect(template.reps).toHaveLength(9);
    const { s, truth } = laterSession();
    expect(s.reps.map((r) => matchTemplate(template, s.signal, r).label)).toEqual(truth);
  });

  it('with only a correct template rep every rep is "correct" and the score tells them apart', () => {
    const { s: tpl, labelled } = templateSession();
    const template = buildTemplate(tpl.signal, labelled.slice(0, 1));
    const { s } = laterSession();
    const m = s.reps.map((r) => matchTemplate(template, s.signal, r));
    expect(new Set(m.map((x) => x.label))).toEqual(new Set(['correct']));
    expect(Math.min(...m.slice(0, 4).map((x) => x.score))).toBeGreaterThan(Math.max(...m.slice(4).map((x) => x.score)));
  });

  it('snaps a label pressed late (mid-rise) to the movement onset', () => {
    const { s: tpl, labelled } = templateSession();
    const late = labelled.map((r, i) => (i === 0 ? { ...r, startS: r.startS + 0.4 + 1.0 } : r)); // 1 s into a 1.5 s rise
    const t = buildTemplate(tpl.signal, late);
    expect(Math.abs(t.reps[0]!.romDeg - 60)).toBeLessThan(1);
    expect(t.reps[0]!.startS).toBeLessThan(late[0]!.startS - 0.4);
    // As given, the rep's active part (and so its tempo) is cut short; ROM survives since rest is the window's low.
    const asGiven = buildTemplate(tpl.signal, late, { refine: { maxExtendS: 0 } });
    expect(asGiven.reps[0]!.activeDurationS).toBeLessThan(t.reps[0]!.activeDurationS - 0.3);
  });

  it('score is in [0, 100] and the label is a template label, for any window', () => {
    const { s: tpl, labelled } = templateSession();
    const template = buildTemplate(tpl.signal, labelled);
    const { s } = laterSession();
    const endT = s.signal.tS[s.signal.tS.length - 1]!;
    fc.assert(
      fc.property(fc.double({ min: 0, max: endT - 2, noNaN: true }), fc.double({ min: 0.5, max: 10, noNaN: true }), (a, len) => {
        const m = matchTemplate(template, s.signal, { startS: a, endS: Math.min(endT, a + len) });
        expect(m.score).toBeGreaterThanOrEqual(0);
        expect(m.score).toBeLessThanOrEqual(100);
        expect(template.labels).toContain(m.label);
        expect(m.reasons.length).toBeGreaterThan(0);
      }),
      { numRuns: 40 },
    );
  });

  describe('bad input → QualityInputError with a clear message', () => {
    const { s: tpl, labelled } = templateSession();
    it('a template with no reps', () => {
      expect(() => buildTemplate(tpl.signal, [])).toThrow(QualityInputError);
      expect(() => buildTemplate(tpl.signal, [])).toThrow(/no reps/);
    });
    it('a rep without a label', () => {
      expect(() => buildTemplate(tpl.signal, [{ ...labelled[0]!, label: '' }])).toThrow(/has no label/);
      expect(() => buildTemplate(tpl.signal, [{ startS: 1, endS: 3 } as LabelledRep])).toThrow(QualityInputError);
    });
    it('no rep with the correct label', () => {
      expect(() => buildTemplate(tpl.signal, labelled.slice(1))).toThrow(/no 'correct' rep/);
      expect(buildTemplate(tpl.signal, labelled.slice(1), { correctLabel: 'too-fast' }).correctLabel).toBe('too-fast');
    });
    it('a template rep outside the recording or without movement', () => {
      expect(() => buildTemplate(tpl.signal, [{ label: 'correct', startS: 1000, endS: 1005 }])).toThrow(/template rep 0 \('correct'\)/);
      const flat = { tS: tpl.signal.tS, angleDeg: new Float64Array(tpl.signal.tS.length), name: 'knee angle' };
      expect(() => buildTemplate(flat, [{ label: 'correct', startS: 1, endS: 4 }])).toThrow(/no movement/);
    });
    it('a session on another sensor / signal than the template', () => {
      const template = buildTemplate(tpl.signal, labelled);
      const { s } = laterSession('dominant rotation (sensor wrist)');
      expect(() => matchTemplate(template, s.signal, s.reps[0]!)).toThrow(/recorded on 'knee angle' but the reps are on 'dominant rotation \(sensor wrist\)'/);
      expect(matchTemplate(template, s.signal, s.reps[0]!, { allowOtherSignal: true }).label).toBe('correct');
    });
  });
});

describe('dtwDistance', () => {
  it('is 0 for identical curves, symmetric, and absorbs a small time shift that pointwise RMS does not', () => {
    const n = 64;
    const a = Float64Array.from({ length: n }, (_, i) => Math.sin((Math.PI * i) / (n - 1)) ** 2);
    const b = Float64Array.from({ length: n }, (_, i) => Math.sin((Math.PI * Math.max(0, i - 3)) / (n - 1)) ** 2);
    expect(dtwDistance(a, a)).toBe(0);
    expect(dtwDistance(a, b)).toBeCloseTo(dtwDistance(b, a), 12);
    let rms = 0;
    for (let i = 0; i < n; i++) rms += (a[i]! - b[i]!) ** 2;
    expect(dtwDistance(a, b)).toBeLessThan(0.3 * Math.sqrt(rms / n));
    expect(() => dtwDistance(a, b.subarray(1))).toThrow(QualityInputError);
  });
});
