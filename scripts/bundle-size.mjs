/**
 * `npm run size` — what kinemetry costs a browser app, measured: esbuild bundles (ESM, browser
 * platform, minified, tree-shaken, rxjs included) then gzip -9, of
 *  - the root entry `kinemetry` with every export kept (`import * as k`): the core, target ≤ 40 kB;
 *  - each browser sub-path entry alone (it includes the core code it uses), and what it adds
 *    to an app that already has the whole core (bundle of core + sub-path, minus the core);
 *  - a typical live app (fromSensor + the Polar driver + Web Bluetooth + VQF + joint angles +
 *    segmenter and three operators), the same app scoring its reps, and the typical app
 *    against the built package (dist/) when it is built.
 * Prints the biggest modules of the root bundle and whether rxjs / tfjs / mathjs are in it.
 * Exits 1 if the root is over the target. `--write` puts the figures in bench/RESULTS.md
 * (section bench:size).
 */
import { build, version as esbuildVersion } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const TARGET_GZ_BYTES = 40_000;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = join(root, '.tmp', 'size');
mkdirSync(tmp, { recursive: true });

/** Browser sub-paths: package.json "exports" minus the root and the Node-only entries, each with its
 * source file from tsdown.config.ts (read as text: this script runs without a TS loader). */
const NODE_ONLY = new Set(['./node', './ml/node']);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const tsdown = readFileSync(join(root, 'tsdown.config.ts'), 'utf8');
const SUB_PATHS = Object.entries(pkg.exports)
  .filter(([sub]) => sub !== '.' && !NODE_ONLY.has(sub))
  .map(([sub, e]) => {
    const name = e.import.replace(/^\.\/dist\/|\.js$/g, '');
    const src = tsdown.match(new RegExp(`['"]?${name}['"]?\\s*:\\s*'([^']+)'`))?.[1];
    if (!src) throw new Error(`bundle-size: no tsdown entry '${name}' for exports["${sub}"]`);
    return [`kinemetry/${sub.slice(2)}`, src];
  });

// `../../src/` is rewritten to `../../dist/` for the built-package variant.
const APP = `
import { Vqf, JointAngleStage, RepSegmenter, fuseOrientation, jointAngles, segmentReps } from '../../src/index';
import { fromSensor, PolarPmdDriver, browserTransport } from '../../src/ble';
export function start() {
  const transport = browserTransport(navigator.bluetooth);
  return fromSensor(transport, new PolarPmdDriver()).pipe(fuseOrientation(), jointAngles({ joint: 'knee', proximal: 'thigh', distal: 'shank' }, { proximal: { qSegSensor: [1, 0, 0, 0] }, distal: { qSegSensor: [1, 0, 0, 0] } }), segmentReps());
}
export { Vqf, JointAngleStage, RepSegmenter };
`;
const SCORING_APP = `${APP}
import { scoreRepsLive } from '../../src/quality';
export const scored = () => start().pipe(scoreRepsLive());
`;

function write(name, text) {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

// kinemetry/ml reads a model directory with node:fs, imported lazily and only under Node: kept
// external there, as an app's bundler would. Elsewhere a node: import fails the build (and lint).
async function bundle(entry, external = []) {
  const r = await build({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, metafile: true, logLevel: 'error', absWorkingDir: root, external });
  const code = Buffer.from(r.outputFiles[0].contents);
  const inputs = Object.values(r.metafile.outputs)[0].inputs;
  return { minBytes: code.length, gzBytes: gzipSync(code, { level: 9 }).length, inputs };
}

/** Minified bytes per package or src/ directory (io/ble kept apart from io). */
function byGroup(inputs) {
  const m = new Map();
  for (const [path, o] of Object.entries(inputs)) {
    const nm = path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
    const src = path.match(/(src\/[^/]+(?:\/ble)?)\//);
    const k = nm ? nm[1] : src ? src[1] : path;
    m.set(k, (m.get(k) ?? 0) + o.bytesInOutput);
  }
  return [...m].sort((a, b) => b[1] - a[1]);
}
const byFile = (inputs) => Object.entries(inputs).map(([p, o]) => [p.replace(/^.*node_modules\//, ''), o.bytesInOutput]).sort((a, b) => b[1] - a[1]);
const has = (inputs, pkg) => Object.keys(inputs).some((p) => p.includes(`node_modules/${pkg}/`));

const kB = (b) => `${(b / 1000).toFixed(1)} kB`;
const list = (rows, n) => rows.filter(([, b]) => b >= 50).slice(0, n).map(([k, b]) => `${k} ${kB(b)}`).join(', ');

const core = await bundle(write('core.ts', "export * from '../../src/index';\n"));
const subs = [];
for (const [name, entry] of SUB_PATHS) {
  const external = name === 'kinemetry/ml' ? ['node:*'] : [];
  const alone = await bundle(write(`${name.replace(/\W/g, '_')}.ts`, `export * from '../../${entry.replace(/\.ts$/, '')}';\n`), external);
  const withCore = await bundle(write(`${name.replace(/\W/g, '_')}_core.ts`, `export * from '../../src/index';\nexport * from '../../${entry.replace(/\.ts$/, '')}';\n`), external);
  subs.push({ name, entry, alone, addedGz: withCore.gzBytes - core.gzBytes, tfjs: has(alone.inputs, '@tensorflow') });
}
const app = await bundle(write('app.ts', APP));
const scoring = await bundle(write('app-scoring.ts', SCORING_APP));
const distBuilt = existsSync(join(root, 'dist', 'index.js')) && existsSync(join(root, 'dist', 'ble.js'));
const distApp = distBuilt ? await bundle(write('app-dist.ts', APP.replaceAll("'../../src/index'", "'../../dist/index.js'").replaceAll("'../../src/ble'", "'../../dist/ble.js'"))) : undefined;

const pass = core.gzBytes <= TARGET_GZ_BYTES;
const row = (label, b, extra = '') => `| ${label} | ${kB(b.minBytes)} | **${kB(b.gzBytes)}** | ${extra} |`;
const lines = [
  `Measured by \`npm run size\` (scripts/bundle-size.mjs): esbuild ${esbuildVersion}, \`--bundle --minify --format=esm --platform=browser\` with tree-shaking, then gzip -9; rxjs is bundled (the live operators use it). ` +
    `Target (issue #10): the root entry \`kinemetry\` with every export kept ≤ ${kB(TARGET_GZ_BYTES)} gzip: **${pass ? 'met' : 'NOT met'}** (${kB(core.gzBytes)}).`,
  '',
  '| bundle | minified | gzip -9 | notes |',
  '|---|---:|---:|---|',
  row('root `kinemetry` (src/index.ts), `import *`', core, `rxjs ${has(core.inputs, 'rxjs') ? 'in' : 'not in'}; tfjs ${has(core.inputs, '@tensorflow') ? 'IN' : 'not in'}; mathjs ${has(core.inputs, 'mathjs') ? 'IN' : 'not in'}`),
  ...subs.map((s) => row(`\`${s.name}\` (${s.entry}) alone, \`import *\``, s.alone, `adds ${kB(s.addedGz)} gzip to the whole core${s.tfjs ? '; tfjs inside' : ''}`)),
  row('typical live app: fromSensor + PolarPmdDriver + browserTransport + Vqf + JointAngleStage + RepSegmenter + fuseOrientation/jointAngles/segmentReps', app),
  row('the same app + `scoreRepsLive` (kinemetry/quality)', scoring),
  ...(distApp ? [row('the typical app against the built package (dist/index.js + dist/ble.js)', distApp)] : []),
  '',
  `Biggest parts of the root bundle (minified bytes): by directory ${list(byGroup(core.inputs), 9)}; by module ${list(byFile(core.inputs), 8)}.`,
  `Biggest parts of the typical app: ${list(byGroup(app.inputs), 8)}.`,
];
console.log(lines.join('\n'));
if (process.argv.includes('--write')) {
  const path = join(root, 'bench', 'RESULTS.md');
  const begin = '<!-- bench:size:begin -->', end = '<!-- bench:size:end -->';
  let text = readFileSync(path, 'utf8');
  const body = [begin, `## Bundle size (${new Date().toISOString().slice(0, 10)}, Node ${process.version})`, '', ...lines, end].join('\n');
  const a = text.indexOf(begin), b = text.indexOf(end);
  text = a >= 0 && b > a ? text.slice(0, a) + body + text.slice(b + end.length) : text.replace(/\n*$/, '\n\n') + body + '\n';
  writeFileSync(path, text);
}
if (!pass) {
  console.error(`size: the root entry is ${kB(core.gzBytes)} gzip, over the ${kB(TARGET_GZ_BYTES)} target`);
  process.exit(1);
}
