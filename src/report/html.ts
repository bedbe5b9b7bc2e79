/**
 * The analysis report as one self-contained HTML document: inline CSS, inline SVG, no
 * scripts, fonts, images or links to fetch — it opens offline, prints, and can be mailed.
 * Built from small pure functions over the {@link AnalysisReport} model; every piece of text
 * from the data is escaped.
 */
import type { RomSummary } from '../kinematics/romSummary';
import type { ScoredRep, SessionSummary } from '../quality/types';
import { romChart, signalChart, tempoChart } from './charts';
import { sessionFigures } from './figures';
import type { MeanSd, SessionFigures } from './figures';
import type { AnalysisReport, ReportRecording, SetExercise } from './model';
import { escapeHtml, fmt } from './svg';

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f6f8; color: #222831; font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 24px 40px; }
header h1 { margin: 0 0 4px; font-size: 22px; font-weight: 650; }
header p { margin: 0; color: #5b6470; }
section { background: #fff; border: 1px solid #e1e5ea; border-radius: 8px; padding: 16px 18px; margin-top: 16px; }
h2 { margin: 0 0 10px; font-size: 16px; font-weight: 650; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; margin-top: 16px; }
.card { background: #fff; border: 1px solid #e1e5ea; border-radius: 8px; padding: 10px 14px; }
.card .v { font-size: 22px; font-weight: 650; white-space: nowrap; }
.card .k { color: #5b6470; font-size: 12px; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.charts > div { min-width: 0; }
@media (max-width: 760px) { .charts { grid-template-columns: 1fr; } }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 7px; border-bottom: 1px solid #edf0f3; text-align: right; white-space: nowrap; }
th { background: #f7f9fb; font-weight: 600; font-size: 12px; color: #3d4550; white-space: normal; vertical-align: bottom; }
td.l, th.l { text-align: left; }
td.flags { text-align: left; white-space: normal; min-width: 240px; width: 34%; color: #8a4b08; }
table.reps td { font-size: 13px; }
.why { color: #5b6470; font-size: 12px; margin-top: 2px; }
tr.partial td { color: #8a94a3; }
.score { display: inline-block; min-width: 34px; padding: 0 6px; border-radius: 10px; text-align: center; font-weight: 600; }
.s-hi { background: #d9f0d3; color: #1b5e20; } .s-mid { background: #fff1c7; color: #7a5a00; } .s-lo { background: #fde0dc; color: #9b1c1c; }
.tag { display: inline-block; padding: 0 6px; margin: 0 3px 2px 0; border-radius: 4px; background: #fdf0e0; font-size: 12px; }
.legend { color: #5b6470; font-size: 12px; margin: 6px 0 0; }
.sw { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin: 0 4px 0 10px; vertical-align: -1px; }
ul.notes { margin: 8px 0 0; padding-left: 18px; }
.below { margin-top: 12px; }
dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
dl.kv dt { color: #5b6470; } dl.kv dd { margin: 0; }
footer { color: #8a94a3; font-size: 12px; margin-top: 18px; }
@media print { body { background: #fff; } section, .card { break-inside: avoid; } }
`;

function meanSdText(v: MeanSd, digits: number, unit: string): string {
  if (v.n === 0) return '—';
  return Number.isFinite(v.sd) ? `${fmt(v.mean, digits)} ± ${fmt(v.sd, digits)}${unit}` : `${fmt(v.mean, digits)}${unit}`;
}

function scoreClass(score: number): string {
  return score >= 80 ? 's-hi' : score >= 50 ? 's-mid' : 's-lo';
}

function scoreBadge(score: number): string {
  if (!Number.isFinite(score)) return '—';
  return `<span class="score ${scoreClass(score)}">${fmt(score, 0)}</span>`;
}

/** Headline cards: reps, sets, ROM, tempo, score. */
export function cardsHtml(fig: SessionFigures, session: SessionSummary): string {
  const card = (value: string, key: string): string => `<div class="card"><div class="v">${escapeHtml(value)}</div><div class="k">${escapeHtml(key)}</div></div>`;
  return `<div class="cards">${[
    card(String(fig.count), fig.partialCount > 0 ? `reps (+${fig.partialCount} partial)` : 'reps'),
    card(String(session.sets.length), session.sets.length === 1 ? 'set' : 'sets'),
    card(meanSdText(fig.romDeg, 0, '°'), 'ROM per rep'),
    card(meanSdText(fig.durationS, 1, ' s'), 'rep duration'),
    card(meanSdText(fig.holdS, 1, ' s'), 'hold at end range'),
    card(Number.isFinite(fig.score.mean) ? fmt(fig.score.mean, 0) : '—', 'mean score (0–100)'),
  ].join('')}</div>`;
}

function recordingLine(rec: ReportRecording): string {
  const sensors = rec.sensors.map((s) => `${s.name} (${fmt(s.rateHz, s.rateHz >= 100 ? 0 : 1)} Hz${s.device ? `, ${s.device}` : ''})`).join(', ');
  return `${rec.source} · ${fmt(rec.endS - rec.startS, 1)} s · sensor${rec.sensors.length === 1 ? '' : 's'} ${sensors}`;
}

/** The per-rep table. */
export function repTableHtml(reps: readonly ScoredRep[]): string {
  if (reps.length === 0) return '<p>No repetitions were found.</p>';
  const withLabel = reps.some((r) => r.match);
  const head = ['#', 'set', 'start (s)', 'ROM (°)', 'duration (s)', 'out / return (s)', 'hold (s)', 'mean velocity (°/s)', 'peak velocity (°/s)', 'SPARC', 'LDLJ', ...(withLabel ? ['label'] : []), 'score', 'flags'];
  const rows = reps.map((r) => {
    const m = r.metrics;
    const flags = r.flags.map((f) => `<span class="tag">${escapeHtml(f)}</span>`).join('');
    // The template's reasons (e.g. 'ROM 38° vs 61° in the template') go under the flags: what a therapist reads.
    const reasons = r.match && r.match.reasons.length ? `<div class="why">${escapeHtml(r.match.reasons.join('; '))}</div>` : '';
    const cells = [
      String(r.rep.index + 1), String(r.rep.set + 1), fmt(r.rep.startS, 1), fmt(m.romDeg, 1), fmt(m.durationS, 1),
      `${fmt(m.concentricS, 1)} / ${fmt(m.eccentricS, 1)}`, fmt(m.holdS, 1), fmt(m.meanVelocityDegS, 0), fmt(m.peakVelocityDegS, 0),
      fmt(m.sparc, 2), fmt(m.logDimensionlessJerk, 1),
    ].map((c) => `<td>${escapeHtml(c)}</td>`);
    if (withLabel) cells.push(`<td class="l">${escapeHtml(r.match?.label ?? '—')}</td>`);
    cells.push(`<td>${scoreBadge(r.score)}</td>`, `<td class="flags">${flags}${reasons}</td>`);
    return `<tr${r.rep.partial ? ' class="partial"' : ''}>${cells.join('')}</tr>`;
  });
  const ths = head.map((h) => `<th${h === 'flags' || h === 'label' ? ' class="l"' : ''}>${escapeHtml(h)}</th>`).join('');
  return `<div class="scroll"><table class="reps"><thead><tr>${ths}</tr></thead><tbody>${rows.join('')}</tbody></table></div>
<p class="legend">SPARC and LDLJ (log dimensionless jerk): smoothness, closer to 0 is smoother. Partial reps are greyed and not counted.${withLabel ? ' Label: the closest template rep; the score is against the correct template reps.' : ''}</p>`;
}

function trendText(v: number, digits: number, unit: string): string {
  if (!Number.isFinite(v)) return '—';
  return `${v > 0 ? '+' : ''}${fmt(v, digits)} ${unit}`;
}

/** "10 × 3 = 30 reps planned; 20 done in 2 sets (67 %)" — empty without a plan. */
export function planText(session: SessionSummary): string {
  const p = session.plan;
  if (!p) return '';
  const planned = p.repsPerSet !== undefined && p.sets !== undefined ? `${p.repsPerSet} × ${p.sets} = ${p.totalReps} reps planned` : `${p.totalReps} reps planned`;
  const done = `${session.count} done in ${session.sets.length} set${session.sets.length === 1 ? '' : 's'} (${fmt((100 * session.count) / p.totalReps, 0)} %)`;
  return `${planned}; ${done}`;
}

/** Sets table, trends, fatigue and pacing flags and the notes behind them. */
export function sessionHtml(session: SessionSummary, fig: SessionFigures, setExercises?: readonly SetExercise[]): string {
  const exerciseOf = (set: number): string => {
    const e = setExercises?.find((x) => x.set === set);
    return e?.exercise ? `${e.exercise} (${fmt(e.confidence, 2)})` : '—';
  };
  const rows = session.sets.map((s) => `<tr>${[
    String(s.set + 1), ...(setExercises ? [exerciseOf(s.set)] : []), String(s.count), String(s.partialCount), `${fmt(s.startS, 1)}–${fmt(s.endS, 1)}`,
    Number.isFinite(s.restBeforeS) ? fmt(s.restBeforeS, 1) : '—', fmt(s.meanRomDeg, 1), fmt(s.meanDurationS, 1),
  ].map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`);
  const table = session.sets.length
    ? `<div class="scroll"><table><thead><tr><th>set</th>${setExercises ? '<th>exercise (confidence)</th>' : ''}<th>reps</th><th>partial</th><th>time (s)</th><th>rest before (s)</th><th>mean ROM (°)</th><th>mean duration (s)</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`
    : '<p>No sets.</p>';
  const kv: [string, string][] = [
    ['ROM trend', trendText(session.romTrendDegPerRep, 2, '° per rep').replace(' °', '°')],
    ['tempo trend', trendText(session.tempoTrendSPerRep, 2, 's per rep')],
    ['fatigue', session.fatigue ? 'yes — ROM fell or tempo slowed over the session' : 'no'],
    ...(session.plan ? [['plan', planText(session)] as [string, string]] : []),
    ...(session.pacing ? [['pacing', session.pacing === 'ok' ? 'on plan' : session.pacing === 'over' ? 'far more than planned' : 'far less than planned'] as [string, string]] : []),
    ...(fig.labelCounts.length ? [['labels', fig.labelCounts.map(([k, n]) => `${k} ${n}`).join(', ')] as [string, string]] : []),
    ['flags', fig.flagCounts.length ? fig.flagCounts.map(([k, n]) => `${k} ${n}`).join(', ') : 'none'],
  ];
  const dl = `<dl class="kv">${kv.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
  const notes = session.notes.length ? `<ul class="notes">${session.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : '';
  return `${table}<div class="below">${dl}${notes}</div>`;
}

/** Whole-signal ROM summary (optional section). */
export function romHtml(rom: RomSummary): string {
  const kv: [string, string][] = [
    ['min', `${fmt(rom.minDeg, 1)} ± ${fmt(rom.minUncertaintyDeg, 1)}° at ${fmt(rom.tMinS, 1)} s`],
    ['max', `${fmt(rom.maxDeg, 1)} ± ${fmt(rom.maxUncertaintyDeg, 1)}° at ${fmt(rom.tMaxS, 1)} s`],
    ['range', `${fmt(rom.rangeDeg, 1)} ± ${fmt(rom.rangeUncertaintyDeg, 1)}°`],
    ['time at end range', `${fmt(rom.timeAtEndRangeS, 1)} s`],
    ...(rom.normalDeg !== undefined ? [['AAOS normal', `${fmt(rom.normalDeg, 0)}° — ${fmt(rom.percentOfNormal, 0)} ± ${fmt(rom.percentOfNormalUncertainty, 0)}% of normal`] as [string, string]] : []),
  ];
  return `<dl class="kv">${kv.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
}

function legendHtml(reps: readonly ScoredRep[]): string {
  const partial = reps.some((r) => r.rep.partial) ? '<span class="sw" style="background:#fdd0a2"></span>partial rep (not counted)' : '';
  return `<p class="legend"><span class="sw" style="background:#1f4e79"></span>signal<span class="sw" style="background:#9ecae1"></span>rep (number above, dot at the peak)${partial}</p>`;
}

/** The whole report as an HTML document (UTF-8). */
export function renderReportHtml(report: AnalysisReport): string {
  const fig = sessionFigures(report.reps);
  const sub = [report.exercise, recordingLine(report.recording)].filter((s): s is string => !!s).map((s) => escapeHtml(s)).join('<br>');
  const notes = report.notes.length ? `<section><h2>Notes</h2><ul class="notes">${report.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul></section>` : '';
  const template = report.template
    ? `<p class="legend">Compared with ${report.template.reps.length} template rep${report.template.reps.length === 1 ? '' : 's'} from ${escapeHtml(report.template.source)} (${escapeHtml([...new Set(report.template.reps.map((r) => r.label))].join(', '))}).</p>`
    : '';
  const decimated = report.signal.sourceSamples > report.signal.tS.length ? ` (plotted: ${report.signal.tS.length} of ${report.signal.sourceSamples} samples, peaks kept)` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${escapeHtml(report.generator)}">
<title>${escapeHtml(report.title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header><h1>${escapeHtml(report.title)}</h1><p>${sub}</p></header>
${cardsHtml(fig, report.session)}
${notes}
<section><h2>${escapeHtml(report.signal.name)} over time</h2>
${signalChart(report.signal, report.reps, { startS: report.recording.startS, endS: report.recording.endS, sets: report.session.sets })}
${legendHtml(report.reps)}<p class="legend">Signal: ${escapeHtml(report.signal.name)}${escapeHtml(decimated)}.</p>${template}
</section>
<section><h2>Range of motion and tempo per rep</h2>
<div class="charts"><div>${romChart(report.reps, fig.romDeg.mean)}</div><div>${tempoChart(report.reps)}</div></div>
</section>
<section><h2>Repetitions</h2>
${repTableHtml(report.reps)}
</section>
<section><h2>Session</h2>
${sessionHtml(report.session, fig, report.setExercises)}
</section>
${report.rom ? `<section><h2>Range of motion over the recording</h2>${romHtml(report.rom)}</section>` : ''}
<footer>Generated by ${escapeHtml(report.generator)}. Self-contained: no network access is needed to view this file.</footer>
</main>
</body>
</html>
`;
}
