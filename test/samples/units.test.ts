import { describe, expect, it } from 'vitest';
import {
  DEG_TO_RAD,
  RAD_TO_DEG,
  STANDARD_GRAVITY_MS2,
  UnknownUnitError,
  internalUnit,
  knownUnitNames,
  parseUnit,
  toInternalInPlace,
  type Quantity,
} from '../../src/samples/units';

function factor(text: string, q: Quantity): number {
  return parseUnit(text, q).toInternal;
}

describe('constants', () => {
  it('standard gravity and degree factors', () => {
    expect(STANDARD_GRAVITY_MS2).toBe(9.80665);
    expect(180 * DEG_TO_RAD).toBeCloseTo(Math.PI, 15);
    expect(DEG_TO_RAD * RAD_TO_DEG).toBeCloseTo(1, 15);
  });
});

describe('parseUnit: time', () => {
  it.each([
    ['s', 1],
    ['sec', 1],
    ['Seconds', 1],
    ['ms', 1e-3],
    ['msec', 1e-3],
    ['us', 1e-6],
    ['µs', 1e-6],
    ['μs', 1e-6], // Greek mu
    ['ns', 1e-9],
    ['min', 60],
    [' minutes ', 60],
    ['h', 3600],
  ])('%s', (text, f) => {
    expect(factor(text, 'time')).toBe(f);
  });
  it('refuses ambiguous upper case', () => {
    expect(() => parseUnit('MS', 'time')).toThrow(UnknownUnitError);
    expect(() => parseUnit('S', 'time')).toThrow(/ambiguous/);
  });
});

describe('parseUnit: acceleration', () => {
  it.each([
    ['m/s^2', 1],
    ['m/s2', 1],
    ['m/s²', 1],
    ['mps2', 1],
    ['M/S^2', 1],
    ['m s^-2', 1],
    ['m·s⁻²', 1],
    ['m/s/s', 1],
    ['m / sec^2', 1],
    ['cm/s^2', 0.01],
    ['Gal', 0.01],
    ['g', 9.80665],
    ['G', 9.80665],
  ])('%s', (text, f) => {
    expect(factor(text, 'acceleration')).toBe(f);
  });
  it('milli-g in both cases, but not MG', () => {
    expect(factor('mg', 'acceleration')).toBeCloseTo(9.80665e-3, 17);
    expect(factor('mG', 'acceleration')).toBeCloseTo(9.80665e-3, 17);
    expect(parseUnit('mG', 'acceleration').name).toBe('mg');
    expect(() => parseUnit('MG', 'acceleration')).toThrow(/mega-g/);
  });
  it('1 g converts to 9.80665 m/s²', () => {
    const d = new Float64Array([1, -2, 0.5]);
    toInternalInPlace(d, parseUnit('g', 'acceleration'));
    expect(Array.from(d)).toEqual([9.80665, -19.6133, 4.903325]);
  });
});

describe('parseUnit: angular rate', () => {
  it.each([
    ['rad/s', 1],
    ['RAD/S', 1],
    ['rad s^-1', 1],
    ['mrad/s', 1e-3],
    ['deg/s', Math.PI / 180],
    ['dps', Math.PI / 180],
    ['°/s', Math.PI / 180],
    ['deg/sec', Math.PI / 180],
    ['degrees per second', Math.PI / 180],
    ['DPS', Math.PI / 180],
    ['mdps', Math.PI / 180 / 1000],
    ['rpm', (2 * Math.PI) / 60],
    ['rev/s', 2 * Math.PI],
  ])('%s', (text, f) => {
    expect(factor(text, 'angular-rate')).toBeCloseTo(f, 15);
  });
  it('180 deg/s is π rad/s', () => {
    const d = toInternalInPlace(new Float64Array([180]), parseUnit('deg/s', 'angular-rate'));
    expect(d[0]).toBeCloseTo(Math.PI, 14);
  });
  it('refuses rps and Hz as ambiguous', () => {
    expect(() => parseUnit('rps', 'angular-rate')).toThrow(/ambiguous/);
    expect(() => parseUnit('Hz', 'angular-rate')).toThrow(/ambiguous/);
  });
});

describe('parseUnit: magnetic field', () => {
  it.each([
    ['uT', 1],
    ['µT', 1],
    ['μT', 1],
    ['UT', 1],
    ['microtesla', 1],
    ['nT', 1e-3],
    ['mT', 1e3],
    ['T', 1e6],
    ['gauss', 100],
    ['Gauss', 100],
    ['G', 100],
    ['Gs', 100],
    ['mG', 0.1],
    ['mgauss', 0.1],
    ['milligauss', 0.1],
  ])('%s', (text, f) => {
    expect(factor(text, 'magnetic-field')).toBe(f);
  });
  it('1 gauss = 100 µT and 1 mG = 0.1 µT', () => {
    const d = new Float64Array([1, 1]);
    toInternalInPlace(d, parseUnit('gauss', 'magnetic-field'), 0, 1);
    toInternalInPlace(d, parseUnit('mG', 'magnetic-field'), 1, 2);
    expect(d[0]).toBe(100);
    expect(d[1]).toBeCloseTo(0.1, 16);
  });
  it('mG means milligauss here, milli-g for acceleration', () => {
    expect(parseUnit('mG', 'magnetic-field').name).toBe('mgauss');
    expect(parseUnit('mG', 'acceleration').name).toBe('mg');
  });
  it('rejects oersted with an explanation', () => {
    for (const oe of ['Oe', 'oe', 'oersted', 'A/m']) {
      expect(() => parseUnit(oe, 'magnetic-field')).toThrow(/field strength H/);
    }
  });
  it('rejects case slips that change the meaning', () => {
    expect(() => parseUnit('MG', 'magnetic-field')).toThrow(/megagauss/);
    expect(() => parseUnit('MT', 'magnetic-field')).toThrow(/megatesla/);
    expect(() => parseUnit('g', 'magnetic-field')).toThrow(/not gauss/);
    expect(() => parseUnit('t', 'magnetic-field')).toThrow(UnknownUnitError);
    expect(() => parseUnit('mg', 'magnetic-field')).toThrow(/unit of acceleration/);
  });
});

describe('parseUnit: dimensionless and errors', () => {
  it('accepts empty, 1 and -', () => {
    for (const t of ['', '1', ' - ', 'none']) expect(parseUnit(t, 'dimensionless').toInternal).toBe(1);
  });
  it('unknown units throw a typed error carrying the text and quantity', () => {
    try {
      parseUnit('furlong/fortnight', 'angular-rate');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UnknownUnitError);
      const u = e as UnknownUnitError;
      expect(u.unitText).toBe('furlong/fortnight');
      expect(u.quantity).toBe('angular-rate');
      expect(u.message).toContain('deg/s');
    }
  });
  it('names the quantity a unit belongs to when used for the wrong one', () => {
    expect(() => parseUnit('deg/s', 'acceleration')).toThrow(/unit of angular-rate/);
    expect(() => parseUnit('uT', 'time')).toThrow(/unit of magnetic-field/);
  });
});

describe('internalUnit, toInternalInPlace', () => {
  it('internal units have factor 1', () => {
    expect(internalUnit('time').name).toBe('s');
    expect(internalUnit('acceleration').name).toBe('m/s^2');
    expect(internalUnit('angular-rate').name).toBe('rad/s');
    expect(internalUnit('magnetic-field').name).toBe('uT');
    expect(internalUnit('dimensionless').name).toBe('1');
    for (const q of ['time', 'acceleration', 'angular-rate', 'magnetic-field', 'dimensionless'] as const) {
      expect(internalUnit(q).toInternal).toBe(1);
      // The internal unit's own name parses back to itself.
      expect(parseUnit(internalUnit(q).name, q)).toBe(internalUnit(q));
    }
  });
  it('every canonical name parses back to its unit', () => {
    for (const q of ['time', 'acceleration', 'angular-rate', 'magnetic-field'] as const) {
      for (const name of knownUnitNames(q)) expect(parseUnit(name, q).name).toBe(name);
    }
  });
  it('converts only the given range', () => {
    const d = new Float64Array([1, 2, 3, 4]);
    toInternalInPlace(d, parseUnit('ms', 'time'), 1, 3);
    expect(Array.from(d)).toEqual([1, 0.002, 0.003, 4]);
  });
  it('rejects a range outside the array', () => {
    expect(() => toInternalInPlace(new Float64Array(2), parseUnit('ms', 'time'), 0, 3)).toThrow(RangeError);
  });
});
