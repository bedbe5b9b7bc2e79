/** Test helpers: simulated rep sequences as MovementSignals with their truth as Reps. */
import type { MovementSignal, Rep } from '../../src/reps/rep';
import { RepSequence, type RepSequenceParams } from '../../src/sim/reps';
import { Rng } from '../../src/sim/random';

const DEG = 180 / Math.PI;

export interface SimSession {
  signal: MovementSignal;
  reps: Rep[];
  seq: RepSequence;
}

/** Sample a RepSequence at `rateHz` (plus `tailS` of rest), optionally with white noise (deg). */
export function simSession(p: RepSequenceParams, opts: { rateHz?: number; tailS?: number; noiseDeg?: number; name?: string; seed?: number } = {}): SimSession {
  const seq = new RepSequence(p);
  const rate = opts.rateHz ?? 100;
  const n = Math.ceil((seq.endS + (opts.tailS ?? 1)) * rate);
  const tS = new Float64Array(n), angleDeg = new Float64Array(n), o = new Float64Array(3);
  const rng = new Rng(opts.seed ?? 7, 'test', 'noise');
  for (let i = 0; i < n; i++) {
    tS[i] = i / rate;
    angleDeg[i] = seq.evaluate(tS[i]!, o)[0]! * DEG + (opts.noiseDeg ? opts.noiseDeg * rng.gaussian() : 0);
  }
  const reps: Rep[] = seq.reps.map((r) => ({
    index: r.index,
    set: r.set,
    startS: r.startS,
    peakS: r.peakS,
    holdEndS: r.holdEndS,
    endS: r.endS,
    restDeg: seq.restRad * DEG,
    peakDeg: r.peakRad * DEG,
    romDeg: Math.abs(r.amplitudeRad) * DEG,
    direction: r.amplitudeRad >= 0 ? 1 : -1,
    partial: r.partial,
    flags: 0,
    latencyS: 0,
  }));
  return { signal: { tS, angleDeg, name: opts.name ?? 'sim angle' }, reps, seq };
}

/** The same rep window padded by `padS` of rest on both sides (as a loose hand label would be). */
export function padded(r: Rep, padS: number): Rep {
  return { ...r, startS: r.startS - padS, endS: r.endS + padS };
}
