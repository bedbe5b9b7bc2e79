/**
 * A tiny in-process benchmark harness. Each case runs `iterations` calls per round, rounds
 * alternate between our implementation and its peer (so both see the same machine state),
 * and gives ns per call as the median round and the fastest (min) round. On a shared, noisy
 * host other processes only ever add time, so the min is the steadier figure; both are
 * reported. Ratios are ours ÷ peer (< 1: we are faster): `ratio` from the medians,
 * `minRatio` from the mins — both sides have the same round structure (same iterations,
 * interleaved rounds), so min ÷ min compares like with like.
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
  /** Median round, ns per call. */
  readonly oursNsPerCall: number;
  /** Fastest round, ns per call (absent in results made before the harness reported it). */
  readonly oursMinNsPerCall?: number;
  readonly peerName?: string;
  readonly peerNsPerCall?: number;
  readonly peerMinNsPerCall?: number;
  /** ours ÷ peer, medians */
  readonly ratio?: number;
  /** ours ÷ peer, fastest rounds */
  readonly minRatio?: number;
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
  const oMin = Math.min(...ours);
  if (!c.peer) return { name: c.name, oursNsPerCall: o, oursMinNsPerCall: oMin };
  const p = median(peer);
  const pMin = Math.min(...peer);
  return {
    name: c.name,
    oursNsPerCall: o,
    oursMinNsPerCall: oMin,
    peerName: c.peer.name,
    peerNsPerCall: p,
    peerMinNsPerCall: pMin,
    ratio: o / p,
    minRatio: oMin / pMin,
  };
}

/** A duration per call in the unit that keeps it readable. */
export function formatDuration(ns: number): string {
  if (ns < 1e3) return `${ns.toFixed(1)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(1)} µs`;
  return `${(ns / 1e6).toFixed(2)} ms`;
}

/** "median (min)" of one side, or — when it was not measured. */
function pair(median: number | undefined, min: number | undefined): string {
  if (median === undefined) return '—';
  return min === undefined ? formatDuration(median) : `${formatDuration(median)} (${formatDuration(min)})`;
}

export function formatTable(results: readonly BenchResult[]): string {
  const lines = [
    '| case | kinemetry per call, median (min) | peer | peer per call, median (min) | ratio ours/peer, medians (mins) |',
    '|---|---:|---|---:|---:|',
  ];
  for (const r of results) {
    const ratio = r.ratio === undefined ? '—' : r.minRatio === undefined ? r.ratio.toFixed(2) : `${r.ratio.toFixed(2)} (${r.minRatio.toFixed(2)})`;
    lines.push(`| ${r.name} | ${pair(r.oursNsPerCall, r.oursMinNsPerCall)} | ${r.peerName ?? '—'} | ${pair(r.peerNsPerCall, r.peerMinNsPerCall)} | ${ratio} |`);
  }
  return lines.join('\n');
}
