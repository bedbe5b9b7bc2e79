/**
 * `npm run eval:pt -- [dir] [--write] [--streaming]` — repetition counting on the UCI Physical
 * Therapy Exercises test recordings (default dir ../shared/datasets/uci-pt), subjects s1–s3,
 * exercises 1–8, the moving unit (u2; u4 for exercise 2), `test.txt`.
 *
 * Method: no calibration, no template, one configuration for every exercise —
 * `dominantRotationSignal` (6D offline VQF orientation, rotation about the principal axis of
 * the gyroscope's angular motion) → `countRepsOffline` with the default parameters. The
 * streaming path (`DominantRotationTracker` → `RepSegmenter`) is run too, for its counts and
 * detection latency.
 *
 * Ground truth: every test recording holds 10 reps in each of [0,100) s, [100,160) s and
 * [160,end) (correct, too fast, low amplitude); a rep belongs to the window holding its peak.
 * Subject 1 per-rep boundaries from s1/eK/test_times.csv: sample indices, 1-based like the
 * file's 'time index' column, i.e. sample i is at i/25 s — the same time base as the reader's
 * tS here (t = time index / 25 Hz). A detection matches a labelled rep when their intervals
 * overlap with IoU ≥ 0.5 (greedy, one-to-one, in order of IoU).
 *
 * `--write` puts the table and the command into bench/RESULTS.md between the eval:pt markers.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeResultsSection } from './lib/results';
import { UCI_RATE_HZ as RATE_HZ, readUciUnit as readUnit, uciDatasetDir } from './lib/uciPt';
import { countRepsOffline } from '../src/reps/offline';
import { dominantRotationSignal, DominantRotationTracker } from '../src/reps/dominantRotation';
import { RepSegmenter } from '../src/reps/segmenter';
import type { Rep } from '../src/reps/rep';
import { percentile } from '../src/math/stats';

const SUBJECTS = ['s1', 's2', 's3'];
const EXERCISES = [1, 2, 3, 4, 5, 6, 7, 8];
const WINDOWS_S: Array<[number, number]> = [
  [0, 100],
  [100, 160],
  [160, Infinity],
];
const IOU_MIN = 0.5;

const args = process.argv.slice(2);
const write = args.includes('--write');
const verbose = args.includes('--verbose');
/** `--method=inclination` evaluates the other angle definition (for comparison; the default is the configuration reported). */
const method = args.find((a) => a.startsWith('--method='))?.slice('--method='.length) === 'inclination' ? 'inclination' : 'orientation';
const dir = uciDatasetDir(args, 'eval-pt');


/** s1's labelled reps: [start, end] in s (sample index / 25 Hz, indices 1-based as the time index). */
function readLabels(file: string): Array<[number, number]> {
  if (!existsSync(file)) return [];
  const rows: Array<[number, number]> = [];
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/).slice(1)) {
    const f = line.split(',').map((s) => Number(s.replace(/"/g, '')));
    if (f.length >= 4 && f.every(Number.isFinite)) rows.push([f[2]! / RATE_HZ, f[3]! / RATE_HZ]);
  }
  return rows;
}

function perWindow(reps: readonly Rep[]): number[] {
  const c = [0, 0, 0];
  for (const r of reps) {
    if (r.partial) continue;
    const w = WINDOWS_S.findIndex(([a, b]) => r.peakS >= a && r.peakS < b);
    if (w >= 0) c[w]!++;
  }
  return c;
}

function iou(a: [number, number], b: [number, number]): number {
  const inter = Math.max(0, Math.min(a[1], b[1]) - Math.max(a[0], b[0]));
  const uni = Math.max(a[1], b[1]) - Math.min(a[0], b[0]);
  return uni > 0 ? inter / uni : 0;
}

/** Greedy one-to-one matching by IoU; returns matched pairs count and boundary errors. */
function matchReps(det: Array<[number, number]>, truth: Array<[number, number]>): { tp: number; startErr: number[]; endErr: number[] } {
  const pairs: Array<[number, number, number]> = [];
  det.forEach((d, i) => truth.forEach((t, j) => {
    const v = iou(d, t);
    if (v >= IOU_MIN) pairs.push([v, i, j]);
  }));
  pairs.sort((x, y) => y[0] - x[0]);
  const usedD = new Set<number>(), usedT = new Set<number>();
  const startErr: number[] = [], endErr: number[] = [];
  for (const [, i, j] of pairs) {
    if (usedD.has(i) || usedT.has(j)) continue;
    usedD.add(i);
    usedT.add(j);
    startErr.push(det[i]![0] - truth[j]![0]);
    endErr.push(det[i]![1] - truth[j]![1]);
  }
  return { tp: usedD.size, startErr, endErr };
}

interface Row {
  subject: string;
  exercise: number;
  unit: number;
  offline: number[];
  streaming: number[];
  partial: number;
  f1?: number;
  latencies: number[];
}

const t0 = performance.now();
const rows: Row[] = [];
let tpAll = 0, nDetAll = 0, nTruthAll = 0;
const startErrAll: number[] = [], endErrAll: number[] = [];
const endToEndAll: number[] = [], firstRepE2E: number[] = [];
let liveTp = 0, liveDet = 0;
const liveEndErr: number[] = [];
const liveCause = new Map<string, number[]>();
for (const subject of SUBJECTS) {
  for (const ex of EXERCISES) {
    const unit = ex === 2 ? 4 : 2;
    const file = join(dir, subject, `e${ex}`, `u${unit}`, 'test.txt');
    if (!existsSync(file)) {
      process.stderr.write(`eval-pt: missing ${file}, skipped\n`);
      continue;
    }
    const block = readUnit(file);
    const signal = dominantRotationSignal(block, { method });
    const off = countRepsOffline(signal);
    // Streaming: tracker → segmenter, sample by sample.
    const seg = new RepSegmenter();
    const live: Rep[] = [];
    // End-to-end latency: input time when the rep came out − its end (includes the axis warm-up,
    // during which the tracker holds samples back; Rep.latencyS is the segmenter's own part).
    const endToEnd: number[] = [];
    let inputS = 0;
    const tracker = new DominantRotationTracker((t, a) => {
      const r = seg.push(t, a);
      if (r) {
        live.push(r);
        if (!r.partial) {
          endToEnd.push(inputS - r.endS);
          const k = r.endedBy ?? '?';
          liveCause.set(k, [...(liveCause.get(k) ?? []), r.latencyS]);
        }
      }
    }, { method }, RATE_HZ);
    const g = new Float64Array(3), ac = new Float64Array(3);
    for (let i = 0; i < block.tS.length; i++) {
      inputS = block.tS[i]!;
      for (let k = 0; k < 3; k++) {
        g[k] = block.gyrRadS[3 * i + k]!;
        ac[k] = block.accMS2[3 * i + k]!;
      }
      tracker.update(inputS, g, ac);
    }
    tracker.finish();
    const last = seg.finish();
    if (last) live.push(last);
    endToEndAll.push(...endToEnd);
    if (endToEnd.length > 0) firstRepE2E.push(endToEnd[0]!);
    const row: Row = {
      subject,
      exercise: ex,
      unit,
      offline: perWindow(off.reps),
      streaming: perWindow(live),
      partial: off.partialCount,
      latencies: live.filter((r) => !r.partial).map((r) => r.latencyS),
    };
    const labels = readLabels(join(dir, subject, `e${ex}`, 'test_times.csv'));
    if (labels.length > 0) {
      // The live reps against the same labels: how precise the streaming boundaries are.
      const m = matchReps(live.filter((r) => !r.partial).map((r): [number, number] => [r.startS, r.endS]), labels);
      liveTp += m.tp;
      liveDet += live.filter((r) => !r.partial).length;
      liveEndErr.push(...m.endErr);
    }
    if (labels.length > 0) {
      const det = off.reps.filter((r) => !r.partial).map((r): [number, number] => [r.startS, r.endS]);
      const m = matchReps(det, labels);
      if (verbose && m.tp < Math.max(det.length, labels.length)) {
        process.stdout.write(`${subject} e${ex} unmatched: det ${JSON.stringify(det.filter((d) => !labels.some((l) => iou(d, l) >= IOU_MIN)).map((d) => d.map((v) => +v.toFixed(1))))} labels ${JSON.stringify(labels.filter((l) => !det.some((d) => iou(d, l) >= IOU_MIN)).map((d) => d.map((v) => +v.toFixed(1))))}\n`);
      }
      const prec = det.length > 0 ? m.tp / det.length : 0;
      const rec = m.tp / labels.length;
      row.f1 = prec + rec > 0 ? (2 * prec * rec) / (prec + rec) : 0;
      tpAll += m.tp;
      nDetAll += det.length;
      nTruthAll += labels.length;
      startErrAll.push(...m.startErr);
      endErrAll.push(...m.endErr);
    }
    if (verbose) {
      process.stdout.write(`${subject} e${ex}: axis share ${signal.axisShare.toFixed(2)}\n`);
      for (const r of off.reps) {
        process.stdout.write(
          `  #${r.index} set ${r.set} ${r.startS.toFixed(1)}–${r.endS.toFixed(1)} s peak ${r.peakS.toFixed(1)} rom ${r.romDeg.toFixed(1)}° dir ${r.direction}${r.partial ? ' PARTIAL' : ''} flags ${r.flags}\n`,
        );
      }
    }
    rows.push(row);
  }
}
const elapsedS = (performance.now() - t0) / 1000;

let exact = 0, within1 = 0, cells = 0, exactLive = 0, within1Live = 0, agree = 0;
let detected = 0;
for (const r of rows) {
  for (let w = 0; w < 3; w++) {
    cells++;
    const d = r.offline[w]! - 10;
    if (d === 0) exact++;
    if (Math.abs(d) <= 1) within1++;
    const dl = r.streaming[w]! - 10;
    if (dl === 0) exactLive++;
    if (Math.abs(dl) <= 1) within1Live++;
    if (r.offline[w] === r.streaming[w]) agree++;
    detected += Math.min(10, r.offline[w]!);
  }
}
const pct = (a: number, b: number): string => (b > 0 ? ((100 * a) / b).toFixed(1) : '–');
const lat = rows.flatMap((r) => r.latencies);
const latMed = lat.length ? percentile(lat, 50) : NaN;
const latMax = lat.length ? Math.max(...lat) : NaN;
const prec = nDetAll > 0 ? tpAll / nDetAll : 0;
const rec = nTruthAll > 0 ? tpAll / nTruthAll : 0;
const f1All = prec + rec > 0 ? (2 * prec * rec) / (prec + rec) : 0;
const med = (x: number[]): string => (x.length ? percentile(x, 50).toFixed(2) : '–');
const mad = (x: number[]): string => (x.length ? percentile(x.map(Math.abs), 50).toFixed(2) : '–');

const lines: string[] = [];
lines.push('| subject | exercise (unit) | offline counts per window (10 each) | streaming counts | partial (not counted) | s1 F1 @ IoU ≥ 0.5 |');
lines.push('|---|---|---|---|---:|---:|');
for (const r of rows) {
  const fmt = (c: number[]): string => c.map((v) => (v === 10 ? `${v}` : `**${v}**`)).join(' / ');
  lines.push(`| ${r.subject} | ${r.exercise} (u${r.unit}) | ${fmt(r.offline)} | ${fmt(r.streaming)} | ${r.partial} | ${r.f1 !== undefined ? r.f1.toFixed(3) : ''} |`);
}
lines.push('');
lines.push(`- windows exactly right: **${pct(exact, cells)} %** (${exact}/${cells}); within ±1: **${pct(within1, cells)} %** (${within1}/${cells}) — targets ≥ 85 % / ≥ 97 %`);
lines.push(`- streaming (tracker → segmenter): exact ${pct(exactLive, cells)} %, within ±1 ${pct(within1Live, cells)} %; same count as offline in ${agree}/${cells} windows`);
lines.push(
  `- reps found, from the counts (Σ min(count, 10) over windows / ${10 * cells}): ${pct(detected, 10 * cells)} %; per-rep recall on s1 (IoU ≥ 0.5): ${(100 * rec).toFixed(1)} % (published reference, all 5 subjects: 93.8 % of executions detected)`,
);
lines.push(
  `- subject 1 boundaries vs s1/eK/test_times.csv: F1 **${f1All.toFixed(3)}** at IoU ≥ 0.5 (precision ${prec.toFixed(3)}, recall ${rec.toFixed(3)}; target ≥ 0.95); ` +
    `start error median ${med(startErrAll)} s (median |error| ${mad(startErrAll)} s), end error median ${med(endErrAll)} s (median |error| ${mad(endErrAll)} s)`,
);
lines.push(
  `- streaming detection latency (Rep.latencyS = emission − endS in signal time, counted reps): median ${latMed.toFixed(2)} s, max ${latMax.toFixed(2)} s; ` +
    `end to end from the IMU (includes the tracker's axis warm-up): median ${med(endToEndAll)} s, max ${endToEndAll.length ? Math.max(...endToEndAll).toFixed(2) : '–'} s; first rep of each recording: median ${med(firstRepE2E)} s, max ${firstRepE2E.length ? Math.max(...firstRepE2E).toFixed(2) : '–'} s`,
);
{
  const lp = liveDet > 0 ? liveTp / liveDet : 0;
  const lr = nTruthAll > 0 ? liveTp / nTruthAll : 0;
  const lf1 = lp + lr > 0 ? (2 * lp * lr) / (lp + lr) : 0;
  const causes = [...liveCause].sort((a, b) => b[1].length - a[1].length).map(([k, v]) => `${k} ${v.length} (median ${percentile(v, 50).toFixed(2)} s, max ${Math.max(...v).toFixed(2)} s)`).join(', ');
  lines.push(
    `- streaming boundaries, subject 1 vs the same labels: F1 ${lf1.toFixed(3)} at IoU ≥ 0.5; end error median ${med(liveEndErr)} s (median |error| ${mad(liveEndErr)} s); ` +
      `latency by what ended the rep (Rep.endedBy): ${causes}`,
  );
}
const table = lines.join('\n');
process.stdout.write(table + '\n');
process.stdout.write(`\n(${rows.length} recordings in ${elapsedS.toFixed(1)} s)\n`);

if (write) {
  const path = writeResultsSection('eval:pt', [
    '## Repetition counting on UCI PT',
    '',
    `Subjects s1–s3, exercises 1–8, unit 2 (unit 4 for exercise 2), test.txt; Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; ` +
      'produced by `npm run eval:pt -- ../shared/datasets/uci-pt --write` (scripts/eval-pt.ts) in ' +
      `${elapsedS.toFixed(1)} s.`,
    '',
    'One configuration for every exercise, no calibration, no template: `dominantRotationSignal` (6D offline VQF, rotation about the ' +
      'principal axis of angular motion) → `countRepsOffline` (default `RepSegmenterParams`). Counts are full reps (partials excluded) ' +
      'per ground-truth window [0,100) s / [100,160) s / [160,end) (10 correct / 10 too fast / 10 low amplitude); a rep belongs to the window holding its peak. ' +
      'Bold = not 10. F1: subject 1 detections vs the hand-labelled s1/eK/test_times.csv (sample indices, 1-based like the time index, ' +
      '25 Hz), one-to-one matches with IoU ≥ 0.5.',
    '',
    table,
    '',
    'Notes: s1 e5 too-fast set — the hand-labelled reps start 1.4–2.2 s after the reps visible in the u2 signal (`--verbose` lists both), ' +
      'so none of those 10 reaches IoU 0.5; every other labelled set matches. s3 e4 low amplitude — the leg does not return to the same ' +
      'rest pose (the rest level jumps by up to half the ROM between reps), so several returns look like partial reps. ' +
      'Label indices are read 1-based like the time index (sample i at i/25 s, the reader\'s time base); read 0-based, every label moves by 0.04 s and F1 is unchanged. ' +
      '`--method=inclination` (rotation of the up direction about the axis instead of the orientation twist) gives similar figures. ' +
      'Direction (offline): decided over the whole recording from where the signal rests (`restSideDirection`: still stretches longer than any hold, ' +
      'and a still start, vote by their position in the surrounding range); it agrees with the streaming first-rep rule on all 24 recordings. ' +
      's3 e5 is taken as reps *down* from rest: its 36 s pause between the first two sets sits at the top of the range, ' +
      'the low stretches last ~3.5 s like the template recording\'s 3 s holds, and the opposite direction counts worse (8 / 9 / 8) — ' +
      'the signal itself does not support "the dips are the rests" there. Movements below `fidgetFraction` (20 %) of the reference ROM are fidgets, not reps ' +
      '(they were listed as partial before: s3 e5 had five in the pauses); the one count lost with it is s3 e5 [160,end) (a 18° rep after a 45° one at the start of a set is partial).',
  ]);
  process.stdout.write(`wrote ${path}\n`);
}
