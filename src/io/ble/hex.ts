/** Hex text for command bytes, capture files and error messages. */

/** `'02 02 00 01'`, `'02020001'` or `'02:02'` → bytes. Throws RangeError on anything else. */
export function hexToBytes(hex: string): Uint8Array {
  const s = hex.replace(/[\s:,-]/g, '');
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) throw new RangeError(`not hex bytes: '${hex.slice(0, 80)}'`);
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Bytes → `'02 02 00 01'` (space-separated, lower case), cut after `maxBytes` with `…`. */
export function bytesToHex(bytes: ArrayLike<number> | DataView, maxBytes = Infinity): string {
  const view = bytes instanceof DataView ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes;
  const n = Math.min(view.length, maxBytes);
  const parts: string[] = new Array(n);
  for (let i = 0; i < n; i++) parts[i] = (view[i]! & 0xff).toString(16).padStart(2, '0');
  return parts.join(' ') + (view.length > n ? ' …' : '');
}

/** A DataView over the bytes (no copy). */
export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The bytes behind a DataView (no copy). */
export function bytesOf(view: DataView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}
