/**
 * A refusal or bad input the person can act on: a one-line message, a stable code for `--json`, and the exit code
 * bcon documents (2 unless said otherwise). The one error class the use-cases throw; every front-end renders it.
 */
export class OpsError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly exitCode = 2,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'OpsError';
  }
}
