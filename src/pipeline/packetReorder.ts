/**
 * The reorder stage of a live stream (synchronous; `sensorEvents` adapts it): one
 * {@link ReorderBuffer} per stream of the device, keyed by the packet-order function, with the
 * sample accounting of what it did. Packets without an order pass straight to `decode`.
 */
import type { PacketOrder, PacketOrderFn } from '../io/ble/packetOrder';
import { ReorderBuffer } from '../io/ble/reorderBuffer';
import { PipelineParamError } from './errors';
import type { PacketOrderEvent } from './events';
import type { SampleAccount } from './sampleAccount';

export interface ReorderOptions {
  /** Reads a packet's stream and sequence key, e.g. `movesensePacketOrder(resources)`. */
  order: PacketOrderFn;
  /** Packets held back per stream (the latency is that many packets). Default 4. */
  windowPackets?: number;
  /** With no packet for this long (s, host clock), everything held is released. Default 0.25. */
  idleFlushS?: number;
}

export interface HeldPacket {
  readonly value: DataView;
  readonly hostS: number;
  readonly uuid: string;
  readonly order: PacketOrder;
}

export interface PacketReorderSink {
  /** Decode a packet now; `late` is set for one whose place had passed (its block belongs in the event, not the stream). */
  decode(value: DataView, hostS: number, uuid: string, late?: HeldPacket): number;
  /** A `reordered` or `duplicate` packet (late ones are reported by `decode`'s caller with their block). */
  event(e: PacketOrderEvent): void;
}

export function packetOrderEvent(h: HeldPacket, outcome: PacketOrderEvent['outcome']): PacketOrderEvent {
  return { type: 'packet-order', outcome, stream: h.order.stream, key: h.order.key, samples: h.order.samples, tS: h.hostS };
}

export class PacketReorder {
  private readonly buffers = new Map<string, ReorderBuffer<HeldPacket>>();
  readonly windowPackets: number;

  constructor(
    private readonly options: ReorderOptions,
    private readonly account: SampleAccount,
    private readonly sink: PacketReorderSink,
  ) {
    this.windowPackets = options.windowPackets ?? 4;
    if (!(this.windowPackets >= 0) || !Number.isInteger(this.windowPackets)) throw new PipelineParamError('reorder.windowPackets', this.windowPackets, 'an integer ≥ 0');
  }

  /** One notification: held (true) or decoded at once because it has no stream order (false). */
  push(uuid: string, value: DataView, hostS: number): boolean {
    const order = this.options.order(value, uuid);
    if (!order) {
      // Without a stream order, what arrived is what decoded.
      this.account.receivedSamples += this.sink.decode(value, hostS, uuid);
      return false;
    }
    this.account.receivedSamples += order.samples;
    // Held past this notification: keep a copy (a transport may reuse its buffer).
    const copy = new DataView(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
    this.bufferFor(order.stream).push(order.key, { value: copy, hostS, uuid, order });
    return true;
  }

  /** Release everything held, in order (idle link, graceful stop). */
  flush(): void {
    for (const b of this.buffers.values()) b.flush();
  }

  /** Release everything held and forget the sequences (the link dropped: the driver restarts). */
  reset(): void {
    for (const b of this.buffers.values()) b.reset();
  }

  private bufferFor(stream: string): ReorderBuffer<HeldPacket> {
    let b = this.buffers.get(stream);
    if (!b) {
      const { account, sink } = this;
      b = new ReorderBuffer<HeldPacket>(this.windowPackets, {
        release(h, outcome) {
          if (outcome === 'reordered') {
            account.reorderedSamples += h.order.samples;
            sink.event(packetOrderEvent(h, outcome));
          }
          if (outcome === 'late') account.lateSamples += h.order.samples;
          sink.decode(h.value, h.hostS, h.uuid, outcome === 'late' ? h : undefined);
        },
        duplicate(h) {
          account.duplicateSamples += h.order.samples;
          sink.event(packetOrderEvent(h, 'duplicate'));
        },
      });
      this.buffers.set(stream, b);
    }
    return b;
  }
}
