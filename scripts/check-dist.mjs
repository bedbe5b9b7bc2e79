#!/usr/bin/env node
/**
 * `node --import tsx scripts/check-dist.mjs` after `npm run build`: the built package works as
 * users import it. Every package.json "exports" sub-path is imported by its package name
 * (`kinemetry/ble`, … through Node's self-reference, so the exports map itself is exercised),
 * must have its .d.ts, and must export the same runtime names as its source entry. Classes are
 * the same object whichever entry they come from (shared chunks, so `instanceof` holds across
 * sub-paths). Then one chain through five entries against the simulator's truth: simulate
 * (kinemetry/sim) → canonical CSV text and back (kinemetry/formats) → fuseOrientation,
 * jointAngles, segmentReps (kinemetry) → scoreRepsLive (kinemetry/quality): the reps counted
 * and the knee angle RMS error against the true angle. Last, a TypeScript app importing from
 * every entry by package name type-checks against dist/*.d.ts. Exits 1 with what is wrong.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { lastValueFrom, from, toArray } from 'rxjs';

const root = new URL('../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const problems = [];
const check = (ok, message) => {
  if (!ok) problems.push(message);
};

// Source entry of each dist file name (tsdown.config.ts).
const { default: config } = await import(new URL('tsdown.config.ts', root).href);
const mods = {};
for (const [sub, e] of Object.entries(pkg.exports)) {
  const spec = sub === '.' ? pkg.name : `${pkg.name}/${sub.slice(2)}`;
  const name = e.import.replace(/^\.\/dist\/|\.js$/g, '');
  check(existsSync(new URL(e.types, root)), `${spec}: ${e.types} is missing`);
  try {
    mods[sub] = await import(spec);
  } catch (err) {
    problems.push(`${spec}: import failed: ${err.message}`);
    continue;
  }
  const built = Object.keys(mods[sub]).sort();
  const source = Object.keys(await import(new URL(config.entry[name], root).href)).sort();
  const missing = source.filter((k) => !built.includes(k)), extra = built.filter((k) => !source.includes(k));
  check(missing.length === 0 && extra.length === 0, `${spec}: runtime names differ from ${config.entry[name]}: missing ${missing.join(', ') || '-'}; extra ${extra.join(', ') || '-'}`);
  console.log(`${spec}: ${built.length} runtime exports (${e.import})`);
}

const k = mods['.'], ble = mods['./ble'], formats = mods['./formats'], quality = mods['./quality'], sim = mods['./sim'], node = mods['./node'];
if (k && node && ble && formats && quality && sim) {
  check(node.Vqf === k.Vqf && node.BlePacketError === ble.BlePacketError && node.UnknownFormatError === formats.UnknownFormatError && node.sim.simulate === sim.simulate, 'kinemetry/node does not re-export the same objects as the browser entries');

  const scenario = sim.kneeFlexionScenario({ reps: 3, amplitudeDeg: 80, noise: 'consumer' });
  const { blocks, truth } = sim.simulate(scenario, { rateHz: 100, seed: 7, blockSize: 50 });
  // Through the recording format and back, one sensor at a time, then interleaved as live.
  const parsed = Object.fromEntries(Object.entries(blocks).map(([id, bs]) => [id, formats.parseCanonicalCsv(formats.canonicalCsvText(bs), { file: `${id}.csv`, sensorId: id, blockSize: 50 })]));
  const inter = [];
  for (let i = 0; i < Math.max(parsed.thigh.length, parsed.shank.length); i++) {
    if (parsed.shank[i]) inter.push(parsed.shank[i]);
    if (parsed.thigh[i]) inter.push(parsed.thigh[i]);
  }
  const mount = (id) => scenario.sensors.find((s) => s.id === id).orientation ?? k.quat.create();
  const events = await lastValueFrom(
    from(inter).pipe(
      k.fuseOrientation(),
      k.jointAngles({ joint: 'knee', proximal: 'thigh', distal: 'shank' }, { proximal: { qSegSensor: mount('thigh') }, distal: { qSegSensor: mount('shank') } }),
      k.segmentReps(),
      quality.scoreRepsLive(),
      toArray(),
    ),
  );
  const reps = events.filter((e) => e.type === 'rep' && !e.rep.partial).length;
  const scored = events.filter((e) => e.type === 'scored').length;
  const chunks = events.filter((e) => e.type === 'angles').map((e) => e.chunk);
  const joint = Object.values(truth.joints)[0];
  const flexRad = joint.anglesRad[joint.dofNames[0]];
  let se = 0, m = 0;
  for (const c of chunks) {
    for (let i = 0; i < c.tS.length; i++) {
      if (c.tS[i] < 2 || !Number.isFinite(c.angleDeg[i])) continue; // skip the filter's first 2 s
      se += (c.angleDeg[i] - (flexRad[Math.round(c.tS[i] * 100)] * 180) / Math.PI) ** 2;
      m++;
    }
  }
  const rmsDeg = Math.sqrt(se / m);
  console.log(`chain sim → formats → core → quality from dist: ${reps} full reps (truth ${truth.reps.length}), ${scored} scored, knee angle RMS error ${rmsDeg.toFixed(2)}° over ${m} samples`);
  check(reps === truth.reps.length, `chain: ${reps} full reps counted, truth has ${truth.reps.length}`);
  check(scored >= reps && scored > 0, `chain: ${scored} scored reps for ${reps} reps`);
  check(m > 0 && rmsDeg < 3, `chain: knee angle RMS error ${rmsDeg.toFixed(2)}° (limit 3°)`);
}

// Types as an app sees them: one import per entry, resolved through "exports" to dist/*.d.ts.
const appDir = new URL('.tmp/check-dist/', root);
mkdirSync(appDir, { recursive: true });
writeFileSync(new URL('app.ts', appDir), `
import { Vqf, fuseOrientation, type SampleBlock } from 'kinemetry';
import { PolarPmdDriver, browserTransport, fromSensor, type BleTransport } from 'kinemetry/ble';
import { parseCanonicalCsv } from 'kinemetry/formats';
import { scoreRepsLive } from 'kinemetry/quality';
import { staticPoseCalibration } from 'kinemetry/calibration';
import { validateBlock } from 'kinemetry/offline';
import * as sim from 'kinemetry/sim';
import { renderReportHtml } from 'kinemetry/report';
import { classifyRecording } from 'kinemetry/ml';
import { saveExerciseModel } from 'kinemetry/ml/node';
import { readRecording, sim as nodeSim } from 'kinemetry/node';
const blocks: SampleBlock[] = parseCanonicalCsv('t,ax,ay,az,gx,gy,gz\\n0,0,0,9.8,0,0,0\\n');
const transport: BleTransport = browserTransport({} as never);
export const used = [Vqf, fuseOrientation, PolarPmdDriver, fromSensor, scoreRepsLive, staticPoseCalibration, validateBlock, sim.simulate, renderReportHtml, classifyRecording, saveExerciseModel, readRecording, nodeSim.simulate, blocks, transport];
`);
writeFileSync(new URL('tsconfig.json', appDir), JSON.stringify({
  compilerOptions: { target: 'es2022', module: 'esnext', moduleResolution: 'bundler', strict: true, noEmit: true, skipLibCheck: true, lib: ['es2022', 'dom'], types: [] },
  files: ['app.ts'],
}));
try {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', fileURLToPath(new URL('tsconfig.json', appDir))], { stdio: 'pipe' });
  console.log('an app importing every entry by package name type-checks against dist/*.d.ts');
} catch (err) {
  problems.push(`types: an app importing every entry does not type-check:\n${err.stdout?.toString() ?? err.message}`);
}

if (problems.length) {
  for (const p of problems) console.error(`check-dist: ${p}`);
  process.exit(1);
}
console.log(`check-dist: ${Object.keys(pkg.exports).length} entries import from dist and work`);
