/**
 * Whole-pipeline throughput, core stages called directly (bench/corePipeline.ts), on one core
 * (one JS thread): 1 sensor (automatic dominant rotation — its own 6D VQF — + RepSegmenter), 2 sensors
 * (2 × VQF 9D + knee JointAngleStage + RepSegmenter) and 5 sensors (5 × VQF 9D + a chain of 4
 * joints, each with a RepSegmenter). Samples/s counts sensor samples (2 sensors at 100 Hz =
 * 200 samples per second of session), so 10⁶ samples/s for 2 sensors = 5000× real time.
 * Then the same 2-sensor job through the rxjs operators (`fuseOrientation → jointAngles →
 * segmentReps`) in alternating rounds: the rxjs overhead ratio. Each in its own process.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { from } from 'rxjs';
import type { SampleBlock } from '../src/index';
import { CorePipeline, type CoreJoint } from './corePipeline';
import lib from './lib';
import { timePair, timeRounds, type Rounds } from './rounds';
import { kneeSession, RATE_HZ, type SimSession } from './sessions';

export interface ThroughputRow {
  readonly what: string;
  readonly sensors: number;
  readonly samples: number;
  readonly t: Rounds;
}

const perS = (samples: number, ms: number) => samples / (ms / 1e3);

function chain(s: SimSession): CoreJoint[] {
  const joints: CoreJoint[] = [];
  for (let k = 0; k + 1 < s.ids.length; k++) joints.push({ joint: 'knee', proximal: k, distal: k + 1, qSegProximal: s.mounts[k]!, qSegDistal: s.mounts[k + 1]! });
  return joints;
}

function runCore(s: SimSession, vqf: Partial<import('../src/index').VqfParams> = {}): () => void {
  const joints = chain(s);
  const blocks: SampleBlock[] = [];
  return () => {
    const p = new CorePipeline(s.ids.length, RATE_HZ, joints, { maxBlock: 64, vqf });
    const nBlocks = s.sensors[0]!.length;
    for (let b = 0; b < nBlocks; b++) {
      for (let k = 0; k < s.ids.length; k++) blocks[k] = s.sensors[k]![b]!;
      p.push(blocks);
    }
    p.finish();
    if (p.reps === 0) throw new Error('bench: the pipeline found no reps');
  };
}

function runOneSensor(s: SimSession): () => void {
  return () => {
    const seg = new lib.RepSegmenter();
    let reps = 0;
    const tracker = new lib.DominantRotationTracker((tS, angleDeg) => {
      if (seg.push(tS, angleDeg)) reps++;
    }, {}, RATE_HZ);
    for (const b of s.sensors[1]!) tracker.updateBlock(b);
    tracker.finish();
    if (seg.finish()) reps++;
    if (reps === 0) throw new Error('bench: the 1-sensor pipeline found no reps');
  };
}

/** Blocks of all sensors interleaved in arrival order. */
export function interleaved(s: SimSession): SampleBlock[] {
  const out: SampleBlock[] = [];
  for (let b = 0; b < s.sensors[0]!.length; b++) for (const blocks of s.sensors) out.push(blocks[b]!);
  return out;
}

export function runRx(s: SimSession): () => void {
  const blocks = interleaved(s);
  const joint = { joint: 'knee' as const, proximal: s.ids[0]!, distal: s.ids[1]! };
  const cal = { proximal: { qSegSensor: s.mounts[0]! }, distal: { qSegSensor: s.mounts[1]! } };
  return () => {
    let reps = 0;
    from(blocks)
      .pipe(lib.fuseOrientation(), lib.jointAngles(joint, cal), lib.segmentReps())
      .subscribe((e) => {
        if (e.type === 'rep') reps++;
      });
    if (reps === 0) throw new Error('bench: the rxjs pipeline found no reps');
  };
}

/** The measurements, each in a fresh process (see {@link measureInChild}). */
const ROWS: readonly { what: string; sensors: number; session: 1 | 2 | 5; run: (s: SimSession) => () => void }[] = [
  { what: '1 sensor: dominant rotation (6D VQF inside) + RepSegmenter', sensors: 1, session: 1, run: runOneSensor },
  { what: '2 sensors: 2 × VQF 9D + knee JointAngleStage + RepSegmenter', sensors: 2, session: 2, run: (s) => runCore(s) },
  { what: '2 sensors: 2 × VQF 6D + knee JointAngleStage + RepSegmenter', sensors: 2, session: 2, run: (s) => runCore(s, { magEnabled: false }) },
  { what: '5 sensors: 5 × VQF 9D + chain of 4 joints, 4 × (JointAngleStage + RepSegmenter)', sensors: 5, session: 5, run: (s) => runCore(s) },
];
const WARMUP_RUNS = 6;

function session(n: 1 | 2 | 5): SimSession {
  return kneeSession(n === 1 ? 2 : n, 120);
}

/**
 * Row `k` (or, for k = ROWS.length, the core/rxjs pair) measured in a child process. Each
 * pipeline is timed as an app runs it, alone: in one process after the others, the 2-sensor
 * 9D job measured anywhere from 0.62 to 1.01 M samples/s depending on which configurations
 * ran before it (the JIT's type feedback is per process). 6 warm-up runs instead of 2, so
 * that the magnetometer path is compiled before timing starts.
 */
function measureInChild(k: number): Rounds | [Rounds, Rounds] {
  const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), `--row=${k}`], { stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.toString()) as Rounds | [Rounds, Rounds];
}

function measureHere(k: number): Rounds | [Rounds, Rounds] {
  if (k < ROWS.length) {
    const r = ROWS[k]!;
    return timeRounds(r.run(session(r.session)), 9, WARMUP_RUNS);
  }
  const s2 = session(2);
  return timePair(runCore(s2), runRx(s2), 9, WARMUP_RUNS);
}

export function throughputReport(): string[] {
  const s2 = session(2);
  const rows: ThroughputRow[] = ROWS.map((r, k) => ({ what: r.what, sensors: r.sensors, samples: r.sensors * s2.samplesPerSensor, t: measureInChild(k) as Rounds }));
  const [core, rx] = measureInChild(ROWS.length) as [Rounds, Rounds];
  const lines = [
    `Session: simulated standing knee flexion, ${s2.durationS} s at ${RATE_HZ} Hz per sensor, consumer-grade 9-axis errors + soft-tissue wobble, blocks of 25 samples; one JS thread. ` +
      `Samples = sensor samples (2 sensors × 100 Hz = 200 per second of session). Each pipeline in its own process, ${WARMUP_RUNS} warm-up runs, then best of 9 rounds (median in brackets).`,
    '',
    '| pipeline (core called directly) | samples per run | samples/s | × real time | ns per sensor-sample |',
    '|---|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const best = perS(r.samples, r.t.minMs), med = perS(r.samples, r.t.medianMs);
    lines.push(`| ${r.what} | ${r.samples} | ${fmtRate(best)} (${fmtRate(med)}) | ${Math.round(best / (r.sensors * RATE_HZ))}× | ${((r.t.minMs * 1e6) / r.samples).toFixed(0)} |`);
  }
  const ratio = rx.minMs / core.minMs, ratioMed = rx.medianMs / core.medianMs;
  lines.push(
    '',
    `rxjs overhead, the 2-sensor 9D job: \`from(blocks) → fuseOrientation → jointAngles → segmentReps\` ${fmtRate(perS(2 * s2.samplesPerSensor, rx.minMs))} samples/s vs the core directly ` +
      `${fmtRate(perS(2 * s2.samplesPerSensor, core.minMs))} samples/s in alternating rounds: rxjs ÷ direct = **${ratio.toFixed(2)}** (medians ${ratioMed.toFixed(2)}). ` +
      'The rxjs path also pairs the two streams by time (jointAngles buffers the proximal stream and SLERPs it to each distal time) and builds a new quaternion array per block, which the direct path (same clock, index pairing, reused buffers) does not.',
  );
  return lines;
}

function fmtRate(x: number): string {
  return x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : `${(x / 1e3).toFixed(0)} k`;
}

const rowArg = process.argv.find((a) => a.startsWith('--row='));
if (import.meta.url === `file://${process.argv[1]}`) {
  if (rowArg) process.stdout.write(JSON.stringify(measureHere(Number(rowArg.slice(6)))));
  else console.log(throughputReport().join('\n'));
}
