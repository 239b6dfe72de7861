// What a diagnosis of one service takes in beside it, on a real engine and a real git repository: services of the
// same project that are neither what it needs nor what needs it, but are not as the committed files promise.
// - a worker under `restart: on-failure` sent TERM by a person or a script: it shut down cleanly (exit 0) and stays
//   down. Exit 0 under that policy also ends a job, so only the engine's kill event tells a stop from a finish;
// - a queue consumer recreated by hand from an edited file (another database number), the edit since reverted: it
//   runs, with settings the files do not give it;
// - a migration job that finished by itself (exit 0, no stop asked) is no fault and stays out, and so does a cache
//   whose setting comes from a .env kept on the host (the committed files alone do not fix it).
// Asked about the app, each of the first two is named (a lead: nothing known ties it to the complaint); the job is not.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiagnosisReportSchema } from '@bcon/reasoning/schemas';
import { type ComposeStack, composeUp, upStack } from '../harness/compose-stack.js';
import { runBcon } from '../harness/bcon.js';
import { docker, waitFor } from '../harness/docker.js';

const P = 'e2eotherwise';
const LOOP = (word: string) => JSON.stringify(['sh', '-c', `trap 'echo shutting down; exit 0' TERM; while :; do echo '${word}'; sleep 1; done`]);
const compose = (db: string) => `services:
  app:
    image: bcon-test/busybox:1
    network_mode: none
    restart: unless-stopped
    command: ${LOOP('app: order 1 placed, confirmation queued')}
  worker:
    image: bcon-test/busybox:1
    network_mode: none
    restart: on-failure
    command: ${LOOP('worker: mail sent')}
  queue:
    image: bcon-test/busybox:1
    network_mode: none
    restart: unless-stopped
    environment:
      REDIS_URL: redis://127.0.0.1:6399/${db}
      QUEUE: confirmations
    command: ${LOOP('queue: polling')}
  cache:
    image: bcon-test/busybox:1
    network_mode: none
    restart: unless-stopped
    environment:
      CACHE_MODE: \${CACHE_MODE}
      CACHE_URL: memcached://127.0.0.1:11299
    command: ${LOOP('cache: warm')}
  migrate:
    image: bcon-test/busybox:1
    network_mode: none
    restart: "no"
    command: ["sh", "-c", "echo 'applied 3 migrations'"]
`;

describe('a diagnosis of one service, and what is wrong beside it', () => {
  let stack: ComposeStack | undefined;

  beforeAll(() => {
    stack = upStack(P, { 'compose.yaml': compose('0'), 'bcon.yaml': '' }, 'app, worker, queue, cache, migrate', { up: false });
    const dir = stack.dir;
    // a .env kept on the host, not committed (as most people keep theirs): the files alone do not say CACHE_MODE
    writeFileSync(path.join(dir, '.env'), 'CACHE_MODE=fast\n');
    composeUp(P, dir);
    const state = (s: string) => docker(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', `${P}_${s}_1`], { allowFail: true });
    waitFor(() => state('migrate') === 'exited 0', 20_000, 'the migration to finish');
    // a script sends the worker TERM: it shuts down cleanly and its policy leaves it down
    docker(['kill', '--signal', 'TERM', `${P}_worker_1`]);
    waitFor(() => state('worker') === 'exited 0', 20_000, 'the worker to exit 0');
    // the queue recreated from an edited file, the edit reverted
    writeFileSync(path.join(dir, 'compose.yaml'), compose('1'));
    composeUp(P, dir, ['--no-deps', 'queue']);
    writeFileSync(path.join(dir, 'compose.yaml'), compose('0'));
    waitFor(() => docker(['inspect', '-f', '{{range .Config.Env}}{{println .}}{{end}}', `${P}_queue_1`]).includes('/1'), 20_000, 'the queue recreated');
  }, 120_000);
  afterAll(() => stack?.cleanup());

  it('names the stopped worker and the queue configured otherwise, not the finished job', async () => {
    if (!stack) throw new Error('no stack');
    const res = await runBcon(['diagnose', 'app', 'customers get no confirmation emails', '--repo', stack.dir, '--json'], { BCON_HOME: stack.home });
    expect(res.code, res.stderr).toBe(0);
    const report = DiagnosisReportSchema.parse(JSON.parse(res.stdout));
    const about = (culprit: string) => report.hypotheses.filter((h) => h.culprit === culprit).map((h) => h.cause);
    expect(about('worker'), JSON.stringify(report.hypotheses)).toContain('stopped_service');
    expect(about('queue'), JSON.stringify(report.hypotheses)).toContain('config_drift');
    expect(about('migrate')).toEqual([]);
    // a value from the host's .env differs from what the committed files alone render: no sign of a change by hand
    expect(about('cache'), JSON.stringify(report.hypotheses)).toEqual([]);
    // leads: nothing known ties them to the complaint
    for (const h of report.hypotheses.filter((x) => x.culprit === 'worker' || x.culprit === 'queue')) expect(h.confidence).toBeLessThan(0.5);
  }, 60_000);
});
