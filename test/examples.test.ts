import { describe, expect, it } from 'vitest';
import { quickstart } from '../examples/quickstart';
import { liveNode } from '../examples/live-node';

describe('examples/', () => {
  it('quickstart: the simulated knee reaches the commanded 90° and has 3 reps, no gaps', () => {
    const r = quickstart();
    expect(r.reps).toBe(3);
    expect(r.gaps).toBe(0);
    expect(r.peakKneeDeg).toBeCloseTo(90, 6);
  });

  it('live-node: the bundled Movesense capture streams through the pipeline: 5 reps, one reconnect, the gap marked, every sample recorded', async () => {
    const lines: string[] = [];
    const r = await liveNode((l) => lines.push(l));
    expect(r).toEqual({ samples: 1966, reps: 5, reconnects: 1, gaps: 1, recordedRows: 1966 });
    expect(lines.filter((l) => l.includes('REP '))).toHaveLength(5);
    expect(lines.some((l) => /angle +\d+°/.test(l))).toBe(true);
  });
});
