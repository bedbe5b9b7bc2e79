/**
 * A live sensor as an Observable: request the device (once), connect, let the driver start it,
 * and emit every decoded block. On `gattserverdisconnected` it reconnects with exponential
 * backoff and starts the driver again (resubscribe + start commands); the first block of each
 * sensor after a reconnect carries `gapBeforeS` and a {@link GapEvent} is emitted before it.
 * Everything decoded is emitted, in arrival order: nothing already received is dropped. With
 * `reorder`, packets are first put back in their stream's order by a bounded buffer, so the
 * blocks of each stream come in time order; a packet that comes too late for that is decoded
 * and its block delivered in a `late` {@link PacketOrderEvent} (kept, outside the block stream,
 * which keeps the gap it left marked), repeats are reported, and `account` counts every sample.
 * Times are mapped onto the session clock with the sensor's clock drift estimated online
 * (`alignClock`), so that several sensors, each on its own stream, stay aligned for hours.
 *
 * Unsubscribing stops the stream: the driver's stop commands, notifications off, disconnect.
 */
import { Observable, filter, map } from 'rxjs';
import type { BleDriver } from '../io/ble/driver';
import { BleGattError } from '../io/ble/errors';
import { GattLink } from '../io/ble/gattLink';
import { ClockDriftCorrector } from '../io/ble/clockDrift';
import type { ClockDriftOptions } from '../io/ble/clockDrift';
import type { BleDeviceLike, BleGattServerLike, BleTransport } from '../io/ble/transport';
import type { SampleBlock } from '../samples/block';
import { PipelineParamError, ReconnectFailedError } from './errors';
import { MIN_RECONNECT_GAP_S } from './events';
import type { PacketOrderEvent, SensorEvent } from './events';
import { SampleAccount } from './sampleAccount';
import { PacketReorder, packetOrderEvent } from './packetReorder';
import type { HeldPacket, ReorderOptions } from './packetReorder';

export interface ReconnectOptions {
  /** Wait before the first reconnect attempt, s. Default 0.5. */
  initialDelayS?: number;
  /** Longest wait between attempts, s (the delay doubles after every failed attempt up to this). Default 10. */
  maxDelayS?: number;
  /** Attempts after one disconnect before the stream errors with {@link ReconnectFailedError}. Default 10; 0 = never reconnect (the stream completes on disconnect). */
  maxAttempts?: number;
}

export const RECONNECT_DEFAULTS: Readonly<Required<ReconnectOptions>> = Object.freeze({ initialDelayS: 0.5, maxDelayS: 10, maxAttempts: 10 });

export interface FromSensorOptions {
  /** Session clock, s since session start, handed to the decoder. Default: `performance.now()` since subscribing. With a FakeTransport pass `() => fake.nowS()`. */
  nowS?: () => number;
  /** Wait for a command's answer, ms (GattLink default 5000). */
  responseTimeoutMs?: number;
  /** Use this device instead of requesting one (e.g. one the page already chose in a click handler). */
  device?: BleDeviceLike;
  /** Reconnect after a dropped link; `false` = complete on disconnect. */
  reconnect?: ReconnectOptions | false;
  /** Put packets that arrive out of order back in place before decoding (sensors that number or timestamp their frames). */
  reorder?: ReorderOptions;
  /**
   * Map the driver's times onto the session clock with the sensor's drift estimated online
   * (see {@link ClockDriftCorrector}), so that sensors on separate streams stay aligned over
   * hours. Default on; `false` keeps the driver's times (offset fixed at the first frame).
   */
  alignClock?: ClockDriftOptions | false;
  /** Filled in as the stream runs: received / emitted / duplicate / reordered / late / lost samples. */
  account?: SampleAccount;
  /**
   * Stop gracefully when aborted: packets held in the reorder window are emitted, the sensor is
   * stopped and the stream completes (unsubscribing stops at once, without them).
   */
  signal?: AbortSignal;
  /** Side channel for {@link fromSensor}: every non-block event (connection, gaps, problems). */
  onEvent?: (event: Exclude<SensorEvent, { type: 'block' }>) => void;
}

/** The block with its times on the session clock; the corrector learns from its newest sample and arrival (not from a late packet's). */
function onSessionClock(b: SampleBlock, arrivalS: number, drift: ClockDriftCorrector, learn: boolean): SampleBlock {
  const n = b.tS.length;
  if (learn) drift.observe(b.tS[n - 1]!, arrivalS);
  const tS = new Float64Array(n);
  drift.mapInto(b.tS, tS);
  return { ...b, tS };
}

function resolveReconnect(r: ReconnectOptions | false | undefined): Required<ReconnectOptions> {
  if (r === false) return { ...RECONNECT_DEFAULTS, maxAttempts: 0 };
  const p = { ...RECONNECT_DEFAULTS, ...r };
  if (!(p.initialDelayS >= 0) || !Number.isFinite(p.initialDelayS)) throw new PipelineParamError('reconnect.initialDelayS', p.initialDelayS, 'a finite delay ≥ 0 s');
  if (!(p.maxDelayS >= p.initialDelayS) || !Number.isFinite(p.maxDelayS)) throw new PipelineParamError('reconnect.maxDelayS', p.maxDelayS, 'a finite delay ≥ initialDelayS');
  if (!(p.maxAttempts >= 0) || !Number.isInteger(p.maxAttempts)) throw new PipelineParamError('reconnect.maxAttempts', p.maxAttempts, 'an integer ≥ 0');
  return p;
}

/** Delay before reconnect attempt `attempt` (1-based), s: initialDelayS · 2^(attempt−1), at most maxDelayS. */
export function reconnectDelayS(attempt: number, options: ReconnectOptions = {}): number {
  const p = { ...RECONNECT_DEFAULTS, ...options };
  return Math.min(p.maxDelayS, p.initialDelayS * 2 ** Math.max(0, attempt - 1));
}

/**
 * Every event of a live sensor: blocks, problems, connection changes, reconnect attempts and
 * gaps (see {@link SensorEvent}). The first connection failing errors the stream (no retry:
 * the device or the driver is wrong); later failures are retried per `reconnect`.
 */
export function sensorEvents(transport: BleTransport, driver: BleDriver, options: FromSensorOptions = {}): Observable<SensorEvent> {
  const rc = resolveReconnect(options.reconnect);
  return new Observable<SensorEvent>((subscriber) => {
    const clock = typeof performance !== 'undefined' ? performance : Date;
    const t0 = clock.now();
    const nowS = options.nowS ?? (() => (clock.now() - t0) / 1000);
    let stopped = false;
    let device: BleDeviceLike | undefined;
    let server: BleGattServerLike | undefined;
    let link: GattLink | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    /** True while a connection attempt runs: a drop then fails that attempt, which retries. */
    let connecting = false;
    let samples = 0;
    /** Per sensor id: last sample time emitted, and whether its next block follows a reconnect. */
    const last = new Map<string, { tS: number; periodS: number; afterReconnect: boolean }>();
    const account = options.account ?? new SampleAccount();
    const idleFlushS = options.reorder?.idleFlushS ?? 0.25;
    if (options.reorder && (!(idleFlushS > 0) || !Number.isFinite(idleFlushS))) throw new PipelineParamError('reorder.idleFlushS', idleFlushS, 'a finite time > 0 s');
    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    /** One per device: all its streams share the sensor's clock. */
    const drift = options.alignClock === false ? null : new ClockDriftCorrector(options.alignClock);

    const emit = (e: SensorEvent): void => {
      if (stopped) return;
      subscriber.next(e);
      if (e.type !== 'block') options.onEvent?.(e);
    };

    /** Decode one packet; a late one's block goes with its event, outside the block stream (which stays in time order). */
    const decode = (value: DataView, hostS: number, uuid: string, late?: HeldPacket): number => {
      const r = driver.decode(value, hostS, uuid);
      for (const p of r.problems) {
        if (p.source === 'stream' && p.kind === 'dropped') account.missingReportedSamples += p.missingSamples ?? 0;
        emit({ type: 'problem', problem: p });
      }
      if (late) {
        const block = r.block && drift ? onSessionClock(r.block, hostS, drift, false) : r.block;
        emit({ ...packetOrderEvent(late, 'late'), block });
      } else if (r.block) onBlock(drift ? onSessionClock(r.block, hostS, drift, true) : r.block);
      return r.block?.tS.length ?? 0;
    };

    const reorder = options.reorder ? new PacketReorder(options.reorder, account, { decode, event: emit }) : null;

    /** Release every held packet, in order, to the current driver state (before a reset). */
    const flushHeld = (): void => {
      if (idleTimer !== undefined) clearTimeout(idleTimer);
      idleTimer = undefined;
      reorder?.reset();
    };

    const onNotification = (uuid: string, value: DataView): void => {
      const hostS = nowS();
      if (!reorder) {
        account.receivedSamples += decode(value, hostS, uuid);
        return;
      }
      if (!reorder.push(uuid, value, hostS)) return;
      if (idleTimer !== undefined) clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        idleTimer = undefined;
        reorder.flush();
      }, idleFlushS * 1000);
    };

    const onBlock = (b: SampleBlock): void => {
      const n = b.tS.length;
      const id = b.info.sensorId;
      const prev = last.get(id);
      let out = b;
      if (prev?.afterReconnect) {
        const gapS = Math.max(0, b.tS[0]! - prev.tS - prev.periodS);
        emit({ type: 'gap', sensorId: id, afterS: prev.tS, beforeS: b.tS[0]!, gapS, reason: 'reconnect' });
        if (prev.periodS > 0) account.reconnectGapSamples += Math.round(gapS / prev.periodS);
        out = { ...b, gapBeforeS: Math.max(b.gapBeforeS ?? 0, gapS, MIN_RECONNECT_GAP_S) };
      }
      const rate = b.info.rateHz;
      last.set(id, { tS: Math.max(prev?.tS ?? -Infinity, b.tS[n - 1]!), periodS: rate !== undefined && rate > 0 ? 1 / rate : 0, afterReconnect: false });
      samples += n;
      account.emittedSamples += n;
      emit({ type: 'block', block: out });
    };

    const onDisconnected = (): void => {
      // A retry is already scheduled: this is the link a failed attempt dropped itself.
      if (stopped || connecting || timer !== undefined) return;
      // What arrived before the drop is decoded now, with the stream state it belongs to.
      flushHeld();
      const l = link;
      link = undefined;
      void l?.unsubscribeAll().catch(() => undefined);
      for (const v of last.values()) v.afterReconnect = true;
      drift?.restart();
      emit({ type: 'disconnected', tS: nowS(), samplesSoFar: samples });
      if (rc.maxAttempts === 0) {
        cleanup();
        subscriber.complete();
        return;
      }
      attempt = 0;
      scheduleReconnect(undefined);
    };

    const scheduleReconnect = (error: unknown): void => {
      if (stopped) return;
      attempt++;
      if (attempt > rc.maxAttempts) {
        cleanup();
        subscriber.error(new ReconnectFailedError(rc.maxAttempts, error));
        return;
      }
      if (timer !== undefined) clearTimeout(timer);
      const delayS = reconnectDelayS(attempt, rc);
      emit(error === undefined ? { type: 'reconnecting', tS: nowS(), attempt, delayS } : { type: 'reconnecting', tS: nowS(), attempt, delayS, error });
      timer = setTimeout(() => {
        timer = undefined;
        connect(attempt).catch((err) => {
          if (stopped) return;
          void link?.unsubscribeAll().catch(() => undefined);
          link = undefined;
          // Schedule first: the disconnect below fires gattserverdisconnected (synchronously in
          // some transports), which must not start a second retry series.
          scheduleReconnect(err);
          if (server?.connected) server.disconnect();
        });
      }, delayS * 1000);
    };

    const connect = async (k: number): Promise<void> => {
      connecting = true;
      try {
        await connectOnce(k);
      } finally {
        connecting = false;
      }
    };

    const connectOnce = async (k: number): Promise<void> => {
      if (!device) {
        device = options.device ?? (await transport.requestDevice(driver.requestOptions));
        if (stopped) return;
        if (!device.gatt) throw new BleGattError('gatt', `device '${device.name ?? device.id}' has no GATT server`);
        device.addEventListener('gattserverdisconnected', onDisconnected);
      }
      const s = await device.gatt!.connect();
      if (stopped) {
        s.disconnect();
        return;
      }
      server = s;
      const l = new GattLink(
        s,
        (uuid, value) => {
          if (stopped || link !== l) return;
          onNotification(uuid, value);
        },
        options.responseTimeoutMs,
      );
      link = l;
      driver.reset();
      await driver.start(l);
      if (stopped) return;
      if (!s.connected) throw new BleGattError('gatt', 'the link dropped while the driver was starting');
      emit({ type: 'connected', tS: nowS(), attempt: k });
    };

    const cleanup = (): void => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      if (idleTimer !== undefined) clearTimeout(idleTimer);
      idleTimer = undefined;
      device?.removeEventListener('gattserverdisconnected', onDisconnected);
      options.signal?.removeEventListener('abort', onAbort);
    };

    /** Stop the sensor and release the link (after the stream has stopped emitting). */
    const release = (): void => {
      const l = link;
      const s = server;
      link = undefined;
      void (async () => {
        if (l && s?.connected) await driver.stop(l).catch(() => undefined);
        await l?.unsubscribeAll().catch(() => undefined);
        if (s?.connected) s.disconnect();
      })();
    };

    /** A graceful stop: what is held is emitted first, then the stream completes (a recorder downstream closes its sink). */
    function onAbort(): void {
      if (stopped) return;
      flushHeld();
      cleanup();
      release();
      subscriber.complete();
    }
    if (options.signal?.aborted) {
      queueMicrotask(onAbort);
    } else options.signal?.addEventListener('abort', onAbort, { once: true });

    connect(0).catch((err) => {
      if (stopped) return;
      cleanup();
      const l = link;
      void (async () => {
        await l?.unsubscribeAll().catch(() => undefined);
        if (server?.connected) server.disconnect();
      })();
      subscriber.error(err);
    });

    return () => {
      if (stopped) return;
      // Packets still held in the reorder window cannot reach a subscriber that has left: stop with `signal` to get them.
      cleanup();
      release();
    };
  });
}

/**
 * The blocks of a live sensor (see {@link sensorEvents}); everything else goes to
 * `options.onEvent`. Errors: the first connection's error, or {@link ReconnectFailedError}.
 */
export function fromSensor(transport: BleTransport, driver: BleDriver, options: FromSensorOptions = {}): Observable<SampleBlock> {
  return sensorEvents(transport, driver, options).pipe(
    filter((e): e is Extract<SensorEvent, { type: 'block' }> => e.type === 'block'),
    map((e) => e.block),
  );
}
