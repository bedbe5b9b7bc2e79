/**
 * Typed errors thrown by `src/math/`. Bad input never turns into a silent NaN: each failure
 * has its own class so callers can `instanceof`-test it, and a message that names the input.
 */

/** A value that must be a finite number was NaN or ±Infinity. */
export class NonFiniteInputError extends RangeError {
  override readonly name = 'NonFiniteInputError';
  /** Which argument (e.g. `'anglesRad'`). */
  readonly what: string;
  /** Index of the offending element in an array argument, or −1 for a scalar. */
  readonly index: number;
  constructor(what: string, value: number, index = -1) {
    super(`${what}${index >= 0 ? `[${index}]` : ''} must be finite, got ${value}`);
    this.what = what;
    this.index = index;
  }
}

/** A reduction needs more values than it was given (e.g. sample variance of one value). */
export class InsufficientDataError extends RangeError {
  override readonly name: string = 'InsufficientDataError';
  readonly needed: number;
  readonly got: number;
  constructor(what: string, needed: number, got: number) {
    super(`${what} needs at least ${needed} value${needed === 1 ? '' : 's'}, got ${got}`);
    this.needed = needed;
    this.got = got;
  }
}

/** A reduction was given no values at all (a special case of {@link InsufficientDataError}). */
export class EmptyInputError extends InsufficientDataError {
  override readonly name = 'EmptyInputError';
  constructor(what: string) {
    super(what, 1, 0);
  }
}

/** An array has the wrong length (arrays that must pair up, a short scratch, a partial sample). */
export class LengthMismatchError extends RangeError {
  override readonly name = 'LengthMismatchError';
  /** `expected` is a length, or a phrase such as `'a multiple of 3'`. */
  constructor(what: string, expected: number | string, got: number) {
    super(`${what}: expected length ${expected}, got ${got}`);
  }
}

/** A matrix is singular (or, for orthonormalisation, not orientation-preserving). */
export class SingularMatrixError extends Error {
  override readonly name = 'SingularMatrixError';
  readonly determinant: number;
  constructor(message: string, determinant: number) {
    super(`${message} (determinant ${determinant})`);
    this.determinant = determinant;
  }
}

/** A parameter (period, tolerance, percentile, …) is outside its valid range. */
export class ParameterRangeError extends RangeError {
  override readonly name: string = 'ParameterRangeError';
}

/** A filter parameter (cutoff, sampling rate, channel count) is out of its valid range. */
export class FilterParameterError extends ParameterRangeError {
  override readonly name = 'FilterParameterError';
}

/** A string that is not one of the 12 Euler sequences. */
export class UnknownEulerSequenceError extends Error {
  override readonly name = 'UnknownEulerSequenceError';
  constructor(seq: string) {
    super(`unknown Euler sequence '${seq}' (expected one of XYZ XZY YXZ YZX ZXY ZYX XYX XZX YXY YZY ZXZ ZYZ)`);
  }
}

/** The circular mean of angles whose unit vectors cancel out has no direction. */
export class UndefinedCircularMeanError extends RangeError {
  override readonly name = 'UndefinedCircularMeanError';
  /** Mean resultant length R̄ ∈ [0, 1] of the input. */
  readonly resultantLength: number;
  constructor(resultantLength: number) {
    super(`circular mean is undefined: the angles cancel out (mean resultant length ${resultantLength})`);
    this.resultantLength = resultantLength;
  }
}
