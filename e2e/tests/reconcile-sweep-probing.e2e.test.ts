// A monitoring agent's auto-detection, on a real engine: it runs sound and tries MySQL, Postgres, Redis and Apache on
// this machine in turn, none of them there, and logs each refusal. Two sweeps in a row see the refusals, and neither
// reports them: refused at many ports its settings do not name, it looks for services rather than needing one
// (recovery-1207d's Netdata was reported as needing a person). An agent that tries four at its start and then
// retries two is judged over its run: three sweeps, the start long out of its last lines by the third, report
// nothing either. A client refused at the one address its settings name is still reported (reconcile.e2e, the sweep).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ComposeStack, upStack } from '../harness/compose-stack.js';
import { docker, waitFor } from '../harness/docker.js';
import { SWEEP_EVERY_10S, reconcilePass, sweptTwice } from '../harness/reconcile.js';

const P = 'e2eprobing';
const COMPOSE = `services:
  agent:
    image: bcon-test/busybox:1
    network_mode: none
    restart: unless-stopped
    command:
      - sh
      - -c
      - |
        trap 'exit 0' TERM
        echo "time=2026-12-07T10:00:00Z level=info msg=\\"agent started\\" collectors=4"
        while :; do
          for t in mysql:3306 postgres:5432 redis:6379 apache:80; do
            echo "time=$$(date -u +%Y-%m-%dT%H:%M:%SZ) level=error source=collector job=$\${t%%:*} msg=\\"check failed: dial tcp 127.0.0.1:$\${t##*:}: connect: connection refused\\""
          done
          echo "time=$$(date -u +%Y-%m-%dT%H:%M:%SZ) level=info msg=\\"collected 212 metrics\\""
          sleep 1 & wait
        done
`;

describe('a sound service refused at many ports its settings do not name (auto-detection)', () => {
  let stack: ComposeStack | undefined;
  beforeAll(() => {
    stack = upStack(P, { 'compose.yaml': COMPOSE, 'bcon.yaml': SWEEP_EVERY_10S }, 'a monitoring agent');
    waitFor(() => docker(['logs', `${P}_agent_1`]).includes('connection refused'), 30_000, 'the agent to log refusals');
  }, 90_000);
  afterAll(() => stack?.cleanup());

  it('is not reported by two sweeps in a row, and nothing is done to it', async () => {
    if (!stack) throw new Error('no stack');
    const { first, second } = await sweptTwice(stack.dir, stack.home);
    for (const p of [first, second]) expect(p.decisions.filter((d) => d.service === `${P}/agent`), JSON.stringify(p.decisions)).toEqual([]);
  }, 90_000);
});

// Netdata's way: four collectors fail their first check at start, two of them are retried every second, and
// many metric lines follow (the start drops out of the last lines the reconciler reads for refusals)
const ONCE = `services:
  agent:
    image: bcon-test/busybox:1
    network_mode: none
    restart: unless-stopped
    command:
      - sh
      - -c
      - |
        trap 'exit 0' TERM
        now() { date -u +%Y-%m-%dT%H:%M:%SZ; }
        echo "time=$$(now) level=info msg=\\"agent started\\" collectors=4"
        for t in mysql:3306 postgres:5432 redis:6379 apache:80; do
          echo "time=$$(now) level=error source=collector job=$\${t%%:*} msg=\\"check failed: dial tcp 127.0.0.1:$\${t##*:}: connect: connection refused\\""
        done
        echo "time=$$(now) level=info msg=\\"first checks done\\""
        while [ ! -e /tmp/go ]; do sleep 0.2; done
        while :; do
          for t in mysql:3306 postgres:5432; do
            echo "time=$$(now) level=error source=collector job=$\${t%%:*} msg=\\"check failed: dial tcp 127.0.0.1:$\${t##*:}: connect: connection refused\\""
          done
          i=0
          while [ $$i -lt 40 ]; do echo "time=$$(now) level=debug msg=\\"collected chart system.cpu dim $$i\\""; i=$$((i+1)); done
          sleep 1 & wait
        done
`;

describe('an agent refused at four ports at its start and at two of them since', () => {
  let stack: ComposeStack | undefined;
  beforeAll(() => {
    stack = upStack(`${P}once`, { 'compose.yaml': ONCE, 'bcon.yaml': SWEEP_EVERY_10S }, 'an agent that probes at its start');
    waitFor(() => docker(['logs', `${P}once_agent_1`]).includes('first checks done'), 30_000, 'the agent to finish its first checks');
  }, 90_000);
  afterAll(() => stack?.cleanup());

  it('is not reported by three sweeps and a pass between, the start out of its last lines by the third, and nothing is done to it', async () => {
    if (!stack) throw new Error('no stack');
    // a pass between sweeps does not read the quiet agent: what it was refused at is kept all the same
    const first = await reconcilePass(stack.dir, stack.home);
    const between = await reconcilePass(stack.dir, stack.home);
    // its start phase ends when the test says so (however long the passes took on a busy machine): then it retries
    // two of them amid many lines
    docker(['exec', `${P}once_agent_1`, 'touch', '/tmp/go']);
    await new Promise((r) => setTimeout(r, 10_500));
    const second = await reconcilePass(stack.dir, stack.home);
    await new Promise((r) => setTimeout(r, 10_500));
    const third = await reconcilePass(stack.dir, stack.home);
    // the test's own premise: by the third sweep the last 200 lines hold only the two retried ports
    const last = docker(['logs', '--tail', '200', `${P}once_agent_1`]);
    expect(last).not.toContain('127.0.0.1:6379');
    expect(last).toContain('127.0.0.1:5432');
    for (const p of [first, between, second, third]) expect(p.decisions.filter((d) => d.service === `${P}once/agent`), JSON.stringify(p.decisions)).toEqual([]);
  }, 90_000);
});
