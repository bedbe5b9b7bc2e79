/**
 * Errors of the MAT-file reader. A binary file has no lines, so the place is a byte offset:
 * the message reads `file: byte 1234: what is wrong` and `line` is 0 (the convention for
 * headerless binary formats, as in {@link RecordingHeader.line}). Inside a compressed element
 * the offset is that of the compressed element in the file, and the message adds the offset
 * within its inflated content.
 */
import { RecordingFormatError } from './errors';

export class MatFormatError extends RecordingFormatError {
  /** Byte offset in the file where the problem is (undefined when it concerns the file as a whole). */
  readonly byteOffset: number | undefined;

  constructor(reason: string, file: string | undefined, byteOffset?: number) {
    super(byteOffset !== undefined ? `byte ${byteOffset}: ${reason}` : reason, { file, line: 0 });
    this.byteOffset = byteOffset;
    // `file: byte N: …` rather than the text formats' `file:line: …`.
    this.message = `${this.file}: ${this.reason}`;
  }
}
