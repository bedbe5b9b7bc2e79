/**
 * `kinemetry reps <recording>`: the repetitions of one recording with their quality — one
 * line per rep, or with `--json` the contract object `{ count, reps: [{ startS, endS, romDeg,
 * durationS, holdS, label?, score, flags, … }], … }` (times in s from the recording's start).
 */
import { flatRep } from '../report/model';
import { planText } from '../report/html';
import { fmt } from '../report/svg';
import { ANALYSIS_OPTIONS, ANALYSIS_OPTIONS_HELP, analyse } from './analysis';
import type { Analysis } from './analysis';
import type { Command, CommandContext } from './command';
import { EXIT_OK } from './errors';
import { writeOutput } from './output';

/** The `reps --json` object. */
export function repsJson(a: Analysis): object {
  const r = a.report;
  return {
    recording: r.recording.source,
    signal: r.signal.name,
    sensors: r.recording.sensors,
    count: a.session.count,
    partialCount: a.session.partialCount,
    sets: a.session.sets,
    ...(a.session.plan ? { plan: a.session.plan, pacing: a.session.pacing } : {}),
    reps: a.scored.map(flatRep),
    ...(r.template ? { template: r.template } : {}),
    notes: [...r.notes, ...a.session.notes],
  };
}

function pad(cells: readonly string[], widths: readonly number[], leftCols: ReadonlySet<number>): string {
  return cells.map((c, i) => (leftCols.has(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
}

/** A fixed-width text table; columns in `leftCols` are left-aligned. */
export function textTable(rows: readonly (readonly string[])[], leftCols: ReadonlySet<number> = new Set()): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => pad(r, widths, leftCols)).join('\n');
}

export function repsText(a: Analysis): string {
  const r = a.report;
  const withLabel = a.scored.some((s) => s.match);
  const head = ['#', 'set', 'start s', 'end s', 'ROM °', 'dur s', 'hold s', ...(withLabel ? ['label'] : []), 'score', 'flags'];
  const rows = a.scored.map((s) => [
    String(s.rep.index + 1), String(s.rep.set + 1), fmt(s.rep.startS, 2), fmt(s.rep.endS, 2), fmt(s.metrics.romDeg, 1), fmt(s.metrics.durationS, 2), fmt(s.metrics.holdS, 2),
    ...(withLabel ? [s.match?.label ?? '—'] : []), fmt(s.score, 0), s.flags.join(' '),
  ]);
  const lines = [`${r.recording.source}: ${r.signal.name} — ${a.session.count} reps${a.session.partialCount ? ` (+${a.session.partialCount} partial, not counted)` : ''} in ${a.session.sets.length} set${a.session.sets.length === 1 ? '' : 's'}`];
  if (rows.length) lines.push(textTable([head, ...rows], new Set([head.length - 1, ...(withLabel ? [head.length - 3] : [])])));
  if (a.session.plan) lines.push(`plan: ${planText(a.session)}; pacing ${a.session.pacing}`);
  for (const n of [...r.notes, ...a.session.notes]) lines.push(`note: ${n}`);
  return `${lines.join('\n')}\n`;
}

async function run(ctx: CommandContext): Promise<number> {
  const a = await analyse(ctx);
  const text = ctx.common.json ? `${JSON.stringify(repsJson(a), null, 2)}\n` : repsText(a);
  await writeOutput(ctx.common.out, ctx.io, text);
  return EXIT_OK;
}

export const repsCommand: Command = {
  name: 'reps',
  summary: 'count repetitions and score each one (ROM, tempo, hold, smoothness; template labels)',
  usage: 'reps [options] <recording|session-dir>',
  description: `
Repetitions of an exercise with their quality. The movement signal is a joint angle with
--joint/--proximal/--distal (its first angle, e.g. knee flexion, as \`kinemetry angles\`), else
the dominant rotation of one sensor, found automatically (no calibration): --sensor names it,
and a session with several sensors uses the one that moves most. Each rep: start, end, ROM,
duration, hold at end range, score (0–100) and flags (partial, no-hold, low-rom, too-fast,
too-slow, gap, …); partial reps are listed but not counted. With --template and
--template-reps (a supervised recording and a CSV startS,endS,label of its reps) each rep also
gets the label of the closest template rep and a score against the 'correct' one.
No movement gives 0 reps and a note, not an error. --json prints
{ count, reps: [{ startS, endS, romDeg, durationS, holdS, label, score, flags, … }], … }.`,
  options: ANALYSIS_OPTIONS,
  optionsHelp: ANALYSIS_OPTIONS_HELP,
  run,
};
