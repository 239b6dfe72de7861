// A start the verify calls a success that does not hold, on a real engine and a real git repository: the service is
// OOM-killed under its committed limit, later at each start than the one before (it counts its runs in its own
// filesystem and waits 8 s more each time before it takes its heap). The reconciler's start is verified running —
// the verify watches a start as long as the last run lasted plus 2 s — and the kill comes after. The next pass finds
// the container down again after a short run: that start did not hold, so it is not made again at this commit; the
// OOM kill it did not cure becomes the proposal to raise the committed limit. Before this, the same start was made
// again at every pass its backoff allowed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ComposeStack, SELF_HEAL, upStack } from '../harness/compose-stack.js';
import { docker, waitFor } from '../harness/docker.js';
import type { PassDecision } from '../harness/reconcile.js';
import { reconcilePass } from '../harness/reconcile.js';

const P = 'e2eheld';
const COMPOSE = `services:
  search:
    image: bcon-test/busybox:1
    network_mode: none
    mem_limit: 16m
    memswap_limit: 16m
    restart: "no"
    command: ["sh", "-c", "n=$$(cat /tmp/runs 2>/dev/null || echo 0); echo $$((n+1)) > /tmp/runs; echo run $$n; sleep $$((n*8)); x=$$(head -c 41943040 /dev/zero | tr '\\\\0' a); echo heap ready; sleep 3600"]
`;

describe('a start that is verified running and then does not hold', () => {
  let stack: ComposeStack | undefined;
  const name = `${P}_search_1`;
  const state = () => JSON.parse(docker(['inspect', '-f', '{{json .State}}', name])) as { Status: string; Running: boolean; StartedAt: string; FinishedAt: string };
  const mine = (p: { decisions: PassDecision[] }) => p.decisions.find((d) => d.service === `${P}/search`);

  beforeAll(() => {
    stack = upStack(P, { 'compose.yaml': COMPOSE, 'bcon.yaml': `${SELF_HEAL}recovery:\n  health_check_timeout: 20s\n` }, 'search stack');
    waitFor(() => state().Status === 'exited', 30_000, `${name} to be OOM-killed`);
  }, 120_000);
  afterAll(() => stack?.cleanup());

  it('is not started again at this commit: the OOM kill it did not cure becomes the limit proposal', async () => {
    if (!stack) throw new Error('no stack');
    const first = mine(await reconcilePass(stack.dir, stack.home));
    expect(first, JSON.stringify(first)).toMatchObject({ action: 'container.start', mode: 'executed' });
    expect(first?.result).toMatch(/^succeeded/);
    // the kill comes 8 s into the run; the start's backoff (10 s) passes
    waitFor(() => state().Status === 'exited', 30_000, `${name} to be OOM-killed again`);
    const run = state();
    expect(Date.parse(run.FinishedAt) - Date.parse(run.StartedAt)).toBeGreaterThan(5_000);
    await new Promise((r) => setTimeout(r, 11_000));
    const second = mine(await reconcilePass(stack.dir, stack.home));
    expect(second, JSON.stringify(second)).toMatchObject({ action: 'service.set_memory', mode: 'proposed' });
    expect(second?.reasons[0]).toMatch(/did not cure the OOM kill of search \(it was verified running, then e2eheld_search_1 died again \d+ s after that start \((OOM-killed|exit code 137)\)\).*compose\.yaml is raised to \d+ MiB and committed when approved/);
    expect(state().StartedAt).toBe(run.StartedAt);
    expect(readFileSync(path.join(stack.dir, 'compose.yaml'), 'utf8')).toBe(COMPOSE);
    // and the next pass keeps the proposal; still no start
    const third = mine(await reconcilePass(stack.dir, stack.home));
    expect(third).toMatchObject({ action: 'service.set_memory', mode: 'proposed', result: second?.result });
    expect(state().StartedAt).toBe(run.StartedAt);
  }, 150_000);
});
