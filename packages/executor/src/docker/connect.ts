import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import Docker from 'dockerode';
import { knownHostsPath, parseEngineAddress, sshKeyFile, verifyHostKey } from '@bcon/sensor';

/**
 * The engine's write client: DOCKER_HOST (unix socket, tcp, or ssh:// — agentless, `docker system dial-stdio` on
 * the host, host key checked against known_hosts as the sensor does), else the default socket.
 */
export function dockerFromEnv(env: NodeJS.ProcessEnv = process.env): Docker {
  const host = env['DOCKER_HOST'];
  if (!host || host.startsWith('unix://')) return new Docker({ socketPath: host ? host.slice('unix://'.length) : '/var/run/docker.sock' });
  const ep = parseEngineAddress(host, env);
  if (ep.kind === 'ssh') {
    const keyFile = sshKeyFile(env);
    return new Docker({
      protocol: 'ssh',
      host: ep.host,
      port: ep.port,
      username: ep.user ?? userInfo().username,
      sshOptions: {
        ...(keyFile ? { privateKey: readFileSync(keyFile) } : {}),
        ...(env['SSH_AUTH_SOCK'] ? { agent: env['SSH_AUTH_SOCK'] } : {}),
        hostVerifier: (key: Buffer) => verifyHostKey(ep.host, ep.port, key, knownHostsPath(env)).ok,
      },
    } as Docker.DockerOptions);
  }
  if (ep.kind === 'unix') return new Docker({ socketPath: ep.socketPath });
  return new Docker({ host: ep.host, port: ep.port, protocol: ep.tls ? 'https' : 'http' });
}
