import { describe, expect, it } from 'vitest';
import { decimateMinMax, flatRep } from '../../src/report/model';
import { escapeHtml, fmt, linePath, linearScale, niceTicks } from '../../src/report/svg';
import { sampleReport } from './sampleReport';

describe('decimateMinMax', () => {
  it('keeps every extreme of a long signal within maxPoints and breaks at gaps', () => {
    const n = 100_000;
    const t = Float64Array.from({ length: n }, (_, i) => i / 100);
    const a = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 500) * 50 + (i === 31_337 ? 40 : 0));
    a.fill(NaN, 60_000, 60_100);
    const d = decimateMinMax(t, a, 2000);
    expect(d.tS.length).toBeLessThanOrEqual(3000); // min, max and at most one gap marker per bucket
    expect(Math.max(...d.angleDeg.filter(Number.isFinite))).toBe(Math.max(...Array.from(a).filter(Number.isFinite)));
    expect(d.angleDeg.some((v) => Number.isNaN(v))).toBe(true);
    for (let i = 1; i < d.tS.length; i++) expect(d.tS[i]!).toBeGreaterThan(d.tS[i - 1]!);
  });

  it('returns a short signal unchanged', () => {
    expect(decimateMinMax([0, 1, 2], [5, 6, 7])).toEqual({ tS: [0, 1, 2], angleDeg: [5, 6, 7] });
  });
});

describe('flatRep', () => {
  it('has the reps --json contract fields', () => {
    const r = flatRep(sampleReport({ withTemplate: true }).reps[3]!);
    for (const k of ['startS', 'endS', 'romDeg', 'durationS', 'holdS', 'label', 'score', 'flags']) expect(r).toHaveProperty(k);
    expect(r.label).toBe('too-low');
    expect(flatRep(sampleReport().reps[0]!)).not.toHaveProperty('label');
  });
});

describe('svg helpers', () => {
  it('escape, format, scale, ticks, paths', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(fmt(-0.04, 1)).toBe('0.0');
    expect(fmt(NaN)).toBe('—');
    expect(linearScale(0, 10, 100, 200)(5)).toBe(150);
    expect(linearScale(3, 3, 0, 10)(3)).toBe(5);
    expect(niceTicks(0, 97, 5)).toEqual([0, 20, 40, 60, 80]);
    expect(niceTicks(-0.3, 0.3, 6)).toEqual([-0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3].map((v) => expect.closeTo(v, 12)));
    const id = (v: number): number => v;
    expect(linePath([0, 1, 2, 3], [0, NaN, 2, 3], id, id)).toBe('M0 0M2 2L3 3');
  });
});
