/**
 * `kinemetry classify <recording> [--model DIR]`: which exercise a recording shows, with the
 * learned recogniser (kinemetry/ml, tfjs) — the dominant exercise, its confidence, and the
 * segments (idle included). tfjs is imported only when this command runs.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readSession } from '../io/node/session';
import { UsageError, readerOptions } from './command';
import type { Command, CommandContext } from './command';
import { EXIT_OK, JointDataError } from './errors';
import { readOneSensor } from './jointCalibration';
import { writeOutput } from './output';

export const DEFAULT_MODEL = 'exercise-uci-v1';

/** The shipped model's directory: `models/` next to `dist/` (built) or two levels up (sources). */
export function defaultModelDir(): string {
  const here = import.meta.dirname;
  const cands = [join(here, '..', 'models', DEFAULT_MODEL), join(here, '..', '..', 'models', DEFAULT_MODEL)];
  return cands.find((c) => existsSync(join(c, 'model.json'))) ?? cands[1]!;
}

/**
 * The recogniser module (tfjs imported only now) and the model in `modelDir`; a model that
 * cannot be read is a JointDataError naming the option.
 */
export async function loadCliModel(modelDir: string) {
  const ml = await import('../ml/node');
  ml.quietTfjs();
  try {
    return { ml, model: await ml.loadExerciseModel(modelDir) };
  } catch (e) {
    throw new JointDataError(`--model ${modelDir}: ${(e as Error).message}`);
  }
}

async function run(ctx: CommandContext): Promise<number> {
  const { common, values, positionals, io } = ctx;
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'no recording given (a file, or a session directory with --sensor)' : `one recording at a time, got ${positionals.length}`);
  const path = positionals[0]!;
  const modelDir = (values.model as string | undefined) ?? defaultModelDir();
  const session = await readSession(path, readerOptions(common));
  const { sensor, block } = await readOneSensor(session.recordings, common.sensor, path, 2);
  const n = block.tS.length;
  const { ml, model } = await loadCliModel(modelDir);
  const c = ml.classifyRecording(model, block);
  if (common.json) {
    const json = { recording: path, sensor, model: modelDir, exercise: c.exercise, confidence: c.confidence, windows: c.windows, activeWindows: c.activeWindows, segments: c.segments };
    await writeOutput(common.out, io, `${JSON.stringify(json, null, 2)}\n`);
  } else {
    const dur = (block.tS[n - 1]! - block.tS[0]!).toFixed(1);
    const lines = [
      c.exercise === null ? `${path}: no exercise recognised (all ${c.windows} windows idle), sensor ${sensor}, ${dur} s` : `${path}: ${c.exercise} (confidence ${c.confidence.toFixed(2)}), sensor ${sensor}, ${dur} s, ${c.activeWindows} of ${c.windows} windows active`,
      ...c.segments.map((s) => `  ${s.startS.toFixed(1).padStart(7)}–${s.endS.toFixed(1).padEnd(7)} s  ${s.exercise.padEnd(28)} ${s.confidence.toFixed(2)}`),
    ];
    await writeOutput(common.out, io, `${lines.join('\n')}\n`);
  }
  model.net.dispose();
  return EXIT_OK;
}

export const classifyCommand: Command = {
  name: 'classify',
  summary: 'which exercise a recording shows (learned recogniser, tfjs)',
  usage: 'classify [options] <recording>',
  description: `
Recognises the exercise in a one-sensor recording with a small neural network (kinemetry/ml):
accelerometer + gyroscope resampled to the model's rate, 4-s windows every second (each with
features of the 24 s around it, the radius of rotation among them), each classified as one of
the model's exercises or idle; then each set (a run of non-idle windows) takes one exercise by
vote. Prints the recording's exercise (the class of most set windows) with its confidence, and
the segments (runs of windows of one class).
The shipped model (models/${DEFAULT_MODEL}) knows the 8 UCI PT exercises e1…e8 from a sensor
at the dataset's unit-2 placement (the trunk for e2); see its MODEL_CARD.md.`,
  options: {
    model: { type: 'string' },
  },
  optionsHelp: [['--model DIR', `model directory (model.json + weights.bin), default the shipped ${DEFAULT_MODEL}`]],
  run,
};
