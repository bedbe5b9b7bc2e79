import { describe, expect, it } from 'vitest';
import {
  ACC_ONLY_HINT,
  MissingChannelError,
  isAccel,
  isAccelOnly,
  requireAccel,
  concatBlocks,
  createBlock,
  isInertial,
  requireInertial,
  requireOrientation,
  sliceBlock,
  type InertialBlock,
  type SampleBlock,
} from '../../src/samples/block';

const info = { sensorId: 's' };

function ramp(n: number, t0: number): InertialBlock {
  const b = createBlock(info, n, { mag: true });
  for (let i = 0; i < n; i++) {
    b.tS[i] = t0 + i * 0.01;
    b.accMS2.fill(i, 3 * i, 3 * i + 3);
    b.gyrRadS.fill(-i, 3 * i, 3 * i + 3);
    b.magUT!.fill(10 * i, 3 * i, 3 * i + 3);
  }
  return b;
}

describe('SampleBlock helpers', () => {
  it('createBlock allocates exactly the requested channels', () => {
    const b = createBlock(info, 4, { quat: true });
    expect(b.accMS2.length).toBe(12);
    expect(b.gyrRadS.length).toBe(12);
    expect(b.quat!.length).toBe(16);
    expect(b.magUT).toBeUndefined();
    const o = createBlock(info, 4, { inertial: false, quat: true });
    expect(o.accMS2).toBeUndefined();
    expect(isInertial(o)).toBe(false);
    expect(() => requireInertial(o, 'fusion')).toThrow(MissingChannelError);
    expect(() => requireInertial(o, 'fusion')).toThrow("fusion: sensor 's' has no acc channel");
    expect(requireOrientation(o, 'angles').quat.length).toBe(16);
  });

  it('sliceBlock shares memory and keeps the gap flag only at the start', () => {
    const b = { ...ramp(10, 0), gapBeforeS: 0.5 };
    const s = sliceBlock(b, 2, 5);
    expect(Array.from(s.tS)).toEqual([0.02, 0.03, 0.04]);
    expect(Array.from(s.accMS2!)).toEqual([2, 2, 2, 3, 3, 3, 4, 4, 4]);
    s.accMS2![0] = 99;
    expect(b.accMS2[6]).toBe(99);
    expect(s.gapBeforeS).toBeUndefined();
    expect(sliceBlock(b, 0, 3).gapBeforeS).toBe(0.5);
    expect(sliceBlock(b, 8, 100).tS.length).toBe(2); // clamped
  });

  it('concatBlocks joins values and reports gaps between blocks', () => {
    const a = ramp(3, 0);
    const b = { ...ramp(2, 1), gapBeforeS: 0.97 };
    const { block, gaps } = concatBlocks([a, b]);
    expect(Array.from(block.tS)).toEqual([0, 0.01, 0.02, 1, 1.01]);
    expect(Array.from(block.gyrRadS!)).toEqual([-0, -0, -0, -1, -1, -1, -2, -2, -2, -0, -0, -0, -1, -1, -1]);
    expect(block.magUT!.length).toBe(15);
    expect(gaps).toEqual([{ atIndex: 3, gapS: 0.97 }]);
    expect(block.gapBeforeS).toBeUndefined();
  });

  it('concatBlocks drops a channel that some blocks lack instead of inventing values', () => {
    const a = ramp(2, 0);
    const b = createBlock(info, 2);
    const { block } = concatBlocks([a, b]);
    expect(block.magUT).toBeUndefined();
    expect(() => concatBlocks([])).toThrow(RangeError);
  });

  it('accelerometer-only blocks (Polar H10): created with gyr: false, refused by fusion with the H10 hint', () => {
    const h = createBlock({ sensorId: 'chest' }, 3, { gyr: false, mag: true });
    expect(h.accMS2.length).toBe(9);
    expect(h.gyrRadS).toBeUndefined();
    expect(h.magUT!.length).toBe(9);
    expect([isAccel(h), isAccelOnly(h), isInertial(h)]).toEqual([true, true, false]);
    expect(requireAccel(h, 'inclination').accMS2).toBe(h.accMS2);
    let err: unknown;
    try {
      requireInertial(h, 'fusion');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MissingChannelError);
    expect(err).toMatchObject({ sensorId: 'chest', channel: 'gyr', stage: 'fusion', hint: ACC_ONLY_HINT });
    expect((err as Error).message).toBe(`fusion: sensor 'chest' has no gyr channel — ${ACC_ONLY_HINT}`);
    expect((err as Error).message).toMatch(/accelerometer-only sensor \(such as the Polar H10\)/);
    const o = createBlock(info, 1, { inertial: false, quat: true });
    expect([isAccel(o), isAccelOnly(o)]).toEqual([false, false]);
    expect(() => requireAccel(o, 'inclination')).toThrow("inclination: sensor 's' has no acc channel");
    // A full IMU is not accelerometer-only.
    expect(isAccelOnly(createBlock(info, 1))).toBe(false);
  });

  it('concatBlocks keeps accelerometer-only channels, and keeps acc only when some blocks lack a gyroscope', () => {
    const h1 = createBlock(info, 2, { gyr: false });
    const h2 = createBlock(info, 1, { gyr: false });
    h1.accMS2.set([1, 2, 3, 4, 5, 6]);
    h2.accMS2.set([7, 8, 9]);
    const { block } = concatBlocks([h1, h2]);
    expect(Array.from(block.accMS2)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(block.gyrRadS).toBeUndefined();
    const full = ramp(2, 0);
    const mixed = concatBlocks<SampleBlock>([full, h2]).block;
    expect(Array.from(mixed.accMS2!)).toEqual([0, 0, 0, 1, 1, 1, 7, 8, 9]);
    expect(mixed.gyrRadS).toBeUndefined();
    expect(mixed.magUT).toBeUndefined();
    expect(sliceBlock(block, 1, 2).gyrRadS).toBeUndefined();
  });
});
