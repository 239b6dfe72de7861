// The replica a fault shows on, on a real engine and a real git repository: three transcoders (no restart policy,
// 24 MiB each); one job makes the third really grow until the kernel kills it at its limit (exit 137, OOMKilled).
// A pass starts that replica — the two running beside it are sound and are left alone (not restarted: the first by
// name is not the one the kernel killed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ComposeStack, upStack } from '../harness/compose-stack.js';
import { docker, waitFor } from '../harness/docker.js';
import { reconcilePass } from '../harness/reconcile.js';

const P = 'e2ereplica';
const COMPOSE = `services:
  transcoder:
    image: bcon-test/busybox:1
    network_mode: none
    restart: "no"
    scale: 3
    mem_limit: 24m
    memswap_limit: 24m
    tmpfs: [/run]
    command: ["sh", "-c", "echo 'worker ready, waiting for jobs'; while [ ! -f /run/job ]; do sleep 0.3; done; echo 'job 5120: decoding 4K ProRes'; exec tail /dev/zero"]
`;

describe('a fault on one replica of three', () => {
  let stack: ComposeStack | undefined;
  const name = (n: number) => `${P}_transcoder_${n}`;
  const started = (n: number) => docker(['inspect', '-f', '{{.State.StartedAt}}', name(n)]);

  beforeAll(() => {
    stack = upStack(P, { 'compose.yaml': COMPOSE, 'bcon.yaml': 'reconcile:\n  self_heal: true\n' }, 'three transcoders');
    for (const n of [1, 2, 3]) waitFor(() => docker(['logs', name(n)]).includes('worker ready'), 30_000, `${name(n)} to start`);
  }, 120_000);
  afterAll(() => stack?.cleanup());

  it('the replica the kernel killed is started; the two sound ones are not touched', async () => {
    if (!stack) throw new Error('no stack');
    docker(['exec', name(3), 'touch', '/run/job']);
    waitFor(() => docker(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}} {{.State.OOMKilled}}', name(3)]) === 'exited 137 true', 60_000, `${name(3)} to be OOM-killed`);
    const before = [started(1), started(2)];
    const { decisions } = await reconcilePass(stack.dir, stack.home);
    const acted = decisions.filter((d) => d.mode === 'executed' || d.mode === 'notified');
    expect(acted, JSON.stringify(decisions)).toEqual([expect.objectContaining({ action: 'container.start', result: expect.stringMatching(new RegExp(`^succeeded: ${name(3)} running`)) })]);
    expect([started(1), started(2)]).toEqual(before);
    expect(docker(['inspect', '-f', '{{.State.Status}}', name(3)])).toBe('running');
  }, 120_000);
});
