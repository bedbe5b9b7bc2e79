/** Errors of the browser recording stores (IndexedDB, the origin private file system). */

/** A store refused a write or a read, or a stored recording is not whole. Names the store, recording and piece. */
export class RecordingStoreError extends Error {
  override readonly name = 'RecordingStoreError';
  constructor(
    /** `indexeddb` or `opfs`. */
    readonly store: string,
    readonly recordingId: string,
    /** Which piece: `sensor 'thigh' piece 12`, a file name, or '' for the store as a whole. */
    readonly where: string,
    readonly reason: string,
    override readonly cause?: unknown,
  ) {
    super(`${store} recording '${recordingId}'${where ? ` ${where}` : ''}: ${reason}`);
  }
}

/** The message of whatever a store threw (DOMException, Error, anything). */
export function describeError(err: unknown): string {
  const e = err as { name?: string; message?: string } | null;
  return e && (e.name || e.message) ? `${e.name ?? 'Error'}: ${e.message ?? ''}` : String(err);
}

/** One sensor's canonical CSV file, rebuilt from a store. */
export interface StoredRecordingFile {
  readonly sensorId: string;
  /** The canonical CSV text: replay it with `fromRecording(new Blob([text]), { file })`. */
  readonly text: string;
  /** Pieces (IndexedDB) or segment files (OPFS) it was rebuilt from. */
  readonly pieces: number;
}
