import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEngineAddress } from './endpoint.js';
import { EngineResponseError, EngineTimeoutError, EngineUnreachableError, ReadOnlyViolationError } from './errors.js';
import { ReadOnlyTransport } from './readonly-transport.js';

let dir: string;
let server: http.Server;
const seen: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'bcon-transport-'));
  server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (req.url === '/slow') return; // never answers
    if (req.url === '/missing') {
      res.statusCode = 404;
      return res.end(JSON.stringify({ message: 'No such container: x' }));
    }
    if (req.url === '/html') return res.end('<html>not docker</html>');
    res.setHeader('Content-Type', 'application/json');
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
  it('refuses every method but GET and HEAD before anything is sent', async () => {
    const t = transport();
    const before = seen.length;
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'CONNECT', 'post']) {
      await expect(t.open({ method, path: '/containers/x/stop' })).rejects.toBeInstanceOf(ReadOnlyViolationError);
    }
    await expect(t.open({ method: 'GET', path: '/containers/x/attach/ws' })).rejects.toThrow(/read-only/);
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
    await expect(t.getJson('/missing')).rejects.toThrow(EngineResponseError);
    await expect(t.getJson('/missing')).rejects.toThrow(/answered 404 to GET \/missing: No such container: x/);
    await expect(t.getJson('/html')).rejects.toThrow(/is not JSON.*is DOCKER_HOST pointing at a Docker engine/);
    await expect(t.getJson('/slow')).rejects.toBeInstanceOf(EngineTimeoutError);
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
