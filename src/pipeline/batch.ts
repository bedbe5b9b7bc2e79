/**
 * Batching for slow consumers. Every operator here is synchronous per block, so a chain keeps
 * up as long as each block is processed faster than blocks arrive (a 100 Hz sensor sends
 * ~10–50 blocks/s; a block of the chain costs µs). For a consumer that is slower per call — a
 * chart redraw, a network upload, an IndexedDB transaction — group blocks first:
 * `bufferTime(200)` or `bufferCount(20)` from rxjs, then `coalesceBlocks()` to join each group
 * into one block per sensor. Nothing is dropped: BLE notifications cannot be paused, so the
 * pipeline never throttles or samples; a consumer that cannot keep up at all should record
 * (`record`) and process the recording afterwards.
 */
import { map } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import { concatBlocks } from '../samples/block';
import type { SampleBlock } from '../samples/block';

/**
 * Groups of blocks (from `bufferTime` / `bufferCount`) → one block per sensor per group, in
 * order of first appearance. A block with `gapBeforeS` starts a new block (gaps stay marked).
 */
export function coalesceBlocks(): OperatorFunction<readonly SampleBlock[], SampleBlock[]> {
  return map((group) => {
    const out: SampleBlock[] = [];
    const runs = new Map<string, SampleBlock[]>();
    const order: SampleBlock[][] = [];
    for (const b of group) {
      const id = b.info.sensorId;
      let run = runs.get(id);
      if (!run || (b.gapBeforeS ?? 0) > 0) {
        run = [];
        runs.set(id, run);
        order.push(run);
      }
      run.push(b);
    }
    for (const run of order) out.push(run.length === 1 ? run[0]! : withGap(concatBlocks(run).block, run[0]!.gapBeforeS));
    return out;
  });
}

function withGap(b: SampleBlock, gapBeforeS: number | undefined): SampleBlock {
  return gapBeforeS !== undefined && gapBeforeS > 0 ? { ...b, gapBeforeS } : b;
}
