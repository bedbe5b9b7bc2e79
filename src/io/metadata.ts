/**
 * `# key: value` metadata lines of the canonical CSV ↔ SensorInfo. Known keys (sensor,
 * placement, side, rate_hz, device) fill SensorInfo; any other key goes into `extra`
 * unchanged (keys are matched case- and separator-insensitively, but stored as written).
 */
import type { SensorInfo } from '../samples/block';

/** Metadata gathered from comment lines before the header. */
export interface MetadataAccumulator {
  sensorId?: string;
  /** Line of the `# sensor:` entry, for duplicate-sensor errors. */
  sensorLine?: number;
  placement?: string;
  side?: 'left' | 'right';
  rateHz?: number;
  device?: string;
  extra: Record<string, string>;
}

export type KnownKey = 'sensor' | 'placement' | 'side' | 'rate_hz' | 'device';

/** Normalised form of a key: lower case, spaces and dashes as underscores. */
export function normalizeKey(key: string): string {
  return key.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

const KNOWN: Readonly<Record<string, KnownKey>> = {
  sensor: 'sensor',
  sensor_id: 'sensor',
  placement: 'placement',
  side: 'side',
  rate_hz: 'rate_hz',
  ratehz: 'rate_hz',
  device: 'device',
};

/** The SensorInfo field a key maps to, or undefined for an `extra` key. */
export function knownKey(key: string): KnownKey | undefined {
  const k = normalizeKey(key);
  return Object.hasOwn(KNOWN, k) ? KNOWN[k] : undefined; // own keys only: '__proto__' is not a field
}

/** `# key: value`; a key is a short identifier-like phrase, so prose comments stay comments. */
const ENTRY_RE = /^#\s*([A-Za-z_][A-Za-z0-9_. -]{0,63}?)\s*:(.*)$/s;

/** Split a comment line into key and value; undefined for a plain comment. */
export function splitMetadataLine(line: string): { key: string; value: string } | undefined {
  const m = ENTRY_RE.exec(line.trim());
  if (!m) return undefined;
  return { key: m[1]!, value: m[2]!.trim() };
}

/**
 * Apply one entry. Returns an error text for a malformed known entry (bad side or rate),
 * undefined when accepted.
 */
export function applyMetadata(acc: MetadataAccumulator, key: string, value: string, line: number): string | undefined {
  switch (knownKey(key)) {
    case 'sensor':
      if (value === '') return `empty sensor name`;
      acc.sensorId = value;
      acc.sensorLine = line;
      return undefined;
    case 'placement':
      acc.placement = value;
      return undefined;
    case 'device':
      acc.device = value;
      return undefined;
    case 'side': {
      const v = value.toLowerCase();
      if (v === 'left' || v === 'l') acc.side = 'left';
      else if (v === 'right' || v === 'r') acc.side = 'right';
      else return `side must be 'left' or 'right', got '${value}'`;
      return undefined;
    }
    case 'rate_hz': {
      const rate = /^[+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(value) ? +value : NaN;
      if (!(rate > 0) || !Number.isFinite(rate)) return `rate_hz must be a positive number, got '${value}'`;
      acc.rateHz = rate;
      return undefined;
    }
    default:
      setOwn(acc.extra, key.trim(), value);
      return undefined;
  }
}

/** Freeze the accumulated metadata into a SensorInfo. */
export function toSensorInfo(acc: MetadataAccumulator, defaultSensorId: string): SensorInfo {
  const info: {
    sensorId: string;
    placement?: string;
    side?: 'left' | 'right';
    rateHz?: number;
    device?: string;
    extra?: Record<string, string>;
  } = { sensorId: acc.sensorId ?? defaultSensorId };
  if (acc.placement !== undefined) info.placement = acc.placement;
  if (acc.side !== undefined) info.side = acc.side;
  if (acc.rateHz !== undefined) info.rateHz = acc.rateHz;
  if (acc.device !== undefined) info.device = acc.device;
  if (Object.keys(acc.extra).length > 0) info.extra = { ...acc.extra };
  return info;
}

/**
 * Metadata comment lines for a SensorInfo, in a fixed order. Returns an error text when a
 * value cannot be represented (line breaks; an extra key that would read back as a known one).
 */
export function formatMetadata(info: SensorInfo): string[] | string {
  const lines: string[] = [];
  const put = (key: string, value: string): string | undefined => {
    if (/[\r\n]/.test(value) || /[\r\n:]/.test(key)) return `metadata '${key}' contains a line break or colon`;
    if (value !== value.trim()) return `metadata '${key}' has leading or trailing white space, which would not survive a round trip`;
    lines.push(`# ${key}: ${value}`);
    return undefined;
  };
  let err = put('sensor', info.sensorId);
  if (!err && info.sensorId === '') err = 'empty sensor name';
  if (!err && info.placement !== undefined) err = put('placement', info.placement);
  if (!err && info.side !== undefined) err = put('side', info.side);
  if (!err && info.rateHz !== undefined) {
    err = info.rateHz > 0 && Number.isFinite(info.rateHz) ? put('rate_hz', String(info.rateHz)) : `rateHz must be a positive number, got ${info.rateHz}`;
  }
  if (!err && info.device !== undefined) err = put('device', info.device);
  for (const [key, value] of Object.entries(info.extra ?? {})) {
    if (err) break;
    if (knownKey(key) !== undefined) err = `extra metadata key '${key}' clashes with a SensorInfo field`;
    else if (key.trim() !== key || key === '' || splitMetadataLine(`# ${key}: x`)?.key !== key) err = `extra metadata key '${key}' cannot be written as '# key: value'`;
    else err = put(key, value);
  }
  return err ?? lines;
}

/**
 * `obj[key] = value` as an own property even for keys like `__proto__`, which plain
 * assignment would swallow (the key comes from a file, so it is user data).
 */
export function setOwn(obj: Record<string, string>, key: string, value: string): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
