import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordingFormatError, RecordingWriteError } from '../../src/io/errors';
import { detectFormat, getFormat, isRecordingFileName } from '../../src/io/formats';
import { readRecording } from '../../src/io/node/recordingFile';
import { readSession } from '../../src/io/node/session';
import { StoParser, parseSto, sniffSto } from '../../src/io/sto';
import { StoWriter, formatStoAsync, stoText } from '../../src/io/stoWriter';
import { concatBlocks, createBlock } from '../../src/samples/block';
import type { SampleBlock, SensorInfo } from '../../src/samples/block';
import { BlockValidator } from '../../src/samples/validate';

const OPENSENSE = [
  'DataRate=100.000000',
  'DataType=Quaternion',
  'version=3',
  'OpenSimVersion=4.5-2024-01-10-34fd6af',
  'endheader',
  'time\tpelvis_imu\tfemur_r_imu\ttibia_l_imu',
  '0\t0.9995,0.0123,-0.0211,0.0187\t0.7071067811865476,0,0.7071067811865476,0\t1,0,0,0',
  '0.01\t0.9994,0.0124,-0.0212,0.0188\t0.70710678,0.001,0.70710678,-0.002\t0.99999,0.001,0.002,0.003',
  '0.02\t0.9993,0.0125,-0.0213,0.0189\t0.7071,0.002,0.7071,-0.004\t0.99998,0.002,0.004,0.006',
  '',
].join('\r\n');

/** Bitwise equality (NaN = NaN, −0 ≠ 0). */
function expectSameBits(a: ArrayLike<number>, b: ArrayLike<number>): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) expect.fail(`element ${i}: ${a[i]} vs ${b[i]}`);
  }
}

function bySensor(blocks: readonly SampleBlock[]): Map<string, SampleBlock> {
  const ids = [...new Set(blocks.map((b) => b.info.sensorId))];
  return new Map(ids.map((id) => [id, concatBlocks(blocks.filter((b) => b.info.sensorId === id)).block]));
}

function errorOf(f: () => unknown): RecordingFormatError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(RecordingFormatError);
    return e as RecordingFormatError;
  }
  return expect.fail('no error thrown');
}

describe('OpenSim .sto reader', () => {
  it('reads an OpenSense orientations file: one orientation-only sensor per <body>_imu column', () => {
    const p = new StoParser({ file: 'walk_orientations.sto', blockSize: 2 });
    const blocks = [...p.push(OPENSENSE), ...p.finish()];
    // Blocks of 2 rows, one per sensor: 3 + 3, then the last row 3 times.
    expect(blocks.map((b) => [b.info.sensorId, b.tS.length])).toEqual([
      ['pelvis_imu', 2], ['femur_r_imu', 2], ['tibia_l_imu', 2],
      ['pelvis_imu', 1], ['femur_r_imu', 1], ['tibia_l_imu', 1],
    ]);
    const s = bySensor(blocks);
    const femur = s.get('femur_r_imu')!;
    expect(femur.info).toEqual({
      sensorId: 'femur_r_imu',
      placement: 'femur_r',
      side: 'right',
      rateHz: 100,
      extra: { sto_version: '3', opensim_version: '4.5-2024-01-10-34fd6af' },
    });
    expect(s.get('tibia_l_imu')!.info.side).toBe('left');
    expect(s.get('pelvis_imu')!.info.placement).toBe('pelvis');
    expect(s.get('pelvis_imu')!.info.side).toBeUndefined();
    expectSameBits(femur.tS, [0, 0.01, 0.02]);
    expectSameBits(femur.quat!.subarray(0, 8), [0.7071067811865476, 0, 0.7071067811865476, 0, 0.70710678, 0.001, 0.70710678, -0.002]);
    expectSameBits(s.get('pelvis_imu')!.quat!.subarray(8), [0.9993, 0.0125, -0.0213, 0.0189]);
    for (const b of blocks) {
      expect(b.accMS2).toBeUndefined();
      expect(b.gyrRadS).toBeUndefined();
    }
    expect(p.header!.line).toBe(6);
    expect(p.header!.sensors.map((x) => x.channels.map((c) => c.channel))).toEqual([['tS', 'quat'], ['tS', 'quat'], ['tS', 'quat']]);
    expect(p.samples).toBe(3);
    expect([0, 1, 2, 3].map((i) => p.lineOfSample(i))).toEqual([7, 8, 9, undefined]);
  });

  it('keeps a missing orientation as NaN for the validator, and accepts a file without DataType', () => {
    const text = 'Storage\nversion=1\nnRows=2\nendheader\ntime\tshank_imu\n0\t1,0,0,0\n0.01\t\n';
    const b = concatBlocks(parseSto(text)).block;
    expect(b.info.extra).toEqual({ sto_version: '1' });
    expect(b.info.rateHz).toBeUndefined();
    expectSameBits(b.quat!, [1, 0, 0, 0, NaN, NaN, NaN, NaN]);
    expect(new BlockValidator().push(b).report().problemCounts.nan).toBe(1);
  });

  const bad: [string, string, number, string | undefined, RegExp][] = [
    ['truncated row', 'endheader\ntime\ta_imu\tb_imu\n0\t1,0,0,0\t1,0,0,0\n0.01\t1,0,0,0\n', 4, undefined, /expected 3 tab-separated fields/],
    ['garbled quaternion', 'endheader\ntime\ta_imu\n0\t1,0,0\n', 3, 'a_imu', /not a w,x,y,z quaternion .*found 3/],
    ['text in a quaternion', 'endheader\ntime\ta_imu\n0\t1,0,x,0\n', 3, 'a_imu', /"x" is not a number/],
    ['text in time', 'endheader\ntime\ta_imu\n0\t1,0,0,0\nsoon\t1,0,0,0\n', 4, 'time', /"soon" is not a number/],
    ['vector data', 'DataRate=100\nDataType=Vec3\nendheader\ntime\ta_imu\n', 2, undefined, /DataType=Vec3: only orientation files/],
    ['bad rate', 'DataRate=fast\nendheader\n', 1, undefined, /DataRate must be a positive number/],
    ['no endheader', 'DataRate=100\nDataType=Quaternion\n', 2, undefined, /no 'endheader' line/],
    ['no time column', 'endheader\nt\ta_imu\n', 2, undefined, /first column after 'endheader' must be 'time'/],
    ['duplicate column', 'endheader\ntime\ta_imu\tA_IMU\n', 2, 'A_IMU', /duplicate column/],
    ['no sensors', 'endheader\ntime\n0\n', 2, undefined, /no orientation columns/],
    ['header only', 'endheader\ntime\ta_imu\n\n', 2, undefined, /no data rows/],
    ['no column row', 'endheader\n\n', 2, undefined, /no column header row/],
    ['empty file', '', 1, undefined, /empty file/],
  ];
  for (const [what, text, line, column, re] of bad) {
    it(`fails with file:line on ${what}`, () => {
      const e = errorOf(() => parseSto(text, { file: 'bad.sto' }));
      expect(e.file).toBe('bad.sto');
      expect(e.line).toBe(line);
      expect(e.column).toBe(column);
      expect(e.reason).toMatch(re);
      expect(e.message.startsWith(`bad.sto:${line}: `)).toBe(true);
    });
  }

  it('gives the same blocks however the input is split (text or UTF-8 bytes)', () => {
    const bytes = new TextEncoder().encode(OPENSENSE);
    const whole = parseSto(OPENSENSE, { blockSize: 2 });
    fc.assert(
      fc.property(fc.array(fc.nat({ max: bytes.length }), { maxLength: 6 }), fc.boolean(), (cuts, asText) => {
        const at = [0, ...[...cuts].sort((a, b) => a - b), bytes.length];
        const p = new StoParser({ blockSize: 2 });
        const got: SampleBlock[] = [];
        for (let k = 0; k + 1 < at.length; k++) {
          const piece = bytes.subarray(at[k]!, at[k + 1]!);
          got.push(...p.push(asText ? OPENSENSE.slice(at[k]!, at[k + 1]!) : piece));
        }
        got.push(...p.finish());
        expect(got.length).toBe(whole.length);
        got.forEach((b, i) => {
          expect(b.info).toEqual(whole[i]!.info);
          expectSameBits(b.tS, whole[i]!.tS);
          expectSameBits(b.quat!, whole[i]!.quat!);
        });
      }),
      { numRuns: 150 },
    );
  });

  it('throws only RecordingFormatError on random bytes and on .sto-like token soup', () => {
    const tokens = ['endheader', 'DataType=Quaternion', 'DataRate=', '100', 'time', '_imu', 'a', '\t', '\t', ',', ',', '1', '0', '-0.5', 'NaN', '\n', '\n', '\r\n', '=', ' ', 'x'];
    const soup = fc.array(fc.constantFrom(...tokens), { maxLength: 80 }).map((a) => a.join(''));
    const check = (chunks: (string | Uint8Array)[]) => {
      const p = new StoParser({ file: 'f.sto', blockSize: 3 });
      try {
        let n = 0;
        for (const c of chunks) for (const b of p.push(c)) n += b.tS.length;
        for (const b of p.finish()) n += b.tS.length;
        expect(n).toBe(p.samples * p.header!.sensors.length);
      } catch (e) {
        if (!(e instanceof RecordingFormatError)) throw e;
        expect(e.line).toBeGreaterThanOrEqual(1);
        expect(e.message).not.toContain('\n');
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (b) => check([b])), { numRuns: 200 });
    fc.assert(fc.property(soup, fc.nat(), (s, k) => check([s.slice(0, k % (s.length + 1)), s.slice(k % (s.length + 1))])), { numRuns: 300 });
  });

  it('is detected by content, and a non-orientation .sto is not claimed', () => {
    expect(sniffSto(OPENSENSE)).toBe(true);
    expect(detectFormat(OPENSENSE, 'x.sto').name).toBe('sto');
    expect(getFormat('sto').extensions).toEqual(['.sto']);
    const ik = 'Coordinates\nversion=1\nnRows=1\nnColumns=2\ninDegrees=yes\nendheader\ntime\tknee_angle_r\n0\t12.5\n';
    expect(sniffSto(ik)).toBe(false);
    expect(sniffSto('t,ax,ay,az,gx,gy,gz\n0,0,0,9.81,0,0,0\n')).toBe(false);
    expect(isRecordingFileName('walk_orientations.sto', OPENSENSE)).toBe(true);
    expect(isRecordingFileName('ik_results.sto', ik)).toBe(false);
  });
});

function orientationBlock(info: SensorInfo, tS: number[], q: number[]): SampleBlock {
  const b = createBlock(info, tS.length, { inertial: false, quat: true });
  b.tS.set(tS);
  b.quat!.set(q);
  return b;
}

describe('OpenSim .sto writer', () => {
  it('writes the OpenSense layout', () => {
    const a = orientationBlock({ sensorId: 'pelvis_imu', rateHz: 60 }, [0, 1 / 60], [1, 0, 0, 0, 0.5, -0.5, 0.5, -0.5]);
    const b = orientationBlock({ sensorId: 'femur_r_imu' }, [0, 1 / 60], [-0, 1, 0, 0, 1e-300, 0, 0, 1]);
    expect(stoText([a, b])).toBe(
      'DataRate=60\nDataType=Quaternion\nversion=3\nOpenSimVersion=4.5\nendheader\ntime\tpelvis_imu\tfemur_r_imu\n' +
        '0\t1,0,0,0\t-0,1,0,0\n0.016666666666666666\t0.5,-0.5,0.5,-0.5\t1e-300,0,0,1\n',
    );
  });

  it('round-trips random orientation sets bit for bit, whatever the block boundaries', () => {
    const value = fc.double();
    const arb = fc
      .record({
        k: fc.integer({ min: 1, max: 4 }),
        n: fc.integer({ min: 1, max: 30 }),
        writeBlock: fc.integer({ min: 1, max: 9 }),
        readBlock: fc.integer({ min: 1, max: 9 }),
        rateHz: fc.option(fc.double({ min: 0.5, max: 2000, noNaN: true }), { nil: undefined }),
      })
      .chain((c) =>
        fc.record({
          c: fc.constant(c),
          tS: fc.array(value, { minLength: c.n, maxLength: c.n }),
          q: fc.array(fc.array(value, { minLength: 4 * c.n, maxLength: 4 * c.n }), { minLength: c.k, maxLength: c.k }),
        }),
      );
    fc.assert(
      fc.property(arb, ({ c, tS, q }) => {
        const ids = Array.from({ length: c.k }, (_, s) => (s === 0 ? 'pelvis_imu' : `seg${s}_${s % 2 ? 'r' : 'l'}_imu`));
        const infos = ids.map((id) => (c.rateHz !== undefined ? { sensorId: id, rateHz: c.rateHz } : { sensorId: id }));
        // Interleaved by time, as a session or the reader delivers them.
        const blocks: SampleBlock[] = [];
        for (let i = 0; i < c.n; i += c.writeBlock) {
          const j = Math.min(c.n, i + c.writeBlock);
          for (let s = 0; s < c.k; s++) blocks.push(orientationBlock(infos[s]!, tS.slice(i, j), q[s]!.slice(4 * i, 4 * j)));
        }
        const text = stoText(blocks);
        const back = bySensor(parseSto(text, { blockSize: c.readBlock }));
        expect([...back.keys()]).toEqual(ids);
        for (let s = 0; s < c.k; s++) {
          const b = back.get(ids[s]!)!;
          expectSameBits(b.tS, tS);
          expectSameBits(b.quat!, q[s]!);
          if (c.rateHz !== undefined) expect(b.info.rateHz).toBe(c.rateHz);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('refuses what an .sto cannot hold', () => {
    const q = [1, 0, 0, 0];
    const ok = orientationBlock({ sensorId: 'a_imu' }, [0], q);
    expect(() => stoText([createBlock({ sensorId: 'a' }, 1)])).toThrow(/no orientation \(quat\)/);
    expect(() => stoText([ok, orientationBlock({ sensorId: 'b_imu' }, [0.001], q)])).toThrow(/not on a common time base .*0 s vs 0.001 s/);
    expect(() => stoText([orientationBlock({ sensorId: 'a_imu' }, [0, 1], [...q, ...q]), orientationBlock({ sensorId: 'b_imu' }, [0], q)])).toThrow(
      /sensor 'a_imu' has 1 more sample than 'b_imu' after 1 rows/,
    );
    expect(() => stoText([ok, ok, orientationBlock({ sensorId: 'late_imu' }, [1], q)])).toThrow(/first appears after other sensors' data/);
    expect(() => stoText([orientationBlock({ sensorId: 'has\ttab' }, [0], q)])).toThrow(RecordingWriteError);
    expect(() => stoText([orientationBlock({ sensorId: 'Time' }, [0], q)])).toThrow(/clash with the time column/);
    expect(() => stoText([])).toThrow(/no blocks to write/);
    expect(() => stoText([ok], { sensors: ['a_imu', 'b_imu'] })).toThrow(/'a_imu' has 1 more sample than 'b_imu' after 0 rows/);
    expect(() => stoText([ok], { sensors: ['b_imu'] })).toThrow(/not among the sensors to write/);
    // A tolerance lets nearly equal clocks share a row (the first sensor's time is written).
    expect(stoText([ok, orientationBlock({ sensorId: 'b_imu' }, [1e-7], q)], { timeToleranceS: 1e-6 })).toContain('\n0\t1,0,0,0\t1,0,0,0\n');
  });

  it('streams: rows come out as soon as every sensor has them', () => {
    const w = new StoWriter({ sensors: ['a_imu', 'b_imu'], rateHz: 10 });
    expect(w.push(orientationBlock({ sensorId: 'a_imu' }, [0, 0.1, 0.2], [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]))).toBe('');
    const first = w.push(orientationBlock({ sensorId: 'b_imu' }, [0, 0.1], [0, 1, 0, 0, 0, 1, 0, 0]));
    expect(first.split('\n').slice(-3)).toEqual(['0\t1,0,0,0\t0,1,0,0', '0.1\t1,0,0,0\t0,1,0,0', '']);
    expect(w.push(orientationBlock({ sensorId: 'b_imu' }, [0.2], [0, 0, 1, 0]))).toBe('0.2\t1,0,0,0\t0,0,1,0\n');
    expect(w.finish()).toBe('');
  });
});

describe('.sto files through the Node layer', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kinemetry-sto-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('detects, reads as a multi-sensor session, and writes back the same file', async () => {
    const path = join(dir, 'walk_orientations.sto');
    await writeFile(path, OPENSENSE);
    // Detection looks at the first chunk; DataType=Quaternion is within its first 64 bytes.
    const file = readRecording(path, { chunkBytes: 64 });
    const blocks: SampleBlock[] = [];
    for await (const b of file) blocks.push(b);
    expect(file.format?.name).toBe('sto');
    expect(blocks.length).toBe(3);
    const session = await readSession(path);
    expect(session.recordings.map((r) => [r.sensorId, r.info.placement])).toEqual([
      ['pelvis_imu', 'pelvis'],
      ['femur_r_imu', 'femur_r'],
      ['tibia_l_imu', 'tibia_l'],
    ]);
    let text = '';
    for await (const piece of formatStoAsync(session.blocks())) text += piece;
    const again = bySensor(parseSto(text));
    const orig = bySensor(parseSto(OPENSENSE));
    for (const [id, b] of orig) {
      expectSameBits(again.get(id)!.tS, b.tS);
      expectSameBits(again.get(id)!.quat!, b.quat!);
    }
  });
});

describe('.sto DataRate', () => {
  it('a measured rate is written without floating-point noise', () => {
    const n = 50;
    const b = createBlock({ sensorId: 'pelvis_imu' }, n, { inertial: false, quat: true });
    for (let i = 0; i < n; i++) {
      b.tS[i] = 1000.003 + i * 0.01; // far from 0, intervals carry rounding: 1 / median ≠ 100 exactly
      b.quat![4 * i] = 1;
    }
    expect(Math.abs(1 / (b.tS[25]! - b.tS[24]!) - 100)).toBeGreaterThan(1e-12);
    expect(stoText([b]).split('\n')[0]).toBe('DataRate=100');
  });
});
