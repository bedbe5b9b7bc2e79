import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import type { InfoJson } from '../../src/cli/infoReport';
import { ColumnMapError, parseColumnMap } from '../../src/io/columnMap';
import { DelimitedParser, parseDelimited } from '../../src/io/delimited';
import { RecordingFormatError } from '../../src/io/errors';
import { detectFormat, getFormat } from '../../src/io/formats';
import { readRecording } from '../../src/io/node/recordingFile';
import { concatBlocks } from '../../src/samples/block';
import type { SampleBlock } from '../../src/samples/block';
import { DEG_TO_RAD, STANDARD_GRAVITY_MS2 } from '../../src/samples/units';
import { BlockValidator } from '../../src/samples/validate';

const UCI_PATH = fileURLToPath(new URL('../../fixtures/uci-pt/s1-e1-u2-test-first20s.txt', import.meta.url));
const UCI = readFileSync(UCI_PATH, 'utf8');
const UCI_MAP = 't=time index,ax=acc_x,ay=acc_y,az=acc_z,gx=gyr_x,gy=gyr_y,gz=gyr_z';

function errorOf(f: () => unknown): RecordingFormatError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(RecordingFormatError);
    return e as RecordingFormatError;
  }
  return expect.fail('no error thrown');
}

function mapError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ColumnMapError);
    return (e as Error).message;
  }
  return expect.fail('no error thrown');
}

describe('delimited text: the UCI PT slice', () => {
  const p = new DelimitedParser({ file: 'fixtures/uci-pt/test.txt', columns: UCI_MAP, rateHz: 25, blockSize: 128 });
  const blocks = [...p.push(UCI), ...p.finish()];
  const b = concatBlocks(blocks).block;

  it('reads 500 samples at 25 Hz, sample index i at i/25 s', () => {
    expect(blocks.map((x) => x.tS.length)).toEqual([128, 128, 128, 116]);
    expect(b.tS.length).toBe(500);
    for (let i = 0; i < 500; i++) expect(b.tS[i]).toBe((i + 1) / 25);
    const r = new BlockValidator({ nominalRateHz: 25 }).push(b).report();
    expect(r.measuredRateHz).toBeCloseTo(25, 9);
    expect(r.gapCount).toBe(0);
    expect(r.ok).toBe(true);
  });

  it('has the values of the original file (s1/e1/u2/test.txt, checked by hand)', () => {
    // Rows of the original: "1;-9.268303;2.981149;0.738239;-0.0084;0.010702;0.007654;…",
    // "249;-6.767947;7.683324;1.80342;-0.099968;-0.305667;1.623464;…",
    // "433;-7.625837;7.40936;1.601593;-0.101885;-0.426885;1.974054;…" (largest gyr_z in the slice),
    // "500;0.094966;9.506768;2.569592;0.008985;0.020763;-0.005904;…".
    const row = (index: number) => {
      const i = index - 1;
      return [b.tS[i], ...b.accMS2!.subarray(3 * i, 3 * i + 3), ...b.gyrRadS!.subarray(3 * i, 3 * i + 3)];
    };
    expect(row(1)).toEqual([0.04, -9.268303, 2.981149, 0.738239, -0.0084, 0.010702, 0.007654]);
    expect(row(249)).toEqual([9.96, -6.767947, 7.683324, 1.80342, -0.099968, -0.305667, 1.623464]);
    expect(row(433)).toEqual([17.32, -7.625837, 7.40936, 1.601593, -0.101885, -0.426885, 1.974054]);
    expect(row(500)).toEqual([20, 0.094966, 9.506768, 2.569592, 0.008985, 0.020763, -0.005904]);
    let maxGz = -Infinity;
    let at = -1;
    for (let i = 0; i < 500; i++) {
      if (b.gyrRadS![3 * i + 2]! > maxGz) {
        maxGz = b.gyrRadS![3 * i + 2]!;
        at = i + 1;
      }
    }
    expect([maxGz, at]).toEqual([1.974054, 433]);
  });

  it('records the map, the time source and the skipped (unitless) magnetometer', () => {
    expect(b.info).toEqual({
      sensorId: 'test',
      rateHz: 25,
      extra: {
        column_map: UCI_MAP,
        time_source: "'time index' as a sample index / 25 Hz",
        unmapped_columns: 'mag_x, mag_y, mag_z',
      },
    });
    expect(b.magUT).toBeUndefined();
    expect(p.header!.line).toBe(1);
    expect(p.header!.sensors[0]!.channels.map((c) => [c.channel, c.columns.join(' '), c.unit.name])).toEqual([
      ['tS', 'time index', '1/25Hz'],
      ['acc', 'acc_x acc_y acc_z', 'm/s^2'],
      ['gyr', 'gyr_x gyr_y gyr_z', 'rad/s'],
    ]);
    expect([p.lineOfSample(0), p.lineOfSample(499), p.lineOfSample(500)]).toEqual([2, 501, undefined]);
  });

  it('gives the same samples however the bytes are split', () => {
    const bytes = new TextEncoder().encode(UCI);
    fc.assert(
      fc.property(fc.array(fc.nat({ max: bytes.length }), { maxLength: 8 }), fc.integer({ min: 1, max: 600 }), (cuts, blockSize) => {
        const at = [0, ...[...cuts].sort((x, y) => x - y), bytes.length];
        const q = new DelimitedParser({ columns: UCI_MAP, rateHz: 25, blockSize, defaultSensorId: 'test' });
        const got: SampleBlock[] = [];
        for (let k = 0; k + 1 < at.length; k++) got.push(...q.push(bytes.subarray(at[k]!, at[k + 1]!)));
        got.push(...q.finish());
        const g = concatBlocks(got).block;
        expect(Array.from(g.tS)).toEqual(Array.from(b.tS));
        expect(Array.from(g.accMS2!)).toEqual(Array.from(b.accMS2!));
        expect(Array.from(g.gyrRadS!)).toEqual(Array.from(b.gyrRadS!));
      }),
      { numRuns: 100 },
    );
  });

  it('maps the magnetometer only with a unit, never as µT by default', () => {
    expect(mapError(() => parseDelimited(UCI, { columns: `${UCI_MAP},mx=mag_x,my=mag_y,mz=mag_z`, rateHz: 25 }))).toMatch(
      /mx: the magnetometer needs an explicit unit .*cannot be read as µT/,
    );
    // A user who knows the unit may say so (here pretending the values were gauss).
    const withMag = concatBlocks(parseDelimited(UCI, { columns: `${UCI_MAP},mx=mag_x[gauss],my=mag_y[gauss],mz=mag_z[gauss]`, rateHz: 25 })).block;
    expect(Array.from(withMag.magUT!.subarray(0, 3))).toEqual([0.520137 * 100, -0.586875 * 100, -0.038496 * 100]);
  });
});

describe('delimited text: column maps', () => {
  it('accepts the unit after the source or after the target, and default units', () => {
    const m = parseColumnMap(' t = ts[ms] , ax[g]=AX, ay=AY[g], az=AZ[g], gx=GX[deg/s],gy[dps]=GY,gz=GZ[°/s], ');
    expect(m.entries.map((e) => [e.target, e.sourceStem ?? e.source, (e.targetUnit ?? e.sourceUnit)?.unit.name])).toEqual([
      ['t', 'ts', 'ms'],
      ['ax', 'AX', 'g'],
      ['ay', 'AY', 'g'],
      ['az', 'AZ', 'g'],
      ['gx', 'GX', 'deg/s'],
      ['gy', 'GY', 'deg/s'],
      ['gz', 'GZ', 'deg/s'],
    ]);
    const text = 'ts,AX,AY,AZ,GX,GY,GZ\n1000,0,0,1,90,0,-180\n1010,0.5,0,1,0,0,0\n';
    const b = concatBlocks(parseDelimited(text, { columns: m.text })).block;
    expect(Array.from(b.tS)).toEqual([1, 1.01]);
    expect(Array.from(b.accMS2!)).toEqual([0, 0, STANDARD_GRAVITY_MS2, 0.5 * STANDARD_GRAVITY_MS2, 0, STANDARD_GRAVITY_MS2]);
    expect(Array.from(b.gyrRadS!.subarray(0, 3))).toEqual([90 * DEG_TO_RAD, 0, -180 * DEG_TO_RAD]);
    expect(b.info.rateHz).toBeUndefined();
  });

  it('matches header names exactly, then case-insensitively; a bracket in the header name is part of the name', () => {
    const text = '"Time (s)";acc_x [g];ACC_Y;Acc_Z;gyr x;gyr y;gyr z;label\n0;1;0;0;0;0;0;walk\n0,01;0,5;0;0;0;0;0;walk\n';
    const b = concatBlocks(
      parseDelimited(text, { columns: 't=time (s),ax[g]=acc_x [g],ay[g]=acc_y,az[g]=acc_z,gx=gyr x,gy=gyr y,gz=gyr z' }),
    ).block;
    expect(Array.from(b.tS)).toEqual([0, 0.01]);
    expect(b.accMS2![3]).toBe(0.5 * STANDARD_GRAVITY_MS2);
    expect(b.info.extra!['unmapped_columns']).toBe('label');
  });

  it('reads orientation-only maps, tab-separated, with a trailing delimiter, and rows numbered from 0 without a time column', () => {
    const text = '# exported by some app\n\nqw\tqx\tqy\tqz\t\n1\t0\t0\t0\t\n0\t1\t0\t0\t\n';
    const p = new DelimitedParser({ columns: 'qw=qw,qx=qx,qy=qy,qz=qz', rateHz: 50 });
    const blocks = [...p.push(text), ...p.finish()];
    const b = concatBlocks(blocks).block;
    expect(Array.from(b.tS)).toEqual([0, 0.02]);
    expect(Array.from(b.quat!)).toEqual([1, 0, 0, 0, 0, 1, 0, 0]);
    expect(b.accMS2).toBeUndefined();
    expect(b.info.extra!['time_source']).toBe('row number from 0 / 50 Hz');
    expect(p.header!.line).toBe(3);
  });

  it('reads an unmarked t as seconds without a rate, and a marked index with one', () => {
    const text = 'n,x,y,z,a,b,c\n10,0,0,0,0,0,0\n12,0,0,0,0,0,0\n';
    const cols = 'ax=x,ay=y,az=z,gx=a,gy=b,gz=c';
    expect(Array.from(concatBlocks(parseDelimited(text, { columns: `t=n,${cols}` })).block.tS)).toEqual([10, 12]);
    expect(Array.from(concatBlocks(parseDelimited(text, { columns: `t=n[index],${cols}`, rateHz: 4 })).block.tS)).toEqual([2.5, 3]);
    expect(Array.from(concatBlocks(parseDelimited(text, { columns: `t=n[s],${cols}`, rateHz: 4 })).block.tS)).toEqual([10, 12]);
    const e = errorOf(() => parseDelimited('n,x,y,z,a,b,c\n1.5,0,0,0,0,0,0\n', { file: 'i.csv', columns: `t=n,${cols}`, rateHz: 4 }));
    expect(e.message).toBe('i.csv:2: column n: "1.5" is not a sample index (an integer); for a time in seconds map it with a unit, e.g. t=n[s]');
  });

  const badMaps: [string, RegExp][] = [
    ['ax', /'ax' is not target=source/],
    ['speed=v', /unknown target 'speed'/],
    ['t=time,ax=x,ay=y,az=z,gx=a,gy=b,gz=c,t=u', /t is mapped twice/],
    ['t=time,ax=x,ay=y,gx=a,gy=b,gz=c', /incomplete accelerometer: have ax, ay, missing az/],
    ['t=time,ax=x,ay=y,az=z', /accelerometer without gyroscope/],
    ['t=time', /nothing to read/],
    ['', /the delimited format needs a column map/],
    [' , ', /column map is empty/],
    ['t[fortnights]=time,qw=a,qx=b,qy=c,qz=d', /t: unknown time unit 'fortnights' \(accepted: s, ms, us, ns, min, h, index\)/],
    ['t=time,ax[g]=x,ay=y,az=z,gx=a,gy=b,gz=c', /accelerometer columns use different units \(ax: g, ay: m\/s\^2\)/],
    ['qw=a,qx=b,qy=c,qz=d', /no time column in the column map \(t=…\) and no rate/],
    ['t=n[index],qw=a,qx=b,qy=c,qz=d', /t is a sample index \(n\[index\]\) but no rate is given/],
  ];
  for (const [map, re] of badMaps) {
    it(`refuses the map ${JSON.stringify(map)}`, () => {
      expect(mapError(() => new DelimitedParser({ columns: map }))).toMatch(re);
    });
  }

  it('needs a map at all', () => {
    expect(mapError(() => getFormat('delimited').createParser({}))).toMatch(/needs a column map/);
    expect(getFormat('delimited').sniff(UCI)).toBe(false);
    expect(detectFormat(UCI, 'test.txt').name).not.toBe('delimited');
  });
});

describe('delimited text: bad data', () => {
  const map = 't=time,ax=x,ay=y,az=z,gx=a,gy=b,gz=c';
  const header = 'time,x,y,z,a,b,c,note\n';
  const cases: [string, string, number, string | undefined, RegExp][] = [
    ['a truncated row', `${header}0,0,0,9.8,0,0,0,ok\n0.01,0,0\n`, 3, undefined, /expected 8 fields separated by ',', found 3/],
    ['text in a mapped column', `${header}0,0,0,9.8,0,0,0,ok\n0.01,0,zero,9.8,0,0,0,ok\n`, 3, 'y', /"zero" is not a number/],
    ['a source missing from the header', 'time,x,y,z,a,b\n0,0,0,0,0,0\n', 1, undefined, /gz: no column 'c' in the header \(columns: 'time', 'x', 'y', 'z', 'a', 'b'\)/],
    ['the wrong delimiter', 'time x y z a b c\n', 1, undefined, /cannot detect the delimiter/],
    ['a unit given twice', `${header}0,0,0,9.8,0,0,0,ok\n`, 1, undefined, /ax: unit given twice/],
    ['a bad unit in a source bracket', `${header}0,0,0,9.8,0,0,0,ok\n`, 1, undefined, /no column 'x\[furlong\/s\^2\]' .*; if the brackets hold a unit: unknown acceleration unit 'furlong\/s\^2'/],
    ['a header only', header, 1, undefined, /no data rows after the header/],
    ['only comments', '# nothing\n\n', 2, undefined, /no header row/],
    ['an empty file', '', 1, undefined, /empty file/],
  ];
  for (const [what, text, line, column, re] of cases) {
    it(`fails with file:line on ${what}`, () => {
      const columns = what === 'a unit given twice' ? map.replace('ax=x,ay=y,az=z', 'ax[g]=x[g],ay[g]=y,az[g]=z') : what.startsWith('a bad unit') ? map.replace('ax=x', 'ax=x[furlong/s^2]') : map;
      const e = errorOf(() => parseDelimited(text, { file: 'd.csv', columns }));
      expect([e.line, e.column]).toEqual([line, column]);
      expect(e.reason).toMatch(re);
      expect(e.message.startsWith(`d.csv:${line}: `)).toBe(true);
    });
  }

  it('keeps text in unmapped columns and NaN in mapped ones (for the validator)', () => {
    const b = concatBlocks(parseDelimited(`${header}0,0,0,9.8,0,0,0,ab\n0.01,,0,9.8,0,0,0,x\n`, { columns: map })).block;
    expect(Number.isNaN(b.accMS2![3])).toBe(true);
    expect(new BlockValidator().push(b).report().problemCounts.nan).toBe(1);
  });

  it('throws only RecordingFormatError on random bytes and token soup', () => {
    const tokens = ['time', 'x', 'y', 'z', 'a', 'b', 'c', ',', ',', ',', ';', '\t', '\n', '\n', '\r\n', '0', '1.5', '-2', 'NaN', '#', '//', '"', ' ', 'q'];
    const soup = fc.array(fc.constantFrom(...tokens), { maxLength: 120 }).map((a) => a.join(''));
    const check = (chunks: (string | Uint8Array)[]) => {
      const p = new DelimitedParser({ file: 'f.csv', columns: map, blockSize: 5 });
      try {
        let n = 0;
        for (const c of chunks) for (const b of p.push(c)) n += b.tS.length;
        for (const b of p.finish()) n += b.tS.length;
        expect(n).toBe(p.samples);
      } catch (e) {
        if (!(e instanceof RecordingFormatError)) throw e;
        expect(e.line).toBeGreaterThanOrEqual(1);
        expect(e.message).not.toContain('\n');
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 500 }), (b) => check([b])), { numRuns: 200 });
    fc.assert(fc.property(soup, (s) => check([s])), { numRuns: 200 });
    fc.assert(fc.property(soup, (s) => check(['time,x,y,z,a,b,c\n', s])), { numRuns: 200 });
  });
});

describe('delimited text: Node layer and CLI (--columns, --rate)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kinemetry-delim-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const code = await main(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
    return { code, stdout, stderr };
  }

  it('reads a file with format, columns and rate options', async () => {
    const file = readRecording(UCI_PATH, { format: 'delimited', columns: UCI_MAP, rateHz: 25, chunkBytes: 1000 });
    let n = 0;
    for await (const b of file) n += b.tS.length;
    expect(n).toBe(500);
    expect((await file.readHeader()).sensors[0]!.info.sensorId).toBe('s1-e1-u2-test-first20s');
  });

  it('kinemetry info --columns … --rate 25 reads the UCI PT file', async () => {
    const r = await run('info', '--json', '--columns', UCI_MAP, '--rate', '25', UCI_PATH);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = (JSON.parse(r.stdout) as InfoJson).sensors[0]!;
    expect([s.sensorId, s.format, s.samples, s.nominalRateHz, s.startS, s.endS]).toEqual(['s1-e1-u2-test-first20s', 'delimited', 500, 25, 0.04, 20]);
    expect(s.measuredRateHz).toBeCloseTo(25, 9);
    expect(s.extra['unmapped_columns']).toBe('mag_x, mag_y, mag_z');
    expect(s.gaps.count).toBe(0);
  });

  it('exits 2 on a bad map or a bad combination, 1 on bad data with file:line', async () => {
    let r = await run('info', '--columns', 't=time,ax=x', UCI_PATH);
    expect([r.code, r.stderr.split('\n')[0]]).toEqual([2, 'kinemetry info: --columns: incomplete accelerometer: have ax, missing ay, az']);
    r = await run('info', '--format', 'delimited', UCI_PATH);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--format delimited needs --columns/);
    r = await run('info', '--format', 'sto', '--columns', UCI_MAP, UCI_PATH);
    expect(r.code).toBe(2);
    r = await run('info', '--columns', UCI_MAP, '--rate', '0', UCI_PATH);
    expect([r.code, r.stderr.split('\n')[0]]).toEqual([2, "kinemetry info: --rate must be a positive number of Hz, got '0'"]);
    const bad = join(dir, 'bad.txt');
    await writeFile(bad, 'time index;acc_x;acc_y;acc_z;gyr_x;gyr_y;gyr_z\n1;0;0;9.8;0;0;0\n2;0;0;9.8;0;0\n');
    r = await run('info', '--columns', UCI_MAP, '--rate', '25', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`${bad}:3: expected 7 fields separated by ';', found 6\n`);
    r = await run('info', '--columns', 't=time index,ax=acc_q,ay=acc_y,az=acc_z,gx=gyr_x,gy=gyr_y,gz=gyr_z', '--rate', '25', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1: column map: ax: no column 'acc_q' in the header`));
  });
});
