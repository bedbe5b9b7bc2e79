import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { zlibSync } from 'fflate';
import { RecordingFormatError } from '../../src/io/errors';
import { describeMatVariables, matColumn, matRowMajor, readMat, readMatHeader } from '../../src/io/mat';
import type { MatFile } from '../../src/io/mat';
import { MI } from '../../src/io/matConstants';
import type { MatClassName } from '../../src/io/matConstants';
import { MatFormatError } from '../../src/io/matError';
import { writeMat } from '../../src/io/matWriter';
import type { MatWriteVariable } from '../../src/io/matWriter';

/**
 * Written by scipy 1.17.1 (an independent implementation), `scipy.io.savemat(f, v,
 * do_compression=False|True, oned_as='row')` with
 *   d = [[1.5, -2.25, 3], [4, 5.5, -6.125]]; sg = single [[0.5, -1.25]];
 *   i8/u8/i16/u16/i32/u32 = [[min, max]] of the type; i64 = [[-2^53, 2^53]]; u64 = [[0, 2^53]];
 *   b = [[true, false, true]]; c = [[1+2j, -3.5-0.25j]]; txt = 'µT and m/s²'; rows = ['ab', 'cd'];
 *   s = {x: 1} (struct); cl = {1, 'a'} (cell); sp = speye(2) (sparse); e = zeros(0, 3);
 *   n3 = reshape(0:23, 2, 3, 4); one = 7.
 */
const SCIPY_PLAIN = fromBase64(`
TUFUTEFCIDUuMCBNQVQtZmlsZSBQbGF0Zm9ybTogcG9zaXgsIENyZWF0ZWQgb246IE1vbiBOb3YgMjMgMTk6MjM6MDggMjAyNgAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABSU0OAAAAYAAAAAYAAAAIAAAABgAAAAAA
AAAFAAAACAAAAAIAAAADAAAAAQABAGQAAAAJAAAAMAAAAAAAAAAAAPg/AAAAAAAAEEAAAAAAAAACwAAAAAAAABZAAAAAAAAACEAA
AAAAAIAYwA4AAAA4AAAABgAAAAgAAAAHAAAAAAAAAAUAAAAIAAAAAQAAAAIAAAABAAIAc2cAAAcAAAAIAAAAAAAAPwAAoL8OAAAA
MAAAAAYAAAAIAAAACAAAAAAAAAAFAAAACAAAAAEAAAACAAAAAQACAGk4AAABAAIAgH8AAA4AAAAwAAAABgAAAAgAAAAJAAAAAAAA
AAUAAAAIAAAAAQAAAAIAAAABAAIAdTgAAAIAAgAA/wAADgAAADAAAAAGAAAACAAAAAoAAAAAAAAABQAAAAgAAAABAAAAAgAAAAEA
AwBpMTYAAwAEAACA/38OAAAAMAAAAAYAAAAIAAAACwAAAAAAAAAFAAAACAAAAAEAAAACAAAAAQADAHUxNgAEAAQAAAD//w4AAAA4
AAAABgAAAAgAAAAMAAAAAAAAAAUAAAAIAAAAAQAAAAIAAAABAAMAaTMyAAUAAAAIAAAAAAAAgP///38OAAAAOAAAAAYAAAAIAAAA
DQAAAAAAAAAFAAAACAAAAAEAAAACAAAAAQADAHUzMgAGAAAACAAAAAAAAAD/////DgAAAEAAAAAGAAAACAAAAA4AAAAAAAAABQAA
AAgAAAABAAAAAgAAAAEAAwBpNjQADAAAABAAAAAAAAAAAADg/wAAAAAAACAADgAAAEAAAAAGAAAACAAAAA8AAAAAAAAABQAAAAgA
AAABAAAAAgAAAAEAAwB1NjQADQAAABAAAAAAAAAAAAAAAAAAAAAAACAADgAAADAAAAAGAAAACAAAAAkCAAAAAAAABQAAAAgAAAAB
AAAAAwAAAAEAAQBiAAAAAgADAAEAAQAOAAAAWAAAAAYAAAAIAAAABggAAAAAAAAFAAAACAAAAAEAAAACAAAAAQABAGMAAAAJAAAA
EAAAAAAAAAAAAPA/AAAAAAAADMAJAAAAEAAAAAAAAAAAAABAAAAAAAAA0L8OAAAAQAAAAAYAAAAIAAAABAAAAAAAAAAFAAAACAAA
AAEAAAALAAAAAQADAHR4dAAQAAAADQAAAMK1VCBhbmQgbS9zwrIAAAAOAAAAMAAAAAYAAAAIAAAABAAAAAAAAAAFAAAACAAAAAIA
AAACAAAAAQAEAHJvd3MQAAQAYWNiZA4AAAB4AAAABgAAAAgAAAACAAAAAAAAAAUAAAAIAAAAAQAAAAEAAAABAAEAcwAAAAUABAAC
AAAAAQACAHgAAAAOAAAAOAAAAAYAAAAIAAAABgAAAAAAAAAFAAAACAAAAAEAAAABAAAAAQAAAAAAAAAJAAAACAAAAAAAAAAAAPA/
DgAAAKAAAAAGAAAACAAAAAEAAAAAAAAABQAAAAgAAAABAAAAAgAAAAEAAgBjbAAADgAAADgAAAAGAAAACAAAAAYAAAAAAAAABQAA
AAgAAAABAAAAAQAAAAEAAAAAAAAACQAAAAgAAAAAAAAAAADwPw4AAAAwAAAABgAAAAgAAAAEAAAAAAAAAAUAAAAIAAAAAQAAAAEA
AAABAAAAAAAAABAAAQBhAAAADgAAAGgAAAAGAAAACAAAAAUAAAACAAAABQAAAAgAAAACAAAAAgAAAAEAAgBzcAAABQAAAAgAAAAA
AAAAAQAAAAUAAAAMAAAAAAAAAAEAAAACAAAAAAAAAAkAAAAQAAAAAAAAAAAA8D8AAAAAAADwPw4AAAAwAAAABgAAAAgAAAAGAAAA
AAAAAAUAAAAIAAAAAAAAAAMAAAABAAEAZQAAAAkAAAAAAAAADgAAAPgAAAAGAAAACAAAAAYAAAAAAAAABQAAAAwAAAACAAAAAwAA
AAQAAAAAAAAAAQACAG4zAAAJAAAAwAAAAAAAAAAAAAAAAAAAAAAA8D8AAAAAAAAAQAAAAAAAAAhAAAAAAAAAEEAAAAAAAAAUQAAA
AAAAABhAAAAAAAAAHEAAAAAAAAAgQAAAAAAAACJAAAAAAAAAJEAAAAAAAAAmQAAAAAAAAChAAAAAAAAAKkAAAAAAAAAsQAAAAAAA
AC5AAAAAAAAAMEAAAAAAAAAxQAAAAAAAADJAAAAAAAAAM0AAAAAAAAA0QAAAAAAAADVAAAAAAAAANkAAAAAAAAA3QA4AAAA4AAAA
BgAAAAgAAAAGAAAAAAAAAAUAAAAIAAAAAQAAAAEAAAABAAMAb25lAAkAAAAIAAAAAAAAAAAAHEA=`);
const SCIPY_COMPRESSED = fromBase64(`
TUFUTEFCIDUuMCBNQVQtZmlsZSBQbGF0Zm9ybTogcG9zaXgsIENyZWF0ZWQgb246IE1vbiBOb3YgMjMgMTk6MjM6MDggMjAyNgAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABSU0PAAAAOwAAAHic42NgYEgAYjYg5oDS
IMAK5TMBMTMQMwJhCpDmBGIDBhj4YQ+hBRwgNNMBCC0G5XNA6AaJAwC2oQVzDwAAAC0AAAB4nONjYGCwAGI2IOYAYnYGCGCF8hmB
mAlMMzEUp0PkOSBK7BkYFuwHACxPAvYPAAAAJgAAAHic42NgYDAAYjYg5oBiEGCFshmBmAlMMzFkWkDohnoGBgAdmQILDwAAACkA
AAB4nONjYGAwAGI2IOYAYk4GCGCF8hmBmAlMMzGUWoDYQN5/BgYAHdkCGQ8AAAArAAAAeJzjY2BgMABiNiDmAGIuBghghfIZgZgJ
TDMzZBqaAUkWBoaG//UAIGIDQA8AAAArAAAAeJzjY2BgMABiNiDmAGJuBghghfIZgZgJTDMzlBqaMbAAIQPD//8AICIDTg8AAAAs
AAAAeJzjY2BgsABiNiDmAGIeBghghfIZgZgJTDMzZBobwcWBoOH////1ADTRBUwPAAAAKgAAAHic42NgYLAAYjYg5gBiXgYIYIXy
GYGYCUwzM5QaG8HVgcB/IAAANAEFWg8AAAAxAAAAeJzjY2BgcABiNiDmAGI+BghghfIZgZgJTDMzZJqZMPAA2QIMMPDgP4RWYAAA
Sa8DbQ8AAAAtAAAAeJzjY2BgcABiNiDmAGJ+BghghfIZgZgJTDMzlJqZMPAC2QIM6ECBAQA5mAGcDwAAACkAAAB4nONjYGAwAGI2
IOYAYk4mBjBghfIZgZgZTDMyJAFpJiAPxAYAF/AA1A8AAAA3AAAAeJzjY2BgiABiNiDmANEgAghYoXxGIGYC04wMyUCaE4gFGGDg
gz2E5jmAKs7gAKEu7AcAjjAE9A8AAAA5AAAAeJzjY2BgcABiNiDmAGIWBghghfIZgZgbTDMzlFSUMAgA2bxAfGhriEJiXopCrn7x
oU1APgB+0Ae8DwAAACkAAAB4nONjYGAwAGI2IOYAYhYGCGCF8pmgmBEoU5RfXiwApBOTk1IAKYMD0A8AAAA5AAAAeJzjY2BgqABi
NiDmAGImBghghfIZ4ZiRoRgszgJWwwgkQfr4gNgCST8bTv0QwAkVh4AP9gCzTQNLDwAAAEMAAAB4nONjYGBYAMRsQMwBxIwMEMCK
xGcC00wMyTkMDHxAtgWSejYs6hmRzOGEikPAB3uQfgMk/SwE9AsAWYlAGgBylAQcDwAAADcAAAB4nONjYGDIAGI2IOYAYlYgZoLS
HFA2CDMCyeIChDgDWAzC50HiM0HZnEAswAADH+xhNACTXgQcDwAAACQAAAB4nONjYGAwAGI2IOaA0iDACuWDADMQMwJhKpDmhIoB
ABdWANMPAAAAYgAAAHicXcjLCkAAEEbhcY2SLCwsLCRJktwteSLP6JEsLY2clanT9zehiNyaq3n4nqMFmqlZms3f0M8xivi6T/nf
tTH2Dw8jjDHBFDPMscASK6yxwRY77HHAESecccF1fwDECwyFDwAAACYAAAB4nONjYGCwAGI2IOaA0iDACuUzwjEzQ35eKgMnVBwC
ZBwAMMYCHQ==`);

function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'base64'));
}

/** Read; only MatFormatError may escape. */
function readOrError(bytes: Uint8Array): MatFile | MatFormatError {
  try {
    return readMat(bytes, 'fuzz.mat');
  } catch (e) {
    if (!(e instanceof MatFormatError)) throw e;
    expect(e).toBeInstanceOf(RecordingFormatError);
    expect(e.line).toBe(0);
    expect(e.message).toMatch(/^fuzz\.mat: /);
    expect(e.message).not.toContain('\n');
    if (e.byteOffset !== undefined) {
      expect(e.message).toContain(`byte ${e.byteOffset}: `);
      expect(e.byteOffset).toBeGreaterThanOrEqual(0);
      expect(e.byteOffset).toBeLessThanOrEqual(bytes.length);
    }
    return e;
  }
}

function values(a: ArrayLike<number> | undefined): number[] {
  return a ? Array.from(a) : [];
}

/** 128-byte header (from the writer) followed by `body`. */
function withHeader(body: ArrayLike<number>, littleEndian = true): Uint8Array {
  const h = writeMat([], { littleEndian });
  const out = new Uint8Array(h.length + body.length);
  out.set(h);
  out.set(body, h.length);
  return out;
}

function u32le(...words: number[]): number[] {
  const b = new Uint8Array(4 * words.length);
  const v = new DataView(b.buffer);
  words.forEach((w, i) => v.setUint32(4 * i, w, true));
  return Array.from(b);
}

function expectScipyTypes(m: MatFile): void {
  expect(m.header.text).toMatch(/^MATLAB 5\.0 MAT-file/);
  expect(m.header.littleEndian).toBe(true);
  expect(m.header.version).toBe(0x0100);
  const d = m.get('d')!;
  expect(d.className).toBe('double');
  expect(d.dims).toEqual([2, 3]);
  expect(values(d.data)).toEqual([1.5, 4, -2.25, 5.5, 3, -6.125]); // column-major
  expect(values(matColumn(d, 1))).toEqual([-2.25, 5.5]);
  expect(values(matRowMajor(d))).toEqual([1.5, -2.25, 3, 4, 5.5, -6.125]);
  const expectInts: [string, MatClassName, number[]][] = [
    ['sg', 'single', [0.5, -1.25]],
    ['i8', 'int8', [-128, 127]],
    ['u8', 'uint8', [0, 255]],
    ['i16', 'int16', [-32768, 32767]],
    ['u16', 'uint16', [0, 65535]],
    ['i32', 'int32', [-2147483648, 2147483647]],
    ['u32', 'uint32', [0, 4294967295]],
    ['i64', 'int64', [-(2 ** 53), 2 ** 53]],
    ['u64', 'uint64', [0, 2 ** 53]],
    ['b', 'logical', [1, 0, 1]],
    ['one', 'double', [7]],
  ];
  for (const [name, cls, v] of expectInts) {
    const a = m.get(name)!;
    expect(a.className, name).toBe(cls);
    expect(values(a.data), name).toEqual(v);
    expect(a.complex, name).toBe(false);
  }
  const c = m.get('c')!;
  expect(c.complex).toBe(true);
  expect(values(c.data)).toEqual([1, -3.5]);
  expect(values(c.imag)).toEqual([2, -0.25]);
  expect(m.get('txt')!.text).toBe('µT and m/s²');
  expect(m.get('txt')!.dims).toEqual([1, 11]);
  expect(m.get('rows')!.text).toBe('ab\ncd');
  expect(m.get('e')!.dims).toEqual([0, 3]);
  expect(m.get('e')!.data.length).toBe(0);
  expect(m.get('n3')!.dims).toEqual([2, 3, 4]);
  expect(values(m.get('n3')!.data)).toEqual(Array.from({ length: 24 }, (_, i) => i));
  expect(m.skipped.map((s) => [s.name, s.className])).toEqual([
    ['s', 'struct'],
    ['cl', 'cell'],
    ['sp', 'sparse'],
  ]);
  expect(m.get('s')).toBeUndefined();
  expect([...m.variables.keys()]).toEqual(['d', 'sg', 'i8', 'u8', 'i16', 'u16', 'i32', 'u32', 'i64', 'u64', 'b', 'c', 'txt', 'rows', 'e', 'n3', 'one']);
  expect(describeMatVariables(m)).toContain('c (1×2 complex double)');
  expect(describeMatVariables(m)).toContain('s (struct, not read)');
}

describe('readMat on files written by scipy', () => {
  it('reads every numeric class, logical, complex, char and N-D arrays (uncompressed)', () => {
    expectScipyTypes(readMat(SCIPY_PLAIN));
  });

  it('reads the same from compressed elements', () => {
    expectScipyTypes(readMat(SCIPY_COMPRESSED));
  });
});

describe('readMat round trip with the writer', () => {
  const classes: MatClassName[] = ['double', 'single', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'logical', 'char'];
  const RANGE: Record<string, [number, number]> = {
    int8: [-128, 127],
    uint8: [0, 255],
    int16: [-32768, 32767],
    uint16: [0, 65535],
    int32: [-(2 ** 31), 2 ** 31 - 1],
    uint32: [0, 2 ** 32 - 1],
    int64: [-(2 ** 53), 2 ** 53],
    uint64: [0, 2 ** 53],
    logical: [0, 1],
    char: [0, 0xffff],
  };
  const valueOf = (cls: MatClassName): fc.Arbitrary<number> => {
    if (cls === 'double') return fc.double();
    if (cls === 'single') return fc.float();
    const [lo, hi] = RANGE[cls]!;
    return fc.integer({ min: lo, max: hi });
  };
  const variable = fc
    .record({
      cls: fc.constantFrom(...classes),
      rows: fc.integer({ min: 0, max: 4 }),
      cols: fc.integer({ min: 0, max: 5 }),
      complex: fc.boolean(),
    })
    .chain(({ cls, rows, cols, complex }) => {
      const n = rows * cols;
      const isComplex = complex && cls !== 'logical' && cls !== 'char';
      return fc.record({
        className: fc.constant(cls),
        dims: fc.constant([rows, cols]),
        data: fc.array(valueOf(cls), { minLength: n, maxLength: n }),
        imag: isComplex ? fc.array(valueOf(cls), { minLength: n, maxLength: n }) : fc.constant(undefined),
      });
    });
  const file = fc.record({
    vars: fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_]{0,12}$/), variable), { maxLength: 6, selector: ([name]) => name }),
    littleEndian: fc.boolean(),
    compress: fc.boolean(),
  });

  it('preserves names, classes, dims and every value bit for bit (both byte orders, compressed or not)', () => {
    fc.assert(
      fc.property(file, ({ vars, littleEndian, compress }) => {
        const written: MatWriteVariable[] = vars.map(([name, v]) => (v.imag ? { name, ...v, imag: v.imag } : { name, className: v.className, dims: v.dims, data: v.data }));
        const m = readMat(writeMat(written, { littleEndian, compress }));
        expect(m.header.littleEndian).toBe(littleEndian);
        expect([...m.variables.keys()]).toEqual(vars.map(([n]) => n));
        for (const [name, v] of vars) {
          const a = m.get(name)!;
          expect(a.className).toBe(v.className);
          expect(a.dims).toEqual(v.dims);
          expect(a.complex).toBe(v.imag !== undefined);
          const same = (x: ArrayLike<number>, y: number[]) => y.every((e, i) => Object.is(x[i], e)) && x.length === y.length;
          expect(same(a.data, v.data)).toBe(true);
          if (v.imag) expect(same(a.imag!, v.imag)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('converts values stored in a narrower type than their class (as MATLAB saves integral doubles)', () => {
    for (const [storage, data] of [
      [MI.UINT8, [0, 1, 255]],
      [MI.INT8, [-128, 0, 127]],
      [MI.INT16, [-300, 2, 30000]],
      [MI.UINT16, [0, 40000, 65535]],
      [MI.INT32, [-70000, 5, 70000]],
      [MI.UINT32, [0, 3e9, 1]],
      [MI.SINGLE, [0.5, -2.25, 1e10]],
    ] as const) {
      for (const littleEndian of [true, false]) {
        const m = readMat(writeMat([{ name: 'x', className: 'double', dims: [3, 1], data, storage }], { littleEndian, compress: false }));
        expect(m.get('x')!.className).toBe('double');
        expect(values(m.get('x')!.data)).toEqual([...data]);
      }
    }
  });

  it('reads small data elements (≤ 4 bytes of data in the tag) in both byte orders', () => {
    for (const littleEndian of [true, false]) {
      const bytes = writeMat(
        [
          { name: 'ab', className: 'double', dims: [1, 1], data: [42], storage: MI.UINT8 },
          { name: 'sgl', className: 'single', dims: [1, 1], data: [-0.75] },
          { name: 'ch', className: 'char', text: 'hi' },
        ],
        { littleEndian, compress: false },
      );
      const m = readMat(bytes);
      expect(values(m.get('ab')!.data)).toEqual([42]);
      expect(values(m.get('sgl')!.data)).toEqual([-0.75]);
      expect(m.get('ch')!.text).toBe('hi');
    }
  });

  it('reads char arrays stored as miUINT16 and miUTF8, one row or several', () => {
    const m = readMat(
      writeMat([
        { name: 'u16', className: 'char', text: 'Grad °C', storage: MI.UINT16 },
        { name: 'u8', className: 'char', text: 'µT²' },
        { name: 'two', className: 'char', dims: [2, 3], data: [...'adbecf'].map((c) => c.charCodeAt(0)) },
      ]),
    );
    expect(m.get('u16')!.text).toBe('Grad °C');
    expect(m.get('u8')!.text).toBe('µT²');
    expect(m.get('two')!.text).toBe('abc\ndef');
  });
});

describe('readMat errors', () => {
  const at = (bytes: Uint8Array) => {
    const e = readOrError(bytes);
    if (!(e instanceof MatFormatError)) throw new Error('expected a MatFormatError');
    return e;
  };

  it('names the file and the byte offset: `file: byte N: …`, line 0', () => {
    const e = at(withHeader(u32le(99, 8, 0, 0)));
    expect(e.message).toBe('fuzz.mat: byte 128: unknown data element type 99');
    expect(e.byteOffset).toBe(128);
    expect(e.line).toBe(0);
  });

  it('refuses what is not a Level 5 MAT-file, saying what it is', () => {
    expect(at(new TextEncoder().encode('t,ax,ay,az,gx,gy,gz\n'.repeat(10))).message).toContain("no 'MATLAB 5.0 MAT-file' header");
    expect(at(new TextEncoder().encode('t,ax\n')).message).toContain('shorter than the 128-byte header');
    expect(at(writeMat([]).subarray(0, 100)).message).toContain('truncated MAT-file header (100 of 128 bytes)');
    const v73 = writeMat([], { headerText: 'MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: …  HDF5 schema 1.00 .' });
    expect(at(v73).message).toContain('v7.3');
    const badVersion = writeMat([]);
    badVersion[124] = 0x00;
    badVersion[125] = 0x02;
    expect(at(badVersion).message).toContain('byte 124: unsupported MAT-file version 0x0200');
    const noEndian = writeMat([]);
    noEndian[126] = 0;
    expect(at(noEndian).message).toContain("no endian indicator 'IM' or 'MI'");
  });

  it('reports a truncated element with what was declared and what is there', () => {
    const bytes = writeMat([{ name: 'x', className: 'double', dims: [4, 1], data: [1, 2, 3, 4] }], { compress: false });
    expect(at(bytes.subarray(0, bytes.length - 20)).message).toMatch(/byte 128: data element: miMATRIX element of \d+ bytes, but only \d+ bytes follow/);
  });

  it('reports bad zlib data and inner errors at the compressed element, with the inflated offset', () => {
    expect(at(withHeader([...u32le(MI.COMPRESSED, 8), 1, 2, 3, 4, 5, 6, 7, 8])).message).toContain('byte 128: compressed element: invalid zlib data');
    // An inner matrix whose array flags are not miUINT32.
    const inner = new Uint8Array(u32le(MI.MATRIX, 16, MI.DOUBLE, 8, 0, 0));
    const z = zlibSync(inner);
    const e = at(withHeader([...u32le(MI.COMPRESSED, z.length), ...z]));
    expect(e.byteOffset).toBe(128);
    expect(e.message).toContain('array flags: expected 8 bytes of miUINT32, got 8 bytes of miDOUBLE (inflated byte 8 of the compressed element)');
  });

  it('refuses a compressed element declaring more than its bytes can inflate to', () => {
    const inner = new Uint8Array(u32le(MI.MATRIX, 0x7fff0000, 0, 0));
    const z = zlibSync(inner);
    expect(at(withHeader([...u32le(MI.COMPRESSED, z.length), ...z])).message).toContain('more than');
  });

  it('checks that the data fits the dimensions', () => {
    const bytes = writeMat([{ name: 'x', className: 'double', dims: [2, 2], data: [1, 2, 3] }], { compress: false });
    expect(at(bytes).message).toContain("'x' real part: 24 bytes of miDOUBLE for 4 elements");
  });

  it('refuses a variable name given twice', () => {
    const x: MatWriteVariable = { name: 'x', className: 'double', dims: [1, 1], data: [1] };
    expect(at(writeMat([x, x])).message).toContain("variable 'x' appears twice");
  });

  it('readMatHeader checks only the header', () => {
    expect(readMatHeader(writeMat([], { littleEndian: false })).littleEndian).toBe(false);
    expect(() => readMatHeader(new Uint8Array(128))).toThrow(MatFormatError);
  });

  it('column accessors refuse bad columns', () => {
    const m = readMat(SCIPY_PLAIN);
    expect(() => matColumn(m.get('d')!, 3)).toThrow(RangeError);
    expect(() => matColumn(m.get('n3')!, 0)).toThrow(RangeError);
    expect(() => matRowMajor(m.get('d')!, new Float64Array(5))).toThrow(RangeError);
  });
});

describe('readMat never crashes with anything but MatFormatError', () => {
  /** Truncation at every offset: an error, or a file with the complete variables before the cut. */
  function truncateEverywhere(bytes: Uint8Array): void {
    const full = readMat(bytes);
    const names = [...full.variables.keys()];
    let errors = 0;
    for (let cut = 0; cut < bytes.length; cut++) {
      const r = readOrError(bytes.subarray(0, cut));
      if (r instanceof MatFormatError) {
        errors++;
        continue;
      }
      const got = [...r.variables.keys()];
      expect(got).toEqual(names.slice(0, got.length));
      for (const name of got) expect(values(r.get(name)!.data)).toEqual(values(full.get(name)!.data));
    }
    expect(errors).toBeGreaterThan(bytes.length / 2);
  }

  it('on a scipy file truncated at every byte (uncompressed)', () => {
    truncateEverywhere(SCIPY_PLAIN);
  });

  it('on a scipy file truncated at every byte (compressed)', () => {
    truncateEverywhere(SCIPY_COMPRESSED);
  });

  it('on a big-endian file truncated at every byte', () => {
    truncateEverywhere(
      writeMat(
        [
          { name: 'acc', className: 'double', dims: [3, 2], data: [1, 2, 3, 4, 5, 6] },
          { name: 'ok', className: 'logical', dims: [1, 2], data: [1, 0] },
          { name: 't', className: 'char', text: 'x' },
        ],
        { littleEndian: false, compress: false },
      ),
    );
  });

  it('on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        expect(readOrError(bytes)).toBeInstanceOf(MatFormatError);
      }),
      { numRuns: 300 },
    );
  });

  it('on random bytes after a valid header', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.uint8Array({ maxLength: 400 }), (le, body) => {
        readOrError(withHeader(body, le));
      }),
      { numRuns: 300 },
    );
  });

  it('on random tags and sizes after a valid header (structured garbage)', () => {
    const word = fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(MI.MATRIX, MI.COMPRESSED, MI.UINT32, MI.INT32, 0x00040001));
    fc.assert(
      fc.property(fc.array(word, { maxLength: 40 }), (words) => {
        readOrError(withHeader(u32le(...words)));
      }),
      { numRuns: 300 },
    );
  });

  it('on valid files with bytes flipped', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(SCIPY_PLAIN, SCIPY_COMPRESSED),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
        (file, flips) => {
          const bytes = file.slice();
          for (const [pos, x] of flips) bytes[pos % bytes.length]! ^= x;
          readOrError(bytes);
        },
      ),
      { numRuns: 300 },
    );
  });
});
