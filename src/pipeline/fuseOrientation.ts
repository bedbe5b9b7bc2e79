/**
 * Orientation per sample: one {@link Vqf} per sensor id (created on that sensor's first
 * block), `updateBlock` into a new `quat` array added to the block. Blocks without acc + gyr
 * (e.g. a Movesense `.mag` stream) pass through unchanged; an accelerometer-only sensor's
 * (Polar H10) too, and `onUnfused` hears about it once per sensor, with the typed error that
 * says why and what to use instead (the stream goes on: other sensors may still be fused). A `gapBeforeS` block restarts the
 * filter's time step (see Vqf.updateBlock); its state is kept across gaps and reconnects.
 */
import { map } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import { Vqf } from '../fusion/vqf';
import type { VqfParams } from '../fusion/vqfParams';
import type { VqfState } from '../fusion/vqfState';
import { ACC_ONLY_HINT, MissingChannelError, isAccelOnly, isInertial } from '../samples/block';
import type { OrientationBlock, SampleBlock } from '../samples/block';

export interface FuseOrientationOptions {
  /** Filter parameters for every sensor (VQF defaults otherwise). */
  params?: Partial<VqfParams>;
  /** Per-sensor overrides, by sensor id. */
  perSensor?: Readonly<Record<string, Partial<VqfParams>>>;
  /** Resume from checkpointed filter states (`getState()`), by sensor id. */
  initialStates?: Readonly<Record<string, VqfState>>;
  /** Receives each sensor's filter when it is created (to read flags, bias, or checkpoint its state). */
  onFilter?: (sensorId: string, filter: Vqf) => void;
  /**
   * Called once per sensor whose blocks have an accelerometer but no gyroscope (they pass
   * through without `quat`), with the {@link MissingChannelError} naming the fix. Default:
   * `console.warn` of its message, so that a chest strap in a fusion pipeline is never silent.
   */
  onUnfused?: (sensorId: string, error: MissingChannelError) => void;
}

/** Blocks in, the same blocks with `quat` (q_GS per sample) out; non-inertial blocks unchanged. */
export function fuseOrientation(options: FuseOrientationOptions = {}): OperatorFunction<SampleBlock, SampleBlock> {
  return (source) => {
    // Per subscription: a replay of the same blocks gives the same quaternions.
    const filters = new Map<string, Vqf>();
    const unfused = new Set<string>();
    return source.pipe(
      map((b): SampleBlock => {
        if (!isInertial(b)) {
          if (isAccelOnly(b) && !unfused.has(b.info.sensorId)) {
            unfused.add(b.info.sensorId);
            const error = new MissingChannelError(b.info.sensorId, 'gyr', 'fuseOrientation', ACC_ONLY_HINT);
            if (options.onUnfused) options.onUnfused(b.info.sensorId, error);
            else console.warn(error.message);
          }
          return b;
        }
        const id = b.info.sensorId;
        let f = filters.get(id);
        if (!f) {
          const rate = b.info.rateHz;
          f = new Vqf({ ...options.params, ...options.perSensor?.[id] }, rate !== undefined && rate > 0 ? { rateHz: rate } : {});
          const st = options.initialStates?.[id];
          if (st) f.setState(st);
          filters.set(id, f);
          options.onFilter?.(id, f);
        }
        const q = new Float64Array(4 * b.tS.length);
        f.updateBlock(b, q);
        return { ...b, quat: q } as OrientationBlock;
      }),
    );
  };
}

