import { describe, expect, it } from 'vitest';
import { BleConfigError } from '../../../src/io/ble/errors';
import { bytesToHex } from '../../../src/io/ble/hex';
import { METAWEAR_NOTIFY, MetaWearDriver, metawearAccConfig, metawearGyroConfig, metawearStartCommands } from '../../../src/io/ble/metawear';
import { DEG_TO_RAD, STANDARD_GRAVITY_MS2 } from '../../../src/samples/units';
import { i16, view } from './bytes';

describe('MetaWear commands', () => {
  it('builds BMI160 and BMI270 accelerometer configs', () => {
    expect(bytesToHex(metawearAccConfig('BMI160', 100, 2))).toBe('03 03 28 03');
    expect(bytesToHex(metawearAccConfig('BMI160', 100, 16))).toBe('03 03 28 0c');
    expect(bytesToHex(metawearAccConfig('BMI270', 100, 4))).toBe('03 03 a8 01');
    expect(bytesToHex(metawearGyroConfig('BMI160', 200, 2000))).toBe('13 03 29 00');
    expect(() => metawearAccConfig('BMI160', 100, 3)).toThrow(BleConfigError);
  });
  it('subscribes, enables and starts in the documented order', () => {
    expect(metawearStartCommands('BMI160', 'BMI160', 100, 4, 2000).slice(2).map((c) => bytesToHex(c))).toEqual([
      '03 04 01',
      '13 05 01',
      '03 02 01 00',
      '13 02 01 00',
      '03 01 01',
      '13 01 01',
    ]);
  });
});

describe('MetaWearDriver.decode', () => {
  it('passes the sensors.md vector: 03 04 16 c4 94 a2 2a d0 at ±4 g → x = −1.872 g', () => {
    const d = new MetaWearDriver({ accRangeG: 4 });
    expect(d.decode(view('03 04 16 c4 94 a2 2a d0'), 1, METAWEAR_NOTIFY).block).toBeNull(); // waits for its gyro partner
    const b = d.decode(view([0x13, 0x05, ...i16(164), ...i16(-1640), ...i16(0)]), 1.001, METAWEAR_NOTIFY).block!;
    expect(b.accMS2![0]! / STANDARD_GRAVITY_MS2).toBeCloseTo(-1.872, 3);
    expect(b.accMS2![1]! / STANDARD_GRAVITY_MS2).toBeCloseTo((0xa294 - 0x10000) / 8192, 9);
    expect(b.accMS2![2]! / STANDARD_GRAVITY_MS2).toBeCloseTo((0xd02a - 0x10000) / 8192, 9);
    expect(b.gyrRadS![0]).toBeCloseTo(10 * DEG_TO_RAD, 9); // 164 LSB / 16.4 LSB per °/s
    expect(b.gyrRadS![1]).toBeCloseTo(-100 * DEG_TO_RAD, 9);
  });

  it('decodes packed data (3 samples) and pairs in order', () => {
    const d = new MetaWearDriver({ accRangeG: 2, gyroRangeDps: 125 });
    const acc = [0, 0, 16384, 16384, 0, 0, 0, 16384, 0].flatMap(i16);
    const gyr = [262, 0, 0, 0, 262, 0, 0, 0, 262].flatMap(i16);
    d.decode(view([0x03, 0x1c, ...acc]), 1, METAWEAR_NOTIFY);
    const b = d.decode(view([0x13, 0x07, ...gyr]), 1.002, METAWEAR_NOTIFY).block!;
    expect(b.tS.length).toBe(3);
    expect(b.accMS2![2]).toBeCloseTo(STANDARD_GRAVITY_MS2, 9);
    expect(b.accMS2![3]).toBeCloseTo(STANDARD_GRAVITY_MS2, 9);
    expect(b.gyrRadS![8]).toBeCloseTo((262 / 262.4) * DEG_TO_RAD, 9);
    expect(b.tS[2]! - b.tS[1]!).toBeCloseTo(0.01, 9);
  });

  it('reports wrong lengths and unknown registers; ignores module info answers', () => {
    const d = new MetaWearDriver();
    expect(d.decode(view('03 04 16 c4'), 0, METAWEAR_NOTIFY).problems[0]).toMatchObject({ kind: 'malformed', driver: 'metawear' });
    expect(d.decode(view('05 07 01'), 0, METAWEAR_NOTIFY).problems[0]).toMatchObject({ kind: 'unsupported' });
    expect(d.decode(view('03 80 01 01'), 0, METAWEAR_NOTIFY)).toMatchObject({ block: null, problems: [] });
    expect(d.decode(view('03'), 0, METAWEAR_NOTIFY).problems[0]).toMatchObject({ kind: 'malformed' });
  });
});
