/**
 * Chunk-level fuzzing of every reader on damaged copies of VALID files (the per-format tests
 * already throw random bytes and token soup at each parser): bit flips, deleted, duplicated
 * and swapped lines, swapped delimiters, truncation and stray tokens. Properties:
 *  - only RecordingFormatError (MatFormatError for .mat) escapes — no TypeError/RangeError —
 *    with a one-line printable message that names the file and a line ≥ 1 (byte offset for .mat);
 *  - the outcome does not depend on how the input is split into chunks;
 *  - a NaN in the output only ever comes from a field the file marks as missing (empty,
 *    `NaN`, `n/a`, or arithmetic on an `inf`), never from a token that is not a number;
 *  - a non-numeric token put into a field the reader uses is an error at that line and column.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BIDS_CHANNELS_ROLE, BIDS_JSON_ROLE, BidsMotionParser } from '../../src/io/bids';
import { CanonicalCsvParser } from '../../src/io/canonicalCsv';
import { DelimitedParser } from '../../src/io/delimited';
import { RecordingFormatError } from '../../src/io/errors';
import type { ChunkParser } from '../../src/io/format';
import { MatChunkParser } from '../../src/io/matFormat';
import { MatFormatError } from '../../src/io/matError';
import { writeMat } from '../../src/io/matWriter';
import { MetaBaseStreamParser } from '../../src/io/metamotion';
import { MetaMotionMerger } from '../../src/io/metamotionMerge';
import { parseNumberField } from '../../src/io/numberField';
import { StoParser } from '../../src/io/sto';
import { XsensParser } from '../../src/io/xsens';
import type { SampleBlock } from '../../src/samples/block';

const fixture = (p: string) => readFileSync(new URL(`../../fixtures/${p}`, import.meta.url));
const text = (p: string) => fixture(p).toString('utf8');
const enc = new TextEncoder();

// ---- valid inputs ----

const THIGH = text('knee-flexion/thigh.csv').split('\n').slice(0, 46).join('\n') + '\n';
const CANONICAL_SEMI = [
  '# sensor: wrist',
  '# rate_hz: 50',
  't[ms];ax[g];ay[g];az[g];gx[deg/s];gy[deg/s];gz[deg/s];mx[gauss];my[gauss];mz[gauss];qw;qx;qy;qz',
  ...Array.from({ length: 30 }, (_, i) => [20 * i, '0,01', '-0,02', '1', `${i},5`, '0', '-3', '0,2', '0', '-0,4', '1', '0', '0', '0'].join(';')),
].join('\r\n') + '\r\n';

const BIDS_CHANNELS = [
  'name\tcomponent\ttype\ttracked_point\tunits',
  'latency\tn/a\tLATENCY\tn/a\tms',
  'ax\tx\tACCEL\tLeftFoot\tg',
  'ay\ty\tACCEL\tLeftFoot\tg',
  'az\tz\tACCEL\tLeftFoot\tg',
  'gx\tx\tGYRO\tLeftFoot\tdeg/s',
  'gy\ty\tGYRO\tLeftFoot\tdeg/s',
  'gz\tz\tGYRO\tLeftFoot\tdeg/s',
  'mx\tx\tMAGN\tLeftFoot\tuT',
  'my\ty\tMAGN\tLeftFoot\tuT',
  'mz\tz\tMAGN\tLeftFoot\tuT',
].join('\n');
const BIDS_SIDECARS = { [BIDS_CHANNELS_ROLE]: BIDS_CHANNELS, [BIDS_JSON_ROLE]: JSON.stringify({ SamplingFrequency: 100 }) };
const BIDS = Array.from({ length: 30 }, (_, i) => [10 * i, 0.01 * i, 0, 1, 5, -i, 0, 20, i === 7 ? 'n/a' : 3, -40].join('\t')).join('\n') + '\n';

const E0 = 1682935200000;
const MM_ACC_HEADER = 'epoch (ms),time (01:00),elapsed (s),x-axis (g),y-axis (g),z-axis (g)';
const MM_GYR_HEADER = 'epoch (ms),time (01:00),elapsed (s),x-axis (deg/s),y-axis (deg/s),z-axis (deg/s)';
const mmStream = (header: string, n: number, dtMs: number, t0Ms: number) =>
  `${header}\n${Array.from({ length: n }, (_, i) => `${E0 + t0Ms + dtMs * i},2023-05-01T10.00.00.000,${((t0Ms + dtMs * i) / 1000).toFixed(3)},${(0.01 * i).toFixed(2)},-0.5,1`).join('\n')}\n`;
const MM_ACC = mmStream(MM_ACC_HEADER, 90, 10, 0);
const MM_GYR = mmStream(MM_GYR_HEADER, 45, 20, 5);
const MM_ACC_FILE = 'b_Accelerometer.csv';
const MM_GYR_FILE = 'b_Gyroscope.csv';

const XSENS = text('xsens/MT_00B4A1C2_walk-000.txt').split('\r\n').slice(0, 40).join('\r\n') + '\r\n';

const STO = [
  'DataRate=100.000000',
  'DataType=Quaternion',
  'version=3',
  'endheader',
  'time\tpelvis_imu\tfemur_r_imu',
  ...Array.from({ length: 20 }, (_, i) => `${(i / 100).toFixed(2)}\t1,0,0,0\t0.6,0.8,0,0`),
].join('\n') + '\n';

const UCI = text('uci-pt/s1-e1-u2-test-first20s.txt').split('\n').slice(0, 40).join('\n') + '\n';
const UCI_MAP = 't=time index,ax=acc_x,ay=acc_y,az=acc_z,gx=gyr_x,gy=gyr_y,gz=gyr_z';

const n = 40;
const MAT_PLAIN = writeMat(
  [
    { name: 'sampling_rate', className: 'double', dims: [1, 1], data: [100] },
    { name: 'imu_acc', className: 'double', dims: [n, 3], data: Array.from({ length: 3 * n }, (_, k) => (k < 2 * n ? 0.1 * k : 9.81)) },
    { name: 'imu_gyr', className: 'single', dims: [n, 3], data: Array.from({ length: 3 * n }, (_, k) => 0.01 * (k % 7)) },
    { name: 'imu_mag', className: 'int16', dims: [n, 3], data: Array.from({ length: 3 * n }, (_, k) => k - 60) },
  ],
  { compress: false },
);
const MAT_COMPRESSED = new Uint8Array(fixture('broad/01_undisturbed_slow_rotation_A_slice.mat')).subarray(0);

// ---- targets ----

interface Target {
  readonly name: string;
  /** File names an error may start with. */
  readonly files: readonly string[];
  readonly input: Uint8Array;
  readonly binary: boolean;
  /** All blocks of `chunks`; throws what the reader throws. */
  parse(chunks: readonly Uint8Array[]): Promise<SampleBlock[]>;
}

function viaParser(make: () => ChunkParser) {
  return async (chunks: readonly Uint8Array[]): Promise<SampleBlock[]> => {
    const p = make();
    const out: SampleBlock[] = [];
    for (const c of chunks) out.push(...p.push(c));
    out.push(...p.finish());
    expect(out.reduce((a, b) => a + b.tS.length, 0)).toBe(p.samples * (p.header?.sensors.length ?? 1));
    return out;
  };
}

const TARGETS: readonly Target[] = [
  { name: 'canonical CSV (fixture slice)', files: ['thigh.csv'], input: enc.encode(THIGH), binary: false, parse: viaParser(() => new CanonicalCsvParser({ file: 'thigh.csv', blockSize: 8 })) },
  { name: 'canonical CSV (; decimal comma, units, mag, quat)', files: ['wrist.csv'], input: enc.encode(CANONICAL_SEMI), binary: false, parse: viaParser(() => new CanonicalCsvParser({ file: 'wrist.csv', blockSize: 8 })) },
  { name: 'BIDS motion', files: ['s_motion.tsv'], input: enc.encode(BIDS), binary: false, parse: viaParser(() => new BidsMotionParser({ file: 's_motion.tsv', sidecars: BIDS_SIDECARS, blockSize: 8 })) },
  { name: 'MetaBase stream', files: [MM_ACC_FILE], input: enc.encode(MM_ACC), binary: false, parse: async (chunks) => {
    const p = new MetaBaseStreamParser({ file: MM_ACC_FILE, blockSize: 8 });
    let count = 0;
    const values: number[] = [];
    const take = (cs: ReturnType<MetaBaseStreamParser['push']>) => {
      for (const c of cs) {
        count += c.epochMs.length;
        values.push(...c.epochMs, ...c.values);
      }
    };
    for (const c of chunks) take(p.push(c));
    take(p.finish());
    expect(count).toBe(p.samples);
    // Shaped as a block so the NaN and chunking checks apply to it too.
    return [{ info: { sensorId: 'b' }, tS: Float64Array.from(values) }];
  } },
  { name: 'MetaMotion merge (damaged accelerometer stream)', files: [MM_ACC_FILE, MM_GYR_FILE], input: enc.encode(MM_ACC), binary: false, parse: async (chunks) => {
    const m = new MetaMotionMerger([{ file: MM_ACC_FILE, chunks }, { file: MM_GYR_FILE, chunks: [MM_GYR] }], { sensorId: 'b' }, { blockSize: 8 });
    const out: SampleBlock[] = [];
    for await (const b of m.blocks()) out.push(b);
    return out;
  } },
  { name: 'MetaMotion merge (damaged gyroscope stream)', files: [MM_ACC_FILE, MM_GYR_FILE], input: enc.encode(MM_GYR), binary: false, parse: async (chunks) => {
    const m = new MetaMotionMerger([{ file: MM_ACC_FILE, chunks: [MM_ACC] }, { file: MM_GYR_FILE, chunks }], { sensorId: 'b' }, { blockSize: 8 });
    const out: SampleBlock[] = [];
    for await (const b of m.blocks()) out.push(b);
    return out;
  } },
  { name: 'Xsens export', files: ['x.txt'], input: enc.encode(XSENS), binary: false, parse: viaParser(() => new XsensParser({ file: 'x.txt', blockSize: 8 })) },
  { name: 'OpenSim .sto', files: ['o.sto'], input: enc.encode(STO), binary: false, parse: viaParser(() => new StoParser({ file: 'o.sto', blockSize: 8 })) },
  { name: 'delimited (UCI column map)', files: ['u.txt'], input: enc.encode(UCI), binary: false, parse: viaParser(() => new DelimitedParser({ file: 'u.txt', columns: UCI_MAP, rateHz: 25, blockSize: 8 })) },
  { name: '.mat (uncompressed, written by kinemetry)', files: ['p.mat'], input: MAT_PLAIN, binary: true, parse: viaParser(() => new MatChunkParser({ file: 'p.mat', blockSize: 8 })) },
  { name: '.mat (compressed BROAD slice)', files: ['c.mat'], input: MAT_COMPRESSED, binary: true, parse: viaParser(() => new MatChunkParser({ file: 'c.mat', blockSize: 512 })) },
];

// ---- mutations ----

const TOKENS = ['abc', 'NaN', '', 'n/a', '1e', '--1', '0x1f', '1,5', '1.5.2', ' ', 'inf', '∞', '\uFEFF', '\u0000', '"', '-', '.', 'e5', '1e999', '-0', '#', '//', 'endheader', '\t', ',', ';', '\n', '\r\n', '9'.repeat(400)];
const DELIMS = [',', ';', '\t', ' ', '|'];

type Mutation =
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'delete-line' | 'duplicate-line'; readonly k: number }
  | { readonly kind: 'swap-lines'; readonly k: number; readonly j: number }
  | { readonly kind: 'delimiter'; readonly k: number; readonly from: number; readonly to: number; readonly all: boolean }
  | { readonly kind: 'token'; readonly at: number; readonly token: string }
  | { readonly kind: 'splice'; readonly at: number; readonly bytes: Uint8Array; readonly remove: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat({ max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constantFrom('delete-line' as const, 'duplicate-line' as const), k: fc.nat() }),
  fc.record({ kind: fc.constant('swap-lines' as const), k: fc.nat(), j: fc.nat() }),
  fc.record({ kind: fc.constant('delimiter' as const), k: fc.nat(), from: fc.nat({ max: DELIMS.length - 1 }), to: fc.nat({ max: DELIMS.length - 1 }), all: fc.boolean() }),
  fc.record({ kind: fc.constant('token' as const), at: fc.nat(), token: fc.constantFrom(...TOKENS) }),
  fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 24 }), remove: fc.nat({ max: 24 }) }),
);

function splice(b: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const k = at % (b.length + 1);
  const r = Math.min(remove, b.length - k);
  const out = new Uint8Array(b.length - r + insert.length);
  out.set(b.subarray(0, k));
  out.set(insert, k);
  out.set(b.subarray(k + r), k + insert.length);
  return out;
}

/** Apply a mutation; line mutations act on text lines (for binary input, on 0x0a-separated runs). */
function mutate(b: Uint8Array, m: Mutation): Uint8Array {
  switch (m.kind) {
    case 'flip': {
      if (b.length === 0) return b;
      const out = b.slice();
      out[m.at % b.length]! ^= 1 << m.bit;
      return out;
    }
    case 'truncate':
      return b.subarray(0, m.at % (b.length + 1));
    case 'splice':
      return splice(b, m.at, m.remove, m.bytes);
    case 'token':
      return splice(b, m.at, 0, enc.encode(m.token));
    default: {
      const lines = Buffer.from(b).toString('latin1').split('\n');
      const k = m.k % lines.length;
      if (m.kind === 'delete-line') lines.splice(k, 1);
      else if (m.kind === 'duplicate-line') lines.splice(k, 0, lines[k]!);
      else if (m.kind === 'swap-lines') {
        const j = m.j % lines.length;
        [lines[k], lines[j]] = [lines[j]!, lines[k]!];
      } else if (m.kind === 'delimiter') {
        const from = DELIMS[m.from]!;
        const to = DELIMS[m.to]!;
        lines[k] = m.all ? lines[k]!.split(from).join(to) : lines[k]!.replace(from, to);
      }
      return new Uint8Array(Buffer.from(lines.join('\n'), 'latin1'));
    }
  }
}

function chunked(b: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let i = 0;
  for (let k = 0; i < b.length; k++) {
    const s = sizes.length > 0 ? sizes[k % sizes.length]! : b.length;
    out.push(b.subarray(i, i + s));
    i += s;
  }
  return out;
}

type Outcome = { readonly values: number[] } | { readonly error: RecordingFormatError };

async function outcome(t: Target, chunks: readonly Uint8Array[]): Promise<Outcome> {
  try {
    const blocks = await t.parse(chunks);
    const values: number[] = [];
    for (const b of blocks) {
      values.push(b.tS.length);
      for (const a of [b.tS, b.accMS2, b.gyrRadS, b.magUT, b.quat]) if (a) values.push(...a);
    }
    return { values };
  } catch (e) {
    if (!(e instanceof RecordingFormatError)) throw e;
    if (t.binary) {
      expect(e).toBeInstanceOf(MatFormatError);
      expect(e.line).toBe(0);
    } else {
      expect(e.line).toBeGreaterThanOrEqual(1);
      expect(Number.isInteger(e.line)).toBe(true);
    }
    // One printable line: control characters copied from the file are escaped.
    expect(e.message).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/);
    expect(t.files.some((f) => e.message.startsWith(`${f}:`))).toBe(true);
    expect(e.message).not.toMatch(/undefined|\[object /);
    return { error: e };
  }
}

/** An explicit missing value (empty field, NaN, n/a) or an infinity the arithmetic may turn into NaN. */
const MISSING_RE = /nan|n\/a|inf|∞|(^|[,;\t])[ \t]*([,;\t]|\r?$)/im;

describe('readers on damaged valid files: typed errors only, chunking-independent, no invented NaN', () => {
  for (const t of TARGETS) {
    it(t.name, async () => {
      // The undamaged input reads.
      const clean = await outcome(t, [t.input]);
      expect('values' in clean, 'error' in clean ? clean.error.message : '').toBe(true);
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.array(fc.integer({ min: 1, max: 97 }), { maxLength: 4 }), async (ms, sizes) => {
          let bytes = t.input;
          for (const m of ms) bytes = mutate(bytes, m);
          const whole = await outcome(t, [bytes]);
          const split = await outcome(t, chunked(bytes, sizes));
          if ('error' in whole) {
            expect('error' in split ? split.error.message : 'no error').toBe(whole.error.message);
          } else {
            expect('values' in split ? split.values : split.error.message).toEqual(whole.values);
            if (!t.binary && whole.values.some((v) => Number.isNaN(v))) {
              expect(new TextDecoder().decode(bytes), 'a NaN came from no missing value').toMatch(MISSING_RE);
            }
          }
        }),
        { numRuns: t.binary ? 150 : 200 },
      );
    });
  }
});

// ---- a non-numeric token in a field the reader uses ----

interface Table {
  readonly name: string;
  readonly file: string;
  readonly text: string;
  /** 0-based index of the first data line. */
  readonly firstDataLine: number;
  readonly delimiter: string;
  readonly decimalComma: boolean;
  /** Fields the reader uses: index → column name its errors give (undefined: no column named). */
  readonly used: ReadonlyMap<number, string | undefined>;
  /** A field may hold several numbers (an .sto quaternion cell). */
  readonly subDelimiter?: string;
  /** A line starting with this (after blanks) is a comment, by the format's definition. */
  readonly comment?: string;
  parse(text: string): Promise<unknown>;
}

const namesOf = (header: string, delimiter: string) => header.split(delimiter).map((s) => s.trim());
const uciHeader = namesOf(UCI.split('\n')[0]!, ';');
const xsHeader = namesOf(XSENS.split('\r\n')[5]!, '\t');
const thighHeader = namesOf(THIGH.split('\n')[5]!, ',');
const parseWith = (make: () => ChunkParser) => async (s: string) => {
  const p = make();
  p.push(s);
  p.finish();
};

const TABLES: readonly Table[] = [
  {
    name: 'canonical CSV',
    file: 'thigh.csv',
    text: THIGH,
    firstDataLine: 6,
    delimiter: ',',
    decimalComma: false,
    comment: '#',
    used: new Map(thighHeader.map((h, k) => [k, h.replace(/\[.*$/, '')])),
    parse: parseWith(() => new CanonicalCsvParser({ file: 'thigh.csv' })),
  },
  {
    name: 'BIDS motion',
    file: 's_motion.tsv',
    text: BIDS,
    firstDataLine: 0,
    delimiter: '\t',
    decimalComma: false,
    used: new Map(['latency', 'ax', 'ay', 'az', 'gx', 'gy', 'gz', 'mx', 'my', 'mz'].map((c, k) => [k, c])),
    parse: parseWith(() => new BidsMotionParser({ file: 's_motion.tsv', sidecars: BIDS_SIDECARS })),
  },
  {
    name: 'MetaBase stream',
    file: MM_ACC_FILE,
    text: MM_ACC,
    firstDataLine: 1,
    delimiter: ',',
    decimalComma: false,
    used: new Map([[0, 'epoch (ms)'], [3, 'x-axis (g)'], [4, 'y-axis (g)'], [5, 'z-axis (g)']]),
    parse: parseWith(() => new MetaBaseStreamParser({ file: MM_ACC_FILE }) as unknown as ChunkParser),
  },
  {
    name: 'Xsens export',
    file: 'x.txt',
    text: XSENS,
    firstDataLine: 6,
    delimiter: '\t',
    decimalComma: true,
    comment: '//',
    used: new Map(xsHeader.flatMap((h, k): [number, string][] => (/^(SampleTimeFine|Acc_|Gyr_|Quat_)/.test(h) ? [[k, h]] : []))),
    parse: parseWith(() => new XsensParser({ file: 'x.txt' })),
  },
  {
    name: 'OpenSim .sto',
    file: 'o.sto',
    text: STO,
    firstDataLine: 5,
    delimiter: '\t',
    decimalComma: false,
    subDelimiter: ',',
    used: new Map([[0, 'time'], [1, 'pelvis_imu'], [2, 'femur_r_imu']]),
    parse: parseWith(() => new StoParser({ file: 'o.sto' })),
  },
  {
    name: 'delimited (column map)',
    file: 'u.txt',
    text: UCI,
    firstDataLine: 1,
    delimiter: ';',
    decimalComma: true,
    comment: '#',
    used: new Map(uciHeader.slice(0, 7).map((h, k) => [k, h])),
    parse: parseWith(() => new DelimitedParser({ file: 'u.txt', columns: UCI_MAP, rateHz: 25 })),
  },
];

/** Text that is not a number to parseNumberField (and not a missing-value marker), and cannot split a row. */
function notANumber(decimalComma: boolean, extraForbidden: string): fc.Arbitrary<string> {
  const chars = fc.constantFrom(...'abcxyzEe0123456789.,+- _#/%°µ∞()[]"\''.split(''));
  return fc
    .string({ unit: chars, minLength: 1, maxLength: 12 })
    .filter((s) => parseNumberField(s, decimalComma) === undefined && !/n\/a/i.test(s) && ![...extraForbidden].some((c) => s.includes(c)));
}

describe('a non-numeric token in a used field is an error at its line and column', () => {
  for (const tb of TABLES) {
    it(tb.name, async () => {
      const lines = tb.text.split('\n');
      const dataLines = lines.length - 1 - tb.firstDataLine;
      const used = [...tb.used.keys()];
      const forbidden = `${tb.delimiter}\n\r${tb.subDelimiter ?? ''}`;
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: dataLines - 1 }), fc.constantFrom(...used), fc.nat({ max: 3 }), notANumber(tb.decimalComma, forbidden), async (row, col, sub, token) => {
          // A token turning the row into a comment line is not a field any more.
          fc.pre(!(col === 0 && tb.comment !== undefined && token.trimStart().startsWith(tb.comment)));
          const k = tb.firstDataLine + row;
          const cr = lines[k]!.endsWith('\r');
          const fields = (cr ? lines[k]!.slice(0, -1) : lines[k]!).split(tb.delimiter);
          if (tb.subDelimiter !== undefined && col > 0) {
            const parts = fields[col]!.split(tb.subDelimiter);
            parts[sub % parts.length] = token;
            fields[col] = parts.join(tb.subDelimiter);
          } else {
            fields[col] = token;
          }
          const damaged = [...lines];
          damaged[k] = fields.join(tb.delimiter) + (cr ? '\r' : '');
          const e = await tb.parse(damaged.join('\n')).then(
            () => expect.fail(`no error for ${JSON.stringify(token)} in line ${k + 1}, field ${col}`),
            (x: unknown) => x,
          );
          expect(e).toBeInstanceOf(RecordingFormatError);
          const err = e as RecordingFormatError;
          expect(err.message.startsWith(`${tb.file}:${k + 1}: `), err.message).toBe(true);
          expect(err.column).toBe(tb.used.get(col));
        }),
        { numRuns: 150 },
      );
    });
  }
});
