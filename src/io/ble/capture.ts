/**
 * BLE capture files: what a device said and what the host wrote, with host timestamps, as
 * plain text — for tests, demos and bug reports ("here are the bytes"). {@link FakeTransport}
 * replays them.
 *
 * ```
 * kinemetry-ble-capture 1
 * # comment lines start with '#'
 * device Polar Sense B5D3A12F
 * service fb005c80-02e7-f387-1cad-8acd2d8df0c8 fb005c81-02e7-f387-1cad-8acd2d8df0c8 fb005c82-02e7-f387-1cad-8acd2d8df0c8
 * 0.000 read   fb005c81-02e7-f387-1cad-8acd2d8df0c8 0f 05
 * 0.012 write  fb005c81-02e7-f387-1cad-8acd2d8df0c8 02 02 00 01 34 00 01 01 10 00 02 01 08 00
 * 0.040 notify fb005c81-02e7-f387-1cad-8acd2d8df0c8 f0 02 02 00 00
 * 0.300 notify fb005c82-02e7-f387-1cad-8acd2d8df0c8 02 …
 * 5.000 disconnect
 * ```
 *
 * The first line names the format and version. `device` (optional) gives the advertised
 * name; each `service` line lists a primary service and its characteristics. Event lines:
 * host time in s since capture start (non-decreasing), the operation, the characteristic and
 * the bytes in hex (spaces optional). `read` lines are the value the device returned to a
 * read, `write` lines what the host wrote, `notify` lines notifications and indications.
 */
import { RecordingFormatError } from '../errors';
import { bytesToHex, hexToBytes } from './hex';
import { canonicalUuid } from './uuid';

export const BLE_CAPTURE_MAGIC = 'kinemetry-ble-capture';
export const BLE_CAPTURE_VERSION = 1;

export interface BleCaptureService {
  readonly uuid: string;
  readonly characteristics: readonly string[];
}

export type BleCaptureEvent =
  | { readonly tS: number; readonly op: 'notify' | 'write' | 'read'; readonly characteristic: string; readonly bytes: Uint8Array }
  | { readonly tS: number; readonly op: 'disconnect' };

export interface BleCapture {
  readonly deviceName?: string;
  readonly services: readonly BleCaptureService[];
  readonly events: readonly BleCaptureEvent[];
}

function uuidAt(text: string, file: string, line: number): string {
  try {
    return canonicalUuid(text);
  } catch {
    throw new RecordingFormatError(`'${text}' is not a Bluetooth UUID`, { file, line });
  }
}

/** Parse a capture. Throws {@link RecordingFormatError} naming `file:line`. */
export function parseBleCapture(text: string, file = '<capture>'): BleCapture {
  const lines = text.split(/\r?\n/);
  let deviceName: string | undefined;
  const services: BleCaptureService[] = [];
  const events: BleCaptureEvent[] = [];
  let sawMagic = false;
  let lastTS = -Infinity;
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i]!.trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const words = raw.split(/\s+/);
    if (!sawMagic) {
      if (words[0] !== BLE_CAPTURE_MAGIC) throw new RecordingFormatError(`expected '${BLE_CAPTURE_MAGIC} ${BLE_CAPTURE_VERSION}' as the first line`, { file, line: lineNo });
      if (words[1] !== String(BLE_CAPTURE_VERSION)) throw new RecordingFormatError(`unsupported capture version '${words[1] ?? ''}' (this reader knows ${BLE_CAPTURE_VERSION})`, { file, line: lineNo });
      sawMagic = true;
      continue;
    }
    const head = words[0]!;
    if (head === 'device') {
      deviceName = raw.slice('device'.length).trim();
      continue;
    }
    if (head === 'service') {
      if (words.length < 2) throw new RecordingFormatError('service line needs a service UUID', { file, line: lineNo });
      services.push({ uuid: uuidAt(words[1]!, file, lineNo), characteristics: words.slice(2).map((w) => uuidAt(w, file, lineNo)) });
      continue;
    }
    const tS = Number(head);
    if (!/^[0-9.eE+-]+$/.test(head) || !Number.isFinite(tS)) throw new RecordingFormatError(`expected a time in s, 'device' or 'service', got '${head}'`, { file, line: lineNo });
    if (tS < lastTS) throw new RecordingFormatError(`time ${tS} s is earlier than the previous event (${lastTS} s)`, { file, line: lineNo });
    lastTS = tS;
    const op = words[1];
    if (op === 'disconnect') {
      events.push({ tS, op });
      continue;
    }
    if (op !== 'notify' && op !== 'write' && op !== 'read') throw new RecordingFormatError(`unknown operation '${op ?? ''}' (notify, write, read, disconnect)`, { file, line: lineNo });
    if (words.length < 3) throw new RecordingFormatError(`${op} needs a characteristic UUID`, { file, line: lineNo });
    const characteristic = uuidAt(words[2]!, file, lineNo);
    let bytes: Uint8Array;
    try {
      bytes = hexToBytes(words.slice(3).join(''));
    } catch (err) {
      throw new RecordingFormatError((err as Error).message, { file, line: lineNo });
    }
    events.push({ tS, op, characteristic, bytes });
  }
  if (!sawMagic) throw new RecordingFormatError(`empty capture (expected '${BLE_CAPTURE_MAGIC} ${BLE_CAPTURE_VERSION}')`, { file, line: 1 });
  const result: BleCapture = { services, events };
  return deviceName !== undefined ? { ...result, deviceName } : result;
}

/** Format a capture as text ({@link parseBleCapture} reads it back identically). */
export function formatBleCapture(capture: BleCapture): string {
  const out = [`${BLE_CAPTURE_MAGIC} ${BLE_CAPTURE_VERSION}`];
  if (capture.deviceName !== undefined) out.push(`device ${capture.deviceName}`);
  for (const s of capture.services) out.push(['service', s.uuid, ...s.characteristics].join(' '));
  for (const e of capture.events) {
    const t = e.tS.toFixed(6);
    out.push(e.op === 'disconnect' ? `${t} disconnect` : `${t} ${e.op} ${e.characteristic} ${bytesToHex(e.bytes)}`);
  }
  return out.join('\n') + '\n';
}
