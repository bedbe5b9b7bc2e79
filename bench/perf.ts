/**
 * The performance sections of bench/RESULTS.md (issue #10): per stage, whole pipeline, rxjs
 * overhead, latency. Each is printed and, with `write`, replaces its marker section.
 */
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeResultsSection } from '../scripts/lib/results';
import { fusionCases } from './fusion';
import { fusionBaselineCases } from './fusionBaselines';
import { formatDuration, runCase } from './harness';
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

/** Fusion per update (= per sample), from the fusion suites (owned there), with the `ahrs` peer ratios. */
function fusionRows(): string[] {
  const lines = ['', 'Fusion, per update = per sample (the cases of bench/fusion.ts and bench/fusionBaselines.ts, harness median of 15 rounds; peer = npm `ahrs` in the same process, alternating rounds):', '', '| filter | ns per sample | ahrs | ours ÷ ahrs | kinemetry faster by |', '|---|---:|---:|---:|---:|'];
  for (const c of [...fusionCases(), ...fusionBaselineCases()]) {
    if (c.iterations === 1 || c.name.includes('updateBlock')) continue; // whole-block cases: per block, not per sample
    const r = runCase(c);
    lines.push(`| ${r.name} | ${formatDuration(r.oursNsPerCall)} | ${r.peerNsPerCall === undefined ? '—' : formatDuration(r.peerNsPerCall)} | ${r.ratio?.toFixed(2) ?? '—'} | ${r.ratio ? `${(1 / r.ratio).toFixed(1)}×` : '—'} |`);
  }
  return lines;
}

export function perfSections(write: boolean): void {
  const head = `Command: \`npm run bench -- ${process.argv.slice(2).join(" ")}\` (bench/run.ts → bench/perf.ts). ${machine()}`;
  const sections: [string, string, () => string[]][] = [
    ['bench:stages', '## Per stage, ns per sample (bench/stages.ts)', () => [...stagesReport(), ...fusionRows()]],
    ['bench:throughput', '## Whole pipeline, samples/s, and rxjs overhead (bench/throughput.ts)', throughputReport],
    ['bench:latency', '## Live latency (bench/latency.ts)', latencyReport],
  ];
  for (const [name, title, make] of sections) {
    const lines = [title, '', head, '', ...make()];
    process.stdout.write(`\n${lines.join('\n')}\n`);
    if (write) writeResultsSection(name, lines);
  }
}
