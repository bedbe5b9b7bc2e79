import { describe, expect, it } from 'vitest';
import { quickstart } from '../examples/quickstart';

describe('examples/', () => {
  it('quickstart: the simulated knee reaches the commanded 90° and has 3 reps, no gaps', () => {
    const r = quickstart();
    expect(r.reps).toBe(3);
    expect(r.gaps).toBe(0);
    expect(r.peakKneeDeg).toBeCloseTo(90, 6);
  });
});
