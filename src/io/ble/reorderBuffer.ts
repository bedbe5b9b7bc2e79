/**
 * A bounded reorder buffer for the packets of one stream, keyed by the sensor's own sequence
 * (a frame counter or the frame's sensor timestamp). Up to `windowPackets` packets are held and
 * released smallest key first, so a packet overtaken by at most that many later ones is put
 * back in place before the decoder sees it (its timeline then finds neither a gap nor a
 * reordering). Nothing is dropped silently: a packet older than one already released is
 * released at once and reported `late`; a repeat of a held or recently released key is
 * reported `duplicate` and not released again. Every packet ends in exactly one of
 * `released` (in order, or late) or `duplicate`, so the counts add up.
 */

export type ReorderOutcome = 'in-order' | 'reordered' | 'late' | 'duplicate';

export interface ReorderSink<T> {
  /** A packet leaves the buffer for the decoder: in key order, except `late` ones. */
  release(item: T, outcome: Exclude<ReorderOutcome, 'duplicate'>): void;
  /** A packet whose key was already held or released: not released again. */
  duplicate(item: T): void;
}

/** Keys remembered after release, to tell a repeat from a late packet. */
const RELEASED_MEMORY = 64;

interface Held<T> {
  readonly key: number;
  readonly item: T;
  readonly outcome: 'in-order' | 'reordered';
}

export class ReorderBuffer<T> {
  private readonly held: Held<T>[] = [];
  private readonly released = new Float64Array(RELEASED_MEMORY).fill(NaN);
  private releasedCount = 0;
  private lastReleasedKey = -Infinity;

  constructor(
    /** Packets held back at most: how far a packet may be overtaken and still be put back in place. 0 = pass through. */
    readonly windowPackets: number,
    private readonly sink: ReorderSink<T>,
  ) {
    if (!(windowPackets >= 0) || !Number.isInteger(windowPackets)) throw new RangeError(`ReorderBuffer: windowPackets must be an integer ≥ 0, got ${windowPackets}`);
  }

  /** Packets held now. */
  get size(): number {
    return this.held.length;
  }

  push(key: number, item: T): void {
    if (!Number.isFinite(key)) throw new RangeError(`ReorderBuffer: key must be finite, got ${key}`);
    if (this.wasReleased(key) || this.held.some((h) => h.key === key)) {
      this.sink.duplicate(item);
      return;
    }
    if (key < this.lastReleasedKey) {
      // Its place has been passed: the decoder gets it now, out of order, and says so.
      this.remember(key);
      this.sink.release(item, 'late');
      return;
    }
    // Insert in key order; overtaken packets land before the ones that overtook them.
    let i = this.held.length;
    while (i > 0 && this.held[i - 1]!.key > key) i--;
    this.held.splice(i, 0, { key, item, outcome: i < this.held.length ? 'reordered' : 'in-order' });
    while (this.held.length > this.windowPackets) this.releaseFirst();
  }

  /** Release everything held, in key order (end of stream, disconnect, idle link). */
  flush(): void {
    while (this.held.length > 0) this.releaseFirst();
  }

  /** Forget the sequence (after {@link flush}): the next stream's keys start afresh. */
  reset(): void {
    this.flush();
    this.released.fill(NaN);
    this.releasedCount = 0;
    this.lastReleasedKey = -Infinity;
  }

  private releaseFirst(): void {
    const h = this.held.shift()!;
    this.remember(h.key);
    this.lastReleasedKey = Math.max(this.lastReleasedKey, h.key);
    this.sink.release(h.item, h.outcome);
  }

  private remember(key: number): void {
    this.released[this.releasedCount++ % RELEASED_MEMORY] = key;
  }

  private wasReleased(key: number): boolean {
    for (let i = 0; i < RELEASED_MEMORY; i++) if (this.released[i] === key) return true;
    return false;
  }
}
