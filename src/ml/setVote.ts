/**
 * Sequence-level smoothing of window classes: a set is one exercise.
 *
 * Single windows confuse neighbouring exercises (one 4-s window of a prone elbow extension can
 * look like a shoulder abduction), but a set of repetitions does not change exercise halfway.
 * So: windows whose best class is not idle form sets (idle gaps up to `bridgeWindows` are bridged:
 * a rep's hold), each set takes the class with the largest summed probability over its windows
 * (idle left out and renormalised), and sets shorter than `minSetWindows` (a fidget) are idle.
 * No tfjs here: plain arrays in, plain arrays out.
 */

export interface SetVoteOptions {
  /**
   * Idle runs of at most this many windows inside a set join it. Default 6: with 4-s windows
   * every 1 s, a still stretch under 10 s (a rep's 5-s hold plus a pause — what the training
   * labels count as inside a set) leaves at most 6 windows wholly still.
   */
  readonly bridgeWindows?: number;
  /** Sets of fewer windows are idle. Default 3. */
  readonly minSetWindows?: number;
}

export interface SetVote {
  /** Class index per window after the vote. */
  readonly classes: Int32Array;
  /** Each set's window range [start, end) and class. */
  readonly sets: readonly { readonly start: number; readonly end: number; readonly cls: number; readonly score: number }[];
}

/** `p`: row-major count × classCount probabilities; `idle`: the idle class index (−1: none). */
export function setVote(p: ArrayLike<number>, count: number, classCount: number, idle: number, options: SetVoteOptions = {}): SetVote {
  const bridge = options.bridgeWindows ?? 6, minSet = options.minSetWindows ?? 3;
  const C = classCount;
  const out = new Int32Array(count);
  const active = new Uint8Array(count);
  for (let k = 0; k < count; k++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (p[k * C + c]! > p[k * C + best]!) best = c;
    out[k] = best;
    active[k] = best !== idle ? 1 : 0;
  }
  if (idle < 0) return { classes: out, sets: [] };
  const sets: { start: number; end: number; cls: number; score: number }[] = [];
  const score = new Float64Array(C);
  let k = 0;
  while (k < count) {
    if (!active[k]) { k++; continue; }
    // Extend the set while the next active window is at most `bridge` idle windows away.
    let end = k + 1, j = k + 1;
    while (j < count) {
      if (active[j]) { end = j + 1; j++; continue; }
      let g = j;
      while (g < count && !active[g] && g - j < bridge + 1) g++;
      if (g < count && active[g] && g - j <= bridge) { j = g; continue; }
      break;
    }
    if (end - k < minSet) {
      out.fill(idle, k, end);
    } else {
      score.fill(0);
      for (let w = k; w < end; w++) {
        const rest = 1 - p[w * C + idle]! || 1;
        for (let c = 0; c < C; c++) if (c !== idle) score[c]! += p[w * C + c]! / rest;
      }
      let cls = idle === 0 ? 1 : 0;
      for (let c = 0; c < C; c++) if (c !== idle && score[c]! > score[cls]!) cls = c;
      out.fill(cls, k, end);
      sets.push({ start: k, end, cls, score: score[cls]! / (end - k) });
    }
    k = end;
  }
  return { classes: out, sets };
}
