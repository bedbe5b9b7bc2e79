/**
 * The table of recording formats kinemetry reads. Adding a format = one entry here. Detection
 * looks at the first chunk of a file; a file nothing claims is read by the format its extension
 * names (`.mat`, `.sto`), else as canonical CSV, so that a parser can say precisely what is
 * wrong with it.
 */
import { CanonicalCsvParser } from './canonicalCsv';
import { detectDelimiter } from './canonicalColumns';
import { UnknownFormatError } from './errors';
import type { RecordingFormat } from './format';
import { bidsMotionFormat } from './bids';
import { metaMotionFormat } from './metamotion';
import { matFormat } from './matFormat';
import { delimitedFormat } from './delimited';
import { stoFormat } from './sto';
import { xsensFormat } from './xsens';

export const canonicalCsvFormat: RecordingFormat = {
  name: 'canonical',
  description: "kinemetry's canonical CSV: # metadata, then t,ax,ay,az,gx,gy,gz[,mx,my,mz][,qw,qx,qy,qz] (or orientation-only t,qw,qx,qy,qz) with optional [unit]s",
  extensions: ['.csv', '.tsv'],
  sniff(head: string): boolean {
    for (const raw of head.split('\n')) {
      const line = raw.replace(/^\uFEFF/, '').trim();
      if (line === '' || line.startsWith('#')) continue;
      const d = detectDelimiter(line);
      if (d === undefined) return false;
      const names = new Set(line.split(d).map((f) => f.trim().replace(/^"|"$/g, '').replace(/\s*\[.*$/, '').toLowerCase()));
      return names.has('t') && ((names.has('ax') && names.has('gx')) || names.has('qw'));
    }
    return false;
  },
  createParser: (options) => new CanonicalCsvParser(options),
};

/** All formats, in detection order. */
export const RECORDING_FORMATS: readonly RecordingFormat[] = [canonicalCsvFormat, bidsMotionFormat, metaMotionFormat, matFormat, stoFormat, xsensFormat, delimitedFormat];

/** The format called `name`. Throws UnknownFormatError. */
export function getFormat(name: string): RecordingFormat {
  const f = RECORDING_FORMATS.find((x) => x.name === name.toLowerCase());
  if (!f) throw new UnknownFormatError(name, RECORDING_FORMATS.map((x) => x.name));
  return f;
}

/**
 * Extensions that name one format so surely that a file nothing recognises is still read by
 * it: its parser then says what is wrong in that format's terms (a damaged `.mat` fails at
 * byte 0 as "not a MAT-file", not as a CSV without a delimiter).
 */
const FORMAT_OF_EXTENSION: readonly (readonly [string, RecordingFormat])[] = [
  ['.mat', matFormat],
  ['.sto', stoFormat],
];

/** The first format claiming this head of a file; else the format its extension names; else canonical CSV. */
export function detectFormat(head: string, fileName?: string): RecordingFormat {
  const sniffed = RECORDING_FORMATS.find((f) => f.sniff(head, fileName));
  if (sniffed) return sniffed;
  const lower = fileName?.toLowerCase();
  return (lower !== undefined ? FORMAT_OF_EXTENSION.find(([ext]) => lower.endsWith(ext))?.[1] : undefined) ?? canonicalCsvFormat;
}

/**
 * Whether a file name has an extension some format reads (for scanning session directories).
 * With `head` (the start of the file), a file whose extension only other formats claim must
 * also be recognised by one of them: `.txt` is an Xsens export only if it looks like one, so a
 * README.txt in a session directory is skipped instead of failing the session. `.csv`/`.tsv`
 * files are always taken (canonical CSV's parser explains what is wrong with a bad one).
 */
export function isRecordingFileName(fileName: string, head?: string): boolean {
  const lower = fileName.toLowerCase();
  const claiming = RECORDING_FORMATS.filter((f) => f.extensions.some((e) => lower.endsWith(e)));
  if (claiming.length === 0) return false;
  if (head === undefined || claiming.includes(canonicalCsvFormat)) return true;
  return claiming.some((f) => f.sniff(head, fileName));
}
