// A memory raise within reconcile.memory_ceiling, on a real engine and a real git repository: the issue's "scale up
// within configured limits", vertically. The service's process takes more memory than its committed limit at every
// start. With a ceiling set, the reconciler commits a higher limit to compose.yaml by itself (capped at the ceiling),
// updates the container through the write path (notify tier: a webhook before and after), and the next pass, at the
// reconciler's own commit, starts the service, which stays up. Under a restart policy that already restarts it after
// each kill, the raise comes at once, with no start of ours. A ceiling at the committed limit raises nothing: a
// proposal, as without one (reconcile-memory.e2e.test.ts).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runBcon } from '../harness/bcon.js';
import { type ComposeStack, upStack } from '../harness/compose-stack.js';
import { docker, waitFor } from '../harness/docker.js';
import type { PassDecision } from '../harness/reconcile.js';
import { reconcilePass } from '../harness/reconcile.js';

const MiB = 1024 * 1024;
/** A compose `command:` (flow YAML) whose process builds a 40 MiB string, says `ready`, and then serves. */
const takes40MiB = (ready: string) => `["sh", "-c", "x=$$(head -c 41943040 /dev/zero | tr '\\\\0' a); echo ${ready}; trap 'exit 0' TERM; sleep 3600 & wait"]`;
const compose = (restart: string) => `services:
  search:
    image: bcon-test/busybox:1
    network_mode: none
    mem_limit: 16m
    memswap_limit: 16m
    restart: ${restart}
    environment:
      SEARCH_JAVA_OPTS: "-Xms48m -Xmx48m"
    command: ${takes40MiB('heap ready')}
`;

interface Hook {
  bcon: { event: string; action: string; service: string; tier: string };
}

describe('an OOM kill at the committed limit, with reconcile.memory_ceiling set', () => {
  const hooks: Hook[] = [];
  let hook: http.Server;
  let hookUrl = '';
  const stacks: ComposeStack[] = [];
  beforeAll(async () => {
    hook = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        hooks.push(JSON.parse(body) as Hook);
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  });
  // each stack goes with its test: the three projects name their service alike, and the diagnosis knows services by name
  afterEach(() => {
    for (const s of stacks.splice(0)) s.cleanup();
  });
  afterAll(async () => {
    await new Promise<void>((r) => hook.close(() => r()));
  });
  const up = (project: string, restart: string, ceiling: string) => {
    const s = upStack(project, { 'compose.yaml': compose(restart), 'bcon.yaml': `reconcile:\n  self_heal: true\n  memory_ceiling: ${ceiling}\nrecovery:\n  health_check_timeout: 20s\nnotify:\n  - webhook: ${hookUrl}\n` }, `search stack ${project}`);
    stacks.push(s);
    return s;
  };
  const inspect = (name: string) => JSON.parse(docker(['inspect', name]))[0] as { State: { Status: string; Running: boolean }; RestartCount: number; HostConfig: { Memory: number; MemorySwap: number } };
  const mine = (project: string, p: { decisions: PassDecision[] }) => p.decisions.find((d) => d.service === `${project}/search`);

  it('no restart policy: one start, which fails; then the limit is raised to the ceiling and committed by bcon (notified), and the next pass starts it for good', async () => {
    const P = 'e2eceil';
    const name = `${P}_search_1`;
    const s = up(P, '"no"', '96m');
    waitFor(() => inspect(name).State.Status === 'exited', 30_000, `${name} to be OOM-killed`);
    const before = s.repo.git(['rev-parse', 'HEAD']);
    const first = mine(P, await reconcilePass(s.dir, s.home));
    expect(first, JSON.stringify(first)).toMatchObject({ action: 'container.start', mode: 'executed' });
    // the start's backoff (10 s) passes; the same start is not tried again at this commit
    await new Promise((r) => setTimeout(r, 11_000));
    hooks.length = 0;
    const second = mine(P, await reconcilePass(s.dir, s.home));
    expect(second, JSON.stringify(second)).toMatchObject({ action: 'service.set_memory', tier: 'notify', mode: 'notified', result: expect.stringMatching(/^succeeded/) });
    // the rules wanted 128 MiB (the heap of 48 MiB with room): capped at the ceiling
    expect(second?.reasons[0]).toMatch(/raised within reconcile\.memory_ceiling \(96 MiB\): 16 MiB → 96 MiB \(the rules wanted 128 MiB; capped at the ceiling\), committed by bcon/);
    const text = readFileSync(path.join(s.dir, 'compose.yaml'), 'utf8');
    expect(text).toContain('mem_limit: 96M');
    expect(text).toContain('memswap_limit: 96M');
    const head = s.repo.git(['rev-parse', 'HEAD']);
    expect(head).not.toBe(before);
    expect(s.repo.git(['log', '-1', '--format=%s'])).toMatch(/raise the memory limit of search to 96 MiB/);
    expect(s.repo.git(['status', '--porcelain'])).toBe('');
    expect(inspect(name).HostConfig).toMatchObject({ Memory: 96 * MiB, MemorySwap: 96 * MiB });
    expect(hooks.map((h) => [h.bcon.event, h.bcon.service, h.bcon.tier])).toEqual([
      ['before', `${P}/search`, 'notify'],
      ['after', `${P}/search`, 'notify'],
    ]);
    const next = await reconcilePass(s.dir, s.home);
    expect(next.commit).toBe(head);
    expect(mine(P, next), JSON.stringify(mine(P, next))).toMatchObject({ action: 'container.start', mode: 'executed', result: expect.stringMatching(/^succeeded/) });
    waitFor(() => docker(['logs', name]).includes('heap ready'), 30_000, `${name} to load under 96 MiB`);
    await new Promise((r) => setTimeout(r, 3000));
    expect(inspect(name).State.Running).toBe(true);
    // and nothing more to do: the files and the container agree
    const quiet = await reconcilePass(s.dir, s.home);
    expect(mine(P, quiet), JSON.stringify(quiet.decisions)).toBeUndefined();
  }, 240_000);

  it('restarted by its own policy after each kill: the raise comes at once, with no start of ours, and it stays up', async () => {
    const P = 'e2eceilrs';
    const name = `${P}_search_1`;
    const s = up(P, 'unless-stopped', '1g');
    waitFor(() => inspect(name).RestartCount >= 2, 60_000, `${name} to be OOM-killed and restarted by its policy`);
    const before = s.repo.git(['rev-parse', 'HEAD']);
    const env = { BCON_HOME: s.home, BCON_ACTOR: 'user/e2e' };
    // a dry run decides the raise and changes nothing: no commit, the same limit
    const dry = mine(P, await reconcilePass(s.dir, s.home, ['--dry-run']));
    expect(dry, JSON.stringify(dry)).toMatchObject({ action: 'service.set_memory', mode: 'notified', result: expect.stringMatching(/^dry run/) });
    expect(s.repo.git(['rev-parse', 'HEAD'])).toBe(before);
    expect(inspect(name).HostConfig.Memory).toBe(16 * MiB);
    // paused, nothing is raised either
    try {
      expect((await runBcon(['pause', '--reason', 'maintenance'], env)).code).toBe(0);
      const held = mine(P, await reconcilePass(s.dir, s.home));
      expect(held?.mode, JSON.stringify(held)).not.toMatch(/executed|notified/);
      expect(held?.reasons.join(' ')).toMatch(/paused .*maintenance/);
      expect(s.repo.git(['rev-parse', 'HEAD'])).toBe(before);
    } finally {
      await runBcon(['resume'], env);
    }
    const p = await reconcilePass(s.dir, s.home);
    const d = mine(P, p);
    expect(d, JSON.stringify(p.decisions)).toMatchObject({ action: 'service.set_memory', mode: 'notified', result: expect.stringMatching(/^succeeded/) });
    expect(d?.reasons[0]).toMatch(/raised within reconcile\.memory_ceiling \(1024 MiB\): 16 MiB → 128 MiB, committed by bcon/);
    expect(readFileSync(path.join(s.dir, 'compose.yaml'), 'utf8')).toContain('mem_limit: 128M');
    const since = String(Math.floor(Date.now() / 1000));
    waitFor(() => docker(['logs', '--since', since, name]).includes('heap ready') || (inspect(name).State.Running && docker(['logs', name]).includes('heap ready')), 60_000, `${name} to load under 128 MiB`);
    const count = inspect(name).RestartCount;
    await new Promise((r) => setTimeout(r, 5000));
    expect(inspect(name)).toMatchObject({ State: { Running: true }, RestartCount: count });
    // the engine still shows the last run's OOM kill and restarts: no second raise, and no proposal, while it runs
    // at the raised limit with no exit since
    const raisedAt = s.repo.git(['rev-parse', 'HEAD']);
    const after = mine(P, await reconcilePass(s.dir, s.home));
    if (after) expect(after, JSON.stringify(after)).toMatchObject({ mode: 'refused', reasons: expect.arrayContaining([expect.stringMatching(/^waiting: the memory limit was raised by i-\w+ at .*no container of search has exited since/)]) });
    expect(s.repo.git(['rev-parse', 'HEAD'])).toBe(raisedAt);
  }, 180_000);

  it('a ceiling at the committed limit raises nothing: the raise is a proposal for a person, and says why', async () => {
    const P = 'e2eceillow';
    const name = `${P}_search_1`;
    const s = up(P, 'unless-stopped', '16m');
    waitFor(() => inspect(name).RestartCount >= 2, 60_000, `${name} to be OOM-killed and restarted by its policy`);
    const before = s.repo.git(['rev-parse', 'HEAD']);
    const p = await reconcilePass(s.dir, s.home);
    const d = mine(P, p);
    expect(d, JSON.stringify(p.decisions)).toMatchObject({ action: 'service.set_memory', mode: 'proposed', result: expect.stringMatching(/^i-/) });
    expect(d?.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/no raise by bcon itself: its committed limit 16 MiB is at or above reconcile\.memory_ceiling \(16 MiB\)/)]));
    expect(s.repo.git(['rev-parse', 'HEAD'])).toBe(before);
    expect(inspect(name).HostConfig.Memory).toBe(16 * MiB);
  }, 120_000);
});
