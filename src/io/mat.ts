/**
 * MATLAB Level 5 MAT-file reader (v5/v6/v7, i.e. everything `save` writes except `-v7.3`,
 * which is HDF5). Browser-safe and synchronous: bytes in, numeric arrays out.
 *
 * A MAT-file is a 128-byte header followed by data elements, each an 8-byte tag (type, byte
 * count; or the 4-byte "small data element" form for ≤ 4 bytes) and its data, padded to 8 bytes.
 * Variables are `miMATRIX` elements, usually wrapped whole in a zlib-compressed `miCOMPRESSED`
 * element (not padded). Both byte orders ('IM' little-endian, 'MI' big-endian) are read.
 *
 * Numeric classes (double, single, int8 … uint64), logical and char arrays are read, real and
 * complex, whatever numeric type the values were stored as (MATLAB stores integral doubles
 * as miUINT8 etc. to save space), into Float64Arrays in MATLAB's column-major order.
 * int64/uint64 values beyond 2^53 lose precision in the conversion. Cell, struct, object,
 * sparse and function-handle variables are skipped and listed in {@link MatFile.skipped}.
 *
 * The reader needs the whole file in memory (a compressed element is one zlib stream, and its
 * variable only exists once fully inflated); recordings stored as .mat are a few MB.
 * Malformed input throws {@link MatFormatError} with the byte offset; nothing else escapes.
 */
import { Unzlib, unzlibSync } from 'fflate';
import {
  MAT_FLAG_COMPLEX,
  MAT_FLAG_GLOBAL,
  MAT_FLAG_LOGICAL,
  MAT_HEADER_BYTES,
  MAT_HEADER_TEXT_BYTES,
  MAT_VERSION_5,
  MI,
  MX,
  miName,
  miValueBytes,
  numericClassName,
  skippedClassName,
} from './matConstants';
import type { MatClassName, MatSkippedClass } from './matConstants';
import { MatFormatError } from './matError';

export type { MatClassName, MatNumericClass, MatSkippedClass } from './matConstants';

/** A numeric, logical or char variable. */
export interface MatArray {
  readonly name: string;
  /** As MATLAB's `class()`: `double`, `single`, `int8` … `uint64`, `logical`, `char`. */
  readonly className: MatClassName;
  /** Dimensions, at least two (a 3-column matrix of N rows is `[N, 3]`). */
  readonly dims: readonly number[];
  /** Real part, column-major (element (i, j) of an R×C matrix at `i + R·j`), length = product of dims. Char: UTF-16 code units. */
  readonly data: Float64Array;
  /** Whether the array is complex; its imaginary part is then in {@link imag}. */
  readonly complex: boolean;
  /** Imaginary part, column-major like {@link data}; present only for complex arrays. */
  readonly imag?: Float64Array;
  readonly global: boolean;
  /** Char arrays only: the text, rows joined by `\n`. */
  readonly text?: string;
  /** Offset in the file of the data element holding this variable. */
  readonly byteOffset: number;
}

/** A variable the reader does not convert (cell, struct, …), or a stray element. */
export interface MatSkipped {
  /** Variable name ('' when unnamed, e.g. subsystem data). */
  readonly name: string;
  readonly className: MatSkippedClass;
  readonly byteOffset: number;
  /** Why it was skipped, for messages. */
  readonly note: string;
}

export interface MatHeader {
  /** Descriptive text of the header, trailing spaces and NULs removed (e.g. `MATLAB 5.0 MAT-file, Platform: …`). */
  readonly text: string;
  readonly littleEndian: boolean;
  /** 0x0100 for Level 5. */
  readonly version: number;
  /** Offset of MATLAB's subsystem data, when the header gives one. */
  readonly subsystemOffset: number | undefined;
}

export interface MatFile {
  readonly header: MatHeader;
  /** Numeric, logical and char variables by name, in file order. */
  readonly variables: ReadonlyMap<string, MatArray>;
  readonly skipped: readonly MatSkipped[];
  /** The variable called `name`, or undefined. */
  get(name: string): MatArray | undefined;
}

/** A deflate stream expands at most ~1032:1; anything claiming more is corrupt (or a bomb). */
const MAX_DEFLATE_RATIO = 1032;
/** Largest inflated element accepted (typed-array allocations beyond this fail unpredictably). */
const MAX_INFLATED_BYTES = 2 ** 31 - 1;
/** Input slice fed to the streaming inflater while peeking at the inner tag. */
const PEEK_SLICE_BYTES = 4096;

/** A run of bytes holding data elements: the file itself, or an inflated compressed element. */
interface Region {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly le: boolean;
  readonly file: string | undefined;
  /** Offset in the file of the compressed element this region was inflated from (absent: the file). */
  readonly inflatedFrom?: number;
}

interface Tag {
  readonly type: number;
  /** Byte count of the data. */
  readonly size: number;
  readonly dataOff: number;
  /** Offset after the element including padding (may exceed the region for a last unpadded element). */
  readonly next: number;
}

function fail(r: Region, reason: string, off: number): never {
  if (r.inflatedFrom === undefined) throw new MatFormatError(reason, r.file, off);
  throw new MatFormatError(`${reason} (inflated byte ${off} of the compressed element)`, r.file, r.inflatedFrom);
}

function pad8(n: number): number {
  return n + ((8 - (n % 8)) % 8);
}

function u32(r: Region, off: number): number {
  return r.view.getUint32(off, r.le);
}

function regionOf(bytes: Uint8Array, le: boolean, file: string | undefined, inflatedFrom?: number): Region {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return inflatedFrom === undefined ? { bytes, view, le, file } : { bytes, view, le, file, inflatedFrom };
}

/** Tag at `off`, its data within [off, end). `what` names the element for messages. */
function readTag(r: Region, off: number, end: number, what: string): Tag {
  if (off + 4 > end) fail(r, `${what}: truncated tag (${end - off} of 8 bytes)`, off);
  const word = u32(r, off);
  // Small data element: byte count in the upper 16 bits (read in file order), data in the next 4 bytes.
  if (word >>> 16 !== 0) {
    const size = word >>> 16;
    const type = word & 0xffff;
    if (size > 4) fail(r, `${what}: small data element claims ${size} bytes (at most 4)`, off);
    if (off + 8 > end) fail(r, `${what}: truncated small data element`, off);
    return { type, size, dataOff: off + 4, next: off + 8 };
  }
  if (off + 8 > end) fail(r, `${what}: truncated tag (${end - off} of 8 bytes)`, off);
  const size = u32(r, off + 4);
  if (off + 8 + size > end) {
    fail(r, `${what}: ${miName(word)} element of ${size} bytes, but only ${end - off - 8} bytes follow (file truncated?)`, off);
  }
  return { type: word, size, dataOff: off + 8, next: off + 8 + pad8(size) };
}

/** The 128-byte header (check a file early, before the rest has arrived). Throws MatFormatError. */
export function readMatHeader(bytes: Uint8Array, file?: string): MatHeader {
  const r = regionOf(bytes, true, file);
  const latin1 = (a: number, b: number) => String.fromCharCode(...bytes.subarray(a, Math.min(b, bytes.length)));
  const start = latin1(0, 19);
  if (bytes.length < MAT_HEADER_BYTES) {
    fail(r, start.startsWith('MATLAB') ? `truncated MAT-file header (${bytes.length} of 128 bytes)` : 'not a MAT-file (shorter than the 128-byte header)', 0);
  }
  const text = latin1(0, MAT_HEADER_TEXT_BYTES).replace(/[\s\0]+$/, '');
  if (/^MATLAB 7\.3 MAT-file/.test(text)) {
    fail(r, 'MATLAB v7.3 MAT-file (HDF5) is not supported: save it with `save -v7` in MATLAB or with scipy.io.savemat', 0);
  }
  const e0 = bytes[126]!;
  const e1 = bytes[127]!;
  let le: boolean;
  if (e0 === 0x49 && e1 === 0x4d) le = true; // 'IM': written little-endian
  else if (e0 === 0x4d && e1 === 0x49) le = false; // 'MI'
  else if (!text.startsWith('MATLAB')) fail(r, "not a MAT-file: no 'MATLAB 5.0 MAT-file' header", 0);
  else fail(r, "not a Level 5 MAT-file: no endian indicator 'IM' or 'MI' (MAT v4 files are not supported)", 126);
  const version = r.view.getUint16(124, le);
  if (version !== MAT_VERSION_5) {
    fail(r, `unsupported MAT-file version 0x${version.toString(16).padStart(4, '0')} (expected 0x0100, Level 5)`, 124);
  }
  const sub = bytes.subarray(116, 124);
  const unset = sub.every((b) => b === 0) || sub.every((b) => b === 0x20);
  const subsystemOffset = unset ? undefined : Number(r.view.getBigUint64(116, le));
  return { text, littleEndian: le, version, subsystemOffset };
}

/** Inflate a compressed element's data into exactly the inner element it declares. */
function inflate(r: Region, data: Uint8Array, at: number): Uint8Array {
  const head = new Uint8Array(8);
  let got = 0;
  const reason = (e: unknown) => `compressed element: invalid zlib data (${e instanceof Error ? e.message : String(e)})`;
  try {
    const stream = new Unzlib((chunk) => {
      const n = Math.min(chunk.length, 8 - got);
      head.set(chunk.subarray(0, n), got);
      got += n;
    });
    for (let p = 0; p < data.length && got < 8; p += PEEK_SLICE_BYTES) {
      const e = Math.min(data.length, p + PEEK_SLICE_BYTES);
      stream.push(data.subarray(p, e), e === data.length);
    }
  } catch (e) {
    fail(r, reason(e), at);
  }
  if (got < 8) fail(r, `compressed element inflates to ${got} bytes, less than one data element tag`, at);
  const hv = new DataView(head.buffer);
  const word = hv.getUint32(0, r.le);
  const total = word >>> 16 !== 0 ? 8 : 8 + pad8(hv.getUint32(4, r.le));
  if (total > MAX_INFLATED_BYTES || total > data.length * MAX_DEFLATE_RATIO + 64) {
    fail(r, `compressed element declares ${total} bytes, more than ${data.length} compressed bytes can hold`, at);
  }
  let out: Uint8Array;
  try {
    // Into a buffer of the declared size: one pass, no growing, nothing beyond it kept.
    out = unzlibSync(data, { out: new Uint8Array(total) });
  } catch (e) {
    fail(r, reason(e), at);
  }
  return out;
}

function decodeName(r: Region, tag: Tag, off: number): string {
  if (tag.type !== MI.INT8 && tag.type !== MI.UINT8 && tag.type !== MI.UTF8) {
    fail(r, `array name: expected miINT8 text, got ${miName(tag.type)}`, off);
  }
  let s = '';
  for (let i = 0; i < tag.size; i++) {
    const c = r.bytes[tag.dataOff + i]!;
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}

/** `count` values of numeric element type `type` at `off`, as doubles. */
function readValues(r: Region, type: number, off: number, count: number, out: Float64Array): void {
  const v = r.view;
  const le = r.le;
  switch (type) {
    case MI.DOUBLE:
      for (let i = 0; i < count; i++) out[i] = v.getFloat64(off + 8 * i, le);
      return;
    case MI.SINGLE:
      for (let i = 0; i < count; i++) out[i] = v.getFloat32(off + 4 * i, le);
      return;
    case MI.INT8:
      for (let i = 0; i < count; i++) out[i] = v.getInt8(off + i);
      return;
    case MI.UINT8:
      for (let i = 0; i < count; i++) out[i] = v.getUint8(off + i);
      return;
    case MI.INT16:
      for (let i = 0; i < count; i++) out[i] = v.getInt16(off + 2 * i, le);
      return;
    case MI.UINT16:
    case MI.UTF16:
      for (let i = 0; i < count; i++) out[i] = v.getUint16(off + 2 * i, le);
      return;
    case MI.INT32:
      for (let i = 0; i < count; i++) out[i] = v.getInt32(off + 4 * i, le);
      return;
    case MI.UINT32:
    case MI.UTF32:
      for (let i = 0; i < count; i++) out[i] = v.getUint32(off + 4 * i, le);
      return;
    case MI.INT64:
      for (let i = 0; i < count; i++) out[i] = Number(v.getBigInt64(off + 8 * i, le));
      return;
    case MI.UINT64:
      for (let i = 0; i < count; i++) out[i] = Number(v.getBigUint64(off + 8 * i, le));
      return;
    default:
      throw new RangeError(`readValues: not a numeric type ${type}`);
  }
}

/** The real or imaginary part of an array: `numel` values, converted from their stored type. */
function readPart(r: Region, tag: Tag, at: number, numel: number, char: boolean, what: string): Float64Array {
  if (char && tag.type === MI.UTF8) {
    // Decoding replaces invalid sequences with U+FFFD; MATLAB counts UTF-16 code units.
    const s = new TextDecoder('utf-8').decode(r.bytes.subarray(tag.dataOff, tag.dataOff + tag.size));
    if (s.length !== numel) fail(r, `${what}: ${s.length} characters of UTF-8 text for ${numel} elements`, at);
    const out = new Float64Array(numel);
    for (let i = 0; i < numel; i++) out[i] = s.charCodeAt(i);
    return out;
  }
  const bytes = tag.type === MI.UTF8 ? 0 : miValueBytes(tag.type);
  if (bytes === 0) fail(r, `${what}: ${miName(tag.type)} is not a numeric data type`, at);
  if (tag.size % bytes !== 0 || tag.size / bytes !== numel) {
    fail(r, `${what}: ${tag.size} bytes of ${miName(tag.type)} for ${numel} elements`, at);
  }
  const out = new Float64Array(numel);
  readValues(r, tag.type, tag.dataOff, numel, out);
  return out;
}

/** Rows of a char array, column-major code units → text. */
function charText(data: Float64Array, dims: readonly number[]): string {
  const rows = dims[0]!;
  if (rows === 0 || data.length === 0) return '';
  const cols = data.length / rows;
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    let s = '';
    for (let j = 0; j < cols; j++) {
      const c = data[i + rows * j]!;
      s += c <= 0xffff ? String.fromCharCode(c) : '\uFFFD';
    }
    lines.push(s);
  }
  return lines.join('\n');
}

/** Best-effort name of a skipped array (its dims and name follow the flags in every class). */
function peekName(r: Region, p: number, end: number): string {
  try {
    const dims = readTag(r, p, end, 'dimensions');
    const name = readTag(r, dims.next, end, 'array name');
    return decodeName(r, name, dims.next);
  } catch {
    return '';
  }
}

/** One miMATRIX element's data [p, end). */
function readMatrix(r: Region, p: number, end: number, at: number): MatArray | MatSkipped {
  if (p === end) return { name: '', className: 'unknown', byteOffset: at, note: 'empty matrix element' };
  const flagsTag = readTag(r, p, end, 'array flags');
  if (flagsTag.type !== MI.UINT32 || flagsTag.size !== 8) {
    fail(r, `array flags: expected 8 bytes of miUINT32, got ${flagsTag.size} bytes of ${miName(flagsTag.type)}`, p);
  }
  const flagsWord = u32(r, flagsTag.dataOff);
  const mxClass = flagsWord & 0xff;
  p = flagsTag.next;

  const numeric = numericClassName(mxClass);
  if (numeric === undefined && mxClass !== MX.CHAR) {
    const skipped = skippedClassName(mxClass);
    if (skipped === undefined) fail(r, `unknown array class ${mxClass}`, flagsTag.dataOff);
    const name = peekName(r, p, end);
    return { name, className: skipped, byteOffset: at, note: `${skipped} arrays are not read` };
  }

  const dimsTag = readTag(r, p, end, 'dimensions');
  if (dimsTag.type !== MI.INT32 || dimsTag.size % 4 !== 0 || dimsTag.size < 8) {
    fail(r, `dimensions: expected at least 2 miINT32 values, got ${dimsTag.size} bytes of ${miName(dimsTag.type)}`, p);
  }
  const dims: number[] = [];
  let numel = 1;
  for (let k = 0; k < dimsTag.size / 4; k++) {
    const d = r.view.getInt32(dimsTag.dataOff + 4 * k, r.le);
    if (d < 0) fail(r, `dimensions: negative size ${d}`, p);
    dims.push(d);
    numel *= d;
  }
  const nameOff = dimsTag.next;
  const nameTag = readTag(r, nameOff, end, 'array name');
  const name = decodeName(r, nameTag, nameOff);
  p = nameTag.next;

  const char = mxClass === MX.CHAR;
  const complex = (flagsWord & MAT_FLAG_COMPLEX) !== 0;
  if (complex && char) fail(r, `'${name}': complex char array`, flagsTag.dataOff);
  const realOff = p;
  const realTag = readTag(r, realOff, end, `'${name}' real part`);
  const data = readPart(r, realTag, realOff, numel, char, `'${name}' real part`);
  let imag: Float64Array | undefined;
  if (complex) {
    const imagOff = realTag.next;
    const imagTag = readTag(r, imagOff, end, `'${name}' imaginary part`);
    imag = readPart(r, imagTag, imagOff, numel, false, `'${name}' imaginary part`);
  }
  const className: MatClassName = char ? 'char' : (flagsWord & MAT_FLAG_LOGICAL) !== 0 ? 'logical' : numeric!;
  const array: { -readonly [K in keyof MatArray]: MatArray[K] } = {
    name,
    className,
    dims,
    data,
    complex,
    global: (flagsWord & MAT_FLAG_GLOBAL) !== 0,
    byteOffset: at,
  };
  if (imag) array.imag = imag;
  if (char) array.text = charText(data, dims);
  return array;
}

/** Elements of a region from `off` to its end; `top`: the file (compressed elements allowed). */
function readElements(r: Region, off: number, top: boolean, found: (v: MatArray | MatSkipped) => void): void {
  const end = r.bytes.length;
  while (off < end) {
    const tag = readTag(r, off, end, 'data element');
    const at = r.inflatedFrom ?? off;
    if (tag.type === MI.COMPRESSED && top) {
      const inner = inflate(r, r.bytes.subarray(tag.dataOff, tag.dataOff + tag.size), off);
      readElements(regionOf(inner, r.le, r.file, off), 0, false, found);
      // MATLAB does not pad compressed elements.
      off = tag.dataOff + tag.size;
      continue;
    }
    if (tag.type === MI.MATRIX) {
      found(readMatrix(r, tag.dataOff, tag.dataOff + tag.size, at));
    } else if (miValueBytes(tag.type) !== 0 || tag.type === MI.UTF8) {
      found({ name: '', className: 'unknown', byteOffset: at, note: `${miName(tag.type)} data element outside any variable` });
    } else {
      fail(r, `unknown data element type ${tag.type}${tag.type === MI.COMPRESSED ? ' (nested compression)' : ''}`, off);
    }
    // The last element may lack its padding.
    off = Math.min(tag.next, end);
    if (!top) return; // a compressed element holds one variable; the rest is padding
  }
}

/**
 * Read a whole Level 5 MAT-file. `file` names it in error messages. Throws MatFormatError
 * (a RecordingFormatError) on anything malformed or truncated.
 */
export function readMat(bytes: Uint8Array, file?: string): MatFile {
  const header = readMatHeader(bytes, file);
  const r = regionOf(bytes, header.littleEndian, file);
  const variables = new Map<string, MatArray>();
  const skipped: MatSkipped[] = [];
  readElements(r, MAT_HEADER_BYTES, true, (v) => {
    if (!('data' in v)) {
      skipped.push(v);
      return;
    }
    if (v.name === '') {
      skipped.push({ name: '', className: 'unknown', byteOffset: v.byteOffset, note: 'unnamed array (MATLAB subsystem data)' });
      return;
    }
    if (variables.has(v.name)) throw new MatFormatError(`variable '${v.name}' appears twice`, file, v.byteOffset);
    variables.set(v.name, v);
  });
  return { header, variables, skipped, get: (name) => variables.get(name) };
}

/** `name (R×C class)` for each variable and skipped array, for messages. */
export function describeMatVariables(mat: MatFile): string {
  const parts = [...mat.variables.values()].map((v) => `${v.name} (${v.dims.join('×')} ${v.complex ? 'complex ' : ''}${v.className})`);
  for (const s of mat.skipped) if (s.name !== '') parts.push(`${s.name} (${s.className}, not read)`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

/**
 * Column `j` of a 2-D array (rows × cols) as a view into its data (column-major storage makes
 * a column contiguous). Throws RangeError for a bad column or an array that is not 2-D.
 */
export function matColumn(a: MatArray, j: number): Float64Array {
  if (a.dims.length !== 2) throw new RangeError(`'${a.name}' is ${a.dims.length}-D, not a matrix`);
  const rows = a.dims[0]!;
  const cols = a.dims[1]!;
  if (!Number.isInteger(j) || j < 0 || j >= cols) throw new RangeError(`'${a.name}' has ${cols} columns, no column ${j}`);
  return a.data.subarray(rows * j, rows * (j + 1));
}

/**
 * A 2-D array's rows interleaved (row-major: row i at `i·cols`), the layout of SampleBlock
 * channels. `out` must hold rows·cols values; allocated when absent.
 */
export function matRowMajor(a: MatArray, out?: Float64Array): Float64Array {
  if (a.dims.length !== 2) throw new RangeError(`'${a.name}' is ${a.dims.length}-D, not a matrix`);
  const rows = a.dims[0]!;
  const cols = a.dims[1]!;
  const dst = out ?? new Float64Array(rows * cols);
  if (dst.length < rows * cols) throw new RangeError(`matRowMajor: out holds ${dst.length} values, need ${rows * cols}`);
  for (let j = 0; j < cols; j++) {
    const col = rows * j;
    for (let i = 0; i < rows; i++) dst[i * cols + j] = a.data[col + i]!;
  }
  return dst;
}
