import { describe, expect, it } from 'vitest';
import { READ_ENDPOINTS, checkReadPath, upgradeHeader } from './read-paths.js';

const ok = (p: string) => checkReadPath(p);

describe('checkReadPath: the allow-list of read endpoints', () => {
  it('accepts every endpoint the client reads, with and without the /vX.Y prefix, with its query', () => {
    for (const p of [
      '/_ping',
      '/version',
      '/v1.41/version',
      '/v1.47/info',
      '/v1.41/containers/json?all=1&filters=%7B%22label%22%3A%5B%22com.docker.compose.project%3Dx%22%5D%7D',
      '/v1.41/containers/0123abcdef/json',
      '/v1.41/containers/e2eproof-app-1/json',
      '/v1.41/containers/0123abcdef/stats?stream=0&one-shot=1',
      '/v1.41/containers/0123abcdef/logs?stdout=1&stderr=1&timestamps=1&tail=all&since=1700000000',
      '/v1.41/events?since=1&until=2&filters=%7B%7D',
      `/v1.41/images/${encodeURIComponent('sha256:0123abcdef')}/json`,
      `/v1.41/images/${encodeURIComponent('registry.example:5000/team/app@sha256:0123abcdef')}/json`,
      `/v1.41/images/${encodeURIComponent('busybox:1.36')}/json`,
      '/v1.41/services?filters=%7B%22label%22%3A%5B%22com.docker.stack.namespace%3Dshop%22%5D%7D',
      '/v1.41/services/shop_web',
      '/v1.41/services/t51l8b988g8b/logs?stdout=1&stderr=1&timestamps=1&tail=200',
      '/v1.41/tasks',
      '/v1.41/nodes',
    ]) {
      expect(ok(p), p).toMatchObject({ ok: true });
    }
    expect(ok('/v1.41/containers/abc/json')).toEqual({ ok: true, endpoint: '/containers/{id}/json' });
  });

  it('lists exactly the endpoints of engine/client.ts', () => {
    expect(READ_ENDPOINTS.map((e) => e.pattern)).toEqual([
      '/_ping',
      '/version',
      '/info',
      '/events',
      '/libpod/events',
      '/containers/json',
      '/containers/{id}/json',
      '/containers/{id}/stats',
      '/containers/{id}/logs',
      '/images/{ref}/json',
      '/services',
      '/services/{id}',
      '/services/{id}/logs',
      '/tasks',
      '/nodes',
    ]);
  });

  it('reads Podman\'s own events endpoint, and no other libpod path', () => {
    expect(ok('/v1.41/libpod/events?since=1&stream=false')).toEqual({ ok: true, endpoint: '/libpod/events' });
    for (const p of ['/libpod/containers/json', '/libpod/containers/abc/exec', '/libpod/events/x']) expect(ok(p), p).toMatchObject({ ok: false });
  });

  // (a GET of /services/create reads a service named "create": the transport sends GET and HEAD only)
  it('refuses every swarm write path: update, rollback, node update, swarm init/leave, and what bcon does not read', () => {
    for (const p of ['/v1.41/services/shop_web/update?version=3', '/v1.41/nodes/abc/update', '/v1.41/swarm/init', '/v1.41/swarm/leave', '/v1.41/tasks/abc/logs', '/v1.41/secrets', '/v1.41/configs']) {
      expect(ok(p), p).toMatchObject({ ok: false });
    }
  });

  // what the old deny-list (/\/attach\/ws(\?|$)/) let through, and other ways of reaching another endpoint
  const refused: Array<[string, RegExp]> = [
    ['/containers/x/attach/ws', /not one of the engine endpoints/],
    ['/v1.41/containers/x/attach/w%73', /not written canonically/],
    ['/v1.41/containers/x/attach/%77s', /not written canonically/],
    ['/v1.41/containers/x/attach/ws/', /empty segment/],
    ['/v1.41/containers/x/attach/ws?stream=1&stdin=1', /not one of the engine endpoints/],
    ['/v1.41/containers/x/attach?stream=1&stdin=1&stdout=1', /not one of the engine endpoints/],
    ['/v1.41/containers/x/json/', /empty segment/],
    ['//v1.41/containers/x/json', /empty segment/],
    ['/v1.41//containers/x/json', /empty segment/],
    ['/v1.41/./containers/x/json', /dot segment/],
    ['/v1.41/containers/y/../x/attach/ws', /dot segment/],
    ['/v1.41/containers/%2e%2e/x/json', /dot segment/],
    ['/v1.41/containers/x%2F..%2Fy/json', /dot segment/],
    ['/v1.41/containers/%252e%252e/json', /percent-encoded twice/],
    ['/v1.41/containers/x%252Fattach%252Fws/json', /percent-encoded twice/],
    ['/v1.41/containers/%61bc/json', /not written canonically/],
    ['/v1.41/containers/abc/json%3Fx', /not written canonically|not one of/],
    ['/v1.41/containers/x%2Fattach%2Fws/json', /not one of the engine endpoints/],
    ['/v1.41\\containers\\json', /backslash/],
    ['/v1.41/containers/%5Cjson', /encoded backslash/],
    ['/v1.41/containers/%ZZ/json', /malformed percent-escape/],
    ['/v1.41/containers/x/json#frag', /fragment/],
    ['/v1.41/containers/x/json HTTP/1.1\r\nUpgrade: websocket', /spaces, control/],
    ['/v1.41/containers/x%0D%0A/json', /control character/],
    ['/V1.41/containers/json', /not one of the engine endpoints/],
    ['/v1.41/Containers/json', /not one of the engine endpoints/],
    ['/v1.41/exec/abc/json', /not one of the engine endpoints/],
    ['/v1.41/containers/x/export', /not one of the engine endpoints/],
    ['/v1.41/containers/x/archive?path=/etc', /not one of the engine endpoints|query/],
    ['/v1.41/images/get?names=x', /not one of the engine endpoints/],
    ['/v1.41/images/.%2F..%2Fx/json', /dot segment|not one of/],
    ['/session', /not one of the engine endpoints/],
    ['/grpc', /not one of the engine endpoints/],
    ['containers/json', /does not start with/],
    ['/v1.41/info?x=%', /malformed percent-escape/],
    ['/v1.41/info?x=<script>', /query holds characters/],
  ];
  it.each(refused)('refuses %j', (p, reason) => {
    const r = ok(p);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});

describe('upgradeHeader', () => {
  it('finds a protocol switch in any spelling, and nothing in plain reads', () => {
    expect(upgradeHeader({ Upgrade: 'websocket' })).toBe('Upgrade: websocket');
    expect(upgradeHeader({ upgrade: 'h2c' })).toBe('upgrade: h2c');
    expect(upgradeHeader({ Connection: 'keep-alive, Upgrade' })).toBe('Connection: keep-alive, Upgrade');
    expect(upgradeHeader({ connection: ['close', 'upgrade'] })).toBe('connection: close,upgrade');
    expect(upgradeHeader({ 'HTTP2-Settings': 'AAMAAABkAAQAAP__' })).toMatch(/HTTP2-Settings/);
    expect(upgradeHeader({ connection: 'keep-alive', host: 'docker' })).toBeUndefined();
    expect(upgradeHeader(undefined)).toBeUndefined();
  });
});
