/**
 * What a live sensor stream carries besides samples: connection changes, reconnect attempts,
 * gaps and the driver's problem reports. Small immutable objects, times in s since session
 * start (the stream's `nowS` clock).
 */
import type { BleProblem } from '../io/ble/errors';
import type { SampleBlock } from '../samples/block';

/** Samples, as the driver decoded them (`gapBeforeS` set on the first block after a reconnect). */
export interface BlockEvent {
  readonly type: 'block';
  readonly block: SampleBlock;
}

/** A packet the driver could not use, or lost / duplicated / reordered packets seen in the timestamps. */
export interface ProblemEvent {
  readonly type: 'problem';
  readonly problem: BleProblem;
}

/** The driver started streaming: `attempt` 0 is the first connection, ≥ 1 a reconnect. */
export interface ConnectedEvent {
  readonly type: 'connected';
  readonly tS: number;
  readonly attempt: number;
}

/** The link dropped (gattserverdisconnected) while streaming. */
export interface DisconnectedEvent {
  readonly type: 'disconnected';
  readonly tS: number;
  /** Samples received since the stream started (all of them have been emitted). */
  readonly samplesSoFar: number;
}

/** A reconnect attempt is scheduled after `delayS`; `error` is why the previous attempt failed, if one did. */
export interface ReconnectingEvent {
  readonly type: 'reconnecting';
  readonly tS: number;
  readonly attempt: number;
  readonly delayS: number;
  readonly error?: unknown;
}

/**
 * The stream of one sensor is not continuous here: the last sample before the disconnect was
 * at `afterS`, the first one after the reconnect at `beforeS`. `gapS` is the time missing beyond
 * one sample period (≥ 0); the same value (at least {@link MIN_RECONNECT_GAP_S}) is on the block's `gapBeforeS`.
 */
export interface GapEvent {
  readonly type: 'gap';
  readonly sensorId: string;
  readonly afterS: number;
  readonly beforeS: number;
  readonly gapS: number;
  readonly reason: 'reconnect';
}

/**
 * What the reorder buffer did with a packet that did not arrive in order (see
 * `FromSensorOptions.reorder`): `reordered` — overtaken within the window and put back in
 * place; `late` — its place was already passed: decoded now and its block carried here, not in
 * the block stream (which stays in time order and keeps the gap marked), so nothing is dropped;
 * `duplicate` — its key was already received: not decoded again.
 */
export interface PacketOrderEvent {
  readonly type: 'packet-order';
  readonly outcome: 'reordered' | 'late' | 'duplicate';
  /** Stream within the device (e.g. `IMU9`), as the packet-order function named it. */
  readonly stream: string;
  /** The packet's sequence key (frame counter or sensor timestamp). */
  readonly key: number;
  readonly samples: number;
  /** Arrival time, s since session start. */
  readonly tS: number;
  /** For `late`: the packet's samples as decoded (null when the decoder could not place them, e.g. an unpaired accelerometer frame: its problem says so). */
  readonly block?: SampleBlock | null;
}

export type SensorEvent = BlockEvent | ProblemEvent | ConnectedEvent | DisconnectedEvent | ReconnectingEvent | GapEvent | PacketOrderEvent;

/**
 * Continuity across a reconnect cannot be checked (the driver's stream state starts afresh),
 * so the first block after one always carries `gapBeforeS` ≥ this (1 µs): stages restart there.
 */
export const MIN_RECONNECT_GAP_S = 1e-6;
