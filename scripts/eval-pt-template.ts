/**
 * `npm run eval:pt-template -- [dir] [--write]` — template-mode rep labels on the UCI Physical
 * Therapy Exercises data (subjects s1–s3, 8 exercises, unit 2; unit 4 for exercise 2; default
 * dir ../shared/datasets/uci-pt).
 *
 * Per subject × exercise:
 * - signal: orientation from the 6D offline VQF-class filter (no magnetometer); the up direction
 *   in the sensor frame u_S(t); the plane the limb moves in is the least-variance eigenvector n of
 *   Σ u uᵀ (a rotation about a horizontal axis moves u_S on a great circle about n); the signal is
 *   the signed angle of u_S in that plane from a rest reference, sign chosen so that the large
 *   excursions are positive. Rest reference: the test recording's first second (idle per the
 *   dataset), the template recording's first labelled rep start (±0.2 s).
 * - template: `buildTemplate` over `template_session.txt` with `template_times.txt` (one rep per
 *   type: 1 correct, 2 too-fast, 3 too-low; sample indices at 25 Hz, t = index / 25 s).
 * - test reps: `auto` — a simple segmenter in this script (hysteresis on the signal minus its
 *   moving minimum; thresholds relative to the recording, one configuration for everything);
 *   for s1 also `hand` — the per-rep boundaries of `s1/eK/test_times.csv`.
 * - truth label per rep from its window: [0,100) s correct, [100,160) s too-fast, [160,end) too-low.
 *
 * `--write` puts the table and the command into bench/RESULTS.md between the eval:pt-template markers.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeResultsSection } from './lib/results';
import { UCI_RATE_HZ as RATE_HZ, readUciUnit as readUnit, uciDatasetDir } from './lib/uciPt';
import { estimateOrientationOffline } from '../src/fusion/offline';
import type { InertialBlock } from '../src/samples/block';
import * as quat from '../src/math/quat';
import { symmetricEigen } from '../src/math/symmetricEigen';
import { percentile } from '../src/math/stats';
import type { MovementSignal, Rep } from '../src/reps/rep';
import { buildTemplate, repShape, scoreReps, type LabelledRep } from '../src/quality/index';
import { dominantRotationSignal } from '../src/reps/dominantRotation';
import { countRepsOffline } from '../src/reps/offline';

const DEG = 180 / Math.PI;
const SUBJECTS = [1, 2, 3];
const EXERCISES = [1, 2, 3, 4, 5, 6, 7, 8];
const TYPES = ['correct', 'too-fast', 'too-low'] as const;
type Label = (typeof TYPES)[number];

const args = process.argv.slice(2);
const write = args.includes('--write');
interface Config {
  /** 'dominant': the reps helper's `dominantRotationSignal`; 'plane': this script's up-direction plane angle. */
  signal: 'dominant' | 'plane';
  /** 'reps': `countRepsOffline`; 'simple': this script's hysteresis segmenter. */
  segmenter: 'reps' | 'simple';
  /** Judge each rep alone (no session-relative ROM, which `scoreReps` uses by default). */
  perRep: boolean;
}
const mainConfig: Config = {
  signal: args.includes('--signal=plane') ? 'plane' : 'dominant',
  segmenter: args.includes('--segmenter=simple') ? 'simple' : 'reps',
  perRep: args.includes('--per-rep'),
};
/** `--tolerances=rom,tempo,shape`: override the template tolerances (sensitivity checks). */
const tolArg = args.find((a) => a.startsWith('--tolerances='))?.slice('--tolerances='.length).split(',').map(Number);
const templateOptions = tolArg ? { romTolerance: tolArg[0]!, tempoTolerance: tolArg[1]!, shapeTolerance: tolArg[2]! } : {};
const dir = uciDatasetDir(args, 'eval-pt-template');


/** Signed in-plane angle of the sensor's up direction from the rest reference at [refFromS, refToS]. */
function planeAngleSignal(block: InertialBlock, refFromS: number, refToS: number, name: string): MovementSignal {
  const n = block.tS.length;
  const q = estimateOrientationOffline(block, { magEnabled: false });
  const up = new Float64Array(3 * n);
  const qi = quat.create(), v = new Float64Array(3), z = new Float64Array([0, 0, 1]);
  const m = new Float64Array(9);
  for (let i = 0; i < n; i++) {
    quat.readAt(qi, q, i);
    quat.rotateInverse(v, qi, z);
    up.set(v, 3 * i);
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) m[3 * r + c] = m[3 * r + c]! + v[r]! * v[c]!;
  }
  const eig = symmetricEigen(m, 3);
  const nrm = [eig.vectors[0]!, eig.vectors[3]!, eig.vectors[6]!]; // least-variance direction: the rotation axis
  const ref = [0, 0, 0];
  let cnt = 0;
  for (let i = 0; i < n; i++) {
    const t = block.tS[i]!;
    if (t < refFromS || t > refToS) continue;
    for (let c = 0; c < 3; c++) ref[c]! += up[3 * i + c]!;
    cnt++;
  }
  if (cnt === 0) throw new Error(`${name}: no samples in the rest reference ${refFromS}–${refToS} s`);
  // e1: reference projected into the plane ⊥ n; e2 = n × e1.
  const dn = ref[0]! * nrm[0]! + ref[1]! * nrm[1]! + ref[2]! * nrm[2]!;
  const e1 = ref.map((r, c) => r - dn * nrm[c]!);
  const l1 = Math.hypot(...e1);
  for (let c = 0; c < 3; c++) e1[c] = e1[c]! / l1;
  const e2 = [nrm[1]! * e1[2]! - nrm[2]! * e1[1]!, nrm[2]! * e1[0]! - nrm[0]! * e1[2]!, nrm[0]! * e1[1]! - nrm[1]! * e1[0]!];
  const angleDeg = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = up[3 * i]! * e1[0]! + up[3 * i + 1]! * e1[1]! + up[3 * i + 2]! * e1[2]!;
    const b = up[3 * i]! * e2[0]! + up[3 * i + 1]! * e2[1]! + up[3 * i + 2]! * e2[2]!;
    angleDeg[i] = Math.atan2(b, a) * DEG;
  }
  // Sign: the large excursions from rest are positive.
  const hi = percentile(angleDeg, 99), lo = percentile(angleDeg, 1);
  if (-lo > hi) for (let i = 0; i < n; i++) angleDeg[i] = -angleDeg[i]!;
  return { tS: block.tS, angleDeg, name };
}

/** Simple offline segmenter (the baseline before the reps segmenter landed): hysteresis on the excursion above a moving minimum. */
function autoSegment(sig: MovementSignal): Array<{ startS: number; endS: number }> {
  const a = sig.angleDeg, n = a.length, h = Math.round(6 * RATE_HZ);
  const x = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let mn = Infinity;
    for (let j = Math.max(0, k - h); j <= Math.min(n - 1, k + h); j++) if (a[j]! < mn) mn = a[j]!;
    x[k] = a[k]! - mn;
  }
  const p95 = percentile(x, 95);
  const enter = 0.25 * p95, leave = 0.15 * p95, floor = 0.05 * p95;
  const segs: Array<[number, number]> = [];
  let s = -1;
  for (let k = 0; k < n; k++) {
    if (s < 0 && x[k]! > enter) s = k;
    else if (s >= 0 && x[k]! < leave) {
      segs.push([s, k]);
      s = -1;
    }
  }
  if (s >= 0) segs.push([s, n - 1]);
  const merged: Array<[number, number]> = [];
  for (const g of segs) {
    const last = merged[merged.length - 1];
    if (last && g[0] - last[1] < RATE_HZ) last[1] = g[1];
    else merged.push([g[0], g[1]]);
  }
  const out: Array<{ startS: number; endS: number }> = [];
  for (const [s0, e0] of merged) {
    if (e0 - s0 < 0.8 * RATE_HZ) continue;
    // Extend to where the excursion is back near rest (or stops falling), at most 2 s each way.
    let i = s0, j = e0;
    while (i > 0 && s0 - i < 2 * RATE_HZ && x[i]! > floor && x[i - 1]! <= x[i]!) i--;
    while (j < n - 1 && j - e0 < 2 * RATE_HZ && x[j]! > floor && x[j + 1]! <= x[j]!) j++;
    out.push({ startS: sig.tS[i]!, endS: sig.tS[j]! });
  }
  return out;
}

function truthLabel(midS: number): Label {
  return midS < 100 ? 'correct' : midS < 160 ? 'too-fast' : 'too-low';
}

interface Row {
  subject: number;
  exercise: number;
  unit: number;
  boundaries: 'auto' | 'hand';
  detected: number;
  right: Record<Label, number>;
  total: Record<Label, number>;
  confusions: string[];
}

function evaluate(cfg: Config): Row[] {
const rows: Row[] = [];
for (const s of SUBJECTS) {
  for (const e of EXERCISES) {
    const unit = e === 2 ? 4 : 2;
    const base = join(dir, `s${s}`, `e${e}`);
    const tt = readFileSync(join(base, 'template_times.txt'), 'utf8').trim().split(/\r?\n/).slice(1);
    const labelled: LabelledRep[] = tt.map((line) => {
      const [type, a, b] = line.split(';').map(Number);
      return { label: TYPES[type! - 1]!, startS: a! / RATE_HZ, endS: b! / RATE_HZ };
    });
    const firstStart = Math.min(...labelled.map((r) => r.startS));
    const tplBlock = readUnit(join(base, `u${unit}`, 'template_session.txt'));
    const testBlock = readUnit(join(base, `u${unit}`, 'test.txt'));
    // Both recordings come from the same unit: one signal name, so the template's sensor check passes.
    const name = `${cfg.signal === 'plane' ? 'up-direction plane angle' : 'dominant rotation'} (unit ${unit})`;
    const tplSig: MovementSignal =
      cfg.signal === 'plane' ? planeAngleSignal(tplBlock, firstStart - 0.2, firstStart + 0.2, name) : { ...dominantRotationSignal(tplBlock), name };
    const testSig: MovementSignal =
      cfg.signal === 'plane' ? planeAngleSignal(testBlock, testBlock.tS[0]!, testBlock.tS[0]! + 1, name) : { ...dominantRotationSignal(testBlock), name };
    const template = buildTemplate(tplSig, labelled, templateOptions);
    const autoReps = cfg.segmenter === 'simple' ? autoSegment(testSig) : countRepsOffline(testSig).reps;
    const sets: Array<{ boundaries: 'auto' | 'hand'; reps: ReadonlyArray<{ startS: number; endS: number; truth?: Label }> }> = [
      { boundaries: 'auto', reps: autoReps },
    ];
    const handFile = join(base, 'test_times.csv');
    if (existsSync(handFile)) {
      const lines = readFileSync(handFile, 'utf8').trim().split(/\r?\n/).slice(1);
      sets.push({
        boundaries: 'hand',
        reps: lines.map((l) => {
          const [, type, a, b] = l.split(',').map((v) => Number(v.replace(/"/g, '')));
          return { startS: a! / RATE_HZ, endS: b! / RATE_HZ, truth: TYPES[type! - 1]! };
        }),
      });
    }
    for (const set of sets) {
      // Through the public pipeline (`scoreReps`), as the CLI does; hand reps get their direction from the data.
      const reps: Rep[] = set.reps.map((r, index) =>
        'index' in r
          ? (r as Rep)
          : { index, set: 0, startS: r.startS, peakS: NaN, holdEndS: NaN, endS: r.endS, restDeg: NaN, peakDeg: NaN, romDeg: NaN, direction: repShape(testSig, r.startS, r.endS).direction, partial: false, flags: 0, latencyS: 0 },
      );
      const scored = scoreReps(testSig, reps, { template, sessionRelativeRom: !cfg.perRep });
      const right = { correct: 0, 'too-fast': 0, 'too-low': 0 };
      const total = { correct: 0, 'too-fast': 0, 'too-low': 0 };
      const confusions: string[] = [];
      for (const [k, r] of set.reps.entries()) {
        const truth = r.truth ?? truthLabel(0.5 * (r.startS + r.endS));
        const m = scored[k]!.match!;
        total[truth]++;
        if (m.label === truth) right[truth]++;
        else confusions.push(`${truth}→${m.label} @${r.startS.toFixed(0)}s`);
      }
      rows.push({ subject: s, exercise: e, unit, boundaries: set.boundaries, detected: set.reps.length, right, total, confusions });
    }
  }
}
return rows;
}

const started = Date.now();
const rows = evaluate(mainConfig);

const pct = (a: number, b: number): string => (b > 0 ? `${((100 * a) / b).toFixed(0)} %` : '–');
function summary(rows: Row[], filter: (r: Row) => boolean): { right: Record<Label, number>; total: Record<Label, number> } {
  const right = { correct: 0, 'too-fast': 0, 'too-low': 0 }, total = { correct: 0, 'too-fast': 0, 'too-low': 0 };
  for (const r of rows.filter(filter)) for (const t of TYPES) (right[t] += r.right[t]), (total[t] += r.total[t]);
  return { right, total };
}
const sum = (o: Record<Label, number>): number => o.correct + o['too-fast'] + o['too-low'];

const lines: string[] = [];
lines.push('| subject | exercise | unit | boundaries | reps | correct | too-fast | too-low | all | confusions |');
lines.push('|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  lines.push(
    `| s${r.subject} | e${r.exercise} | u${r.unit} | ${r.boundaries} | ${r.detected} | ${pct(r.right.correct, r.total.correct)} | ${pct(r.right['too-fast'], r.total['too-fast'])} | ${pct(r.right['too-low'], r.total['too-low'])} | ${pct(sum(r.right), sum(r.total))} | ${r.confusions.slice(0, 4).join(', ')}${r.confusions.length > 4 ? ', …' : ''} |`,
  );
}
lines.push('');
for (const [what, f] of [
  ['auto boundaries, s1–s3', (r: Row) => r.boundaries === 'auto'],
  ['hand boundaries (test_times.csv), s1', (r: Row) => r.boundaries === 'hand'],
] as const) {
  const { right, total } = summary(rows, f);
  lines.push(
    `- **${what}**: per-rep label accuracy **${pct(sum(right), sum(total))}** (${sum(right)}/${sum(total)}); correct ${pct(right.correct, total.correct)}, too-fast ${pct(right['too-fast'], total['too-fast'])}, too-low ${pct(right['too-low'], total['too-low'])}.`,
  );
}
const autoRows = rows.filter((r) => r.boundaries === 'auto');
lines.push(`- auto segmenter: ${autoRows.filter((r) => r.detected === 30).length}/${autoRows.length} recordings with exactly 30 reps found (${autoRows.reduce((a, r) => a + r.detected, 0)} reps in all, 720 expected).`);
const describe = (c: Config): string =>
  `${c.signal === 'dominant' ? 'dominant rotation' : 'plane angle'} + ${c.segmenter === 'reps' ? 'countRepsOffline' : 'simple segmenter'}${c.perRep ? ', each rep alone' : ', session-relative ROM'}`;
lines.splice(lines.length - 3, 0, `Configuration of the table: ${describe(mainConfig)}.`, '');
if (write) {
  // The other configurations, for comparison (summary only).
  lines.push('', 'Other configurations (per-rep label accuracy, auto boundaries s1–s3 / hand boundaries s1):', '');
  for (const c of [
    { signal: 'dominant', segmenter: 'reps', perRep: false },
    { signal: 'dominant', segmenter: 'reps', perRep: true },
    { signal: 'plane', segmenter: 'simple', perRep: false },
    { signal: 'plane', segmenter: 'simple', perRep: true },
  ] as Config[]) {
    const r = evaluate(c);
    const a = summary(r, (x) => x.boundaries === 'auto'), h = summary(r, (x) => x.boundaries === 'hand');
    lines.push(`- ${describe(c)}: ${pct(sum(a.right), sum(a.total))} (${sum(a.right)}/${sum(a.total)}) / ${pct(sum(h.right), sum(h.total))} (${sum(h.right)}/${sum(h.total)})`);
  }
}
const elapsedS = (Date.now() - started) / 1000;
const table = lines.join('\n');
process.stdout.write(`${table}\n\n(${elapsedS.toFixed(1)} s)\n`);

if (write) {
  const path = writeResultsSection('eval:pt-template', [
    '## Rep quality: template labels on UCI PT',
    '',
    `Subjects s1–s3, 8 exercises, unit 2 (unit 4 for exercise 2), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; produced by \`npm run eval:pt-template -- ../shared/datasets/uci-pt --write\` (scripts/eval-pt-template.ts) in ${elapsedS.toFixed(1)} s.`,
    'Template: one rep per type from the same subject\'s `template_session.txt` / `template_times.txt` (`buildTemplate`, labelled windows snapped to the movement). ' +
      'Each test rep labelled by `scoreReps(signal, reps, { template })` = `matchTemplate`: nearest template rep in the combined ROM-ratio / tempo-ratio / DTW-shape distance, ROM judged half against the template and half against the session\'s 80th-percentile ROM; default tolerances, one configuration for all exercises. ' +
      'Reps: `auto` = every rep the segmenter found (partial ones and extras included — movements below 20 % of the reference ROM are fidgets, not reps, since this build; each takes the truth of the window its midpoint falls in: [0,100) s correct, [100,160) s too-fast, [160,end) too-low); `hand` = the 30 hand-labelled reps of `s1/eK/test_times.csv` with their types. ' +
      'Published reference (all 5 subjects, exercise and type together): 88.65 %.',
    '',
    table,
    '',
    'Notes (data, not special-cased): s1 e5 — the template\'s \'correct\' rep has a smaller ROM (9°) than its \'too-low\' one (31°) on u2; ' +
      's3 e5 — the test\'s low-amplitude set is not lower than its correct set in the u2 signal (either direction), and the template\'s too-fast rep has less than half the ROM of its correct one, ' +
      'so the test\'s too-fast reps (full ROM, ~40 % of the correct tempo) sit nearer the correct template rep; most of the remaining errors are there. ' +
      's3 e4 — the rest pose shifts between reps (see eval:pt). The plane-angle baseline\'s percentage is over fewer reps (its simple segmenter misses some, which do not count against it; extras do). ' +
      'Session-relative tempo (the same half-and-half blend as ROM) was tried: 96 % / 93 % at weight 0.25, 95 % / 90 % at 0.75 — not adopted.',
  ]);
  process.stdout.write(`wrote ${path}\n`);
}
