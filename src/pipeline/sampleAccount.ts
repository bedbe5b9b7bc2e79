/**
 * Exact sample accounting for a live stream: every sample that arrived is emitted in the block
 * stream, delivered late (in its own event), or a duplicate; every sample the sensor sent
 * either arrived or is counted lost. The counts
 * come from the packets themselves (the reorder buffer's sample counts, the blocks emitted)
 * and from the gaps the sensor timestamps and reconnects reveal, so for a sensor with frame
 * timestamps `sentSamples` is exact, not an estimate from host time.
 */
export class SampleAccount {
  /** Samples in every data packet that arrived (duplicates included); for packets without a stream order (no `reorder`), the samples they decoded to. */
  receivedSamples = 0;
  /** Samples in the block stream (in time order per stream). */
  emittedSamples = 0;
  /** Samples in packets repeating one already received: not emitted again. */
  duplicateSamples = 0;
  /** Samples in packets overtaken by later ones within the window: put back in place before decoding. */
  reorderedSamples = 0;
  /** Samples in packets that came after their place was passed: delivered in `late` events, not in the block stream. */
  lateSamples = 0;
  /** Samples the decoder found missing in the sensor timestamps (`dropped` problems), before late arrivals filled some of the gaps. */
  missingReportedSamples = 0;
  /** Samples missing across reconnects, from the gap's length at the nominal rate. */
  reconnectGapSamples = 0;

  /** Samples sent that never arrived: the gaps, less the late packets that turned up in them. */
  get lostSamples(): number {
    return this.missingReportedSamples + this.reconnectGapSamples - this.lateSamples;
  }

  /** Samples the sensor sent over the stream: arrived once, or lost. */
  get sentSamples(): number {
    return this.receivedSamples - this.duplicateSamples + this.lostSamples;
  }

  /** A plain copy of the counts (for events and reports). */
  snapshot(): SampleCounts {
    return {
      receivedSamples: this.receivedSamples,
      emittedSamples: this.emittedSamples,
      duplicateSamples: this.duplicateSamples,
      reorderedSamples: this.reorderedSamples,
      lateSamples: this.lateSamples,
      lostSamples: this.lostSamples,
      sentSamples: this.sentSamples,
    };
  }
}

export interface SampleCounts {
  readonly receivedSamples: number;
  readonly emittedSamples: number;
  readonly duplicateSamples: number;
  readonly reorderedSamples: number;
  readonly lateSamples: number;
  readonly lostSamples: number;
  readonly sentSamples: number;
}
