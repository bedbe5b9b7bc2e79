/**
 * A tiny in-process benchmark harness. Each case runs `iterations` calls per round, rounds
 * alternate between our implementation and its peer (so both see the same machine state),
 * and the median round gives ns per call. Ratios are ours ÷ peer: < 1 means we are faster.
 */
export interface BenchCase {
  readonly name: string;
  /** Calls per round; pick so that a round takes a few ms. */
  readonly iterations: number;
  readonly ours: (i: number) => void;
  /** A well-known implementation of the same job, run in the same process. */
  readonly peer?: { readonly name: string; readonly run: (i: number) => void };
}

export interface BenchResult {
  readonly name: string;
  readonly oursNsPerCall: number;
  readonly peerName?: string;
  readonly peerNsPerCall?: number;
  /** ours ÷ peer */
  readonly ratio?: number;
}

function round(fn: (i: number) => void, iterations: number): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn(i);
  return Number(process.hrtime.bigint() - t0) / iterations;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
}

export function runCase(c: BenchCase, rounds = 15): BenchResult {
  // Warm-up lets the JIT settle before anything is measured.
  for (let k = 0; k < 3; k++) {
    round(c.ours, c.iterations);
    if (c.peer) round(c.peer.run, c.iterations);
  }
  const ours: number[] = [];
  const peer: number[] = [];
  for (let k = 0; k < rounds; k++) {
    ours.push(round(c.ours, c.iterations));
    if (c.peer) peer.push(round(c.peer.run, c.iterations));
  }
  const o = median(ours);
  if (!c.peer) return { name: c.name, oursNsPerCall: o };
  const p = median(peer);
  return { name: c.name, oursNsPerCall: o, peerName: c.peer.name, peerNsPerCall: p, ratio: o / p };
}

/** A duration per call in the unit that keeps it readable. */
export function formatDuration(ns: number): string {
  if (ns < 1e3) return `${ns.toFixed(1)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(1)} µs`;
  return `${(ns / 1e6).toFixed(2)} ms`;
}

export function formatTable(results: readonly BenchResult[]): string {
  const lines = ['| case | kinemetry per call | peer | peer per call | ratio (ours/peer) |', '|---|---:|---|---:|---:|'];
  for (const r of results) {
    const peer = r.peerNsPerCall === undefined ? '—' : formatDuration(r.peerNsPerCall);
    lines.push(`| ${r.name} | ${formatDuration(r.oursNsPerCall)} | ${r.peerName ?? '—'} | ${peer} | ${r.ratio?.toFixed(2) ?? '—'} |`);
  }
  return lines.join('\n');
}
