/**
 * The performance sections of bench/RESULTS.md (issue #10): per stage, whole pipeline, rxjs
 * overhead, latency. Each is printed and, with `write`, replaces its marker section.
 */
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeResultsSection } from '../scripts/lib/results';
import { latencyReport } from './latency';
import { stagesReport } from './stages';
import { throughputReport } from './throughput';

function machine(): string {
  const model = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
  let nproc = '?';
  try {
    nproc = execSync('nproc').toString().trim();
  } catch {
    // not Linux: leave it unknown
  }
  return `${model}, nproc ${nproc}, Node ${process.version}, ${new Date().toISOString().slice(0, 16)} UTC, measured code: dist/ (built). ` +
    'The host was shared with other jobs (tests, benchmarks, training) while this ran: absolute figures are inflated and noisy; ratios in the same process are the reliable part.';
}

export function perfSections(write: boolean): void {
  const head = `Command: \`npm run bench -- --write\` (bench/run.ts → bench/perf.ts). ${machine()}`;
  const sections: [string, string, () => string[]][] = [
    ['bench:stages', '## Per stage, ns per sample (bench/stages.ts)', stagesReport],
    ['bench:throughput', '## Whole pipeline, samples/s, and rxjs overhead (bench/throughput.ts)', throughputReport],
    ['bench:latency', '## Live latency (bench/latency.ts)', latencyReport],
  ];
  for (const [name, title, make] of sections) {
    const lines = [title, '', head, '', ...make()];
    process.stdout.write(`\n${lines.join('\n')}\n`);
    if (write) writeResultsSection(name, lines);
  }
}
