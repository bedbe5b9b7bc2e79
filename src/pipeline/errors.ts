/** Errors a pipeline stream ends with. */

/** Reconnecting failed `attempts` times in a row: the stream errors with this (blocks already emitted stay emitted). */
export class ReconnectFailedError extends Error {
  override readonly name = 'ReconnectFailedError';
  constructor(
    readonly attempts: number,
    readonly lastError: unknown,
  ) {
    super(`reconnect failed after ${attempts} attempt(s): ${(lastError as Error)?.message ?? String(lastError)}`);
  }
}

/** A pipeline operator got a parameter it cannot use. */
export class PipelineParamError extends RangeError {
  override readonly name = 'PipelineParamError';
  constructor(param: string, value: unknown, expected: string) {
    super(`${param} = ${String(value)}: expected ${expected}`);
  }
}
