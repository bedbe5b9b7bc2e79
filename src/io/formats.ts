/**
 * The table of recording formats kinemetry reads. Adding a format = one entry here. Detection
 * looks at the first chunk of a file; a file nothing claims is read as canonical CSV so that
 * its parser can say precisely what is wrong with it.
 */
import { CanonicalCsvParser } from './canonicalCsv';
import { detectDelimiter } from './canonicalColumns';
import { UnknownFormatError } from './errors';
import type { RecordingFormat } from './format';

export const canonicalCsvFormat: RecordingFormat = {
  name: 'canonical',
  description: "kinemetry's canonical CSV: # metadata, then t,ax,ay,az,gx,gy,gz[,mx,my,mz][,qw,qx,qy,qz] with optional [unit]s",
  extensions: ['.csv', '.tsv'],
  sniff(head: string): boolean {
    for (const raw of head.split('\n')) {
      const line = raw.replace(/^\uFEFF/, '').trim();
      if (line === '' || line.startsWith('#')) continue;
      const d = detectDelimiter(line);
      if (d === undefined) return false;
      const names = new Set(line.split(d).map((f) => f.trim().replace(/^"|"$/g, '').replace(/\s*\[.*$/, '').toLowerCase()));
      return ['t', 'ax', 'gx'].every((n) => names.has(n));
    }
    return false;
  },
  createParser: (options) => new CanonicalCsvParser(options),
};

/** All formats, in detection order. */
export const RECORDING_FORMATS: readonly RecordingFormat[] = [canonicalCsvFormat];

/** The format called `name`. Throws UnknownFormatError. */
export function getFormat(name: string): RecordingFormat {
  const f = RECORDING_FORMATS.find((x) => x.name === name.toLowerCase());
  if (!f) throw new UnknownFormatError(name, RECORDING_FORMATS.map((x) => x.name));
  return f;
}

/** The first format claiming this head of a file; canonical CSV when none does. */
export function detectFormat(head: string, fileName?: string): RecordingFormat {
  return RECORDING_FORMATS.find((f) => f.sniff(head, fileName)) ?? canonicalCsvFormat;
}

/** Whether a file name has an extension some format reads (for scanning session directories). */
export function isRecordingFileName(fileName: string): boolean {
  const lower = fileName.toLowerCase();
  return RECORDING_FORMATS.some((f) => f.extensions.some((e) => lower.endsWith(e)));
}
