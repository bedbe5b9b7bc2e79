/**
 * Cut the BROAD test fixture out of the original trial: samples [7500, 10357) — 10 s at
 * 285.714 Hz — of 01_undisturbed_slow_rotation_A, every variable, values copied bit for bit,
 * written as a MAT v5 file with compressed elements (as the original). The slice holds an
 * optical dropout (NaN reference, samples 7749–7758) and the start of the movement phase
 * (sample 9656). See fixtures/README.md for attribution.
 *
 *   node --import tsx scripts/make-broad-slice.ts [path/to/01_undisturbed_slow_rotation_A.mat]
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readMat } from '../src/io/mat';
import type { MatArray } from '../src/io/mat';
import { writeMat } from '../src/io/matWriter';
import type { MatWriteVariable } from '../src/io/matWriter';

const BROAD_SLICE = { trial: '01_undisturbed_slow_rotation_A', start: 7500, end: 10357 } as const;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = process.argv[2] ?? join(root, '..', 'shared', 'datasets', 'broad', `${BROAD_SLICE.trial}.mat`);
const target = join(root, 'fixtures', 'broad', `${BROAD_SLICE.trial}_slice.mat`);

/** Rows [start, end) of an N×k column-major array, still column-major. */
function rows(a: MatArray, start: number, end: number): MatWriteVariable {
  const n = a.dims[0]!;
  const k = a.dims[1]!;
  const m = end - start;
  const data = new Float64Array(m * k);
  for (let j = 0; j < k; j++) data.set(a.data.subarray(j * n + start, j * n + end), j * m);
  return { name: a.name, className: a.className, dims: [m, k], data };
}

const mat = readMat(new Uint8Array(readFileSync(source)), source);
const out: MatWriteVariable[] = [];
for (const v of mat.variables.values()) {
  if (v.name === 'info') {
    const note = `\n\nSlice for kinemetry's tests: samples ${BROAD_SLICE.start}..${BROAD_SLICE.end - 1} (0-based) of the original trial, values unchanged (scripts/make-broad-slice.ts).`;
    out.push({ name: v.name, className: 'char', text: v.text! + note });
  } else if (v.dims[0] === 1 && v.dims[1] === 1) {
    out.push({ name: v.name, className: v.className, dims: [1, 1], data: v.data });
  } else {
    out.push(rows(v, BROAD_SLICE.start, BROAD_SLICE.end));
  }
}
mkdirSync(dirname(target), { recursive: true });
const bytes = writeMat(out, { headerText: `MATLAB 5.0 MAT-file, Platform: kinemetry, slice of BROAD ${BROAD_SLICE.trial}` });
writeFileSync(target, bytes);
console.log(`${target}: ${bytes.length} bytes, ${out.map((v) => v.name).join(', ')}`);
