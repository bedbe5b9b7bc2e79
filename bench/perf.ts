/**
 * The performance sections of bench/RESULTS.md (issue #10): per stage, whole pipeline, rxjs
 * overhead, latency. Each is printed and, with `write`, replaces its marker section.
 */
import { execSync } from 'node:child_process';
import { writeResultsSection } from '../scripts/lib/results';
import { fusionCases } from './fusion';
import { fusionBaselineCases } from './fusionBaselines';
import { formatDuration, runCase } from './harness';
import { loadLine, machineLine } from './host';
import { latencyReport } from './latency';
import { stagesReport } from './stages';
import { throughputReport } from './throughput';

function machine(): string {
  let nproc = '?';
  try {
    nproc = execSync('nproc').toString().trim();
  } catch {
    // not Linux: leave it unknown
  }
  return `${machineLine()}, nproc ${nproc}, measured code: dist/ (built).`;
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
    ['bench:stages', '## Per stage, ns per sample (bench/stages.ts)', () => {
      // Fusion first, while this process's JIT has seen nothing else (see bench/suite.ts).
      const fusion = fusionRows();
      return [...stagesReport(), ...fusion];
    }],
    ['bench:throughput', '## Whole pipeline, samples/s, and rxjs overhead (bench/throughput.ts)', throughputReport],
    ['bench:latency', '## Live latency (bench/latency.ts)', latencyReport],
  ];
  for (const [name, title, make] of sections) {
    const body = make();
    const lines = [title, '', `${head} ${loadLine()}.`, '', ...body];
    process.stdout.write(`\n${lines.join('\n')}\n`);
    if (write) writeResultsSection(name, lines);
  }
}
