import { describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../src/report/html';
import { barChart, signalChart } from '../../src/report/charts';
import { sessionFigures } from '../../src/report/figures';
import { HOSTILE, sampleReport } from './sampleReport';

/** Every src/href/url(...) reference in a document. */
function references(html: string): string[] {
  return [...html.matchAll(/\b(?:src|href|xlink:href|action|poster|data)\s*=\s*["']?([^"'\s>]+)/gi), ...html.matchAll(/url\(\s*["']?([^"')]+)/gi), ...html.matchAll(/@import\s+["']?([^"';]+)/gi)].map((m) => m[1]!);
}

describe('renderReportHtml', () => {
  it('is one self-contained document: inline style and svg, nothing to fetch, no script', () => {
    const html = renderReportHtml(sampleReport({ withTemplate: true }));
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<style>');
    expect(html.match(/<svg\b/g)!.length).toBe(3);
    expect(references(html).filter((r) => /^(https?:)?\/\//i.test(r))).toEqual([]);
    expect(references(html)).toEqual([]);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@font-face/i);
    // Well-formed enough: every svg and table closes.
    expect(html.match(/<svg\b/g)!.length).toBe(html.match(/<\/svg>/g)!.length);
    expect(html.match(/<table\b/g)!.length).toBe(html.match(/<\/table>/g)!.length);
  });

  it('shows every rep: a numbered band in the signal chart, a row in the table, label and score', () => {
    const report = sampleReport({ withTemplate: true });
    const html = renderReportHtml(report);
    const rows = html.match(/<tbody>([\s\S]*?)<\/tbody>/)![1]!.match(/<tr\b/g)!;
    expect(rows.length).toBe(report.reps.length);
    expect(html).toContain('class="partial"');
    for (const r of report.reps) expect(html).toContain(`Rep ${r.rep.index + 1}`);
    expect(html).toContain('too-fast');
    expect(html).toContain('<span class="score s-hi">85</span>');
    expect(html).toContain('Compared with 2 template reps');
    expect(html).toContain('<div class="why">tempo 2.1 s vs 5.0 s in the template</div>'); // the template's reasons are shown
    // Sets table and summary.
    expect(html).toMatch(/<td>22\.0<\/td>/); // rest before set 2
    expect(html).toContain('Range of motion over the recording');
  });

  it('escapes every text that comes from the data', () => {
    const html = renderReportHtml(sampleReport({ withTemplate: true, hostile: true }));
    expect(html).not.toContain('<script>');
    expect(html).not.toContain(`"x")`);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;');
    expect(html).not.toContain(HOSTILE);
  });

  it('renders an empty session (no reps) without NaN in the page', () => {
    const base = sampleReport();
    const html = renderReportHtml({
      ...base, reps: [], notes: ['no movement found'],
      session: { count: 0, partialCount: 0, sets: [], romTrendDegPerRep: NaN, tempoTrendSPerRep: NaN, fatigue: false, notes: [] },
    });
    expect(html).toContain('No repetitions were found.');
    expect(html).toContain('no movement found');
    expect(html).not.toMatch(/NaN|undefined|Infinity/);
  });
});

describe('charts', () => {
  it('signal chart: rep numbers are thinned when reps are dense, the line breaks at gaps', () => {
    const report = sampleReport();
    const svg = signalChart(report.signal, report.reps);
    expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 1000 300"/);
    // The gap (NaN run) splits the path into more than one subpath.
    const d = /<path d="([^"]+)"/.exec(svg)![1]!;
    expect(d.match(/M/g)!.length).toBe(2);
    // 500 reps in 1000 px: numbers at least 16 px apart → far fewer than 500.
    const many = Array.from({ length: 500 }, (_, i) => ({ ...report.reps[0]!, rep: { ...report.reps[0]!.rep, index: i, startS: i * 0.17, peakS: i * 0.17 + 0.05, endS: i * 0.17 + 0.1 } }));
    const dense = signalChart(report.signal, many, { startS: 0, endS: 88 });
    const numbers = dense.match(/font-weight="600">\d+<\/text>/g)!.length;
    expect(numbers).toBeGreaterThan(20);
    expect(numbers).toBeLessThan(70);
    expect(dense.match(/<rect /g)!.length).toBe(500);
  });

  it('bar chart: stacked heights add up, an empty chart says so', () => {
    const svg = barChart({ label: 't', yTitle: 'y', categories: ['1', '2'], series: [{ name: 'a', color: '#111', values: [1, 2] }, { name: 'b', color: '#222', values: [3, 0] }] });
    // Bars, not the legend swatches (which sit at y = 5).
    const heights = [...svg.matchAll(/<rect x="[^"]+" y="([^"]+)" width="[^"]+" height="([^"]+)" fill="#(111|222)"/g)].filter((m) => m[1] !== '5').map((m) => Number(m[2]));
    expect(heights.length).toBe(3); // the zero segment is not drawn
    expect(heights[0]! / heights[1]!).toBeCloseTo(1 / 3, 1);
    expect(barChart({ label: 't', yTitle: 'y', categories: [], series: [] })).toContain('no reps');
  });
});

describe('sessionFigures', () => {
  it('counts full reps only in the means, and flags over all reps', () => {
    const fig = sessionFigures(sampleReport().reps);
    expect(fig.count).toBe(10);
    expect(fig.partialCount).toBe(1);
    expect(fig.romDeg.mean).toBeCloseTo((60 + 59 + 58 + 57 + 55 + 5 * 55) / 10, 9);
    expect(fig.flagCounts).toEqual([['too-fast', 5], ['gap', 1], ['partial', 1]]);
  });
});
