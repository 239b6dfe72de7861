import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEngineAddress } from './endpoint.js';
import { EngineResponseError, EngineTimeoutError, EngineUnreachableError, ReadOnlyViolationError } from './errors.js';
import { ReadOnlyTransport } from './readonly-transport.js';
import { EngineClient } from './client.js';

let dir: string;
let server: http.Server;
const seen: string[] = [];
const served = new WeakMap<object, number>();

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'bcon-transport-'));
  server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (req.url === '/v1.41/containers/slow/json') return; // never answers
    // a kept-alive connection closed under the next request: the second request on a connection gets no answer
    if (req.url?.startsWith('/v1.41/containers/idle-closed/json')) {
      const n = (served.get(req.socket) ?? 0) + 1;
      served.set(req.socket, n);
      if (n > 1 || req.url.endsWith('always=1')) return req.socket.destroy();
    }
    if (req.url === '/v1.41/containers/missing/json') {
      res.statusCode = 404;
      return res.end(JSON.stringify({ message: 'No such container: x' }));
    }
    if (req.url === '/info') return res.end('<html>not docker</html>');
    // Podman's list while a container's process exits: a 500 the first `race` times, then the answer
    if (req.url?.startsWith('/v1.45/containers/json?race=')) {
      const n = Number(new URL(req.url, 'http://x').searchParams.get('race'));
      const asked = seen.filter((u) => u === `GET ${req.url}`).length;
      if (asked <= n) {
        res.statusCode = 500;
        return res.end(JSON.stringify({ message: 'read /proc/22986/cgroup: no such process' }));
      }
    }
    if (req.url === '/v1.45/containers/json?other=1') {
      res.statusCode = 500;
      return res.end(JSON.stringify({ message: 'database is locked' }));
    }
    if (req.url?.startsWith('/v1.45/containers/stopping/stats')) return res.end(''); // Podman, for a container that just stopped
    res.setHeader('Content-Type', 'application/json');
    if (req.url === '/version') return res.end(JSON.stringify({ ApiVersion: '1.45', Version: '27.0.0' }));
    if (req.url?.startsWith('/v1.45/events')) return res.end('{"Type":"container"}\n');
    res.end(JSON.stringify({ ok: true, url: req.url }));
  });
  await new Promise<void>((r) => server.listen(path.join(dir, 'engine.sock'), r));
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

const transport = (opts = {}) => new ReadOnlyTransport(parseEngineAddress(`unix://${path.join(dir, 'engine.sock')}`), opts);

describe('ReadOnlyTransport', () => {
  it('sends a request again, once, when the kept-alive connection it went on was closed before it answered', async () => {
    const t = transport();
    expect(await t.getJson('/v1.41/containers/idle-closed/json')).toMatchObject({ ok: true });
    // the next one goes on the same (kept-alive) connection, which the other end closes: a new one answers it
    expect(await t.getJson('/v1.41/containers/idle-closed/json')).toMatchObject({ ok: true });
    // a connection closed under a request on a fresh connection, or twice: an error that says so
    await expect(t.getJson('/v1.41/containers/idle-closed/json', { always: '1' })).rejects.toBeInstanceOf(EngineUnreachableError);
    t.close();
  });

  it('refuses every method but GET and HEAD before anything is sent', async () => {
    const t = transport();
    const before = seen.length;
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'CONNECT', 'post']) {
      await expect(t.open({ method, path: '/containers/x/stop' })).rejects.toBeInstanceOf(ReadOnlyViolationError);
    }
    await expect(t.open({ method: 'GET', path: '/containers/x/attach/ws' })).rejects.toThrow(/read-only/);
    await expect(t.open({ method: 'POST', path: '/containers/x/stop' })).rejects.toThrow(/^refused POST \/containers\/x\/stop: @bcon\/sensor is read-only and only sends GET or HEAD to the Docker engine; changes go through @bcon\/executor/);
    expect(seen.length).toBe(before);
    t.close();
  });

  it('sends GET with its query and HEAD', async () => {
    const t = transport();
    await expect(t.getJson('/containers/json', { all: true, limit: 3, skip: undefined })).resolves.toEqual({ ok: true, url: '/containers/json?all=1&limit=3' });
    await expect(t.head('/_ping')).resolves.toMatchObject({ status: 200 });
    expect(seen.slice(-2)).toEqual(['GET /containers/json?all=1&limit=3', 'HEAD /_ping']);
    t.close();
  });

  it('turns engine errors, non-JSON answers and silence into typed errors', async () => {
    const t = transport({ timeoutMs: 200 });
    await expect(t.getJson('/v1.41/containers/missing/json')).rejects.toThrow(EngineResponseError);
    await expect(t.getJson('/v1.41/containers/missing/json')).rejects.toThrow(/answered 404 to GET \/v1.41\/containers\/missing\/json: No such container: x/);
    await expect(t.getJson('/info')).rejects.toThrow(/is not JSON.*is DOCKER_HOST pointing at a Docker engine/);
    await expect(t.getJson('/v1.41/containers/slow/json')).rejects.toBeInstanceOf(EngineTimeoutError);
    t.close();
  });

  it('sends GET only to the read endpoints it uses, written canonically: other spellings never reach the socket', async () => {
    const t = transport();
    const before = seen.length;
    // each passed the old deny-list (/\/attach\/ws(\?|$)/), and the engine decodes or cleans each up into an attach
    for (const p of [
      '/v1.41/containers/x/attach/w%73',
      '/v1.41/containers/x/attach/%77%73',
      '/v1.41/containers/x/attach/ws/',
      '/v1.41//containers/x/attach/ws',
      '/v1.41/containers/x/./attach/ws',
      '/v1.41/containers/y/../x/attach/ws',
      '/v1.41/containers/x/attach',
      '/v1.41/containers/x/export',
      '/v1.41/exec/x/json',
    ]) {
      await expect(t.open({ method: 'GET', path: p }), p).rejects.toBeInstanceOf(ReadOnlyViolationError);
      await expect(t.open({ method: 'HEAD', path: p }), p).rejects.toThrow(/refused HEAD .*: @bcon\/sensor is read-only/);
    }
    // a query cannot smuggle a path in either
    await expect(t.getJson('/v1.41/containers/x/json', { 'x=1 HTTP/1.1\r\nUpgrade: websocket\r\n\r\nGET /containers/x/attach/ws?': 1 })).resolves.toBeDefined();
    expect(seen.at(-1)).toMatch(/^GET \/v1.41\/containers\/x\/json\?x%3D1\+HTTP%2F1\.1%0D%0AUpgrade/);
    expect(seen.length).toBe(before + 1);
    t.close();
  });

  it('refuses a protocol switch (Upgrade, Connection: upgrade) on any path', async () => {
    const t = transport();
    const before = seen.length;
    const upgrades: Array<Record<string, string>> = [{ Upgrade: 'websocket' }, { Connection: 'Upgrade' }, { connection: 'keep-alive, upgrade' }, { upgrade: 'h2c' }];
    for (const headers of upgrades) {
      await expect(t.open({ method: 'GET', path: '/_ping', headers })).rejects.toThrow(/refused GET \/_ping: .*it asks for a protocol switch/);
    }
    expect(seen.length).toBe(before);
    t.close();
  });

  it('stats of a container that stopped meanwhile (Podman: 200 with an empty body) are no figures, not an error', async () => {
    const client = new EngineClient(parseEngineAddress(`unix://${path.join(dir, 'engine.sock')}`));
    await client.connect();
    await expect(client.statsOnce('stopping')).resolves.toBeUndefined();
    client.close();
  });

  it("lets through every read of the sensor's own client (the allow-list is derived from them)", async () => {
    const client = new EngineClient(parseEngineAddress(`unix://${path.join(dir, 'engine.sock')}`));
    await client.connect();
    expect(await client.ping()).toBe(true);
    await client.info();
    await client.listContainers({ filters: { label: ['com.docker.compose.project=x'] } });
    await client.inspectContainer('e2eproof-app-1');
    await client.inspectImage('registry.example:5000/team/app:1.2@sha256:0123');
    await client.inspectImage('sha256:0123abcdef');
    await client.statsOnce('0123abcdef');
    await client.events({ since: 1, until: 2, filters: { type: ['container'] } });
    (await client.logStream('0123abcdef', { tail: 10, since: 1 })).resume();
    client.close();
    expect(seen.slice(-10).map((l) => l.replace(/\?.*/, ''))).toEqual([
      'GET /version',
      'HEAD /_ping',
      'GET /v1.45/info',
      'GET /v1.45/containers/json',
      'GET /v1.45/containers/e2eproof-app-1/json',
      'GET /v1.45/images/registry.example%3A5000%2Fteam%2Fapp%3A1.2%40sha256%3A0123/json',
      'GET /v1.45/images/sha256%3A0123abcdef/json',
      'GET /v1.45/containers/0123abcdef/stats',
      'GET /v1.45/events',
      'GET /v1.45/containers/0123abcdef/logs',
    ]);
  });

  it("asks again, twice at most, when a list fails because a container's process vanished as it was read (Podman)", async () => {
    const t = transport();
    await expect(t.getJson('/v1.45/containers/json', { race: 2 })).resolves.toMatchObject({ ok: true });
    expect(seen.filter((u) => u === 'GET /v1.45/containers/json?race=2')).toHaveLength(3);
    await expect(t.getJson('/v1.45/containers/json', { race: 3 })).rejects.toThrow(/answered 500 to GET \/v1.45\/containers\/json: read \/proc\/22986\/cgroup: no such process/);
    expect(seen.filter((u) => u === 'GET /v1.45/containers/json?race=3')).toHaveLength(3);
    // any other 500 is told at once
    await expect(t.getJson('/v1.45/containers/json', { other: 1 })).rejects.toThrow(/database is locked/);
    expect(seen.filter((u) => u === 'GET /v1.45/containers/json?other=1')).toHaveLength(1);
    t.close();
  });

  it('says when nothing listens', async () => {
    const t = new ReadOnlyTransport(parseEngineAddress(`unix://${path.join(dir, 'absent.sock')}`));
    await expect(t.getJson('/version')).rejects.toBeInstanceOf(EngineUnreachableError);
    await expect(t.getJson('/version')).rejects.toThrow(/no socket at that path/);
  });

  it('has no ssh transport without a connection factory', () => {
    expect(() => new ReadOnlyTransport(parseEngineAddress('ssh://u@h'))).toThrow(/not supported by this version/);
  });
});
