/**
 * Trend of one motion (preset + side) over a patient's sessions: best value per session as
 * an inline SVG, each change larger than the MDC flagged.
 */
import type { SessionRecord } from './store';

export interface TrendPoint { dateIso: string; valueDeg: number; uncDeg: number; changeDeg: number; flagged: boolean }

export function trendPoints(sessions: readonly SessionRecord[], presetId: string, side: string, mode: string, mdcDeg: number): TrendPoint[] {
  const pts: TrendPoint[] = [];
  for (const s of sessions) {
    const m = s.measurements.find((x) => x.presetId === presetId && x.side === side && x.mode === mode);
    if (!m) continue;
    const prev = pts[pts.length - 1];
    const change = prev ? m.bestDeg - prev.valueDeg : 0;
    pts.push({ dateIso: s.dateIso, valueDeg: m.bestDeg, uncDeg: m.bestUncDeg, changeDeg: change, flagged: prev !== undefined && Math.abs(change) > mdcDeg });
  }
  return pts;
}

const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function trendSvg(points: readonly TrendPoint[], normDeg: number, title: string): string {
  const w = 360, h = 150, l = 40, r = 10, t = 12, b = 26;
  const hi = Math.max(normDeg, ...points.map((p) => p.valueDeg + p.uncDeg)) * 1.05;
  const x = (i: number): number => (points.length === 1 ? l + (w - l - r) / 2 : l + (i * (w - l - r)) / (points.length - 1));
  const y = (v: number): number => t + (1 - v / hi) * (h - t - b);
  const parts: string[] = [];
  parts.push(`<svg class="trend" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${esc(title)}: ${points.map((p) => `${p.valueDeg.toFixed(0)}°`).join(', ')}">`);
  for (const v of [0, Math.round(hi / 2 / 10) * 10]) parts.push(`<line x1="${l}" x2="${w - r}" y1="${y(v)}" y2="${y(v)}" class="grid"/><text x="${l - 4}" y="${y(v) + 4}" text-anchor="end">${v}°</text>`);
  parts.push(`<line x1="${l}" x2="${w - r}" y1="${y(normDeg)}" y2="${y(normDeg)}" class="norm"/><text x="${w - r}" y="${y(normDeg) - 3}" text-anchor="end">AAOS ${normDeg}°</text>`);
  if (points.length > 1) parts.push(`<polyline class="line" points="${points.map((p, i) => `${x(i)},${y(p.valueDeg)}`).join(' ')}"/>`);
  points.forEach((p, i) => {
    parts.push(`<line class="err" x1="${x(i)}" x2="${x(i)}" y1="${y(p.valueDeg - p.uncDeg)}" y2="${y(p.valueDeg + p.uncDeg)}"/>`);
    parts.push(`<circle class="pt${p.flagged ? ' flagged' : ''}" cx="${x(i)}" cy="${y(p.valueDeg)}" r="${p.flagged ? 6 : 4}"><title>${esc(p.dateIso.slice(0, 16).replace('T', ' '))}: ${p.valueDeg.toFixed(1)}° ± ${p.uncDeg.toFixed(1)}°${p.flagged ? ` (change ${p.changeDeg > 0 ? '+' : ''}${p.changeDeg.toFixed(1)}° > MDC)` : ''}</title></circle>`);
    // Date under each point; the time of day when two sessions share a date.
    const sameDay = points.some((o, j) => j !== i && o.dateIso.slice(0, 10) === p.dateIso.slice(0, 10));
    const label = sameDay ? `${p.dateIso.slice(5, 10)} ${p.dateIso.slice(11, 16)}` : p.dateIso.slice(5, 10);
    const anchor = points.length === 1 ? 'middle' : i === 0 ? 'start' : i === points.length - 1 ? 'end' : 'middle';
    parts.push(`<text x="${x(i)}" y="${h - 8}" text-anchor="${anchor}">${esc(label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
