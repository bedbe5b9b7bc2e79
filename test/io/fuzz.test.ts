import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CanonicalCsvParser } from '../../src/io/canonicalCsv';
import { RecordingFormatError } from '../../src/io/errors';

/** Parse; only RecordingFormatError may escape. Returns the sample count or the error. */
function parseOrFormatError(chunks: (string | Uint8Array)[]): number | RecordingFormatError {
  const p = new CanonicalCsvParser({ file: 'fuzz.csv', blockSize: 7 });
  try {
    let n = 0;
    for (const c of chunks) for (const b of p.push(c)) n += b.tS.length;
    for (const b of p.finish()) n += b.tS.length;
    expect(n).toBe(p.samples);
    return n;
  } catch (e) {
    if (!(e instanceof RecordingFormatError)) throw e;
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(Number.isInteger(e.line)).toBe(true);
    expect(e.message).not.toContain('\n');
    return e;
  }
}

const TOKENS = [
  't', 'ax', 'ay', 'az', 'gx', 'gy', 'gz', 'mx', 'my', 'mz', 'qw', 'qx', 'qy', 'qz',
  '[ms]', '[g]', '[deg/s]', '[gauss]', '[uT]', '[furlong]', '[', ']',
  ',', ',', ',', ';', '\t', '\n', '\n', '\n', '\r\n', '\r', '#', '# sensor: ', '# side: ', '# rate_hz: ', ': ',
  ' ', '0', '1', '-2.5e3', '.5', 'NaN', 'inf', '-0', 'abc', '"', '\uFEFF', 'µ', '\u2028', '',
];
const csvish = fc.array(fc.constantFrom(...TOKENS), { maxLength: 120 }).map((a) => a.join(''));
const HEADER = 't,ax,ay,az,gx,gy,gz,mx,my,mz\n';

describe('canonical CSV reader never crashes', () => {
  it('on random bytes, in random chunks', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 1, max: 64 }), (bytes, size) => {
        const chunks: Uint8Array[] = [];
        for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
        parseOrFormatError(chunks);
      }),
      { numRuns: 300 },
    );
  });

  it('on random text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        parseOrFormatError([s]);
      }),
      { numRuns: 300 },
    );
  });

  it('on CSV-like token soup, split anywhere', () => {
    fc.assert(
      fc.property(csvish, fc.nat(), (s, cut) => {
        const k = cut % (s.length + 1);
        const whole = parseOrFormatError([s]);
        const split = parseOrFormatError([s.slice(0, k), s.slice(k)]);
        // Chunking never changes the outcome.
        if (typeof whole === 'number') expect(split).toBe(whole);
        else expect(split).toBeInstanceOf(RecordingFormatError);
        if (typeof whole !== 'number' && typeof split !== 'number') expect(split.message).toBe(whole.message);
      }),
      { numRuns: 300 },
    );
  });

  it('on a valid header followed by token soup', () => {
    fc.assert(
      fc.property(csvish, (s) => {
        parseOrFormatError([HEADER, s]);
      }),
      { numRuns: 300 },
    );
  });
});
