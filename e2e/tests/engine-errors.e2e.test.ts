// An engine bcon cannot use gets one line that says which problem it is and what to do, and exit code 2.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBcon } from '../harness/bcon.js';
import { dockerHost } from '../harness/docker.js';

let dir: string;
let home: string;

function expectOneLineError(res: { code: number; stdout: string; stderr: string }, pattern: RegExp): void {
  expect(res.code).toBe(2);
  const lines = res.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^bcon: /);
  expect(lines[0]).toMatch(pattern);
  expect(res.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

describe('bcon status when the engine cannot be used', () => {
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'bcon-err-'));
    home = mkdtempSync(path.join(tmpdir(), 'bcon-home-'));
    chmodSync(home, 0o777);
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  it('names a missing socket', async () => {
    const res = await runBcon(['status'], { DOCKER_HOST: `unix://${dir}/nothing.sock`, BCON_HOME: home });
    expectOneLineError(res, /cannot reach the Docker engine at unix:\/\/.*nothing\.sock \(no socket at that path\).*DOCKER_HOST/);
  });

  it('names a refused TCP connection', async () => {
    const res = await runBcon(['status'], { DOCKER_HOST: 'tcp://127.0.0.1:1', BCON_HOME: home });
    expectOneLineError(res, /cannot reach the Docker engine at tcp:\/\/127\.0\.0\.1:1 \(connection refused\)/);
  });

  it('says so when the socket may not be opened (a real engine, a user outside the docker group)', async () => {
    const res = await runBcon(['status'], { DOCKER_HOST: dockerHost(), BCON_HOME: home, HOME: home }, { uid: 65534, gid: 65534 });
    expectOneLineError(res, /permission denied on the Docker engine socket .*docker" group/);
  });

  it('refuses an engine API older than supported', async () => {
    // No Docker older than 20.10 can run here: a socket that answers /version like Docker 19.03 stands in for one.
    const sock = path.join(dir, 'old.sock');
    const server = http.createServer((req, res) => {
      res.setHeader('Content-Type', 'application/json');
      if (req.url === '/version') res.end(JSON.stringify({ Version: '19.03.15', ApiVersion: '1.40', MinAPIVersion: '1.12', Os: 'linux', Arch: 'amd64' }));
      else res.end('{}');
    });
    await new Promise<void>((r) => server.listen(sock, r));
    try {
      const res = await runBcon(['status'], { DOCKER_HOST: `unix://${sock}`, BCON_HOME: home });
      expectOneLineError(res, /speaks API 1\.40, older than the oldest bcon supports \(1\.41, Docker 20\.10\): upgrade Docker/);
    } finally {
      server.close();
    }
  });

  it('rejects an address it cannot use', async () => {
    const res = await runBcon(['status'], { DOCKER_HOST: 'ftp://example', BCON_HOME: home });
    expectOneLineError(res, /cannot use Docker host "ftp:\/\/example": the scheme "ftp" is not supported/);
  });

  it('gives scripts the error as JSON too', async () => {
    const res = await runBcon(['status', '--json'], { DOCKER_HOST: `unix://${dir}/nothing.sock`, BCON_HOME: home });
    expect(res.code).toBe(2);
    expect(JSON.parse(res.stdout)).toEqual({ error: { code: 'engine_unreachable', message: expect.stringContaining('cannot reach the Docker engine') } });
  });
});
