import { describe, expect, it } from 'vitest';
import { CanonicalCsvParser, parseCanonicalCsv, sensorIdFromFileName } from '../../src/io/canonicalCsv';
import { detectDelimiter } from '../../src/io/canonicalColumns';
import { RecordingFormatError } from '../../src/io/errors';
import { canonicalCsvText } from '../../src/io/canonicalCsvWriter';
import { concatBlocks, createBlock } from '../../src/samples/block';
import type { SampleBlock } from '../../src/samples/block';

const HEADER = 't,ax,ay,az,gx,gy,gz';

function all(blocks: SampleBlock[]): SampleBlock {
  return concatBlocks(blocks).block;
}

/** Parse feeding one character at a time: every line straddles chunks. */
function parseByChar(text: string, file = 'x.csv'): SampleBlock[] {
  const p = new CanonicalCsvParser({ file, blockSize: 2 });
  const out: SampleBlock[] = [];
  for (const ch of text) out.push(...p.push(ch));
  out.push(...p.finish());
  return out;
}

function formatError(fn: () => unknown): RecordingFormatError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(RecordingFormatError);
    return e as RecordingFormatError;
  }
  throw new Error('expected a RecordingFormatError');
}

describe('canonical CSV reader', () => {
  it('reads the required channels in internal units, columns in any order', () => {
    const text = `gz,gy,gx,az,ay,ax,t\n6,5,4,3,2,1,0.5\n-6,-5,-4,-3,-2,-1,0.51\n`;
    const b = all(parseCanonicalCsv(text, { file: 'a.csv' }));
    expect(Array.from(b.tS)).toEqual([0.5, 0.51]);
    expect(Array.from(b.accMS2!)).toEqual([1, 2, 3, -1, -2, -3]);
    expect(Array.from(b.gyrRadS!)).toEqual([4, 5, 6, -4, -5, -6]);
    expect(b.magUT).toBeUndefined();
    expect(b.quat).toBeUndefined();
  });

  it('converts unit overrides: t[ms], ax[g], gx[deg/s], mx[gauss], mx[uT]', () => {
    const text = 't[ms],ax[g],ay[g],az[g],gx[deg/s],gy[deg/s],gz[deg/s],mx[gauss],my[gauss],mz[gauss]\n1500,1,0,-2,180,90,0,0.5,-1,0\n';
    const p = new CanonicalCsvParser({ file: 'u.csv' });
    const b = all([...p.push(text), ...p.finish()]);
    expect(b.tS[0]).toBe(1.5);
    expect(Array.from(b.accMS2!)).toEqual([9.80665, 0, -2 * 9.80665]);
    expect(b.gyrRadS![0]).toBeCloseTo(Math.PI, 15);
    expect(b.gyrRadS![1]).toBeCloseTo(Math.PI / 2, 15);
    expect(Array.from(b.magUT!)).toEqual([50, -100, 0]);
    const units = Object.fromEntries(p.header!.sensors[0]!.channels.map((c) => [c.channel, c.unit.name]));
    expect(units).toEqual({ tS: 'ms', acc: 'g', gyr: 'deg/s', mag: 'gauss' });

    const ut = all(parseCanonicalCsv('t,ax,ay,az,gx,gy,gz,mx[uT],my[uT],mz[uT]\n0,0,0,0,0,0,0,25.5,-3,7\n'));
    expect(Array.from(ut.magUT!)).toEqual([25.5, -3, 7]);
  });

  it('reads quaternion columns', () => {
    const b = all(parseCanonicalCsv(`${HEADER},qw,qx,qy,qz\n0,0,0,9.81,0,0,0,0.5,0.5,-0.5,0.5\n`));
    expect(Array.from(b.quat!)).toEqual([0.5, 0.5, -0.5, 0.5]);
  });

  it('reads orientation-only files (t,qw,qx,qy,qz, optional mag): no acc/gyr arrays', () => {
    const p = new CanonicalCsvParser({ file: 'pelvis.csv', blockSize: 1 });
    const blocks = [...p.push('# rate_hz: 60\nqz;qy;qx;qw;t[ms];mx;my;mz\n0;0;0;1;0;1;2;3\n0,5;0;0;0,8660254;16,5;1;2;3\n'), ...p.finish()];
    expect(blocks).toHaveLength(2);
    const b = all(blocks);
    expect(b.accMS2).toBeUndefined();
    expect(b.gyrRadS).toBeUndefined();
    expect(Array.from(b.tS)).toEqual([0, 0.0165]);
    expect(Array.from(b.quat!)).toEqual([1, 0, 0, 0, 0.8660254, 0, 0, 0.5]);
    expect(Array.from(b.magUT!.subarray(3))).toEqual([1, 2, 3]);
    expect(p.header!.sensors[0]!.channels.map((c) => c.channel)).toEqual(['tS', 'mag', 'quat']);
  });

  it('reads an accelerometer-only file (Polar H10: t,ax,ay,az) into blocks without a gyroscope, units converted', () => {
    const text = '# sensor: chest\n# device: Polar H10\nt[ms];az[g];ax[g];ay[g]\n0;1;0;0\n5;0,5;0,25;-0,125\n';
    for (const blocks of [parseCanonicalCsv(text), parseByChar(text)]) {
      const b = all(blocks);
      expect(b.info).toMatchObject({ sensorId: 'chest', device: 'Polar H10' });
      expect(b.gyrRadS).toBeUndefined();
      expect(Array.from(b.tS)).toEqual([0, 0.005]);
      expect(Array.from(b.accMS2!)).toEqual([0, 0, 9.80665, 0.25 * 9.80665, -0.125 * 9.80665, 0.5 * 9.80665]);
    }
    const p = new CanonicalCsvParser();
    p.push(text);
    p.finish();
    expect(p.header!.sensors[0]!.channels.map((c) => c.channel)).toEqual(['tS', 'acc']);
  });

  it('writes orientation-only blocks as t,qw,qx,qy,qz and reads them back bit for bit', () => {
    const info = { sensorId: 'pelvis', rateHz: 60 };
    const b = createBlock(info, 3, { inertial: false, quat: true });
    b.tS.set([0, 1 / 60, 2 / 60]);
    b.quat!.set([1, 0, 0, 0, Math.SQRT1_2, Math.SQRT1_2, 0, 0, NaN, -0, 1e-300, 1]);
    const text = canonicalCsvText([b]);
    expect(text.split('\n').slice(0, 3)).toEqual(['# sensor: pelvis', '# rate_hz: 60', 't[s],qw,qx,qy,qz']);
    const back = all(parseCanonicalCsv(text));
    expect(back.info).toEqual(info);
    expect(back.accMS2).toBeUndefined();
    expect(Array.from(back.quat!).map((x) => Object.is(x, -0) ? '-0' : x)).toEqual([1, 0, 0, 0, Math.SQRT1_2, Math.SQRT1_2, 0, 0, NaN, '-0', 1e-300, 1]);
    // Columns follow the blocks; a block without what the header promised is refused.
    expect(canonicalCsvText([createBlock(info, 1, { quat: true })]).split('\n')[2]).toBe('t[s],ax[m/s^2],ay[m/s^2],az[m/s^2],gx[rad/s],gy[rad/s],gz[rad/s],qw,qx,qy,qz');
    expect(() => canonicalCsvText([b, createBlock(info, 1)])).toThrow(/no quaternion data/);
    expect(() => canonicalCsvText([createBlock(info, 1, { quat: true }), b])).toThrow(/no accelerometer data but the file has ax,ay,az columns/);
    expect(() => canonicalCsvText([createBlock(info, 1, { inertial: false, mag: true })])).toThrow(/needs accelerometer \(\+ gyroscope\) or quaternion columns/);
  });

  it.each([
    [',', 't,ax,ay,az,gx,gy,gz\n0,1.5,2,3,4,5,6\n'],
    [';', 't;ax;ay;az;gx;gy;gz\n0;1.5;2;3;4;5;6\n'],
    ['\t', 't\tax\tay\taz\tgx\tgy\tgz\n0\t1.5\t2\t3\t4\t5\t6\n'],
  ])('detects the delimiter %j from the header', (d, text) => {
    expect(detectDelimiter(text.split('\n')[0]!)).toBe(d);
    const b = all(parseCanonicalCsv(text));
    expect(Array.from(b.accMS2!)).toEqual([1.5, 2, 3]);
    expect(Array.from(b.gyrRadS!)).toEqual([4, 5, 6]);
  });

  it('accepts a decimal comma when the delimiter is not a comma', () => {
    const b = all(parseCanonicalCsv('t;ax;ay;az;gx;gy;gz\n0,25;1,5;2;3;4;5;-6,75\n'));
    expect(b.tS[0]).toBe(0.25);
    expect(b.accMS2![0]).toBe(1.5);
    expect(b.gyrRadS![2]).toBe(-6.75);
  });

  it('reads metadata into SensorInfo and extra', () => {
    const text = [
      '# sensor: left-thigh',
      '# placement: thigh',
      '# Side: Left',
      '# rate_hz: 104.5',
      '# device: Movella DOT fw 2.4',
      '# subject: S01',
      '# recorded at: 2024-05-01T10:00:00Z',
      '# a free comment without a key',
      HEADER,
      '# annotation after the header: not metadata',
      '0,0,0,9.81,0,0,0',
    ].join('\n');
    const [b] = parseCanonicalCsv(text, { file: '/data/s1/thigh.csv' });
    expect(b!.info).toEqual({
      sensorId: 'left-thigh',
      placement: 'thigh',
      side: 'left',
      rateHz: 104.5,
      device: 'Movella DOT fw 2.4',
      extra: { subject: 'S01', 'recorded at': '2024-05-01T10:00:00Z' },
    });
  });

  it('names the sensor after the file stem when the file does not', () => {
    const [b] = parseCanonicalCsv(`${HEADER}\n0,0,0,0,0,0,0\n`, { file: '/data/s1/shank.csv' });
    expect(b!.info).toEqual({ sensorId: 'shank' });
    expect(sensorIdFromFileName('C:\\rec\\upper-arm.left.csv')).toBe('upper-arm.left');
    const [c] = parseCanonicalCsv(`${HEADER}\n0,0,0,0,0,0,0\n`);
    expect(c!.info.sensorId).toBe('sensor');
  });

  it('handles CRLF, a BOM, blank lines, comments and a trailing delimiter', () => {
    const text = '\uFEFF# sensor: s\r\n\r\nt,ax,ay,az,gx,gy,gz,\r\n0,1,2,3,4,5,6,\r\n\r\n# pause\r\n  \r\n0.01,1,2,3,4,5,6\r\n';
    for (const blocks of [parseCanonicalCsv(text), parseByChar(text)]) {
      const b = all(blocks);
      expect(b.info.sensorId).toBe('s');
      expect(Array.from(b.tS)).toEqual([0, 0.01]);
      expect(Array.from(b.gyrRadS!)).toEqual([4, 5, 6, 4, 5, 6]);
    }
  });

  it('keeps NaN, empty fields, infinities and non-monotonic time exactly (validation reports them)', () => {
    const text = `${HEADER}\n0.02,NaN,,inf,-Infinity,1,2\n0.01,1,2,3,4,5,6\n0.01,1,2,3,4,5,6\n`;
    const b = all(parseCanonicalCsv(text));
    expect(Array.from(b.tS)).toEqual([0.02, 0.01, 0.01]);
    expect(Number.isNaN(b.accMS2![0])).toBe(true);
    expect(Number.isNaN(b.accMS2![1])).toBe(true);
    expect(b.accMS2![2]).toBe(Infinity);
    expect(b.gyrRadS![0]).toBe(-Infinity);
  });

  it('emits blocks of at most blockSize samples, lines straddling chunks', () => {
    const rows = Array.from({ length: 10 }, (_, i) => `${i / 100},${i},0,0,0,0,${-i}`);
    const text = `${HEADER}\n${rows.join('\n')}\n`;
    const blocks = parseByChar(text);
    expect(blocks.map((b) => b.tS.length)).toEqual([2, 2, 2, 2, 2]);
    const b = all(blocks);
    expect(Array.from(b.accMS2!.filter((_, k) => k % 3 === 0))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const p = new CanonicalCsvParser({ blockSize: 4 });
    const sizes = [...p.push(text.slice(0, 50)), ...p.push(text.slice(50)), ...p.finish()].map((x) => x.tS.length);
    expect(sizes).toEqual([4, 4, 2]);
  });

  it('maps samples back to file lines across comments and blank lines', () => {
    const text = `# m: 1\n${HEADER}\n0,0,0,0,0,0,0\n0.01,0,0,0,0,0,0\n\n# note\n0.02,0,0,0,0,0,0\n0.03,0,0,0,0,0,0\n`;
    const p = new CanonicalCsvParser();
    p.push(text);
    p.finish();
    expect([0, 1, 2, 3].map((i) => p.lineOfSample(i))).toEqual([3, 4, 7, 8]);
    expect(p.lineOfSample(4)).toBeUndefined();
    expect(p.samples).toBe(4);
  });

  it('decodes UTF-8 bytes split inside a character', () => {
    const bytes = new TextEncoder().encode(`# device: µ-sensor ∆\n${HEADER}\n0,1,2,3,4,5,6\n`);
    const p = new CanonicalCsvParser();
    const blocks: SampleBlock[] = [];
    for (let i = 0; i < bytes.length; i += 3) blocks.push(...p.push(bytes.subarray(i, i + 3)));
    blocks.push(...p.finish());
    expect(blocks[0]!.info.device).toBe('µ-sensor ∆');
    expect(Array.from(blocks[0]!.accMS2!)).toEqual([1, 2, 3]);
  });
});

describe('canonical CSV errors name file, line and column', () => {
  const cases: [string, string, number, string | undefined, RegExp][] = [
    ['incomplete gyroscope', '# c\nt,ax,ay,az,gx,gy\n0,0,0,0,0,0\n', 2, undefined, /incomplete gyroscope columns: have gx, gy, missing gz/],
    ['incomplete accelerometer', 't;ax;ay\n', 1, undefined, /incomplete accelerometer columns: have ax, ay, missing az$/],
    ['accelerometer-only header, no rows', 't;ax;ay;az\n', 1, undefined, /no data rows after the header/],
    ['gyroscope without accelerometer', 't,gx,gy,gz,qw,qx,qy,qz\n', 1, undefined, /missing required columns ax, ay, az \(gyroscope columns need accelerometer columns\)$/],
    ['neither inertial nor quaternion', 't,mx,my,mz\n', 1, undefined, /missing required columns ax, ay, az \(with or without gx, gy, gz; or qw, qx, qy, qz for an orientation-only recording\)/],
    ['no time', 'qw,qx,qy,qz\n', 1, undefined, /missing required column t$/],
    ['incomplete quaternion', 't,qw,qx,qy\n', 1, undefined, /incomplete quaternion columns: have qw, qx, qy, missing qz/],
    ['unknown unit', '\n\nt,ax[furlong],ay,az,gx,gy,gz\n', 3, 'ax', /unknown acceleration unit 'furlong'/],
    ['unit of another quantity', 't,ax,ay,az,gx[g],gy,gz\n', 1, 'gx', /unknown angular-rate unit 'g'/],
    ['wrong column count (short)', `${HEADER}\n0,0,0,0,0,0,0\n# c\n0,0,0\n`, 4, undefined, /expected 7 fields .*found 3/],
    ['wrong column count (long)', `${HEADER}\n0,0,0,0,0,0,0,1,2\n`, 2, undefined, /expected 7 fields .*found 9/],
    ['text in numeric column', `${HEADER}\n0,0,0,0,0,0,0\n0.01,0,0,0,0,oops,0\n`, 3, 'gy', /"oops" is not a number/],
    ['hex is not a number', `${HEADER}\n0x10,0,0,0,0,0,0\n`, 2, 't', /"0x10" is not a number/],
    ['empty file', '', 1, undefined, /empty file/],
    ['comments only', '# sensor: a\n\n', 2, undefined, /no header row/],
    ['header only', `# s: 1\n${HEADER}\n\n`, 2, undefined, /no data rows after the header/],
    ['unknown delimiter', 't ax ay az gx gy gz\n0 0 0 0 0 0 0\n', 1, undefined, /cannot detect the delimiter/],
    ['no header, data first', '0,1,2,3,4,5,6\n', 1, undefined, /first row must be a header/],
    ['unknown column', 't,ax,ay,az,gx,gy,gz,temp\n', 1, undefined, /unknown column 'temp'/],
    ['duplicate column', 't,ax,ay,az,gx,gy,gz,ax\n', 1, 'ax', /duplicate column/],
    ['incomplete magnetometer', `${HEADER},mx,my\n`, 1, undefined, /incomplete magnetometer columns: have mx, my, missing mz/],
    ['mixed units in a vector', 't,ax[g],ay,az,gx,gy,gz\n', 1, 'ay', /different units/],
    ['bad side', `# side: middle\n${HEADER}\n`, 1, undefined, /side must be 'left' or 'right'/],
    ['bad rate', `# x: 1\n# rate_hz: fast\n${HEADER}\n`, 2, undefined, /rate_hz must be a positive number/],
  ];

  it.each(cases)('%s', (_name, text, line, column, re) => {
    for (const run of [() => parseCanonicalCsv(text, { file: 'rec/thigh.csv' }), () => parseByChar(text, 'rec/thigh.csv')]) {
      const e = formatError(run);
      expect(e.file).toBe('rec/thigh.csv');
      expect(e.line).toBe(line);
      expect(e.column).toBe(column);
      expect(e.reason).toMatch(re);
      expect(e.message.startsWith(`rec/thigh.csv:${line}: `)).toBe(true);
      expect(e.message).not.toContain('\n');
    }
  });

  it('stops at a "line" longer than the limit instead of buffering it', () => {
    const p = new CanonicalCsvParser({ file: 'big.bin' });
    p.push(`${HEADER}\n`);
    const chunk = 'x'.repeat(1 << 16);
    const e = formatError(() => {
      for (let i = 0; i < 20; i++) p.push(chunk);
    });
    expect(e.line).toBe(2);
    expect(e.reason).toMatch(/line longer than/);
  });

  it('rejects a bad blockSize', () => {
    expect(() => new CanonicalCsvParser({ blockSize: 0 })).toThrow(RangeError);
  });
});
