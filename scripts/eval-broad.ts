/**
 * `npm run eval:broad -- [dir] [--write] [--quick]` — score the orientation filters on the BROAD
 * trials in `dir` (default ../shared/datasets/broad) with the benchmark's own metric: per trial
 * the RMSE of the total, heading and inclination error of q_est ⊗ q_opt⁻¹ over the moving
 * samples with a reference, then the mean over trials. One parameter set per row for all
 * trials. 6D rows score inclination (heading is arbitrary without a magnetometer) and, for
 * reference, the total error after removing each trial's constant heading offset.
 *
 * `--write` puts the tables into bench/RESULTS.md between the eval:broad markers (nothing else
 * in that file is touched). `--quick` skips the offline rows (they take most of the time).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { cpus } from 'node:os';
import { readBroadTrial, broadErrors, type BroadTrial } from '../src/io/broad';
import { Vqf } from '../src/fusion/vqf';
import { estimateOrientationOffline, type OfflineOptions } from '../src/fusion/offline';
import { BROAD_LATENCY_S, VQF_DEFAULTS, VQF_TUNED, type VqfParams } from '../src/fusion/vqfParams';
import { MadgwickFilter } from '../src/fusion/madgwick';
import { MahonyFilter } from '../src/fusion/mahony';

const DEG = 180 / Math.PI;
const args = process.argv.slice(2);
const write = args.includes('--write');
const quick = args.includes('--quick');
const dir = resolve(args.find((a) => !a.startsWith('--')) ?? join(import.meta.dirname, '..', '..', 'shared', 'datasets', 'broad'));
if (!existsSync(dir)) {
  process.stderr.write(`eval-broad: no directory ${dir}\n`);
  process.exit(2);
}
const files = readdirSync(dir).filter((f) => f.endsWith('.mat')).sort();
if (files.length === 0) {
  process.stderr.write(`eval-broad: no .mat files in ${dir}\n`);
  process.exit(2);
}

type Estimator = (t: BroadTrial, sixD: boolean) => Float64Array;

function causal(params: Partial<VqfParams>): Estimator {
  return (t, sixD) => {
    const f = new Vqf({ ...params, magEnabled: !sixD }, { rateHz: t.rateHz });
    const out = new Float64Array(4 * t.movement.length);
    f.updateBlock(t.block, out);
    return out;
  };
}

function offline(params: Partial<VqfParams>, options: OfflineOptions = {}): Estimator {
  return (t, sixD) => estimateOrientationOffline(t.block, { ...params, magEnabled: !sixD }, undefined, options);
}

function baseline(make: (sixD: boolean) => { updateBlock(b: BroadTrial['block'], out: Float64Array): void }): Estimator {
  return (t, sixD) => {
    const out = new Float64Array(4 * t.movement.length);
    make(sixD).updateBlock(t.block, out);
    return out;
  };
}

interface Row {
  readonly name: string;
  readonly params: string;
  readonly run: Estimator;
  /** Include in the per-trial table. */
  readonly perTrial?: boolean;
}

const tunedLatency = { ...VQF_TUNED, latencyCompensationS: BROAD_LATENCY_S };
/** The tuned set as it was before sample-instant alignment (for comparison). */
const untunedAlignment = { ...VQF_TUNED, alignToSampleInstant: false };
const rows: Row[] = [
  { name: 'VQF real-time, published defaults', params: 'defaults (tauAcc 3 s, tauMag 9 s)', run: causal(VQF_DEFAULTS) },
  { name: 'VQF real-time, tuned, without sample-instant alignment', params: 'tauMag 20 s', run: causal(untunedAlignment) },
  { name: 'VQF real-time, tuned', params: 'tauMag 20 s, sample-instant alignment', run: causal(VQF_TUNED), perTrial: true },
  { name: 'VQF real-time, tuned + BROAD latency', params: `tauMag 20 s, sample-instant alignment, latency ${BROAD_LATENCY_S * 1000} ms`, run: causal(tunedLatency) },
];
if (!quick) {
  rows.push(
    { name: 'VQF offline, published defaults', params: 'defaults, zero-phase smoother, split 0.3 s', run: offline(VQF_DEFAULTS) },
    { name: 'VQF offline, tuned, forward–backward average (earlier method)', params: 'tauMag 20 s, no alignment, pass average', run: offline(untunedAlignment, { zeroPhaseInclination: false }) },
    { name: 'VQF offline, tuned, smoother alone (before the split)', params: 'tauMag 20 s, sample-instant alignment, zero-phase smoother', run: offline(VQF_TUNED, { inclinationSplitTauS: 0 }) },
    { name: 'VQF offline, tuned', params: 'tauMag 20 s, sample-instant alignment, smoother + pass-average high band (split 0.3 s)', run: offline(VQF_TUNED), perTrial: true },
    { name: 'VQF offline, tuned + BROAD latency', params: `tauMag 20 s, alignment, smoother, split 0.3 s, latency ${BROAD_LATENCY_S * 1000} ms`, run: offline(tunedLatency) },
  );
}
rows.push(
  { name: 'Madgwick (×2 fix)', params: 'β 0.12', run: baseline((sixD) => new MadgwickFilter({ useMag: !sixD })) },
  { name: 'Madgwick (original ×2 bug)', params: 'β 0.12, legacyMagReference', run: baseline((sixD) => new MadgwickFilter({ useMag: !sixD, legacyMagReference: true })) },
  { name: 'Mahony', params: 'kP 0.74, kI 0.0012', run: baseline((sixD) => new MahonyFilter({ useMag: !sixD })) },
);

interface Score {
  total: number;
  heading: number;
  inclination: number;
  /** 6D: total after removing the trial's constant heading offset. */
  totalNoOffset: number;
  maxTotal: number;
}

/** Max total error and the total RMSE after removing the mean (circular) heading offset. */
function extraScores(est: Float64Array, t: BroadTrial): { maxTotal: number; totalNoOffset: number } {
  const n = t.movement.length;
  const ok = (i: number): boolean => t.movement[i] === 1 && Number.isFinite(t.truthQuat[4 * i]!);
  let sx = 0, sy = 0, maxT = 0;
  const e = new Float64Array(4);
  const err = (i: number, psi: number): void => {
    // e = Rz(−ψ) ⊗ q_est ⊗ q_opt⁻¹
    const a = est, b = t.truthQuat, k = 4 * i;
    const aw = a[k]!, ax = a[k + 1]!, ay = a[k + 2]!, az = a[k + 3]!;
    const bw = b[k]!, bx = -b[k + 1]!, by = -b[k + 2]!, bz = -b[k + 3]!;
    const w = aw * bw - ax * bx - ay * by - az * bz;
    const x = aw * bx + ax * bw + ay * bz - az * by;
    const y = aw * by - ax * bz + ay * bw + az * bx;
    const z = aw * bz + ax * by - ay * bx + az * bw;
    const c = Math.cos(-psi / 2), s = Math.sin(-psi / 2);
    e[0] = c * w - s * z;
    e[1] = c * x - s * y;
    e[2] = c * y + s * x;
    e[3] = c * z + s * w;
  };
  for (let i = 0; i < n; i++) {
    if (!ok(i)) continue;
    err(i, 0);
    const psi = 2 * Math.atan2(e[3]!, e[0]!);
    sx += Math.cos(psi);
    sy += Math.sin(psi);
    maxT = Math.max(maxT, 2 * Math.acos(Math.min(1, Math.abs(e[0]!))));
  }
  const offset = Math.atan2(sy, sx);
  let sum = 0, cnt = 0;
  for (let i = 0; i < n; i++) {
    if (!ok(i)) continue;
    err(i, offset);
    const ang = 2 * Math.acos(Math.min(1, Math.abs(e[0]!) / Math.hypot(e[0]!, e[1]!, e[2]!, e[3]!)));
    sum += ang * ang;
    cnt++;
  }
  return { maxTotal: maxT * DEG, totalNoOffset: Math.sqrt(sum / cnt) * DEG };
}

/** How the parameters were chosen (kept with the table it explains). */
const NOTES = `How the VQF parameters were chosen — once, on the mean over all 15 trials, never per trial.
Tuned numbers: grid over tauAcc ∈ {1, 2, 2.5, 3, 3.5, 4, 5, 6, 8, 10} s on 6D inclination (3 s,
the published default, was best, and still is with the alignment below: 2.5 s and 3.5 s are
worse); grid over tauMag ∈ {5, 9, 12, 15, 20, 30} s on 9D total (20 s best). Everything else
stays at the published defaults: bias, rest and magnetic-disturbance parameters varied one
at a time gain at most 0.006° inclination (bias sigma in motion 0.05 °/s or at rest 0.1 °/s)
and cost 9D total offline, so they were left alone.
Method changes (switches, not fitted numbers), each measured on the same mean:
(1) \`alignToSampleInstant\` (real-time and offline): the strapdown quaternion after a step is
half a step ahead of the sample instant (each gyroscope rate is held over the interval before
it), so accelerometer and magnetometer samples are rotated back by half the last gyroscope
step before use; with an ideal simulated IMU this removes most of the inclination error of
fast motion (test/fusion/vqfAlignment.test.ts). Here real-time inclination 0.635° → 0.600°,
9D total 1.965° → 1.889°; the output is not shifted in time.
(2) Offline inclination from a zero-phase smoother: one strapdown trajectory with the bias the
last pass converged to, every specific-force sample rotated into it, the filter's Butterworth
run forwards and backwards (response |H|², no lag, 4th-order roll-off; ends extended by their
mirror image), tilt to vertical per sample; heading still from the passes. Offline
inclination 0.528° → 0.504° (0.521° without the alignment). Trial 15 is worse with it (the
pass average's response Re H happens to have its zero near a period of that motion).
(3) Offline: complementary split of the two inclination estimates (\`inclinationSplitTauS\`
0.3 s): the smoother's tilt below ≈ 0.75 Hz, the forward–backward pass average's above (the
high band of their difference, zero-phase, added to the smoother). Both are linear filters of
the same specific force (rebuilding the pass average from the smoother's own specific force
gives the same per-trial numbers), so this is one response: |H|² below, Re H ≈ −(fc/f)² above.
Offline inclination 0.504° → 0.492° (trial 15 0.58 → 0.47, trial 30 0.82 → 0.76; 9D total
1.942° → 1.940°). Split τ grid {0.1, 0.2, 0.3, 0.5, 0.7, 1, 3} s: 0.503, 0.497, 0.492,
0.489, 0.491, 0.495, 0.508°. 0.3 s rather than the grid's best 0.5 s because it also gains
with the BROAD latency compensated (0.3215° → 0.3177°; 0.5 s: 0.3246°, worse) and costs less
on the ideal simulator (rigid IMU, exact reference: 0.004–0.009° worse over three seeds; 0.5 s:
0.014–0.020°) — the negative lobe passes some linear acceleration, and why BROAD favours it is
not established. Smoother τ re-checked with it (2.5 / 3.5 s: 0.493 / 0.493°, 3 s kept).
Measured and not adopted (offline): a time-varying bias for the smoother's strapdown (the
passes' per-sample estimates weighted by their covariances, forward or backward alone, their
average, or that smoothed over 30 s): 0.5037–0.5038° against 0.5038° (the smoother removes
slow drift of its frame anyway); a fixed slerp blend of the two estimates (pass-average
weight 0.2–0.5: 0.497–0.498°, worse than the split); the split's high band scaled by 0.7 or
1.3 (0.494°, 0.490° at τ 0.3 s; 1.3 would extrapolate past the pass average, not adopted); a constant accelerometer bias fitted per recording from the
high band of the rotated specific force (ill-conditioned on the translation trials, and worse
even where the fit is stable: trial 01 0.37° → 0.43°); smoother weights from the gyroscope rate,
1/(1 + (|ω|/ω0)²) as a normalised weighted low-pass (ω0 50–400 °/s: 1.7–6.7°, the same
failure as the |a| − g weights below).
Earlier, measured and not adopted: coning-corrected strapdown (< 0.002°); accelerometer weights from
||a| − g| in the smoother (diverges on the translation trials: dropping high-acceleration
samples breaks the zero mean of linear acceleration in the inertial frame); a rest-phase
weight boost (no gain); smoother τ 2.5–4 s (3 s best); a first-order forward–backward (RTS,
random-walk) smoother (0.536°, before the alignment); a gyroscope scale/misalignment
matrix fitted to the reference (no gain in real time even as an oracle).
"BROAD latency": the IMU's samples lag the optical reference by ≈ 2.5 ms (≈ 0.7 sample; a grid
over 0–3.5 ms in 0.5 ms steps), which \`latencyCompensationS\` predicts away. That is sensor
timing, not fusion: those rows are shown for reference and the targets are judged on the
rows without it. For reference: the VQF reference implementation was measured at 2.51°
total / 0.63° inclination on these 15 trials with its defaults; this implementation with the
same defaults scores the first row.`;

const t0 = Date.now();
const trials: BroadTrial[] = files.map((f) => readBroadTrial(new Uint8Array(readFileSync(join(dir, f))), f));
const names = trials.map((t) => t.name);
/** scores[row][6D?1:0][trial] */
const scores: Score[][][] = [];
for (const row of rows) {
  const perMode: Score[][] = [];
  for (const sixD of [false, true]) {
    const perTrial: Score[] = [];
    for (const t of trials) {
      const est = row.run(t, sixD);
      const e = broadErrors(est, t.truthQuat, t.movement);
      const x = extraScores(est, t);
      perTrial.push({ total: e.totalRmseDeg, heading: e.headingRmseDeg, inclination: e.inclinationRmseDeg, ...x });
    }
    perMode.push(perTrial);
  }
  scores.push(perMode);
  process.stderr.write(`${row.name}: done (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const f2 = (x: number): string => x.toFixed(2);
const f3 = (x: number): string => x.toFixed(3);
const lines: string[] = [];
lines.push(
  `${trials.length} trials from \`${basename(dir)}/\`, Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${new Date().toISOString().slice(0, 10)}; ` +
    `produced by \`npm run eval:broad -- ${args.filter((a) => a !== '--write').join(' ') || '<dir>'} --write\` (scripts/eval-broad.ts) in ${((Date.now() - t0) / 1000).toFixed(0)} s.`,
);
lines.push('');
lines.push('Mean over trials of the per-trial RMSE, degrees. One parameter set per row for all trials.');
lines.push('');
lines.push(NOTES);
lines.push('');
lines.push('| filter | parameters | 9D total | 9D heading | 9D inclination | 6D inclination | 6D total, heading offset removed | worst trial 9D total | max error 9D |');
lines.push('|---|---|---:|---:|---:|---:|---:|---:|---:|');
rows.forEach((row, r) => {
  const s9 = scores[r]![0]!, s6 = scores[r]![1]!;
  const worst = s9.reduce((w, s, i) => (s.total > s9[w]!.total ? i : w), 0);
  lines.push(
    `| ${row.name} | ${row.params} | ${f3(mean(s9.map((s) => s.total)))} | ${f3(mean(s9.map((s) => s.heading)))} | ${f3(mean(s9.map((s) => s.inclination)))} | ` +
      `${f3(mean(s6.map((s) => s.inclination)))} | ${f3(mean(s6.map((s) => s.totalNoOffset)))} | ${f2(s9[worst]!.total)} (${names[worst]!.slice(0, 2)}) | ${f2(Math.max(...s9.map((s) => s.maxTotal)))} |`,
  );
});
for (const [r, row] of rows.entries()) {
  if (!row.perTrial) continue;
  const s9 = scores[r]![0]!, s6 = scores[r]![1]!;
  lines.push('');
  lines.push(`Per trial, ${row.name} (${row.params}):`);
  lines.push('');
  lines.push('| trial | 9D total | 9D heading | 9D inclination | 6D inclination | max error 9D |');
  lines.push('|---|---:|---:|---:|---:|---:|');
  trials.forEach((t, i) => {
    lines.push(`| ${t.name} | ${f2(s9[i]!.total)} | ${f2(s9[i]!.heading)} | ${f2(s9[i]!.inclination)} | ${f2(s6[i]!.inclination)} | ${f2(s9[i]!.maxTotal)} |`);
  });
}

// The targets, judged on the rows above (with and without the latency compensation).
const meanOf = (name: string, mode: 0 | 1, key: 'total' | 'inclination'): number | undefined => {
  const r = rows.findIndex((x) => x.name === name);
  return r < 0 ? undefined : mean(scores[r]![mode]!.map((s) => s[key]));
};
const target = (label: string, v: number | undefined, limit: number): string =>
  v === undefined ? '' : `${label} ${f3(v)} ${v <= limit ? '≤' : '>'} ${limit} ${v <= limit ? '✓' : '✗'}`;
lines.push('');
lines.push('Targets (issue 4):');
lines.push('');
for (const suffix of ['tuned', 'tuned + BROAD latency']) {
  const rt = `VQF real-time, ${suffix}`, off = `VQF offline, ${suffix}`;
  const parts = [
    target('real-time 9D total', meanOf(rt, 0, 'total'), 2.4),
    target('real-time 9D inclination', meanOf(rt, 0, 'inclination'), 0.63),
    target('6D inclination', meanOf(rt, 1, 'inclination'), 0.63),
    target('offline 9D total', meanOf(off, 0, 'total'), 2.0),
    target('offline 9D inclination', meanOf(off, 0, 'inclination'), 0.5),
  ].filter((x) => x !== '');
  lines.push(`- ${suffix}: ${parts.join('; ')}.`);
}

// Checks: no divergence (every trial's worst sample within 30°, RMSE within 10°), and the
// attached-magnet trials keep their inclination (9D no worse than 6D, which cannot see the magnet).
lines.push('');
lines.push('Checks:');
lines.push('');
for (const [r, row] of rows.entries()) {
  if (!row.name.startsWith('VQF')) continue;
  const s9 = scores[r]![0]!, s6 = scores[r]![1]!;
  const diverged = trials.filter((_, i) => s9[i]!.maxTotal > 30 || s9[i]!.total > 10 || s6[i]!.inclination > 10).map((t) => t.name);
  const magnet = trials.map((t, i) => ({ t, i })).filter(({ t }) => /attached_magnet/.test(t.name));
  const mag = magnet.map(({ t, i }) => `${t.name.slice(0, 2)}: ${f2(s9[i]!.inclination)} vs 6D ${f2(s6[i]!.inclination)}`).join(', ');
  const undisturbedIncl = mean(trials.flatMap((t, i) => (/undisturbed/.test(t.name) ? [s9[i]!.inclination] : [])));
  lines.push(
    `- ${row.name}: diverged trials: ${diverged.length === 0 ? 'none' : diverged.join(', ')}; attached-magnet inclination (9D vs 6D) ${mag}; undisturbed mean 9D inclination ${f2(undisturbedIncl)}.`,
  );
}
const table = lines.join('\n') + '\n';
process.stdout.write(table);

if (write) {
  const path = join(import.meta.dirname, '..', 'bench', 'RESULTS.md');
  const begin = '<!-- eval:broad:begin -->';
  const end = '<!-- eval:broad:end -->';
  const old = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const i = old.indexOf(begin);
  const j = old.indexOf(end);
  const section = `${begin}\n${table}${end}`;
  const next = i >= 0 && j > i ? `${old.slice(0, i)}${section}${old.slice(j + end.length)}` : `${old.trimEnd()}\n\n## Orientation accuracy on BROAD\n\n${section}\n`;
  writeFileSync(path, next);
  process.stderr.write(`eval-broad: wrote ${path}\n`);
}
