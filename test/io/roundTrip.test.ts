import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CanonicalCsvParser, parseCanonicalCsv } from '../../src/io/canonicalCsv';
import { CanonicalCsvWriter, canonicalCsvText, formatCanonicalCsv } from '../../src/io/canonicalCsvWriter';
import { RecordingWriteError } from '../../src/io/errors';
import { knownKey } from '../../src/io/metadata';
import { formatNumberField, parseNumberField } from '../../src/io/numberField';
import { concatBlocks, createBlock } from '../../src/samples/block';
import type { SampleBlock, SensorInfo } from '../../src/samples/block';

const metaText = fc
  .string({ unit: 'grapheme', minLength: 0, maxLength: 12 })
  .filter((s) => s === s.trim() && !/[\r\n]/.test(s));
const extraKey = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,9}$/).filter((k) => knownKey(k) === undefined);

const sensorInfo: fc.Arbitrary<SensorInfo> = fc
  .record(
    {
      sensorId: metaText.filter((s) => s !== ''),
      placement: metaText,
      side: fc.constantFrom<'left' | 'right'>('left', 'right'),
      rateHz: fc.double({ min: 1e-3, max: 1e5, noNaN: true }),
      device: metaText,
      extra: fc.dictionary(extraKey, metaText, { minKeys: 1, maxKeys: 3 }),
    },
    { requiredKeys: ['sensorId'] },
  )
  .map((r) => r as SensorInfo);

/** Doubles of every kind: NaN, ±Infinity, −0, subnormals, huge and tiny values. */
const values = (n: number) => fc.float64Array({ minLength: n, maxLength: n });

/** Blocks of one sensor; `gyr: false` makes accelerometer-only blocks (Polar H10). */
function blocksArb(info: SensorInfo, mag: boolean, quat: boolean, gyr = true): fc.Arbitrary<SampleBlock[]> {
  const one = fc.integer({ min: 0, max: 12 }).chain((n) =>
    fc.record({ t: values(n), acc: values(3 * n), gyr: values(3 * n), mag: values(3 * n), quat: values(4 * n) }).map((r) => {
      const b: SampleBlock = createBlock(info, n, { gyr, mag, quat });
      b.tS.set(r.t);
      b.accMS2!.set(r.acc);
      if (gyr) b.gyrRadS!.set(r.gyr);
      if (mag) b.magUT!.set(r.mag);
      if (quat) b.quat!.set(r.quat);
      return b;
    }),
  );
  return fc.array(one, { minLength: 1, maxLength: 4 }).filter((bs) => bs.some((b) => b.tS.length > 0));
}

const recording = fc
  .record({ info: sensorInfo, mag: fc.boolean(), quat: fc.boolean(), gyr: fc.boolean() })
  .chain(({ info, mag, quat, gyr }) => blocksArb(info, mag, quat, gyr).map((blocks) => ({ info, mag, quat, gyr, blocks })));

function splitAt<T extends { length: number; slice(a: number, b?: number): T }>(x: T, cuts: number[]): T[] {
  const points = [...new Set(cuts.map((c) => c % (x.length + 1)))].sort((a, b) => a - b);
  const parts: T[] = [];
  let prev = 0;
  for (const p of points) {
    parts.push(x.slice(prev, p));
    prev = p;
  }
  parts.push(x.slice(prev));
  return parts;
}

function expectSameBits(actual: Float64Array | undefined, expected: Float64Array | undefined): void {
  expect(actual === undefined).toBe(expected === undefined);
  if (!actual || !expected) return;
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) throw new Error(`value ${i}: wrote ${expected[i]}, read ${actual[i]}`);
  }
}

describe('canonical CSV round trip', () => {
  it('number fields round-trip every double bit-exactly (NaN payloads aside)', () => {
    fc.assert(
      fc.property(fc.double(), (x) => {
        expect(Object.is(parseNumberField(formatNumberField(x), false), x)).toBe(true);
        expect(Object.is(parseNumberField(formatNumberField(x), true), x)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('read(write(blocks)) returns the same values and metadata, for any chunking', () => {
    fc.assert(
      fc.property(
        recording,
        fc.constantFrom<',' | ';' | '\t'>(',', ';', '\t'),
        fc.constantFrom<'\n' | '\r\n'>('\n', '\r\n'),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.integer({ min: 1, max: 20 }),
        fc.boolean(),
        ({ info, blocks }, delimiter, newline, cuts, blockSize, asBytes) => {
          const text = canonicalCsvText(blocks, { delimiter, newline });
          const p = new CanonicalCsvParser({ file: 'r.csv', blockSize });
          const out: SampleBlock[] = [];
          if (asBytes) for (const part of splitAt(new TextEncoder().encode(text), cuts)) out.push(...p.push(part));
          else for (const part of splitAt(text, cuts)) out.push(...p.push(part));
          out.push(...p.finish());

          for (let k = 0; k < out.length; k++) {
            expect(out[k]!.tS.length).toBe(k < out.length - 1 ? blockSize : out[k]!.tS.length);
            expect(out[k]!.tS.length).toBeLessThanOrEqual(blockSize);
            expect(out[k]!.info).toEqual(info);
          }
          const expected = concatBlocks(blocks).block;
          const got = concatBlocks(out).block;
          expectSameBits(got.tS, expected.tS);
          expectSameBits(got.accMS2!, expected.accMS2!);
          expectSameBits(got.gyrRadS, expected.gyrRadS);
          expectSameBits(got.magUT, expected.magUT);
          expectSameBits(got.quat, expected.quat);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('accelerometer-only blocks (Polar H10) are written as t,ax,ay,az and read back bit for bit, without a gyroscope', () => {
    const accOnly = fc
      .record({ info: sensorInfo, mag: fc.boolean() })
      .chain(({ info, mag }) => blocksArb(info, mag, false, false).map((blocks) => ({ info, mag, blocks })));
    fc.assert(
      fc.property(accOnly, fc.array(fc.nat(), { maxLength: 6 }), fc.integer({ min: 1, max: 9 }), ({ info, mag, blocks }, cuts, blockSize) => {
        const text = canonicalCsvText(blocks);
        const header = text.split('\n').find((l) => !l.startsWith('#'))!;
        expect(header).toBe(mag ? 't[s],ax[m/s^2],ay[m/s^2],az[m/s^2],mx[uT],my[uT],mz[uT]' : 't[s],ax[m/s^2],ay[m/s^2],az[m/s^2]');
        const p = new CanonicalCsvParser({ file: 'h10.csv', blockSize });
        const out: SampleBlock[] = [];
        for (const part of splitAt(text, cuts)) out.push(...p.push(part));
        out.push(...p.finish());
        expect(p.headerRow).toMatchObject({ hasAcc: true, hasGyr: false, hasInertial: false });
        for (const b of out) {
          expect(b.info).toEqual(info);
          expect(b.gyrRadS).toBeUndefined();
        }
        const expected = concatBlocks(blocks).block;
        const got = concatBlocks(out).block;
        expectSameBits(got.tS, expected.tS);
        expectSameBits(got.accMS2, expected.accMS2);
        expectSameBits(got.gyrRadS, undefined);
        expectSameBits(got.magUT, expected.magUT);
      }),
      { numRuns: 200 },
    );
  });

  it('writes a readable header with units and metadata first', () => {
    const info: SensorInfo = { sensorId: 'thigh', placement: 'thigh', side: 'left', rateHz: 100, device: 'DOT', extra: { subject: 'S01' } };
    const b = createBlock(info, 2, { mag: true });
    b.tS.set([0, 0.01]);
    b.accMS2!.set([0, 0, 9.81, -0, 1e-300, 9.81]);
    const pieces = [...formatCanonicalCsv([b])];
    expect(pieces[0]).toBe(
      '# sensor: thigh\n# placement: thigh\n# side: left\n# rate_hz: 100\n# device: DOT\n# subject: S01\n' +
        't[s],ax[m/s^2],ay[m/s^2],az[m/s^2],gx[rad/s],gy[rad/s],gz[rad/s],mx[uT],my[uT],mz[uT]\n',
    );
    expect(pieces[1]).toBe('0,0,0,9.81,0,0,0,0,0,0\n0.01,-0,1e-300,9.81,0,0,0,0,0,0\n');
    const back = parseCanonicalCsv(pieces.join(''));
    expect(Object.is(back[0]!.accMS2![3], -0)).toBe(true);
  });

  it('refuses what it cannot write faithfully', () => {
    const info: SensorInfo = { sensorId: 'a' };
    const a = createBlock(info, 1, { mag: true });
    const noMag = createBlock(info, 1);
    const other = createBlock({ sensorId: 'b' }, 1);
    expect(() => canonicalCsvText([])).toThrow(RecordingWriteError);
    expect(() => canonicalCsvText([a, noMag])).toThrow(/no magnetometer data/);
    expect(() => canonicalCsvText([a, other])).toThrow(/one file per sensor/);
    expect(() => canonicalCsvText([createBlock({ sensorId: 'a\nb' }, 1)])).toThrow(RecordingWriteError);
    expect(() => canonicalCsvText([createBlock({ sensorId: 'a', extra: { sensor: 'x' } }, 1)])).toThrow(/clashes/);
    expect(() => canonicalCsvText([createBlock({ sensorId: 'a', rateHz: -1 }, 1)])).toThrow(/rateHz/);
    expect(() => new CanonicalCsvWriter(info, { mag: false, quat: false }, { delimiter: '|' as ',' })).toThrow(RecordingWriteError);
    // Dropping channels on request is allowed; asking for a gyroscope an H10 block lacks is not.
    expect(canonicalCsvText([a], { mag: false })).not.toContain('mx');
    expect(canonicalCsvText([a], { gyr: false })).not.toContain('gx');
    expect(() => canonicalCsvText([createBlock(info, 1, { gyr: false })], { gyr: true })).toThrow(/no gyroscope data but the file has gx,gy,gz columns/);
    expect(() => canonicalCsvText([createBlock(info, 1, { gyr: false }), createBlock(info, 1)])).not.toThrow(); // gyro dropped to fit the file
    expect(() => canonicalCsvText([createBlock(info, 1), createBlock(info, 1, { gyr: false })])).toThrow(/no gyroscope data/);
  });
});

describe('metadata keys that are also Object.prototype names', () => {
  it('# __proto__ and # toString survive a canonical CSV round trip as plain keys', () => {
    const text = '# __proto__: x\n# toString: y\nt,ax,ay,az,gx,gy,gz\n0,0,0,9.8,0,0,0\n';
    const [b] = parseCanonicalCsv(text, { file: 'p.csv' });
    const extra = b!.info.extra!;
    expect(Object.keys(extra).sort()).toEqual(['__proto__', 'toString']);
    expect(Object.getOwnPropertyDescriptor(extra, '__proto__')?.value).toBe('x');
    expect(Object.getPrototypeOf(extra)).toBe(Object.prototype); // not replaced
    expect(canonicalCsvText([b!])).toContain('# __proto__: x\n');
  });
});
