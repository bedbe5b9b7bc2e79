import { readFileSync } from 'node:fs';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as mat3 from '../../src/math/mat3';
import * as quat from '../../src/math/quat';
import { RecordingFormatError } from '../../src/io/errors';
import { detectFormat, isRecordingFileName } from '../../src/io/formats';
import { readRecording } from '../../src/io/node/recordingFile';
import { readSession } from '../../src/io/node/session';
import { XSENS_DAY_TICKS, XSENS_U32_TICKS, XsensParser, fineStep, parseXsens, sniffXsens } from '../../src/io/xsens';
import { concatBlocks } from '../../src/samples/block';
import type { SampleBlock } from '../../src/samples/block';
import { BlockValidator } from '../../src/samples/validate';

const FIXTURE_PATH = fileURLToPath(new URL('../../fixtures/xsens/MT_00B4A1C2_walk-000.txt', import.meta.url));
const FIXTURE = readFileSync(FIXTURE_PATH, 'utf8');
const STF0 = 2 ** 32 - 5950;

function errorOf(f: () => unknown): RecordingFormatError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(RecordingFormatError);
    return e as RecordingFormatError;
  }
  return expect.fail('no error thrown');
}

/** Header + rows, tab-separated, CRLF. */
function xsensText(header: string[], columns: string[], rows: (string | number)[][]): string {
  return [...header.map((h) => `// ${h}`), columns.join('\t'), ...rows.map((r) => r.join('\t'))].join('\r\n') + '\r\n';
}

describe('Xsens MT Manager export: the hand-made fixture', () => {
  const parser = new XsensParser({ file: 'fixtures/xsens/MT_00B4A1C2_walk-000.txt', blockSize: 32 });
  const blocks = [...parser.push(FIXTURE), ...parser.finish()];
  const all = concatBlocks(blocks);
  const b = all.block;

  it('reads metadata, channels and units', () => {
    expect(b.info.sensorId).toBe('MT_00B4A1C2_walk-000');
    expect(b.info.rateHz).toBe(100);
    expect(b.info.device).toBe('Xsens');
    expect(b.info.extra).toMatchObject({
      start_time: '2024-03-14 10:21:07.512',
      update_rate: '100.0Hz',
      filter_profile: 'human (46.1)',
      option_flags: 'AHS Disabled ICC Disabled',
      firmware_version: '4.0.2',
      time_source: 'SampleTimeFine / 10000 (device clock, s)',
      ignored_columns: 'FreeAcc_E FreeAcc_N FreeAcc_U Roll Pitch Yaw StatusWord',
    });
    expect(b.info.extra!['magnetometer']).toMatch(/^not read: .*arbitrary units/);
    expect(parser.header!.line).toBe(6);
    expect(parser.header!.sensors[0]!.channels.map((c) => [c.channel, c.unit.name, c.columns.join(' ')])).toEqual([
      ['tS', '100us', 'SampleTimeFine'],
      ['acc', 'm/s^2', 'Acc_X Acc_Y Acc_Z'],
      ['gyr', 'rad/s', 'Gyr_X Gyr_Y Gyr_Z'],
      ['quat', '1', 'Quat_q0 Quat_q1 Quat_q2 Quat_q3'],
    ]);
    // Normalised magnetometer units are never passed off as µT.
    expect(b.magUT).toBeUndefined();
  });

  it('reads the values of the file', () => {
    expect(b.tS.length).toBe(117);
    // Row 1 (line 7) and row 64 (line 70, packet 63) as written in the file.
    expect(Array.from(b.accMS2!.subarray(0, 3))).toEqual([0.05, -0.02, 9.81]);
    expect(Array.from(b.gyrRadS!.subarray(0, 3))).toEqual([0, -0.001, 0.503]);
    expect(Array.from(b.quat!.subarray(0, 4))).toEqual([0.988771, 0, 0, 0.149438]);
    const line70 = FIXTURE.split('\r\n')[69]!.split('\t');
    expect(line70[0]).toBe('00043');
    const i = 63;
    expect(Array.from(b.accMS2!.subarray(3 * i, 3 * i + 3))).toEqual(line70.slice(2, 5).map(Number));
    expect(Array.from(b.gyrRadS!.subarray(3 * i, 3 * i + 3))).toEqual(line70.slice(8, 11).map(Number));
    expect(Array.from(b.quat!.subarray(4 * i, 4 * i + 4))).toEqual(line70.slice(14, 18).map(Number));
    expect(b.tS[i]).toBe(Number(line70[1]) / 1e4 + 2 ** 32 / 1e4);
  });

  it('unwraps PacketCounter and SampleTimeFine: time keeps increasing by 10 ms', () => {
    expect(b.tS[0]).toBe(STF0 / 1e4);
    const gaps: number[] = [];
    for (let k = 1; k < b.tS.length; k++) {
      const dt = b.tS[k]! - b.tS[k - 1]!;
      if (Math.abs(dt - 0.01) > 1e-6) gaps.push(k);
    }
    // Only the dropped packets 90–92 make a longer interval (before sample 90).
    expect(gaps).toEqual([90]);
    expect(b.tS[90]! - b.tS[89]!).toBeCloseTo(0.04, 9);
    // Across both wraps (counter after row 20, SampleTimeFine after row 60): 60 periods from row 0.
    expect(b.tS[60]! - b.tS[0]!).toBeCloseTo(0.6, 9);
    expect(b.tS[116]! - b.tS[0]!).toBeCloseTo(1.19, 9);
  });

  it('marks the dropped packets as a declared gap the validator reports', () => {
    // The block in progress ends at the gap; the next one starts with the gapBeforeS.
    expect(blocks.map((x) => x.tS.length)).toEqual([32, 32, 26, 27]);
    expect(blocks.map((x) => x.gapBeforeS)).toEqual([undefined, undefined, undefined, 0.03]);
    expect(blocks[3]!.tS[0]).toBe(b.tS[90]);
    expect(all.gaps).toEqual([{ atIndex: 90, gapS: 0.03 }]);
    const v = new BlockValidator();
    for (const x of blocks) v.push(x);
    const r = v.report();
    expect(r.samples).toBe(117);
    expect(r.measuredRateHz).toBeCloseTo(100, 5);
    expect(r.gapCount).toBe(1);
    expect(r.missingSamples).toBe(3);
    expect(r.gaps[0]).toMatchObject({ index: 90, missingSamples: 3, declared: true });
    expect(r.ok).toBe(true);
  });

  it('maps samples to file lines across the gap', () => {
    expect(parser.lineOfSample(0)).toBe(7);
    expect(parser.lineOfSample(89)).toBe(96);
    expect(parser.lineOfSample(90)).toBe(97);
    expect(parser.lineOfSample(116)).toBe(123);
    expect(parser.lineOfSample(117)).toBeUndefined();
  });

  it('gives the same samples however the bytes are split', () => {
    const bytes = new TextEncoder().encode(FIXTURE);
    fc.assert(
      fc.property(fc.array(fc.nat({ max: bytes.length }), { maxLength: 8 }), fc.integer({ min: 1, max: 200 }), (cuts, blockSize) => {
        const at = [0, ...[...cuts].sort((x, y) => x - y), bytes.length];
        const p = new XsensParser({ file: 'MT_00B4A1C2_walk-000.txt', blockSize });
        const got: SampleBlock[] = [];
        for (let k = 0; k + 1 < at.length; k++) got.push(...p.push(bytes.subarray(at[k]!, at[k + 1]!)));
        got.push(...p.finish());
        const g = concatBlocks(got);
        expect(Array.from(g.block.tS)).toEqual(Array.from(b.tS));
        expect(Array.from(g.block.accMS2!)).toEqual(Array.from(b.accMS2!));
        expect(Array.from(g.block.quat!)).toEqual(Array.from(b.quat!));
        expect(g.gaps.map((x) => [x.atIndex, x.gapS])).toEqual([[90, 0.03]]);
        expect(g.block.info).toEqual(b.info);
      }),
      { numRuns: 100 },
    );
  });

  it('is detected by content and found in a directory scan only when it looks like an export', async () => {
    expect(sniffXsens(FIXTURE)).toBe(true);
    expect(detectFormat(FIXTURE.slice(0, 300), 'x.txt').name).toBe('xsens');
    const uci = 'time index;acc_x;acc_y;acc_z;gyr_x;gyr_y;gyr_z\r\n1;0;0;9.8;0;0;0\r\n';
    expect(sniffXsens(uci)).toBe(false);
    expect(sniffXsens('t,ax,ay,az,gx,gy,gz\n')).toBe(false);
    expect(sniffXsens('// just a comment\nhello world\n')).toBe(false);
    expect(isRecordingFileName('MT_00B4A1C2_walk-000.txt', FIXTURE)).toBe(true);
    expect(isRecordingFileName('README.txt', 'Notes about this session.\n')).toBe(false);
    expect(isRecordingFileName('test.txt', uci)).toBe(false);
    const file = readRecording(FIXTURE_PATH);
    let n = 0;
    for await (const x of file) n += x.tS.length;
    expect(n).toBe(117);
    expect(file.format?.name).toBe('xsens');
  });

  it('is picked up in a session directory next to a README.txt, which is skipped', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kinemetry-xsens-'));
    try {
      await copyFile(FIXTURE_PATH, join(dir, 'MT_00B4A1C2_walk-000.txt'));
      await writeFile(join(dir, 'README.txt'), 'Walk trial, sensor on the right shank.\n');
      await writeFile(join(dir, 'thigh.csv'), '# sensor: thigh\nt,ax,ay,az,gx,gy,gz\n0,0,0,9.81,0,0,0\n');
      const s = await readSession(dir);
      expect(s.recordings.map((r) => [r.sensorId, r.file.format?.name])).toEqual([
        ['MT_00B4A1C2_walk-000', 'xsens'],
        ['thigh', 'canonical'],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('Xsens export: clocks', () => {
  it('unwraps SampleTimeFine at one day (MTi-10/100) and at 2^32 (MTi-1/600)', () => {
    expect(fineStep(XSENS_DAY_TICKS - 100, 50)).toBe(150);
    expect(fineStep(XSENS_U32_TICKS - 100, 50)).toBe(150);
    expect(fineStep(1000, 1100)).toBe(100);
    // A step back that would be a wrap of more than half a day is time going backwards.
    expect(fineStep(100_000_000, 10)).toBe(10 - 100_000_000);
    expect(fineStep(1_000_000_000, 10)).toBe(10 - 1_000_000_000);
    const text = xsensText(
      ['Update Rate: 100.0Hz'],
      ['PacketCounter', 'SampleTimeFine', 'Acc_X', 'Acc_Y', 'Acc_Z', 'Gyr_X', 'Gyr_Y', 'Gyr_Z'],
      [
        [1, XSENS_DAY_TICKS - 200, 0, 0, 9.8, 0, 0, 0],
        [2, XSENS_DAY_TICKS - 100, 0, 0, 9.8, 0, 0, 0],
        [3, 0, 0, 0, 9.8, 0, 0, 0],
        [4, 100, 0, 0, 9.8, 0, 0, 0],
      ],
    );
    const b = concatBlocks(parseXsens(text)).block;
    expect(Array.from(b.tS, (t) => Math.round((t - b.tS[0]!) * 1e4))).toEqual([0, 100, 200, 300]);
  });

  it('keeps a genuine backwards step for the validator to report', () => {
    const text = xsensText(
      [],
      ['PacketCounter', 'SampleTimeFine', 'Quat_q0', 'Quat_q1', 'Quat_q2', 'Quat_q3'],
      [
        [1, 900_000_000, 1, 0, 0, 0],
        [2, 900_000_100, 1, 0, 0, 0],
        [3, 100_000_000, 1, 0, 0, 0],
      ],
    );
    const b = concatBlocks(parseXsens(text)).block;
    expect(Array.from(b.tS)).toEqual([90000, 90000.01, 10000]);
    expect(b.accMS2).toBeUndefined();
    expect(new BlockValidator().push(b).report().problemCounts['non-monotonic-time']).toBe(1);
  });

  it('uses PacketCounter / rate when SampleTimeFine is empty (OpenSense example layout), with wrap and drops', () => {
    const cols = ['PacketCounter', 'SampleTimeFine', 'UTC_Valid', 'Acc_X', 'Acc_Y', 'Acc_Z', 'Gyr_X', 'Gyr_Y', 'Gyr_Z', 'Mat[1][1]', 'Mat[2][1]', 'Mat[3][1]', 'Mat[1][2]', 'Mat[2][2]', 'Mat[3][2]', 'Mat[1][3]', 'Mat[2][3]', 'Mat[3][3]'];
    const m = [1, 0, 0, 0, 1, 0, 0, 0, 1].map(String);
    const rows = [65534, 65535, 0, 3].map((pc) => [String(pc).padStart(5, '0'), '', '', '3.030769', '5.254238', '-7.714005', '0.005991', '-0.032133', '0.022713', ...m]);
    const text = xsensText(['Start Time: Unknown', 'Update Rate: 40.0Hz', 'Filter Profile: human (46.1)'], cols, rows);
    const p = new XsensParser({ file: 'MT_012005D6_009-001_00B421AF.txt' });
    const blocks = [...p.push(text), ...p.finish()];
    const b = concatBlocks(blocks).block;
    expect(b.info.extra!['time_source']).toBe('PacketCounter / 40 Hz');
    expect(b.info.extra!['ignored_columns']).toBe('UTC_Valid');
    expect(p.header!.sensors[0]!.channels[0]).toMatchObject({ channel: 'tS', columns: ['PacketCounter'] });
    expect(Array.from(b.tS)).toEqual([65534 / 40, 65535 / 40, 65536 / 40, 65539 / 40]);
    expect(blocks.map((x) => x.gapBeforeS)).toEqual([undefined, 2 / 40]);
    expect(Array.from(b.accMS2!.subarray(0, 3))).toEqual([3.030769, 5.254238, -7.714005]);
    expect(Array.from(b.quat!.subarray(0, 4))).toEqual([1, 0, 0, 0]);
  });

  it('reads the MT Manager 2022 layout (sections, DeviceId, ProductCode, NaN SampleTimeFine) given a rate', () => {
    const text = xsensText(
      ['General information: ', ' MT Manager version: 2022.2.0', 'Device information: ', ' DeviceId: 00B42D4F', ' ProductCode: MTW2-3A7G6', ' Firmware Version: 4.4.0', 'Device settings: ', ' Filter Profile: human(46.1)', 'Coordinate system: ENU'],
      ['PacketCounter', 'SampleTimeFine', 'Year', 'Month', 'Day', 'Second', 'Acc_X', 'Acc_Y', 'Acc_Z', 'Gyr_X', 'Gyr_Y', 'Gyr_Z', 'Roll', 'Pitch', 'Yaw'],
      [
        [51400, 'NaN', 'NaN', 'NaN', 'NaN', 'NaN', 0.069663, -0.012828, 9.978389, 0.00196, -0.000371, 0.005926, -0.254385, 0.210872, -137.5],
        [51401, 'NaN', 'NaN', 'NaN', 'NaN', 'NaN', 0.069001, -0.012001, 9.978001, 0.00195, -0.000372, 0.005925, -0.254385, 0.210872, -137.5],
      ],
    );
    const e = errorOf(() => parseXsens(text, { file: 'MTw.txt' }));
    expect(e.message).toMatch(/^MTw\.txt:11: no usable time: SampleTimeFine is empty in the first data row/);
    const b = concatBlocks(parseXsens(text, { file: 'MTw.txt', rateHz: 60 })).block;
    expect(b.info.device).toBe('Xsens MTW2-3A7G6 00B42D4F');
    expect(b.info.extra).toMatchObject({ mt_manager_version: '2022.2.0', device_id: '00B42D4F', product_code: 'MTW2-3A7G6', firmware_version: '4.4.0', coordinate_system: 'ENU', time_source: 'PacketCounter / 60 Hz' });
    expect(Array.from(b.tS)).toEqual([51400 / 60, 51401 / 60]);
    expect(Array.from(b.accMS2!.subarray(0, 3))).toEqual([0.069663, -0.012828, 9.978389]);
    expect(b.quat).toBeUndefined();
  });

  it('takes the rate from the options over the header, and numbers rows when there is no clock at all', () => {
    const text = xsensText(['Update Rate: 100Hz'], ['PacketCounter', 'Acc_X', 'Acc_Y', 'Acc_Z', 'Gyr_X', 'Gyr_Y', 'Gyr_Z'], [
      ['', 0, 0, 9.8, 0, 0, 0],
      ['', 0, 0, 9.8, 0, 0, 0],
    ]);
    const b = concatBlocks(parseXsens(text, { rateHz: 50 })).block;
    expect(b.info.rateHz).toBe(50);
    expect(b.info.extra!['time_source']).toBe('row number / 50 Hz');
    expect(Array.from(b.tS)).toEqual([0, 0.02]);
    const noRate = errorOf(() => parseXsens(text.replace('// Update Rate: 100Hz\r\n', ''), { file: 'a.txt' }));
    expect(noRate.message).toMatch(/^a\.txt:2: no usable time: no SampleTimeFine column and the export declares no Update Rate/);
  });
});

describe('Xsens export: orientation', () => {
  const cols = ['SampleTimeFine', 'Quat_q0', 'Quat_q1', 'Quat_q2', 'Quat_q3'];

  it('rotates a NED or NWU orientation into ENU (q_ENU,S = q_ENU,L ⊗ q_L,S)', () => {
    const v = new Float64Array(3);
    const ned = concatBlocks(parseXsens(xsensText(['Coordinate system: NED'], cols, [[0, 1, 0, 0, 0]]))).block;
    expect(ned.info.extra!['coordinate_system']).toBe('NED');
    // Identity in NED: sensor x = North, z = Down.
    const q = ned.quat!;
    expect(Array.from(quat.rotate(v, q, [1, 0, 0]), (x) => Math.round(x * 1e12) / 1e12 + 0)).toEqual([0, 1, 0]);
    expect(Array.from(quat.rotate(v, q, [0, 0, 1]), (x) => Math.round(x * 1e12) / 1e12 + 0)).toEqual([0, 0, -1]);
    const nwu = concatBlocks(parseXsens(xsensText(['Coordinate system: NWU'], cols, [[0, 1, 0, 0, 0]]))).block;
    // Identity in NWU: sensor y = West.
    expect(Array.from(quat.rotate(v, nwu.quat!, [0, 1, 0]), (x) => Math.round(x * 1e12) / 1e12 + 0)).toEqual([-1, 0, 0]);
    const enu = concatBlocks(parseXsens(xsensText(['Coordinate system: ENU'], cols, [[0, 0.5, 0.5, 0.5, 0.5]]))).block;
    expect(Array.from(enu.quat!)).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(errorOf(() => parseXsens(xsensText(['Coordinate system: XYZ'], cols, [[0, 1, 0, 0, 0]]), { file: 'c.txt' })).message).toBe(
      "c.txt:1: unknown coordinate system 'XYZ' (known: ENU, NED, NWU)",
    );
  });

  it('converts Mat[r][c] (R_LS, row r, column c) to the same quaternion', () => {
    const matCols = ['SampleTimeFine', 'Mat[1][1]', 'Mat[2][1]', 'Mat[3][1]', 'Mat[1][2]', 'Mat[2][2]', 'Mat[3][2]', 'Mat[1][3]', 'Mat[2][3]', 'Mat[3][3]'];
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }), (raw) => {
        const q = quat.normalize(quat.create(), raw);
        fc.pre(Number.isFinite(q[0]!) && quat.norm(raw) > 1e-3);
        const m = mat3.fromQuat(mat3.create(), q);
        // Column-major listing, as MT Manager writes it.
        const cells = [m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]].map((x) => String(x));
        const got = concatBlocks(parseXsens(xsensText([], matCols, [[0, ...cells]]))).block.quat!;
        // q and −q are the same rotation.
        expect(Math.abs(quat.dot(got, q))).toBeCloseTo(1, 12);
        expect(quat.norm(got)).toBeCloseTo(1, 14);
      }),
      { numRuns: 100 },
    );
  });
});

describe('Xsens export: bad input', () => {
  const head = ['Update Rate: 100.0Hz'];
  const cols = ['PacketCounter', 'SampleTimeFine', 'Acc_X', 'Acc_Y', 'Acc_Z', 'Gyr_X', 'Gyr_Y', 'Gyr_Z'];
  const good = [1, 100, 0, 0, 9.8, 0, 0, 0];
  const cases: [string, string, number, string | undefined, RegExp][] = [
    ['a truncated row', xsensText(head, cols, [good, [2, 200, 0, 0]]), 4, undefined, /expected 8 fields, found 4/],
    ['text in a value', xsensText(head, cols, [good, [2, 200, 0, 'oops', 9.8, 0, 0, 0]]), 4, 'Acc_Y', /"oops" is not a number/],
    ['a counter out of range', xsensText(head, cols, [[70000, 100, 0, 0, 9.8, 0, 0, 0]]), 3, 'PacketCounter', /PacketCounter must be an integer 0–65535/],
    ['a fractional SampleTimeFine', xsensText(head, cols, [[1, 100.5, 0, 0, 9.8, 0, 0, 0]]), 3, 'SampleTimeFine', /SampleTimeFine must be an integer/],
    ['incomplete accelerometer', xsensText(head, ['PacketCounter', 'Acc_X', 'Acc_Y', 'Gyr_X', 'Gyr_Y', 'Gyr_Z'], [[1, 0, 0, 0, 0, 0]]), 2, undefined, /incomplete accelerometer columns: missing Acc_Z/],
    ['a lone Acc_X', xsensText(head, ['PacketCounter', 'SampleTimeFine', 'Mag_X', 'Mag_Y', 'Mag_Z', 'Acc_X'], [[1, 1, 0, 0, 0, 0]]), 2, undefined, /incomplete accelerometer columns: missing Acc_Y, Acc_Z/],
    ['only a magnetometer', xsensText(head, ['PacketCounter', 'SampleTimeFine', 'Mag_X', 'Mag_Y', 'Mag_Z'], [[1, 1, 0, 0, 0]]), 2, undefined, /no usable channels/],
    ['a bad update rate', xsensText(['Update Rate: fast'], cols, [good]), 1, undefined, /Update Rate must be a positive number of Hz/],
    ['a header only', xsensText(head, cols, []), 2, undefined, /no data rows after the header/],
    ['no column header', '// Update Rate: 100.0Hz\r\n// Filter Profile: human\r\n', 2, undefined, /no column header row/],
    ['a wrong table', '// Update Rate: 100.0Hz\r\na,b,c\r\n', 2, undefined, /expected the MT Manager column header/],
    ['an empty file', '', 1, undefined, /empty file/],
  ];
  for (const [what, text, line, column, re] of cases) {
    it(`fails with file:line on ${what}`, () => {
      const e = errorOf(() => parseXsens(text, { file: 'x.txt' }));
      expect([e.line, e.column]).toEqual([line, column]);
      expect(e.reason).toMatch(re);
      expect(e.message.startsWith(`x.txt:${line}: `)).toBe(true);
    });
  }

  it('throws only RecordingFormatError on random bytes, and on token soup after a valid header', () => {
    const tokens = ['\t', '\t', '\t', '\r\n', '\n', '1', '65535', '0', '-2.5', 'NaN', '', 'x', '//', ' ', '4294967295', '99999999999', '.', ','];
    const soup = fc.array(fc.constantFrom(...tokens), { maxLength: 100 }).map((a) => a.join(''));
    const check = (chunks: (string | Uint8Array)[]) => {
      const p = new XsensParser({ file: 'f.txt', blockSize: 4 });
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
    const header = xsensText(head, [...cols, 'Quat_q0', 'Quat_q1', 'Quat_q2', 'Quat_q3'], []);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 500 }), (b) => check([b])), { numRuns: 200 });
    fc.assert(fc.property(soup, (s) => check([header, s])), { numRuns: 300 });
  });
});
