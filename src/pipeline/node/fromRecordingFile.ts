/** Node: a recording file or session directory as an Observable of blocks. */
import type { Observable } from 'rxjs';
import { readRecording } from '../../io/node/recordingFile';
import type { ReadRecordingOptions } from '../../io/node/recordingFile';
import { readSession } from '../../io/node/session';
import type { ReadSessionOptions } from '../../io/node/session';
import type { SampleBlock } from '../../samples/block';
import { fromRecording } from '../fromRecording';

/** The blocks of one recording file (streamed from disk; bounded memory). */
export function fromRecordingFile(path: string, options: ReadRecordingOptions = {}): Observable<SampleBlock> {
  return fromRecording(readRecording(path, options));
}

/**
 * The blocks of every sensor of a session (a directory of recordings, or one file), interleaved
 * by time as `readSession(...).blocks()` reads them: what several live sensors would deliver.
 */
export function fromSession(path: string, options: ReadSessionOptions & { sensorIds?: readonly string[] } = {}): Observable<SampleBlock> {
  const { sensorIds, ...rest } = options;
  return fromRecording({
    async *[Symbol.asyncIterator]() {
      const session = await readSession(path, rest);
      yield* session.blocks(sensorIds);
    },
  });
}
