/**
 * Recording while streaming: every block is handed to the sink (in order, synchronously as it
 * arrives) and passed on unchanged, so the live chain never waits for storage. Asynchronous
 * writes are chained in order; when the source completes, `record` waits for them and for
 * `sink.close()` before completing, and a failed write errors the stream.
 */
import { Observable } from 'rxjs';
import type { MonoTypeOperatorFunction } from 'rxjs';
import type { SampleBlock } from '../samples/block';
import type { BlockSink } from './sinks';

export function record(sink: BlockSink): MonoTypeOperatorFunction<SampleBlock> {
  return (source) =>
    new Observable<SampleBlock>((subscriber) => {
      let pending: Promise<void> = Promise.resolve();
      let failed = false;
      const fail = (err: unknown): void => {
        if (failed) return;
        failed = true;
        subscriber.error(err);
      };
      let closing: Promise<void> | undefined;
      /** Once: after every write so far. */
      const close = (): Promise<void> => (closing ??= pending.then(() => sink.close?.()));
      const sub = source.subscribe({
        next(b) {
          if (failed) return;
          try {
            const r = sink.write(b);
            // Only asynchronous writes are chained (a synchronous sink creates no promise per block).
            if (r) pending = pending.then(() => r).catch(fail);
          } catch (err) {
            fail(err);
            return;
          }
          subscriber.next(b);
        },
        error(err) {
          void close().finally(() => fail(err));
        },
        complete() {
          close().then(
            () => {
              if (!failed) subscriber.complete();
            },
            (err) => fail(err),
          );
        },
      });
      return () => {
        sub.unsubscribe();
        // Unsubscribed mid-stream: what was written stays written; release the sink.
        void close().catch(() => undefined);
      };
    });
}
