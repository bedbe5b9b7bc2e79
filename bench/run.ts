/**
 * `npm run bench` — every benchmark in one process, printed as markdown: the per-call table,
 * then per-stage ns/sample (bench/stages.ts), whole-pipeline throughput and rxjs overhead
 * (bench/throughput.ts) and live latency (bench/latency.ts). `npm run bench -- --write` also
 * rewrites those sections of bench/RESULTS.md. `--only=perf` skips the per-call table.
 * The long run (`npm run bench:longrun`) and the bundle size (`npm run size`) are separate.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { formatDuration, formatTable, runCase, type BenchCase, type BenchResult } from './harness';
import { mathCases } from './math';
import { pipelineCases } from './pipeline';
import { fusionCases } from './fusion';
import { fusionBaselineCases } from './fusionBaselines';
import { perfSections } from './perf';

const suites: [string, () => BenchCase[]][] = [
  ['math', mathCases],
  ['pipeline', pipelineCases],
  ['fusion', fusionCases],
  ['fusion baselines', fusionBaselineCases],
];

const results: BenchResult[] = [];
const perfOnly = process.argv.includes('--only=perf');
for (const [suite, make] of perfOnly ? [] : suites) {
  for (const c of make()) {
    const r = runCase(c);
    results.push({ ...r, name: `${suite}: ${r.name}` });
    process.stderr.write(`${r.name}: ${formatDuration(r.oursNsPerCall)}${r.ratio ? ` (ratio ${r.ratio.toFixed(2)})` : ''}\n`);
  }
}
const header = `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${new Date().toISOString().slice(0, 10)}`;
const table = `${header}\n\n${formatTable(results)}\n`;
if (!perfOnly) process.stdout.write(table);

if (process.argv.includes('--write') && !perfOnly) {
  const path = new URL('./RESULTS.md', import.meta.url);
  const begin = '<!-- bench:begin -->';
  const end = '<!-- bench:end -->';
  const old = existsSync(path) ? readFileSync(path, 'utf8') : `# Benchmarks\n\n${begin}\n${end}\n`; // keeps the prose around the table
  const i = old.indexOf(begin);
  const j = old.indexOf(end);
  const next = i >= 0 && j > i ? `${old.slice(0, i + begin.length)}\n${table}${old.slice(j)}` : `${old}\n${begin}\n${table}${end}\n`;
  writeFileSync(path, next);
}

perfSections(process.argv.includes('--write'));
