/**
 * Several live sensors merged in time order, as a multi-file replay is (blocks sorted by their
 * first sample): over Bluetooth one sensor's packets can arrive 100 ms or more after the
 * other's for the same moment, and KneeMeter pairs each shank sample with the thigh samples
 * already seen, so a shank block that overtook its thigh data would go unmeasured.
 * A block is held until every other sensor has delivered a block starting at or after it, or
 * until the newest data is `maxWaitS` past it (a sensor lagging or lost: the rest go on).
 * Times are the session clock (fromSensor with a shared `nowS`), so this is deterministic.
 */
import { Observable } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import type { SampleBlock } from '../../../src/index';

const startOf = (b: SampleBlock): number => b.tS[0] ?? Number.NEGATIVE_INFINITY;

export function inTimeOrder(sensorIds: readonly string[], maxWaitS = 0.5): OperatorFunction<SampleBlock, SampleBlock> {
  return (src) => new Observable<SampleBlock>((out) => {
    const latestStartS = new Map<string, number>(sensorIds.map((id) => [id, Number.NEGATIVE_INFINITY]));
    let newestS = Number.NEGATIVE_INFINITY;
    /** Held blocks, kept sorted by first sample (stable: equal starts keep arrival order). */
    const held: SampleBlock[] = [];
    const ready = (b: SampleBlock): boolean => {
      const t = startOf(b);
      if (newestS - t > maxWaitS) return true;
      for (const [id, s] of latestStartS) if (id !== b.info.sensorId && s < t) return false;
      return true;
    };
    const sub = src.subscribe({
      next: (b) => {
        const t = startOf(b);
        const id = b.info.sensorId;
        if (latestStartS.has(id)) latestStartS.set(id, Math.max(latestStartS.get(id)!, t));
        const n = b.tS.length;
        if (n > 0) newestS = Math.max(newestS, b.tS[n - 1]!);
        let k = held.length;
        while (k > 0 && startOf(held[k - 1]!) > t) k--;
        held.splice(k, 0, b);
        while (held.length > 0 && ready(held[0]!)) out.next(held.shift()!);
      },
      error: (e: unknown) => out.error(e),
      complete: () => { for (const b of held.splice(0)) out.next(b); out.complete(); },
    });
    return () => sub.unsubscribe();
  });
}
