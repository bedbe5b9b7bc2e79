/**
 * Typed errors of the joint-angle, inclinometer and ROM stages (`src/kinematics/`). Bad input
 * never becomes a silent NaN or a confident wrong angle.
 */

/** A joint, segment, motion or side name that the body model does not know. */
export class UnknownBodyPartError extends Error {
  override readonly name = 'UnknownBodyPartError';
  constructor(kind: 'joint' | 'segment' | 'motion' | 'side', value: string, known: readonly string[]) {
    super(`unknown ${kind} '${value}' (expected one of: ${known.join(', ')})`);
  }
}

/** An input to an angle stage is unusable: non-finite, zero-norm quaternion, wrong length, bad parameter. */
export class AngleInputError extends RangeError {
  override readonly name = 'AngleInputError';
}
