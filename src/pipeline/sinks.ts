/**
 * Where `record` writes: a {@link BlockSink} gets every block, in order, as it streams. The
 * canonical-CSV sinks turn blocks into text pieces (one header per sensor, then one piece of
 * rows per block) and hand each piece to storage at once, so a crash or a closed tab loses at
 * most the block being written. {@link MemoryCsvSink} is browser-safe and IndexedDB-ready:
 * every piece is a small record `{ sensorId, seq, text }` that can be `put` into an object
 * store as it comes (`onPiece`) and concatenated by `seq` to rebuild the file. The Node file
 * sink is `csvFileSink` in `kinemetry/node`.
 */
import { CanonicalCsvWriter, canonicalChannelsOf } from '../io/canonicalCsvWriter';
import type { CanonicalCsvWriterOptions } from '../io/canonicalCsvWriter';
import type { SampleBlock } from '../samples/block';

export interface BlockSink {
  /** One block, in stream order. May return a promise; `record` waits for all of them before completing. */
  write(block: SampleBlock): void | Promise<void>;
  /** The stream ended (or failed): flush and release. */
  close?(): void | Promise<void>;
}

/** One piece of a canonical CSV file: the header (seq 0) or the rows of one block. */
export interface CsvPiece {
  readonly sensorId: string;
  readonly seq: number;
  readonly text: string;
}

/** Blocks → canonical CSV pieces per sensor (one file per sensor), handed to `append` in order. */
export class CanonicalCsvSink implements BlockSink {
  private readonly writers = new Map<string, { w: CanonicalCsvWriter; seq: number }>();
  constructor(
    private readonly append: (piece: CsvPiece) => void | Promise<void>,
    private readonly options: CanonicalCsvWriterOptions = {},
  ) {}
  write(block: SampleBlock): void | Promise<void> {
    const id = block.info.sensorId;
    let e = this.writers.get(id);
    let header: Promise<void> | void = undefined;
    if (!e) {
      const w = new CanonicalCsvWriter(block.info, canonicalChannelsOf(block, this.options), this.options);
      e = { w, seq: 0 };
      this.writers.set(id, e);
      header = this.append({ sensorId: id, seq: e.seq++, text: w.header() });
    }
    const rows = e.w.rows(block);
    const piece = { sensorId: id, seq: e.seq++, text: rows };
    if (header) return header.then(() => this.append(piece));
    return this.append(piece);
  }
}

/** Keeps the pieces in memory (and optionally forwards each one, e.g. to IndexedDB). */
export class MemoryCsvSink extends CanonicalCsvSink {
  readonly pieces: CsvPiece[] = [];
  constructor(onPiece?: (piece: CsvPiece) => void | Promise<void>, options: CanonicalCsvWriterOptions = {}) {
    super((p) => {
      this.pieces.push(p);
      return onPiece?.(p);
    }, options);
  }
  /** Sensor ids in order of first block. */
  get sensorIds(): string[] {
    return [...new Set(this.pieces.map((p) => p.sensorId))];
  }
  /** The canonical CSV file of one sensor, as written so far. */
  text(sensorId: string): string {
    return this.pieces
      .filter((p) => p.sensorId === sensorId)
      .sort((a, b) => a.seq - b.seq)
      .map((p) => p.text)
      .join('');
  }
}
