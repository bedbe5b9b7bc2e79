/**
 * One sensor's automatic movement angle, live: {@link DominantRotationTracker} (no calibration,
 * no placement). The axis is fixed after a warm-up (the tracker holds those samples and then
 * delivers them), so the first chunks may come late and larger; at the end of the source the
 * held samples are flushed. A block with `gapBeforeS` becomes a NaN sample between the two
 * sides, so the segmenter restarts its smoothing there and flags a rep spanning it.
 */
import { Observable } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import type { DominantRotationParams } from '../reps/dominantRotationParams';
import { DominantRotationTracker } from '../reps/dominantRotation';
import { isInertial } from '../samples/block';
import type { SampleBlock } from '../samples/block';
import { ChunkBuilder } from './signal';
import type { AngleChunk } from './signal';

export interface DominantRotationOptions {
  /** The sensor to follow. Default: the first sensor with acc + gyr. */
  sensorId?: string;
  params?: Partial<DominantRotationParams>;
}

export function dominantRotation(options: DominantRotationOptions = {}): OperatorFunction<SampleBlock, AngleChunk> {
  return (source) =>
    new Observable<AngleChunk>((subscriber) => {
      let sensorId = options.sensorId;
      let tracker: DominantRotationTracker | undefined;
      let builder: ChunkBuilder | undefined;
      /** Session times at which a gap starts (after the previous sample), not yet delivered. */
      const gaps: number[] = [];
      let lastT = -Infinity;
      const sink = (tS: number, angleDeg: number): void => {
        while (gaps.length > 0 && gaps[0]! <= tS) {
          const g = gaps.shift()!;
          if (lastT > -Infinity && g > lastT) builder!.push(0.5 * (lastT + tS), NaN);
        }
        builder!.push(tS, angleDeg);
        lastT = tS;
      };
      const flush = (): void => {
        const c = builder?.take();
        if (c) subscriber.next(c);
      };
      return source.subscribe({
        next(b) {
          if (!isInertial(b)) return;
          sensorId ??= b.info.sensorId;
          if (b.info.sensorId !== sensorId) return;
          if (!tracker) {
            builder = new ChunkBuilder(`dominant rotation (sensor ${sensorId})`, [sensorId]);
            tracker = new DominantRotationTracker(sink, options.params, b.info.rateHz);
          }
          if (b.gapBeforeS !== undefined && b.gapBeforeS > 0) gaps.push(b.tS[0]!);
          tracker.updateBlock(b);
          flush();
        },
        error: (e) => subscriber.error(e),
        complete() {
          tracker?.finish();
          flush();
          subscriber.complete();
        },
      });
    });
}
