/**
 * fromSensor / sensorEvents over a FakeTransport: reconnect with backoff after disconnects
 * (recorded in the capture or injected), gaps marked, exact sample accounting, teardown.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBleCapture } from '../../src/io/ble/capture';
import { FakeTransport } from '../../src/io/ble/fakeTransport';
import { bytesToHex } from '../../src/io/ble/hex';
import { MovesenseDriver } from '../../src/io/ble/movesense';
import { fromSensor, reconnectDelayS, sensorEvents } from '../../src/pipeline/fromSensor';
import { ReconnectFailedError } from '../../src/pipeline/errors';
import type { GapEvent, ReconnectingEvent, SensorEvent } from '../../src/pipeline/events';
import type { SampleBlock } from '../../src/samples/block';
import { SampleAccount } from '../../src/pipeline/sampleAccount';
import { RATE_HZ, movesenseSegments, until } from './helpers';

const FAST = { initialDelayS: 0.002, maxDelayS: 0.008, maxAttempts: 5 };

function collect(fake: FakeTransport, options: Parameters<typeof sensorEvents>[2] = {}, hook?: (e: SensorEvent, samples: number) => void) {
  const events: SensorEvent[] = [];
  let error: unknown;
  let completed = false;
  const sub = sensorEvents(fake, new MovesenseDriver({ rateHz: RATE_HZ }), { nowS: () => fake.nowS(), reconnect: FAST, ...options }).subscribe({
    next: (e) => {
      events.push(e);
      hook?.(e, samples());
    },
    error: (e) => (error = e),
    complete: () => (completed = true),
  });
  const blocks = () => events.filter((e): e is Extract<SensorEvent, { type: 'block' }> => e.type === 'block').map((e) => e.block);
  const samples = () => blocks().reduce((n, b) => n + b.tS.length, 0);
  const of = <T extends SensorEvent['type']>(type: T) => events.filter((e): e is Extract<SensorEvent, { type: T }> => e.type === type);
  return { sub, events, blocks, samples, of, error: () => error, completed: () => completed };
}

describe('fromSensor: reconnect', () => {
  it('reconnects after each recorded disconnect, resubscribes, marks the gaps and emits every sample', async () => {
    const { builder, samples } = movesenseSegments([{ packets: 20 }, { packets: 15, skipPackets: 52 }, { packets: 10, skipPackets: 26 }]);
    const fake = builder.fake();
    const account = new SampleAccount();
    const r = collect(fake, { account });
    await until(() => r.samples() === samples);
    await fake.whenDone();
    expect(r.samples()).toBe(samples); // 90: received = emitted
    expect(account.snapshot()).toMatchObject({ receivedSamples: 90, emittedSamples: 90, duplicateSamples: 0, lateSamples: 0 });
    expect(account.reconnectGapSamples).toBe(2 * 52 + 52); // 2 s and 1 s at 52 Hz
    expect(fake.mismatches).toEqual([]); // the start commands were written again after each reconnect
    expect(fake.writes.map((w) => bytesToHex(w.bytes)).filter((h) => h === '00 01').length).toBe(3);
    expect(r.of('connected').map((e) => e.attempt)).toEqual([0, 1, 1]);
    expect(r.of('disconnected').map((e) => e.samplesSoFar)).toEqual([40, 70]);
    const gaps = r.of('gap');
    expect(gaps.map((g) => g.reason)).toEqual(['reconnect', 'reconnect']);
    // 52 packets × 2 samples at 52 Hz = 2 s missing; 26 packets = 1 s.
    expect(gaps[0]!.gapS).toBeCloseTo(2, 1);
    expect(gaps[1]!.gapS).toBeCloseTo(1, 1);
    const gapped = r.blocks().filter((b) => b.gapBeforeS);
    expect(gapped.map((b) => b.gapBeforeS)).toEqual(gaps.map((g) => g.gapS));
    // The gap event comes right before its block.
    const i = r.events.indexOf(gaps[0]!);
    expect(r.events[i + 1]).toMatchObject({ type: 'block', block: gapped[0] });
    // Times keep increasing across the reconnects.
    const t = r.blocks().flatMap((b) => [...b.tS]);
    for (let k = 1; k < t.length; k++) expect(t[k]!).toBeGreaterThan(t[k - 1]!);
    r.sub.unsubscribe();
  });

  it('retries with exponential backoff while the device is out of reach, then resumes', async () => {
    const { builder, samples } = movesenseSegments([{ packets: 10 }, { packets: 10, skipPackets: 10 }]);
    const fake = builder.fake();
    const device = await fake.requestDevice(new MovesenseDriver().requestOptions);
    const gatt = device.gatt! as { connect: () => Promise<unknown> };
    const connect = gatt.connect.bind(gatt);
    let calls = 0;
    gatt.connect = async () => {
      calls++;
      if (calls >= 2 && calls <= 4) throw new Error('device out of range');
      return connect();
    };
    const r = collect(fake, { device });
    await until(() => r.samples() === samples);
    expect(calls).toBe(5); // first connect, 3 failures, success
    const attempts = r.of('reconnecting') as ReconnectingEvent[];
    expect(attempts.map((e) => e.attempt)).toEqual([1, 2, 3, 4]);
    expect(attempts.map((e) => e.delayS)).toEqual([0.002, 0.004, 0.008, 0.008]);
    expect(attempts.slice(1).every((e) => (e.error as Error).message === 'device out of range')).toBe(true);
    expect(r.of('connected').map((e) => e.attempt)).toEqual([0, 4]);
    expect(r.of('gap')).toHaveLength(1);
    r.sub.unsubscribe();
  });

  it('errors with ReconnectFailedError after maxAttempts, keeping everything emitted before', async () => {
    const { builder } = movesenseSegments([{ packets: 8 }, { packets: 8, skipPackets: 4 }]);
    const fake = builder.fake();
    const device = await fake.requestDevice(new MovesenseDriver().requestOptions);
    const gatt = device.gatt! as { connect: () => Promise<unknown> };
    const connect = gatt.connect.bind(gatt);
    let calls = 0;
    gatt.connect = async () => (++calls === 1 ? connect() : Promise.reject(new Error('gone')));
    const r = collect(fake, { device, reconnect: { ...FAST, maxAttempts: 3 } });
    await until(() => r.error() !== undefined);
    expect(r.error()).toBeInstanceOf(ReconnectFailedError);
    expect((r.error() as ReconnectFailedError).attempts).toBe(3);
    expect(calls).toBe(4);
    expect(r.samples()).toBe(16);
  });

  it('a reconnect that connects but fails to start (services gone): the link it drops itself does not start a second retry series', async () => {
    // Seen in Chromium (BluetoothEmulation): after a dropped link the GATT connection comes
    // back but service discovery finds nothing; the failed attempt disconnects, and that
    // gattserverdisconnected must not count as a new drop (it used to start a parallel retry
    // series each time, resetting the attempt count: retries multiplied and never ended).
    const { builder } = movesenseSegments([{ packets: 8 }, { packets: 8, skipPackets: 4 }]);
    const fake = builder.fake();
    const device = await fake.requestDevice(new MovesenseDriver().requestOptions);
    const gatt = device.gatt! as { connect: () => Promise<unknown>; getPrimaryService: (uuid: string) => Promise<unknown> };
    const connect = gatt.connect.bind(gatt);
    const getPrimaryService = gatt.getPrimaryService.bind(gatt);
    let calls = 0;
    gatt.connect = async () => {
      calls++;
      return connect();
    };
    gatt.getPrimaryService = async (uuid) => (calls === 1 ? getPrimaryService(uuid) : Promise.reject(new Error('no services found')));
    const r = collect(fake, { device, reconnect: { ...FAST, maxAttempts: 3 } });
    await until(() => r.error() !== undefined);
    await new Promise((res) => setTimeout(res, 30)); // any stray retry timer would fire by now
    expect(r.error()).toBeInstanceOf(ReconnectFailedError);
    expect(r.of('disconnected')).toHaveLength(1);
    expect((r.of('reconnecting') as ReconnectingEvent[]).map((e) => e.attempt)).toEqual([1, 2, 3]);
    expect(calls).toBe(4); // first connect + 3 attempts
    expect(r.samples()).toBe(16);
  });

  it('with reconnect: false, completes on disconnect', async () => {
    const { builder } = movesenseSegments([{ packets: 5 }, { packets: 5, skipPackets: 2 }]);
    const fake = builder.fake();
    const r = collect(fake, { reconnect: false });
    await until(() => r.completed());
    expect(r.samples()).toBe(10);
    expect(r.of('reconnecting')).toEqual([]);
  });

  it('a link that drops again right after a reconnect: one retry series at a time, nothing lost', async () => {
    const { builder, samples } = movesenseSegments([{ packets: 6 }, { packets: 0, skipPackets: 3 }, { packets: 6, skipPackets: 3 }]);
    const fake = builder.fake();
    const r = collect(fake);
    await until(() => r.samples() === samples);
    await new Promise((res) => setTimeout(res, 30)); // any stray retry timer would fire by now
    expect(r.samples()).toBe(24);
    expect(fake.isConnected).toBe(true);
    // Every drop is followed by exactly one successful (re)connect: no parallel retry series.
    expect(r.of('connected').length).toBe(r.of('disconnected').length + 1);
    const seq = r.events.filter((e) => e.type === 'connected' || e.type === 'disconnected').map((e) => e.type[0]);
    expect(seq.join('')).toMatch(/^c(dc)+$/);
    r.sub.unsubscribe();
  });

  it('the recorded faults stream with an injected disconnect: every sample accounted for, faults reported', async () => {
    const text = readFileSync(new URL('../io/ble/captures/movesense-imu9-faults.txt', import.meta.url), 'utf8');
    const fake = new FakeTransport(parseBleCapture(text));
    let injected = false;
    const r = collect(fake, { reconnect: { ...FAST, maxAttempts: 2 } }, (e, n) => {
      if (e.type === 'block' && n >= 10 && !injected) {
        injected = true;
        fake.injectDisconnect(); // mid-stream, as the 10th sample arrives
      }
    });
    await fake.whenDone();
    // The capture's own disconnect at the end: reconnect attempts then find nothing more to replay.
    await until(() => r.of('disconnected').length === 2);
    // 40 packets × 2 sent; packets 10–11 lost (reported), 20 repeated (reported, not emitted twice).
    expect(r.samples()).toBe(76);
    const kinds = r.of('problem').map((e) => e.problem.kind);
    expect(kinds).toContain('dropped');
    expect(kinds).toContain('duplicate');
    expect(kinds).toContain('out-of-order');
    expect(r.of('gap')).toHaveLength(1);
    const gap = r.of('gap')[0] as GapEvent;
    expect(gap.gapS).toBeGreaterThanOrEqual(0);
    // Continuity across a reconnect cannot be verified: the block is marked anyway.
    expect(r.blocks().filter((b) => (b.gapBeforeS ?? 0) > 0).length).toBeGreaterThanOrEqual(1);
    r.sub.unsubscribe();
  });
});

describe('fromSensor: teardown', () => {
  it('unsubscribing writes the stop command, stops notifications and disconnects; no reconnect follows', async () => {
    const { builder } = movesenseSegments([{ packets: 40 }]);
    const fake = builder.fake();
    const blocks: SampleBlock[] = [];
    const events: string[] = [];
    const sub = fromSensor(fake, new MovesenseDriver({ rateHz: RATE_HZ }), { nowS: () => fake.nowS(), reconnect: FAST, onEvent: (e) => events.push(e.type) }).subscribe((b) => {
      blocks.push(b);
      if (blocks.length === 5) queueMicrotask(() => sub.unsubscribe()); // mid-stream
    });
    await until(() => sub.closed);
    const n = blocks.length;
    await until(() => !fake.isConnected);
    expect(bytesToHex(fake.writes.at(-1)!.bytes)).toBe('02 63'); // Movesense unsubscribe
    expect(fake.disconnects).toBe(1);
    await new Promise((r) => setTimeout(r, 30));
    expect(events).toEqual(['connected']);
    expect(blocks.length).toBe(n); // nothing after unsubscribe
    expect(n).toBeLessThan(8);
    expect(fake.position).toBeLessThan(43); // 3 start events + 40 packets: the replay stopped with the stream
  });

  it('backoff delays double up to maxDelayS', () => {
    expect([1, 2, 3, 4, 5, 6].map((k) => reconnectDelayS(k, { initialDelayS: 0.5, maxDelayS: 5 }))).toEqual([0.5, 1, 2, 4, 5, 5]);
  });
});
