/**
 * `npm run bench` — every benchmark in one process, printed as markdown: the per-call table,
 * then per-stage ns/sample (bench/stages.ts), whole-pipeline throughput and rxjs overhead
 * (bench/throughput.ts) and live latency (bench/latency.ts). `npm run bench -- --write` also
 * rewrites those sections of bench/RESULTS.md. `--only=perf` skips the per-call table.
 * Each suite runs in its own process (bench/suite.ts); ratios are between cases of one process.
 * The long run (`npm run bench:longrun`) and the bundle size (`npm run size`) are separate.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { formatTable, type BenchResult } from './harness';
import { loadLine, machineLine } from './host';
import { perfSections } from './perf';

// Suite names as in bench/suite.ts, each run in a fresh process (see there for why).
const suites = ['math', 'pipeline', 'fusion', 'fusion baselines'];

const results: BenchResult[] = [];
const perfOnly = process.argv.includes('--only=perf');
for (const suite of perfOnly ? [] : suites) {
  const out = execFileSync(process.execPath, ['--import', 'tsx', new URL('./suite.ts', import.meta.url).pathname, suite], { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
  results.push(...(JSON.parse(out.toString()) as BenchResult[]));
}
const header = `${machineLine()}; ${loadLine()}`;
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
