/**
 * Small pure helpers for hand-written SVG and HTML: escaping, number formatting, linear
 * scales, "nice" axis ticks and polylines that break at gaps. Every function returns a string
 * or plain data; nothing touches a DOM, so the report renders in Node and in a browser alike.
 */

/** Escape text for HTML/SVG element content and attribute values (both quote styles). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A number with fixed decimals; '—' when not finite; never '-0'. */
export function fmt(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const s = v.toFixed(digits);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/** Coordinates are rounded to 0.1 px: enough for any screen, and keeps the file small. */
export function px(v: number): string {
  return fmt(Math.round(v * 10) / 10, 1).replace(/\.0$/, '');
}

export type Scale = (v: number) => number;

/** Linear map of [d0, d1] onto [r0, r1]; a degenerate domain maps to the range's middle. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): Scale {
  if (!(d1 !== d0) || !Number.isFinite(d0) || !Number.isFinite(d1)) return () => (r0 + r1) / 2;
  const k = (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** Round ticks (1, 2, 5 × 10ⁿ steps) covering [lo, hi], about `count` of them. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** Decimals that show a tick step exactly (0 for 10, 1 for 0.5, 2 for 0.25…). */
export function tickDigits(ticks: readonly number[]): number {
  if (ticks.length < 2) return 0;
  const step = Math.abs(ticks[1]! - ticks[0]!);
  return Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
}

/** Extent of the finite values, [NaN, NaN] when there are none. */
export function extent(values: readonly (number | null)[]): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [NaN, NaN];
}

/** SVG path data through (x, y) points; a non-finite y (or null) breaks the line. */
export function linePath(xs: readonly number[], ys: readonly (number | null)[], sx: Scale, sy: Scale): string {
  const parts: string[] = [];
  let pen = false;
  const n = Math.min(xs.length, ys.length);
  for (let i = 0; i < n; i++) {
    const y = ys[i];
    if (y === null || y === undefined || !Number.isFinite(y) || !Number.isFinite(xs[i]!)) {
      pen = false;
      continue;
    }
    parts.push(`${pen ? 'L' : 'M'}${px(sx(xs[i]!))} ${px(sy(y))}`);
    pen = true;
  }
  return parts.join('');
}

/** An SVG element with escaped attributes; `inner` is already-safe markup. */
export function el(name: string, attrs: Record<string, string | number | undefined>, inner = ''): string {
  const a = Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeHtml(typeof v === 'number' ? px(v) : v!)}"`)
    .join('');
  return inner === '' && name !== 'text' && name !== 'title' ? `<${name}${a}/>` : `<${name}${a}>${inner}</${name}>`;
}

/** A text element; `text` is escaped. */
export function text(x: number, y: number, content: string, attrs: Record<string, string | number | undefined> = {}): string {
  return el('text', { x, y, ...attrs }, escapeHtml(content));
}
