/**
 * BIDS file names: `sub-01[_ses-a]_task-walk[_tracksys-imu][_acq-x][_run-1]_motion.tsv` and its
 * companions `…_channels.tsv` and `…_motion.json`, which share every entity with the data file.
 * Browser-safe (names only; the Node layer finds the files).
 */

/** One `key-value` pair of a BIDS name, in file-name order. */
export type BidsEntity = readonly [key: string, value: string];

export interface BidsName {
  readonly entities: readonly BidsEntity[];
  /** `motion`, `channels`, `events`, … */
  readonly suffix: string;
  /** With the dot: `.tsv`, `.json`. */
  readonly extension: string;
}

const ENTITY_RE = /^([a-zA-Z]+)-([a-zA-Z0-9]+)$/;

/** Base name of a path (either separator). */
export function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** Parse a BIDS file name (a path is allowed; only its base name counts). Undefined when it is not one. */
export function parseBidsName(path: string): BidsName | undefined {
  const name = baseName(path);
  const dot = name.indexOf('.');
  if (dot <= 0) return undefined;
  const stem = name.slice(0, dot);
  const extension = name.slice(dot);
  const parts = stem.split('_');
  const suffix = parts.pop()!;
  if (!/^[a-zA-Z0-9]+$/.test(suffix)) return undefined;
  const entities: BidsEntity[] = [];
  for (const p of parts) {
    const m = ENTITY_RE.exec(p);
    if (!m) return undefined;
    entities.push([m[1]!, m[2]!]);
  }
  return { entities, suffix, extension };
}

/** `sub-01_task-walk` + `_motion` + `.tsv`. */
export function formatBidsName(entities: readonly BidsEntity[], suffix: string, extension: string): string {
  return [...entities.map(([k, v]) => `${k}-${v}`), suffix].join('_') + extension;
}

/** Value of entity `key`, if present. */
export function bidsEntity(name: BidsName, key: string): string | undefined {
  return name.entities.find(([k]) => k === key)?.[1];
}

/** Is this a BIDS motion data file name (`…_motion.tsv`)? */
export function isBidsMotionFileName(path: string): boolean {
  return /_motion\.tsv$/i.test(baseName(path));
}

/** BIDS companion and summary files that are never recordings themselves. */
export function isBidsCompanionFileName(path: string): boolean {
  const name = baseName(path).toLowerCase();
  return (
    /_(channels|events|scans|sessions|electrodes|coordsystem|physio|stim)\.(tsv|json|tsv\.gz)$/.test(name) ||
    /^(participants|samples)\.(tsv|json)$/.test(name) ||
    name.endsWith('.json')
  );
}

/** The companion names of a `…_motion.tsv`: `…_channels.tsv` and `…_motion.json`, same directory. */
export function bidsCompanionNames(motionTsv: string): { channels: string; json: string } {
  const name = baseName(motionTsv);
  // A data file not named `…_motion.tsv` (read with --format bids) keeps its stem.
  const stem = /_motion\.tsv$/i.test(name) ? name.replace(/_motion\.tsv$/i, '') : name.replace(/\.[^.]*$/, '');
  return { channels: `${stem}_channels.tsv`, json: `${stem}_motion.json` };
}

/**
 * A string as a BIDS label (`[a-zA-Z0-9]+`): other characters dropped. Undefined when nothing is
 * left (the caller picks a fallback).
 */
export function bidsLabel(text: string): string | undefined {
  const label = text.normalize('NFKD').replace(/[^a-zA-Z0-9]/g, '');
  return label === '' ? undefined : label;
}

/**
 * Does a sidecar's name apply to a data file under the BIDS inheritance principle? Same suffix,
 * and every entity of the sidecar appears with the same value in the data file's name.
 */
export function bidsSidecarApplies(sidecar: BidsName, data: BidsName, suffix: string): boolean {
  if (sidecar.suffix !== suffix) return false;
  return sidecar.entities.every(([k, v]) => data.entities.some(([dk, dv]) => dk === k && dv === v));
}
