// A container outside the committed files that is a second copy of one declared service, on a real engine and a real
// git repository: the scheduler moved from a README's `docker run` to compose, and the old one was left running with
// the same image and the same settings (every scheduled job sent twice). Drift alone — an ad-hoc container of the same
// image told to connect elsewhere — is the repair passes' business and no sweep reports it; a copy is a fault: the
// sweep that finds it twice reports it, and nothing is removed (prune is off; a removal is a person's). Asked about
// the worker that gets the jobs, the diagnosis takes in the copy (it connects where the worker does) and names it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiagnosisReportSchema } from '@bcon/reasoning/schemas';
import { type ComposeStack, upStack } from '../harness/compose-stack.js';
import { runBcon } from '../harness/bcon.js';
import { docker } from '../harness/docker.js';
import { SWEEP_EVERY_10S, sweptTwice } from '../harness/reconcile.js';

const P = 'e2etwin';
const OLD = `${P}-oldbeat`;
const ADHOC = `${P}-adhoc`;
const BROKER = 'redis://127.0.0.1:6399/0';
const LOOP = (word: string) => ['sh', '-c', `trap 'exit 0' TERM; while :; do echo '${word}'; sleep 1; done`];
const COMPOSE = `services:
  beat:
    image: bcon-test/busybox:1
    network_mode: none
    restart: unless-stopped
    environment:
      BROKER_URL: ${BROKER}
      BEAT_SCHEDULE: every-minute
    command: ${JSON.stringify(LOOP('beat: sent task report.daily'))}
  worker:
    image: bcon-test/busybox:1
    network_mode: none
    restart: unless-stopped
    environment:
      BROKER_URL: ${BROKER}
      QUEUE: reports
    command: ${JSON.stringify(LOOP('worker: task report.daily succeeded'))}
`;

describe('an old scheduler left running beside its compose service', () => {
  let stack: ComposeStack | undefined;
  const extra = [OLD, ADHOC];
  const run = (name: string, env: string[]) =>
    docker(['run', '-d', '--name', name, '--network', 'none', '--label', 'bcon.e2e=untracked-twin', ...env.flatMap((e) => ['-e', e]), 'bcon-test/busybox:1', ...LOOP('beat: sent task report.daily')]);

  beforeAll(() => {
    docker(['rm', '-f', ...extra], { allowFail: true });
    stack = upStack(P, { 'compose.yaml': COMPOSE, 'bcon.yaml': SWEEP_EVERY_10S }, 'beat and worker on one broker');
    // the copy: the same image and every setting the beat's files declare, with the same values
    run(OLD, [`BROKER_URL=${BROKER}`, 'BEAT_SCHEDULE=every-minute']);
    // no copy: the same image told to use another broker
    run(ADHOC, ['BROKER_URL=redis://127.0.0.1:6400/0', 'BEAT_SCHEDULE=every-minute']);
  }, 120_000);
  afterAll(() => {
    docker(['rm', '-f', ...extra], { allowFail: true });
    stack?.cleanup();
  });

  it('is reported by the second sweep that finds it, as a copy of the beat; the ad-hoc container is not; nothing is removed', async () => {
    if (!stack) throw new Error('no stack');
    const { first, second } = await sweptTwice(stack.dir, stack.home);
    expect(first.decisions.filter((d) => extra.some((n) => d.service.endsWith(n)))).toEqual([]);
    const about = (n: string) => second.decisions.filter((d) => d.service.endsWith(`/${n}`));
    expect(about(OLD), JSON.stringify(second.decisions)).toMatchObject([{ action: 'report', mode: 'reported' }]);
    expect(about(OLD)[0]?.reasons.join('\n')).toMatch(/beat/);
    expect(about(ADHOC)).toEqual([]);
    expect(second.decisions.filter((d) => d.mode === 'executed' || d.mode === 'notified')).toEqual([]);
    for (const n of extra) expect(docker(['inspect', '-f', '{{.State.Running}}', n])).toBe('true');
  }, 90_000);

  it('asked about the worker, the diagnosis takes in the copy and names it, not the ad-hoc container', async () => {
    if (!stack) throw new Error('no stack');
    const res = await runBcon(['diagnose', 'worker', '--repo', stack.dir, '--json'], { BCON_HOME: stack.home });
    expect(res.code, res.stderr).toBe(0);
    const report = DiagnosisReportSchema.parse(JSON.parse(res.stdout));
    const h = report.hypotheses.find((x) => x.cause === 'untracked_container' && x.culprit === OLD);
    expect(h, JSON.stringify(report.hypotheses)).toBeDefined();
    expect(h?.confidence).toBeGreaterThanOrEqual(0.5);
    expect(report.hypotheses.some((x) => x.culprit === ADHOC)).toBe(false);
  }, 60_000);
});
