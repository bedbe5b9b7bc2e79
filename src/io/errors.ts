/**
 * Errors of the recording readers and writers. A format error always names the place —
 * `file:line` (1-based) and the column when one is involved — so that a researcher can open
 * the file at the offending line.
 */

/** Where a {@link RecordingFormatError} happened. */
export interface RecordingLocation {
  /** File name as given by the caller; `<input>` when the text had no name. */
  readonly file?: string;
  /** 1-based line number. */
  readonly line: number;
  /** Column name from the header, when one column is at fault. */
  readonly column?: string;
}

/**
 * Text copied from a damaged file into a message, made printable on one line: line breaks and
 * other control characters become `\u000d`-style escapes (a binary file must not be able to
 * break the `file:line: what` line or send escape sequences to a terminal).
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A recording could not be read: its text does not follow the format. */
export class RecordingFormatError extends Error {
  override readonly name = 'RecordingFormatError';
  readonly file: string;
  readonly line: number;
  readonly column: string | undefined;
  /** The message without the `file:line:` prefix (control characters escaped, see {@link printable}). */
  readonly reason: string;

  constructor(reason: string, where: RecordingLocation) {
    const file = where.file ?? '<input>';
    const col = where.column !== undefined ? `column ${printable(where.column)}: ` : '';
    const shown = printable(reason);
    super(`${file}:${where.line}: ${col}${shown}`);
    this.file = file;
    this.line = where.line;
    this.column = where.column;
    this.reason = shown;
  }
}

/** Blocks handed to a writer cannot be written as asked (mixed sensors, missing channels, …). */
export class RecordingWriteError extends Error {
  override readonly name = 'RecordingWriteError';
}

/** A session (directory of recordings) is unusable as a whole: no recordings, duplicate sensors. */
export class SessionError extends Error {
  override readonly name = 'SessionError';
  readonly path: string;
  /** The message without the `path:` prefix. */
  readonly reason: string;

  constructor(reason: string, path: string) {
    super(`${path}: ${reason}`);
    this.path = path;
    this.reason = reason;
  }
}

/** `--format`/`format` option names a format kinemetry does not know. */
export class UnknownFormatError extends Error {
  override readonly name = 'UnknownFormatError';
  readonly formatName: string;

  constructor(formatName: string, known: readonly string[]) {
    super(`unknown recording format '${formatName}' (known: ${known.join(', ')})`);
    this.formatName = formatName;
  }
}
