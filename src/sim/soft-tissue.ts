/**
 * Soft-tissue wobble of a sensor mount: skin and muscle under a strapped IMU ring like a
 * damped spring whenever the segment accelerates. Modelled as a small extra rotation (and
 * optional translation) of the mount relative to its segment, a sum of damped oscillations
 * ({@link DampedOscillationTrajectory}) triggered by excitation events. Everything stays
 * analytic, so the wobble enters orientation, gyroscope and accelerometer truth consistently.
 *
 * Automatic events: each time the segment's angular acceleration magnitude rises through a
 * threshold (re-armed when it falls below half of it) — i.e. at movement onsets and at the
 * braking phase. The mount lags the segment, so the wobble starts opposite to the angular
 * acceleration (rotation) and to the tangential acceleration of the mount point (translation).
 */
import * as quat from '../math/quat';
import * as vec3 from '../math/vec3';
import type { Vec3Like } from '../math/vec3';
import type { Body } from './body';
import { DampedOscillationBank } from './oscillation';
import { AxisSequenceOrientation } from './pose';
import type { Rng } from './random';
import { SimInputError, requireFinite, requireFiniteArray, requireNonNegative, requirePositive } from './sim-error';
import type { Trajectory1 } from './trajectory';

export interface WobbleEvent {
  /** Trigger time, s. */
  readonly tS: number;
  /** Peak rotation per segment axis (rad): the rotation-vector direction and size of the kick. */
  readonly rotationRad: Vec3Like;
  /** Peak displacement per segment axis, m. Default 0. */
  readonly translationM?: Vec3Like;
}

export interface SoftTissueParams {
  /** Peak wobble rotation per automatic event, rad. Default 0.02 (≈ 1.1°). */
  rotationAmplitudeRad?: number;
  /** Peak wobble displacement per automatic event, m. Default 0.001. */
  translationAmplitudeM?: number;
  /** Natural frequency, Hz. Default 12. */
  frequencyHz?: number;
  /** Damping ratio in [0, 1). Default 0.3. */
  dampingRatio?: number;
  /** Automatic events fire when the segment's |angular acceleration| rises through this, rad/s². Default 2. */
  onsetThresholdRadS2?: number;
  /** Relative spread of automatic event amplitudes (uniform ±), in [0, 1). Default 0.3. */
  amplitudeSpread?: number;
  /** Explicit events; when given, no automatic detection is done. */
  events?: readonly WobbleEvent[];
}

/** The wobble of one mount: rotation (x-y-z small-angle sequence in the segment frame) and translation. */
export interface SoftTissueMotion {
  readonly rotation: AxisSequenceOrientation;
  /** Displacement of the mount point in the segment frame, per axis (m). */
  readonly translation: readonly [Trajectory1, Trajectory1, Trajectory1];
  readonly events: readonly WobbleEvent[];
}

/**
 * Build the wobble of a sensor mounted on segment `segmentIndex` at `mountPosM` (segment
 * frame). Automatic events are found by evaluating the body at `timesS` (the sensor's sampling
 * instants).
 */
export function buildSoftTissue(
  p: SoftTissueParams,
  body: Body,
  segmentIndex: number,
  mountPosM: Vec3Like,
  timesS: ArrayLike<number>,
  rng: Rng,
): SoftTissueMotion {
  const rotAmp = requireNonNegative('softTissue.rotationAmplitudeRad', p.rotationAmplitudeRad ?? 0.02);
  const trAmp = requireNonNegative('softTissue.translationAmplitudeM', p.translationAmplitudeM ?? 0.001);
  const frequencyHz = requirePositive('softTissue.frequencyHz', p.frequencyHz ?? 12);
  const dampingRatio = requireFinite('softTissue.dampingRatio', p.dampingRatio ?? 0.3);
  const thr = requirePositive('softTissue.onsetThresholdRadS2', p.onsetThresholdRadS2 ?? 2);
  const spread = requireFinite('softTissue.amplitudeSpread', p.amplitudeSpread ?? 0.3);
  if (spread < 0 || spread >= 1) throw new SimInputError(`softTissue.amplitudeSpread must be in [0, 1), got ${spread}`);

  let events: WobbleEvent[];
  if (p.events) {
    events = p.events.map((e, i) => ({
      tS: requireFinite(`softTissue.events[${i}].tS`, e.tS),
      rotationRad: Float64Array.from(requireFiniteArray(`softTissue.events[${i}].rotationRad`, e.rotationRad, 3)),
      translationM: Float64Array.from(requireFiniteArray(`softTissue.events[${i}].translationM`, e.translationM ?? [0, 0, 0], 3)),
    }));
  } else {
    events = [];
    const state = body.createState();
    const alpha = vec3.create();
    const tang = vec3.create();
    let armed = true;
    for (let i = 0; i < timesS.length; i++) {
      const t = timesS[i]!;
      body.evaluate(t, state);
      vec3.readAt(alpha, state.accRadS2, segmentIndex);
      const mag = vec3.length(alpha);
      if (armed && mag >= thr) {
        armed = false;
        const k = 1 + spread * (2 * rng.uniform() - 1);
        const rot = vec3.scale(vec3.create(), alpha, (-rotAmp * k) / mag);
        vec3.cross(tang, alpha, mountPosM);
        const tl = vec3.length(tang);
        const tr = tl > 1e-12 ? vec3.scale(vec3.create(), tang, (-trAmp * k) / tl) : vec3.create();
        events.push({ tS: t, rotationRad: rot, translationM: tr });
      } else if (!armed && mag < 0.5 * thr) armed = true;
    }
  }

  // One bank, six components (rotation x, y, z; translation x, y, z) sharing the kernel.
  const bank = new DampedOscillationBank({
    frequencyHz,
    dampingRatio,
    components: 6,
    events: events.map((e) => ({
      tS: e.tS,
      amplitudes: [...Array.from(e.rotationRad), ...Array.from(e.translationM ?? [0, 0, 0])],
    })),
  });
  const rotation = new AxisSequenceOrientation({
    axes: [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ],
    angles: [bank.component(0), bank.component(1), bank.component(2)],
    base: quat.create(),
  });
  const translation: [Trajectory1, Trajectory1, Trajectory1] = [bank.component(3), bank.component(4), bank.component(5)];
  return { rotation, translation, events };
}
