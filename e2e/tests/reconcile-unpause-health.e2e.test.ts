// An unpause verified by a probe after it, on a real engine: a container paused long enough fails its healthcheck
// (the engine's probes cannot run in it) and stays `unhealthy` after `docker unpause` until its next probe passes. The
// pass unpauses it and waits for that probe — a verdict read from the paused time called the unpause failed, and the
// next pass restarted a service the unpause had already brought back (recovery-1207d's Trilium).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ComposeStack, pingServerCommand, upStack } from '../harness/compose-stack.js';
import { docker, waitFor } from '../harness/docker.js';
import { reconcilePass } from '../harness/reconcile.js';

const P = 'e2eunpausehc';
const PORT = 24917;
const COMPOSE = `services:
  notes:
    image: bcon-test/busybox:1
    network_mode: host
    restart: unless-stopped
    command: ${pingServerCommand(PORT)}
    healthcheck:
      test: ["CMD-SHELL", "printf 'GET /ping HTTP/1.0\\\\r\\\\n\\\\r\\\\n' | nc -w 1 127.0.0.1 ${PORT} | grep -q ok"]
      interval: 2s
      timeout: 1s
      retries: 2
  early:
    image: bcon-test/busybox:1
    network_mode: none
    restart: unless-stopped
    command: ["sleep", "3600"]
    healthcheck:
      test: ["CMD", "true"]
      interval: 3s
      retries: 1
`;

describe('a paused container that went unhealthy while paused', () => {
  let stack: ComposeStack | undefined;
  const name = `${P}_notes_1`;
  const early = `${P}_early_1`;
  const health = (n = name) => docker(['inspect', '-f', '{{.State.Health.Status}}', n]);
  beforeAll(() => {
    stack = upStack(P, { 'compose.yaml': COMPOSE, 'bcon.yaml': 'reconcile:\n  self_heal: true\n  pause_grace: 0s\n' }, 'notes with a healthcheck');
    waitFor(() => health() === 'healthy', 30_000, `${name} to be healthy`);
    docker(['pause', name]);
    // paused before its first probe: the engine marks it unhealthy with no probe logged at all
    docker(['pause', early]);
    waitFor(() => health() === 'unhealthy', 30_000, `${name} to be unhealthy while paused`);
    waitFor(() => health(early) === 'unhealthy', 30_000, `${early} to be unhealthy while paused`);
  }, 90_000);
  afterAll(() => stack?.cleanup());

  it('is unpaused, verified healthy by a probe after the unpause, and not restarted after', async () => {
    if (!stack) throw new Error('no stack');
    const started = docker(['inspect', '-f', '{{.State.StartedAt}}', name]);
    const p = await reconcilePass(stack.dir, stack.home);
    const d = p.decisions.find((x) => x.service === `${P}/notes`);
    expect(d, JSON.stringify(p.decisions)).toMatchObject({ action: 'container.unpause', mode: 'executed', result: expect.stringMatching(/^succeeded: .*running and healthy/) });
    expect(health()).toBe('healthy');
    expect(p.decisions.find((x) => x.service === `${P}/early`), JSON.stringify(p.decisions)).toMatchObject({ action: 'container.unpause', mode: 'executed', result: expect.stringMatching(/^succeeded: .*running and healthy/) });
    const next = await reconcilePass(stack.dir, stack.home);
    expect(next.decisions.filter((x) => x.service === `${P}/notes` || x.service === `${P}/early`), JSON.stringify(next.decisions)).toEqual([]);
    // the same run: unpaused, never restarted
    expect(docker(['inspect', '-f', '{{.State.StartedAt}}', name])).toBe(started);
  }, 120_000);
});
