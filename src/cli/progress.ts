/**
 * Progress bar on stderr for long inputs: `[#####-----]  42 %  120.5 / 287.0 MB`, driven by
 * the bytes read out of the inputs' total size. Shown only when stderr is a terminal (never
 * in pipes, logs or tests) and the input is large enough to take a while; redrawn at most
 * 10 times a second and erased when done, so it never mixes with the command's output.
 */
import type { CliIo } from './command';

export interface Progress {
  /** `bytes` more have been read. */
  add(bytes: number): void;
  /** Erase the bar (idempotent). */
  done(): void;
}

/** Inputs smaller than this finish before a bar would help. */
export const PROGRESS_MIN_BYTES = 8 << 20;
const REDRAW_MS = 100;
const NO_PROGRESS: Progress = { add: () => {}, done: () => {} };

interface TtyLike {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

/** The bar line for `done` of `total` bytes, fitting `width` columns. */
export function progressLine(label: string, done: number, total: number, width: number): string {
  const frac = total > 0 ? Math.min(1, done / total) : 1;
  const tail = ` ${String(Math.floor(frac * 100)).padStart(3)} %  ${mb(done)} / ${mb(total)} MB`;
  const head = `${label} `;
  const barWidth = Math.max(10, Math.min(40, width - head.length - tail.length - 3));
  const filled = Math.round(frac * barWidth);
  return `${head}[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]${tail}`;
}

/** A bar for `totalBytes` on `io.stderr`, or a no-op when it should not be shown. */
export function createProgress(io: CliIo, totalBytes: number, label: string, now: () => number = Date.now): Progress {
  const err = io.stderr as TtyLike;
  if (err.isTTY !== true || totalBytes < PROGRESS_MIN_BYTES) return NO_PROGRESS;
  let read = 0;
  let last = -Infinity;
  let shown = false;
  let finished = false;
  const draw = () => {
    err.write(`\r${progressLine(label, read, totalBytes, err.columns || 80)}`);
    shown = true;
  };
  return {
    add(bytes: number) {
      if (finished) return;
      read += bytes;
      const t = now();
      if (t - last >= REDRAW_MS) {
        last = t;
        draw();
      }
    },
    done() {
      if (finished) return;
      finished = true;
      if (shown) err.write('\r\x1b[K');
    },
  };
}
