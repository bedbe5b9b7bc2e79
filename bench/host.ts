/**
 * The machine a benchmark ran on, and how busy it was. Figures from a shared host are only
 * comparable with the load beside them: the 1-minute load average is read when a run starts
 * and when it ends (on a 2-core machine, ≥ 2 means the benchmark was competing for a core).
 */
import { cpus, loadavg } from 'node:os';

const startLoad = loadavg()[0]!;

export function machineLine(): string {
  return `${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, Node ${process.version}, ${new Date().toISOString().slice(0, 16)} UTC`;
}

/** "load average 0.4 at start, 1.1 at end (2 cores)": call at the end of the run. */
export function loadLine(): string {
  const end = loadavg()[0]!;
  const n = cpus().length;
  const busy = Math.max(startLoad, end) >= n ? '; other jobs competed for the cores, so absolute times are inflated (ratios in one process hold better)' : '';
  return `1-min load average ${startLoad.toFixed(1)} at start, ${end.toFixed(1)} at end (${n} cores)${busy}`;
}
