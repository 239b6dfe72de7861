// One-off jobs on a real engine and a real git repository: a stack whose `migrate`, `seed` and `warm` containers run
// once and exit 0 (restart "no"; `warm` after logging refused connections), beside a worker that exits 0 when stopped. A stop and a finish both leave exit 0; bcon
// tells them apart only on positive evidence: compose's declaration (`seed` is awaited with condition
// service_completed_successfully), or the engine's `die` with no kill or stop asked (Docker reports those), which
// bcon remembers because the engine keeps few events. The reconciler never starts a job that finished, also after
// its `die` has left the engine's event buffer, and still starts the worker a person stopped.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ComposeStack, SELF_HEAL, upStack } from '../harness/compose-stack.js';
import { docker, waitFor } from '../harness/docker.js';
import type { PassDecision } from '../harness/reconcile.js';
import { reconcilePass } from '../harness/reconcile.js';

const P = 'e2ejobs';
const COMPOSE = `services:
  migrate:
    image: bcon-test/busybox:1
    network_mode: none
    restart: "no"
    command: ["sh", "-c", "echo '== 20261203 AddIndex: migrating'; sleep 1; echo '== 20261203 AddIndex: migrated (0.0043s)'"]
  seed:
    image: bcon-test/busybox:1
    network_mode: none
    restart: "no"
    command: ["sh", "-c", "echo seeded 12 rows"]
  warm:
    image: bcon-test/busybox:1
    network_mode: none
    restart: "no"
    command: ["sh", "-c", "for i in 1 2 3 4 5 6 7 8; do echo \\"error: cache 127.0.0.1:24999 unreachable: connect ECONNREFUSED (attempt $$i/10), retrying in 200ms\\"; sleep 0.2; done; echo 'cache warmed: 1200 keys'"]
  web:
    image: bcon-test/busybox:1
    network_mode: none
    depends_on:
      migrate: {condition: service_started}
      seed: {condition: service_completed_successfully}
    command: ["sh", "-c", "trap 'exit 0' TERM; echo listening; while true; do sleep 1; done"]
  worker:
    image: bcon-test/busybox:1
    network_mode: none
    restart: "no"
    command: ["sh", "-c", "trap 'exit 0' TERM; echo worker ready; while true; do sleep 1; done"]
`;

describe('one-off jobs that finished are not started again; a stopped worker is', () => {
  let stack: ComposeStack | undefined;
  let repo: string;
  let home: string;
  const started = (svc: string) => docker(['inspect', '-f', '{{.State.StartedAt}}', `${P}_${svc}_1`]);
  const state = (svc: string) => docker(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', `${P}_${svc}_1`]);
  const pass = async (extra: string[] = [], bconHome = home): Promise<PassDecision[]> => (await reconcilePass(repo, bconHome, extra)).decisions;
  const on = (ds: PassDecision[], svc: string) => ds.filter((d) => d.service === `${P}/${svc}`);
  const dies = (svc: string, since: number) =>
    docker(['events', '--since', String(since), '--until', String(Math.floor(Date.now() / 1000)), '--filter', 'type=container', '--filter', `container=${P}_${svc}_1`, '--filter', 'event=die', '--format', '{{.Action}}'])
      .split('\n')
      .filter(Boolean);
  let upAt: number;

  beforeAll(() => {
    upAt = Math.floor(Date.now() / 1000) - 1;
    stack = upStack(P, { 'compose.yaml': COMPOSE, 'bcon.yaml': SELF_HEAL }, 'stack with jobs');
    ({ dir: repo, home } = stack);
    waitFor(() => state('migrate') === 'exited 0' && state('seed') === 'exited 0' && state('warm') === 'exited 0', 30_000, 'the jobs to finish');
  }, 120_000);
  afterAll(() => stack?.cleanup());

  it('a pass leaves both finished jobs alone (compose declares one; the engine saw the other end by itself)', async () => {
    const before = { migrate: started('migrate'), seed: started('seed') };
    const ds = await pass();
    expect(on(ds, 'migrate'), JSON.stringify(ds)).toEqual([]);
    expect(on(ds, 'seed'), JSON.stringify(ds)).toEqual([]);
    expect(on(ds, 'web')).toEqual([]);
    // a job that went through refused connections and then finished: what its logs show is history, not a report
    expect(on(ds, 'warm'), JSON.stringify(ds)).toEqual([]);
    expect({ migrate: started('migrate'), seed: started('seed') }).toEqual(before);
  }, 60_000);

  it('once the engine has dropped the die event, what bcon remembered still holds (a new home would not know)', async () => {
    // each exec is three container events: enough of them push the job's `die` out of the engine's event buffer
    for (let i = 0; i < 120; i++) docker(['exec', `${P}_worker_1`, 'true']);
    expect(dies('migrate', upAt)).toEqual([]);
    const before = started('migrate');
    const ds = await pass();
    expect(on(ds, 'migrate'), JSON.stringify(ds)).toEqual([]);
    expect(started('migrate')).toBe(before);
    // the control: with no memory and no event, an exit 0 is a stop (dry run: nothing is executed)
    const fresh = path.join((stack as ComposeStack).work, 'fresh-home');
    const control = await pass(['--dry-run'], fresh);
    expect(on(control, 'migrate')[0], JSON.stringify(control)).toMatchObject({ action: 'container.start' });
    expect(on(control, 'seed'), 'compose declares seed a job: no event needed').toEqual([]);
    expect(started('migrate')).toBe(before);
  }, 180_000);

  it('a worker a person stopped (exit 0 too) is started again', async () => {
    docker(['stop', '-t', '5', `${P}_worker_1`]);
    expect(state('worker')).toBe('exited 0');
    const ds = await pass();
    expect(on(ds, 'worker')[0], JSON.stringify(ds)).toMatchObject({ action: 'container.start', mode: 'executed' });
    expect(state('worker')).toMatch(/^running/);
    expect(on(ds, 'migrate')).toEqual([]);
  }, 60_000);
});
