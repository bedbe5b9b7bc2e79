// Clinic page pieces without a browser: trend points and the MDC flag, symmetry, the CSV and
// the hand-written PDF.
import { describe, expect, it } from 'vitest';
import { symmetryPercent } from '../../examples/clinic/src/meter';
import { MDC_DEG, MDC_SOURCE } from '../../examples/clinic/src/presets';
import { reportLines, sessionCsv, textPdf } from '../../examples/clinic/src/report';
import type { Measurement, SessionRecord } from '../../examples/clinic/src/store';
import { trendPoints, trendSvg } from '../../examples/clinic/src/trend';

function m(bestDeg: number, side: 'left' | 'right' = 'left'): Measurement {
  return { presetId: 'shoulder-abduction', side, mode: 'active', trials: [{ valueDeg: bestDeg, uncertaintyDeg: 1, tS: 3, partial: false }], bestDeg, bestUncDeg: 1, meanDeg: bestDeg, sdDeg: 0, normDeg: 180, percentOfNorm: (100 * bestDeg) / 180 };
}
const session = (day: number, ...ms: Measurement[]): SessionRecord => ({ patientId: 'P1', dateIso: `2026-01-${String(day).padStart(2, '0')}T10:00:00.000Z`, source: 'test', measurements: ms });

describe('clinic history', () => {
  it('flags a change larger than the MDC between consecutive sessions, not a smaller one', () => {
    const s = [session(1, m(120)), session(8, m(124)), session(15, m(124 + MDC_DEG + 0.5)), session(22, m(140, 'right'))];
    const pts = trendPoints(s, 'shoulder-abduction', 'left', 'active', MDC_DEG);
    expect(pts.map((p) => p.valueDeg)).toEqual([120, 124, 130.5]);
    expect(pts.map((p) => p.flagged)).toEqual([false, false, true]);
    expect(pts[2]!.changeDeg).toBeCloseTo(6.5, 9);
    const svg = trendSvg(pts, 180, 'Shoulder abduction, left');
    expect(svg.match(/<circle/g)!.length).toBe(3);
    expect(svg).toContain('class="pt flagged"');
    expect(svg).toContain('AAOS 180°');
  });
  it('symmetry is smaller / larger best', () => {
    expect(symmetryPercent(120, 150)).toBeCloseTo(80, 9);
    expect(symmetryPercent(150, 120)).toBeCloseTo(80, 9);
  });
  it('CSV has one row per trial; the PDF is well formed and its text holds the values', () => {
    const s = session(1, m(149.7), m(131.2, 'right'));
    const csv = sessionCsv(s, MDC_SOURCE);
    expect(csv.split('\n').filter((l) => l.startsWith('shoulder-abduction,'))).toEqual([
      'shoulder-abduction,left,active,1,149.7,1.0,0,149.7,1.0,149.7,0.0,180,83.2',
      'shoulder-abduction,right,active,1,131.2,1.0,0,131.2,1.0,131.2,0.0,180,72.9',
    ]);
    const pdf = textPdf('report', reportLines(s, ['Shoulder abduction (active) symmetry 88%'], MDC_SOURCE));
    expect(pdf.startsWith('%PDF-1.4\n')).toBe(true);
    expect(pdf).toContain('best 149.7\\260 \\261 1.0\\260');
    expect(pdf).toContain('symmetry 88%');
    // xref offsets point at the objects.
    const xref = Number(/startxref\n(\d+)/.exec(pdf)![1]);
    expect(pdf.slice(xref, xref + 4)).toBe('xref');
    const offsets = [...pdf.slice(xref).matchAll(/^(\d{10}) 00000 n $/gm)].map((x) => Number(x[1]));
    offsets.forEach((o, i) => expect(pdf.slice(o).startsWith(`${i + 1} 0 obj`)).toBe(true));
  });
});
