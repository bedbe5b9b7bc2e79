// Two live sensors on the clinic page: blocks arriving out of step across sensors (the thigh's
// packets late, jittered) are put back in time order (inTimeOrder) so the two-sensor knee
// measures as on the replay; per-sensor link status and signal lost (LinkBoard, WarningMonitor).
import { readFileSync } from 'node:fs';
import { from, lastValueFrom, tap, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { fuseOrientation } from '../../src/index';
import type { SampleBlock } from '../../src/index';
import { fromRecording } from '../../src/formats';
import { KneeMeter } from '../../examples/clinic/src/knee2';
import { LinkBoard, TWO_SENSORS } from '../../examples/clinic/src/sensors';
import { inTimeOrder } from '../../examples/clinic/src/timeOrder';
import { SIGNAL_LOST_S, WarningMonitor } from '../../examples/clinic/src/warnings';

const file = (path: string): File => new File([readFileSync(path)], path);
const truth = readFileSync('fixtures/knee-flexion/truth/reps.csv', 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[6]));

/** Both sensors' blocks in the order they would arrive: the thigh's `thighLateS` late, ± `jitterS` (deterministic). */
async function arrivals(thighLateS: number, jitterS: number): Promise<SampleBlock[]> {
  const [thigh, shank] = await Promise.all(['thigh', 'shank'].map((s) => lastValueFrom(fromRecording(file(`fixtures/knee-flexion/${s}.csv`), { blockSize: 10 }).pipe(toArray()))));
  let seed = 1;
  const rnd = (): number => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
  const timed = [...thigh!.map((b) => ({ b, atS: b.tS[b.tS.length - 1]! + thighLateS + jitterS * rnd() })), ...shank!.map((b) => ({ b, atS: b.tS[b.tS.length - 1]! + jitterS * rnd() }))];
  // One sensor's packets stay in order (fromSensor's per-stream order); the two interleave by arrival.
  return timed.sort((x, y) => x.atS - y.atS).map((x) => x.b);
}

async function measure(blocks: SampleBlock[], order: boolean): Promise<KneeMeter> {
  const m = new KneeMeter('right');
  const src = from(blocks);
  await lastValueFrom((order ? src.pipe(inTimeOrder(['thigh', 'shank'])) : src).pipe(fuseOrientation(), tap((b) => m.push(b)), toArray()));
  return m;
}

describe('clinic: two live sensors', () => {
  it('thigh packets 150 ms late (± 40 ms): in time order again, every rep within 2° of the truth', async () => {
    const blocks = await arrivals(0.15, 0.04);
    const raw = await measure(blocks, false);
    const m = await measure(blocks, true);
    console.log(`knee live-order: as arrived ${raw.trials.length} trials (state ${raw.state}); in time order ${m.trials.map((t) => t.valueDeg.toFixed(1)).join(' ')}; truth ${truth.map((x) => x.toFixed(1)).join(' ')}`);
    expect(raw.trials.length).toBeLessThan(truth.length); // as arrived, the shank outruns its thigh data: the ordering is what makes it work
    expect(m.trials.length).toBe(truth.length);
    m.trials.forEach((t, k) => expect(Math.abs(t.valueDeg - truth[k]!)).toBeLessThan(2));
  });

  it('inTimeOrder: output sorted by first sample and nothing lost; a silent sensor holds the other at most maxWaitS', async () => {
    const blocks = await arrivals(0.15, 0.04);
    const out = await lastValueFrom(from(blocks).pipe(inTimeOrder(['thigh', 'shank']), toArray()));
    expect(out.length).toBe(blocks.length);
    for (let i = 1; i < out.length; i++) expect(out[i]!.tS[0]!).toBeGreaterThanOrEqual(out[i - 1]!.tS[0]!);
    // Only the shank streams (thigh lost): each block comes out once the data is 0.5 s past it.
    const shank = blocks.filter((b) => b.info.sensorId === 'shank').slice(0, 40);
    const seen: number[] = [];
    const lagS: number[] = [];
    let newestS = -Infinity;
    from(shank).pipe(tap((b) => { newestS = b.tS[b.tS.length - 1]!; }), inTimeOrder(['thigh', 'shank'], 0.5)).subscribe((b) => { seen.push(b.tS[0]!); lagS.push(newestS - b.tS[0]!); });
    expect(seen.length).toBeGreaterThan(30);
    expect(Math.max(...lagS)).toBeLessThan(0.5 + 0.2);
  });

  it('WarningMonitor: with two watched sensors, the silent one alone is "signal lost"', () => {
    const m = new WarningMonitor(true, 0, TWO_SENSORS);
    const blk = (id: string, t0S: number): SampleBlock => ({ tS: Float64Array.from({ length: 10 }, (_, i) => t0S + i / 100), info: { sensorId: id, rateHz: 100 } }) as unknown as SampleBlock;
    m.onBlock(blk('thigh', 0), 100);
    m.onBlock(blk('shank', 0), 100);
    expect(m.list(undefined, 100 + SIGNAL_LOST_S * 1000 - 1, true).filter((w) => w.id === 'signal-lost')).toEqual([]);
    m.onBlock(blk('shank', 0.1), 1500); // only the shank keeps streaming
    const lost = m.list(undefined, 100 + SIGNAL_LOST_S * 1000 + 100, true).filter((w) => w.id === 'signal-lost');
    expect(lost.map((w) => w.sensorId)).toEqual(['thigh']);
    expect(lost[0]!.text).toMatch(/^Signal lost from the thigh sensor: no data for 1\.6 s/);
    // Interleaved sensors are no data gap (each sensor's times are compared with its own).
    expect(m.list(undefined, 1500, true).map((w) => w.id)).not.toContain('data-gap');
  });

  it('LinkBoard: each sensor its own link state; Stop marks both', () => {
    const board = new LinkBoard(TWO_SENSORS.map((s, i) => ({ ...s, name: `Movesense 0${i}` })));
    const quiet = { silentS: (id: string) => (id === 'shank' ? 3 : 0.1) };
    board.onEvent('thigh', { type: 'connected', tS: 0.5, attempt: 0 });
    expect(board.allConnected()).toBe(false);
    board.onEvent('shank', { type: 'connected', tS: 0.6, attempt: 0 });
    expect(board.allConnected()).toBe(true);
    board.onEvent('shank', { type: 'reconnecting', tS: 5, attempt: 1, delayS: 0.5 });
    const [t, s] = board.items(quiet, 0, true);
    expect(t).toMatchObject({ sensorId: 'thigh', link: 'connected', signal: 'ok', text: 'Thigh sensor: Movesense 00, connected' });
    expect(s).toMatchObject({ sensorId: 'shank', link: 'reconnecting', signal: 'lost' });
    expect(s!.text).toBe('Shank sensor: Movesense 01, reconnecting (attempt 1)…, signal lost (no data for 3.0 s)');
    board.stopAll();
    board.onEvent('thigh', { type: 'connected', tS: 6, attempt: 1 }); // after Stop nothing revives it
    expect(board.items(quiet, 0, false).map((x) => `${x.link}/${x.signal}`)).toEqual(['stopped/ok', 'stopped/ok']);
  });
});
