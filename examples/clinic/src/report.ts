/**
 * Session report export, generated on the machine (no network): CSV (one row per trial) and a
 * minimal hand-written PDF 1.4 (Helvetica, WinAnsi text, uncompressed, so its text is searchable).
 */
import type { SessionRecord } from './store';
import { presetById } from './presets';

const f1 = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '');

export function sessionCsv(s: SessionRecord, mdcSource: string): string {
  const rows = [
    `# kinemetry clinic session report`,
    `# patient: ${s.patientId}`,
    `# date: ${s.dateIso}`,
    `# source: ${s.source}`,
    `# norms: AAOS (Joint Motion: Method of Measuring and Recording, 1965); MDC: ${mdcSource}`,
    'motion,side,mode,trial,value_deg,unc_deg,partial,best_deg,best_unc_deg,mean_deg,sd_deg,aaos_norm_deg,percent_of_norm',
  ];
  for (const m of s.measurements) {
    m.trials.forEach((t, k) => rows.push([m.presetId, m.side, m.mode, k + 1, f1(t.valueDeg), f1(t.uncertaintyDeg), t.partial ? 1 : 0, f1(m.bestDeg), f1(m.bestUncDeg), f1(m.meanDeg), f1(m.sdDeg), m.normDeg, f1(m.percentOfNorm)].join(',')));
  }
  return `${rows.join('\n')}\n`;
}

/** Text lines of the report (shared by the PDF). */
export function reportLines(s: SessionRecord, symmetry: readonly string[], mdcSource: string): string[] {
  const lines = [`Patient ${s.patientId}   ${s.dateIso.slice(0, 16).replace('T', ' ')} UTC`, `Source: ${s.source}`, ''];
  for (const m of s.measurements) {
    const p = presetById(m.presetId);
    lines.push(`${p.label}, ${m.side}, ${m.mode}: best ${f1(m.bestDeg)}° ± ${f1(m.bestUncDeg)}°, mean ${f1(m.meanDeg)}° ± ${f1(m.sdDeg)}° (${m.trials.filter((t) => !t.partial).length} trials), ${f1(m.percentOfNorm)}% of AAOS ${m.normDeg}°`);
    lines.push(`    trials: ${m.trials.map((t) => `${f1(t.valueDeg)}°${t.partial ? ' (partial)' : ''}`).join(', ')}`);
  }
  if (symmetry.length) lines.push('', ...symmetry);
  lines.push('', 'Norms: AAOS 1965. ± = 1-sigma of the calibration and orientation-filter errors propagated to the angle (first order); mean ± SD = spread of the trials.', `MDC: ${mdcSource}.`);
  return lines;
}

/** WinAnsi literal string: escapes, ° and ± as octal, other non-Latin-1 as '?'. */
function pdfString(s: string): string {
  let out = '(';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '(' || ch === ')' || ch === '\\') out += `\\${ch}`;
    else if (c >= 32 && c < 127) out += ch;
    else if (c >= 160 && c <= 255) out += `\\${c.toString(8).padStart(3, '0')}`;
    else if (ch === '–' || ch === '—') out += '-';
    else out += '?';
  }
  return `${out})`;
}

/** A one-or-more-page A4 PDF of `title` and `lines` (wrapped at ~95 characters). */
export function textPdf(title: string, lines: readonly string[]): string {
  const wrapped: string[] = [];
  for (const l of lines) {
    let rest = l;
    while (rest.length > 95) {
      const cut = rest.lastIndexOf(' ', 95) > 40 ? rest.lastIndexOf(' ', 95) : 95;
      wrapped.push(rest.slice(0, cut));
      rest = `    ${rest.slice(cut).trimStart()}`;
    }
    wrapped.push(rest);
  }
  const perPage = 50;
  const pages: string[][] = [];
  for (let i = 0; i < Math.max(1, wrapped.length); i += perPage) pages.push(wrapped.slice(i, i + perPage));
  const objs: string[] = [];
  // 1 catalog, 2 pages, 3 font, then per page: page, content.
  const kids = pages.map((_, k) => `${4 + 2 * k} 0 R`).join(' ');
  objs.push('<< /Type /Catalog /Pages 2 0 R >>');
  objs.push(`<< /Type /Pages /Kids [${kids}] /Count ${pages.length} >>`);
  objs.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  pages.forEach((pl, k) => {
    const ops = ['BT', '/F1 16 Tf', '50 800 Td', `${pdfString(k === 0 ? title : `${title} (page ${k + 1})`)} Tj`, '/F1 10 Tf', '0 -26 Td', '14 TL'];
    for (const l of pl) ops.push(`${pdfString(l)} Tj T*`);
    ops.push('ET');
    const stream = ops.join('\n');
    objs.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${5 + 2 * k} 0 R >>`);
    objs.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
  });
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => { offsets.push(body.length); body += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const xref = body.length;
  body += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  // All characters are ASCII (non-ASCII went to octal escapes), so string length = bytes.
  return body;
}

export function download(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
