/**
 * Bad input, or a refusal the person can act on: a one-line message, a stable code for `--json`, and the exit code
 * bcon documents (2 unless said otherwise). BconCommand prints it as `bcon: …`.
 */
export class InputError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}
