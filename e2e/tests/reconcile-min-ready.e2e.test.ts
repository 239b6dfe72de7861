// A dependency with no healthcheck is given reconcile.min_ready after its start, on a real engine and a real git
// repository: a database that accepts connections only ~7 s after it starts (no healthcheck says when), and a worker
// that exits the first time the database refuses it (restart "no"). The database is stopped; the worker dies of it.
// A pass starts the database; the worker waits for that repair. The next passes, while the database is younger than
// min_ready, still hold the worker ("has no healthcheck to say when it accepts connections") — where starting it at
// once would see it refused, die, fail its verify and be left to a person as a start that failed at that commit. Once
// the grace is over, a pass starts it and it reaches the database.
// bcon-reconciler with a 60 s interval does the same within seconds, not intervals: a pass whose repair ran, or that
// holds one for a dependency becoming ready, is followed by the next 5 s later.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../harness/bcon.js';
import { type ComposeStack, composeUp, exitsWhenRefusedCommand, upStack } from '../harness/compose-stack.js';
import { docker, waitFor } from '../harness/docker.js';
import { type PassDecision, reconcilePass } from '../harness/reconcile.js';

const P = 'e2eminready';
const PORT = 24941;
const COMPOSE = `services:
  db:
    image: bcon-test/busybox:1
    network_mode: host
    restart: "no"
    command: ["sh", "-c", "mkdir -p /srv && echo ok > /srv/ping && echo 'LOG:  database system was shut down; starting up' && sleep 7 && echo 'LOG:  database system is ready to accept connections on 127.0.0.1:${PORT}' && exec httpd -f -p 127.0.0.1:${PORT} -h /srv"]
  worker:
    image: bcon-test/busybox:1
    network_mode: host
    restart: "no"
    depends_on: [db]
    environment:
      DATABASE_URL: http://127.0.0.1:${PORT}/
${exitsWhenRefusedCommand(PORT, { ok: 'info: job batch done, 200 rows', refused: `error: connect ECONNREFUSED 127.0.0.1:${PORT}`, exiting: 'fatal: lost the database connection; exiting' })}
`;

describe('a dependency with no healthcheck is given min_ready before its dependent is started', () => {
  let stack: ComposeStack | undefined;
  let repo: string;
  let home: string;
  const name = (svc: string) => `${P}_${svc}_1`;
  const on = (ds: PassDecision[], svc: string) => ds.filter((d) => d.service === `${P}/${svc}`);

  beforeAll(() => {
    stack = upStack(P, { 'compose.yaml': COMPOSE, 'bcon.yaml': 'reconcile:\n  self_heal: true\n  min_ready: 15s\n' }, 'a slow database and its worker', { up: false });
    ({ dir: repo, home } = stack);
    composeUp(P, repo, ['db']);
    waitFor(() => docker(['logs', name('db')]).includes('ready to accept'), 30_000, 'the database to accept connections');
    composeUp(P, repo, ['worker']);
    waitFor(() => docker(['logs', name('worker')]).includes('200 rows'), 30_000, 'the worker to reach the database');
    // both have run longer than a crash that follows a start (30 s): a start of either is verified for 2 s, not for
    // as long as its last run (which alone would give the database its time)
    waitFor(() => Date.now() - Date.parse(docker(['inspect', '-f', '{{.State.StartedAt}}', name('worker')])) > 31_000, 60_000, 'the stack to run for 31 s');
  }, 120_000);
  afterAll(() => stack?.cleanup());

  it('the database is started, the worker waits out the grace, then is started and holds', async () => {
    docker(['stop', '-t', '2', name('db')]);
    waitFor(() => docker(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', name('worker')]) === 'exited 1', 30_000, 'the worker to die of the refusal');
    const first = (await reconcilePass(repo, home)).decisions;
    expect(on(first, 'db')[0], JSON.stringify(first)).toMatchObject({ action: 'container.start', mode: 'executed', result: expect.stringMatching(/^succeeded/) });
    expect(on(first, 'worker'), JSON.stringify(first)).toEqual([expect.objectContaining({ mode: 'refused', result: expect.stringMatching(/^waiting: e2eminready\/db, which it depends on, is repaired first/) })]);
    // the database runs but does not accept connections yet: the worker is not started into it
    const second = (await reconcilePass(repo, home)).decisions;
    expect(on(second, 'worker'), JSON.stringify(second)).toEqual([
      expect.objectContaining({ mode: 'refused', result: expect.stringMatching(/^waiting: e2eminready\/db, which it depends on, started \d+\.\d s ago and has no healthcheck to say when it accepts connections: given 15 s first \(reconcile\.min_ready\)/) }),
    ]);
    let started: PassDecision | undefined;
    for (let i = 0; i < 20 && !started; i++) {
      await new Promise((r) => setTimeout(r, 2_000));
      const ds = (await reconcilePass(repo, home)).decisions;
      expect(on(ds, 'worker').filter((d) => d.mode === 'proposed'), JSON.stringify(ds)).toEqual([]);
      started = on(ds, 'worker').find((d) => d.mode === 'executed' || d.mode === 'notified');
    }
    expect(started, 'the worker started once the grace was over').toMatchObject({ action: 'container.start', result: expect.stringMatching(/^succeeded/) });
    waitFor(() => docker(['logs', '--since', '3s', name('worker')]).includes('200 rows'), 30_000, 'the worker to reach the database again');
    expect(docker(['inspect', '-f', '{{.State.Status}}', name('worker')])).toBe('running');
  }, 150_000);

  it('bcon-reconciler, interval 60 s: the follow-up passes start the worker within seconds of the database', async () => {
    docker(['stop', '-t', '2', name('db')]);
    waitFor(() => docker(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', name('worker')]) === 'exited 1', 30_000, 'the worker to die of the refusal');
    const t0 = Date.now();
    const child = spawn(process.execPath, [path.join(REPO, 'apps', 'reconciler', 'dist', 'main.js'), '--repo', repo, '--listen', '127.0.0.1:0', '--interval', '60s'], { env: { ...process.env, BCON_HOME: home, BCON_ACTOR: 'user/e2e' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      // one interval is 60 s: the worker started by a pass and served well before it means follow-up passes did it
      const passes = () => out.split('\n').filter((l) => l.startsWith('{')).map((l) => (JSON.parse(l) as { pass: { followUp?: string; decisions: PassDecision[] } }).pass);
      const startedBy = () => passes().flatMap((p) => on(p.decisions, 'worker')).filter((d) => d.mode === 'executed');
      for (const until = t0 + 45_000; Date.now() < until && startedBy().length === 0; ) await new Promise((r) => setTimeout(r, 500));
      expect(startedBy(), out).toEqual([expect.objectContaining({ action: 'container.start', result: expect.stringMatching(/^succeeded/) })]);
      expect(Date.now() - t0).toBeLessThan(45_000);
      expect(passes()[0]?.followUp, out).toMatch(/ran: what it left is judged again|waits for e2eminready\/db/);
      waitFor(() => docker(['logs', '--since', '2s', name('worker')]).includes('200 rows'), 20_000, 'the worker to reach the database');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 120_000);
});
