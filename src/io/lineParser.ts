/**
 * What every line-oriented text parser shares (`.sto`, Xsens `.txt`, delimited text): chunks
 * in, lines out through {@link TextLineSplitter}, samples packed into bounded blocks by a
 * {@link BlockPacker}, the source line of each sample kept in a {@link LineMap}. A subclass
 * only says what a line means (`line`) and what a complete recording needs (`checkComplete`).
 */
import type { SampleBlock } from '../samples/block';
import type { BlockPacker } from './blockPacker';
import { LineMap } from './blockPacker';
import { DEFAULT_BLOCK_SIZE } from './canonicalCsv';
import { RecordingFormatError } from './errors';
import type { ChunkParser, ChunkParserOptions, RecordingHeader } from './format';
import { TextLineSplitter } from './textLines';

export abstract class LineChunkParser implements ChunkParser {
  protected readonly file: string | undefined;
  protected readonly blockSize: number;
  protected readonly lines: TextLineSplitter;
  protected readonly lineMap = new LineMap();
  protected headerInfo: RecordingHeader | undefined;
  /** Created once the header says which channels there are. */
  protected packer: BlockPacker | undefined;
  /** Blocks completed since the last `push`/`finish` returned. */
  protected out: SampleBlock[] = [];
  private finished = false;

  /** `parserName` appears in programming-error messages (push after finish). */
  protected constructor(
    private readonly parserName: string,
    options: ChunkParserOptions,
  ) {
    this.file = options.file;
    this.blockSize = options.blockSize ?? DEFAULT_BLOCK_SIZE;
    if (!Number.isInteger(this.blockSize) || this.blockSize < 1) throw new RangeError(`blockSize must be a positive integer, got ${this.blockSize}`);
    this.lines = new TextLineSplitter(options.file, (text, lineNo) => this.line(text, lineNo));
  }

  /** One complete line of the source (1-based `lineNo`, without its line break). */
  protected abstract line(text: string, lineNo: number): void;

  /** Called once at the end of input: throw a RecordingFormatError if the recording is incomplete. */
  protected abstract checkComplete(): void;

  get header(): RecordingHeader | undefined {
    return this.headerInfo;
  }

  get samples(): number {
    return this.packer?.samples ?? 0;
  }

  lineOfSample(index: number): number | undefined {
    return this.lineMap.lineOf(index);
  }

  push(chunk: string | Uint8Array): SampleBlock[] {
    if (this.finished) throw new Error(`${this.parserName}: push after finish`);
    this.lines.push(chunk);
    return this.take();
  }

  finish(): SampleBlock[] {
    if (this.finished) return [];
    this.lines.finish();
    this.finished = true;
    this.checkComplete();
    this.packer?.flush(this.out);
    return this.take();
  }

  protected take(): SampleBlock[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  protected fail(reason: string, line: number, column?: string): never {
    throw new RecordingFormatError(reason, column === undefined ? { file: this.file, line } : { file: this.file, line, column });
  }
}
