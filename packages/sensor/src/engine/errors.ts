/**
 * Typed errors of the sensor. Each message says what happened, where, and what to do;
 * `exitCode` 2 means "could not check" in every bcon command.
 */
export class SensorError extends Error {
  readonly exitCode: number = 2;
  constructor(
    message: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A request the read-only transport does not send: a method other than GET/HEAD, a path that is not one of the
 * engine's read endpoints the sensor uses (written canonically), or a protocol upgrade.
 */
export class ReadOnlyViolationError extends SensorError {
  constructor(
    readonly method: string,
    readonly path: string,
    /** why, when the method was GET or HEAD: the path or a header */
    readonly reason?: string,
  ) {
    super(
      reason === undefined
        ? `refused ${method} ${path}: @bcon/sensor is read-only and only sends GET or HEAD to the Docker engine; ` +
            'changes go through @bcon/executor after an approval'
        : `refused ${method} ${path}: @bcon/sensor is read-only and only sends GET or HEAD to the engine's read endpoints it uses, ` +
            `written canonically; ${reason}`,
      'read_only_violation',
    );
  }
}

/** The engine could not be reached at all (no socket, connection refused, time-out, DNS). */
export class EngineUnreachableError extends SensorError {
  constructor(
    readonly host: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      `cannot reach the Docker engine at ${host} (${reason}): start dockerd, or point DOCKER_HOST at a running engine ` +
        '(unix:///path/docker.sock, tcp://host:2375)',
      'engine_unreachable',
      options,
    );
  }
}

/** The socket exists but this user may not open it. */
export class EnginePermissionError extends SensorError {
  constructor(
    readonly host: string,
    options?: { cause?: unknown },
  ) {
    super(
      `permission denied on the Docker engine socket ${host}: run as root, add your user to the "docker" group ` +
        '(then log in again), or point DOCKER_HOST at an engine you may use',
      'engine_permission',
      options,
    );
  }
}

/** The engine speaks an API older than bcon supports. */
export class EngineApiTooOldError extends SensorError {
  constructor(
    readonly host: string,
    readonly apiVersion: string,
    readonly minimum: string,
  ) {
    super(
      `the Docker engine at ${host} speaks API ${apiVersion}, older than the oldest bcon supports (${minimum}, Docker 20.10): ` +
        'upgrade Docker on that host',
      'engine_api_too_old',
    );
  }
}

/** DOCKER_HOST (or a configured host) is not a form bcon understands. */
export class EngineAddressError extends SensorError {
  constructor(
    readonly value: string,
    reason: string,
  ) {
    super(
      `cannot use Docker host "${value}": ${reason}. Use unix:///path/to/docker.sock, tcp://host:port or ssh://user@host[:port]`,
      'engine_address',
    );
  }
}

/** The engine answered with an error status. */
export class EngineResponseError extends SensorError {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    engineMessage: string,
  ) {
    super(`the Docker engine answered ${status} to ${method} ${path}: ${engineMessage}`, 'engine_response');
  }
}

/** The engine did not answer a request in time. */
export class EngineTimeoutError extends SensorError {
  constructor(
    readonly host: string,
    readonly path: string,
    readonly timeoutMs: number,
  ) {
    super(
      `the Docker engine at ${host} did not answer ${path} within ${timeoutMs} ms: the engine may be overloaded or hung; ` +
        'check `systemctl status docker` (or the dockerd log) on that host',
      'engine_timeout',
    );
  }
}

/** The SSH connection to a remote engine failed: host key, authentication, network or the remote docker CLI. */
export class SshHostError extends SensorError {
  constructor(
    readonly host: string,
    message: string,
    code: 'ssh_unknown_host_key' | 'ssh_changed_host_key' | 'ssh_revoked_host_key' | 'ssh_auth' | 'ssh_unreachable' | 'ssh_remote',
    options?: { cause?: unknown },
  ) {
    super(`${host}: ${message}`, code, options);
    this.detail = message;
  }
  /** the message without the host (to carry the error across processes) */
  readonly detail: string;
}
