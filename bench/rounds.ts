/**
 * Timing for whole-job benches (one session per call): the best and the median of several
 * rounds after a warm-up. On a shared host the minimum is the figure least disturbed by other
 * processes; the median says how noisy it was.
 */
export interface Rounds {
  readonly minMs: number;
  readonly medianMs: number;
}

export function timeRounds(fn: () => void, rounds = 9, warmup = 2): Rounds {
  for (let k = 0; k < warmup; k++) fn();
  const ms: number[] = [];
  for (let k = 0; k < rounds; k++) {
    const t0 = process.hrtime.bigint();
    fn();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return { minMs: ms[0]!, medianMs: ms[ms.length >> 1]! };
}

/** Alternates two jobs round by round (same machine state for both); returns both timings. */
export function timePair(a: () => void, b: () => void, rounds = 9, warmup = 2): [Rounds, Rounds] {
  for (let k = 0; k < warmup; k++) {
    a();
    b();
  }
  const ta: number[] = [], tb: number[] = [];
  const once = (fn: () => void, into: number[]) => {
    const t0 = process.hrtime.bigint();
    fn();
    into.push(Number(process.hrtime.bigint() - t0) / 1e6);
  };
  for (let k = 0; k < rounds; k++) {
    once(a, ta);
    once(b, tb);
  }
  const r = (ms: number[]): Rounds => {
    ms.sort((x, y) => x - y);
    return { minMs: ms[0]!, medianMs: ms[ms.length >> 1]! };
  };
  return [r(ta), r(tb)];
}
