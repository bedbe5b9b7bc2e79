/**
 * Reps as they complete: a {@link RepSegmenter} over the movement signal. Every chunk is
 * passed through as an `angles` event, followed by a `rep` event for each rep its samples
 * completed; at the end of the source the segmenter's `finish()` may add one more (a rep cut
 * by the end: REP_TRUNCATED). Partial reps are emitted too (`rep.partial`), not counted.
 */
import { Observable } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import { RepSegmenter } from '../reps/segmenter';
import type { RepSegmenterParams } from '../reps/segmenterParams';
import type { AngleChunk, RepStreamEvent } from './signal';

export interface SegmentRepsOptions extends Partial<RepSegmenterParams> {
  /** Receives the segmenter (e.g. for `getState()` or its live phase). */
  onSegmenter?: (segmenter: RepSegmenter) => void;
}

export function segmentReps(options: SegmentRepsOptions = {}): OperatorFunction<AngleChunk, RepStreamEvent> {
  const { onSegmenter, ...params } = options;
  return (source) =>
    new Observable<RepStreamEvent>((subscriber) => {
      const seg = new RepSegmenter(params);
      onSegmenter?.(seg);
      return source.subscribe({
        next(chunk) {
          subscriber.next({ type: 'angles', chunk });
          for (const rep of seg.pushBlock(chunk.tS, chunk.angleDeg)) subscriber.next({ type: 'rep', rep });
        },
        error: (e) => subscriber.error(e),
        complete() {
          const rep = seg.finish();
          if (rep) subscriber.next({ type: 'rep', rep });
          subscriber.complete();
        },
      });
    });
}
