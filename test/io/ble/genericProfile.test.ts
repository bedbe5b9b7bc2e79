import { describe, expect, it } from 'vitest';
import { BleConfigError } from '../../../src/io/ble/errors';
import { GenericProfileDriver } from '../../../src/io/ble/genericProfile';
import type { GenericProfile } from '../../../src/io/ble/genericProfile';
import { NORDIC_UART, arduinoNano33Profile, nordicUartProfile } from '../../../src/io/ble/profilePresets';
import { parseStructLayout } from '../../../src/io/ble/structLayout';
import { DEG_TO_RAD, STANDARD_GRAVITY_MS2 } from '../../../src/samples/units';
import { f32, i16, u32, view } from './bytes';

describe('struct layouts', () => {
  it('parses counts, pads, byte order and sizes', () => {
    const l = parseStructLayout('<I6f');
    expect(l.size).toBe(28);
    expect(l.values.map((v) => v.code).join('')).toBe('Iffffff');
    expect(l.values[1]!.offset).toBe(4);
    const b = parseStructLayout('>hh2xH');
    expect(b).toMatchObject({ littleEndian: false, size: 8 });
    expect(b.values.map((v) => v.offset)).toEqual([0, 2, 6]);
    expect(() => parseStructLayout('<3z')).toThrow(RangeError);
    expect(() => parseStructLayout('@6f')).toThrow(RangeError);
    expect(() => parseStructLayout('<')).toThrow(RangeError);
  });
});

const SVC = '19b10000-e8f2-537e-4f6c-d104768a1214';
const CHR = '19b10001-e8f2-537e-4f6c-d104768a1214';

describe('GenericProfileDriver', () => {
  it('decodes the Nordic UART default <I6f with ms sensor times, several records per notification', () => {
    const p = nordicUartProfile({ rateHz: 100, start: '01' });
    expect(p).toMatchObject({ service: NORDIC_UART.service, notify: NORDIC_UART.tx, write: NORDIC_UART.rx });
    const d = new GenericProfileDriver(p, { sensorId: 'diy' });
    const rec = (ms: number, k: number) => [...u32(ms), ...f32(0, 0, 1, k, -k, 0)];
    const b = d.decode(view([...rec(1000, 0), ...rec(1010, 90), ...rec(1020, 180)]), 3, NORDIC_UART.tx).block!;
    expect(b.info.sensorId).toBe('diy');
    expect(b.tS.length).toBe(3);
    expect(b.tS[2]).toBeCloseTo(3, 12);
    expect(b.tS[1]! - b.tS[0]!).toBeCloseTo(0.01, 12);
    expect(b.accMS2![2]).toBeCloseTo(STANDARD_GRAVITY_MS2, 6);
    expect(b.gyrRadS![3]).toBeCloseTo(90 * DEG_TO_RAD, 6);
    // A lost record shows in the times.
    const r = d.decode(view(rec(1040, 0)), 3.03, NORDIC_UART.tx);
    expect(r.problems).toMatchObject([{ kind: 'dropped', missingSamples: 1 }]);
    expect(r.block!.gapBeforeS).toBeCloseTo(0.01, 9);
    expect(d.decode(view(rec(1040, 0)), 3.04, NORDIC_UART.tx).problems[0]).toMatchObject({ kind: 'duplicate' });
    expect(d.decode(view([1, 2, 3]), 3.05, NORDIC_UART.tx).problems[0]).toMatchObject({ kind: 'malformed', driver: 'generic:nordic-uart' });
  });

  it('decodes the Arduino Nano 33 <9f layout with host times', () => {
    const d = new GenericProfileDriver(arduinoNano33Profile({ service: SVC, characteristic: CHR, rateHz: 50, magnetometer: true }));
    const b = d.decode(view(f32(0, 1, 0, 0, 0, -10, 20, 30, -40)), 1, CHR).block!;
    expect(b.accMS2![1]).toBeCloseTo(STANDARD_GRAVITY_MS2, 6);
    expect(b.gyrRadS![2]).toBeCloseTo(-10 * DEG_TO_RAD, 6);
    expect([...b.magUT!]).toEqual([20, 30, -40]);
    expect(b.tS[0]).toBe(1);
  });

  it('applies per-field scale and unit on int16 layouts and unwraps u16 counters', () => {
    const p: GenericProfile = {
      name: 'counter',
      service: SVC,
      notify: CHR,
      layout: '<H6h',
      rateHz: 100,
      fields: [
        { role: 'time', unit: 'ms', scale: 10 },
        { role: 'accX', unit: 'mg', scale: 2 },
        { role: 'accY', unit: 'mg', scale: 2 },
        { role: 'accZ', unit: 'mg', scale: 2 },
        { role: 'gyrX', unit: 'mdps', scale: 70 },
        { role: 'gyrY', unit: 'mdps', scale: 70 },
        { role: 'gyrZ', unit: 'mdps', scale: 70 },
      ],
    };
    const d = new GenericProfileDriver(p);
    const rec = (tick: number) => [...[tick & 0xffff].flatMap((v) => [v & 0xff, v >> 8]), ...[500, 0, -500, 1000, 0, 0].flatMap(i16)];
    const b1 = d.decode(view(rec(65535)), 1, CHR).block!;
    expect(b1.accMS2![0]).toBeCloseTo(STANDARD_GRAVITY_MS2, 9);
    expect(b1.gyrRadS![0]).toBeCloseTo(70 * DEG_TO_RAD, 9);
    const b2 = d.decode(view(rec(0)), 1.01, CHR);
    expect(b2.problems).toEqual([]);
    expect(b2.block!.tS[0]! - b1.tS[0]!).toBeCloseTo(0.01, 9);
  });

  it('refuses inconsistent profiles', () => {
    const base = arduinoNano33Profile({ service: SVC, characteristic: CHR, rateHz: 50 });
    expect(() => new GenericProfileDriver({ ...base, layout: '<5f' })).toThrow(BleConfigError);
    expect(() => new GenericProfileDriver({ ...base, fields: base.fields.map((f, i) => (i === 4 ? { role: 'ignore' } : f)) })).toThrow(/gyr/);
    expect(() => new GenericProfileDriver({ ...base, fields: base.fields.map((f, i) => (i < 3 ? { ...f, unit: 'gauss' } : f)) })).toThrow(BleConfigError);
    expect(() => new GenericProfileDriver({ ...base, layout: '<3f', fields: base.fields.slice(0, 3) })).toThrow(/together/);
    expect(() => new GenericProfileDriver({ ...base, start: 'zz' })).toThrow(BleConfigError);
  });
});
