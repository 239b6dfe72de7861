import { userInfo } from 'node:os';
import Docker from 'dockerode';
import { knownHostsPath, parseEngineAddress, readSshPrivateKey, sshKeyFile, sshTimeoutMs, tlsFromEnv, verifyHostKey } from '@bcon/sensor';

/**
 * The engine's write client, on the sensor's endpoint settings: DOCKER_HOST (unix socket; tcp with
 * DOCKER_TLS_VERIFY / DOCKER_CERT_PATH as the docker CLI reads them; or ssh:// — agentless, `docker system
 * dial-stdio` on the host, the host key checked against known_hosts, a key file refused when its permissions are
 * loose, the handshake bounded by BCON_SSH_TIMEOUT), else the default socket.
 */
export function dockerFromEnv(env: NodeJS.ProcessEnv = process.env): Docker {
  const host = env['DOCKER_HOST'];
  if (!host || host.startsWith('unix://')) return new Docker({ socketPath: host ? host.slice('unix://'.length) : '/var/run/docker.sock' });
  const ep = parseEngineAddress(host, env);
  if (ep.kind === 'ssh') {
    const keyFile = sshKeyFile(env);
    const label = `ssh://${ep.user ? `${ep.user}@` : ''}${ep.host}${ep.port === 22 ? '' : `:${ep.port}`}`;
    return new Docker({
      protocol: 'ssh',
      host: ep.host,
      port: ep.port,
      username: ep.user ?? userInfo().username,
      sshOptions: {
        ...(keyFile ? { privateKey: readSshPrivateKey(keyFile, label) } : {}),
        ...(env['SSH_AUTH_SOCK'] ? { agent: env['SSH_AUTH_SOCK'] } : {}),
        readyTimeout: sshTimeoutMs(env),
        hostVerifier: (key: Buffer) => verifyHostKey(ep.host, ep.port, key, knownHostsPath(env)).ok,
      },
    } as Docker.DockerOptions);
  }
  if (ep.kind === 'unix') return new Docker({ socketPath: ep.socketPath });
  if (!ep.tls) return new Docker({ host: ep.host, port: ep.port, protocol: 'http' });
  const tls = tlsFromEnv(env);
  return new Docker({ host: ep.host, port: ep.port, protocol: 'https', ...(tls.ca ? { ca: tls.ca as Buffer } : {}), ...(tls.cert ? { cert: tls.cert as Buffer } : {}), ...(tls.key ? { key: tls.key as Buffer } : {}) } as Docker.DockerOptions);
}
