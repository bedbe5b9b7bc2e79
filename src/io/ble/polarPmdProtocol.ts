/**
 * Polar Measurement Data (PMD) protocol — Verity Sense, H10, OH1: command building,
 * control-point answers and data frames (uncompressed and delta-compressed). Pure functions
 * over bytes; the driver (./polarPmd) holds the stream state. Facts from
 * shared/reference/sensors.md (Polar BLE SDK).
 */
import { DEG_TO_RAD, STANDARD_GRAVITY_MS2 } from '../../samples/units';

export const PMD_SERVICE = 'fb005c80-02e7-f387-1cad-8acd2d8df0c8';
export const PMD_CONTROL = 'fb005c81-02e7-f387-1cad-8acd2d8df0c8';
export const PMD_DATA = 'fb005c82-02e7-f387-1cad-8acd2d8df0c8';

export const PMD_MEASUREMENT = { ECG: 0, PPG: 1, ACC: 2, PPI: 3, GYRO: 5, MAG: 6, SDK_MODE: 9 } as const;
export type PmdMeasurementType = (typeof PMD_MEASUREMENT)[keyof typeof PMD_MEASUREMENT];

export const PMD_OP = { GET_SETTINGS: 1, START: 2, STOP: 3, GET_SDK_MODE_SETTINGS: 4, GET_STATUS: 5 } as const;

/** Setting types in start commands and settings answers. */
export const PMD_SETTING = { SAMPLE_RATE: 0, RESOLUTION: 1, RANGE: 2, RANGE_MILLIUNIT: 3, CHANNELS: 4, FACTOR: 5 } as const;

/** Bytes per value of each setting type. */
const SETTING_BYTES: Readonly<Record<number, number>> = { 0: 2, 1: 2, 2: 2, 3: 4, 4: 1, 5: 4 };

/** The first byte of every control-point answer. */
export const PMD_RESPONSE_CODE = 0xf0;

/** Control-point status codes (Polar BLE SDK). */
const STATUS_TEXT: readonly string[] = [
  'success',
  'invalid op code',
  'invalid measurement type',
  'not supported',
  'invalid length',
  'invalid parameter',
  'already in state',
  'invalid resolution',
  'invalid sample rate',
  'invalid range',
  'invalid MTU',
  'invalid number of channels',
  'invalid state',
  'device in charger',
];
export const PMD_STATUS_ALREADY_IN_STATE = 6;

export function pmdStatusText(status: number): string {
  return STATUS_TEXT[status] ?? `status ${status}`;
}

/** What a device can measure: the bitmap read from the control point (byte 1). */
export interface PmdFeatures {
  readonly ecg: boolean;
  readonly ppg: boolean;
  readonly acc: boolean;
  readonly ppi: boolean;
  readonly gyro: boolean;
  readonly mag: boolean;
}

/** Parse the control point's read value. Returns null when it is too short to hold the bitmap. */
export function parsePmdFeatures(value: DataView): PmdFeatures | null {
  if (value.byteLength < 2) return null;
  const b = value.getUint8(1);
  return { ecg: (b & 0x01) !== 0, ppg: (b & 0x02) !== 0, acc: (b & 0x04) !== 0, ppi: (b & 0x08) !== 0, gyro: (b & 0x20) !== 0, mag: (b & 0x40) !== 0 };
}

/** Requested stream settings. `range` is in the measurement's unit (g for ACC, deg/s for GYRO, gauss for MAG). */
export interface PmdStreamSettings {
  readonly sampleRateHz: number;
  readonly resolutionBits: number;
  readonly range?: number;
  /** Range in milli-units (u32), for devices that list it instead of `range`. */
  readonly rangeMilli?: number;
  readonly channels?: number;
}

function checkU(value: number, bits: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** bits) throw new RangeError(`PMD ${what} must be an integer in [0, ${2 ** bits}), got ${value}`);
  return value;
}

/** `[0x02, type, {settingType, 1, value}…]`, settings in type order. */
export function pmdStartCommand(type: number, s: PmdStreamSettings): Uint8Array {
  const out: number[] = [PMD_OP.START, checkU(type, 8, 'measurement type')];
  const u16 = (setting: number, v: number, what: string) => {
    checkU(v, 16, what);
    out.push(setting, 1, v & 0xff, v >>> 8);
  };
  u16(PMD_SETTING.SAMPLE_RATE, s.sampleRateHz, 'sample rate');
  u16(PMD_SETTING.RESOLUTION, s.resolutionBits, 'resolution');
  if (s.range !== undefined) u16(PMD_SETTING.RANGE, s.range, 'range');
  if (s.rangeMilli !== undefined) {
    const v = checkU(s.rangeMilli, 32, 'range (milli-units)');
    out.push(PMD_SETTING.RANGE_MILLIUNIT, 1, v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24);
  }
  if (s.channels !== undefined) out.push(PMD_SETTING.CHANNELS, 1, checkU(s.channels, 8, 'channels'));
  return Uint8Array.from(out);
}

/** `[0x01, type]`: ask which settings a measurement accepts. */
export function pmdSettingsQuery(type: number): Uint8Array {
  return Uint8Array.of(PMD_OP.GET_SETTINGS, checkU(type, 8, 'measurement type'));
}

/** `[0x03, type]`. */
export function pmdStopCommand(type: number): Uint8Array {
  return Uint8Array.of(PMD_OP.STOP, checkU(type, 8, 'measurement type'));
}

export interface PmdResponse {
  readonly opCode: number;
  readonly measurementType: number;
  readonly status: number;
  readonly statusText: string;
  /** Non-zero: the answer continues in another indication. */
  readonly more: number;
  readonly params: Uint8Array;
}

/** `F0, op, type, status, more, params…`; null when the value is not a control-point answer. */
export function parsePmdResponse(value: DataView): PmdResponse | null {
  if (value.byteLength < 4 || value.getUint8(0) !== PMD_RESPONSE_CODE) return null;
  const status = value.getUint8(3);
  return {
    opCode: value.getUint8(1),
    measurementType: value.getUint8(2),
    status,
    statusText: pmdStatusText(status),
    more: value.byteLength > 4 ? value.getUint8(4) : 0,
    params: new Uint8Array(value.buffer, value.byteOffset + Math.min(5, value.byteLength), Math.max(0, value.byteLength - 5)),
  };
}

/** Values a measurement accepts, from a settings answer. */
export interface PmdSettings {
  readonly sampleRateHz: readonly number[];
  readonly resolutionBits: readonly number[];
  readonly range: readonly number[];
  readonly rangeMilli: readonly number[];
  readonly channels: readonly number[];
  /** Scale of compressed samples, when the device sent one. */
  readonly factor?: number;
  /** Setting types this parser does not know; parsing stopped there (their size is unknown). */
  readonly unknownSettingType?: number;
}

/** Parse a settings list `{type, count, values…}…`. Throws RangeError on a truncated list. */
export function parsePmdSettings(params: Uint8Array): PmdSettings {
  const lists: number[][] = [[], [], [], [], []];
  let factor: number | undefined;
  const view = new DataView(params.buffer, params.byteOffset, params.byteLength);
  let i = 0;
  while (i < params.length) {
    const type = params[i]!;
    const size = SETTING_BYTES[type];
    if (size === undefined) {
      const partial = { sampleRateHz: lists[0]!, resolutionBits: lists[1]!, range: lists[2]!, rangeMilli: lists[3]!, channels: lists[4]!, unknownSettingType: type };
      return factor === undefined ? partial : { ...partial, factor };
    }
    if (i + 2 > params.length) throw new RangeError(`PMD settings: setting ${type} has no count`);
    const count = params[i + 1]!;
    i += 2;
    if (i + count * size > params.length) throw new RangeError(`PMD settings: setting ${type} needs ${count * size} bytes, ${params.length - i} left`);
    for (let k = 0; k < count; k++, i += size) {
      if (type === PMD_SETTING.FACTOR) factor = view.getFloat32(i, true);
      else lists[type]!.push(size === 1 ? view.getUint8(i) : size === 2 ? view.getUint16(i, true) : view.getUint32(i, true));
    }
  }
  const out = { sampleRateHz: lists[0]!, resolutionBits: lists[1]!, range: lists[2]!, rangeMilli: lists[3]!, channels: lists[4]! };
  return factor === undefined ? out : { ...out, factor };
}

/**
 * The factor in a start answer: a bare f32, or a settings list with a FACTOR entry.
 * Undefined when absent or not a finite positive number.
 */
export function parsePmdStartFactor(params: Uint8Array): number | undefined {
  let f: number | undefined;
  if (params.length === 4) f = new DataView(params.buffer, params.byteOffset, 4).getFloat32(0, true);
  else if (params.length > 0) {
    try {
      f = parsePmdSettings(params).factor;
    } catch {
      f = undefined;
    }
  }
  return f !== undefined && Number.isFinite(f) && f > 0 ? f : undefined;
}

/** Unix time of the PMD epoch (2000-01-01T00:00Z), s. */
export const PMD_EPOCH_UNIX_S = 946684800;

export interface PmdFrameHeader {
  readonly measurementType: number;
  /** Sensor time of the frame's LAST sample, ns since 2000-01-01T00:00Z. */
  readonly timestampNs: bigint;
  readonly compressed: boolean;
  /** Frame type without the compression bit. */
  readonly frameType: number;
}

export const PMD_FRAME_HEADER_BYTES = 10;

export function parsePmdFrameHeader(value: DataView): PmdFrameHeader | null {
  if (value.byteLength < PMD_FRAME_HEADER_BYTES) return null;
  const ft = value.getUint8(9);
  return { measurementType: value.getUint8(0), timestampNs: value.getBigUint64(1, true), compressed: (ft & 0x80) !== 0, frameType: ft & 0x7f };
}

/** Decoded xyz samples in SI units (m/s², rad/s or µT), or why they could not be decoded. */
export type PmdSamples = { readonly ok: true; readonly n: number; readonly xyz: Float64Array } | { readonly ok: false; readonly kind: 'malformed' | 'unsupported'; readonly reason: string };

function fail(kind: 'malformed' | 'unsupported', reason: string): PmdSamples {
  return { ok: false, kind, reason };
}

function readSigned(bytes: Uint8Array, at: number, size: number): number {
  let v = 0;
  for (let b = size - 1; b >= 0; b--) v = v * 256 + bytes[at + b]!;
  const half = 2 ** (8 * size - 1);
  return v >= half ? v - 2 * half : v;
}

/**
 * Delta-compressed samples: a reference sample (`channels × ceil(resolution/8)` signed
 * bytes), then blocks `[bitWidth, count, count × channels × bitWidth bits LSB-first]` of
 * sign-extended deltas added cumulatively. Returns raw integer samples, interleaved.
 */
export function decodePmdDeltaFrames(
  bytes: Uint8Array,
  channels: number,
  resolutionBits: number,
): { ok: true; raw: number[] } | { ok: false; reason: string } {
  const refSize = Math.ceil(resolutionBits / 8);
  if (!(refSize >= 1 && refSize <= 4)) return { ok: false, reason: `resolution ${resolutionBits} bits is not 1–32` };
  if (bytes.length < channels * refSize) return { ok: false, reason: `${bytes.length} bytes cannot hold the ${channels * refSize}-byte reference sample` };
  const prev: number[] = [];
  for (let c = 0; c < channels; c++) prev.push(readSigned(bytes, c * refSize, refSize));
  const raw = prev.slice();
  let pos = channels * refSize;
  while (pos < bytes.length) {
    if (pos + 2 > bytes.length) return { ok: false, reason: `delta block header truncated at byte ${pos}` };
    const width = bytes[pos]!;
    const count = bytes[pos + 1]!;
    pos += 2;
    if (width > 32) return { ok: false, reason: `delta bit width ${width} > 32 at byte ${pos - 2}` };
    const nBytes = Math.ceil((count * channels * width) / 8);
    if (pos + nBytes > bytes.length) return { ok: false, reason: `delta block at byte ${pos - 2} needs ${nBytes} bytes, ${bytes.length - pos} left` };
    let bit = pos * 8;
    const half = 2 ** (width - 1);
    for (let s = 0; s < count; s++) {
      for (let c = 0; c < channels; c++) {
        let v = 0;
        let scale = 1;
        for (let j = 0; j < width; j++, bit++, scale *= 2) v += ((bytes[bit >>> 3]! >>> (bit & 7)) & 1) * scale;
        if (width > 0 && v >= half) v -= 2 * half;
        prev[c]! += v;
        raw.push(prev[c]!);
      }
    }
    pos += nBytes;
  }
  return { ok: true, raw };
}

/** Decoding parameters of one measurement stream. */
export interface PmdDecodeParams {
  readonly resolutionBits: number;
  /** Scale of compressed samples (from the start or settings answer; 1 when none was sent, as in Polar's SDK). */
  readonly factor: number;
}

/**
 * ACC, GYRO or MAG samples of a data frame in SI units: ACC uncompressed frame types 0/1/2
 * (int8/16/24 mG), ACC compressed type 0 (× factor × 1000 → mG), GYRO compressed type 0
 * (× factor → deg/s), MAG compressed type 0 (× factor → gauss, as in Polar's SDK; verify on a device).
 */
export function decodePmdSamples(value: DataView, header: PmdFrameHeader, params: PmdDecodeParams): PmdSamples {
  const bytes = new Uint8Array(value.buffer, value.byteOffset + PMD_FRAME_HEADER_BYTES, value.byteLength - PMD_FRAME_HEADER_BYTES);
  const t = header.measurementType;
  let raw: number[];
  let toSI: number;
  if (!header.compressed) {
    if (t !== PMD_MEASUREMENT.ACC || header.frameType > 2) return fail('unsupported', `uncompressed frame type ${header.frameType} of measurement ${t} (ACC types 0–2 are decoded)`);
    const size = header.frameType + 1;
    if (bytes.length === 0 || bytes.length % (3 * size) !== 0) return fail('malformed', `${bytes.length} payload bytes are not whole int${8 * size} xyz samples`);
    raw = [];
    for (let i = 0; i < bytes.length; i += size) raw.push(readSigned(bytes, i, size));
    toSI = STANDARD_GRAVITY_MS2 / 1000;
  } else {
    if (header.frameType !== 0) return fail('unsupported', `compressed frame type ${header.frameType} of measurement ${t} (type 0 is decoded)`);
    if (t === PMD_MEASUREMENT.ACC) toSI = params.factor * STANDARD_GRAVITY_MS2;
    else if (t === PMD_MEASUREMENT.GYRO) toSI = params.factor * DEG_TO_RAD;
    else if (t === PMD_MEASUREMENT.MAG) toSI = params.factor * 100;
    else return fail('unsupported', `measurement type ${t}`);
    const d = decodePmdDeltaFrames(bytes, 3, params.resolutionBits);
    if (!d.ok) return fail('malformed', d.reason);
    raw = d.raw;
  }
  const xyz = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) xyz[i] = raw[i]! * toSI;
  return { ok: true, n: raw.length / 3, xyz };
}
