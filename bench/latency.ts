/**
 * Live latency, through the rxjs pipeline as an app runs it (a Subject fed block by block):
 *
 * 1. Sample in → angle out: thigh + shank blocks of 10 samples at 100 Hz (one BLE notification
 *    each), `fuseOrientation → jointAngles → segmentReps`; wall time from pushing the shank
 *    block (the second of the pair) to its `angles` event, per block. The angle of a sample
 *    comes out with the block that carries it (no signal-time wait when both sensors' blocks
 *    have arrived).
 * 2. Rep end → rep event: every UCI PT test recording of s1–s3 (exercises 1–8, the moving unit,
 *    25 Hz) streamed in blocks of `n` samples through `dominantRotation → segmentReps`; per
 *    counted rep, signal time from its end (`rep.endS`) to the last sample of the block whose
 *    push emitted the event (when a live app receives it, BLE transport not included), and the
 *    wall time spent processing that block. The first rep of each recording is reported apart
 *    (time to first event: it also waits for the axis warm-up), and the others by what ended
 *    them (`rep.endedBy`: the early stop at rest, or a slow path).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Subject } from 'rxjs';
import type { RepStreamEvent, SampleBlock } from '../src/index';
import { readUciUnit, uciMovingUnit, UCI_EXERCISES } from '../scripts/lib/uciPt';
import lib from './lib';
import { kneeSession } from './sessions';

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const median = (xs: number[]) => quantile(xs, 0.5);

function angleLatency(): string {
  const s = kneeSession(2, 120, 10);
  const input = new Subject<SampleBlock>();
  const joint = { joint: 'knee' as const, proximal: s.ids[0]!, distal: s.ids[1]! };
  const cal = { proximal: { qSegSensor: s.mounts[0]! }, distal: { qSegSensor: s.mounts[1]! } };
  let gotAt = 0n, gotSamples = 0;
  input.pipe(lib.fuseOrientation(), lib.jointAngles(joint, cal), lib.segmentReps()).subscribe((e: RepStreamEvent) => {
    if (e.type === 'angles') {
      gotAt = process.hrtime.bigint();
      gotSamples += e.chunk.tS.length;
    }
  });
  const us: number[] = [];
  let missing = 0;
  for (let b = 0; b < s.sensors[0]!.length; b++) {
    input.next(s.sensors[0]![b]!);
    gotAt = 0n;
    const before = gotSamples;
    const t0 = process.hrtime.bigint();
    input.next(s.sensors[1]![b]!);
    if (gotAt === 0n || gotSamples - before !== s.sensors[1]![b]!.tS.length) missing++;
    else if (b >= 100) us.push(Number(gotAt - t0) / 1e3); // after 1 s of warm-up (JIT)
  }
  input.complete();
  return `Sample in → angle out (wall time from the shank block's arrival to its angles event; 10-sample blocks at 100 Hz, thigh + shank, ${us.length} blocks after 1 s warm-up): ` +
    `median **${median(us).toFixed(1)} µs**, p99 ${quantile(us, 0.99).toFixed(1)} µs, max ${Math.max(...us).toFixed(0)} µs per block; ${missing === 0 ? 'every block\'s angles came out with that block (0 samples of signal-time delay)' : `${missing} blocks did not produce their angles at once`}.`;
}

interface RepLatency {
  signalS: number[];
  wallUs: number[];
  firstSignalS: number[];
  /** Per `rep.endedBy`, the signal latencies (first reps excluded). */
  byCause: Map<string, number[]>;
}

function repLatency(dir: string, blockSize: number): RepLatency {
  const r: RepLatency = { signalS: [], wallUs: [], firstSignalS: [], byCause: new Map() };
  for (const subject of ['s1', 's2', 's3']) {
    for (const e of UCI_EXERCISES) {
      const file = join(dir, subject, `e${e}`, uciMovingUnit(e), 'test.txt');
      const whole = readUciUnit(file);
      const input = new Subject<SampleBlock>();
      let blockEndS = 0, t0 = 0n, first = true;
      input.pipe(lib.dominantRotation(), lib.segmentReps()).subscribe((ev) => {
        if (ev.type !== 'rep' || ev.rep.partial) return;
        const lat = blockEndS - ev.rep.endS;
        (first ? r.firstSignalS : r.signalS).push(lat);
        if (!first) {
          const k = ev.rep.endedBy ?? '?';
          r.byCause.set(k, [...(r.byCause.get(k) ?? []), lat]);
        }
        first = false;
        r.wallUs.push(Number(process.hrtime.bigint() - t0) / 1e3);
      });
      const n = whole.tS.length;
      for (let i = 0; i < n; i += blockSize) {
        const j = Math.min(n, i + blockSize);
        const block: SampleBlock = { info: whole.info, tS: whole.tS.subarray(i, j), accMS2: whole.accMS2.subarray(3 * i, 3 * j), gyrRadS: whole.gyrRadS.subarray(3 * i, 3 * j) };
        blockEndS = whole.tS[j - 1]!;
        t0 = process.hrtime.bigint();
        input.next(block);
      }
      blockEndS = Infinity; // a rep emitted by finish() has no live latency
      input.complete();
    }
  }
  return r;
}

export function latencyReport(): string[] {
  const lines = [angleLatency(), ''];
  const dir = join(import.meta.dirname, '..', '..', 'shared', 'datasets', 'uci-pt');
  if (!existsSync(dir)) {
    lines.push(`Rep end → rep event: not measured (no UCI PT dataset at ${dir}).`);
    return lines;
  }
  lines.push(
    'Rep end → rep event, UCI PT s1–s3 × exercises 1–8 (test.txt, moving unit, 25 Hz), `dominantRotation → segmentReps`, counted reps; signal time = last sample of the emitting block − rep end (what a live app waits after the rep ends, BLE transport excluded). ' +
      'Median / p90 / max over every rep but the first of each recording; the first rep of each recording (time to first event: it also waits for the axis warm-up) separately:',
    '',
    '| block size | reps | median | p90 | max | time to first event: median / max | wall time in the emitting push: median / max |',
    '|---:|---:|---:|---:|---:|---:|---:|',
  );
  const causes: string[] = [];
  for (const blockSize of [1, 5]) {
    const r = repLatency(dir, blockSize);
    const ms = (s: number) => `${(s * 1e3).toFixed(0)} ms`;
    lines.push(
      `| ${blockSize} (${blockSize * 40} ms) | ${r.signalS.length + r.firstSignalS.length} | **${ms(median(r.signalS))}** | ${ms(quantile(r.signalS, 0.9))} | ${ms(Math.max(...r.signalS))} | ${ms(median(r.firstSignalS))} / ${ms(Math.max(...r.firstSignalS))} | ${median(r.wallUs).toFixed(0)} µs / ${(Math.max(...r.wallUs) / 1e3).toFixed(1)} ms |`,
    );
    if (blockSize === 1) {
      for (const [k, v] of [...r.byCause].sort((a, b) => b[1].length - a[1].length)) causes.push(`${k} ${v.length} (median ${ms(median(v))}, max ${ms(Math.max(...v))})`);
    }
  }
  lines.push(
    '',
    `By what ended the rep (\`rep.endedBy\`, 1-sample blocks, first reps excluded): ${causes.join('; ')}. ` +
      "'rest' = the early event (the lag-free lead signal stopped near rest); 'settle' = the slow path (the smoothed signal still near rest for settleS); " +
      "'rebound' = the next rep began before the rep settled (the max: s3 e3, a return that stopped 38 % of the ROM above the previous rest, which neither the early event nor settle accept, so it waits for the next rep).",
    '',
    'Target: median ≤ 150 ms after the rep ends.',
  );
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(latencyReport().join('\n'));
