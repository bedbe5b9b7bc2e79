// The clinic page's warnings with a clock the test controls (warnings.ts takes every time as an argument).
import { describe, expect, it } from 'vitest';
import type { SampleBlock } from '../../src/index';
import { CALIBRATION_STALE_S, SIGNAL_LOST_S, WarningMonitor } from '../../examples/clinic/src/warnings';
import type { MeterView } from '../../examples/clinic/src/warnings';

const measuring: MeterView = { state: 'measuring', outOfPlane: false, slipped: false, restOffsetDeg: NaN };
function block(t0S: number, n = 10, rateHz = 100, gapBeforeS?: number): SampleBlock {
  const tS = Float64Array.from({ length: n }, (_, i) => t0S + i / rateHz);
  return { tS, info: { sensorId: 's', rateHz }, ...(gapBeforeS ? { gapBeforeS } : {}) } as unknown as SampleBlock;
}
const ids = (m: WarningMonitor, nowMs: number, meter: MeterView = measuring, streaming = true): string[] => m.list(meter, nowMs, streaming).map((w) => w.id);

describe('clinic warnings', () => {
  it('live: signal lost only after SIGNAL_LOST_S without a block, and only while streaming', () => {
    const m = new WarningMonitor(true, 0);
    m.onBlock(block(0), 1000);
    expect(ids(m, 1000 + SIGNAL_LOST_S * 1000 - 1)).not.toContain('signal-lost');
    expect(ids(m, 1000 + SIGNAL_LOST_S * 1000 + 1)).toContain('signal-lost');
    expect(ids(m, 9000, measuring, false)).not.toContain('signal-lost');
    m.onBlock(block(0.1), 9000);
    expect(ids(m, 9100)).not.toContain('signal-lost');
  });
  it('a replay never reports wall-clock silence, but does report a gap in its data', () => {
    const m = new WarningMonitor(false, 0);
    m.onBlock(block(0), 0);
    m.onBlock(block(0.1), 0);
    expect(ids(m, 60_000)).toEqual([]);
    m.onBlock(block(2.2), 60_000); // last sample 0.19 s → 2.2 s: 2.01 s missing
    const w = m.list(measuring, 60_000, true).find((x) => x.id === 'data-gap');
    expect(w?.text).toMatch(/Signal lost for 2\.0 s at 0\.2 s/);
    const n = new WarningMonitor(false, 0);
    n.onBlock(block(0), 0);
    n.onBlock(block(1.2), 0); // 1.01 s: under the threshold
    expect(ids(n, 0)).not.toContain('data-gap');
  });
  it('calibration stale after CALIBRATION_STALE_S: wall time live, recording time in a replay', () => {
    const live = new WarningMonitor(true, 0);
    live.onBlock(block(0), 0);
    live.onCalibrated(5000);
    live.onBlock(block(0.1), 5000 + (CALIBRATION_STALE_S - 1) * 1000);
    expect(ids(live, 5000 + (CALIBRATION_STALE_S - 1) * 1000)).not.toContain('calibration-stale');
    live.onBlock(block(0.2), 5000 + (CALIBRATION_STALE_S + 1) * 1000);
    expect(ids(live, 5000 + (CALIBRATION_STALE_S + 1) * 1000)).toContain('calibration-stale');
    const rep = new WarningMonitor(false, 0);
    rep.onBlock(block(1), 0);
    rep.onCalibrated(0);
    for (let t = 1.1; t < CALIBRATION_STALE_S; t += 0.1) rep.onBlock(block(t), 0);
    expect(ids(rep, 0)).not.toContain('calibration-stale');
    rep.onBlock(block(CALIBRATION_STALE_S + 1.2), 0);
    expect(ids(rep, 0)).toContain('calibration-stale');
    expect(rep.calibrationAgeS(0)).toBeCloseTo(CALIBRATION_STALE_S + 0.2, 6);
  });
  it('magnetic disturbance only once the filter has seen an undisturbed field', () => {
    const m = new WarningMonitor(false, 0);
    m.onBlock(block(0), 0, true); // no reference yet: the filter's flag is meaningless
    expect(ids(m, 0)).not.toContain('magnetic');
    m.onBlock(block(0.1), 0, false);
    m.onBlock(block(0.2), 0, true);
    expect(ids(m, 0)).toContain('magnetic');
    m.onBlock(block(0.3), 0, false);
    expect(ids(m, 0)).not.toContain('magnetic');
  });
  it('sensor slipped, calibrating and out-of-plane come from the meter', () => {
    const m = new WarningMonitor(false, 0);
    expect(ids(m, 0, { state: 'waiting-still', outOfPlane: false, slipped: false, restOffsetDeg: NaN })).toEqual(['calibrating']);
    const w = m.list({ state: 'measuring', outOfPlane: true, slipped: true, restOffsetDeg: 14.6 }, 0, true);
    expect(w.map((x) => x.id)).toEqual(['out-of-plane', 'slipped']);
    expect(w[1]!.text).toContain('15°');
  });
});
