/**
 * Fixed-capacity look-back buffer of (time, value) samples addressed by a global sample
 * number, so a segmenter can place a rep's boundaries after it has seen the whole rep
 * without allocating per sample.
 */
export class LookBack {
  readonly capacity: number;
  private readonly tS: Float64Array;
  private readonly v: Float64Array;
  /** Number of samples ever pushed; the newest has number `count − 1`. */
  count = 0;

  constructor(capacity: number) {
    this.capacity = Math.max(2, Math.ceil(capacity));
    this.tS = new Float64Array(this.capacity);
    this.v = new Float64Array(this.capacity);
  }

  push(tS: number, value: number): void {
    const k = this.count % this.capacity;
    this.tS[k] = tS;
    this.v[k] = value;
    this.count++;
  }

  /** Oldest sample number still held. */
  get oldest(): number {
    return Math.max(0, this.count - this.capacity);
  }

  timeAt(i: number): number {
    return this.tS[i % this.capacity]!;
  }

  valueAt(i: number): number {
    return this.v[i % this.capacity]!;
  }

  clear(): void {
    this.count = 0;
  }
}
