import { EngineAddressError } from './errors.js';

/** Where a Docker engine listens. Parsed from DOCKER_HOST, a bcon.yaml host, or the default socket. */
export type EngineEndpoint =
  | { kind: 'unix'; address: string; socketPath: string }
  | { kind: 'tcp'; address: string; host: string; port: number; tls: boolean }
  | { kind: 'ssh'; address: string; user: string | undefined; host: string; port: number };

export const DEFAULT_SOCKET = '/var/run/docker.sock';

/** Parse a Docker host address the way the docker CLI reads DOCKER_HOST. */
export function parseEngineAddress(value: string, env: NodeJS.ProcessEnv = process.env): EngineEndpoint {
  const address = value.trim();
  if (address === '') throw new EngineAddressError(value, 'it is empty');
  if (address.startsWith('/')) return { kind: 'unix', address: `unix://${address}`, socketPath: address };
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new EngineAddressError(value, 'it is not a URL');
  }
  switch (url.protocol) {
    case 'unix:': {
      const socketPath = decodeURIComponent(url.pathname || url.host);
      if (!socketPath) throw new EngineAddressError(value, 'the socket path is missing');
      return { kind: 'unix', address, socketPath };
    }
    case 'tcp:':
    case 'http:':
    case 'https:': {
      if (!url.hostname) throw new EngineAddressError(value, 'the host name is missing');
      const tls = url.protocol === 'https:' || Boolean(env['DOCKER_TLS_VERIFY'] && env['DOCKER_TLS_VERIFY'] !== '0');
      const port = url.port ? Number(url.port) : tls ? 2376 : 2375;
      return { kind: 'tcp', address, host: url.hostname, port, tls };
    }
    case 'ssh:': {
      if (!url.hostname) throw new EngineAddressError(value, 'the host name is missing');
      return {
        kind: 'ssh',
        address,
        user: url.username ? decodeURIComponent(url.username) : undefined,
        host: url.hostname,
        port: url.port ? Number(url.port) : 22,
      };
    }
    default:
      throw new EngineAddressError(value, `the scheme "${url.protocol.replace(/:$/, '')}" is not supported`);
  }
}

/** The engine to use when nothing names one: DOCKER_HOST, else the default socket. */
export function endpointFromEnv(env: NodeJS.ProcessEnv = process.env): EngineEndpoint {
  const fromEnv = env['DOCKER_HOST'];
  if (fromEnv && fromEnv.trim() !== '') return parseEngineAddress(fromEnv, env);
  return { kind: 'unix', address: `unix://${DEFAULT_SOCKET}`, socketPath: DEFAULT_SOCKET };
}
