/**
 * The reorder buffer in fromSensor over a FakeTransport: a recorded Movesense stream with
 * lost, duplicated, reordered and late packets and a disconnect → packets put back in place,
 * the late one kept and reported, the reconnect gap marked, and every sample accounted for.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MovesenseDriver } from '../../src/io/ble/movesense';
import { movesensePacketOrder } from '../../src/io/ble/packetOrder';
import { parseCanonicalCsv } from '../../src/io/canonicalCsv';
import { fromSensor, sensorEvents } from '../../src/pipeline/fromSensor';
import { record } from '../../src/pipeline/record';
import { MemoryCsvSink } from '../../src/pipeline/sinks';
import { concatBlocks } from '../../src/samples/block';
import { validateBlock } from '../../src/samples/validate';
import type { SampleBlock } from '../../src/samples/block';
import type { PacketOrderEvent, SensorEvent } from '../../src/pipeline/events';
import { SampleAccount } from '../../src/pipeline/sampleAccount';
import { PipelineParamError } from '../../src/pipeline/errors';
import { PER_PACKET, RATE_HZ, movesenseDeliveries, range, until } from './helpers';

const FAST = { initialDelayS: 0.002, maxDelayS: 0.008, maxAttempts: 5 };

function run(plan: readonly (number | 'disconnect')[], windowPackets = 4) {
  const fake = movesenseDeliveries(plan).fake();
  const account = new SampleAccount();
  const events: SensorEvent[] = [];
  const sub = sensorEvents(fake, new MovesenseDriver({ rateHz: RATE_HZ }), {
    nowS: () => fake.nowS(),
    reconnect: FAST,
    account,
    reorder: { order: movesensePacketOrder(['IMU9']), windowPackets, idleFlushS: 0.01 },
  }).subscribe((e) => events.push(e));
  const of = <T extends SensorEvent['type']>(type: T) => events.filter((e): e is Extract<SensorEvent, { type: T }> => e.type === type);
  const blocks = () => of('block').map((e) => e.block);
  return { fake, account, events, sub, of, blocks };
}

describe('fromSensor: reorder buffer', () => {
  it('drops, duplicates, reordering within and beyond the window, and a disconnect: every count exact', async () => {
    const plan = [
      // Segment A, packets 0–29: 10 and 11 lost; 20 repeated while held and 27 after release; 26 overtakes 25.
      ...range(0, 10), ...range(12, 20), 20, 21, 22, 20, 23, 24, 26, 25, 27, 28, 27, 29,
      'disconnect', // the sensor keeps sampling: packets 30–55 are never sent
      // Segment B, packets 56–95: 70 overtaken by three (reordered); 80 by six (late); 90 repeated at the end.
      ...range(56, 70), 71, 72, 73, 70, ...range(74, 80), ...range(81, 87), 80, ...range(87, 96), 90,
    ] as const;
    const r = run(plan);
    await r.fake.whenDone();
    await until(() => r.account.emittedSamples === 134);
    await new Promise((res) => setTimeout(res, 30)); // anything still held or stray would show by now
    const a = r.account;
    expect(a.snapshot()).toEqual({
      receivedSamples: 142, // 71 deliveries × 2
      emittedSamples: 134, // received less the three duplicates and the late packet
      duplicateSamples: 6,
      reorderedSamples: 4, // packets 25 and 70
      lateSamples: 2, // packet 80
      lostSamples: 56, // 10, 11 and the 26 packets during the disconnect
      sentSamples: 192, // packets 0–95
    });
    expect(a.missingReportedSamples).toBe(6); // 10–11, and 80 while it was missing
    expect(a.reconnectGapSamples).toBe(52);
    const order = r.of('packet-order') as PacketOrderEvent[];
    expect(order.map((e) => `${e.outcome}:${e.key}`)).toEqual(
      [['duplicate', 20], ['duplicate', 27], ['reordered', 25], ['reordered', 70], ['late', 80], ['duplicate', 90]].map(([o, k]) => `${o}:${5000 + Math.round(((k as number) * PER_PACKET * 1000) / RATE_HZ)}`),
    );
    // Packets put back in place: the decoder saw one drop before the disconnect and one while 80 was late.
    const kinds = r.of('problem').map((e) => e.problem.kind);
    expect(kinds.filter((k) => k === 'dropped')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'duplicate')).toHaveLength(0);
    expect(kinds.filter((k) => k === 'out-of-order')).toHaveLength(1); // packet 80, decoded where it came
    expect(r.of('gap')).toHaveLength(1);
    expect(r.of('gap')[0]!.gapS).toBeCloseTo(26 * PER_PACKET / RATE_HZ, 2);
    // The block stream is in time order; the gap packet 80 left stays marked there, and its samples, kept in
    // the late event, fall right into it.
    const t = r.blocks().flatMap((b) => [...b.tS]);
    for (let i = 1; i < t.length; i++) expect(t[i]!).toBeGreaterThan(t[i - 1]!);
    const late = order.find((e) => e.outcome === 'late')!.block!;
    expect(late.tS.length).toBe(2);
    const after = r.blocks().find((b) => b.tS[0]! > late.tS[1]!)!;
    const before = r.blocks().filter((b) => b.tS[0]! < late.tS[0]!).at(-1)!;
    expect(after.gapBeforeS).toBeCloseTo(2 / RATE_HZ, 3);
    expect(late.tS[0]! - before.tS.at(-1)!).toBeCloseTo(1 / RATE_HZ, 3);
    expect(after.tS[0]! - late.tS[1]!).toBeCloseTo(1 / RATE_HZ, 3);
    expect(a.receivedSamples).toBe(a.emittedSamples + a.duplicateSamples + a.lateSamples);
    expect(r.fake.mismatches).toEqual([]);
    r.sub.unsubscribe();
  });

  it('a disconnect releases what is held, in order, before the driver restarts', async () => {
    const r = run([...range(0, 6), 7, 6, 'disconnect', ...range(20, 30)], 8);
    await r.fake.whenDone();
    await until(() => r.account.emittedSamples === 2 * 18);
    const disc = r.events.findIndex((e) => e.type === 'disconnected');
    const before = r.events.slice(0, disc).filter((e) => e.type === 'block').length;
    expect(before).toBe(8); // every packet of the first segment, before the disconnect event
    expect(r.account.reorderedSamples).toBe(2);
    expect(r.account.lostSamples).toBe(2 * 12);
    r.sub.unsubscribe();
  });

  it('property: any arrival order within the window comes out in order, nothing lost, duplicated or late', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 8, max: 40 }), fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })), async (w, n, noise) => {
        // Sorted by index + U[0, w): a packet is overtaken by fewer than w later ones, so a window of w puts all back.
        const it = noise[Symbol.iterator]();
        const plan = range(0, n)
          .map((k) => ({ k, at: k + it.next().value! * w }))
          .sort((x, y) => x.at - y.at)
          .map((x) => x.k);
        const overtaken = plan.filter((k, i) => plan.slice(0, i).some((j) => j > k)).length;
        const r = run(plan, w);
        await r.fake.whenDone();
        await until(() => r.account.emittedSamples === 2 * n);
        const t = r.blocks().flatMap((b) => [...b.tS]);
        for (let i = 1; i < t.length; i++) if (!(t[i]! > t[i - 1]!)) return false;
        r.sub.unsubscribe();
        const a = r.account.snapshot();
        return a.receivedSamples === 2 * n && a.reorderedSamples === 2 * overtaken && a.lateSamples === 0 && a.duplicateSamples === 0 && a.lostSamples === 0 && a.sentSamples === 2 * n && !r.of('problem').length;
      }),
      { numRuns: 25 },
    );
  });
});

describe('fromSensor: session clock', () => {
  async function lastOffsetS(alignClock: false | undefined): Promise<number> {
    // The host clock runs 1000 ppm fast against the sensor's: 62 s of packets end 62 ms apart.
    const fake = movesenseDeliveries(range(0, 1600), 1.001).fake();
    const blocks: { tS: number; arrivalS: number }[] = [];
    const sub = sensorEvents(fake, new MovesenseDriver({ rateHz: RATE_HZ }), { nowS: () => fake.nowS(), reconnect: FAST, ...(alignClock === false ? { alignClock } : {}) }).subscribe((e) => {
      if (e.type === 'block') blocks.push({ tS: e.block.tS[e.block.tS.length - 1]!, arrivalS: fake.nowS() });
    });
    await fake.whenDone();
    await until(() => blocks.length === 1600);
    sub.unsubscribe();
    const t = blocks.map((b) => b.tS);
    for (let i = 1; i < t.length; i++) expect(t[i]!).toBeGreaterThan(t[i - 1]!);
    return blocks.at(-1)!.arrivalS - blocks.at(-1)!.tS;
  }

  it('times follow a drifting sensor clock onto the host clock (off: they drift away)', async () => {
    expect(Math.abs(await lastOffsetS(undefined))).toBeLessThan(0.001);
    expect(await lastOffsetS(false)).toBeGreaterThan(0.05);
  });
});

describe('fromSensor: recording a faulty stream', () => {
  it('the recording of a stream with drops, reordering, a late packet and a reconnect replays to the identical samples', async () => {
    const plan = [...range(0, 10), ...range(12, 30), 31, 30, 'disconnect', ...range(56, 70), ...range(71, 78), 70, ...range(78, 90)] as const;
    const fake = movesenseDeliveries(plan).fake();
    const sink = new MemoryCsvSink();
    const blocks: SampleBlock[] = [];
    const sub = fromSensor(fake, new MovesenseDriver({ rateHz: RATE_HZ }), { nowS: () => fake.nowS(), reconnect: FAST, reorder: { order: movesensePacketOrder(), idleFlushS: 0.01 } })
      .pipe(record(sink))
      .subscribe((b) => blocks.push(b));
    await fake.whenDone();
    await until(() => blocks.reduce((n, b) => n + b.tS.length, 0) === 2 * (plan.length - 2)); // all but the late packet 70 and the disconnect
    sub.unsubscribe();
    const live = concatBlocks(blocks).block;
    const parsed = parseCanonicalCsv(sink.text('movesense-gsp'), { file: 'movesense-gsp.csv' });
    const replayed = concatBlocks(parsed).block;
    // The gaps marked in the stream are in the recording's time column: validating the replay finds them, with their sizes.
    const declared: number[] = [];
    blocks.reduce((n, b) => ((b.gapBeforeS ?? 0) > 0 && declared.push(n), n + b.tS.length), 0);
    expect(declared).toHaveLength(3); // packets 10–11, the reconnect, packet 70
    const gaps = validateBlock(replayed).gaps;
    expect(gaps.map((g) => g.index)).toEqual(declared);
    expect(gaps.map((g) => g.missingSamples)).toEqual([4, 48, 2]); // packets 10–11, 32–55, 70
    expect(replayed.tS).toEqual(live.tS);
    expect(replayed.accMS2).toEqual(live.accMS2);
    expect(replayed.gyrRadS).toEqual(live.gyrRadS);
    expect(replayed.magUT).toEqual(live.magUT);
  });
});

describe('fromSensor: graceful stop', () => {
  it('aborting the signal emits what the reorder window holds, stops the sensor and completes', async () => {
    const fake = movesenseDeliveries(range(0, 40)).fake();
    const account = new SampleAccount();
    const stop = new AbortController();
    let completed = false;
    let blocks = 0;
    sensorEvents(fake, new MovesenseDriver({ rateHz: RATE_HZ }), {
      nowS: () => fake.nowS(),
      account,
      signal: stop.signal,
      reorder: { order: movesensePacketOrder(), windowPackets: 6, idleFlushS: 10 },
    }).subscribe({
      next: (e) => {
        if (e.type !== 'block') return;
        // Mid-stream, with 6 packets held: stop.
        if (++blocks === 10) stop.abort();
      },
      complete: () => (completed = true),
    });
    await until(() => completed);
    expect(account.receivedSamples).toBe(2 * 16); // 10 emitted + 6 held when the stop came
    expect(account.emittedSamples).toBe(account.receivedSamples);
    await until(() => !fake.isConnected);
    expect(fake.writes.at(-1)!.bytes).toEqual(Uint8Array.of(2, 0x63)); // Movesense unsubscribe
  });
});

describe('fromSensor: reorder parameters', () => {
  it('a bad window or idle time errors the stream at subscription with PipelineParamError', async () => {
    for (const reorder of [{ windowPackets: -1 }, { windowPackets: 1.5 }, { idleFlushS: 0 }]) {
      const fake = movesenseDeliveries(range(0, 4)).fake();
      let error: unknown;
      sensorEvents(fake, new MovesenseDriver({ rateHz: RATE_HZ }), { nowS: () => fake.nowS(), reorder: { order: movesensePacketOrder(), ...reorder } }).subscribe({ error: (e) => (error = e) });
      expect(error).toBeInstanceOf(PipelineParamError);
    }
  });
});
