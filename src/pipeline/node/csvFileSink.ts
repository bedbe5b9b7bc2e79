/**
 * Node: record to canonical CSV files, one per sensor (`<dir>/<prefix><sensorId>.csv`),
 * appended block by block with synchronous writes: when `write` returns, the block's rows are
 * in the OS, so a crash of the process keeps everything up to the last block (the file reads
 * back with `readRecording`). Pass `fsync: true` to also survive a power cut, at a cost per block.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { CanonicalCsvWriterOptions } from '../../io/canonicalCsvWriter';
import { CanonicalCsvSink } from '../sinks';

export interface CsvFileSinkOptions extends CanonicalCsvWriterOptions {
  /** File name prefix. Default ''. */
  prefix?: string;
  /** fsync after every block. Default false. */
  fsync?: boolean;
}

export class CsvFileSink extends CanonicalCsvSink {
  /** The file of each sensor written so far. */
  readonly files = new Map<string, string>();
  private readonly fds = new Map<string, number>();
  constructor(
    readonly dir: string,
    options: CsvFileSinkOptions = {},
  ) {
    super((piece) => {
      let fd = this.fds.get(piece.sensorId);
      if (fd === undefined) {
        mkdirSync(dir, { recursive: true });
        const path = join(dir, `${options.prefix ?? ''}${piece.sensorId.replace(/[^A-Za-z0-9._-]/g, '_')}.csv`);
        fd = openSync(path, 'w');
        this.fds.set(piece.sensorId, fd);
        this.files.set(piece.sensorId, path);
      }
      writeSync(fd, piece.text);
      if (options.fsync) fsyncSync(fd);
    }, options);
  }
  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}

/** A {@link CsvFileSink} writing into `dir`. */
export function csvFileSink(dir: string, options: CsvFileSinkOptions = {}): CsvFileSink {
  return new CsvFileSink(dir, options);
}
