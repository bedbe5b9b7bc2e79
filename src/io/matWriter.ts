/**
 * Minimal MATLAB Level 5 MAT-file writer: numeric, logical and char matrices, optionally each
 * in its own zlib-compressed element (what MATLAB's default `save` writes), either byte order.
 * It exists to cut fixture slices out of real recordings and to round-trip test the reader;
 * kinemetry does not offer .mat as an output format.
 */
import { zlibSync } from 'fflate';
import { MAT_FLAG_COMPLEX, MAT_FLAG_LOGICAL, MAT_HEADER_BYTES, MAT_HEADER_TEXT_BYTES, MAT_VERSION_5, MI, MX, miValueBytes, mxClassOf } from './matConstants';
import type { MatClassName } from './matConstants';

export interface MatWriteVariable {
  readonly name: string;
  readonly className: MatClassName;
  /** At least two; product = number of values. Default for char: `[1, text.length]`. */
  readonly dims?: readonly number[];
  /** Values, column-major (for char: UTF-16 code units; or give `text`). */
  readonly data?: ArrayLike<number>;
  /** Imaginary part (makes the array complex). */
  readonly imag?: ArrayLike<number>;
  /** Char arrays: one row of text. */
  readonly text?: string;
  /**
   * Data element type to store the values as (an `MI` code), e.g. `MI.UINT8` for integral
   * doubles, as MATLAB does. Default: the class's own type; char: miUTF8 (from `text`) or miUINT16.
   */
  readonly storage?: number;
}

export interface MatWriteOptions {
  /** Default true ('IM'); false writes big-endian ('MI'). */
  readonly littleEndian?: boolean;
  /** Wrap each variable in a miCOMPRESSED element. Default true. */
  readonly compress?: boolean;
  /** Header text (at most 116 bytes). Default `MATLAB 5.0 MAT-file, written by kinemetry`. */
  readonly headerText?: string;
  /** Deflate level 0–9. Default 9. */
  readonly level?: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
}

const CLASS_STORAGE: Readonly<Record<Exclude<MatClassName, 'char' | 'logical'>, number>> = {
  double: MI.DOUBLE,
  single: MI.SINGLE,
  int8: MI.INT8,
  uint8: MI.UINT8,
  int16: MI.INT16,
  uint16: MI.UINT16,
  int32: MI.INT32,
  uint32: MI.UINT32,
  int64: MI.INT64,
  uint64: MI.UINT64,
};

/** Growable byte sink with an endianness. */
class Sink {
  private buf = new Uint8Array(1024);
  private view = new DataView(this.buf.buffer);
  length = 0;
  constructor(readonly le: boolean) {}

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.length, v, this.le);
    this.length += 4;
  }

  pad(to: number): void {
    const n = (to - (this.length % to)) % to;
    this.ensure(n);
    this.length += n; // buffer is zero-filled
  }

  value(type: number, v: number): void {
    const n = miValueBytes(type);
    this.ensure(n);
    const d = this.view;
    const o = this.length;
    const le = this.le;
    switch (type) {
      case MI.DOUBLE:
        d.setFloat64(o, v, le);
        break;
      case MI.SINGLE:
        d.setFloat32(o, v, le);
        break;
      case MI.INT8:
        d.setInt8(o, v);
        break;
      case MI.UINT8:
      case MI.UTF8:
        d.setUint8(o, v);
        break;
      case MI.INT16:
        d.setInt16(o, v, le);
        break;
      case MI.UINT16:
      case MI.UTF16:
        d.setUint16(o, v, le);
        break;
      case MI.INT32:
        d.setInt32(o, v, le);
        break;
      case MI.UINT32:
      case MI.UTF32:
        d.setUint32(o, v, le);
        break;
      case MI.INT64:
        d.setBigInt64(o, BigInt(v), le);
        break;
      case MI.UINT64:
        d.setBigUint64(o, BigInt(v), le);
        break;
      default:
        throw new RangeError(`matWriter: not a numeric type ${type}`);
    }
    this.length += n;
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** One data element from its raw bytes: small format when it fits in 4 bytes, else tag + data + padding. */
function element(s: Sink, type: number, data: Uint8Array): void {
  if (data.length <= 4 && data.length > 0) {
    // Small data element: the (size, type) halves read as one uint32 in the file's byte order.
    s.u32(((data.length << 16) | type) >>> 0);
    s.bytes(data);
    s.pad(8);
    return;
  }
  s.u32(type);
  s.u32(data.length);
  s.bytes(data);
  s.pad(8);
}

function encodeValues(le: boolean, type: number, values: ArrayLike<number>): Uint8Array {
  const s = new Sink(le);
  for (let i = 0; i < values.length; i++) s.value(type, values[i]!);
  return s.result();
}

function matrixBody(v: MatWriteVariable, le: boolean): Uint8Array {
  const s = new Sink(le);
  const char = v.className === 'char';
  let data: ArrayLike<number>;
  let payload: Uint8Array;
  let storage: number;
  if (char && v.text !== undefined && (v.storage === undefined || v.storage === MI.UTF8)) {
    storage = MI.UTF8;
    payload = new TextEncoder().encode(v.text);
    data = Array.from(v.text, (_c, i) => v.text!.charCodeAt(i));
  } else {
    data = v.data ?? (v.text !== undefined ? Array.from(v.text, (_c, i) => v.text!.charCodeAt(i)) : []);
    storage = v.storage ?? (char ? MI.UINT16 : v.className === 'logical' ? MI.UINT8 : CLASS_STORAGE[v.className as keyof typeof CLASS_STORAGE]);
    payload = encodeValues(le, storage, data);
  }
  const dims = v.dims ?? [1, data.length];
  const mxClass = char ? MX.CHAR : v.className === 'logical' ? MX.UINT8 : mxClassOf(v.className as keyof typeof CLASS_STORAGE);
  const flags = mxClass | (v.className === 'logical' ? MAT_FLAG_LOGICAL : 0) | (v.imag ? MAT_FLAG_COMPLEX : 0);
  const flagBytes = new Sink(le);
  flagBytes.u32(flags);
  flagBytes.u32(0);
  element(s, MI.UINT32, flagBytes.result());
  const dimBytes = new Sink(le);
  for (const d of dims) dimBytes.u32(d);
  element(s, MI.INT32, dimBytes.result());
  element(s, MI.INT8, new TextEncoder().encode(v.name));
  element(s, storage, payload);
  if (v.imag) element(s, storage, encodeValues(le, storage, v.imag));
  return s.result();
}

/** A MAT-file holding `variables`, in order. */
export function writeMat(variables: readonly MatWriteVariable[], options: MatWriteOptions = {}): Uint8Array {
  const le = options.littleEndian ?? true;
  const s = new Sink(le);
  const text = new TextEncoder().encode(options.headerText ?? 'MATLAB 5.0 MAT-file, written by kinemetry');
  if (text.length > MAT_HEADER_TEXT_BYTES) throw new RangeError(`header text longer than ${MAT_HEADER_TEXT_BYTES} bytes`);
  const header = new Uint8Array(MAT_HEADER_BYTES).fill(0x20, 0, MAT_HEADER_TEXT_BYTES);
  header.set(text);
  header.fill(0, MAT_HEADER_TEXT_BYTES, 124); // no subsystem data
  new DataView(header.buffer).setUint16(124, MAT_VERSION_5, le);
  header.set(le ? [0x49, 0x4d] : [0x4d, 0x49], 126);
  s.bytes(header);
  for (const v of variables) {
    const body = matrixBody(v, le);
    if (options.compress === false) {
      element(s, MI.MATRIX, body);
    } else {
      const inner = new Sink(le);
      inner.u32(MI.MATRIX);
      inner.u32(body.length);
      inner.bytes(body);
      const z = zlibSync(inner.result(), { level: options.level ?? 9 });
      // Compressed elements are not padded (as MATLAB writes them).
      s.u32(MI.COMPRESSED);
      s.u32(z.length);
      s.bytes(z);
    }
  }
  return s.result();
}
