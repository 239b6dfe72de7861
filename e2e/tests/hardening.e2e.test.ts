// The security review's findings, checked where they matter: on a real engine, a real sshd and the built CLI.
// (A) What the engine does with other spellings of the websocket attach endpoint (it decodes them and attaches),
//     and that neither the sensor's transport nor the SSH connection keeper sends any of them (nor an Upgrade).
// (B) A private key file that others may read is refused, naming the file, its mode and `chmod 600 FILE`.
// (C) A YAML alias bomb and a 50 MB compose file (and an alias bomb in bcon.yaml) get a clear error at once, in
//     bounded memory, from `bcon drift`.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient, ReadOnlyViolationError, parseEngineAddress } from '@bcon/sensor';
import { BCON_BIN, runBcon } from '../harness/bcon.js';
import { docker, removeProject, socketPath } from '../harness/docker.js';
import { runComposeContainer } from '../harness/fixtures.js';
import { startRecordingProxy } from '../harness/recording-proxy.js';
import { BUSYBOX_IMAGE } from '../testbed/images.mjs';
import { startSshHost } from '../testbed/sshd.mjs';

const P = 'e2ehard';
const APP = `${P}-app-1`;
let work: string;
let appId: string;

/** The first line of the engine's answer to a raw request (what a client bypassing bcon would get). */
function rawStatus(socket: string, target: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const conn = net.connect(socket);
    let got = '';
    const done = (line: string) => {
      conn.destroy();
      resolve(line);
    };
    conn.setTimeout(5000, () => done('(no answer within 5 s)'));
    conn.on('error', reject);
    conn.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      const end = got.indexOf('\r\n');
      if (end !== -1) done(got.slice(0, end));
    });
    conn.on('close', () => resolve(got.split('\r\n')[0] || '(closed)'));
    conn.write(`GET ${target} HTTP/1.1\r\nHost: docker\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);
  });
}

/** What a websocket client sends to attach. */
const WEBSOCKET = { Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version': '13', Origin: 'http://localhost' };

/** Run the built CLI; its time and its peak resident set (VmHWM, polled from /proc). */
function runMeasured(args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number; stdout: string; stderr: string; ms: number; peakMb: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BCON_BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    let peakKb = 0;
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        // exited meanwhile
      }
    }, 10);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      resolve({ code: code ?? -1, stdout, stderr, ms: performance.now() - started, peakMb: peakKb / 1024 });
    });
  });
}

const git = (dir: string, ...args: string[]) => execFileSync('git', ['-c', 'user.email=e2e@bcon.local', '-c', 'user.name=bcon e2e', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, encoding: 'utf8' }).trim();

function repoWith(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(work, 'repo-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'stack');
  return dir;
}

describe('hardening (security review)', () => {
  beforeAll(() => {
    removeProject(P);
    runComposeContainer({ project: P, service: 'app', image: BUSYBOX_IMAGE, command: ['sh', '-c', 'echo app up; trap "exit 0" TERM; sleep 3600 & wait'] });
    appId = docker(['inspect', '-f', '{{.Id}}', APP]);
    work = mkdtempSync(path.join(tmpdir(), 'bcon-hardening-'));
  }, 60_000);
  afterAll(() => {
    removeProject(P);
    rmSync(work, { recursive: true, force: true });
  });

  describe('A: the read-only transport sends only the read endpoints the sensor uses', () => {
    // spellings of the websocket attach endpoint (each but the first passed the old deny-list /\/attach\/ws(\?|$)/)
    const spellings = (id: string) => [
      `/v1.41/containers/${id}/attach/ws?stream=1`,
      `/v1.41/containers/${id}/attach/w%73?stream=1`,
      `/v1.41/containers/${id}/attach/%77%73?stream=1`,
      `/v1.41/containers/${id}/%61ttach/ws?stream=1`,
      `/v1.41/containers/${id}/attach/ws/?stream=1`,
      `/v1.41//containers/${id}/attach/ws?stream=1`,
      `/v1.41/containers/${id}/./attach/ws?stream=1`,
      `/v1.41/containers/other/../${id}/attach/ws?stream=1`,
      `/v1.41/containers/${id}/attach/ws%3Fstream=1`,
    ];

    it('the engine attaches on every percent-encoded spelling (what the old deny-list let through), and bcon sends none of them', async () => {
      const proxy = await startRecordingProxy(socketPath(), path.join(work, 'proxy-a.sock'));
      try {
        // what the engine does, asked directly (not through bcon)
        const answers: Array<[string, string]> = [];
        for (const target of spellings(appId)) answers.push([target.replace(appId, 'ID'), await rawStatus(socketPath(), target, WEBSOCKET)]);
        console.log(`the engine's answers to a websocket attach, by spelling:\n${answers.map(([t, a]) => `  ${a.padEnd(36)} ${t}`).join('\n')}`);
        const status = new Map(answers);
        expect(status.get('/v1.41/containers/ID/attach/ws?stream=1')).toMatch(/^HTTP\/1\.1 101 /);
        // the engine decodes the path before routing: these are the attach endpoint to it
        expect(status.get('/v1.41/containers/ID/attach/w%73?stream=1')).toMatch(/^HTTP\/1\.1 101 /);
        expect(status.get('/v1.41/containers/ID/attach/%77%73?stream=1')).toMatch(/^HTTP\/1\.1 101 /);
        expect(status.get('/v1.41/containers/ID/%61ttach/ws?stream=1')).toMatch(/^HTTP\/1\.1 101 /);
        // it redirects the unclean ones to the attach endpoint (a client that follows redirects attaches), and does
        // not route a trailing slash (Docker 20.10 here: 301 and 404; another engine may attach: bcon sends none)
        for (const t of ['/v1.41//containers/ID/attach/ws?stream=1', '/v1.41/containers/ID/./attach/ws?stream=1', '/v1.41/containers/other/../ID/attach/ws?stream=1']) {
          expect(status.get(t), t).toMatch(/^HTTP\/1\.1 (101|301) /);
        }
        expect(status.get('/v1.41/containers/ID/attach/ws/?stream=1')).toMatch(/^HTTP\/1\.1 (101|301|404) /);

        // bcon: every spelling refused before it reaches the engine, with and without the Upgrade headers
        const client = new EngineClient(parseEngineAddress(proxy.dockerHost));
        const before = proxy.records.length;
        for (const target of spellings(appId)) {
          for (const headers of [undefined, { Upgrade: 'websocket', Connection: 'Upgrade' }]) {
            const err = await client.transport.open({ method: 'GET', path: target, ...(headers ? { headers } : {}) }).then(() => undefined, (e: unknown) => e);
            expect(err, target).toBeInstanceOf(ReadOnlyViolationError);
          }
        }
        // an allowed path asking for a protocol switch is refused too
        await expect(client.transport.open({ method: 'GET', path: `/v1.41/containers/${appId}/json`, headers: { Connection: 'keep-alive, Upgrade', Upgrade: 'h2c' } })).rejects.toThrow(/protocol switch/);
        expect(proxy.records.slice(before)).toEqual([]);

        // while every read of the client works on the real engine, an image reference with "/" and ":" included
        docker(['tag', BUSYBOX_IMAGE, 'localhost:5000/e2e-team/busybox:hard']);
        try {
          await client.connect();
          expect(await client.ping()).toBe(true);
          expect((await client.inspectContainer(APP))?.Id).toBe(appId);
          expect((await client.inspectImage('localhost:5000/e2e-team/busybox:hard'))?.RepoTags).toContain('localhost:5000/e2e-team/busybox:hard');
          expect(await client.statsOnce(appId)).toBeDefined();
          const logs = await client.logStream(appId, { tail: 5 });
          logs.resume();
          await new Promise((r) => logs.once('end', r));
          await client.events({ since: Math.floor(Date.now() / 1000) - 60, until: Math.floor(Date.now() / 1000) });
        } finally {
          client.close();
          docker(['rmi', 'localhost:5000/e2e-team/busybox:hard'], { allowFail: true });
        }
        const sent = proxy.records.slice(before);
        expect(sent.length).toBeGreaterThanOrEqual(7);
        expect(sent.filter((r) => r.method !== 'GET' && r.method !== 'HEAD')).toEqual([]);
        expect(sent.filter((r) => /attach|%2[eE]%2[eE]|\/\.\.?\//.test(r.url))).toEqual([]);
      } finally {
        await proxy.close();
      }
    });

    it('the SSH connection keeper refuses the same spellings and any Upgrade (405), and the engine behind it sees none', async () => {
      const proxy = await startRecordingProxy(socketPath(), path.join(work, 'proxy-k.sock'));
      const host = await startSshHost(proxy.dockerHost);
      const home = mkdtempSync(path.join(work, 'home-k-'));
      try {
        const r = await runBcon(['status', '--json', '--no-stats'], { ...host.env, BCON_HOME: home, BCON_SSH_PERSIST: '60' });
        expect(r.code, r.stderr).toBe(0);
        const socks = readdirSync(path.join(home, 'ssh')).filter((f) => f.endsWith('.sock'));
        expect(socks).toHaveLength(1);
        const keeper = path.join(home, 'ssh', socks[0] as string);
        const ask = (target: string, headers: Record<string, string>) =>
          new Promise<{ status: number; body: string }>((resolve, reject) => {
            const req = http.request({ socketPath: keeper, method: 'GET', path: target, headers }, (res) => {
              let body = '';
              res.on('data', (d: Buffer) => (body += d.toString()));
              res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
            });
            req.on('error', reject);
            req.end();
          });
        const before = proxy.records.length;
        for (const target of spellings(appId)) {
          for (const headers of [{}, WEBSOCKET]) {
            const res = await ask(target, headers);
            expect(res.status, `${target} ${JSON.stringify(headers)}`).toBe(405);
            expect(res.body).toMatch(/the bcon connection keeper forwards only reads: refused GET /);
          }
        }
        // an allowed read with an Upgrade header is refused too; without it, it is forwarded
        const upgraded = await ask(`/v1.41/containers/${appId}/json`, { Upgrade: 'websocket', Connection: 'Upgrade' });
        expect(upgraded.status).toBe(405);
        expect(upgraded.body).toMatch(/protocol switch/);
        expect((await ask('/_bcon/keeper', { Upgrade: 'h2c', Connection: 'Upgrade' })).status).toBe(405);
        expect(proxy.records.slice(before)).toEqual([]);
        const plain = await ask(`/v1.41/containers/${appId}/json`, { Connection: 'keep-alive' });
        expect(plain.status).toBe(200);
        expect((JSON.parse(plain.body) as { Id: string }).Id).toBe(appId);
        expect(proxy.records.slice(before).map((x) => `${x.method} ${x.url}`)).toEqual([`GET /v1.41/containers/${appId}/json`]);
      } finally {
        await host.stop();
        await proxy.close();
        rmSync(home, { recursive: true, force: true });
      }
    });
  });

  describe('B: a private key file others may read is refused, as OpenSSH does', () => {
    it('BCON_SSH_KEY, bcon.yaml key: and the connection keeper: refused naming the file, the mode and chmod 600', async () => {
      const host = await startSshHost(process.env['DOCKER_HOST'] as string);
      const home = mkdtempSync(path.join(work, 'home-b-'));
      const key = path.join(work, 'loose_key');
      copyFileSync(host.clientKey, key);
      try {
        for (const mode of [0o644, 0o640, 0o604, 0o660]) {
          chmodSync(key, mode);
          const octal = `0${mode.toString(8)}`;
          const r = await runBcon(['status', '--no-stats'], { ...host.env, BCON_SSH_KEY: key, BCON_HOME: home });
          expect(r.code, r.stderr).toBe(2);
          expect(r.stderr).toBe(
            `bcon: ${host.address}: UNPROTECTED PRIVATE KEY FILE: permissions ${octal} for ${key} are too open (its group or others may read or write it); ` +
              `like ssh, bcon refuses to use such a key: chmod 600 ${key}\n`,
          );
        }
        chmodSync(key, 0o600);
        const ok = await runBcon(['status', '--no-stats', '--json'], { ...host.env, BCON_SSH_KEY: key, BCON_HOME: home });
        expect(ok.code, ok.stderr).toBe(0);

        // through the connection keeper: one started with the key at 0600 does not serve it once it is 0644
        const persist = { ...host.env, BCON_SSH_KEY: key, BCON_HOME: home, BCON_SSH_PERSIST: '60' };
        expect((await runBcon(['status', '--no-stats'], persist)).code).toBe(0);
        chmodSync(key, 0o644);
        const kept = await runBcon(['status', '--no-stats'], persist);
        expect(kept.code).toBe(2);
        expect(kept.stderr).toContain(`UNPROTECTED PRIVATE KEY FILE: permissions 0644 for ${key} are too open`);
        expect(kept.stderr).toContain(`chmod 600 ${key}`);

        // a host's key: in bcon.yaml
        const repo = repoWith({ 'bcon.yaml': `hosts:\n  web1:\n    address: ${host.address}\n    key: keys/web1\n` });
        mkdirSync(path.join(repo, 'keys'));
        copyFileSync(host.clientKey, path.join(repo, 'keys', 'web1'));
        chmodSync(path.join(repo, 'keys', 'web1'), 0o640);
        const env = { BCON_SSH_KNOWN_HOSTS: host.knownHosts, SSH_AUTH_SOCK: '', DOCKER_HOST: '', BCON_SSH_KEY: '', BCON_HOME: home };
        const hosts = await runMeasured(['hosts', '--json'], env, repo);
        expect(hosts.code).toBe(2);
        const web1 = (JSON.parse(hosts.stdout) as { hosts: Array<{ name: string; reachable: boolean; error?: { message: string } }> }).hosts[0];
        expect(web1?.reachable).toBe(false);
        expect(web1?.error?.message).toContain(`UNPROTECTED PRIVATE KEY FILE: permissions 0640 for ${path.join(repo, 'keys', 'web1')} are too open`);
        chmodSync(path.join(repo, 'keys', 'web1'), 0o600);
        expect((await runMeasured(['hosts', '--json'], env, repo)).code).toBe(0);
      } finally {
        await host.stop();
        rmSync(home, { recursive: true, force: true });
      }
    }, 120_000);
  });

  describe('C: the desired state: an alias bomb and a huge file get a clear error at once', () => {
    let bomb = 'x-l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 1; i <= 9; i++) bomb += `x-l${i}: &l${i} [${Array.from({ length: 10 }, () => `*l${i - 1}`).join(',')}]\n`;
    const compose = (extra = '') => `services:\n  app:\n    image: ${BUSYBOX_IMAGE}\n    network_mode: none\n${extra}`;

    /** `bcon drift` on a repository: exit 2, one line naming the file, within the time bound, bounded memory. */
    async function refused(repo: string, file: string, message: RegExp, what: string): Promise<void> {
      const home = mkdtempSync(path.join(work, 'home-c-'));
      const r = await runMeasured(['drift', '--repo', repo, '--json'], { BCON_HOME: home }, repo);
      rmSync(home, { recursive: true, force: true });
      // "within a second": asserted with a margin for a busy 2-core machine (the whole CLI run: node's start too)
      console.log(`${what}: bcon drift exited ${r.code} in ${r.ms.toFixed(0)} ms, peak resident set ${r.peakMb.toFixed(0)} MB`);
      expect(r.code, r.stderr).toBe(2);
      const error = (JSON.parse(r.stdout) as { error: { code: string; message: string } }).error;
      expect(error.message.startsWith(`${file}:`), error.message).toBe(true);
      expect(error.message).toMatch(message);
      expect(r.stderr).toBe(`bcon: ${error.message}\n`);
      expect(r.ms).toBeLessThan(5000);
      expect(r.peakMb).toBeLessThan(400);
    }

    const bombed = bomb + compose('    command: *l9\n');
    it(`a compose file of ${bombed.length} bytes whose aliases expand to 10^9 values`, async () => {
      const repo = repoWith({ 'compose.yaml': bombed });
      await refused(repo, 'compose.yaml', /its YAML aliases \(\*name\) expand to more than 100,000 values .*"alias bomb"/, 'compose alias bomb');
    });

    it('an alias bomb in bcon.yaml, read by the same reader', async () => {
      const repo = repoWith({ 'bcon.yaml': `${bomb}projects:\n  - path: .\nllm: *l9\n`, 'compose.yaml': compose() });
      await refused(repo, 'bcon.yaml', /its YAML aliases .*"alias bomb"/, 'bcon.yaml alias bomb');
    });

    it('a 50 MB compose file, committed (refused from its git object header) and in the working tree', async () => {
      const lines = [compose('    labels:\n')];
      let bytes = lines[0]?.length ?? 0;
      for (let i = 0; bytes < 50 * 1024 * 1024; i++) {
        const line = `      label.${i}: "value value value value value value"\n`;
        lines.push(line);
        bytes += line.length;
      }
      const repo = repoWith({ 'compose.yaml': lines.join('') });
      await refused(repo, 'compose.yaml', /^compose\.yaml: \d+ bytes \(50\.0 MiB\) at HEAD@[0-9a-f]{7}, more than the 4 MiB bcon reads from one file/, '50 MB compose file (git)');
      const home = mkdtempSync(path.join(work, 'home-c-'));
      const wt = await runMeasured(['drift', '--repo', repo, '--worktree', '--json'], { BCON_HOME: home }, repo);
      console.log(`50 MB compose file (worktree): bcon drift exited ${wt.code} in ${wt.ms.toFixed(0)} ms, peak resident set ${wt.peakMb.toFixed(0)} MB`);
      expect(wt.code).toBe(2);
      expect(wt.stderr).toMatch(/^bcon: compose\.yaml: \d+ bytes \(50\.0 MiB\) at worktree, more than the 4 MiB/);
      expect(wt.ms).toBeLessThan(5000);
      expect(wt.peakMb).toBeLessThan(400);
    }, 60_000);
  });
});
