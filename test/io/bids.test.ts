import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BIDS_CHANNELS_ROLE, BIDS_JSON_ROLE, BidsMotionParser, bidsMotionFormat, parseBidsMotion } from '../../src/io/bids';
import { parseBidsChannels } from '../../src/io/bidsChannels';
import { bidsCompanionNames, bidsSidecarApplies, formatBidsName, parseBidsName } from '../../src/io/bidsNames';
import { BidsMotionWriter, bidsLayoutOfBlock } from '../../src/io/bidsWriter';
import type { BidsSensorLayout } from '../../src/io/bidsWriter';
import { parseCanonicalCsv } from '../../src/io/canonicalCsv';
import { canonicalCsvText } from '../../src/io/canonicalCsvWriter';
import { RecordingFormatError, RecordingWriteError } from '../../src/io/errors';
import { knownKey } from '../../src/io/metadata';
import { concatBlocks, createBlock } from '../../src/samples/block';
import type { SampleBlock, SensorInfo } from '../../src/samples/block';
import { STANDARD_GRAVITY_MS2 } from '../../src/samples/units';
import { BlockValidator } from '../../src/samples/validate';

const CHANNELS = [
  'name\tcomponent\ttype\ttracked_point\tunits\tplacement',
  't1_acc_x\tx\tACCEL\tLeftFoot\tm/s^2\tleft dorsal foot',
  't1_acc_y\ty\tACCEL\tLeftFoot\tm/s^2\tleft dorsal foot',
  't1_acc_z\tz\tACCEL\tLeftFoot\tm/s^2\tleft dorsal foot',
  't1_gyro_x\tx\tGYRO\tLeftFoot\trad/s\tleft dorsal foot',
  't1_gyro_y\ty\tGYRO\tLeftFoot\trad/s\tleft dorsal foot',
  't1_gyro_z\tz\tGYRO\tLeftFoot\trad/s\tleft dorsal foot',
  'head_pos_x\tx\tPOS\tHead\tm\tn/a',
  't2_acc_x\tx\tACCEL\tRightWrist\tg\tn/a',
  't2_acc_y\ty\tACCEL\tRightWrist\tg\tn/a',
  't2_acc_z\tz\tACCEL\tRightWrist\tg\tn/a',
  't2_gyro_x\tx\tGYRO\tRightWrist\tdeg/s\tn/a',
  't2_gyro_y\ty\tGYRO\tRightWrist\tdeg/s\tn/a',
  't2_gyro_z\tz\tGYRO\tRightWrist\tdeg/s\tn/a',
  't2_magn_x\tx\tMAGN\tRightWrist\tuT\tn/a',
  't2_magn_y\ty\tMAGN\tRightWrist\tuT\tn/a',
  't2_magn_z\tz\tMAGN\tRightWrist\tuT\tn/a',
].join('\n');
const JSON_TEXT = JSON.stringify({ SamplingFrequency: 50, TaskName: 'walk', TrackingSystemName: 'IMUs', Manufacturer: 'BWSensing', ManufacturersModelName: 'BW-IMU600' });

function row(i: number): string {
  const v = [0.1 * i, -0.2, 9.8, 0.01 * i, 0, -0.03, 1.5, 0, 0, 1, 90, 0, -45, 20, i === 2 ? 'n/a' : 5, -40];
  return v.join('\t');
}
const MOTION = [0, 1, 2, 3, 4].map(row).join('\n') + '\n';
const FILE = 'ds/sub-01/motion/sub-01_task-walk_tracksys-imu_motion.tsv';
const SIDECARS = { [BIDS_CHANNELS_ROLE]: CHANNELS, [BIDS_JSON_ROLE]: JSON_TEXT };

function bySensor(blocks: SampleBlock[]): Map<string, SampleBlock> {
  const ids = [...new Set(blocks.map((b) => b.info.sensorId))];
  return new Map(ids.map((id) => [id, concatBlocks(blocks.filter((b) => b.info.sensorId === id)).block]));
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

describe('BIDS names', () => {
  it('parses entities, suffix and extension, and names the companions', () => {
    const n = parseBidsName(FILE)!;
    expect(n.entities).toEqual([['sub', '01'], ['task', 'walk'], ['tracksys', 'imu']]);
    expect(n.suffix).toBe('motion');
    expect(n.extension).toBe('.tsv');
    expect(formatBidsName(n.entities, 'channels', '.tsv')).toBe('sub-01_task-walk_tracksys-imu_channels.tsv');
    expect(bidsCompanionNames(FILE)).toEqual({ channels: 'sub-01_task-walk_tracksys-imu_channels.tsv', json: 'sub-01_task-walk_tracksys-imu_motion.json' });
    expect(parseBidsName('thigh.csv')).toEqual({ entities: [], suffix: 'thigh', extension: '.csv' });
    expect(parseBidsName('sub-01_task walk_motion.tsv')).toBeUndefined();
    // Inheritance: a sidecar applies when its entities are a subset of the data file's.
    expect(bidsSidecarApplies(parseBidsName('task-walk_motion.json')!, n, 'motion')).toBe(true);
    expect(bidsSidecarApplies(parseBidsName('sub-02_task-walk_motion.json')!, n, 'motion')).toBe(false);
    expect(bidsSidecarApplies(parseBidsName('task-walk_channels.tsv')!, n, 'motion')).toBe(false);
  });

  it('sniffs headerless motion data by name and content', () => {
    expect(bidsMotionFormat.sniff(MOTION, FILE)).toBe(true);
    expect(bidsMotionFormat.sniff('0\tn/a\tNaN\t-1e-3\tInfinity\n', 'x_motion.tsv')).toBe(true);
    expect(bidsMotionFormat.sniff(MOTION, 'thigh.tsv')).toBe(false);
    expect(bidsMotionFormat.sniff('t\tax\n', 'x_motion.tsv')).toBe(false);
  });
});

describe('BIDS motion reader', () => {
  it('reads a hand-written dataset: one sensor per tracked point, units converted, n/a as NaN, time from SamplingFrequency', () => {
    const blocks = parseBidsMotion(MOTION, { file: FILE, sidecars: SIDECARS, blockSize: 2 });
    expect(blocks.every((b) => b.tS.length <= 2)).toBe(true);
    const s = bySensor(blocks);
    expect([...s.keys()]).toEqual(['LeftFoot', 'RightWrist']);
    const foot = s.get('LeftFoot')!;
    const wrist = s.get('RightWrist')!;
    expect(Array.from(foot.tS)).toEqual([0, 1 / 50, 2 / 50, 3 / 50, 4 / 50]);
    expect(Array.from(wrist.tS)).toEqual(Array.from(foot.tS));
    expect(Array.from(foot.accMS2!.subarray(3, 6))).toEqual([0.1, -0.2, 9.8]);
    expect(Array.from(foot.gyrRadS!.subarray(6, 9))).toEqual([0.02, 0, -0.03]);
    expect(foot.magUT).toBeUndefined();
    expect(Array.from(wrist.accMS2!.subarray(0, 3))).toEqual([0, 0, STANDARD_GRAVITY_MS2]);
    expect(wrist.gyrRadS![0]).toBeCloseTo(Math.PI / 2, 15);
    expect(wrist.gyrRadS![2]).toBeCloseTo(-Math.PI / 4, 15);
    expect(wrist.magUT![3 * 2 + 1]).toBeNaN();
    expect(wrist.magUT![3 * 3 + 1]).toBe(5);

    expect(foot.info).toEqual({
      sensorId: 'LeftFoot',
      placement: 'left dorsal foot',
      rateHz: 50,
      device: 'BWSensing BW-IMU600',
      extra: { bids_ignored_channels: 'head_pos_x' },
    });
    expect(wrist.info.placement).toBeUndefined();

    // Validation reports the n/a as a NaN at its line.
    const p = new BidsMotionParser({ file: FILE, sidecars: SIDECARS });
    const all = [...p.push(MOTION), ...p.finish()];
    const v = new BlockValidator();
    for (const b of all.filter((b) => b.info.sensorId === 'RightWrist')) v.push(b);
    const r = v.report();
    expect(r.problemCounts.nan).toBe(1);
    expect(r.problems[0]!.index).toBe(2);
    expect(p.lineOfSample(2)).toBe(3);
    expect(p.header.sensors[1]!.channels.map((c) => `${c.channel}:${c.unit.name}`)).toEqual(['tS:s', 'acc:g', 'gyr:deg/s', 'mag:uT']);
  });

  it('takes time from a LATENCY channel (with its unit) and reads quaternion-only tracked points', () => {
    const channels = 'name\tcomponent\ttype\ttracked_point\tunits\nlat\tn/a\tLATENCY\tn/a\tms\nqw\tquat_w\tORNT\tpelvis\tn/a\nqx\tquat_x\tORNT\tpelvis\tn/a\nqy\tquat_y\tORNT\tpelvis\tn/a\nqz\tquat_z\tORNT\tpelvis\tn/a\n';
    const text = '0\t1\t0\t0\t0\n10\t0.7071\t0.7071\t0\t0\n25\t0\t1\t0\t0\n';
    const [b] = parseBidsMotion(text, { file: 'p_motion.tsv', sidecars: { [BIDS_CHANNELS_ROLE]: channels } });
    expect(Array.from(b!.tS)).toEqual([0, 0.01, 0.025]);
    expect(b!.accMS2).toBeUndefined();
    expect(Array.from(b!.quat!.subarray(4, 8))).toEqual([0.7071, 0.7071, 0, 0]);
    expect(b!.info).toEqual({ sensorId: 'pelvis' });
  });

  it('names file, line and column of what is wrong', () => {
    const cases: [string, () => unknown, string, number, string | undefined, RegExp][] = [
      ['short row', () => parseBidsMotion(`${row(0)}\n1\t2\n`, { file: FILE, sidecars: SIDECARS }), FILE, 2, undefined, /expected 16 tab-separated fields .*found 2/],
      ['text in a number', () => parseBidsMotion(`${row(0)}\n${row(1).replace('-0.2', 'oops')}\n`, { file: FILE, sidecars: SIDECARS }), FILE, 2, 't1_acc_y', /"oops" is not a number/],
      ['empty file', () => parseBidsMotion('', { file: FILE, sidecars: SIDECARS }), FILE, 1, undefined, /empty file/],
      ['no channels file', () => new BidsMotionParser({ file: FILE }), FILE, 1, undefined, /needs its channels file sub-01_task-walk_tracksys-imu_channels\.tsv/],
    ];
    const chFile = 'ds/sub-01/motion/sub-01_task-walk_tracksys-imu_channels.tsv';
    const jsonFile = 'ds/sub-01/motion/sub-01_task-walk_tracksys-imu_motion.json';
    const withChannels = (channels: string, json: string = JSON_TEXT) => () => new BidsMotionParser({ file: FILE, sidecars: { [BIDS_CHANNELS_ROLE]: channels, [BIDS_JSON_ROLE]: json } });
    const lines = CHANNELS.split('\n');
    cases.push(
      ['missing required column', withChannels(CHANNELS.replace('tracked_point', 'point')), chFile, 1, undefined, /lacks the required column tracked_point/],
      ['unknown unit', withChannels(CHANNELS.replace('deg/s\tn/a', 'furlong/s\tn/a')), chFile, 12, 'units', /unknown angular-rate unit 'furlong\/s'/],
      ['incomplete vector', withChannels(lines.filter((_, i) => i !== 16).join('\n')), chFile, 15, undefined, /RightWrist': MAGN has no z component/],
      ['accelerometer only', withChannels(lines.slice(0, 4).join('\n')), chFile, 1, undefined, /no IMU sensor in this file.*skipped LeftFoot \(ACCEL without GYRO\)/],
      ['no rate', withChannels(CHANNELS, '{"TaskName":"x"}'), chFile, 1, undefined, /no LATENCY channel and no SamplingFrequency in .*_motion\.json/],
      ['bad json', withChannels(CHANNELS, '{\n"SamplingFrequency": 50,\n}'), jsonFile, 3, undefined, /not valid JSON/],
      ['bad rate', withChannels(CHANNELS, '{"SamplingFrequency": "fast"}'), jsonFile, 1, undefined, /SamplingFrequency must be a positive number/],
    );
    for (const [name, fn, file, line, column, re] of cases) {
      const e = formatError(fn);
      expect(e.file, name).toBe(file);
      expect(e.line, name).toBe(line);
      expect(e.column, name).toBe(column);
      expect(e.reason, name).toMatch(re);
      expect(e.message).not.toContain('\n');
    }
  });

  it('reads channels.tsv strictly', () => {
    expect(() => parseBidsChannels('name\tcomponent\ttype\ttracked_point\tunits\na\tx\tACCEL\tp\tg\na\ty\tACCEL\tp\tg\n', 'c.tsv')).toThrow(/channel 'a' is also on line 2/);
    expect(() => parseBidsChannels('', 'c.tsv')).toThrow(/empty channels file/);
    const ch = parseBidsChannels('name\tcomponent\ttype\ttracked_point\tunits\tsampling_frequency\r\na\tX\taccel\tp\tg\t25\r\n', 'c.tsv');
    expect(ch[0]).toMatchObject({ component: 'x', type: 'ACCEL', samplingFrequencyHz: 25, line: 2 });
  });
});

// ---- writing and round trips ----

const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }).filter((s) => s === s.trim() && !/[\t\r\n:]/.test(s));
const sensorName = text.filter((s) => s !== 'n/a');
const extraKey = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,9}$/).filter((k) => knownKey(k) === undefined);

interface SensorSpec {
  info: SensorInfo;
  inertial: boolean;
  mag: boolean;
  quat: boolean;
}

const sensorSpec = (id: string): fc.Arbitrary<SensorSpec> =>
  fc
    .record({
      info: fc.record(
        {
          placement: text,
          side: fc.constantFrom<'left' | 'right'>('left', 'right'),
          rateHz: fc.double({ min: 1, max: 2000, noNaN: true }),
          device: text,
          extra: fc.dictionary(extraKey, text, { minKeys: 1, maxKeys: 3 }),
        },
        { requiredKeys: [] },
      ),
      inertial: fc.boolean(),
      mag: fc.boolean(),
      quat: fc.boolean(),
    })
    .map((r) => ({ info: { sensorId: id, ...r.info } as SensorInfo, inertial: r.inertial || !r.quat, mag: r.mag, quat: r.quat }));

/** A session on one clock: 1–3 sensors with random metadata and channels, any doubles. */
const sharedClockSession = fc
  .uniqueArray(sensorName, { minLength: 1, maxLength: 3 })
  .chain((ids) =>
    fc.record({
      sensors: fc.tuple(...ids.map(sensorSpec)),
      n: fc.integer({ min: 1, max: 30 }),
      blockSize: fc.integer({ min: 1, max: 8 }),
      seed: fc.integer(),
      irregular: fc.boolean(),
    }),
  )
  .chain(({ sensors, n, blockSize, seed, irregular }) =>
    fc
      .record({
        t: irregular ? fc.float64Array({ minLength: n, maxLength: n }) : fc.constant(Float64Array.from({ length: n }, (_, i) => i / 100)),
        values: fc.array(fc.float64Array({ minLength: 13 * n, maxLength: 13 * n }), { minLength: sensors.length, maxLength: sensors.length }),
      })
      .map(({ t, values }) => {
        const blocks: SampleBlock[] = [];
        for (let start = 0; start < n; start += blockSize) {
          const m = Math.min(blockSize, n - start);
          sensors.forEach((s, k) => {
            const b = createBlock(s.info, m, { inertial: s.inertial, mag: s.mag, quat: s.quat });
            b.tS.set(t.subarray(start, start + m));
            const v = values[k]!;
            if (s.inertial) {
              b.accMS2!.set(v.subarray(3 * start, 3 * start + 3 * m));
              b.gyrRadS!.set(v.subarray(3 * n + 3 * start, 3 * n + 3 * start + 3 * m));
            }
            if (s.mag) b.magUT!.set(v.subarray(6 * n + 3 * start, 6 * n + 3 * start + 3 * m));
            if (s.quat) b.quat!.set(v.subarray(9 * n + 4 * start, 9 * n + 4 * start + 4 * m));
            blocks.push(b);
          });
        }
        return { sensors, blocks, seed };
      }),
  );

function writeBids(sensors: readonly BidsSensorLayout[], blocks: Iterable<SampleBlock>): { motion: string; channels: string; json: string } {
  const w = new BidsMotionWriter(sensors, { taskName: 'test', trackingSystemName: 'IMU' });
  let motion = '';
  for (const b of blocks) motion += w.push(b);
  const side = w.finish();
  return { motion, channels: side.channelsTsv, json: side.motionJson };
}

function expectSameBits(actual: Float64Array | undefined, expected: Float64Array | undefined, what: string): void {
  expect(actual === undefined, what).toBe(expected === undefined);
  if (!actual || !expected) return;
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i]) && !(Number.isNaN(actual[i]) && Number.isNaN(expected[i]))) {
      throw new Error(`${what}[${i}]: wrote ${expected[i]}, read ${actual[i]}`);
    }
  }
}

/** A deterministic shuffle that keeps each sensor's blocks in order (writers accept any interleaving). */
function interleave(blocks: SampleBlock[], seed: number): SampleBlock[] {
  const queues = new Map<string, SampleBlock[]>();
  for (const b of blocks) queues.set(b.info.sensorId, [...(queues.get(b.info.sensorId) ?? []), b]);
  const out: SampleBlock[] = [];
  let s = seed >>> 0;
  while (out.length < blocks.length) {
    const ids = [...queues.keys()].filter((id) => queues.get(id)!.length > 0);
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push(queues.get(ids[s % ids.length]!)!.shift()!);
  }
  return out;
}

describe('BIDS motion writer', () => {
  it('round trip: read(write(session)) has the same values (bit for bit, NaN as n/a) and metadata, for any interleaving', () => {
    fc.assert(
      fc.property(sharedClockSession, ({ sensors, blocks, seed }) => {
        const files = writeBids(sensors, interleave(blocks, seed));
        const back = bySensor(parseBidsMotion(files.motion, { file: 'x_motion.tsv', sidecars: { [BIDS_CHANNELS_ROLE]: files.channels, [BIDS_JSON_ROLE]: files.json }, blockSize: 5 }));
        expect([...back.keys()]).toEqual(sensors.map((s) => s.info.sensorId));
        for (const s of sensors) {
          const id = s.info.sensorId;
          const want = concatBlocks(blocks.filter((b) => b.info.sensorId === id)).block;
          const got = back.get(id)!;
          expect(got.info).toEqual(s.info);
          expectSameBits(got.tS, want.tS, `${id} t`);
          expectSameBits(got.accMS2, want.accMS2, `${id} acc`);
          expectSameBits(got.gyrRadS, want.gyrRadS, `${id} gyr`);
          expectSameBits(got.magUT, want.magUT, `${id} mag`);
          expectSameBits(got.quat, want.quat, `${id} quat`);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('round trip canonical CSV → BIDS → canonical CSV gives the same text', () => {
    fc.assert(
      fc.property(sharedClockSession, ({ sensors, blocks }) => {
        for (const s of sensors) {
          const own = blocks.filter((b) => b.info.sensorId === s.info.sensorId);
          const csv = canonicalCsvText(own);
          const fromCsv = parseCanonicalCsv(csv, { file: 'a.csv', blockSize: 3 });
          const files = writeBids([bidsLayoutOfBlock(fromCsv[0]!)], fromCsv);
          const back = parseBidsMotion(files.motion, { file: 'a_motion.tsv', sidecars: { [BIDS_CHANNELS_ROLE]: files.channels, [BIDS_JSON_ROLE]: files.json } });
          expect(canonicalCsvText(back)).toBe(csv);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('writes the BIDS columns, channel types, units and required sidecar fields', () => {
    const info: SensorInfo = { sensorId: 'thigh', placement: 'left thigh', side: 'left', rateHz: 100, device: 'DOT', extra: { subject: 'S01' } };
    const b = createBlock(info, 3, { mag: true });
    b.tS.set([0, 0.01, 0.02]);
    b.accMS2.set([0, 0, 9.81, NaN, 0, 9.81, -0, 1e-300, 9.81]);
    const files = writeBids([bidsLayoutOfBlock(b)], [b]);
    expect(files.motion.split('\n')[1]).toBe('0.01\tn/a\t0\t9.81\t0\t0\t0\t0\t0\t0');
    expect(files.motion.split('\n')[2]!.split('\t').slice(0, 3)).toEqual(['0.02', '-0', '1e-300']);
    const ch = files.channels.split('\n');
    expect(ch[0]).toBe('name\tcomponent\ttype\ttracked_point\tunits\tplacement');
    expect(ch[1]).toBe('latency\tn/a\tLATENCY\tn/a\ts\tn/a');
    expect(ch[2]).toBe('thigh_acc_x\tx\tACCEL\tthigh\tm/s^2\tleft thigh');
    expect(ch[5]).toBe('thigh_gyr_x\tx\tGYRO\tthigh\trad/s\tleft thigh');
    expect(ch[8]).toBe('thigh_mag_x\tx\tMAGN\tthigh\tuT\tleft thigh');
    const json = JSON.parse(files.json) as Record<string, unknown>;
    expect(json).toMatchObject({
      TaskName: 'test',
      TrackingSystemName: 'IMU',
      SamplingFrequency: 100,
      RecordingDuration: 0.02,
      MotionChannelCount: 10,
      ACCELChannelCount: 3,
      GYROChannelCount: 3,
      MAGNChannelCount: 3,
      LATENCYChannelCount: 1,
      TrackedPointsCount: 1,
      ManufacturersModelName: 'DOT',
      KinemetrySensorInfo: { thigh: { placement: 'left thigh', side: 'left', rateHz: 100, device: 'DOT', extra: { subject: 'S01' } } },
    });
    expect(json.SamplingFrequencyEffective).toBeCloseTo(100, 9);

    // No declared rate: SamplingFrequency from the median interval.
    const q = createBlock({ sensorId: 'q' }, 4, { inertial: false, quat: true });
    q.tS.set([0, 0.04, 0.08, 0.2]);
    q.quat!.fill(0.5);
    const j2 = JSON.parse(writeBids([bidsLayoutOfBlock(q)], [q]).json) as Record<string, unknown>;
    expect(j2.SamplingFrequency).toBeCloseTo(25, 9);
    expect(j2.ORNTChannelCount).toBe(4);
    expect(j2).not.toHaveProperty('ACCELChannelCount');
    expect((j2.KinemetrySensorInfo as Record<string, unknown>).q).toEqual({ rateHz: null });
  });

  it('refuses sensors that do not share one clock, and names it cannot hold', () => {
    const a = createBlock({ sensorId: 'a' }, 3);
    a.tS.set([0, 0.01, 0.02]);
    const b = createBlock({ sensorId: 'b' }, 3);
    b.tS.set([0, 0.01, 0.025]);
    const layouts = [bidsLayoutOfBlock(a), bidsLayoutOfBlock(b)];
    expect(() => writeBids(layouts, [a, b])).toThrow(/'a' and 'b' do not share one clock: sample 2 is at 0\.02 s in one and 0\.025 s/);
    const short = createBlock({ sensorId: 'b' }, 2);
    short.tS.set([0, 0.01]);
    expect(() => writeBids(layouts, [a, short])).toThrow(/'a' has 1 sample after the other sensors ended/);
    const w = new BidsMotionWriter(layouts, { taskName: 't', trackingSystemName: 'x', maxPendingSamples: 4 });
    w.push(a);
    expect(() => w.push(a)).toThrow(/'a' runs more than 4 samples ahead of 'b'/);
    const bad = (info: SensorInfo) => () => new BidsMotionWriter([{ info, inertial: true, mag: false, quat: false }], { taskName: 't', trackingSystemName: 'x' });
    expect(bad({ sensorId: 'a\tb' })).toThrow(RecordingWriteError);
    expect(bad({ sensorId: 'n/a' })).toThrow(/cannot be a BIDS tracked point/);
    expect(bad({ sensorId: 'a', placement: 'x\ny' })).toThrow(/tab or line break/);
    expect(() => new BidsMotionWriter([{ info: { sensorId: 'a' }, inertial: false, mag: true, quat: false }], { taskName: 't', trackingSystemName: 'x' })).toThrow(/neither/);
    const other = createBlock({ sensorId: 'c' }, 1);
    expect(() => new BidsMotionWriter([layouts[0]!], { taskName: 't', trackingSystemName: 'x' }).push(other)).toThrow(/block of sensor 'c'/);
    expect(() => new BidsMotionWriter([layouts[0]!], { taskName: 't', trackingSystemName: 'x' }).finish()).toThrow(/no samples/);
  });
});

describe('BIDS motion reader never crashes', () => {
  const TOKENS = ['0', '1.5', '-2e3', 'n/a', 'NaN', 'Infinity', 'x', '\t', '\t', '\t', '\n', '\n', '\r\n', ' ', '', '\uFEFF', 'µ', ','];
  const text = fc.array(fc.constantFrom(...TOKENS), { maxLength: 200 }).map((a) => a.join(''));
  it('on random rows and random bytes, in random chunks: blocks or a RecordingFormatError with a line', () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.uint8Array({ maxLength: 400 })), fc.integer({ min: 1, max: 50 }), (input, size) => {
        const p = new BidsMotionParser({ file: FILE, sidecars: SIDECARS, blockSize: 3 });
        try {
          let n = 0;
          for (let i = 0; i < input.length; i += size) for (const b of p.push(input.slice(i, i + size))) n += b.tS.length;
          for (const b of p.finish()) n += b.tS.length;
          expect(n).toBe(2 * p.samples);
        } catch (e) {
          if (!(e instanceof RecordingFormatError)) throw e;
          expect(e.line).toBeGreaterThanOrEqual(1);
          expect(e.message).not.toContain('\n');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('on random channels files', () => {
    const cells = ['name', 'component', 'type', 'tracked_point', 'units', 'a', 'x', 'y', 'z', 'quat_w', 'ACCEL', 'GYRO', 'MAGN', 'ORNT', 'LATENCY', 'p', 'n/a', 'g', 'deg/s', 'uT', 'ms', '\t', '\t', '\n', '\n'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...cells), { maxLength: 120 }), (parts) => {
        try {
          parseBidsMotion('0\t1\n', { file: FILE, sidecars: { [BIDS_CHANNELS_ROLE]: parts.join(''), [BIDS_JSON_ROLE]: JSON_TEXT } });
        } catch (e) {
          if (!(e instanceof RecordingFormatError)) throw e;
          expect(e.line).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 300 },
    );
  });
});
