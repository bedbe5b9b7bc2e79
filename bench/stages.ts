/**
 * Per-stage cost, ns per sample, over fixtures and a simulated session: parsing each main
 * format, joint angles (bound and 1-σ uncertainty), rep segmentation (streaming and offline),
 * quality. Fusion per update is in the fusion suites of `npm run bench` (bench/fusion*.ts).
 * Best of 9 rounds of a whole job (median in brackets) ÷ its samples.
 */
import { readFileSync } from 'node:fs';
import type { MovementSignal, Rep } from '../src/index';
import { readUciUnit } from '../scripts/lib/uciPt';
import lib from './lib';
import { timeRounds } from './rounds';
import { kneeSession, RATE_HZ } from './sessions';

const fixture = (p: string) => new URL(`../fixtures/${p}`, import.meta.url);
const DEG = 180 / Math.PI;

interface Row { readonly stage: string; readonly data: string; readonly samples: number; readonly fn: () => void }

export function stagesReport(): string[] {
  const csv = readFileSync(fixture('knee-flexion/thigh.csv'), 'utf8');
  const uciText = readFileSync(fixture('uci-pt/s1-e1-u2-test-first20s.txt'), 'utf8');
  const xsensText = readFileSync(fixture('xsens/MT_00B4A1C2_walk-000.txt'), 'utf8');
  const matBytes = new Uint8Array(readFileSync(fixture('broad/01_undisturbed_slow_rotation_A_slice.mat')));
  const count = (blocks: readonly { tS: Float64Array }[]) => blocks.reduce((n, b) => n + b.tS.length, 0);
  const csvN = count(lib.parseCanonicalCsv(csv));
  const uciOpts = { columns: 't=time index,ax=acc_x,ay=acc_y,az=acc_z,gx=gyr_x,gy=gyr_y,gz=gyr_z', rateHz: 25 };
  const uciN = count(lib.parseDelimited(uciText, uciOpts));
  const xsensN = count(lib.parseXsens(xsensText));
  const broadN = lib.readBroadTrial(matBytes).block.tS.length;

  // A 120 s knee session fused once (not measured): orientations for the angle stage, its knee angle for reps and quality.
  const s = kneeSession(2, 120);
  const n = s.samplesPerSensor;
  const qs = [0, 1].map((k) => {
    const f = new lib.Vqf({}, { rateHz: RATE_HZ });
    const q = new Float64Array(4 * n);
    let off = 0;
    for (const b of s.sensors[k]!) {
      const out = new Float64Array(4 * b.tS.length);
      f.updateBlock(b, out);
      q.set(out, off);
      off += out.length;
    }
    return q;
  });
  const tS = new Float64Array(n);
  { let off = 0; for (const b of s.sensors[0]!) { tS.set(b.tS, off); off += b.tS.length; } }
  const angles = (uncertainty: 'bound' | 'sigma') => {
    const stage = new lib.JointAngleStage({ joint: 'knee', proximal: { qSegSensor: s.mounts[0]!, orientationUncertaintyRad: 0.02 }, distal: { qSegSensor: s.mounts[1]!, orientationUncertaintyRad: 0.02 }, uncertainty });
    const qp = new Float64Array(4), qd = new Float64Array(4), out = new Float64Array(3), deg = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      stage.update(lib.quat.readAt(qp, qs[0]!, i), lib.quat.readAt(qd, qs[1]!, i), out);
      deg[i] = out[0]! * DEG;
    }
    return deg;
  };
  const knee: MovementSignal = { tS, angleDeg: angles('bound'), name: 'knee flexion' };
  const reps: readonly Rep[] = lib.countRepsOffline(knee).reps;
  if (reps.length < 5) throw new Error(`bench: only ${reps.length} reps in the knee session`);
  const uci = readUciUnit(fixture('uci-pt/s1-e1-u2-test-first20s.txt').pathname);
  const shank = s.sensors[1]!;

  const rows: Row[] = [
    { stage: 'parse canonical CSV', data: `fixtures/knee-flexion/thigh.csv (${csvN} rows, 10 columns)`, samples: csvN, fn: () => void lib.parseCanonicalCsv(csv) },
    { stage: 'parse delimited text + column map', data: `fixtures/uci-pt/s1-e1-u2-test-first20s.txt (UCI PT, ${uciN} rows)`, samples: uciN, fn: () => void lib.parseDelimited(uciText, uciOpts) },
    { stage: 'parse Xsens MT Manager text', data: `fixtures/xsens (${xsensN} rows)`, samples: xsensN, fn: () => void lib.parseXsens(xsensText) },
    { stage: 'read MATLAB .mat (BROAD trial)', data: `fixtures/broad slice (${broadN} samples)`, samples: broadN, fn: () => void lib.readBroadTrial(matBytes) },
    { stage: 'JointAngleStage, bound uncertainty (default)', data: `simulated knee, ${n} sample pairs`, samples: n, fn: () => void angles('bound') },
    { stage: "JointAngleStage, 1-σ uncertainty ('sigma')", data: `simulated knee, ${n} sample pairs`, samples: n, fn: () => void angles('sigma') },
    {
      stage: 'RepSegmenter (streaming), push per sample',
      data: `knee angle, ${n} samples, ${reps.length} reps`,
      samples: n,
      fn: () => {
        const seg = new lib.RepSegmenter();
        for (let i = 0; i < n; i++) seg.push(tS[i]!, knee.angleDeg[i]!);
        seg.finish();
      },
    },
    {
      stage: 'DominantRotationTracker (incl. its 6D VQF) + RepSegmenter',
      data: `simulated shank sensor, ${n} samples`,
      samples: n,
      fn: () => {
        const seg = new lib.RepSegmenter();
        const tr = new lib.DominantRotationTracker((t, a) => void seg.push(t, a), {}, RATE_HZ);
        for (const b of shank) tr.updateBlock(b);
        tr.finish();
        seg.finish();
      },
    },
    { stage: 'countRepsOffline (zero-phase smoothing + segmenter)', data: `knee angle, ${n} samples`, samples: n, fn: () => void lib.countRepsOffline(knee) },
    { stage: 'dominantRotationSignal (offline 6D VQF + axis + twist)', data: `UCI PT s1 e1 u2, first 20 s (${uci.tS.length} samples)`, samples: uci.tS.length, fn: () => void lib.dominantRotationSignal(uci) },
    { stage: 'allRepMetrics (ROM, phases, velocity, SPARC, LDLJ, consistency/DTW) per session', data: `knee angle, ${n} samples, ${reps.length} reps`, samples: n, fn: () => void lib.allRepMetrics(knee, reps) },
    { stage: 'scoreReps (metrics + scores) per session', data: `knee angle, ${n} samples, ${reps.length} reps`, samples: n, fn: () => void lib.scoreReps(knee, reps) },
  ];
  const lines = ['| stage | data | ns per sample | per job |', '|---|---|---:|---:|'];
  for (const r of rows) {
    const t = timeRounds(r.fn);
    lines.push(`| ${r.stage} | ${r.data} | ${((t.minMs * 1e6) / r.samples).toFixed(0)} (${((t.medianMs * 1e6) / r.samples).toFixed(0)}) | ${t.minMs.toFixed(2)} ms |`);
  }
  // Per-rep quality pieces on one rep of the session.
  const rep = reps[1]!;
  const i0 = lib.indexAtOrAfter(tS, rep.startS), i1 = lib.indexAtOrAfter(tS, rep.endS);
  const speed = lib.smoothedVelocity(knee, i0, i1, RATE_HZ).velocityDegS.map(Math.abs);
  const shapeA = lib.repShape(knee, reps[1]!.startS, reps[1]!.endS, reps[1]!.direction).curve, shapeB = lib.repShape(knee, reps[2]!.startS, reps[2]!.endS, reps[2]!.direction).curve;
  const per = (name: string, fn: () => void) => {
    const k = 200;
    const t = timeRounds(() => { for (let j = 0; j < k; j++) fn(); });
    return `${name} ${((t.minMs * 1e3) / k).toFixed(1)} µs`;
  };
  lines.push(
    '',
    `Per rep (rep 2 of the session, ${i1 - i0} samples): ${[
      per('repMetrics', () => void lib.repMetrics(knee, rep)),
      per('SPARC', () => void lib.sparc(speed, RATE_HZ)),
      per('LDLJ', () => void lib.logDimensionlessJerk(speed, RATE_HZ)),
      per(`DTW distance of two ${shapeA.length}-point shapes`, () => void lib.dtwDistance(shapeA, shapeB)),
    ].join('; ')}.`,
  );
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(stagesReport().join('\n'));
