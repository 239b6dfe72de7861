import { SensorError } from '../engine/errors.js';

/** The desired state could not be read or understood: names the file, the path inside it, and what was expected. */
export class DesiredStateError extends SensorError {
  constructor(
    message: string,
    code = 'desired_state',
    readonly file?: string,
    readonly path?: string,
    options?: { cause?: unknown },
  ) {
    super(message, code, options);
  }
}
