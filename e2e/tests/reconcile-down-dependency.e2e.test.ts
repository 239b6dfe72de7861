// A dependency that cannot run holds its dependents, on a real engine and a real git repository: a Redis whose command
// makes it exit at once (a flag from an old init script: it daemonizes, and the container's process ends) restarts
// forever under its policy; the worker that needs it died of it and stays down. Starting the worker cannot help — it
// would die on the same refused connection — whether or not Redis's own repair runs in that pass (its restart fails,
// then waits out its backoff, then goes to a person). Every pass leaves the worker alone, saying that Redis is down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ComposeStack, SELF_HEAL, upStack } from '../harness/compose-stack.js';
import { docker, waitFor } from '../harness/docker.js';
import { reconcilePass } from '../harness/reconcile.js';

const P = 'e2edowndep';
const COMPOSE = `services:
  redis:
    image: bcon-test/busybox:1
    network_mode: none
    restart: unless-stopped
    command: ["sh", "-c", "echo '1:C 05 Dec 2026 07:35:01.123 # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo'; echo '1:C 05 Dec 2026 07:35:01.123 # Configuration loaded'; exit 0"]
  worker:
    image: bcon-test/busybox:1
    network_mode: none
    restart: "no"
    depends_on: [redis]
    environment:
      REDIS_URL: redis://127.0.0.1:6379/0
    command: ["sh", "-c", "echo 'worker: starting, queues: default, mail'; echo 'Error 111 connecting to 127.0.0.1:6379. Connection refused.'; echo 'worker: lost the broker connection; exiting'; exit 1"]
`;

describe('a worker whose Redis cannot run', () => {
  let stack: ComposeStack | undefined;
  const worker = `${P}_worker_1`;

  beforeAll(() => {
    stack = upStack(P, { 'compose.yaml': COMPOSE, 'bcon.yaml': SELF_HEAL }, 'redis and its worker');
    waitFor(() => docker(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', worker]) === 'exited 1', 30_000, `${worker} to die`);
    waitFor(() => Number(docker(['inspect', '-f', '{{.RestartCount}}', `${P}_redis_1`])) >= 2, 60_000, 'redis to loop');
  }, 120_000);
  afterAll(() => stack?.cleanup());

  it('is never started while Redis is down, whether Redis is repaired in the pass or not; each pass says why', async () => {
    if (!stack) throw new Error('no stack');
    const startedAt = docker(['inspect', '-f', '{{.State.StartedAt}}', worker]);
    for (let i = 0; i < 3; i++) {
      const p = await reconcilePass(stack.dir, stack.home);
      const mine = p.decisions.filter((d) => d.service === `${P}/worker`);
      expect(mine.filter((d) => d.mode === 'executed' || d.mode === 'notified'), JSON.stringify(p.decisions)).toEqual([]);
      expect(mine.some((d) => /^waiting: e2edowndep\/redis, which it depends on, is (down and not repaired now|repaired first)/.test(d.result)), JSON.stringify(mine)).toBe(true);
    }
    expect(docker(['inspect', '-f', '{{.State.StartedAt}}', worker])).toBe(startedAt);
  }, 120_000);
});
