/** Node: a model directory (model.json + weights.bin) read and written with node:fs. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WEIGHTS_FILE, exerciseModelFiles } from './model';
import type { ExerciseModel, ExerciseModelFiles } from './model';

/** A model directory's model.json (or the file itself) and the weights it names. */
export async function readExerciseModelDir(dirOrModelJson: string): Promise<ExerciseModelFiles> {
  const jsonPath = dirOrModelJson.endsWith('.json') ? dirOrModelJson : join(dirOrModelJson, 'model.json');
  const dir = jsonPath.slice(0, Math.max(0, jsonPath.length - (jsonPath.split(/[\\/]/).pop()!.length)));
  let modelJson: Record<string, unknown>;
  try {
    modelJson = JSON.parse(await readFile(jsonPath, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${jsonPath}: cannot read the model (${(e as Error).message})`);
  }
  const manifest = (modelJson.weightsManifest ?? []) as { paths: string[] }[];
  const parts: Uint8Array[] = [];
  for (const g of manifest) for (const p of g.paths) parts.push(await readFile(join(dir, p)));
  const total = parts.reduce((s, p) => s + p.byteLength, 0);
  const bytes = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    bytes.set(p, o);
    o += p.byteLength;
  }
  return { modelJson, weights: bytes.buffer };
}

/** Write model.json + weights.bin into `dir` (created if missing). */
export async function saveExerciseModel(model: ExerciseModel, dir: string): Promise<void> {
  const f = await exerciseModelFiles(model);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.json'), `${JSON.stringify(f.modelJson)}\n`);
  await writeFile(join(dir, WEIGHTS_FILE), new Uint8Array(f.weights));
}
