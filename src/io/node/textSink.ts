/**
 * A text file written piece by piece with backpressure, removed again if writing fails (a
 * half-written recording is worse than none).
 */
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';

export class TextSink {
  readonly path: string;
  private stream: WriteStream | undefined;
  private failure: Error | undefined;

  constructor(path: string) {
    this.path = path;
  }

  private async opened(): Promise<WriteStream> {
    if (!this.stream) {
      const s = createWriteStream(this.path);
      this.stream = s;
      s.on('error', (e) => {
        this.failure = e;
      });
      await Promise.race([once(s, 'open'), once(s, 'close')]).catch(() => undefined);
    }
    if (this.failure) throw this.failure;
    return this.stream;
  }

  async write(text: string): Promise<void> {
    if (text === '') return;
    const s = await this.opened();
    if (!s.write(text)) await drained(s);
    if (this.failure) throw this.failure;
  }

  /** Flush and close (an unwritten sink leaves an empty file). */
  async close(): Promise<void> {
    const s = await this.opened();
    await new Promise<void>((resolve, reject) => s.end((err?: Error | null) => (err ? reject(err) : resolve())));
    if (this.failure) throw this.failure;
  }

  /** Close and delete (after an error). Never throws. */
  async discard(): Promise<void> {
    const s = this.stream;
    if (s && !s.closed) {
      const closed = once(s, 'close').catch(() => undefined);
      s.destroy();
      await closed;
    }
    await rm(this.path, { force: true }).catch(() => undefined);
  }
}

/** Resolves on 'drain' or 'close', leaving no listener behind (once() per write would pile up). */
export function drained(s: NodeJS.EventEmitter): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      s.off('drain', done);
      s.off('close', done);
      resolve();
    };
    s.on('drain', done);
    s.on('close', done);
  });
}
