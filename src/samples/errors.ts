/**
 * Typed errors of the samples layer. Bad input throws one of these with a message that says
 * what was wrong and where; nothing here returns NaN in place of an answer.
 */

/** A block's arrays do not have the lengths its sample count implies (e.g. `accMS2` ≠ 3n). */
export class BlockShapeError extends Error {
  override readonly name = 'BlockShapeError';
  constructor(
    readonly sensorId: string,
    /** Field whose length is wrong, e.g. `accMS2`. */
    readonly field: string,
    readonly expectedLength: number,
    readonly actualLength: number,
  ) {
    super(
      `${sensorId}: ${field} has length ${actualLength}, expected ${expectedLength}` +
        ` (${field === 'tS' ? 'sample count' : 'sample count × components'})`,
    );
  }
}

/** Blocks of different sensors were mixed where one sensor was expected. */
export class SensorMismatchError extends Error {
  override readonly name = 'SensorMismatchError';
  constructor(
    readonly expectedSensorId: string,
    readonly actualSensorId: string,
  ) {
    super(`expected blocks of sensor '${expectedSensorId}' only, got a block of '${actualSensorId}'`);
  }
}

/** An option or argument is out of its valid range (non-finite, non-positive, …). */
export class SampleParameterError extends RangeError {
  override readonly name = 'SampleParameterError';
  constructor(
    readonly parameter: string,
    readonly value: unknown,
    requirement: string,
  ) {
    super(`${parameter} must be ${requirement}, got ${String(value)}`);
  }
}

/** Sample times go backwards or are not finite where an operation needs ordered times. */
export class TimeOrderError extends Error {
  override readonly name = 'TimeOrderError';
  constructor(
    readonly sensorId: string,
    /** Index of the offending sample within the block. */
    readonly index: number,
    message: string,
  ) {
    super(`${sensorId}: ${message} (sample ${index}); run validateBlock to find all such samples`);
  }
}

/** Too few samples to estimate what was asked (a rate needs at least one positive interval). */
export class InsufficientSamplesError extends Error {
  override readonly name = 'InsufficientSamplesError';
  constructor(message: string) {
    super(message);
  }
}

/** Sensors to be aligned share no common time span (after offsets). */
export class NoOverlapError extends Error {
  override readonly name = 'NoOverlapError';
  constructor(message: string) {
    super(message);
  }
}
