/** `-o/--out` handling: a file written with backpressure, or the io's stdout. */
import { createWriteStream } from 'node:fs';
import { drained } from '../io/node/textSink';
import type { CliIo } from './command';

export interface Output {
  write(text: string): Promise<void>;
  /** Flush and close (a no-op for stdout). */
  close(): Promise<void>;
}

export async function openOutput(path: string | undefined, io: CliIo): Promise<Output> {
  if (path === undefined || path === '-') {
    return {
      write: async (text) => {
        io.stdout.write(text);
      },
      close: async () => {},
    };
  }
  const stream = createWriteStream(path);
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  let failure: Error | undefined;
  stream.on('error', (e) => {
    failure = e;
  });
  return {
    async write(text) {
      if (failure) throw failure;
      if (!stream.write(text)) await drained(stream);
      if (failure) throw failure;
    },
    async close() {
      if (failure) throw failure;
      await new Promise<void>((resolve, reject) => {
        stream.end((err?: Error | null) => (err ? reject(err) : resolve()));
      });
    },
  };
}

/** Write all of `text` to the output chosen by `-o`, then close it. */
export async function writeOutput(path: string | undefined, io: CliIo, text: string): Promise<void> {
  const out = await openOutput(path, io);
  await out.write(text);
  await out.close();
}
