/** bench/RESULTS.md sections owned by one script each, between `<!-- NAME:begin -->` / `<!-- NAME:end -->` markers. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const RESULTS_PATH = join(import.meta.dirname, '..', '..', 'bench', 'RESULTS.md');

/** Replaces section `name` (markers included in `body`'s frame) or appends it; returns the file path. */
export function writeResultsSection(name: string, lines: readonly string[]): string {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const body = [begin, ...lines, end].join('\n');
  let text = readFileSync(RESULTS_PATH, 'utf8');
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a >= 0 && b > a) text = text.slice(0, a) + body + text.slice(b + end.length);
  else text = text.replace(/\n*$/, '\n\n') + body + '\n';
  writeFileSync(RESULTS_PATH, text);
  return RESULTS_PATH;
}
