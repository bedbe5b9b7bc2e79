/**
 * `kinemetry analyze <recording|session-dir>`: the whole analysis of an exercise session —
 * movement signal, reps, quality, session summary. Prints a summary table (count per set,
 * ROM mean ± sd, tempo, flags), `--json` prints the report model, `--report out.html` writes
 * the self-contained HTML report.
 */
import { sessionFigures } from '../report/figures';
import type { MeanSd } from '../report/figures';
import { planText, renderReportHtml } from '../report/html';
import { flatRep } from '../report/model';
import { fmt } from '../report/svg';
import { ANALYSIS_OPTIONS, ANALYSIS_OPTIONS_HELP, analyse } from './analysis';
import type { Analysis } from './analysis';
import type { Command, CommandContext } from './command';
import { DEFAULT_MODEL, defaultModelDir } from './classify';
import { EXIT_OK } from './errors';
import { writeOutput } from './output';
import { textTable } from './reps';

function meanSd(v: MeanSd, digits: number): string {
  if (v.n === 0) return '—';
  return Number.isFinite(v.sd) ? `${fmt(v.mean, digits)} ± ${fmt(v.sd, digits)}` : fmt(v.mean, digits);
}

/** The printed summary: what was analysed, a table per set and overall, trends and flags. */
export function analyzeText(a: Analysis, reportPath?: string): string {
  const r = a.report, s = a.session;
  const fig = sessionFigures(a.scored);
  const sensors = r.recording.sensors.map((x) => `${x.name} ${x.samples} samples at ${fmt(x.rateHz, x.rateHz >= 100 ? 0 : 1)} Hz`).join(', ');
  const lines: string[] = [`${r.recording.source}${r.exercise ? ` — ${r.exercise}` : ''}`];
  lines.push(`signal   ${r.signal.name}; ${sensors}; ${fmt(r.recording.endS - r.recording.startS, 1)} s`);
  lines.push(`reps     ${s.count}${s.partialCount ? ` (+${s.partialCount} partial, not counted)` : ''} in ${s.sets.length} set${s.sets.length === 1 ? '' : 's'}`);
  if (a.scored.length) {
    const ex = r.setExercises;
    const exOf = (set: number): string[] => {
      if (!ex) return [];
      const e = ex.find((x) => x.set === set);
      return [e?.exercise ? `${e.exercise} ${fmt(e.confidence, 2)}` : '—'];
    };
    const head = ['set', ...(ex ? ['exercise'] : []), 'reps', 'partial', 'time s', 'rest s', 'ROM °', 'duration s', 'hold s', 'score', ...(fig.labelCounts.length ? ['labels'] : []), 'flags'];
    const row = (name: string, reps: typeof a.scored, count: number, partial: number, time: string, rest: string, exercise: string[]): string[] => {
      const f = sessionFigures(reps);
      const labels = f.labelCounts.map(([k, n]) => `${k} ${n}`).join(', ');
      return [name, ...exercise, String(count), String(partial), time, rest, meanSd(f.romDeg, 1), meanSd(f.durationS, 1), meanSd(f.holdS, 1), meanSd(f.score, 0), ...(fig.labelCounts.length ? [labels || '—'] : []), f.flagCounts.map(([k, n]) => `${k} ${n}`).join(', ') || '—'];
    };
    const rows = s.sets.map((set) => row(String(set.set + 1), a.scored.filter((x) => x.rep.set === set.set), set.count, set.partialCount, `${fmt(set.startS, 1)}–${fmt(set.endS, 1)}`, Number.isFinite(set.restBeforeS) ? fmt(set.restBeforeS, 1) : '—', exOf(set.set)));
    if (s.sets.length > 1) rows.push(row('all', a.scored, s.count, s.partialCount, `${fmt(s.sets[0]!.startS, 1)}–${fmt(s.sets[s.sets.length - 1]!.endS, 1)}`, '', ex ? [''] : []));
    lines.push('', textTable([head, ...rows], new Set([head.length - 1, ...(fig.labelCounts.length ? [head.length - 2] : [])])), '');
    const m = a.scored.filter((x) => !x.rep.partial).map((x) => x.metrics);
    const avg = (k: 'concentricS' | 'holdS' | 'eccentricS'): string => fmt(m.reduce((t, x) => t + (Number.isFinite(x[k]) ? x[k] : 0), 0) / Math.max(1, m.length), 1);
    if (m.length) lines.push(`tempo    out ${avg('concentricS')} s, hold ${avg('holdS')} s, return ${avg('eccentricS')} s (mean of full reps)`);
    const trend = (v: number, unit: string): string => (Number.isFinite(v) ? `${v > 0 ? '+' : ''}${fmt(v, 2)}${unit}` : '—');
    lines.push(`trends   ROM ${trend(s.romTrendDegPerRep, '° per rep')}, duration ${trend(s.tempoTrendSPerRep, ' s per rep')}; fatigue ${s.fatigue ? 'yes' : 'no'}${s.pacing ? `; pacing ${s.pacing}` : ''}`);
  }
  if (s.plan) lines.push(`plan     ${planText(s)}; pacing ${s.pacing === 'ok' ? 'on plan' : s.pacing === 'over' ? 'far more than planned' : 'far less than planned'}`);
  if (r.rom) lines.push(`ROM      ${fmt(r.rom.minDeg, 1)}° to ${fmt(r.rom.maxDeg, 1)}° (range ${fmt(r.rom.rangeDeg, 1)} ± ${fmt(r.rom.rangeUncertaintyDeg, 1)}°)${r.rom.normalDeg !== undefined ? `, ${fmt(r.rom.percentOfNormal, 0)}% of AAOS normal ${r.rom.normalDeg}°` : ''}`);
  for (const n of [...r.notes, ...s.notes]) lines.push(`note     ${n}`);
  if (reportPath) lines.push(`report   ${reportPath}`);
  return `${lines.join('\n')}\n`;
}

/** `analyze --json`: the report model, with reps as flat rows (as `reps --json`) and the count on top. */
export function analyzeJson(a: Analysis): object {
  return { count: a.session.count, partialCount: a.session.partialCount, ...a.report, reps: a.scored.map(flatRep) };
}

async function run(ctx: CommandContext): Promise<number> {
  const labelSets = ctx.values['no-classify'] ? undefined : { modelDir: (ctx.values.model as string | undefined) ?? defaultModelDir() };
  const a = await analyse(ctx, labelSets ? { labelSets } : {});
  const reportPath = ctx.values.report as string | undefined;
  if (reportPath !== undefined) await writeOutput(reportPath, ctx.io, renderReportHtml(a.report));
  if (ctx.common.json) {
    await writeOutput(ctx.common.out, ctx.io, `${JSON.stringify(analyzeJson(a), null, 2)}\n`);
  } else {
    await writeOutput(ctx.common.out, ctx.io, analyzeText(a, reportPath));
  }
  return EXIT_OK;
}

export const analyzeCommand: Command = {
  name: 'analyze',
  summary: 'analyse an exercise session: reps, quality, session summary, HTML report',
  usage: 'analyze [options] <recording|session-dir> [--report out.html]',
  description: `
The whole analysis of an exercise recording: the movement signal (a joint angle with
--joint/--proximal/--distal, else the automatic dominant rotation of one sensor: --sensor, or
the one that moves most), orientation, repetitions, their quality (ROM, tempo, hold,
velocity, smoothness, consistency; template labels with --template), and the session summary
(count per set, rest between sets, ROM and tempo trends, fatigue; pacing against the
programme with --plan 10x3 or --plan-reps 30). Without a template, each rep's score is its
consistency with the other reps of its own set, and too-fast / too-slow compare its duration
with the first set's. Prints a summary table;
--json prints everything (the report model, reps as in \`kinemetry reps --json\`);
--report FILE writes a self-contained HTML report (inline SVG charts: the signal with the
reps shaded and numbered, ROM and tempo per rep, the per-rep table, the session) that needs no
network to view. When the recording names no exercise (single-sensor mode), each set is
labelled with the learned exercise recogniser (as \`kinemetry classify\`; --model, --no-classify).`,
  options: { ...ANALYSIS_OPTIONS, report: { type: 'string' }, model: { type: 'string' }, 'no-classify': { type: 'boolean' } },
  optionsHelp: [
    ['--report FILE', 'write the HTML report to FILE'],
    ['--model DIR', `exercise recogniser for labelling sets (default the shipped ${DEFAULT_MODEL})`],
    ['--no-classify', 'do not label sets with the recogniser'],
    ...ANALYSIS_OPTIONS_HELP,
  ],
  run,
};
