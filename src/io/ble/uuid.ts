/**
 * Bluetooth UUIDs as lower-case 128-bit strings, so that a characteristic found by the
 * browser, by `webbluetooth` and in a capture file compares equal however it was spelled.
 */

const BASE_SUFFIX = '-0000-1000-8000-00805f9b34fb';
const FULL_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `0xFDF3`, `'fdf3'` or `'0000fdf3'` → the SIG-base 128-bit form; a full UUID → lower case. */
export function canonicalUuid(uuid: string | number): string {
  if (typeof uuid === 'number') return `${(uuid >>> 0).toString(16).padStart(8, '0')}${BASE_SUFFIX}`;
  const s = uuid.trim().toLowerCase();
  if (FULL_RE.test(s)) return s;
  const short = s.replace(/^0x/, '');
  if (/^[0-9a-f]{4}$|^[0-9a-f]{8}$/.test(short)) return `${short.padStart(8, '0')}${BASE_SUFFIX}`;
  throw new RangeError(`'${uuid}' is not a Bluetooth UUID (16-, 32- or 128-bit)`);
}

export function sameUuid(a: string, b: string): boolean {
  return canonicalUuid(a) === canonicalUuid(b);
}
