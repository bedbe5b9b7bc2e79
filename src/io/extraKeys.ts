/**
 * Source header entries (Xsens `// Filter Profile: human`, OpenSim `OpenSimVersion=4.5`) kept
 * in `SensorInfo.extra` under keys the canonical CSV can write back (`# filter_profile: human`),
 * so converting such a recording never fails on a key.
 */
import { knownKey } from './metadata';

/**
 * `Filter Profile` → `filter_profile`, `OpenSimVersion` → `open_sim_version`: lower snake case,
 * at most 64 characters. A key that would read back as a SensorInfo field (`device`, `sensor`,
 * …) gets `prefix` + `_`. Undefined when nothing usable remains.
 */
export function extraKey(raw: string, prefix: string): string | undefined {
  const key = raw
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 56);
  if (key === '') return undefined;
  const safe = /^[a-z_]/.test(key) ? key : `${prefix}_${key}`;
  return knownKey(safe) !== undefined ? `${prefix}_${safe}` : safe;
}

/** A value as one trimmed line (header values never span lines, but be sure). */
export function extraValue(raw: string): string {
  return raw.replace(/[\r\n]+/g, ' ').trim();
}
