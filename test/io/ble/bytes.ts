/** Byte builders for hand-made protocol frames in the BLE tests. */
import { hexToBytes } from '../../../src/io/ble/hex';

export function view(bytes: ArrayLike<number> | string): DataView {
  const b = typeof bytes === 'string' ? hexToBytes(bytes) : Uint8Array.from(bytes as ArrayLike<number>);
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

export function u16(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff];
}
export function i16(v: number): number[] {
  return u16(v < 0 ? v + 0x10000 : v);
}
export function u32(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}
export function i32(v: number): number[] {
  return u32(v < 0 ? v + 2 ** 32 : v);
}
export function i24(v: number): number[] {
  const u = v < 0 ? v + 2 ** 24 : v;
  return [u & 0xff, (u >>> 8) & 0xff, (u >>> 16) & 0xff];
}
export function u64(v: bigint): number[] {
  const out: number[] = [];
  for (let i = 0n; i < 8n; i++) out.push(Number((v >> (8n * i)) & 0xffn));
  return out;
}
export function f32(...vs: number[]): number[] {
  const b = new Uint8Array(4 * vs.length);
  const d = new DataView(b.buffer);
  vs.forEach((v, i) => d.setFloat32(4 * i, v, true));
  return [...b];
}
export function utf8(s: string): number[] {
  return [...new TextEncoder().encode(s)];
}

/** Deltas (rows of channel values) packed LSB-first at `width` bits, two's complement. */
export function packDeltas(width: number, rows: number[][]): number[] {
  const bits: number[] = [];
  for (const row of rows) {
    for (const d of row) {
      const u = d < 0 ? d + 2 ** width : d;
      if (u < 0 || u >= 2 ** width) throw new RangeError(`delta ${d} does not fit ${width} bits`);
      for (let j = 0; j < width; j++) bits.push(Math.floor(u / 2 ** j) % 2);
    }
  }
  const out = new Array(Math.ceil(bits.length / 8)).fill(0);
  bits.forEach((b, i) => (out[i >> 3] |= b << (i & 7)));
  return out;
}
