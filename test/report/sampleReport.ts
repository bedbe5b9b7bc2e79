/**
 * A hand-built AnalysisReport for the report tests: two sets of raised-cosine reps with
 * holds at 60°, one partial rep, one gap, a template label per rep, and text fields that
 * need escaping when `hostile` is set.
 */
import { REP_GAP, REP_PARTIAL } from '../../src/reps/rep';
import type { Rep } from '../../src/reps/rep';
import type { ScoredRep, SessionSummary } from '../../src/quality/types';
import type { AnalysisReport } from '../../src/report/model';

export const HOSTILE = `<script>alert("x")</script> & 'quotes'`;

interface RepPlan {
  startS: number;
  riseS: number;
  holdS: number;
  fallS: number;
  romDeg: number;
  set: number;
}

function plans(): RepPlan[] {
  const out: RepPlan[] = [];
  let t = 2;
  for (let i = 0; i < 6; i++, t += 7) out.push({ startS: t, riseS: 1.5, holdS: 2, fallS: 1.5, romDeg: i === 4 ? 28 : 60 - i, set: 0 });
  t += 20;
  for (let i = 0; i < 5; i++, t += 4) out.push({ startS: t, riseS: 0.8, holdS: 0.5, fallS: 0.8, romDeg: 55, set: 1 });
  return out;
}

export function sampleReport(opts: { hostile?: boolean; withTemplate?: boolean } = {}): AnalysisReport {
  const rateHz = 25;
  const ps = plans();
  const endS = ps[ps.length - 1]!.startS + 8;
  const n = Math.round(endS * rateHz);
  const tS: number[] = [], angleDeg: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = i / rateHz;
    let a = 10 + 0.3 * Math.sin(7 * t);
    for (const p of ps) {
      const u = t - p.startS;
      if (u < 0 || u > p.riseS + p.holdS + p.fallS) continue;
      const rise = u < p.riseS ? (1 - Math.cos((Math.PI * u) / p.riseS)) / 2 : u < p.riseS + p.holdS ? 1 : (1 + Math.cos((Math.PI * (u - p.riseS - p.holdS)) / p.fallS)) / 2;
      a += p.romDeg * rise;
    }
    tS.push(t);
    angleDeg.push(t > 30 && t < 30.5 ? NaN : a); // a gap during rep 5's return
  }
  const labels = ['correct', 'correct', 'correct', 'too-low', 'too-low', 'correct', 'too-fast', 'too-fast', 'too-fast', 'too-fast', 'too-fast'];
  const reps: ScoredRep[] = ps.map((p, i) => {
    const partial = p.romDeg < 40;
    const gap = i === 4;
    const rep: Rep = {
      index: i, set: p.set, startS: p.startS, peakS: p.startS + p.riseS, holdEndS: p.startS + p.riseS + p.holdS,
      endS: p.startS + p.riseS + p.holdS + p.fallS, restDeg: 10, peakDeg: 10 + p.romDeg, romDeg: p.romDeg, direction: 1,
      partial, flags: (partial ? REP_PARTIAL : 0) | (gap ? REP_GAP : 0), latencyS: 0,
    };
    const durationS = p.riseS + p.holdS + p.fallS;
    const label = opts.hostile && i === 0 ? HOSTILE : labels[i]!;
    return {
      rep,
      metrics: {
        romDeg: p.romDeg, peakDeg: 10 + p.romDeg, timeToPeakS: p.riseS, holdS: p.holdS, concentricS: p.riseS, eccentricS: p.fallS, durationS,
        meanVelocityDegS: (2 * p.romDeg) / (p.riseS + p.fallS), peakVelocityDegS: (Math.PI / 2) * (p.romDeg / p.riseS),
        sparc: -1.6 - 0.01 * i, logDimensionlessJerk: -6.2 - 0.1 * i, consistency: partial ? 40 : 90, compensationDeg: NaN,
      },
      ...(opts.withTemplate ? { match: { label, score: label === 'correct' ? 92 : 55, reasons: label === 'correct' ? [] : [`tempo ${durationS.toFixed(1)} s vs 5.0 s in the template`], shapeDistanceDeg: 3 } } : {}),
      score: partial ? 30 : 85 - i,
      flags: [...(partial ? ['partial'] : []), ...(gap ? ['gap'] : []), ...(p.set === 1 ? ['too-fast'] : []), ...(opts.hostile && i === 1 ? [HOSTILE] : [])],
    };
  });
  const full = reps.filter((r) => !r.rep.partial);
  const set = (k: number, restBeforeS: number) => {
    const rs = reps.filter((r) => r.rep.set === k), fs = rs.filter((r) => !r.rep.partial);
    return {
      set: k, startS: rs[0]!.rep.startS, endS: rs[rs.length - 1]!.rep.endS, count: fs.length, partialCount: rs.length - fs.length, restBeforeS,
      meanRomDeg: fs.reduce((s, r) => s + r.metrics.romDeg, 0) / fs.length, meanDurationS: fs.reduce((s, r) => s + r.metrics.durationS, 0) / fs.length,
    };
  };
  const s0 = set(0, NaN);
  const session: SessionSummary = {
    count: full.length, partialCount: reps.length - full.length, sets: [s0, set(1, ps[6]!.startS - s0.endS)],
    romTrendDegPerRep: -0.6, tempoTrendSPerRep: -0.25, fatigue: false, pacing: 'ok',
    notes: ['set 2 is much faster than set 1', ...(opts.hostile ? [HOSTILE] : [])],
  };
  return {
    title: opts.hostile ? `Report ${HOSTILE}` : 'Elbow flexion — analysis',
    generator: 'kinemetry test',
    recording: { source: opts.hostile ? `dir/${HOSTILE}.csv` : 'fixtures/hand-made.csv', sensors: [{ name: opts.hostile ? HOSTILE : 'u2', samples: n, rateHz, device: 'hand-made' }], startS: 0, endS: tS[n - 1]! },
    exercise: opts.hostile ? HOSTILE : 'elbow flexion, sitting',
    signal: { name: opts.hostile ? `angle ${HOSTILE}` : 'dominant rotation (sensor u2)', tS, angleDeg, sourceSamples: n },
    reps,
    session,
    rom: { n, minDeg: 9.7, maxDeg: 70.3, rangeDeg: 60.6, tMinS: 0.2, tMaxS: 3.6, minUncertaintyDeg: 0.4, maxUncertaintyDeg: 0.4, rangeUncertaintyDeg: 0.8, noiseDeg: 0.2, timeAtEndRangeS: 8.1 },
    ...(opts.withTemplate ? { template: { source: opts.hostile ? HOSTILE : 'template.csv', reps: [{ startS: 1, endS: 6, label: 'correct' }, { startS: 8, endS: 10, label: opts.hostile ? HOSTILE : 'too-fast' }] } } : {}),
    notes: opts.hostile ? [HOSTILE] : [],
  };
}
