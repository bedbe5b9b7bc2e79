/**
 * Finding the companion files a format asks for (`RecordingFormat.sidecars`). A sidecar is
 * first looked for next to the recording under its exact name. For BIDS names, the BIDS
 * inheritance principle applies too: a `*_motion.json` may sit higher up the tree with fewer
 * entities (`task-walk_motion.json` at the dataset root applies to every walking recording);
 * all applicable JSON files are merged, the one closest to the data winning per key, and for
 * a TSV the closest applicable one is used. The search stops at the dataset root (the
 * directory holding `dataset_description.json`) or after a few levels.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseJsonObject } from '../bidsJson';
import { bidsSidecarApplies, parseBidsName } from '../bidsNames';
import { SessionError } from '../errors';
import type { SidecarSpec } from '../format';

/** Directory levels searched above the recording when no dataset root is found. */
const MAX_LEVELS = 4;

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Applicable BIDS sidecars for `dataPath`, least specific first (root → leaf; fewer → more entities). */
async function inherited(dataPath: string, spec: SidecarSpec): Promise<string[]> {
  const data = parseBidsName(dataPath);
  const wanted = parseBidsName(spec.fileName);
  if (!data || !wanted) return [];
  const found: { path: string; level: number; entities: number }[] = [];
  let dir = dirname(dataPath);
  for (let level = 0; level <= MAX_LEVELS; level++) {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      break;
    }
    for (const n of names) {
      const b = parseBidsName(n);
      if (b && b.extension === wanted.extension && bidsSidecarApplies(b, data, wanted.suffix)) found.push({ path: join(dir, n), level, entities: b.entities.length });
    }
    if (names.includes('dataset_description.json')) break;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  found.sort((a, b) => b.level - a.level || a.entities - b.entities || a.path.localeCompare(b.path));
  return found.map((f) => f.path);
}

/**
 * The texts of the sidecars `specs` of the recording at `path`, keyed by role. Throws
 * SessionError when a required one is missing, RecordingFormatError when an inherited JSON
 * level is malformed.
 */
export async function loadSidecars(path: string, specs: readonly SidecarSpec[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const spec of specs) {
    const exact = join(dirname(path), spec.fileName);
    const json = spec.fileName.endsWith('.json');
    let files = await inherited(path, spec);
    if (await isFile(exact)) {
      files = files.filter((f) => f !== exact);
      files.push(exact);
    }
    if (!json) files = files.slice(-1);
    if (files.length === 0) {
      if (spec.required) throw new SessionError(`its ${spec.role} file ${spec.fileName} is missing (looked next to it${parseBidsName(spec.fileName) ? ' and up the BIDS tree' : ''})`, path);
      continue;
    }
    if (files.length === 1) {
      out[spec.role] = await readFile(files[0]!, 'utf8');
      continue;
    }
    // Several JSON levels: merged, the closest last so that it wins.
    const merged: Record<string, unknown> = {};
    for (const f of files) Object.assign(merged, parseJsonObject(await readFile(f, 'utf8'), f));
    out[spec.role] = JSON.stringify(merged);
  }
  return out;
}
