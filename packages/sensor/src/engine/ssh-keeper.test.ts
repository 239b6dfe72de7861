import { describe, expect, it } from 'vitest';
import { routeKeeperRequest } from './ssh-keeper.js';

describe('the SSH connection keeper: what it forwards to the engine', () => {
  it('forwards the reads of the sensor, with none of the client\'s hop-by-hop headers', () => {
    const route = routeKeeperRequest('GET', '/v1.41/containers/abc/json', { host: 'docker', connection: 'keep-alive', 'keep-alive': 'timeout=5', te: 'trailers', accept: 'application/json' });
    expect(route).toEqual({ forward: true, headers: { host: 'docker', accept: 'application/json' } });
    expect(routeKeeperRequest('HEAD', '/_ping', {})).toMatchObject({ forward: true });
  });

  it('answers its own endpoints', () => {
    expect(routeKeeperRequest('GET', '/_bcon/keeper', {})).toEqual({ local: 'keeper' });
    expect(routeKeeperRequest('GET', '/_bcon/files?p=%2Fproc%2Fstat&p=%2Fsys%2Ffs%2Fcgroup%2Fx', {})).toEqual({ local: 'files', paths: ['/proc/stat', '/sys/fs/cgroup/x'] });
  });

  it('refuses writes, protocol switches (on any path, its own too) and every other path or spelling', () => {
    const refused: Array<[string, string, Record<string, string>, RegExp]> = [
      ['POST', '/v1.41/containers/abc/stop', {}, /refused POST \/v1.41\/containers\/abc\/stop: @bcon\/sensor is read-only and only sends GET or HEAD/],
      ['GET', '/v1.41/containers/abc/attach/ws', { upgrade: 'websocket', connection: 'Upgrade' }, /it asks for a protocol switch \(upgrade: websocket\)/],
      ['GET', '/v1.41/containers/abc/json', { upgrade: 'websocket' }, /protocol switch/],
      ['GET', '/_ping', { connection: 'keep-alive, Upgrade' }, /protocol switch \(connection: keep-alive, Upgrade\)/],
      ['GET', '/_bcon/keeper', { upgrade: 'h2c' }, /protocol switch/],
      ['GET', '/v1.41/containers/abc/attach/w%73', {}, /not written canonically/],
      ['GET', '/v1.41/containers/abc/attach/ws/', {}, /empty segment/],
      ['GET', '/v1.41/containers/abc/attach/ws', {}, /not one of the engine endpoints/],
      ['GET', '/v1.41/containers/abc/../abc/attach/ws', {}, /dot segment/],
      ['GET', '/v1.41/exec/abc/json', {}, /not one of the engine endpoints/],
      ['GET', '/_bcon/%66iles?p=x', {}, /not written canonically/],
    ];
    for (const [method, url, headers, reason] of refused) {
      const route = routeKeeperRequest(method, url, headers);
      expect(route, `${method} ${url}`).toHaveProperty('refuse');
      expect((route as { refuse: string }).refuse).toMatch(/^the bcon connection keeper forwards only reads: /);
      expect((route as { refuse: string }).refuse, `${method} ${url}`).toMatch(reason);
    }
  });
});
