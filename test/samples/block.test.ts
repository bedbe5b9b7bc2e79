import { describe, expect, it } from 'vitest';
import {
  MissingChannelError,
  concatBlocks,
  createBlock,
  isInertial,
  requireInertial,
  requireOrientation,
  sliceBlock,
  type InertialBlock,
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
});
