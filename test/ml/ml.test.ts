/**
 * The exercise recogniser: training converges deterministically on a tiny simulated dataset,
 * and the shipped model classifies UCI PT fixtures. One tfjs import for the whole file.
 */
import { statSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { kneeFlexionScenario, shoulderAbductionScenario, simulate } from '../../src/sim';
import { readSession } from '../../src/io/node/session';
import { concatBlocks } from '../../src/samples/block';
import type { InertialBlock, SampleBlock } from '../../src/samples/block';
import * as ml from '../../src/ml/node';

function firstSensor(r: ReturnType<typeof simulate>): InertialBlock {
  const blocks = Object.values(r.blocks)[0]!;
  expect(blocks).toHaveLength(1);
  return blocks[0]!;
}

async function readOne(path: string, options = {}): Promise<SampleBlock> {
  const s = await readSession(path, options);
  const out: SampleBlock[] = [];
  for await (const b of s.recordings[0]!.blocks()) out.push(b);
  return out.length === 1 ? out[0]! : concatBlocks(out).block;
}

beforeAll(() => ml.quietTfjs());

describe('windowing', () => {
  it('resamples to the feature rate and cuts short windows with a hop, each with its context features', async () => {
    const sim = simulate(kneeFlexionScenario({ reps: 2, seed: 2 }), { rateHz: 100, durationS: 12 });
    const w = ml.blockFeatures(firstSensor(sim), { rateHz: 25, shortS: 4, longS: 8, hopS: 1 });
    expect(w.resampled.n).toBe(Math.floor((12 - 0.01) * 25 + 1e-9) + 1);
    expect(w.steps).toBe(100);
    expect(w.count).toBe(Math.floor((w.resampled.n - 100) / 25) + 1);
    expect(w.startS[1]! - w.startS[0]!).toBeCloseTo(1, 9);
    expect(w.x).toHaveLength(w.count * ml.FEATURE_LENGTH);
    for (const v of w.x) expect(Number.isFinite(v)).toBe(true);
  });
});

describe('trainExerciseModel', () => {
  const sessions = () => {
    const knee = simulate(kneeFlexionScenario({ reps: 4, seed: 3 }), { rateHz: 50, durationS: 40 });
    const shoulder = simulate(shoulderAbductionScenario({ reps: 4, seed: 3 }), { rateHz: 50, durationS: 40 });
    return [firstSensor(knee), firstSensor(shoulder)];
  };
  it('loss falls, and the same seed gives the same run', async () => {
    const s = sessions();
    const opts: ml.TrainOptions = { seed: 7, epochs: 4, validationEvery: 0, batchSize: 32, augmentCopies: 1 };
    const a = await ml.trainExerciseModel(s, ['knee', 'shoulder'], opts);
    const b = await ml.trainExerciseModel(s, ['knee', 'shoulder'], opts);
    const la = a.history.map((h) => h.loss);
    expect(la).toHaveLength(4);
    expect(la[3]!).toBeLessThan(la[0]! * 0.8);
    expect(b.history.map((h) => h.loss)).toEqual(la);
    expect(a.model.meta.classes).toEqual(['knee', 'shoulder', 'idle']);
    // Round trip through the files keeps the predictions.
    const files = await ml.exerciseModelFiles(a.model);
    const back = await ml.loadExerciseModel(files);
    expect(ml.classifyRecording(back, s[1]!)).toEqual(ml.classifyRecording(a.model, s[1]!));
    for (const r of [a, b]) r.model.net.dispose();
    back.net.dispose();
  });
});

describe('the shipped model (models/exercise-uci-v1)', () => {
  let model: ml.ExerciseModel;
  beforeAll(async () => {
    model = await ml.loadExerciseModel('models/exercise-uci-v1');
  });
  it('names its classes e1…e8 and idle', () => {
    expect(model.meta.classes).toHaveLength(9);
    expect(model.meta.classes.slice(0, 8).map((c) => c.split('-')[0])).toEqual(['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8']);
    expect(model.meta.classes[8]).toBe('idle');
  });
  it('recognises elbow flexion (e6) in the canonical-CSV fixture', async () => {
    const block = await readOne('fixtures/uci-pt/s1-e6-u2-test-first2sets.csv');
    const c = ml.classifyRecording(model, block);
    expect(c.exercise).toBe('e6-elbow-flexion');
    expect(c.confidence).toBeGreaterThan(0.8);
    // Two sets 7 s apart (hand labels: reps end 94 s, resume 101 s): one e6 run over nearly all of it.
    const e6S = c.segments.filter((s) => s.exercise === 'e6-elbow-flexion').reduce((t, s) => t + s.endS - s.startS, 0);
    expect(e6S / (block.tS.at(-1)! - block.tS[0]!)).toBeGreaterThan(0.9);
  });
  it('calls 40 s of stillness appended to the e6 fixture idle', async () => {
    const b = await readOne('fixtures/uci-pt/s1-e6-u2-test-first2sets.csv');
    if (!b.accMS2 || !b.gyrRadS) throw new Error('fixture without acc/gyro');
    const n = b.tS.length, extra = 40 * 25, dt = (b.tS[n - 1]! - b.tS[0]!) / (n - 1);
    const tS = new Float64Array(n + extra), acc = new Float64Array(3 * (n + extra)), gyr = new Float64Array(3 * (n + extra));
    tS.set(b.tS); acc.set(b.accMS2); gyr.set(b.gyrRadS);
    for (let i = n; i < n + extra; i++) {
      tS[i] = b.tS[n - 1]! + (i - n + 1) * dt;
      for (let k = 0; k < 3; k++) acc[3 * i + k] = b.accMS2[3 * (n - 1) + k]!;
    }
    const c = ml.classifyRecording(model, { info: b.info, tS, accMS2: acc, gyrRadS: gyr });
    expect(c.exercise).toBe('e6-elbow-flexion');
    const last = c.segments.at(-1)!;
    expect(last.exercise).toBe('idle');
    expect(last.endS - last.startS).toBeGreaterThan(30);
  });
  it('refuses a model of another format version with a clear error', async () => {
    const files = await ml.readExerciseModelDir('models/exercise-uci-v1');
    const meta = { ...(files.modelJson.userDefinedMetadata as object), version: 1 };
    await expect(ml.exerciseModelFromFiles({ ...files, modelJson: { ...files.modelJson, userDefinedMetadata: meta } }, 'old')).rejects.toThrow(/old: exercise model version 1 .* reads version 2/);
  });
  it('is small (model.json + weights.bin under 500 kB)', () => {
    const bytes = statSync('models/exercise-uci-v1/model.json').size + statSync('models/exercise-uci-v1/weights.bin').size;
    expect(bytes).toBeLessThan(500_000);
  });
  it('recognises the seated leg raise (e1) in the raw UCI fixture', async () => {
    const block = await readOne('fixtures/uci-pt/s1-e1-u2-test-first20s.txt', { format: 'delimited', rateHz: 25, columns: 't=time index,ax=acc_x,ay=acc_y,az=acc_z,gx=gyr_x,gy=gyr_y,gz=gyr_z' });
    const c = ml.classifyRecording(model, block);
    expect(c.exercise).toBe('e1-seated-leg-raise');
  });
});
