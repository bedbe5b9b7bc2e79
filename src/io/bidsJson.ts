/**
 * BIDS motion `*_motion.json` sidecar: the fields kinemetry reads and writes, and the one
 * extra key it adds. BIDS has columns for a channel's tracked point and placement but no
 * place for the rest of a sensor's description (side, device, declared rate, free-form
 * metadata), so the writer keeps a faithful copy of each sensor's SensorInfo under
 * {@link KINEMETRY_SENSORS_KEY}, keyed by tracked point. BIDS allows extra sidecar keys;
 * other tools ignore it, and kinemetry prefers it on read so a round trip is exact.
 */
import { setOwn } from './metadata';
import type { SensorInfo } from '../samples/block';
import { RecordingFormatError } from './errors';

/** `"KinemetrySensorInfo": { "<tracked_point>": { placement?, side?, rateHz: number | null, device?, extra? } }`. */
export const KINEMETRY_SENSORS_KEY = 'KinemetrySensorInfo';

export type JsonObject = Record<string, unknown>;

/** Parse a sidecar JSON text (an object). Throws RecordingFormatError at the line of the syntax error. */
export function parseJsonObject(text: string, file: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(msg);
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : 1;
    throw new RecordingFormatError(`not valid JSON (${msg.replace(/\s*\n\s*/g, ' ')})`, { file, line });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RecordingFormatError('a BIDS sidecar must hold one JSON object', { file, line: 1 });
  }
  return value as JsonObject;
}

/** `SamplingFrequency` as a positive number; undefined for `n/a` or absent. Throws on anything else. */
export function samplingFrequencyHz(json: JsonObject, file: string): number | undefined {
  const v = json.SamplingFrequency;
  if (v === undefined || v === 'n/a') return undefined;
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) {
    throw new RecordingFormatError(`SamplingFrequency must be a positive number or "n/a", got ${JSON.stringify(v)}`, { file, line: 1 });
  }
  return v;
}

/** Device text from `Manufacturer` + `ManufacturersModelName`, when given. */
export function deviceFromJson(json: JsonObject): string | undefined {
  const parts = [json.Manufacturer, json.ManufacturersModelName].filter((x): x is string => typeof x === 'string' && x.trim() !== '' && x !== 'n/a');
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/** What kinemetry stored about one sensor (SensorInfo minus its id, rateHz null when undeclared). */
export interface StoredSensorInfo {
  placement?: string;
  side?: 'left' | 'right';
  rateHz: number | null;
  device?: string;
  extra?: Record<string, string>;
}

export function storedSensorInfo(info: SensorInfo): StoredSensorInfo {
  const s: StoredSensorInfo = { rateHz: info.rateHz ?? null };
  if (info.placement !== undefined) s.placement = info.placement;
  if (info.side !== undefined) s.side = info.side;
  if (info.device !== undefined) s.device = info.device;
  if (info.extra !== undefined && Object.keys(info.extra).length > 0) s.extra = { ...info.extra };
  return s;
}

/**
 * The stored SensorInfo of `trackedPoint` (with `sensorId`), or undefined when the sidecar has
 * none. Throws RecordingFormatError when the entry is malformed.
 */
export function readStoredSensorInfo(json: JsonObject, trackedPoint: string, sensorId: string, file: string): SensorInfo | undefined {
  const all = json[KINEMETRY_SENSORS_KEY];
  if (all === undefined) return undefined;
  const bad = (what: string): never => {
    throw new RecordingFormatError(`${KINEMETRY_SENSORS_KEY}${what}`, { file, line: 1 });
  };
  if (typeof all !== 'object' || all === null || Array.isArray(all)) bad(' must be an object keyed by tracked point');
  // Own keys only: a tracked point named 'toString' or '__proto__' must not reach Object.prototype.
  const entry = Object.hasOwn(all as JsonObject, trackedPoint) ? (all as JsonObject)[trackedPoint] : undefined;
  if (entry === undefined) return undefined;
  const where = `[${JSON.stringify(trackedPoint)}]`;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) bad(`${where} must be an object`);
  const e = entry as JsonObject;
  const info: { sensorId: string; placement?: string; side?: 'left' | 'right'; rateHz?: number; device?: string; extra?: Record<string, string> } = { sensorId };
  for (const key of ['placement', 'device'] as const) {
    const v = e[key];
    if (v === undefined) continue;
    if (typeof v !== 'string') bad(`${where}.${key} must be a string`);
    info[key] = v as string;
  }
  if (e.side !== undefined) {
    if (e.side !== 'left' && e.side !== 'right') bad(`${where}.side must be "left" or "right"`);
    info.side = e.side as 'left' | 'right';
  }
  if (e.rateHz !== undefined && e.rateHz !== null) {
    if (typeof e.rateHz !== 'number' || !(e.rateHz > 0) || !Number.isFinite(e.rateHz)) bad(`${where}.rateHz must be a positive number or null`);
    info.rateHz = e.rateHz as number;
  }
  if (e.extra !== undefined) {
    if (typeof e.extra !== 'object' || e.extra === null || Array.isArray(e.extra)) bad(`${where}.extra must be an object of strings`);
    const extra: Record<string, string> = {};
    for (const [k, v] of Object.entries(e.extra as JsonObject)) {
      if (typeof v !== 'string') bad(`${where}.extra.${k} must be a string`);
      setOwn(extra, k, v as string);
    }
    if (Object.keys(extra).length > 0) info.extra = extra;
  }
  return info;
}
