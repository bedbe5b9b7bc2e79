/**
 * The library as the benchmarks measure it: the BUILT package (`dist/`, what users import),
 * not the sources. Run through tsx, the sources carry the loader's per-call overhead (namespace
 * imports become getters, live bindings wrappers): Madgwick measured 4.5–5.6× faster than `ahrs`
 * from src/ but 5.3–6.9× from dist/ in the same minute. Types come from the sources.
 * `npm run bench` builds first.
 */
import { existsSync } from 'node:fs';
import type * as Kinemetry from '../src/index';

const distUrl = new URL('../dist/index.js', import.meta.url);
if (!existsSync(distUrl)) throw new Error('bench: dist/index.js is missing: run `npm run build` first (npm run bench does)');
const lib: typeof Kinemetry = await import(distUrl.href);
export default lib;
