/**
 * `npm run bench:longrun [-- hours=8] [--write]` — a long live session in bounded memory:
 * thigh + shank at 100 Hz in blocks of 25 samples, a one-minute simulated knee session (consumer
 * noise, magnetometer) repeated back to back with shifted times and a 2 s link loss every 10
 * minutes, through fuseOrientation → record (CsvFileSink: canonical CSV files in a temp
 * directory, deleted at the end) → jointAngles + dominantRotation → segmentReps → scoreRepsLive.
 * Every 15 simulated minutes: heap used after a full gc, and RSS. Flat = every sample after the
 * warm-up (the first 30 simulated minutes) within ±5 % of the first sample after it.
 * Runs with --expose-gc (the npm script passes it).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Observable, Subject, connectable, merge, tap } from 'rxjs';
import { quat } from '../src/index';
import * as sim from '../src/sim/index';
import type { SampleBlock } from '../src/samples/block';
import { dominantRotation, fuseOrientation, jointAngles, record, scoreRepsLive, segmentReps } from '../src/pipeline/index';
import { CsvFileSink } from '../src/pipeline/node/index';
import { writeResultsSection } from '../scripts/lib/results';
import { loadLine, machineLine } from './host';

const hours = Number(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 8);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('bench:longrun needs node --expose-gc (npm run bench:longrun passes it)');
const SAMPLE_S = 900, WARMUP_S = 1800;
const scenario = sim.kneeFlexionScenario({ reps: 8, amplitudeDeg: 85, restS: 2, noise: 'consumer' });
const one = sim.simulate(scenario, { rateHz: 100, seed: 5, durationS: 60, blockSize: 25 });
const mount = (id: string) => scenario.sensors.find((s) => s.id === id)!.orientation ?? quat.create();

/** Blocks of `hours`, generated lazily: the session repeated, times shifted, a 2 s gap every 10 min. */
function source(): Observable<SampleBlock> {
  return new Observable<SampleBlock>((sub) => {
    const periods = Math.ceil((hours * 3600) / 60);
    const th = one.blocks.thigh!, sh = one.blocks.shank!;
    for (let p = 0; p < periods && !sub.closed; p++) {
      const offsetS = p * 60.01;
      for (let i = 0; i < Math.max(th.length, sh.length); i++) {
        for (const b of [th[i], sh[i]]) {
          if (!b) continue;
          const tS = new Float64Array(b.tS.length);
          for (let k = 0; k < tS.length; k++) tS[k] = b.tS[k]! + offsetS;
          if (p % 10 === 9 && tS[0]! - offsetS < 2) continue; // the link loss: 2 s of samples dropped…
          const gap = p % 10 === 9 && tS[0]! - offsetS < 2.25 ? 2 : (b.gapBeforeS ?? 0); // …and marked on the next block
          sub.next({ ...b, tS, ...(gap > 0 ? { gapBeforeS: gap } : {}) });
        }
      }
    }
    sub.complete();
  });
}

interface Point { readonly simH: number; readonly heapMiB: number; readonly rssMiB: number }
const points: Point[] = [];
const measure = (simS: number) => {
  gc();
  const m = process.memoryUsage();
  points.push({ simH: simS / 3600, heapMiB: m.heapUsed / 2 ** 20, rssMiB: m.rss / 2 ** 20 });
};

const dir = mkdtempSync(join(tmpdir(), 'kinemetry-longrun-'));
const sink = new CsvFileSink(dir);
let samples = 0, reps = 0, scored = 0, nextS = SAMPLE_S;
const t0 = Date.now();
const fused = source().pipe(
  tap((b) => {
    samples += b.tS.length;
    if (b.info.sensorId === 'shank' && b.tS[0]! >= nextS) {
      measure(nextS);
      if (nextS % 3600 === 0) process.stderr.write(`${nextS / 3600} h: heap ${points.at(-1)!.heapMiB.toFixed(1)} MiB, RSS ${points.at(-1)!.rssMiB.toFixed(0)} MiB, ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
      nextS += SAMPLE_S;
    }
  }),
  fuseOrientation(),
  record(sink),
);
const shared = connectable(fused, { connector: () => new Subject<SampleBlock>(), resetOnDisconnect: false });
const knee = shared.pipe(jointAngles({ joint: 'knee', proximal: 'thigh', distal: 'shank' }, { proximal: { qSegSensor: mount('thigh') }, distal: { qSegSensor: mount('shank') } }), segmentReps(), scoreRepsLive());
const auto = shared.pipe(dominantRotation({ sensorId: 'shank' }), segmentReps());
measure(0);
merge(knee, auto).subscribe({
  next: (e) => {
    if (e.type === 'rep' && !e.rep.partial) reps++;
    if (e.type === 'scored') scored++;
  },
  complete: () => {
    const wallS = (Date.now() - t0) / 1000;
    let recordedMiB = 0;
    for (const f of sink.files.values()) recordedMiB += statSync(f).size / 2 ** 20;
    sink.close();
    rmSync(dir, { recursive: true, force: true });
    report(wallS, recordedMiB);
  },
});
shared.connect();

function report(wallS: number, recordedMiB: number): void {
  const win = points.filter((p) => p.simH * 3600 >= WARMUP_S);
  const flat = (key: 'heapMiB' | 'rssMiB') => {
    const ref = win[0]![key];
    const dev = Math.max(...win.map((p) => Math.abs(p[key] - ref) / ref));
    const peak = Math.max(...points.map((p) => p[key]));
    // Least-squares slope over the window: growth shows as a trend, GC sawtooth as scatter.
    const mx = win.reduce((a, p) => a + p.simH, 0) / win.length, my = win.reduce((a, p) => a + p[key], 0) / win.length;
    const slope = win.reduce((a, p) => a + (p.simH - mx) * (p[key] - my), 0) / win.reduce((a, p) => a + (p.simH - mx) ** 2, 0);
    return { start: points[0]![key], ref, end: win.at(-1)![key], peak, dev, slope, min: Math.min(...win.map((p) => p[key])), max: Math.max(...win.map((p) => p[key])) };
  };
  const h = flat('heapMiB'), r = flat('rssMiB');
  const f = (x: number) => x.toFixed(1);
  const lines = [
    `Command: \`npm run bench:longrun -- ${process.argv.slice(2).join(" ")}\` (bench/longRun.ts), ${machineLine()}; ${loadLine()}.`,
    '',
    `${hours} simulated hours, 2 sensors at 100 Hz (${samples} samples) through fuseOrientation → record (CsvFileSink to a temp file, ${f(recordedMiB)} MiB of CSV written) → jointAngles + dominantRotation → segmentReps → scoreRepsLive: ${reps} full reps, ${scored} scored, in ${f(wallS)} s wall time (${Math.round((hours * 3600) / wallS)}× real time).`,
    `Sampled every ${SAMPLE_S / 60} simulated minutes (heap used after a full gc; RSS). Window for "flat": after a ${WARMUP_S / 60}-minute warm-up, every sample against the first one in the window.`,
    '',
    '| | at 0 h | at warm-up end | at end | peak | range in window | max deviation in window | trend in window | flat (± 5 %) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
    `| heap after gc, MiB | ${f(h.start)} | ${f(h.ref)} | ${f(h.end)} | ${f(h.peak)} | ${f(h.min)}–${f(h.max)} | ${(100 * h.dev).toFixed(1)} % | ${h.slope.toFixed(3)} MiB/h | ${h.dev <= 0.05 ? 'yes' : '**no**'} |`,
    `| RSS, MiB | ${f(r.start)} | ${f(r.ref)} | ${f(r.end)} | ${f(r.peak)} | ${f(r.min)}–${f(r.max)} | ${(100 * r.dev).toFixed(1)} % | ${r.slope.toFixed(2)} MiB/h | ${r.dev <= 0.05 ? 'yes' : '**no**'} |`,
    '',
    `Curve (simulated h: heap / RSS MiB): ${points.filter((_, i) => i % 4 === 0 || i === points.length - 1).map((p) => `${p.simH.toFixed(2)}: ${f(p.heapMiB)} / ${p.rssMiB.toFixed(0)}`).join(', ')}.`,
  ];
  console.log(lines.join('\n'));
  if (process.argv.includes('--write')) writeResultsSection('bench:longrun', ['## Long run: memory over a simulated session', '', ...lines]);
}
