import { describe, expect, it } from 'vitest';
import * as vec3 from '../../src/math/vec3';
import { MagneticField } from '../../src/sim/magnetic';
import { staticScenario } from '../../src/sim/scenarios';
import { SimInputError } from '../../src/sim/sim-error';
import { simulate } from '../../src/sim/simulate';

const DEG = Math.PI / 180;

describe('MagneticField', () => {
  it('defaults to 50 µT at 65° dip, pointing north and down', () => {
    const m = new MagneticField().fieldAt(vec3.create(), [0, 0, 0], 0);
    expect(m[0]).toBe(0);
    expect(m[1]).toBeCloseTo(50 * Math.cos(65 * DEG), 12);
    expect(m[2]).toBeCloseTo(-50 * Math.sin(65 * DEG), 12);
  });

  it('a dipole adds μ0/4π (3 r̂(m·r̂) − m)/r³: on-axis 2m/r³, broadside −m/r³', () => {
    const f = new MagneticField({
      fieldUT: 0,
      disturbances: [{ type: 'dipole', positionM: [1, 1, 1], momentAm2: [0, 0, 0.5] }],
    });
    const onAxis = f.fieldAt(vec3.create(), [1, 1, 1.2], 0);
    expect(onAxis[2]).toBeCloseTo((1e-7 * 1e6 * 2 * 0.5) / 0.2 ** 3, 9); // 12.5 µT
    expect(Math.abs(onAxis[0]!) + Math.abs(onAxis[1]!)).toBeLessThan(1e-12);
    const side = f.fieldAt(vec3.create(), [1.2, 1, 1], 0);
    expect(side[2]).toBeCloseTo((-1e-7 * 1e6 * 0.5) / 0.2 ** 3, 9);
    // Finite at the dipole itself (clamped distance).
    expect(Number.isFinite(f.fieldAt(vec3.create(), [1, 1, 1], 0)[2]!)).toBe(true);
  });

  it('disturbances act only inside their time window and region', () => {
    const f = new MagneticField({
      fieldUT: 0,
      disturbances: [{ type: 'uniform', fieldUT: [5, 0, 0], centerM: [0, 0, 1], radiusM: 0.5, startS: 10, endS: 20 }],
    });
    expect(f.fieldAt(vec3.create(), [0, 0, 1], 9.99)[0]).toBe(0);
    expect(f.fieldAt(vec3.create(), [0, 0, 1], 10)[0]).toBe(5);
    expect(f.fieldAt(vec3.create(), [0, 0.4, 1], 15)[0]).toBe(5);
    expect(f.fieldAt(vec3.create(), [0, 0.6, 1], 15)[0]).toBe(0);
    expect(f.fieldAt(vec3.create(), [0, 0, 1], 20)[0]).toBe(0);
  });

  it('a simulated sensor sees the disturbance appear and vanish', () => {
    const sc = staticScenario({
      durationS: 3,
      magneticField: { disturbances: [{ type: 'uniform', fieldUT: [0, 0, 20], startS: 1, endS: 2 }] },
    });
    const m = simulate(sc, { rateHz: 10 }).blocks.imu![0]!.magUT!;
    const z = (k: number) => m[3 * k + 2]!;
    expect(z(5)).toBeCloseTo(-50 * Math.sin(65 * DEG), 12);
    expect(z(15)).toBeCloseTo(-50 * Math.sin(65 * DEG) + 20, 12);
    expect(z(25)).toBeCloseTo(z(5), 12);
  });

  it('rejects impossible fields', () => {
    expect(() => new MagneticField({ inclinationDeg: 95 })).toThrow(SimInputError);
    expect(() => new MagneticField({ fieldUT: -1 })).toThrow(SimInputError);
    expect(() => new MagneticField({ disturbances: [{ type: 'uniform', fieldUT: [1, 0, 0], startS: 2, endS: 1 }] })).toThrow(SimInputError);
  });
});
