// A full tmpfs of a container's own, on a real engine: a burst of sessions filled the 1 MiB tmpfs a session store
// keeps them on, so every write there fails (ENOSPC) and so does its healthcheck. The engine's host reads the mount
// full (statfs inside the container), a restart gives the container an empty one, so the reconciler restarts it —
// autonomous, verified healthy — where a full volume or host disk (no such reading) is left to a person. The same
// reading over SSH (a real sshd whose login's DOCKER_HOST is this engine): `stat -f` through the host's shell.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBcon } from '../harness/bcon.js';
import { type ComposeStack, upStack } from '../harness/compose-stack.js';
import { docker, waitFor } from '../harness/docker.js';
import { reconcilePass } from '../harness/reconcile.js';
import { startSshHost } from '../testbed/sshd.mjs';

const P = 'e2etmpfsfull';
const COMPOSE = `services:
  sessions:
    image: bcon-test/busybox:1
    network_mode: none
    restart: unless-stopped
    tmpfs:
      - /srv/sessions:size=1m
    healthcheck:
      test: ["CMD-SHELL", "echo probe > /srv/sessions/.probe"]
      interval: 2s
      timeout: 2s
      retries: 2
      start_period: 2s
    command:
      - sh
      - -c
      - |
        trap 'exit 0' TERM
        echo "sessions: storing sessions in /srv/sessions"
        # the burst happened once (this container's own writable layer remembers it; the tmpfs does not)
        if [ ! -f /var/burst-done ]; then
          touch /var/burst-done
          i=0
          while dd if=/dev/zero of=/srv/sessions/sess_$$i bs=4k count=1 2>/dev/null; do i=$$((i + 1)); done
          echo "sessions: stored $$i sessions"
        fi
        n=0
        while :; do
          n=$$((n + 1))
          if ! echo "session $$n" > /srv/sessions/sess_new_$$n 2>/dev/null; then
            echo "ERROR: session write failed: write /srv/sessions/sess_new_$$n: no space left on device" >&2
          fi
          sleep 1 & wait
        done
`;

describe('a full tmpfs of its own', () => {
  let stack: ComposeStack | undefined;
  const c = `${P}_sessions_1`;

  beforeAll(() => {
    stack = upStack(P, { 'compose.yaml': COMPOSE, 'bcon.yaml': 'reconcile:\n  self_heal: true\n' }, 'sessions');
    waitFor(() => docker(['inspect', '-f', '{{.State.Health.Status}}', c]) === 'unhealthy', 60_000, 'sessions to be unhealthy on its full tmpfs');
  }, 120_000);
  afterAll(() => stack?.cleanup());

  it('diagnose reads the mount full, locally and over SSH; the pass restarts it, and it is healthy again', async () => {
    if (!stack) throw new Error('no stack');
    const diagnoseWith = async (env: Record<string, string>) => {
      const d = await runBcon(['diagnose', 'sessions', '--repo', stack?.dir as string, '--json'], { BCON_HOME: stack?.home as string, ...env });
      expect(d.code, d.stderr).toBe(0);
      const report = JSON.parse(d.stdout) as { hypotheses: Array<{ cause: string; culprit: string; evidence: string[] }>; evidence: Array<{ id: string; text: string }> };
      expect(report.hypotheses[0], d.stdout.slice(0, 2000)).toEqual(expect.objectContaining({ cause: 'disk_full', culprit: 'sessions' }));
      return report.evidence.filter((e) => report.hypotheses[0]?.evidence.includes(e.id)).map((e) => e.text).join('\n');
    };
    expect(await diagnoseWith({})).toMatch(/tmpfs at \/srv\/sessions is full: .* of 1(\.0)? MiB used/);
    const ssh = await startSshHost(process.env['DOCKER_HOST'] as string);
    try {
      expect(await diagnoseWith(ssh.env)).toMatch(/tmpfs at \/srv\/sessions is full: .* of 1(\.0)? MiB used/);
    } finally {
      await ssh.stop();
    }

    const started = docker(['inspect', '-f', '{{.State.StartedAt}}', c]);
    const { decisions } = await reconcilePass(stack.dir, stack.home);
    const mine = decisions.filter((x) => x.service === `${P}/sessions`);
    expect(mine, JSON.stringify(decisions)).toEqual([expect.objectContaining({ action: 'container.restart', tier: 'autonomous', mode: 'executed', result: expect.stringMatching(/^succeeded/) })]);
    expect(mine[0]?.reasons.join('\n')).toMatch(/tmpfs of its own, \/srv\/sessions/);
    expect(docker(['inspect', '-f', '{{.State.StartedAt}}', c])).not.toBe(started);
    waitFor(() => docker(['inspect', '-f', '{{.State.Health.Status}}', c]) === 'healthy', 30_000, 'sessions to be healthy with an empty tmpfs');
  }, 120_000);
});
