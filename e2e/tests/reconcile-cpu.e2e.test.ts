// A service held at its committed CPU limit, on a real engine and a real git repository (recovery-1221's Plex: the
// pass raised the limit live, the next pass's drift repair set the committed one back, then the raise again — three
// notified changes until the breaker opened). A raise away from the files is proposed as a commit instead: nothing
// changes live, the proposal is kept while it waits, and `bcon approve` commits the edit and updates the container;
// the next pass, at the new commit, sets nothing back.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBcon } from '../harness/bcon.js';
import { type ComposeStack, SELF_HEAL, upStack } from '../harness/compose-stack.js';
import { docker, waitFor } from '../harness/docker.js';
import type { PassDecision } from '../harness/reconcile.js';
import { reconcilePass } from '../harness/reconcile.js';

const P = 'e2ecpu';
// a transcoder that is always busy: each job is a counting loop, and at 0.2 CPUs it takes far longer than its
// realtime budget; its healthcheck fails while it falls behind (a running service that looks fine is only swept, and a
// sweep reports, never acts)
const COMPOSE = `services:
  transcoder:
    image: bcon-test/busybox:1
    network_mode: none
    cpus: 0.2
    restart: "no"
    healthcheck:
      test: ["CMD-SHELL", "[ ! -f /tmp/behind ]"]
      interval: 2s
      timeout: 2s
      retries: 1
    command:
      - sh
      - -c
      - |
        echo "transcoder: started, 1 worker"
        while true; do
          s=$$(date +%s); i=0; while [ $$i -lt 600000 ]; do i=$$((i+1)); done; e=$$(date +%s)
          echo "transcoder: segment done in $$(( (e - s) * 1000 )) ms (realtime budget 1000 ms)"
          if [ $$((e - s)) -gt 1 ]; then touch /tmp/behind; else rm -f /tmp/behind; fi
        done
`;

describe('a CPU limit raise away from the committed files is proposed as a commit, not set live', () => {
  let stack: ComposeStack | undefined;
  let repo: string;
  let home: string;
  let git: (args: string[]) => string;
  const name = `${P}_transcoder_1`;
  const nanoCpus = () => Number(docker(['inspect', '-f', '{{.HostConfig.NanoCpus}}', name]));
  const pass = () => reconcilePass(repo, home);
  const mine = (p: { decisions: PassDecision[] }) => p.decisions.filter((d) => d.service === `${P}/transcoder`);

  beforeAll(() => {
    stack = upStack(P, { 'compose.yaml': COMPOSE, 'bcon.yaml': SELF_HEAL }, 'transcoder at 0.2 CPUs');
    ({ dir: repo, home } = stack);
    git = stack.repo.git;
    waitFor(() => docker(['inspect', '-f', '{{.State.Health.Status}}', name]) === 'unhealthy', 90_000, `${name} to fall behind`);
  }, 120_000);
  afterAll(() => stack?.cleanup());

  it('proposes the raise as an edit of compose.yaml; the container keeps its limit, and the proposal is kept over passes', async () => {
    const first = mine(await pass());
    expect(first, JSON.stringify(first)).toEqual([expect.objectContaining({ action: 'service.set_cpus', mode: 'proposed', result: expect.stringMatching(/^i-/) })]);
    expect(first[0]?.reasons[0]).toMatch(/CPU limit in .*compose\.yaml is set to 0\.4 CPUs and committed when approved/);
    expect(first[0]?.reasons.join('\n')).toMatch(/away from the committed files \(they say 0\.2 CPUs\)/);
    expect(nanoCpus()).toBe(0.2e9);
    expect(readFileSync(path.join(repo, 'compose.yaml'), 'utf8')).toBe(COMPOSE);
    const shown = await runBcon(['proposals', '--json'], { BCON_HOME: home });
    const listed = (JSON.parse(shown.stdout) as { proposals: Array<{ id: string; options: Array<{ action: string; params: { cpus: number } }> }> }).proposals.find((p) => p.id === first[0]?.result);
    expect(listed?.options[0]).toMatchObject({ action: 'service.set_cpus', params: { cpus: 0.4 } });
    // no flip-flop: the next passes change nothing live and keep the one proposal
    for (let i = 0; i < 2; i++) {
      const next = mine(await pass());
      expect(next, JSON.stringify(next)).toEqual([expect.objectContaining({ action: 'service.set_cpus', mode: 'proposed', result: first[0]?.result })]);
      expect(nanoCpus()).toBe(0.2e9);
    }
    const audit = await runBcon(['audit', '--json'], { BCON_HOME: home });
    expect(audit.stdout).not.toMatch(/"result":\s*"(executed|notified)"/);
  }, 180_000);

  it('approved, the edit is committed and the limit set live; the next pass at the new commit sets nothing back', async () => {
    const before = git(['rev-parse', 'HEAD']);
    const id = mine(await pass())[0]?.result as string;
    const ok = await runBcon(['approve', id, '--yes'], { BCON_HOME: home, BCON_ACTOR: 'user/e2e' });
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(readFileSync(path.join(repo, 'compose.yaml'), 'utf8')).toMatch(/cpus: ['"]?0\.4/);
    expect(git(['rev-parse', 'HEAD'])).not.toBe(before);
    expect(git(['status', '--porcelain'])).toBe('');
    expect(nanoCpus()).toBe(0.4e9);
    const next = await pass();
    expect(next.commit).toBe(git(['rev-parse', 'HEAD']));
    // still busy at 0.4 CPUs, it may be proposed a further raise; never a live change back to 0.2
    for (const d of mine(next)) expect(d.mode, JSON.stringify(d)).not.toMatch(/executed|notified/);
    expect(nanoCpus()).toBe(0.4e9);
  }, 180_000);
});
