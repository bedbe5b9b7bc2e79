/**
 * Struct layouts in Python `struct` notation (`<I6f`, `<9h`, `>hhh2x`), as DIY firmware
 * authors write them. Byte order prefix `<` (little, the default: BLE is little-endian),
 * `>`/`!` (big) or `=` (little); no alignment padding is ever inserted (write `x` for pads).
 */

export type StructCode = 'b' | 'B' | 'h' | 'H' | 'i' | 'I' | 'l' | 'L' | 'q' | 'Q' | 'f' | 'd';

const SIZES: Readonly<Record<StructCode | 'x', number>> = { x: 1, b: 1, B: 1, h: 2, H: 2, i: 4, I: 4, l: 4, L: 4, q: 8, Q: 8, f: 4, d: 8 };

export interface StructValue {
  readonly code: StructCode;
  readonly offset: number;
  readonly size: number;
  /** Integer codes: whether the value is unsigned (time counters wrap at 2^(8·size)). */
  readonly unsigned: boolean;
  readonly integer: boolean;
}

export interface StructLayout {
  readonly text: string;
  readonly littleEndian: boolean;
  /** Bytes per record. */
  readonly size: number;
  /** One entry per value (pads excluded), in order. */
  readonly values: readonly StructValue[];
}

/** Parse a layout. Throws RangeError naming the offending character. */
export function parseStructLayout(text: string): StructLayout {
  let s = text.replace(/\s+/g, '');
  let littleEndian = true;
  if (s[0] === '<' || s[0] === '=') s = s.slice(1);
  else if (s[0] === '>' || s[0] === '!') {
    littleEndian = false;
    s = s.slice(1);
  } else if (s[0] === '@') throw new RangeError(`struct layout '${text}': '@' (native alignment) is not supported; use '<' and explicit 'x' pads`);
  const values: StructValue[] = [];
  let offset = 0;
  const re = /(\d*)([a-zA-Z?])/y;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < s.length) {
    re.lastIndex = at;
    m = re.exec(s);
    if (!m) throw new RangeError(`struct layout '${text}': unexpected '${s[at]}'`);
    at = re.lastIndex;
    const count = m[1] === '' ? 1 : Number(m[1]);
    const code = m[2]! as StructCode | 'x';
    const size = SIZES[code];
    if (size === undefined) throw new RangeError(`struct layout '${text}': format '${code}' is not supported (b B h H i I l L q Q f d x)`);
    if (count > 4096) throw new RangeError(`struct layout '${text}': count ${count} is too large`);
    for (let k = 0; k < count; k++) {
      if (code !== 'x') {
        const integer = code !== 'f' && code !== 'd';
        values.push({ code, offset, size, integer, unsigned: integer && code === code.toUpperCase() });
      }
      offset += size;
    }
  }
  if (offset === 0) throw new RangeError(`struct layout '${text}' is empty`);
  return { text, littleEndian, size: offset, values };
}

/** One value of a record. 64-bit integers become the nearest double. */
export function readStructValue(view: DataView, base: number, v: StructValue, littleEndian: boolean): number {
  const o = base + v.offset;
  switch (v.code) {
    case 'b':
      return view.getInt8(o);
    case 'B':
      return view.getUint8(o);
    case 'h':
      return view.getInt16(o, littleEndian);
    case 'H':
      return view.getUint16(o, littleEndian);
    case 'i':
    case 'l':
      return view.getInt32(o, littleEndian);
    case 'I':
    case 'L':
      return view.getUint32(o, littleEndian);
    case 'q':
      return Number(view.getBigInt64(o, littleEndian));
    case 'Q':
      return Number(view.getBigUint64(o, littleEndian));
    case 'f':
      return view.getFloat32(o, littleEndian);
    case 'd':
      return view.getFloat64(o, littleEndian);
  }
}
