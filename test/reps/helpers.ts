/** Simulated rep signals with exact ground truth, for the segmenter tests. */
import { RepSequence, type RepSequenceParams } from '../../src/sim/reps';
import { Rng } from '../../src/sim/random';
import type { MovementSignal } from '../../src/reps/rep';

export interface SimSignalOptions {
  rateHz?: number;
  /** Extra still time after the last rep, s. */
  tailS?: number;
  /** White noise std, deg. */
  noiseDeg?: number;
  /** Linear drift, deg/s. */
  driftDegS?: number;
  seed?: number;
}

/** Angle (deg) of a RepSequence sampled at `rateHz`, with optional noise and drift. */
export function simSignal(p: RepSequenceParams, o: SimSignalOptions = {}): { signal: MovementSignal; seq: RepSequence } {
  const seq = new RepSequence(p);
  const rate = o.rateHz ?? 50;
  const n = Math.floor((seq.endS + (o.tailS ?? 3)) * rate) + 1;
  const tS = new Float64Array(n);
  const angleDeg = new Float64Array(n);
  const v = new Float64Array(3);
  const rng = new Rng(o.seed ?? 7, 'test', 'noise');
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    tS[i] = t;
    angleDeg[i] = (seq.evaluate(t, v)[0]! * 180) / Math.PI + (o.noiseDeg ?? 0) * rng.gaussian() + (o.driftDegS ?? 0) * t;
  }
  return { signal: { tS, angleDeg, name: 'sim' }, seq };
}
