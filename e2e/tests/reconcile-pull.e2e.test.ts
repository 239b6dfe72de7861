// reconcile.pull: the reconciler fetches its desired state from the repository's remote (a real git smart-HTTP
// server: git http-backend behind node's http on 127.0.0.1) with isomorphic-git and fast-forwards its clone before the
// pass; the pass decides on the fetched commit and names it. A clone with commits of its own is not moved: the pass
// runs on the local commit and says why. An ssh remote (a real sshd) is fetched with the system git.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBcon } from '../harness/bcon.js';
import { docker, removeProject } from '../harness/docker.js';
import type { GitHttp } from '../harness/git-http.js';
import { gitHttpServer } from '../harness/git-http.js';
import { startSshHost } from '../testbed/sshd.mjs';

const P = 'e2epull';
const git = (dir: string, args: string[]) => execFileSync('git', ['-c', 'user.email=e2e@bcon.local', '-c', 'user.name=bcon e2e', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, encoding: 'utf8' }).trim();
const COMPOSE = (replicas: number) => `services:\n  app:\n    image: bcon-test/busybox:1\n    network_mode: none\n    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]\n    deploy:\n      replicas: ${replicas}\n`;

interface Pass {
  pass: { commit: string; pull?: { from: string | null; to: string | null; error?: string; url: string }; decisions: Array<{ service: string; action: string; mode: string; result: string }> };
}

describe('the reconciler pulls its desired state from the remote', () => {
  let work: string;
  let upstream: string;
  let clone: string;
  let server: GitHttp;
  let home: string;
  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'bcon-pull-'));
    home = path.join(work, 'home');
    upstream = path.join(work, 'upstream');
    mkdirSync(upstream);
    writeFileSync(path.join(upstream, 'compose.yaml'), COMPOSE(1));
    writeFileSync(path.join(upstream, 'bcon.yaml'), 'reconcile:\n  self_heal: true\n  pull: true\n');
    git(upstream, ['init', '-q']);
    git(upstream, ['add', '-A']);
    git(upstream, ['commit', '-qm', 'stack']);
    mkdirSync(path.join(work, 'srv'));
    git(work, ['clone', '-q', '--bare', upstream, path.join(work, 'srv', 'stack.git')]);
    git(upstream, ['remote', 'add', 'origin', path.join(work, 'srv', 'stack.git')]);
    server = await gitHttpServer(path.join(work, 'srv'));
    clone = path.join(work, P);
    // not execFileSync: the server answering the clone runs in this process
    await promisify(execFile)('git', ['clone', '-q', `${server.url}/stack.git`, clone], { cwd: work });
    removeProject(P);
    execFileSync('docker-compose', ['--compatibility', '-p', P, 'up', '-d'], { cwd: clone, env: process.env, stdio: ['ignore', 'ignore', 'pipe'] });
  }, 120_000);
  afterAll(async () => {
    removeProject(P);
    await server.close();
    rmSync(work, { recursive: true, force: true });
  });

  const pass = async (env: Record<string, string> = {}): Promise<Pass['pass']> => {
    const r = await runBcon(['reconcile', '--once', '--json', '--repo', clone], { BCON_HOME: home, BCON_ACTOR: 'user/e2e', ...env });
    expect(r.code, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as Pass).pass;
  };

  it('a commit pushed to the remote is fetched, fast-forwarded and converged on; the pass names it', async () => {
    writeFileSync(path.join(upstream, 'compose.yaml'), COMPOSE(2));
    git(upstream, ['commit', '-qam', 'two replicas']);
    git(upstream, ['push', '-q', 'origin', 'main']);
    const pushed = git(upstream, ['rev-parse', 'HEAD']);
    const before = git(clone, ['rev-parse', 'HEAD']);
    expect(before).not.toBe(pushed);
    const p = await pass();
    expect(p.pull).toMatchObject({ from: before, to: pushed, url: `${server.url}/stack.git` });
    expect(p.pull?.error).toBeUndefined();
    expect(p.commit).toBe(pushed);
    expect(git(clone, ['rev-parse', 'HEAD'])).toBe(pushed);
    expect(readFileSync(path.join(clone, 'compose.yaml'), 'utf8')).toContain('replicas: 2');
    expect(p.decisions.find((d) => d.service === `${P}/app`)).toMatchObject({ action: 'service.scale', mode: 'executed' });
    expect(docker(['ps', '-q', '--filter', `label=com.docker.compose.project=${P}`]).split('\n').filter(Boolean)).toHaveLength(2);
  }, 120_000);

  it('an ssh remote (a real sshd on 127.0.0.1) is fetched with the system git and fast-forwarded; one that refuses the key says so and moves nothing', async () => {
    const sshd = await startSshHost(process.env['DOCKER_HOST'] as string);
    const httpUrl = git(clone, ['remote', 'get-url', 'origin']);
    try {
      const sshUrl = `ssh://${sshd.user}@127.0.0.1:${sshd.port}${path.join(work, 'srv', 'stack.git')}`;
      git(clone, ['remote', 'set-url', 'origin', sshUrl]);
      // the pass shows the remote without what precedes the @ (an http remote may carry a password there)
      const shown = sshUrl.replace(`//${sshd.user}@`, '//…@');
      writeFileSync(path.join(upstream, 'CHANGES'), 'fetched over ssh\n');
      git(upstream, ['add', 'CHANGES']);
      git(upstream, ['commit', '-qm', 'a commit fetched over ssh']);
      git(upstream, ['push', '-q', 'origin', 'main']);
      const pushed = git(upstream, ['rev-parse', 'HEAD']);
      const before = git(clone, ['rev-parse', 'HEAD']);
      const sshCommand = (key: string) => `ssh -i ${key} -o IdentitiesOnly=yes -o UserKnownHostsFile=${sshd.knownHosts} -o BatchMode=yes`;
      // a key the host does not accept: the fetch fails, the checkout stays, the pass runs on the local commit
      const stranger = path.join(work, 'stranger_key');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', stranger]);
      const refused = await pass({ GIT_SSH_COMMAND: sshCommand(stranger) });
      expect(refused.pull).toMatchObject({ from: before, to: before, url: shown });
      expect(refused.pull?.error).toMatch(/^git fetch origin main failed: .*(Permission denied|Could not read from remote)/);
      expect(refused.commit).toBe(before);
      expect(git(clone, ['rev-parse', 'HEAD'])).toBe(before);
      // the clone's own core.sshCommand (a deploy key) is what fetches: bcon's batch-mode default does not replace it
      git(clone, ['config', 'core.sshCommand', sshCommand(sshd.clientKey)]);
      const p = await pass();
      expect(p.pull?.error).toBeUndefined();
      expect(p.pull).toMatchObject({ from: before, to: pushed, url: shown });
      expect(p.commit).toBe(pushed);
      expect(readFileSync(path.join(clone, 'CHANGES'), 'utf8')).toBe('fetched over ssh\n');
    } finally {
      execFileSync('git', ['config', '--unset', 'core.sshCommand'], { cwd: clone, stdio: 'ignore' });
      git(clone, ['remote', 'set-url', 'origin', httpUrl]);
      await sshd.stop();
    }
  }, 120_000);

  it('a clone with a commit of its own is not moved: the pass runs on the local commit and says why', async () => {
    writeFileSync(path.join(clone, 'NOTES'), 'local\n');
    git(clone, ['add', 'NOTES']);
    git(clone, ['commit', '-qm', 'a local commit']);
    const local = git(clone, ['rev-parse', 'HEAD']);
    writeFileSync(path.join(upstream, 'README'), 'upstream\n');
    git(upstream, ['add', 'README']);
    git(upstream, ['commit', '-qm', 'an upstream commit']);
    git(upstream, ['push', '-q', 'origin', 'main']);
    const p = await pass();
    expect(p.pull?.error).toBeTruthy();
    expect(p.pull).toMatchObject({ from: local, to: local });
    expect(p.commit).toBe(local);
    expect(git(clone, ['rev-parse', 'HEAD'])).toBe(local);
  }, 120_000);
});
