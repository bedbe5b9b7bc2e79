/**
 * Stress test of the readers through the `kinemetry` CLI, each run in its own process so that
 * its wall time and peak RSS are its own:
 *  (a) a 1-hour 100 Hz 9-axis canonical CSV (360 000 rows, synthetic signal): `info`, `info`
 *      on a 2-sensor session of two such files, `convert` of that session to BIDS and of one
 *      file to canonical CSV — next to a 1-minute file and `--version`, so that "bounded
 *      memory" reads as "the same RSS for 60× the data" — and `info` again with V8's heap
 *      capped at 16 MiB, smaller than the file;
 *  (b) hundreds of MB of random bytes named .csv, .txt and .mat (plus two harder variants: no
 *      line break at all, and a valid MAT header followed by random bytes): exit code, the
 *      one-line message, time and peak RSS.
 * Prints a markdown table. Temporary files go to the OS temp directory and are deleted.
 *
 *   node --import tsx scripts/stress-io.ts [--mb 300] [--hours 1] [--tsx | --bin] [--keep]
 *
 * The CLI runs as `node bin/kinemetry.js` when dist/ is built and newer than src/, else as
 * `node --import tsx src/cli/main.ts` (`--bin`/`--tsx` force one). Peak RSS comes from
 * `/usr/bin/time -v` when present, else from `process.resourceUsage().maxRSS` reported by a
 * preloaded hook in the child.
 */
import { spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { createWriteStream, existsSync, readdirSync, statSync } from 'node:fs';
import { link, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({
  options: {
    mb: { type: 'string', default: '300' },
    hours: { type: 'string', default: '1' },
    tsx: { type: 'boolean', default: false },
    bin: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const RANDOM_MB = Number(opts.mb);
const HOURS = Number(opts.hours);
const RATE_HZ = 100;

// ---- how to run the CLI, and how to measure it ----

function newestMtimeMs(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtimeMs(p) : statSync(p).mtimeMs);
  }
  return t;
}

function cliCommand(): { argv: string[]; how: string } {
  const built = join(root, 'dist', 'cli.js');
  const fresh = existsSync(built) && statSync(built).mtimeMs >= newestMtimeMs(join(root, 'src'));
  if (opts.bin || (!opts.tsx && fresh)) return { argv: [join(root, 'bin', 'kinemetry.js')], how: 'node bin/kinemetry.js (dist)' };
  const why = opts.tsx ? 'forced' : existsSync(built) ? 'dist/ older than src/' : 'no dist/';
  return { argv: ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts')], how: `node --import tsx src/cli/main.ts (${why})` };
}

const TIME = '/usr/bin/time';
const haveTime = existsSync(TIME);

interface Measured {
  readonly code: number | null;
  readonly wallS: number;
  readonly rssMB: number;
  readonly stdoutBytes: number;
  /** First 64 KiB of stdout. */
  readonly stdoutHead: string;
  readonly stderr: string;
}

async function measure(dir: string, cli: string[], args: string[], nodeFlags: readonly string[] = []): Promise<Measured> {
  const rssFile = join(dir, `rss-${process.hrtime.bigint()}.txt`);
  let cmd: string;
  let argv: string[];
  const env = { ...process.env };
  if (haveTime) {
    cmd = TIME;
    argv = ['-v', '-o', rssFile, process.execPath, ...nodeFlags, ...cli, ...args];
  } else {
    const hook = join(dir, 'rss-hook.mjs');
    if (!existsSync(hook)) {
      await writeFile(hook, "import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(process.env.KINEMETRY_RSS_FILE, String(process.resourceUsage().maxRSS)));\n");
    }
    cmd = process.execPath;
    argv = [...nodeFlags, '--import', pathToFileURL(hook).href, ...cli, ...args];
    env.KINEMETRY_RSS_FILE = rssFile;
  }
  const t0 = performance.now();
  const child = spawn(cmd, argv, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdoutBytes = 0;
  let stdoutHead = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    if (stdoutBytes < 1 << 16) stdoutHead += d.toString('utf8', 0, Math.min(d.length, (1 << 16) - stdoutBytes));
    stdoutBytes += d.length;
  });
  child.stderr.on('data', (d: Buffer) => {
    if (stderr.length < 1 << 16) stderr += d.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  const wallS = (performance.now() - t0) / 1000;
  const raw = await readFile(rssFile, 'utf8').catch(() => '');
  const kb = haveTime ? Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(raw)?.[1] ?? NaN) : Number(raw);
  // GNU time reports the child's status on its own line when it is not 0; the tool's code is ours.
  return { code, wallS, rssMB: kb / 1024, stdoutBytes, stdoutHead, stderr };
}

// ---- inputs ----

/** Write `text()` pieces to `path`, respecting back-pressure. */
async function writeStreamed(path: string, pieces: () => Generator<string | Uint8Array>): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  for (const p of pieces()) {
    bytes += p.length;
    if (!out.write(p)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return statSync(path).size;
}

/** A canonical CSV of `rows` 9-axis samples at 100 Hz: slow rotations, gravity, a little noise. */
function* canonicalRows(sensor: string, rows: number, phase: number): Generator<string> {
  yield `# sensor: ${sensor}\n# placement: ${sensor}\n# rate_hz: ${RATE_HZ}\n# device: kinemetry stress-io (synthetic)\n`;
  yield 't,ax,ay,az,gx,gy,gz,mx,my,mz\n';
  let seed = 12345 + phase;
  const noise = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff - 0.5;
  };
  const batch: string[] = [];
  for (let i = 0; i < rows; i++) {
    const t = i / RATE_HZ;
    const w = 2 * Math.PI * 0.25 * t + phase;
    batch.push(
      [
        t.toFixed(2),
        (1.2 * Math.sin(w) + 0.02 * noise()).toFixed(4),
        (0.8 * Math.cos(w) + 0.02 * noise()).toFixed(4),
        (9.81 + 0.3 * Math.sin(2 * w) + 0.02 * noise()).toFixed(4),
        (0.9 * Math.cos(w) + 0.005 * noise()).toFixed(5),
        (0.4 * Math.sin(w) + 0.005 * noise()).toFixed(5),
        (0.005 * noise()).toFixed(5),
        (22 * Math.cos(w)).toFixed(3),
        (5 * Math.sin(w)).toFixed(3),
        (-40 + noise()).toFixed(3),
      ].join(','),
    );
    if (batch.length === 2000) {
      yield batch.join('\n') + '\n';
      batch.length = 0;
    }
  }
  if (batch.length > 0) yield batch.join('\n') + '\n';
}

/** `mb` MiB of random bytes, optionally after `prefix` and without any line feed. */
function* randomBytes(mb: number, options: { prefix?: Uint8Array; noLineFeed?: boolean } = {}): Generator<Uint8Array> {
  if (options.prefix) yield options.prefix;
  for (let k = 0; k < mb; k++) {
    const b = randomFillSync(Buffer.allocUnsafe(1 << 20));
    if (options.noLineFeed) for (let i = 0; i < b.length; i++) if (b[i] === 0x0a) b[i] = 0x20;
    yield b;
  }
}

/** A valid 128-byte MAT v5 header (little-endian), as MATLAB writes it. */
function matHeader(): Uint8Array {
  const h = new Uint8Array(128).fill(0x20, 0, 116);
  h.set(new TextEncoder().encode('MATLAB 5.0 MAT-file, Platform: GLNXA64, Created on: Mon Jan  1 00:00:00 2024'));
  h.fill(0, 116, 124);
  h.set([0x00, 0x01, 0x49, 0x4d], 124);
  return h;
}

// ---- the run ----

interface Row {
  readonly run: string;
  readonly input: string;
  readonly m: Measured;
  readonly note: string;
}

const mib = (bytes: number) => `${(bytes / (1 << 20)).toFixed(1)} MiB`;
const fmt = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '?');

function stderrSummary(m: Measured): string {
  const lines = m.stderr.split('\n').filter((l) => l !== '' && !/^Command exited with non-zero status/.test(l));
  if (lines.length === 0) return '—';
  const first = lines[0]!.length > 110 ? `${lines[0]!.slice(0, 110)}…` : lines[0]!;
  return `${lines.length === 1 ? '1 line' : `${lines.length} lines`}: \`${first.replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

async function main(): Promise<void> {
  const cli = cliCommand();
  const dir = await mkdtemp(join(tmpdir(), 'kinemetry-stress-'));
  const rows: Row[] = [];
  const failures: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) failures.push(what);
  };
  const log = (s: string) => process.stderr.write(`${s}\n`);
  log(`stress-io: CLI = ${cli.how}; RSS from ${haveTime ? '/usr/bin/time -v' : 'process.resourceUsage() in the child'}; temp = ${dir}`);
  try {
    const short = join(dir, 'minute.csv');
    const hourRows = Math.round(HOURS * 3600 * RATE_HZ);
    const session = join(dir, 'session');
    await mkdir(session);
    const thigh = join(session, 'thigh.csv');
    const shank = join(session, 'shank.csv');
    log('writing recordings…');
    const shortBytes = await writeStreamed(short, () => canonicalRows('minute', 60 * RATE_HZ, 0));
    const thighBytes = await writeStreamed(thigh, () => canonicalRows('thigh', hourRows, 0));
    const shankBytes = await writeStreamed(shank, () => canonicalRows('shank', hourRows, 1));

    const add = async (run: string, input: string, args: string[], note: (m: Measured) => string = () => '', nodeFlags: readonly string[] = []) => {
      log(`running ${run}…`);
      const m = await measure(dir, cli.argv, args, nodeFlags);
      rows.push({ run, input, m, note: note(m) });
      return m;
    };

    const base = await add('`--version` (baseline)', '—', ['--version']);
    check(base.code === 0, '--version exits 0');
    const m1 = await add('`info`', `1 min, 6 000 rows, ${mib(shortBytes)}`, ['info', '--json', short], (m) => `${JSON.parse(m.stdoutHead).sensors[0].samples} samples`);
    check(m1.code === 0, 'info on the 1-minute file exits 0');
    const mh = await add('`info`', `${HOURS} h, ${hourRows.toLocaleString('en')} rows, ${mib(thighBytes)}`, ['info', '--json', thigh], (m) => {
      const s = JSON.parse(m.stdoutHead).sensors[0];
      check(s.samples === hourRows && s.ok === true, `info on the ${HOURS}-hour file reads ${hourRows} samples, OK`);
      return `${s.samples} samples, ${fmt(s.durationS / 3600, 2)} h, verdict ${s.verdict}`;
    });
    check(mh.code === 0, 'info on the 1-hour file exits 0');
    // Streaming, not loading: the whole file would not fit in a 16 MiB V8 heap.
    const tight = await add('`info`, V8 heap capped at 16 MiB', `${HOURS} h, ${mib(thighBytes)}`, ['info', '--json', thigh], (m) => (m.code === 0 ? `${JSON.parse(m.stdoutHead).sensors[0].samples} samples` : 'failed'), ['--max-old-space-size=16']);
    check(tight.code === 0, 'info on the 1-hour file runs in a 16 MiB heap');
    const ms = await add('`info` session', `2 sensors × ${HOURS} h, ${mib(thighBytes + shankBytes)}`, ['info', '--json', session], (m) => {
      const j = JSON.parse(m.stdoutHead);
      check(j.sensors.length === 2 && j.sensors.every((s: { samples: number }) => s.samples === hourRows), 'info on the session reads both sensors whole');
      return `${j.sensors.length} sensors, ${j.sensors.map((s: { samples: number }) => s.samples).join(' + ')} samples`;
    });
    check(ms.code === 0, 'info on the session exits 0');
    const bids = join(dir, 'bids');
    const mb = await add('`convert --to bids`', `2 sensors × ${HOURS} h → BIDS dataset`, ['convert', session, '-o', bids, '--to', 'bids'], (m) => {
      const files = m.stdoutHead.split('\n').filter((l) => l.startsWith('wrote ')).length;
      return `${files} files written`;
    });
    check(mb.code === 0, 'convert to BIDS exits 0');
    const csvOut = join(dir, 'copy.csv');
    const mc = await add('`convert` → .csv', `${HOURS} h → canonical CSV`, ['convert', thigh, '-o', csvOut], () => `${mib(statSync(csvOut).size)} written`);
    check(mc.code === 0, 'convert to CSV exits 0');
    await rm(bids, { recursive: true, force: true });
    await rm(csvOut, { force: true });
    await rm(session, { recursive: true, force: true });

    log(`writing ${RANDOM_MB} MiB of random bytes…`);
    const random = join(dir, 'random.csv');
    const randomBytesWritten = await writeStreamed(random, () => randomBytes(RANDOM_MB));
    await link(random, join(dir, 'random.txt'));
    await link(random, join(dir, 'random.mat'));
    const bad = async (run: string, path: string, input: string, where: RegExp) => {
      const m = await add(run, input, ['info', path]);
      const lines = m.stderr.split('\n').filter((l) => l !== '' && !/^Command exited with non-zero status/.test(l));
      check(m.code === 1, `${run}: exit 1 (got ${m.code})`);
      check(lines.length === 1 && lines[0]!.startsWith(path) && where.test(lines[0]!.slice(path.length)), `${run}: one line naming the file and ${where}`);
      check(m.stdoutBytes === 0, `${run}: nothing on stdout`);
      return m;
    };
    for (const ext of ['csv', 'txt', 'mat']) {
      await bad(`\`info\` random .${ext}`, join(dir, `random.${ext}`), `${mib(randomBytesWritten)} random`, ext === 'mat' ? /^: byte \d+: / : /^:\d+: /);
    }
    await rm(random, { force: true });
    await rm(join(dir, 'random.txt'), { force: true });
    await rm(join(dir, 'random.mat'), { force: true });

    const noLf = join(dir, 'nolinefeed.csv');
    const noLfBytes = await writeStreamed(noLf, () => randomBytes(RANDOM_MB, { noLineFeed: true }));
    await bad('`info` random .csv, no line feed', noLf, `${mib(noLfBytes)} random, no \\n`, /^:1: line longer than/);
    await rm(noLf, { force: true });

    const matRandom = join(dir, 'header-then-random.mat');
    const matBytes = await writeStreamed(matRandom, () => randomBytes(RANDOM_MB, { prefix: matHeader() }));
    await bad('`info` MAT header + random', matRandom, `${mib(matBytes)}: valid header, random body`, /^: byte \d+: /);
    await rm(matRandom, { force: true });

    // Structurally plausible: one miMATRIX element whose tag announces the random body that
    // follows. The .mat reader holds a file whole (a compressed element is one zlib stream),
    // so this one is buffered to the end before its content is found wrong.
    const tag = (size: number) => {
      const t = new Uint8Array(8);
      new DataView(t.buffer).setUint32(0, 14, true);
      new DataView(t.buffer).setUint32(4, size, true);
      return t;
    };
    const withTag = (size: number) => {
      const p = new Uint8Array(136);
      p.set(matHeader());
      p.set(tag(size), 128);
      return p;
    };
    const matBig = join(dir, 'one-big-element.mat');
    const matBigBytes = await writeStreamed(matBig, () => randomBytes(RANDOM_MB, { prefix: withTag(RANDOM_MB << 20) }));
    await bad('`info` MAT, one huge element', matBig, `${mib(matBigBytes)}: header, miMATRIX tag of ${RANDOM_MB} MiB, random body`, /^: byte \d+: /);
    await rm(matBig, { force: true });

    // A tag announcing more than the reader's limit is refused as soon as it is read.
    const matHuge = join(dir, 'claims-4gib.mat');
    const matHugeBytes = await writeStreamed(matHuge, () => randomBytes(64, { prefix: withTag(0xfffffff0) }));
    await bad('`info` MAT, element claims 4 GiB', matHuge, `${mib(matHugeBytes)}: header, miMATRIX tag of 4 GiB`, /^: byte 128: data element of \d+ bytes: larger than/);
    await rm(matHuge, { force: true });
  } finally {
    if (opts.keep) log(`kept ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }

  const out: string[] = [];
  out.push(`CLI: ${cli.how}; Node ${process.version}; peak RSS from ${haveTime ? '/usr/bin/time -v' : 'process.resourceUsage().maxRSS'}`);
  out.push('');
  out.push('| run | input | exit | wall s | peak RSS MiB | stderr | notes |');
  out.push('|---|---|---|---|---|---|---|');
  for (const r of rows) {
    out.push(`| ${r.run} | ${r.input} | ${r.m.code} | ${fmt(r.m.wallS, 2)} | ${fmt(r.m.rssMB, 0)} | ${stderrSummary(r.m)} | ${r.note} |`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
  if (failures.length > 0) {
    process.stdout.write(`\nFAILED:\n${failures.map((f) => `- ${f}`).join('\n')}\n`);
    process.exitCode = 1;
  }
}

await main();
