import Docker from 'dockerode';

/** The engine's write client: DOCKER_HOST (unix socket or tcp), else the default socket. */
export function dockerFromEnv(env: NodeJS.ProcessEnv = process.env): Docker {
  const host = env['DOCKER_HOST'];
  if (!host || host.startsWith('unix://')) return new Docker({ socketPath: host ? host.slice('unix://'.length) : '/var/run/docker.sock' });
  const url = new URL(host.replace(/^tcp:/, env['DOCKER_TLS_VERIFY'] ? 'https:' : 'http:'));
  return new Docker({ host: url.hostname, port: Number(url.port || 2375), protocol: url.protocol === 'https:' ? 'https' : 'http' });
}
