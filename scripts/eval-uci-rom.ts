/**
 * `node --import tsx scripts/eval-uci-rom.ts [dir] [--write]` — single-sensor range of motion on
 * the UCI Physical Therapy Exercises test recordings (subjects s1–s3, default dir
 * ../shared/datasets/uci-pt), per exercise and execution type (correct / too fast / low
 * amplitude), using the dataset's ground truth of execution windows in `test.txt`: 10 correct
 * executions in [0,100) s, 10 too fast in [100,160) s, 10 low amplitude in [160,end).
 *
 * Method (no sensor-to-segment calibration exists for this data, so no named plane):
 * - orientation q_GS from the 6D offline VQF-class filter (`estimateOrientationOffline`, no
 *   magnetometer: the UCI magnetometer is in normalised units and clinics are full of steel);
 * - the up direction in the sensor frame u_S(t) = q_GS* ⊗ (0,0,1) ⊗ q_GS (heading-free);
 * - per window, excursion e(t) = ∠(u_S(t), u_S at rest at the window start);
 * - repetitions: e(t) minus its moving minimum over ±6 s (the rest pose drifts between
 *   repetitions), then hysteresis (enter above 50 %, leave below 30 % of the window's 95th
 *   percentile of that), segments < 0.4 s dropped, segments starting < 1 s after the previous
 *   one ended merged. This is a deliberately simple segmenter; a real one is a later issue.
 * - per-repetition ROM = the largest tilt change ∠(u_S(peak), u_S(trough)) within the repetition,
 *   where trough = the sample closest to the window's rest pose in the gap before it. For a
 *   rotation about a horizontal axis (all exercises here move the limb in a vertical plane) the
 *   tilt change equals the rotation angle; rotation about the vertical is invisible to it.
 *   As a cross-check the full 3D rotation angle between the trough and peak orientations is
 *   also reported (includes any axial / vertical-axis rotation; 6D heading drift over one
 *   repetition is negligible).
 * - context: unit 3's tilt change over the same repetitions (for the arm exercises presumably
 *   the upper arm: a forearm tilt includes any shoulder motion, it is not the elbow angle);
 * - s1 only: ROM over the hand-labelled repetition boundaries of `s1/eK/test_times.csv`
 *   (max tilt change from the labelled start sample within [start, end]).
 *
 * `--write` puts the table and the command into bench/RESULTS.md between the eval:uci-rom markers.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeResultsSection } from './lib/results';
import { UCI_RATE_HZ as RATE_HZ, readUciUnit as readUnit, uciDatasetDir } from './lib/uciPt';
import { estimateOrientationOffline } from '../src/fusion/offline';
import * as quat from '../src/math/quat';
import { percentile } from '../src/math/stats';

const DEG = 180 / Math.PI;
const SUBJECTS = ['s1', 's2', 's3'];
/** Half-width of the moving-minimum baseline of the excursion, s (longer than a 5 s hold plus the movement). */
const BASELINE_HALF_S = 6;

interface ExerciseDef {
  id: number;
  unit: number;
  motion: string;
  /** What a plausible ROM for a correct execution looks like, for the reader. */
  expected: string;
}

const EXERCISES: ExerciseDef[] = [
  { id: 1, unit: 2, motion: 'straight-leg raise, sitting', expected: 'tens of degrees' },
  { id: 2, unit: 4, motion: 'trunk flexion, sitting', expected: '~30°' },
  { id: 3, unit: 2, motion: 'hip flexion (straight-leg raise), supine', expected: '~30–60°' },
  { id: 4, unit: 2, motion: 'hip abduction, side-lying', expected: '~30–45°' },
  { id: 5, unit: 2, motion: 'hip extension, prone', expected: '~10–30°' },
  { id: 6, unit: 2, motion: 'elbow flexion, sitting, 1 kg', expected: '~90° (forearm to perpendicular)' },
  { id: 7, unit: 2, motion: 'shoulder abduction, standing, 1 kg', expected: '~90° (arm to horizontal)' },
  { id: 8, unit: 2, motion: 'elbow extension, prone', expected: '~90°' },
];

const TYPES = ['correct', 'too fast', 'low amplitude'] as const;
const WINDOWS_S: Array<[number, number]> = [
  [0, 100],
  [100, 160],
  [160, Infinity],
];

const args = process.argv.slice(2);
const write = args.includes('--write');
const dir = uciDatasetDir(args, 'eval-uci-rom');

/** One inertial block from the parser's chunks. */


/** Up direction in the sensor frame per sample, interleaved xyz. */
function upInSensor(q: Float64Array, n: number): Float64Array {
  const up = new Float64Array(3 * n);
  const qi = quat.create();
  const v = new Float64Array(3);
  const z = new Float64Array([0, 0, 1]);
  for (let i = 0; i < n; i++) {
    quat.readAt(qi, q, i);
    quat.rotateInverse(v, qi, z);
    up[3 * i] = v[0]!;
    up[3 * i + 1] = v[1]!;
    up[3 * i + 2] = v[2]!;
  }
  return up;
}

function angleBetween(u: Float64Array, i: number, r: ArrayLike<number>, j: number): number {
  const d = u[3 * i]! * r[3 * j]! + u[3 * i + 1]! * r[3 * j + 1]! + u[3 * i + 2]! * r[3 * j + 2]!;
  return Math.acos(Math.min(1, Math.max(-1, d)));
}

interface Rep {
  troughIdx: number;
  startIdx: number;
  endIdx: number;
  tiltDeg: number;
  rotDeg: number;
}

/** Tilt change and full rotation angle from sample `from` to the farthest-tilted sample in [a, b]. */
function repRom(up: Float64Array, q: Float64Array, from: number, a: number, b: number): { tiltDeg: number; rotDeg: number } {
  let best = -1;
  let bestIdx = a;
  for (let i = a; i <= b; i++) {
    const e = angleBetween(up, i, up, from);
    if (e > best) {
      best = e;
      bestIdx = i;
    }
  }
  const qa = quat.readAt(quat.create(), q, from);
  const qb = quat.readAt(quat.create(), q, bestIdx);
  return { tiltDeg: best * DEG, rotDeg: quat.distanceRad(qa, qb) * DEG };
}

function segmentWindow(up: Float64Array, q: Float64Array, i0: number, i1: number): Rep[] {
  // Rest reference: mean up direction over the first second of the window (the subject is idle there).
  const ref = new Float64Array(3);
  const nRef = Math.min(RATE_HZ, i1 - i0);
  for (let i = i0; i < i0 + nRef; i++) for (let c = 0; c < 3; c++) ref[c] = ref[c]! + up[3 * i + c]!;
  const nr = Math.hypot(ref[0]!, ref[1]!, ref[2]!);
  for (let c = 0; c < 3; c++) ref[c] = ref[c]! / nr;
  const e = new Float64Array(i1 - i0);
  for (let i = i0; i < i1; i++) e[i - i0] = angleBetween(up, i, ref, 0);
  // Detrend by a moving minimum (±BASELINE_HALF_S): the rest pose drifts between repetitions, and a
  // fixed reference would then hide repetitions behind the shifted baseline.
  const h = Math.round(BASELINE_HALF_S * RATE_HZ);
  const base = new Float64Array(e.length);
  for (let k = 0; k < e.length; k++) {
    let m = Infinity;
    for (let j = Math.max(0, k - h); j <= Math.min(e.length - 1, k + h); j++) if (e[j]! < m) m = e[j]!;
    base[k] = m;
  }
  for (let k = 0; k < e.length; k++) e[k] = e[k]! - base[k]!;
  const p95 = percentile(e, 95);
  const hi = 0.5 * p95;
  const lo = 0.3 * p95;
  const segs: Array<[number, number]> = [];
  let inRep = false;
  let s = 0;
  for (let k = 0; k < e.length; k++) {
    if (!inRep && e[k]! > hi) {
      inRep = true;
      s = k;
    } else if (inRep && e[k]! < lo) {
      inRep = false;
      segs.push([s, k]);
    }
  }
  if (inRep) segs.push([s, e.length - 1]);
  const merged: Array<[number, number]> = [];
  for (const seg of segs) {
    const last = merged[merged.length - 1];
    if (last && seg[0] - last[1] < RATE_HZ) last[1] = seg[1];
    else merged.push([seg[0], seg[1]]);
  }
  const reps: Rep[] = [];
  let gapStart = 0;
  for (const [a, b] of merged) {
    if (b - a < 0.4 * RATE_HZ) continue;
    // Trough: the sample closest to rest in the gap before this repetition.
    let trough = gapStart;
    for (let k = gapStart; k <= a; k++) if (e[k]! < e[trough]!) trough = k;
    const r = repRom(up, q, i0 + trough, i0 + a, i0 + b);
    reps.push({ troughIdx: i0 + trough, startIdx: i0 + a, endIdx: i0 + b, ...r });
    gapStart = b;
  }
  return reps;
}

function medianIqr(x: number[]): { med: number; q1: number; q3: number } {
  if (x.length === 0) return { med: NaN, q1: NaN, q3: NaN };
  const a = Float64Array.from(x);
  return { med: percentile(a, 50), q1: percentile(a, 25), q3: percentile(a, 75) };
}

/** s1's hand-labelled repetitions: [type 1..3, start, end] in sample indices (1-based, as the file's time index). */
function readLabels(file: string): Array<[number, number, number]> {
  if (!existsSync(file)) return [];
  const rows: Array<[number, number, number]> = [];
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/).slice(1)) {
    const f = line.split(',').map((s) => Number(s.replace(/"/g, '')));
    if (f.length >= 4 && f.every(Number.isFinite)) rows.push([f[1]!, f[2]!, f[3]!]);
  }
  return rows;
}

interface Cell {
  subject: string;
  exercise: number;
  type: (typeof TYPES)[number];
  reps: number;
  tilt: { med: number; q1: number; q3: number };
  rotMed: number;
  /** Median tilt change of unit 3 over the same repetitions (proximal/companion segment), deg. */
  u3Med: number;
  labelled?: { n: number; med: number; q1: number; q3: number };
}

const t0 = performance.now();
const cells: Cell[] = [];
for (const ex of EXERCISES) {
  for (const subject of SUBJECTS) {
    const file = join(dir, subject, `e${ex.id}`, `u${ex.unit}`, 'test.txt');
    if (!existsSync(file)) {
      process.stderr.write(`eval-uci-rom: missing ${file}, skipped\n`);
      continue;
    }
    const block = readUnit(file);
    const n = block.tS.length;
    const q = estimateOrientationOffline(block, { magEnabled: false });
    const up = upInSensor(q, n);
    const file3 = join(dir, subject, `e${ex.id}`, 'u3', 'test.txt');
    const block3 = ex.unit !== 3 && existsSync(file3) ? readUnit(file3) : undefined;
    const q3 = block3 && block3.tS.length === n ? estimateOrientationOffline(block3, { magEnabled: false }) : undefined;
    const up3 = q3 ? upInSensor(q3, n) : undefined;
    const labels = readLabels(join(dir, subject, `e${ex.id}`, 'test_times.csv'));
    // Sample index i (1-based) is at i/25 s; array index k is at tS[k].
    const idxOfT = (tS: number): number => {
      let k = 0;
      while (k < n && block.tS[k]! < tS) k++;
      return k;
    };
    const idxOfLabel = (sampleIdx: number): number => Math.min(n - 1, Math.max(0, idxOfT(sampleIdx / RATE_HZ - 1e-9)));
    TYPES.forEach((type, w) => {
      const [a, b] = WINDOWS_S[w]!;
      const i0 = idxOfT(a);
      const i1 = b === Infinity ? n : idxOfT(b);
      const reps = segmentWindow(up, q, i0, i1);
      const cell: Cell = {
        subject,
        exercise: ex.id,
        type,
        reps: reps.length,
        tilt: medianIqr(reps.map((r) => r.tiltDeg)),
        rotMed: medianIqr(reps.map((r) => r.rotDeg)).med,
        u3Med: up3 && q3 ? medianIqr(reps.map((r) => repRom(up3, q3, r.troughIdx, r.startIdx, r.endIdx).tiltDeg)).med : NaN,
      };
      const lab = labels.filter((l) => l[0] === w + 1);
      if (lab.length > 0) {
        const roms = lab.map(([, s, e]) => repRom(up, q, idxOfLabel(s), idxOfLabel(s), idxOfLabel(e)).tiltDeg);
        cell.labelled = { n: lab.length, ...medianIqr(roms) };
      }
      cells.push(cell);
    });
  }
}
const elapsedS = (performance.now() - t0) / 1000;

const f0 = (x: number): string => (Number.isFinite(x) ? x.toFixed(0) : '–');
const lines: string[] = [];
lines.push('| subject | exercise (unit) | execution | reps found | median ROM ° (IQR) | median 3D rotation ° | u3 same reps ° | s1 labelled reps: n, median ROM ° (IQR) |');
lines.push('|---|---|---|---:|---|---:|---:|---|');
for (const c of cells) {
  const ex = EXERCISES.find((e) => e.id === c.exercise)!;
  const lab = c.labelled ? `${c.labelled.n}, ${f0(c.labelled.med)} (${f0(c.labelled.q1)}–${f0(c.labelled.q3)})` : '';
  lines.push(
    `| ${c.subject} | ${c.exercise} ${ex.motion} (u${ex.unit}) | ${c.type} | ${c.reps} | ${f0(c.tilt.med)} (${f0(c.tilt.q1)}–${f0(c.tilt.q3)}) | ${f0(c.rotMed)} | ${f0(c.u3Med)} | ${lab} |`,
  );
}
lines.push('');
lines.push('Per exercise: median ROM correct / too fast / low amplitude per subject, and whether low-amplitude < correct for every subject.');
lines.push('');
for (const ex of EXERCISES) {
  const per = SUBJECTS.map((s) => {
    const get = (t: Cell['type']): number => cells.find((c) => c.subject === s && c.exercise === ex.id && c.type === t)?.tilt.med ?? NaN;
    return { s, c: get('correct'), f: get('too fast'), l: get('low amplitude') };
  });
  const ok = per.every((p) => Number.isFinite(p.c) && Number.isFinite(p.l) && p.l < p.c);
  const ratios = per.map((p) => `${p.s} ${f0(p.c)}/${f0(p.f)}/${f0(p.l)}°`).join(', ');
  lines.push(`- **Ex ${ex.id}** ${ex.motion} (u${ex.unit}; expected correct ${ex.expected}): ${ratios} — low amplitude < correct for every subject: **${ok ? 'yes' : 'NO'}**`);
}
const table = lines.join('\n');
process.stdout.write(table + '\n');
process.stdout.write(`\n(${cells.length} cells in ${elapsedS.toFixed(1)} s)\n`);

if (write) {
  const path = writeResultsSection('eval:uci-rom', [
    '## UCI PT: single-sensor ROM, correct vs too fast vs low amplitude (issue 5)',
    '',
    `Subjects s1–s3, test.txt, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; produced by ` +
      '`node --import tsx scripts/eval-uci-rom.ts ../shared/datasets/uci-pt --write` (scripts/eval-uci-rom.ts) in ' +
      `${elapsedS.toFixed(1)} s.`,
    '',
    'Windows from the dataset ground truth (correct [0,100) s, too fast [100,160) s, low amplitude [160,end)). ' +
      'ROM per repetition = tilt change of the sensor (angle between the up direction in the sensor frame at the ' +
      'preceding rest trough and at the farthest point of the repetition), from 6D offline VQF orientation; equals the ' +
      'segment rotation for motion in a vertical plane. Repetitions from a simple hysteresis on the excursion ' +
      '(excursion minus its ±6 s moving minimum, 50 %/30 % of the window 95th percentile) — not the real segmenter (later issue); "reps found" should be 10. ' +
      '"3D rotation" = full rotation angle trough→peak (includes axial rotation). "u3 same reps" = tilt change of unit 3 ' +
      'over the same repetitions (context: a single sensor measures its segment against gravity, not a joint angle). s1 labelled = the same ROM over the ' +
      'hand-labelled boundaries of s1/eK/test_times.csv.',
    '',
    table,
  ]);
  process.stdout.write(`wrote ${path}\n`);
}
