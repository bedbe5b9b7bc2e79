/**
 * One benchmark suite in its own process (run by bench/run.ts): the JIT's type feedback is
 * per function and per process, so a suite that calls `quat.normalize` with plain arrays
 * (the math suite builds its inputs that way) made every later caller polymorphic — VQF 9D
 * measured 0.8 µs after the math suite and 0.55 µs alone, same build, same minute. Prints
 * the suite's results as JSON on stdout; progress on stderr.
 */
import { formatDuration, runCase, type BenchCase, type BenchResult } from './harness';
import { mathCases } from './math';
import { pipelineCases } from './pipeline';
import { fusionCases } from './fusion';
import { fusionBaselineCases } from './fusionBaselines';

export const SUITES: Readonly<Record<string, () => BenchCase[]>> = {
  math: mathCases,
  pipeline: pipelineCases,
  fusion: fusionCases,
  'fusion baselines': fusionBaselineCases,
};

const name = process.argv[2];
if (name !== undefined) {
  const make = SUITES[name];
  if (make === undefined) throw new Error(`bench/suite.ts: unknown suite "${name}" (one of ${Object.keys(SUITES).join(', ')})`);
  const results: BenchResult[] = [];
  for (const c of make()) {
    const r = runCase(c);
    results.push({ ...r, name: `${name}: ${r.name}` });
    process.stderr.write(`${r.name}: ${formatDuration(r.oursNsPerCall)}${r.ratio ? ` (ratio ${r.ratio.toFixed(2)})` : ''}\n`);
  }
  process.stdout.write(JSON.stringify(results));
}
