/**
 * The report's SVG charts as pure functions of the model: the signal with its reps shaded and
 * numbered, and bar charts per rep (ROM, tempo). Each returns one `<svg>` string with a
 * viewBox (it scales to its container), explicit fills (it also works copied out on its own),
 * and a `<title>` per mark for hover text. All text goes through `escapeHtml`.
 */
import type { ScoredRep, SetSummary } from '../quality/types';
import type { ReportSignal } from './model';
import { el, escapeHtml, extent, fmt, linePath, linearScale, niceTicks, px, text, tickDigits } from './svg';
import type { Scale } from './svg';

export const COLORS = {
  line: '#1f4e79',
  rep: '#9ecae1',
  repPartial: '#fdd0a2',
  peak: '#08519c',
  grid: '#e3e6ea',
  axis: '#5b6470',
  text: '#222831',
  mean: '#c0392b',
  concentric: '#4292c6',
  hold: '#9ecae1',
  eccentric: '#2171b5',
  bar: '#4292c6',
  barPartial: '#fd8d3c',
  set: '#8a94a3',
} as const;

interface Frame {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

function svgOpen(f: Frame, label: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${f.width} ${f.height}" width="100%" role="img" aria-label="${escapeHtml(label)}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" font-size="12">`;
}

/** Horizontal grid lines with y tick labels, and a rotated axis title. */
function yAxis(f: Frame, sy: Scale, ticks: readonly number[], title: string): string {
  const d = tickDigits(ticks);
  const out: string[] = [];
  for (const v of ticks) {
    const y = sy(v);
    out.push(el('line', { x1: f.left, x2: f.width - f.right, y1: y, y2: y, stroke: COLORS.grid }));
    out.push(text(f.left - 6, y + 4, fmt(v, d), { 'text-anchor': 'end', fill: COLORS.axis }));
  }
  const cy = (f.top + f.height - f.bottom) / 2;
  out.push(text(14, cy, title, { transform: `rotate(-90 14 ${px(cy)})`, 'text-anchor': 'middle', fill: COLORS.axis }));
  return out.join('');
}

/** x tick labels below the plot, and the axis title. */
function xAxis(f: Frame, sx: Scale, ticks: readonly number[], title: string, labels?: (v: number) => string): string {
  const d = tickDigits(ticks);
  const y0 = f.height - f.bottom;
  const out: string[] = [el('line', { x1: f.left, x2: f.width - f.right, y1: y0, y2: y0, stroke: COLORS.axis })];
  for (const v of ticks) {
    const x = sx(v);
    out.push(el('line', { x1: x, x2: x, y1: y0, y2: y0 + 4, stroke: COLORS.axis }));
    out.push(text(x, y0 + 17, labels ? labels(v) : fmt(v, d), { 'text-anchor': 'middle', fill: COLORS.axis }));
  }
  out.push(text((f.left + f.width - f.right) / 2, f.height - 4, title, { 'text-anchor': 'middle', fill: COLORS.axis }));
  return out.join('');
}

/** The signal's y range widened to the reps' peaks and padded, never empty. */
function yDomain(values: readonly (number | null)[], extra: readonly number[]): [number, number] {
  let [lo, hi] = extent([...values, ...extra]);
  if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
  if (hi - lo < 1) [lo, hi] = [lo - 0.5, hi + 0.5];
  const pad = 0.06 * (hi - lo);
  return [lo - pad, hi + pad];
}

export interface SignalChartOptions {
  readonly width?: number;
  readonly height?: number;
  /** Time range to show, s (default: the signal's). */
  readonly startS?: number;
  readonly endS?: number;
  readonly sets?: readonly SetSummary[];
}

/**
 * The movement signal against time. Each rep is a shaded band from onset to return
 * (orange when partial) with its number (1-based) above it and a dot at its peak; sets are
 * marked by a dashed line and a label where they start.
 */
export function signalChart(signal: ReportSignal, reps: readonly ScoredRep[], opts: SignalChartOptions = {}): string {
  const f: Frame = { width: opts.width ?? 1000, height: opts.height ?? 300, left: 58, right: 14, top: 38, bottom: 40 };
  const [t0, t1] = extent(signal.tS);
  const x0 = opts.startS ?? (Number.isFinite(t0) ? t0 : 0), x1 = opts.endS ?? (Number.isFinite(t1) ? t1 : 1);
  const sx = linearScale(x0, x1 > x0 ? x1 : x0 + 1, f.left, f.width - f.right);
  const [y0, y1] = yDomain(signal.angleDeg, reps.map((r) => r.rep.peakDeg));
  const sy = linearScale(y0, y1, f.height - f.bottom, f.top);
  const plotTop = f.top, plotBottom = f.height - f.bottom;
  const out: string[] = [svgOpen(f, `${signal.name} against time with ${reps.length} reps`)];
  // The section heading names the signal; a long name would not fit along the axis.
  out.push(yAxis(f, sy, niceTicks(y0, y1, 6), signal.name.length <= 22 ? `${signal.name} (°)` : 'angle (°)'));

  // Rep bands first, so the line draws over them.
  let lastLabelX = -Infinity;
  for (const r of reps) {
    const xa = sx(r.rep.startS), xb = sx(r.rep.endS);
    const tip = `Rep ${r.rep.index + 1}${r.rep.partial ? ' (partial)' : ''}: ${fmt(r.rep.startS, 1)}–${fmt(r.rep.endS, 1)} s, ROM ${fmt(r.metrics.romDeg, 0)}°, score ${fmt(r.score, 0)}${r.match ? `, ${r.match.label}` : ''}`;
    out.push(el('rect', { x: xa, y: plotTop, width: Math.max(1, xb - xa), height: plotBottom - plotTop, fill: r.rep.partial ? COLORS.repPartial : COLORS.rep, 'fill-opacity': '0.55' }, el('title', {}, escapeHtml(tip))));
    const xm = (xa + xb) / 2;
    const label = String(r.rep.index + 1);
    // Numbers would overlap when reps are dense on screen: keep a number's width (≈ 7 px a digit) between them.
    if (xm - lastLabelX >= Math.max(16, 7 * label.length + 6)) {
      out.push(text(xm, plotTop - 6, label, { 'text-anchor': 'middle', 'font-size': 11, fill: r.rep.partial ? COLORS.barPartial : COLORS.peak, 'font-weight': '600' }));
      lastLabelX = xm;
    }
  }
  // Sets: a dashed line in the middle of the rest before each set, its label on a row above the rep numbers.
  const sets = opts.sets ?? [];
  let lastSetLabelX = -Infinity, lastSetLabelLength = 0;
  for (let k = 0; k < sets.length; k++) {
    const s = sets[k]!;
    const prevEnd = k > 0 ? sets[k - 1]!.endS : NaN;
    if (Number.isFinite(prevEnd)) {
      const x = sx((prevEnd + s.startS) / 2);
      out.push(el('line', { x1: x, x2: x, y1: 8, y2: plotBottom, stroke: COLORS.set, 'stroke-dasharray': '4 3' }));
    }
    const label = `set ${s.set + 1}`;
    const x = Math.max(f.left, sx(s.startS));
    if (x - lastSetLabelX < 6.5 * lastSetLabelLength + 8) continue; // thinned like the rep numbers
    out.push(text(x, 14, label, { fill: COLORS.axis, 'font-size': 11, 'font-weight': '600' }));
    lastSetLabelX = x;
    lastSetLabelLength = label.length;
  }
  out.push(el('path', { d: linePath(signal.tS, signal.angleDeg, sx, sy), fill: 'none', stroke: COLORS.line, 'stroke-width': '1.4', 'stroke-linejoin': 'round' }));
  // Peak dots only while reps are wide enough on screen to tell them apart (≈ 8 px each).
  const plotW = f.width - f.left - f.right;
  const showPeaks = reps.length * 8 <= plotW;
  for (const r of showPeaks ? reps : []) {
    if (!Number.isFinite(r.rep.peakDeg)) continue;
    out.push(el('circle', { cx: sx(r.rep.peakS), cy: sy(r.rep.peakDeg), r: 2.5, fill: COLORS.peak }));
  }
  out.push(xAxis(f, sx, niceTicks(x0, x1, 10), 'time (s)'));
  out.push('</svg>');
  return out.join('');
}

export interface BarSeries {
  readonly name: string;
  readonly color: string;
  readonly values: readonly number[];
}

export interface BarChartSpec {
  readonly label: string;
  readonly yTitle: string;
  /** One label per bar (e.g. the rep number). */
  readonly categories: readonly string[];
  /** Stacked bottom to top. */
  readonly series: readonly BarSeries[];
  /** Per-bar fill overriding a single series' colour (e.g. partial reps). */
  readonly barColors?: readonly (string | undefined)[];
  /** Hover text per bar. */
  readonly tips?: readonly string[];
  /** A horizontal reference line (e.g. the mean), with its legend text. */
  readonly reference?: { readonly value: number; readonly name: string };
  readonly width?: number;
  readonly height?: number;
}

/** A (stacked) bar chart with a legend; empty categories draw an empty frame with a note. */
export function barChart(spec: BarChartSpec): string {
  const f: Frame = { width: spec.width ?? 480, height: spec.height ?? 240, left: 52, right: 10, top: 26, bottom: 40 };
  const n = spec.categories.length;
  const totals = spec.categories.map((_, i) => spec.series.reduce((s, se) => s + (Number.isFinite(se.values[i]!) ? Math.max(0, se.values[i]!) : 0), 0));
  const top = Math.max(1e-9, ...totals, spec.reference && Number.isFinite(spec.reference.value) ? spec.reference.value : 0);
  const ticks = niceTicks(0, top * 1.08, 5);
  const yMax = Math.max(top * 1.08, ticks[ticks.length - 1] ?? 1);
  const sy = linearScale(0, yMax, f.height - f.bottom, f.top);
  const out: string[] = [svgOpen(f, spec.label)];
  out.push(yAxis(f, sy, ticks, spec.yTitle));
  const plotW = f.width - f.left - f.right;
  const slot = n > 0 ? plotW / n : plotW;
  const barW = Math.max(1, Math.min(36, slot * 0.72));
  for (let i = 0; i < n; i++) {
    const cx = f.left + slot * (i + 0.5);
    let base = 0;
    const parts: string[] = [];
    for (const se of spec.series) {
      const v = se.values[i]!;
      if (!Number.isFinite(v) || v <= 0) continue;
      const color = spec.series.length === 1 ? spec.barColors?.[i] ?? se.color : se.color;
      parts.push(el('rect', { x: cx - barW / 2, y: sy(base + v), width: barW, height: sy(base) - sy(base + v), fill: color }));
      base += v;
    }
    const tip = spec.tips?.[i];
    out.push(tip ? `<g>${el('title', {}, escapeHtml(tip))}${parts.join('')}</g>` : parts.join(''));
  }
  if (spec.reference && Number.isFinite(spec.reference.value)) {
    const y = sy(spec.reference.value);
    out.push(el('line', { x1: f.left, x2: f.width - f.right, y1: y, y2: y, stroke: COLORS.mean, 'stroke-dasharray': '5 3', 'stroke-width': '1.2' }));
  }
  // Category labels: thinned so they never overlap (about 22 px each).
  const every = Math.max(1, Math.ceil(22 / slot));
  const y0 = f.height - f.bottom;
  out.push(el('line', { x1: f.left, x2: f.width - f.right, y1: y0, y2: y0, stroke: COLORS.axis }));
  for (let i = 0; i < n; i += every) out.push(text(f.left + slot * (i + 0.5), y0 + 15, spec.categories[i]!, { 'text-anchor': 'middle', fill: COLORS.axis, 'font-size': 11 }));
  out.push(text((f.left + f.width - f.right) / 2, f.height - 4, 'rep', { 'text-anchor': 'middle', fill: COLORS.axis }));
  if (n === 0) out.push(text((f.left + f.width - f.right) / 2, (f.top + y0) / 2, 'no reps', { 'text-anchor': 'middle', fill: COLORS.axis }));
  // Legend along the top.
  const legend: { name: string; color: string; dashed?: boolean }[] = spec.series.length > 1 ? spec.series.map((s) => ({ name: s.name, color: s.color })) : [];
  if (spec.series.length === 1 && spec.barColors?.some((c) => c !== undefined && c !== spec.series[0]!.color)) {
    legend.push({ name: spec.series[0]!.name, color: spec.series[0]!.color }, { name: 'partial', color: COLORS.barPartial });
  }
  if (spec.reference && Number.isFinite(spec.reference.value)) legend.push({ name: spec.reference.name, color: COLORS.mean, dashed: true });
  let lx = f.left;
  for (const item of legend) {
    out.push(item.dashed
      ? el('line', { x1: lx, x2: lx + 14, y1: 11, y2: 11, stroke: item.color, 'stroke-dasharray': '4 2', 'stroke-width': '1.5' })
      : el('rect', { x: lx, y: 5, width: 12, height: 12, fill: item.color }));
    out.push(text(lx + 18, 15, item.name, { fill: COLORS.text, 'font-size': 11 }));
    lx += 26 + 6.5 * item.name.length;
  }
  out.push('</svg>');
  return out.join('');
}

/** ROM per rep (partial reps in orange) with the mean ROM of the full reps. */
export function romChart(reps: readonly ScoredRep[], meanRomDeg: number): string {
  return barChart({
    label: 'range of motion per rep',
    yTitle: 'ROM (°)',
    categories: reps.map((r) => String(r.rep.index + 1)),
    series: [{ name: 'ROM', color: COLORS.bar, values: reps.map((r) => r.metrics.romDeg) }],
    barColors: reps.map((r) => (r.rep.partial ? COLORS.barPartial : undefined)),
    tips: reps.map((r) => `Rep ${r.rep.index + 1}: ROM ${fmt(r.metrics.romDeg, 1)}°${r.rep.partial ? ' (partial)' : ''}`),
    reference: { value: meanRomDeg, name: `mean ${fmt(meanRomDeg, 0)}°` },
  });
}

/**
 * Tempo per rep: outward movement, hold at end range and return, stacked; what is left of the
 * rep's duration (time near rest inside the rep) is drawn as the top, lightest part.
 */
export function tempoChart(reps: readonly ScoredRep[]): string {
  const m = reps.map((r) => r.metrics);
  const nonNeg = (v: number): number => (Number.isFinite(v) && v > 0 ? v : 0);
  const other = m.map((x) => Math.max(0, nonNeg(x.durationS) - nonNeg(x.concentricS) - nonNeg(x.holdS) - nonNeg(x.eccentricS)));
  const series: BarSeries[] = [
    { name: 'out', color: COLORS.concentric, values: m.map((x) => nonNeg(x.concentricS)) },
    { name: 'hold', color: COLORS.hold, values: m.map((x) => nonNeg(x.holdS)) },
    { name: 'return', color: COLORS.eccentric, values: m.map((x) => nonNeg(x.eccentricS)) },
  ];
  if (other.some((v) => v > 0.05)) series.push({ name: 'other', color: '#deebf7', values: other });
  return barChart({
    label: 'tempo per rep',
    yTitle: 'duration (s)',
    categories: reps.map((r) => String(r.rep.index + 1)),
    series,
    tips: m.map((x, i) => `Rep ${reps[i]!.rep.index + 1}: ${fmt(x.durationS, 1)} s (out ${fmt(x.concentricS, 1)}, hold ${fmt(x.holdS, 1)}, return ${fmt(x.eccentricS, 1)})`),
  });
}
