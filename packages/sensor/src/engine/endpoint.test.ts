import { describe, expect, it } from 'vitest';
import { DEFAULT_SOCKET, endpointFromEnv, parseEngineAddress } from './endpoint.js';
import { EngineAddressError } from './errors.js';

describe('parseEngineAddress', () => {
  it('reads the forms DOCKER_HOST takes', () => {
    expect(parseEngineAddress('unix:///var/run/docker.sock')).toMatchObject({ kind: 'unix', socketPath: '/var/run/docker.sock' });
    expect(parseEngineAddress('/run/user/1000/docker.sock')).toMatchObject({ kind: 'unix', socketPath: '/run/user/1000/docker.sock' });
    expect(parseEngineAddress('tcp://10.0.0.5:2375', {})).toMatchObject({ kind: 'tcp', host: '10.0.0.5', port: 2375, tls: false });
    expect(parseEngineAddress('tcp://docker.example', { DOCKER_TLS_VERIFY: '1' })).toMatchObject({ port: 2376, tls: true });
    expect(parseEngineAddress('ssh://deploy@web1:2222')).toMatchObject({ kind: 'ssh', user: 'deploy', host: 'web1', port: 2222 });
    expect(parseEngineAddress('ssh://web1')).toMatchObject({ kind: 'ssh', user: undefined, port: 22 });
  });

  it('names what is wrong with an address it cannot use', () => {
    expect(() => parseEngineAddress('ftp://x')).toThrow(EngineAddressError);
    expect(() => parseEngineAddress('ftp://x')).toThrow(/the scheme "ftp" is not supported/);
    expect(() => parseEngineAddress('not a url')).toThrow(/it is not a URL/);
    expect(() => parseEngineAddress('  ')).toThrow(/it is empty/);
  });

  it('falls back to the default socket', () => {
    expect(endpointFromEnv({})).toEqual({ kind: 'unix', address: `unix://${DEFAULT_SOCKET}`, socketPath: DEFAULT_SOCKET });
    expect(endpointFromEnv({ DOCKER_HOST: 'unix:///tmp/d.sock' })).toMatchObject({ socketPath: '/tmp/d.sock' });
  });
});
