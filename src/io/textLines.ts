/**
 * Chunks → numbered lines, for the text readers that are not the canonical CSV (OpenSim .sto,
 * Xsens export, generic delimited). Chunks may be split anywhere, even inside a UTF-8
 * sequence or between `\r` and `\n`; a leading BOM is dropped; `\r\n` and `\n` both end a line.
 * A "line" longer than {@link MAX_LINE_CHARS} stops reading (binary input must not be buffered
 * whole).
 */
import { RecordingFormatError } from './errors';

/** A line longer than this is not a sensor row; stop before buffering an unbounded "line". */
export const MAX_LINE_CHARS = 1 << 20;

/** Receives each line without its terminator, with its 1-based number. */
export type LineHandler = (text: string, lineNo: number) => void;

export class TextLineSplitter {
  private readonly file: string | undefined;
  private readonly onLine: LineHandler;
  private decoder: TextDecoder | undefined;
  private rest = '';
  private started = false;
  private done = false;
  /** Lines handed out so far (= 1-based number of the last one). */
  lineNo = 0;

  constructor(file: string | undefined, onLine: LineHandler) {
    this.file = file;
    this.onLine = onLine;
  }

  /** Whether any non-empty chunk has arrived. */
  get hasInput(): boolean {
    return this.started;
  }

  push(chunk: string | Uint8Array): void {
    if (this.done) throw new Error('TextLineSplitter: push after finish');
    let text: string;
    if (typeof chunk === 'string') {
      text = chunk;
    } else {
      this.decoder ??= new TextDecoder('utf-8');
      text = this.decoder.decode(chunk, { stream: true });
    }
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const all = this.rest.length > 0 ? this.rest + text : text;
    let start = 0;
    for (let nl = all.indexOf('\n'); nl !== -1; nl = all.indexOf('\n', start)) {
      this.emit(all.slice(start, nl));
      start = nl + 1;
    }
    this.rest = start === 0 ? all : all.slice(start);
    if (this.rest.length > MAX_LINE_CHARS) {
      throw new RecordingFormatError(`line longer than ${MAX_LINE_CHARS} characters (not a text recording?)`, {
        file: this.file,
        line: this.lineNo + 1,
      });
    }
  }

  /** End of input: hands out the last, unterminated line (if any). */
  finish(): void {
    if (this.done) return;
    if (this.decoder) this.rest += this.decoder.decode();
    this.done = true;
    if (this.rest.length > 0) {
      const last = this.rest;
      this.rest = '';
      this.emit(last);
    }
  }

  private emit(raw: string): void {
    this.lineNo++;
    this.onLine(raw.length > 0 && raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw, this.lineNo);
  }
}

/** A field for an error message: trimmed, quoted, at most 40 characters. */
export function shownField(text: string): string {
  const t = text.trim();
  return JSON.stringify(t.length > 40 ? `${t.slice(0, 40)}…` : t);
}

/** Split a row; one empty trailing field (a delimiter at the end of every row) is dropped when the header had none. */
export function splitRow(text: string, delimiter: string, expected: number): string[] {
  const fields = text.split(delimiter);
  if (fields.length === expected + 1 && fields[expected]!.trim() === '') fields.pop();
  return fields;
}
