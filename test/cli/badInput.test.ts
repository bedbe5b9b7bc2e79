/**
 * Bad input through the CLI, per format: every damaged recording gives the documented exit
 * code (1 bad data, 2 bad usage) and exactly one stderr line naming the file and the line (a
 * byte offset for .mat), never a stack trace unless --debug; `convert` fails the same way and
 * leaves no output file behind. Non-monotonic time is not an error: it is read exactly, `info`
 * reports it with its line, and `convert` keeps the rows in file order.
 */
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, type Run } from './run';
import type { InfoJson } from '../../src/cli/infoReport';
import { parseCanonicalCsv } from '../../src/io/canonicalCsv';
import { readSession } from '../../src/io/node/session';
import { concatBlocks } from '../../src/samples/block';


const exists = (p: string) => access(p).then(() => true, () => false);
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** stderr is exactly one harmless line (no stack, no control characters); returns it. */
function oneLine(r: Run): string {
  expect(r.stderr.endsWith('\n'), JSON.stringify(r.stderr)).toBe(true);
  const line = r.stderr.slice(0, -1);
  expect(line, 'more than one stderr line').not.toMatch(/[\n\r\u2028\u2029]/);
  expect(line).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  expect(line).not.toMatch(/\bat .*:\d+:\d+\)?$/);
  return line;
}

// ---- valid inputs, one per format (line numbers below refer to these) ----

/** Canonical CSV: header on line 1, sample i on line 2 + i. */
const CSV_HEADER = 't,ax,ay,az,gx,gy,gz';
const csvRow = (i: number, t = i / 100) => `${t},0.1,-0.2,9.81,0.01,0,${(0.001 * i).toFixed(3)}`;
const CSV = `${CSV_HEADER}\n${[0, 1, 2, 3, 4].map((i) => csvRow(i)).join('\n')}\n`;

/** BIDS motion: no header, sample i on line 1 + i. */
const BIDS_CHANNELS = [
  'name\tcomponent\ttype\ttracked_point\tunits',
  'ax\tx\tACCEL\tLeftFoot\tm/s^2',
  'ay\ty\tACCEL\tLeftFoot\tm/s^2',
  'az\tz\tACCEL\tLeftFoot\tm/s^2',
  'gx\tx\tGYRO\tLeftFoot\trad/s',
  'gy\ty\tGYRO\tLeftFoot\trad/s',
  'gz\tz\tGYRO\tLeftFoot\trad/s',
].join('\n') + '\n';
const BIDS_LATENCY_CHANNELS = BIDS_CHANNELS.replace('\n', '\nlatency\tn/a\tLATENCY\tn/a\ts\n');
const BIDS_JSON = JSON.stringify({ SamplingFrequency: 100, TaskName: 'walk' });
const bidsRow = (i: number) => [0.1, -0.2, 9.81, 0.01, 0, 0.001 * i].join('\t');
const BIDS = [0, 1, 2, 3, 4].map(bidsRow).join('\n') + '\n';
const bids = (motion: string, channels = BIDS_CHANNELS, json = BIDS_JSON) => ({ 'a_motion.tsv': motion, 'a_channels.tsv': channels, 'a_motion.json': json });

/** MetaMotion board: accelerometer and gyroscope streams, header on line 1, sample i on line 2 + i. */
const MM_STEM = 'MetaWear_2023-05-01T10.00.00.000_C5A1B2C3D4E5';
const MM_ACC = `${MM_STEM}_Accelerometer_1.4.4.csv`;
const MM_GYR = `${MM_STEM}_Gyroscope_1.4.4.csv`;
const MM_ACC_HEADER = 'epoch (ms),time (01:00),elapsed (s),x-axis (g),y-axis (g),z-axis (g)';
const MM_GYR_HEADER = 'epoch (ms),time (01:00),elapsed (s),x-axis (deg/s),y-axis (deg/s),z-axis (deg/s)';
const E0 = 1682935200000;
const mmRow = (i: number, epoch = E0 + 10 * i) => `${epoch},2023-05-01T10.00.00.${String(10 * i).padStart(3, '0')},${(i / 100).toFixed(3)},0.01,0,1`;
const mmStream = (header: string, n: number, row: (i: number) => string = mmRow) => `${header}\n${Array.from({ length: n }, (_, i) => row(i)).join('\n')}\n`;
const metamotion = (acc: string, gyr = mmStream(MM_GYR_HEADER, 30)) => ({ [MM_ACC]: acc, [MM_GYR]: gyr });

/** OpenSim .sto: header lines 1–3, column row on line 4, sample i on line 5 + i. */
const stoText = (rows: readonly string[]) => ['DataRate=100', 'DataType=Quaternion', 'endheader', 'time\tshank_imu', ...rows].join('\n') + '\n';
const STO_ROWS = ['0\t1,0,0,0', '0.01\t0.8,0.6,0,0', '0.02\t0.6,0,0.8,0', '0.03\t0.6,0,0,0.8'];

/** Xsens export (first 12 lines of the fixture): `//` lines 1–5, column row on line 6, sample i on line 7 + i. */
let XSENS_LINES: string[];
const xsens = (lines: readonly string[]) => lines.join('\r\n') + '\r\n';

/** UCI PT delimited text (first 10 lines of the fixture): header on line 1, sample i on line 2 + i. */
let UCI_LINES: string[];
const UCI_OPTIONS = ['--columns', 't=time index,ax=acc_x,ay=acc_y,az=acc_z,gx=gyr_x,gy=gyr_y,gz=gyr_z', '--rate', '25'];
const uci = (lines: readonly string[]) => lines.join('\n') + '\n';

/** BROAD .mat slice. */
let MAT: Uint8Array;

/** Deterministic bytes (xorshift), so the fixed cases do not depend on the run. */
function pseudoRandomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

// ---- the bad-data matrix ----

type Where = { readonly line: number } | { readonly anyLine: true } | { readonly byte: number } | { readonly anyByte: true } | { readonly file: true };

interface BadCase {
  readonly format: string;
  readonly what: string;
  /** Files to write into the case's directory (built lazily: some use fixtures). */
  readonly files: () => Readonly<Record<string, string | Uint8Array>>;
  /** Path on the command line, relative to the case's directory. */
  readonly input: string;
  readonly options?: readonly string[];
  /** File the message names, relative (default: `input`). */
  readonly names?: string;
  readonly at: Where;
  readonly reason: RegExp;
}

const CASES: readonly BadCase[] = [
  // canonical CSV
  { format: 'canonical', what: 'truncated mid-line', files: () => ({ 'c.csv': CSV.slice(0, CSV.lastIndexOf('\n', CSV.length - 2) + 1) + '0.04,0.1,-0.2' }), input: 'c.csv', at: { line: 6 }, reason: /expected 7 fields \(t,ax,ay,az,gx,gy,gz\), found 3$/ },
  { format: 'canonical', what: 'truncated inside the header', files: () => ({ 'c.csv': 't,ax,ay,az,g' }), input: 'c.csv', at: { line: 1 }, reason: /unknown column 'g'/ },
  { format: 'canonical', what: 'data rows with another delimiter than the header', files: () => ({ 'c.csv': `${CSV_HEADER}\n${csvRow(0)}\n${csvRow(1).replace(/,/g, ';')}\n` }), input: 'c.csv', at: { line: 3 }, reason: /expected 7 fields .*, found 1$/ },
  { format: 'canonical', what: 'a delimiter that is none of , ; tab', files: () => ({ 'c.csv': CSV.replace(/,/g, '|') }), input: 'c.csv', at: { line: 1 }, reason: /cannot detect the delimiter/ },
  { format: 'canonical', what: 'text in a numeric column', files: () => ({ 'c.csv': CSV.replace(csvRow(2), csvRow(2).replace('9.81', '9.81g')) }), input: 'c.csv', at: { line: 4 }, reason: /column az: "9\.81g" is not a number$/ },
  { format: 'canonical', what: 'a hex number (Number() would accept it)', files: () => ({ 'c.csv': CSV.replace(csvRow(1), csvRow(1).replace('0.1', '0x1f')) }), input: 'c.csv', at: { line: 3 }, reason: /column ax: "0x1f" is not a number$/ },
  { format: 'canonical', what: 'an empty file', files: () => ({ 'c.csv': '' }), input: 'c.csv', at: { line: 1 }, reason: /empty file$/ },
  { format: 'canonical', what: 'a BOM and nothing else', files: () => ({ 'c.csv': '\uFEFF' }), input: 'c.csv', at: { line: 1 }, reason: /empty file$/ },
  { format: 'canonical', what: 'metadata but no header', files: () => ({ 'c.csv': '# sensor: thigh\n# rate_hz: 100\n' }), input: 'c.csv', at: { line: 2 }, reason: /no header row/ },
  { format: 'canonical', what: 'a header and no rows', files: () => ({ 'c.csv': `# rate_hz: 100\n${CSV_HEADER}\n\n` }), input: 'c.csv', at: { line: 2 }, reason: /no data rows after the header$/ },
  { format: 'canonical', what: 'an unknown unit', files: () => ({ 'c.csv': CSV.replace('ax,', 'ax[furlong],') }), input: 'c.csv', at: { line: 1 }, reason: /column ax: unknown acceleration unit 'furlong'/ },
  { format: 'canonical', what: 'a unit of the wrong quantity', files: () => ({ 'c.csv': CSV.replace('gx,', 'gx[m/s^2],') }), input: 'c.csv', at: { line: 1 }, reason: /column gx: .*'m\/s\^2'/ },
  { format: 'canonical', what: 'a bad metadata value', files: () => ({ 'c.csv': `# rate_hz: fast\n${CSV}` }), input: 'c.csv', at: { line: 1 }, reason: /rate_hz must be a positive number/ },
  { format: 'canonical', what: 'a bad file in a session directory', files: () => ({ 's/thigh.csv': CSV, 's/shank.csv': CSV.replace(csvRow(3), csvRow(3).replace('0.01', 'nope')) }), input: 's', names: 's/shank.csv', at: { line: 5 }, reason: /column gx: "nope" is not a number$/ },

  // BIDS motion
  { format: 'bids', what: 'truncated mid-line', files: () => bids(BIDS.slice(0, -8)), input: 'a_motion.tsv', at: { line: 5 }, reason: /expected 6 tab-separated fields .*found 5$/ },
  { format: 'bids', what: 'commas instead of tabs', files: () => bids(BIDS.replace(/\t/g, ',')), input: 'a_motion.tsv', at: { line: 1 }, reason: /expected 6 tab-separated fields .*found 1$/ },
  { format: 'bids', what: 'text in a numeric column', files: () => bids(BIDS.replace(bidsRow(3), bidsRow(3).replace('9.81', 'high'))), input: 'a_motion.tsv', at: { line: 4 }, reason: /column az: "high" is not a number$/ },
  { format: 'bids', what: 'an empty file', files: () => bids(''), input: 'a_motion.tsv', at: { line: 1 }, reason: /empty file$/ },
  { format: 'bids', what: 'a channels file with only its header', files: () => bids(BIDS, 'name\tcomponent\ttype\ttracked_point\tunits\n'), input: 'a_motion.tsv', names: 'a_channels.tsv', at: { line: 1 }, reason: /no channels/ },
  { format: 'bids', what: 'an unknown unit in the channels file', files: () => bids(BIDS, BIDS_CHANNELS.replace('ay\ty\tACCEL\tLeftFoot\tm/s^2', 'ay\ty\tACCEL\tLeftFoot\tfurlong')), input: 'a_motion.tsv', names: 'a_channels.tsv', at: { line: 3 }, reason: /column units: .*unknown acceleration unit 'furlong'/ },
  { format: 'bids', what: 'a truncated motion.json', files: () => bids(BIDS, BIDS_CHANNELS, BIDS_JSON.slice(0, 12)), input: 'a_motion.tsv', names: 'a_motion.json', at: { line: 1 }, reason: /not valid JSON/ },
  { format: 'bids', what: 'a missing channels file', files: () => ({ 'a_motion.tsv': BIDS, 'a_motion.json': BIDS_JSON }), input: 'a_motion.tsv', at: { file: true }, reason: /channels file a_channels\.tsv is missing/ },

  // MetaMotion
  { format: 'metamotion', what: 'truncated mid-line', files: () => metamotion(mmStream(MM_ACC_HEADER, 30).slice(0, -12)), input: MM_ACC, at: { line: 31 }, reason: /expected 6 comma-separated fields, found 3$/ },
  { format: 'metamotion', what: 'data rows with semicolons', files: () => metamotion(mmStream(MM_ACC_HEADER, 30, (i) => (i === 4 ? mmRow(i).replace(/,/g, ';') : mmRow(i)))), input: MM_ACC, at: { line: 6 }, reason: /expected 6 comma-separated fields, found 1$/ },
  { format: 'metamotion', what: 'text in a numeric column', files: () => metamotion(mmStream(MM_ACC_HEADER, 30, (i) => (i === 7 ? mmRow(i).replace(/,1$/, ',one') : mmRow(i)))), input: MM_ACC, at: { line: 9 }, reason: /column z-axis \(g\): "one" is not a number$/ },
  { format: 'metamotion', what: 'text in the partner stream (named by it)', files: () => metamotion(mmStream(MM_ACC_HEADER, 30), mmStream(MM_GYR_HEADER, 30, (i) => (i === 2 ? mmRow(i).replace('0.01', '1e') : mmRow(i)))), input: MM_ACC, names: MM_GYR, at: { line: 4 }, reason: /column x-axis \(deg\/s\): "1e" is not a number$/ },
  { format: 'metamotion', what: 'time going back (merging needs increasing time)', files: () => metamotion(mmStream(MM_ACC_HEADER, 30, (i) => mmRow(i, E0 + 10 * (i === 5 ? 3 : i)))), input: MM_ACC, at: { line: 7 }, reason: /time goes back .* need increasing timestamps$/ },
  { format: 'metamotion', what: 'an empty stream', files: () => metamotion(''), input: MM_ACC, at: { line: 1 }, reason: /empty file$/ },
  { format: 'metamotion', what: 'a header and no rows', files: () => metamotion(`${MM_ACC_HEADER}\n`), input: MM_ACC, at: { line: 1 }, reason: /no data rows after the header$/ },
  { format: 'metamotion', what: 'an unknown unit', files: () => metamotion(mmStream(MM_ACC_HEADER.replace(/\(g\)/g, '(furlong)'), 30)), input: MM_ACC, at: { line: 1 }, reason: /unknown acceleration unit 'furlong'/ },

  // Xsens MT Manager
  { format: 'xsens', what: 'truncated mid-line', files: () => ({ 'x.txt': xsens(XSENS_LINES).slice(0, -60) }), input: 'x.txt', at: { line: 12 }, reason: /expected 22 fields, found \d+ \(truncated or garbled row\?\)$/ },
  { format: 'xsens', what: 'a row with commas in a tab-separated file', files: () => ({ 'x.txt': xsens(XSENS_LINES.map((l, k) => (k === 8 ? l.replace(/\t/g, ',') : l))) }), input: 'x.txt', at: { line: 9 }, reason: /expected 22 fields, found 1/ },
  { format: 'xsens', what: 'text in a numeric column', files: () => ({ 'x.txt': xsens(XSENS_LINES.map((l, k) => (k === 7 ? l.split('\t').map((f, j) => (j === 4 ? 'n.a.' : f)).join('\t') : l))) }), input: 'x.txt', at: { line: 8 }, reason: /column Acc_Z: "n\.a\." is not a number$/ },
  { format: 'xsens', what: 'an empty file', files: () => ({ 'x.txt': '' }), input: 'x.txt', at: { line: 1 }, reason: /empty file$/ },
  { format: 'xsens', what: 'a header and no rows', files: () => ({ 'x.txt': xsens(XSENS_LINES.slice(0, 6)) }), input: 'x.txt', at: { line: 6 }, reason: /no data rows after the header$/ },

  // OpenSim .sto
  { format: 'sto', what: 'truncated mid-line', files: () => ({ 'a.sto': stoText(STO_ROWS).slice(0, -6) }), input: 'a.sto', at: { line: 8 }, reason: /column shank_imu: "0\.6,0," is not a w,x,y,z quaternion \(expected 4 comma-separated numbers, found 3\)$/ },
  { format: 'sto', what: 'commas instead of tabs', files: () => ({ 'a.sto': stoText(STO_ROWS).replace(/\t/g, ',') }), input: 'a.sto', at: { line: 4 }, reason: /first column after 'endheader' must be 'time' \(tab-separated\)/ },
  { format: 'sto', what: 'text in a quaternion', files: () => ({ 'a.sto': stoText(STO_ROWS.map((r, k) => (k === 2 ? r.replace(',0.8,', ',zero,') : r))) }), input: 'a.sto', at: { line: 7 }, reason: /column shank_imu: "zero" is not a number/ },
  { format: 'sto', what: 'text in the time column', files: () => ({ 'a.sto': stoText(STO_ROWS.map((r, k) => (k === 1 ? r.replace('0.01', '10ms') : r))) }), input: 'a.sto', at: { line: 6 }, reason: /column time: "10ms" is not a number$/ },
  { format: 'sto', what: 'an empty file', files: () => ({ 'a.sto': '' }), input: 'a.sto', at: { line: 1 }, reason: /empty file$/ },
  { format: 'sto', what: 'a header and no rows', files: () => ({ 'a.sto': stoText([]) }), input: 'a.sto', at: { line: 4 }, reason: /no data rows after the header$/ },
  { format: 'sto', what: 'no endheader (read by its extension)', files: () => ({ 'a.sto': 'DataRate=100\ntime\tshank_imu\n0\t1,0,0,0\n' }), input: 'a.sto', at: { line: 3 }, reason: /no 'endheader' line/ },
  { format: 'sto', what: 'a non-orientation .sto', files: () => ({ 'a.sto': 'DataType=double\nendheader\ntime\tknee_angle_r\n0\t10\n' }), input: 'a.sto', at: { line: 1 }, reason: /only orientation files \(DataType=Quaternion\)/ },

  // generic delimited text through a column map
  { format: 'delimited', what: 'truncated mid-line', files: () => ({ 'u.txt': uci(UCI_LINES).replace(/;[^;]*;[^;]*;[^;]*;[^;]*\n$/, '') }), input: 'u.txt', options: UCI_OPTIONS, at: { line: 10 }, reason: /expected 10 .*fields.*found 6/ },
  { format: 'delimited', what: 'data rows with another delimiter than the header', files: () => ({ 'u.txt': uci(UCI_LINES.map((l, k) => (k === 3 ? l.replace(/;/g, ',') : l))) }), input: 'u.txt', options: UCI_OPTIONS, at: { line: 4 }, reason: /fields/ },
  { format: 'delimited', what: 'text in a numeric column', files: () => ({ 'u.txt': uci(UCI_LINES.map((l, k) => (k === 2 ? l.replace(/^(\d+;)[^;]+/, '$1x') : l))) }), input: 'u.txt', options: UCI_OPTIONS, at: { line: 3 }, reason: /column acc_x: "x" is not a number$/ },
  { format: 'delimited', what: 'an empty file', files: () => ({ 'u.txt': '' }), input: 'u.txt', options: UCI_OPTIONS, at: { line: 1 }, reason: /empty file$/ },
  { format: 'delimited', what: 'a header and no rows', files: () => ({ 'u.txt': uci(UCI_LINES.slice(0, 1)) }), input: 'u.txt', options: UCI_OPTIONS, at: { line: 1 }, reason: /no data rows after the header$/ },
  { format: 'delimited', what: 'an unknown unit in the column map', files: () => ({ 'u.txt': uci(UCI_LINES) }), input: 'u.txt', options: ['--columns', UCI_OPTIONS[1]!.replace('acc_x', 'acc_x[furlong]'), '--rate', '25'], at: { line: 1 }, reason: /unknown acceleration unit 'furlong'/ },

  // MATLAB .mat (binary: byte offsets)
  { format: 'mat', what: 'truncated inside a compressed element', files: () => ({ 'm.mat': MAT.subarray(0, 5000) }), input: 'm.mat', at: { byte: 128 }, reason: /but only \d+ bytes follow \(file truncated\?\)$/ },
  { format: 'mat', what: 'truncated inside the header', files: () => ({ 'm.mat': MAT.subarray(0, 100) }), input: 'm.mat', at: { byte: 0 }, reason: /truncated MAT-file header/ },
  { format: 'mat', what: 'random bytes', files: () => ({ 'm.mat': pseudoRandomBytes(5000, 7) }), input: 'm.mat', at: { byte: 0 }, reason: /not a MAT-file/ },
  { format: 'mat', what: 'a text file named .mat', files: () => ({ 'm.mat': CSV.replace('t,', 'time,') }), input: 'm.mat', at: { byte: 0 }, reason: /not a MAT-file/ },
  { format: 'mat', what: 'an empty file', files: () => ({ 'm.mat': new Uint8Array(0) }), input: 'm.mat', at: { file: true }, reason: /empty file$/ },

  // random bytes under every extension
  ...['r.csv', 'r.tsv', 'r.txt', 'r.sto'].map((name, k): BadCase => ({ format: 'any', what: `random bytes in ${name}`, files: () => ({ [name]: pseudoRandomBytes(20_000, 11 + k) }), input: name, at: { anyLine: true }, reason: /./ })),
  { format: 'bids', what: 'random bytes in _motion.tsv', files: () => bids(new TextDecoder().decode(pseudoRandomBytes(20_000, 5))), input: 'a_motion.tsv', at: { anyLine: true }, reason: /./ },
  { format: 'bids', what: 'random bytes in _channels.tsv', files: () => bids(BIDS, new TextDecoder().decode(pseudoRandomBytes(20_000, 6))), input: 'a_motion.tsv', names: 'a_channels.tsv', at: { anyLine: true }, reason: /./ },

  // directories
  { format: 'session', what: 'a directory with no recordings', files: () => ({ 'd/README.md': '# notes\n', 'd/notes.txt': 'not a recording\n', 'd/.hidden.csv': CSV }), input: 'd', at: { file: true }, reason: /no recordings in this directory/ },
  { format: 'session', what: 'an empty directory', files: () => ({ 'e/.keep': '' }), input: 'e', at: { file: true }, reason: /no recordings in this directory/ },
  { format: 'session', what: 'a directory whose only .mat is not a MAT-file', files: () => ({ 'd/trial.mat': pseudoRandomBytes(300, 3) }), input: 'd', at: { file: true }, reason: /no recordings in this directory/ },
];

let root: string;
let caseNo = 0;

async function writeFiles(dir: string, files: Readonly<Record<string, string | Uint8Array>>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), content);
  }
}

function expectWhere(line: string, file: string, at: Where, reason: RegExp): void {
  const f = escapeRe(file);
  if ('line' in at) expect(line).toMatch(new RegExp(`^${f}:${at.line}: `));
  else if ('anyLine' in at) expect(line).toMatch(new RegExp(`^${f}:[1-9]\\d*: `));
  else if ('byte' in at) expect(line).toMatch(new RegExp(`^${f}: byte ${at.byte}: `));
  else if ('anyByte' in at) expect(line).toMatch(new RegExp(`^${f}: byte \\d+: `));
  else expect(line).toMatch(new RegExp(`^${f}: `));
  expect(line).toMatch(reason);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'kinemetry-bad-'));
  const fixtures = new URL('../../fixtures/', import.meta.url);
  XSENS_LINES = (await readFile(new URL('xsens/MT_00B4A1C2_walk-000.txt', fixtures), 'utf8')).split('\r\n').slice(0, 12);
  UCI_LINES = (await readFile(new URL('uci-pt/s1-e1-u2-test-first20s.txt', fixtures), 'utf8')).split('\n').slice(0, 10);
  MAT = new Uint8Array(await readFile(new URL('broad/01_undisturbed_slow_rotation_A_slice.mat', fixtures)));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('bad data: exit 1 and one line naming the file and the line (byte for .mat)', () => {
  for (const c of CASES) {
    it(`${c.format}: ${c.what}`, async () => {
      const dir = join(root, `case${++caseNo}`);
      await writeFiles(dir, c.files());
      const input = join(dir, c.input);
      const named = join(dir, c.names ?? c.input);
      const options = c.options ?? [];

      const info = await run('info', ...options, input);
      expect(info.code, info.stderr).toBe(1);
      expect(info.stdout).toBe('');
      const line = oneLine(info);
      expectWhere(line, named, c.at, c.reason);

      // --json changes stdout, not the error report.
      const json = await run('info', '--json', ...options, input);
      expect(json).toEqual(info);

      const out = join(dir, 'out.csv');
      const conv = await run('convert', ...options, input, '-o', out);
      expect(conv.code).toBe(1);
      expect(conv.stdout).toBe('');
      expect(oneLine(conv)).toBe(line);
      expect(await exists(out), 'convert left a partial output file').toBe(false);
    });
  }

  it('shows the stack trace only with --debug', async () => {
    const dir = join(root, 'debug');
    await writeFiles(dir, { 'c.csv': CSV.replace('9.81', 'abc'), 'm.mat': MAT.subarray(0, 4000) });
    for (const [file, at] of [['c.csv', ':2: '], ['m.mat', ': byte 128: ']] as const) {
      const path = join(dir, file);
      for (const cmd of ['info', 'convert']) {
        const plain = await run(cmd, path);
        const debug = await run(cmd, '--debug', path);
        expect(plain.code).toBe(1);
        expect(debug.code).toBe(1);
        expect(oneLine(plain).startsWith(`${path}${at}`)).toBe(true);
        const lines = debug.stderr.trimEnd().split('\n');
        expect(lines[0]).toBe(plain.stderr.trimEnd());
        expect(lines.length).toBeGreaterThan(2);
        expect(lines.slice(1).some((l) => /^\s+at /.test(l))).toBe(true);
      }
    }
  });

  it('shows control characters from a damaged file as escapes, not raw', async () => {
    const dir = join(root, 'ctl');
    await writeFiles(dir, { 'c.csv': `t,a\u001b[31mx\u0007\r,ay\n1,2\n` });
    const r = await run('info', join(dir, 'c.csv'));
    expect(r.code).toBe(1);
    const line = oneLine(r);
    expect(line).toContain('\\u001b[31m');
    expect(line).toContain('\\u0007');
  });
});

describe('bad usage: exit 2, the message and a --help hint', () => {
  it('a missing path names it', async () => {
    const missing = join(root, 'nowhere', 'missing.csv');
    for (const argv of [['info', missing], ['convert', missing, '-o', join(root, 'x.csv')], ['info', join(root, 'nowhere')]]) {
      const r = await run(...argv);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toBe(`kinemetry ${argv[0]}: no such file or directory: ${argv[1]}`);
      expect(lines[1]).toBe(`Try 'kinemetry ${argv[0]} --help'.`);
    }
  });

  it('an unknown unit on the command line is usage, not data', async () => {
    const dir = join(root, 'usage');
    await writeFiles(dir, { 'c.csv': CSV });
    const r = await run('info', '--gyr-range', '2000 furlong/s', join(dir, 'c.csv'));
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(/^kinemetry info: --gyr-range: unknown angular-rate unit 'furlong\/s'/);
  });
});

// ---- non-monotonic time: read exactly, reported by info, kept in order by convert ----

interface NonMonotonicCase {
  readonly format: string;
  readonly files: () => Readonly<Record<string, string | Uint8Array>>;
  readonly input: string;
  readonly options?: readonly string[];
  /** File line of the sample whose time goes back. */
  readonly line: number;
}

const NON_MONOTONIC: readonly NonMonotonicCase[] = [
  { format: 'canonical', files: () => ({ 'c.csv': `${CSV_HEADER}\n${[0, 1, 3, 2, 4].map((i) => csvRow(i)).join('\n')}\n` }), input: 'c.csv', line: 5 },
  { format: 'canonical (repeated time)', files: () => ({ 'c.csv': `${CSV_HEADER}\n${[0, 1, 2, 3, 4].map((i) => csvRow(i, i === 3 ? 0.02 : i / 100)).join('\n')}\n` }), input: 'c.csv', line: 5 },
  {
    format: 'bids (LATENCY channel)',
    files: () => bids([0, 0.01, 0.03, 0.02, 0.04].map((t, i) => `${t}\t${bidsRow(i)}`).join('\n') + '\n', BIDS_LATENCY_CHANNELS),
    input: 'a_motion.tsv',
    line: 4,
  },
  { format: 'xsens', files: () => ({ 'x.txt': xsens([...XSENS_LINES.slice(0, 7), XSENS_LINES[8]!, XSENS_LINES[7]!, ...XSENS_LINES.slice(9)]) }), input: 'x.txt', line: 9 },
  { format: 'sto', files: () => ({ 'a.sto': stoText([STO_ROWS[0]!, STO_ROWS[2]!, STO_ROWS[1]!, STO_ROWS[3]!]) }), input: 'a.sto', line: 7 },
  { format: 'delimited', files: () => ({ 'u.txt': uci([UCI_LINES[0]!, UCI_LINES[1]!, UCI_LINES[3]!, UCI_LINES[2]!, UCI_LINES[4]!]) }), input: 'u.txt', options: UCI_OPTIONS, line: 4 },
];

describe('non-monotonic time is read exactly: info reports it with its line, convert keeps the order', () => {
  for (const c of NON_MONOTONIC) {
    it(c.format, async () => {
      const dir = join(root, `nm${++caseNo}`);
      await writeFiles(dir, c.files());
      const input = join(dir, c.input);
      const options = c.options ?? [];

      const j = await run('info', '--json', ...options, input);
      expect(j.code, j.stderr).toBe(0);
      expect(j.stderr).toBe('');
      const sensor = (JSON.parse(j.stdout) as InfoJson).sensors[0]!;
      expect(sensor.ok).toBe(false);
      const kinds = sensor.problems.byKind;
      expect(kinds['non-monotonic-time'] + kinds['duplicate-time']).toBe(1);
      expect(sensor.problems.first[0]).toMatchObject({ line: c.line, channel: 'tS' });

      const text = await run('info', ...options, input);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(new RegExp(`\\n {16}line ${c.line}, t = [^:]+: time (goes back|[\\d.]+ s repeats the previous sample's)`));

      // The reader's own times, then the converted file's: identical, in file order.
      const session = await readSession(input, {
        ...(c.options ? { format: 'delimited', columns: c.options[1]!, rateHz: Number(c.options[3]) } : {}),
      });
      const read: number[] = [];
      for await (const b of session.recordings[0]!.blocks()) read.push(...b.tS);
      expect(read.some((t, i) => i > 0 && t <= read[i - 1]!)).toBe(true);
      const out = join(dir, 'out.csv');
      const conv = await run('convert', ...options, input, '-o', out);
      expect(conv.code, conv.stderr).toBe(0);
      const written = concatBlocks(parseCanonicalCsv(await readFile(out, 'utf8'))).block;
      expect([...written.tS]).toEqual(read);
    });
  }

  it('is documented in the help of info and convert', async () => {
    const info = await run('info', '--help');
    expect(info.stdout).toMatch(/read exactly as\s+stored \(nothing is sorted, dropped or filled in\)/);
    expect(info.stdout).toMatch(/time going backwards is a\s+problem reported here rather than an error/);
    expect(info.stdout).toMatch(/MetaMotion streams are the exception/);
    expect(info.stdout).toMatch(/1 when a file cannot be parsed \(one line: file:line: what is wrong/);
    const convert = await run('convert', '--help');
    expect(convert.stdout).toMatch(/nothing is resampled or reordered: rows stay in file order\s+even where time goes backwards/);
  });
});

// ---- property: random bytes under every extension ----

describe('info on random bytes under every extension', () => {
  const EXTENSIONS = ['.csv', '.tsv', '.txt', '.sto', '.mat', '_motion.tsv'] as const;

  it('exits 0 or 1, and on 1 prints exactly one line starting with the file path', async () => {
    const dir = join(root, 'prop');
    await writeFiles(dir, { 'r_channels.tsv': BIDS_CHANNELS, 'r_motion.json': BIDS_JSON });
    // Random bytes, or a valid file of that kind with random bytes spliced in.
    const valid: Record<(typeof EXTENSIONS)[number], () => Uint8Array> = {
      '.csv': () => new TextEncoder().encode(CSV),
      '.tsv': () => new TextEncoder().encode(CSV.replace(/,/g, '\t')),
      '.txt': () => new TextEncoder().encode(xsens(XSENS_LINES)),
      '.sto': () => new TextEncoder().encode(stoText(STO_ROWS)),
      '.mat': () => MAT.subarray(0, 4096),
      '_motion.tsv': () => new TextEncoder().encode(BIDS),
    };
    const content = fc.oneof(
      fc.uint8Array({ maxLength: 3000 }).map((b) => (ext: (typeof EXTENSIONS)[number]) => (void ext, b)),
      fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat(), fc.nat({ max: 64 })).map(([bytes, at, del]) => (ext: (typeof EXTENSIONS)[number]) => {
        const v = valid[ext]();
        const k = at % (v.length + 1);
        const out = new Uint8Array(v.length - Math.min(del, v.length - k) + bytes.length);
        out.set(v.subarray(0, k));
        out.set(bytes, k);
        out.set(v.subarray(k + Math.min(del, v.length - k)), k + bytes.length);
        return out;
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...EXTENSIONS), content, async (ext, make) => {
        const path = join(dir, `r${ext}`);
        await writeFile(path, make(ext));
        const r = await run('info', path);
        expect([0, 1]).toContain(r.code);
        if (r.code === 1) {
          expect(r.stdout).toBe('');
          const line = oneLine(r);
          expect(line.startsWith(`${path}:`)).toBe(true);
          expect(line).not.toMatch(/internal error/);
        } else {
          expect(r.stderr).toBe('');
          expect(r.stdout).toMatch(/^.+ — /);
        }
      }),
      { numRuns: 200 },
    );
  });
});
