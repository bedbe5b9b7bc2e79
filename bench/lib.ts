/**
 * The library as the benchmarks measure it: the BUILT package (`dist/`, what users import),
 * not the sources. Run through tsx, the sources carry the loader's per-call overhead (namespace
 * imports become getters, live bindings wrappers): Madgwick measured 4.5–5.6× faster than `ahrs`
 * from src/ but 5.3–6.9× from dist/ in the same minute. Types come from the sources.
 * `npm run bench` builds first. The browser entries are merged into one object: each name is
 * exported by exactly one entry (test/package/entries.test.ts), so nothing is shadowed.
 */
import { existsSync } from 'node:fs';
import type * as Root from '../src/index';
import type * as Ble from '../src/ble';
import type * as Formats from '../src/formats';
import type * as Quality from '../src/quality';
import type * as Calibration from '../src/calibration';
import type * as Offline from '../src/offline';

export type Kinemetry = typeof Root & typeof Ble & typeof Formats & typeof Quality & typeof Calibration & typeof Offline;

async function load(file: string): Promise<object> {
  const url = new URL(`../dist/${file}`, import.meta.url);
  if (!existsSync(url)) throw new Error(`bench: dist/${file} is missing: run \`npm run build\` first (npm run bench does)`);
  return (await import(url.href)) as object;
}
const parts = await Promise.all(['index.js', 'ble.js', 'formats.js', 'quality.js', 'calibration.js', 'offline.js'].map(load));
const lib = Object.assign({}, ...parts) as Kinemetry;
export default lib;
