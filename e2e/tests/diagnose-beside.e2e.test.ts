// bcon diagnose of the service users see, when the fault sits beside it in the same project, on a real engine and a
// real git repository: a cron sidecar that calls the app (it depends on the app, not the other way) was stopped with
// the host and not started again; a worker declared with three replicas runs one. Neither is a dependency of the
// app, so reading the app and what it needs finds nothing; the rest of its project that the engine shows not OK is
// read too, and shown as leads (under the 0.5 of a claim: nothing known ties them to the app). What is fine by
// design is not read: a job that finished, a service behind a compose profile with no container.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiagnosisReportSchema } from '@bcon/reasoning/schemas';
import { type ComposeStack, composeUp, upStack } from '../harness/compose-stack.js';
import { runBcon } from '../harness/bcon.js';
import { docker, waitFor } from '../harness/docker.js';

const P = 'e2ebeside';
const IDLE = `["sh", "-c", "trap 'exit 0' TERM; echo ready; while :; do sleep 1; done"]`;
const COMPOSE = `services:
  app:
    image: bcon-test/busybox:1
    network_mode: none
    restart: unless-stopped
    command: ${IDLE}
  cron:
    image: bcon-test/busybox:1
    network_mode: none
    depends_on: [app]
    command: ["sh", "-c", "echo 'crond: started'; while :; do sleep 1; done"]
  worker:
    image: bcon-test/busybox:1
    network_mode: none
    restart: unless-stopped
    scale: 3
    command: ${IDLE}
  seed:
    image: bcon-test/busybox:1
    network_mode: none
    command: ["sh", "-c", "echo 'seeded 12 rows'"]
  admin:
    image: bcon-test/busybox:1
    network_mode: none
    profiles: [admin]
    command: ${IDLE}
`;

describe('a fault beside the service users see', () => {
  let stack: ComposeStack | undefined;
  const diagnose = async (target: string) => {
    if (!stack) throw new Error('no stack');
    const res = await runBcon(['diagnose', target, '--repo', stack.dir, '--json'], { BCON_HOME: stack.home });
    expect(res.code, res.stderr).toBe(0);
    return DiagnosisReportSchema.parse(JSON.parse(res.stdout));
  };

  beforeAll(() => {
    stack = upStack(P, { 'compose.yaml': COMPOSE }, 'app, its cron sidecar, workers, a seed job, an admin profile');
    waitFor(() => docker(['inspect', '-f', '{{.State.Status}}', `${P}_seed_1`]) === 'exited', 30_000, 'the seed job to finish');
  }, 120_000);
  afterAll(() => stack?.cleanup());

  it('with everything as declared, the app has nothing to say: the finished job and the profile are no fault', async () => {
    const r = await diagnose('app');
    expect(r.hypotheses.filter((h) => h.confidence >= 0.5), JSON.stringify(r.hypotheses)).toEqual([]);
  }, 60_000);

  it('the stopped cron sidecar and the short worker are found from the app, citing their state', async () => {
    // the host's reboot, for the sidecar with no restart policy: stopped (crond ignores TERM: killed) and not started
    docker(['stop', '-t', '1', `${P}_cron_1`]);
    // someone debugging scaled the workers down
    if (!stack) throw new Error('no stack');
    docker(['rm', '-f', `${P}_worker_2`, `${P}_worker_3`]);
    const r = await diagnose('app');
    const found = r.hypotheses.map((h) => `${h.cause}/${h.culprit}`);
    expect(found.slice(0, 2).sort(), JSON.stringify(r.hypotheses)).toEqual(['replica_drift/worker', 'stopped_service/cron']);
    // leads, not claims: nothing known ties them to what is asked about the app
    expect(r.hypotheses.every((h) => h.confidence < 0.5)).toBe(true);
    const cron = r.hypotheses.find((h) => h.cause === 'stopped_service' && h.culprit === 'cron');
    expect(r.evidence.filter((e) => cron?.evidence.includes(e.id)).map((e) => e.text).join('\n')).toMatch(/state exited[\s\S]*requested through the engine/);
    expect(r.hypotheses.some((h) => h.culprit === 'seed' || h.culprit === 'admin')).toBe(false);
    // put back (compose's own up), the app has nothing to say again
    composeUp(P, stack.dir, ['cron', 'worker']);
    const after = await diagnose('app');
    expect(after.hypotheses.filter((h) => h.confidence >= 0.5 && h.culprit !== 'worker'), JSON.stringify(after.hypotheses)).toEqual([]);
  }, 90_000);
});
