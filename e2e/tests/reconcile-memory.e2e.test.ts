// An OOM kill a start does not cure, on a real engine and a real git repository: the service's process takes more
// memory than its committed limit at every start. The reconciler starts it once (it is OOM-killed again: the start
// fails and is rolled back), and then proposes a higher limit as a commit to the compose file (memswap_limit raised
// with it), not the same start again; `bcon approve` commits the edit and updates the container, and the next pass,
// at the new commit, starts the service, which now stays up.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBcon } from '../harness/bcon.js';
import { type ComposeStack, SELF_HEAL, upStack } from '../harness/compose-stack.js';
import { docker, waitFor } from '../harness/docker.js';
import type { PassDecision } from '../harness/reconcile.js';
import { reconcilePass } from '../harness/reconcile.js';

const P = 'e2eoom';
const MiB = 1024 * 1024;
// the process builds a 40 MiB string before it serves (a heap it is told to take, like a JVM's -Xms): under 16 MiB
// the kernel kills it at every start
/** A compose `command:` (flow YAML) whose process builds a 40 MiB string, says `ready`, and then serves. */
const takes40MiB = (ready: string) => `["sh", "-c", "x=$$(head -c 41943040 /dev/zero | tr '\\\\0' a); echo ${ready}; trap 'exit 0' TERM; sleep 3600 & wait"]`;
const COMPOSE = `services:
  search:
    image: bcon-test/busybox:1
    network_mode: none
    mem_limit: 16m
    memswap_limit: 16m
    restart: "no"
    environment:
      SEARCH_JAVA_OPTS: "-Xms48m -Xmx48m"
    command: ${takes40MiB('heap ready')}
`;

describe('an OOM kill a start does not cure becomes a proposal to raise the committed limit', () => {
  let stack: ComposeStack | undefined;
  let repo: string;
  let home: string;
  let git: (args: string[]) => string;
  const name = `${P}_search_1`;
  const inspect = () => JSON.parse(docker(['inspect', name]))[0] as { State: { Status: string; OOMKilled: boolean; Running: boolean }; HostConfig: { Memory: number; MemorySwap: number } };
  const pass = () => reconcilePass(repo, home);
  const mine = (p: { decisions: PassDecision[] }) => p.decisions.find((d) => d.service === `${P}/search`);

  beforeAll(() => {
    stack = upStack(P, { 'compose.yaml': COMPOSE, 'bcon.yaml': `${SELF_HEAL}recovery:\n  health_check_timeout: 20s\n` }, 'search stack');
    ({ dir: repo, home } = stack);
    git = stack.repo.git;
    waitFor(() => inspect().State.Status === 'exited', 30_000, `${name} to be OOM-killed`);
  }, 120_000);
  afterAll(() => stack?.cleanup());

  it('is OOM-killed under its committed limit', async () => {
    const state = inspect().State as { Status: string; OOMKilled: boolean; ExitCode?: number };
    // dockerd 20.10's OOMKilled flag can lose the race with the exit (docs/diagnose.md): then the kernel's kill is
    // the engine's `oom` event for this container, which may come a moment later, beside exit 137
    const oomEvent = () => docker(['events', '--since', '10m', '--until', String(Math.floor(Date.now() / 1000)), '--filter', `container=${name}`, '--filter', 'event=oom', '--format', '{{.Action}}']).includes('oom');
    expect(state.Status).toBe('exited');
    let seen = state.OOMKilled || (state.ExitCode === 137 && oomEvent());
    for (let i = 0; !seen && state.ExitCode === 137 && i < 10; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      seen = oomEvent();
    }
    // on a busy machine the engine can lose both (seen in a fresh-clone run): the process was SIGKILLed before it
    // had built its heap, and nothing else here sends SIGKILL
    if (!seen) seen = state.ExitCode === 137 && !docker(['logs', name]).includes('heap ready');
    expect(seen, JSON.stringify(state)).toBe(true);
  }, 30_000);

  it('gets one start, which fails; then a proposal to raise the limit in compose.yaml, kept (not made again) while it waits', async () => {
    const first = mine(await pass());
    expect(first, JSON.stringify(first)).toMatchObject({ action: 'container.start', mode: 'executed' });
    // the verify sees it killed again (rolled back); on a busy machine the kill may come after the verify's few
    // seconds: then the start was called a success, and the next pass finds it did not hold (reconcile-held-start)
    expect(first?.result).toMatch(/^rolled_back|^failed|^succeeded/);
    // the start's backoff (10 s) passes; the same start is not tried again at this commit
    await new Promise((r) => setTimeout(r, 11_000));
    expect(inspect().State.Running).toBe(false);
    const second = mine(await pass());
    expect(second, JSON.stringify(second)).toMatchObject({ action: 'service.set_memory', mode: 'proposed' });
    expect(second?.result).toMatch(/^i-/);
    expect(second?.reasons[0]).toMatch(/did not cure the OOM kill of search .*compose\.yaml is raised to 128 MiB and committed when approved/);
    expect(readFileSync(path.join(repo, 'compose.yaml'), 'utf8')).toBe(COMPOSE);
    const shown = await runBcon(['proposals', '--json'], { BCON_HOME: home });
    const listed = (JSON.parse(shown.stdout) as { proposals: Array<{ id: string; options: Array<{ action: string; params: { memoryBytes: number } }> }> }).proposals.find((p) => p.id === second?.result);
    expect(listed?.options[0]).toMatchObject({ action: 'service.set_memory', params: { memoryBytes: 128 * MiB } });
    const third = mine(await pass());
    expect(third).toMatchObject({ action: 'service.set_memory', mode: 'proposed', result: second?.result });
  }, 120_000);

  it('approved, the edit is committed and the limit set; the next pass starts the service at the new commit and it stays up', async () => {
    const before = git(['rev-parse', 'HEAD']);
    const id = mine(await pass())?.result as string;
    const ok = await runBcon(['approve', id, '--yes'], { BCON_HOME: home, BCON_ACTOR: 'user/e2e' });
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    const text = readFileSync(path.join(repo, 'compose.yaml'), 'utf8');
    expect(text).toContain('mem_limit: 128M');
    expect(text).toContain('memswap_limit: 128M');
    expect(git(['rev-parse', 'HEAD'])).not.toBe(before);
    expect(git(['status', '--porcelain'])).toBe('');
    expect(inspect().HostConfig).toMatchObject({ Memory: 128 * MiB, MemorySwap: 128 * MiB });
    const next = await pass();
    expect(next.commit).toBe(git(['rev-parse', 'HEAD']));
    expect(mine(next), JSON.stringify(mine(next))).toMatchObject({ action: 'container.start', mode: 'executed' });
    expect(mine(next)?.result).toMatch(/^succeeded/);
    await new Promise((r) => setTimeout(r, 3000));
    expect(inspect().State).toMatchObject({ Running: true });
    expect(docker(['logs', name])).toContain('heap ready');
  }, 180_000);
});

// A memory limit cut by hand below the committed one (docker update --memory), under a restart loop of OOM kills:
// the files' limit is roomier, so the pass puts it back (notify: a limit change applied live), not a start or restart
// into the same kill, nor a proposal to raise the files (neither then nor in the pass right after, when the OOM flag
// read is still the run's killed under the cut); the service then stays up.
describe('a memory limit cut by hand below the committed one, killing the service', () => {
  const Q = 'e2eoomcut';
  let stack: ComposeStack | undefined;
  const name = `${Q}_search_1`;
  const COMMITTED = `services:
  search:
    image: bcon-test/busybox:1
    network_mode: none
    mem_limit: 96m
    memswap_limit: 96m
    restart: unless-stopped
    command: ${takes40MiB('index loaded')}
`;
  beforeAll(() => {
    stack = upStack(Q, { 'compose.yaml': COMMITTED, 'bcon.yaml': SELF_HEAL }, 'search with 96m');
    waitFor(() => docker(['logs', name]).includes('index loaded'), 30_000, `${name} to load`);
    // a limit below what it uses cannot be set live: stopped, cut, started (then its policy restarts it after each kill)
    docker(['stop', '-t', '1', name]);
    docker(['update', '--memory', '16m', '--memory-swap', '16m', name]);
    docker(['start', name]);
    waitFor(() => docker(['inspect', '-f', '{{.State.OOMKilled}}', name]) === 'true' || Number(docker(['inspect', '-f', '{{.RestartCount}}', name])) >= 1, 60_000, `${name} to be OOM-killed under 16m`);
  }, 120_000);
  afterAll(() => stack?.cleanup());

  it('gets the committed limit back (notified), and stays up', async () => {
    if (!stack) throw new Error('no stack');
    // the first run loaded under 96m before the cut, and its line is still the last one of the log: only a run since
    // the pass counts (a run the kernel was killing under 16m as the limit came back is restarted once more)
    const since = String(Math.floor(Date.now() / 1000));
    const p = await reconcilePass(stack.dir, stack.home);
    const d = p.decisions.find((x) => x.service === `${Q}/search`);
    expect(d, JSON.stringify(p.decisions)).toMatchObject({ action: 'service.set_memory', tier: 'notify', mode: 'notified', result: expect.stringMatching(/^succeeded/) });
    expect(docker(['inspect', '-f', '{{.HostConfig.Memory}}', name])).toBe(String(96 * MiB));
    // the pass right after: the OOM flag the engine shows is the run's killed under 16m, not one at the limit put back
    // (the engine's update event is after its last exit): no raise of the committed 96m is proposed for it
    const next = (await reconcilePass(stack.dir, stack.home)).decisions.find((x) => x.service === `${Q}/search`);
    expect(next?.mode ?? 'nothing', JSON.stringify(next)).not.toBe('proposed');
    expect(next?.action ?? 'nothing', JSON.stringify(next)).not.toBe('report');
    waitFor(() => docker(['inspect', '-f', '{{.State.Status}}', name]) === 'running', 30_000, `${name} to run`);
    waitFor(() => docker(['logs', '--since', since, name]).includes('index loaded'), 30_000, `${name} to load under the committed limit`);
    // and it stays up: no more kills, no restart (the engine keeps the last exit's OOMKilled flag: not read)
    const run = docker(['inspect', '-f', '{{.State.StartedAt}} {{.RestartCount}}', name]);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(docker(['inspect', '-f', '{{.State.Status}} {{.State.StartedAt}} {{.RestartCount}}', name])).toBe(`running ${run}`);
  }, 120_000);
});
