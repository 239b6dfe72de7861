// A Redis whose command caps its memory (`--maxmemory`, no eviction) answers every write of its client with `-OOM
// command not allowed when used memory > 'maxmemory'`: the Redis runs, the client runs, both look fine to the
// engine, and every write fails. On a real engine and a real git repository: the diagnosis blames the Redis's
// command (bad_command of redis, from the client's lines), and the reconciler's sweep — which does not report a
// bad command read from a container's own exits (history) — reports this one, read from what another service logs
// now, at the second sweep that finds it; nothing is restarted (a restart empties the Redis and it fills again).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiagnosisReportSchema } from '@bcon/reasoning/schemas';
import { type ComposeStack, upStack } from '../harness/compose-stack.js';
import { runBcon } from '../harness/bcon.js';
import { SWEEP_EVERY_10S, sweptTwice } from '../harness/reconcile.js';

const P = 'e2ereply';
const COMPOSE = `services:
  redis:
    image: bcon-test/busybox:1
    network_mode: none
    restart: unless-stopped
    command: ["sh", "-c", "trap 'exit 0' TERM; echo '1:M * Ready to accept connections tcp'; while :; do sleep 1; done", "redis-server", "--maxmemory", "16mb", "--maxmemory-policy", "noeviction"]
  app:
    image: bcon-test/busybox:1
    network_mode: none
    restart: unless-stopped
    depends_on: [redis]
    command:
      - sh
      - -c
      - |
        trap 'exit 0' TERM
        echo '{"event": "worker started", "level": "info"}'
        while :; do echo "{\\"event\\": \\"OOM command not allowed when used memory > 'maxmemory'.\\", \\"level\\": \\"error\\", \\"logger\\": \\"sessions.store\\"}"; sleep 1; done
`;

describe("a client quoting its Redis's -OOM maxmemory reply, both running", () => {
  let stack: ComposeStack | undefined;
  beforeAll(() => {
    stack = upStack(P, { 'compose.yaml': COMPOSE, 'bcon.yaml': SWEEP_EVERY_10S }, 'app with a capped redis');
  }, 120_000);
  afterAll(() => stack?.cleanup());

  it('the diagnosis of the app names the Redis command; the second sweep reports it, and nothing is run', async () => {
    if (!stack) throw new Error('no stack');
    // a few lines of the reply first
    await new Promise((r) => setTimeout(r, 4_000));
    const res = await runBcon(['diagnose', 'app', 'logins fail', '--repo', stack.dir, '--json'], { BCON_HOME: stack.home });
    expect(res.code, res.stderr).toBe(0);
    const report = DiagnosisReportSchema.parse(JSON.parse(res.stdout));
    expect(`${report.hypotheses[0]?.cause}/${report.hypotheses[0]?.culprit}`, JSON.stringify(report.hypotheses)).toBe('bad_command/redis');

    const { first, second } = await sweptTwice(stack.dir, stack.home);
    expect(first.decisions.filter((d) => d.service.endsWith('/redis'))).toEqual([]);
    const redis = second.decisions.filter((d) => d.service.endsWith('/redis'));
    expect(redis, JSON.stringify(second.decisions)).toMatchObject([{ action: 'report', mode: 'reported' }]);
    expect(redis[0]?.reasons.join('\n')).toMatch(/maxmemory/);
    expect([...first.decisions, ...second.decisions].filter((d) => d.mode === 'executed' || d.mode === 'notified')).toEqual([]);
  }, 90_000);
});
