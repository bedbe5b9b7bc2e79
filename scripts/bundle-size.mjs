/**
 * `npm run size` — what the browser core costs an app, measured: esbuild bundles (ESM, browser
 * platform, minified, tree-shaken, rxjs included, tfjs not reachable: it lives in `kinemetry/ml`)
 * of (a) everything the root entry `src/index.ts` exports, and (b) a typical live app entry:
 * `fromSensor` + the Polar driver + the Web Bluetooth transport (`browserTransport`) + `Vqf` + `JointAngleStage` +
 * `segmentReps` (+ the rxjs operators it uses), gzip -9 of each. Prints the biggest inputs of
 * (a) by directory. `--write` puts the figures in bench/RESULTS.md (section bench:size).
 */
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = join(root, '.tmp', 'size');
mkdirSync(tmp, { recursive: true });

const APP = `
import { fromSensor, PolarPmdDriver, browserTransport, Vqf, JointAngleStage, RepSegmenter, fuseOrientation, jointAngles, segmentReps } from '../../src/index';
export function start() {
  const transport = browserTransport(navigator.bluetooth);
  return fromSensor(transport, new PolarPmdDriver()).pipe(fuseOrientation(), jointAngles({ joint: 'knee', proximal: 'thigh', distal: 'shank' }, { proximal: { qSegSensor: [1, 0, 0, 0] }, distal: { qSegSensor: [1, 0, 0, 0] } }), segmentReps());
}
export { Vqf, JointAngleStage, RepSegmenter };
`;

async function measure(entry, name) {
  const r = await build({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, metafile: true, logLevel: 'error', absWorkingDir: root });
  const code = r.outputFiles[0].contents;
  const text = Buffer.from(code);
  const byDir = new Map();
  for (const [path, o] of Object.entries(r.metafile.outputs)[0][1].inputs ? Object.entries(Object.values(r.metafile.outputs)[0].inputs) : []) {
    const nm = path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
    const m = path.match(/^(src\/[^/]+(?:\/ble)?)/);
    const k = nm ? nm[1] : m ? m[1] : path;
    byDir.set(k, (byDir.get(k) ?? 0) + o.bytesInOutput);
  }
  const tfjs = [...byDir.keys()].some((k) => k.includes('tensorflow'));
  return { name, minBytes: text.length, gzBytes: gzipSync(text, { level: 9 }).length, byDir: [...byDir].sort((a, b) => b[1] - a[1]), tfjs };
}

const appEntry = join(tmp, 'app.ts');
writeFileSync(appEntry, APP);
const whole = await measure('src/index.ts', 'root entry `kinemetry` (src/index.ts, every export)');
// The same app against the built package (what `import … from 'kinemetry'` resolves to), when built.
const distEntry = join(tmp, 'app-dist.ts');
writeFileSync(distEntry, APP.replace("'../../src/index'", "'../../dist/index.js'"));
const distApp = existsSync(join(root, 'dist', 'index.js')) ? await measure(distEntry, 'the same app against the built package (dist/index.js)') : undefined;
const app = await measure(appEntry, 'typical live app: fromSensor + PolarPmdDriver + browserTransport + Vqf + JointAngleStage + RepSegmenter + fuseOrientation/jointAngles/segmentReps');
const kB = (b) => `${(b / 1000).toFixed(1)} kB`;
const lines = [
  `Measured by \`npm run size\` (scripts/bundle-size.mjs): esbuild ${(await import('esbuild')).version}, \`--bundle --minify --format=esm --platform=browser\` with tree-shaking, then gzip -9. ` +
    'Core = the browser-safe root entry `src/index.ts` (rxjs included, as it is a dependency of the live pipeline; tfjs is not reachable from it — it is in `kinemetry/ml`). Target ≤ 40 kB gzip.',
  '',
  '| bundle | minified | gzip -9 | tfjs inside |',
  '|---|---:|---:|---|',
  ...[whole, app, ...(distApp ? [distApp] : [])].map((m) => `| ${m.name} | ${kB(m.minBytes)} | **${kB(m.gzBytes)}** | ${m.tfjs ? 'yes' : 'no'} |`),
  '',
  `Biggest parts of the root entry (minified bytes in the bundle): ${whole.byDir.slice(0, 10).map(([k, b]) => `${k} ${kB(b)}`).join(', ')}.`,
  `Biggest parts of the app bundle: ${app.byDir.slice(0, 10).map(([k, b]) => `${k} ${kB(b)}`).join(', ')}.`,
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
