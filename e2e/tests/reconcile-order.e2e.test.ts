// The order of repairs, on a real engine and a real git repository:
// - the root first: a database stopped under an API that exits when the database refuses it (its restart policy
//   starts it again, and again). A pass starts the database; the API, whose crashes are the database's doing, waits ("judged again in the next pass") instead of
//   being restarted in the same pass, and the next pass finds nothing to do for it (its errors stopped);
// - the next rung: a web server that died and left its pid file in the container's own filesystem, so that every
//   start its restart policy makes refuses to boot ("already running"). A start cannot cure that: the pass's start
//   is seen failing at once (the engine restarts it again; no need to wait the verify out), and the next pass
//   (after the restart backoff) re-creates it from the same configuration — a fresh filesystem — which holds;
// - no rung a fresh container already failed: a database whose every run, from its first, dies at once on a bad value
//   in its settings. The pass's start fails; a re-create would give it the fresh filesystem its first run had, so the
//   next rung is not climbed: the start becomes a proposal at once, saying why (where a stale pid file — above — gets
//   the re-create);
// - the root first when all are gone: the database, the api and a front that needs the api removed (`docker rm -f`).
//   A pass makes the database from the files; the api, which would die at once with no database to reach, waits for
//   it ("judged again in the next pass"), and the front waits for the api; one is made at a time, each once its
//   dependency (no healthcheck) has run for reconcile.min_ready — where making them at once could have the api fail
//   its start, be undone, and be left to a person as a start that failed at that commit.
// - not before the dependency is ready: a database restarted (and recovering: running, its healthcheck still starting)
//   under an api that died of it. Nothing repairs the database, but the api's start waits for its healthcheck to pass
//   ("is starting"), then is made and holds — where starting it at once would see it die, be undone and be left to a
//   person.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ComposeStack, composeUp, exitsWhenRefusedCommand, pingServerCommand, SELF_HEAL, upStack } from '../harness/compose-stack.js';
import { docker, waitFor } from '../harness/docker.js';
import { type PassDecision, reconcilePass } from '../harness/reconcile.js';

/**
 * An api's command (compose YAML, at a service's indentation) that serves while the database on 127.0.0.1:PORT accepts
 * connections, and logs the refusal and exits the first time it does not.
 */
const apiThatExitsWhenRefused = (port: number) =>
  exitsWhenRefusedCommand(port, { ok: 'info: GET /orders 200 4ms', refused: `error: query failed: Error: connect ECONNREFUSED 127.0.0.1:${port}`, exiting: 'fatal: lost the database connection pool; exiting' });

const P = 'e2eorder';
const PORT = 24871;
const COMPOSE = `services:
  db:
    image: bcon-test/busybox:1
    network_mode: host
    environment:
      # where it listens, named in its environment as many servers are told (MINIO_ADDRESS, REDIS_BIND…): with the
      # api's own scripts naming the same address, an address-read graph has both needing each other; the files say
      # api depends on db, which decides the order
      LISTEN_ADDRESS: "127.0.0.1:${PORT}"
    command: ${pingServerCommand(PORT)}
  api:
    image: bcon-test/busybox:1
    network_mode: host
    restart: unless-stopped
    depends_on: [db]
    environment:
      DATABASE_URL: http://127.0.0.1:${PORT}/
${apiThatExitsWhenRefused(PORT)}
  front:
    image: bcon-test/busybox:1
    network_mode: none
    restart: unless-stopped
    depends_on: [api]
    command: ["sh", "-c", "trap 'exit 0' TERM; echo serving; while true; do sleep 1; done"]
  web:
    image: bcon-test/busybox:1
    network_mode: none
    restart: unless-stopped
    command:
      - sh
      - -c
      - |
        if [ -f /var/run/web.pid ]; then echo "A server is already running. Check /var/run/web.pid."; exit 1; fi
        echo $$$$ > /var/run/web.pid
        echo "web listening (pid file /var/run/web.pid)"
        trap 'rm -f /var/run/web.pid; exit 0' TERM
        while [ ! -f /tmp/crash ]; do sleep 0.3; done
        echo "fatal: worker killed"
        exit 137
`;

describe('the order of repairs: the root first, then the next rung', () => {
  let stack: ComposeStack | undefined;
  let repo: string;
  let home: string;
  const name = (svc: string) => `${P}_${svc}_1`;
  const pass = async (): Promise<PassDecision[]> => (await reconcilePass(repo, home)).decisions;
  const on = (ds: PassDecision[], svc: string) => ds.filter((d) => d.service === `${P}/${svc}`);

  beforeAll(() => {
    stack = upStack(P, { 'compose.yaml': COMPOSE, 'bcon.yaml': SELF_HEAL }, 'api, db and web');
    ({ dir: repo, home } = stack);
    waitFor(() => docker(['logs', name('api')]).includes('200'), 30_000, 'the api to reach the database');
  }, 120_000);
  afterAll(() => stack?.cleanup());

  it('a stopped database is started first; the api that exits when refused by it waits, and needs nothing after', async () => {
    docker(['stop', '-t', '2', name('db')]);
    waitFor(() => Number(docker(['inspect', '-f', '{{.RestartCount}}', name('api')])) >= 3, 30_000, 'the api to exit and be restarted, refused by the database');
    const first = await pass();
    expect(on(first, 'db')[0], JSON.stringify(first)).toMatchObject({ action: 'container.start', mode: 'executed' });
    // the api's crashes are a fault of its own to the rules (they would start it): held for the database's repair
    expect(on(first, 'api'), JSON.stringify(first)).toEqual([expect.objectContaining({ mode: 'refused', result: expect.stringMatching(/^waiting: e2eorder\/db, which it depends on, is repaired first/) })]);
    waitFor(() => docker(['inspect', '-f', '{{.State.Status}}', name('api')]) === 'running' && docker(['logs', '--since', '2s', name('api')]).includes('200'), 90_000, 'the api to reach the database again');
    // and to hold (longer than its crashed runs lasted): a process running again is not restarted for its past crashes
    await new Promise((r) => setTimeout(r, 11_000));
    const next = await pass();
    expect(on(next, 'api').filter((d) => d.mode === 'executed' || d.mode === 'notified'), JSON.stringify(next)).toEqual([]);
  }, 120_000);

  it('a crash loop a start cannot cure (a stale pid file) gets a start seen failing at once, then a re-create that holds', async () => {
    const before = docker(['inspect', '-f', '{{.Id}}', name('web')]);
    docker(['exec', name('web'), 'touch', '/tmp/crash']);
    waitFor(() => Number(docker(['inspect', '-f', '{{.RestartCount}}', name('web')])) >= 2, 30_000, 'web to loop under its restart policy');
    // a pass may find it changed under the proposal (its restart policy restarts it meanwhile: refused as stale, nothing
    // run); the first one that runs its start sees it fail as soon as it died again, not after the 60 s verify timeout
    let tried: PassDecision | undefined;
    let took = 0;
    for (let i = 0; i < 10 && !tried; i++) {
      const t0 = Date.now();
      const ds = await pass();
      took = Date.now() - t0;
      tried = on(ds, 'web').find((d) => /^container\.(start|restart)$/.test(d.action) && d.mode !== 'refused');
      if (!tried) await new Promise((r) => setTimeout(r, 1_000));
    }
    expect(tried, JSON.stringify(tried)).toMatchObject({ result: expect.stringMatching(/^failed: .*(died again \(exit code 1\)|did not stay running \(restarting, exit code 1\))/) });
    expect(took).toBeLessThan(30_000);
    let recreated: PassDecision | undefined;
    for (let i = 0; i < 12 && !recreated; i++) {
      await new Promise((r) => setTimeout(r, 2_500));
      recreated = on(await pass(), 'web').find((d) => d.action === 'service.recreate' && d.mode !== 'refused');
    }
    expect(recreated, 'a re-create within the backoff and a few passes').toMatchObject({ mode: 'notified', result: expect.stringMatching(/^succeeded/) });
    expect(recreated?.reasons.join('\n')).toMatch(/did not hold at this commit: the next rung is a fresh container/);
    expect(docker(['inspect', '-f', '{{.Id}}', name('web')])).not.toBe(before);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(docker(['inspect', '-f', '{{.State.Status}} {{.RestartCount}}', name('web')])).toBe('running 0');
  }, 180_000);

  it('a database, its api and the front that needs the api all removed: made root first, one at a time, and the api reaches the database', async () => {
    docker(['rm', '-f', name('db'), name('api'), name('front')]);
    const first = await pass();
    expect(on(first, 'db')[0], JSON.stringify(first)).toMatchObject({ action: 'service.scale', mode: 'executed', result: expect.stringMatching(/^succeeded/) });
    expect(on(first, 'api'), JSON.stringify(first)).toEqual([expect.objectContaining({ action: 'service.scale', mode: 'refused', result: expect.stringMatching(/^waiting: e2eorder\/db, which it depends on, is repaired first/) })]);
    // down the chain: the front waits for the api, which itself waits
    expect(on(first, 'front'), JSON.stringify(first)).toEqual([expect.objectContaining({ action: 'service.scale', mode: 'refused', result: expect.stringMatching(/^waiting: e2eorder\/api, which it depends on, is repaired first/) })]);
    expect(docker(['ps', '-aq', '--filter', `name=^${name('api')}$`])).toBe('');
    expect(docker(['ps', '-aq', '--filter', `name=^${name('front')}$`])).toBe('');
    // the new database has no healthcheck: the api waits out reconcile.min_ready (10 s) after its start, then is made
    const made = async (svc: string, dep: string): Promise<PassDecision> => {
      for (let i = 0; i < 12; i++) {
        const ds = await pass();
        const d = on(ds, svc)[0];
        if (d && d.mode !== 'refused') return d;
        expect(d, JSON.stringify(ds)).toMatchObject({ mode: 'refused', result: expect.stringMatching(new RegExp(`^waiting: e2eorder/${dep}, which it depends on, (is repaired first|started \\d+\\.\\d s ago and has no healthcheck)`)) });
        if (svc === 'api') expect(on(ds, 'front'), JSON.stringify(ds)).toEqual([expect.objectContaining({ mode: 'refused', result: expect.stringMatching(/^waiting: e2eorder\/api/) })]);
        await new Promise((r) => setTimeout(r, 2_000));
      }
      throw new Error(`${svc} was not made`);
    };
    expect(await made('api', 'db')).toMatchObject({ action: 'service.scale', mode: 'executed', result: expect.stringMatching(/^succeeded/) });
    waitFor(() => docker(['logs', name('api')]).includes('200'), 30_000, 'the new api to reach the new database');
    expect(docker(['inspect', '-f', '{{.State.Status}} {{.RestartCount}}', name('api')])).toBe('running 0');
    expect(await made('front', 'api')).toMatchObject({ action: 'service.scale', mode: 'executed', result: expect.stringMatching(/^succeeded/) });
  }, 180_000);
});

describe('a crash loop since its first run (a bad setting) gets no re-create', () => {
  const Q = 'e2ebadconf';
  let stack: ComposeStack | undefined;
  let repo: string;
  let home: string;
  const name = (svc: string) => `${Q}_${svc}_1`;
  const on = (ds: PassDecision[], svc: string) => ds.filter((d) => d.service === `${Q}/${svc}`);
  const BAD = `services:
  app:
    image: bcon-test/busybox:1
    network_mode: none
    restart: unless-stopped
    command: ["sh", "-c", "trap 'exit 0' TERM; echo ready; while true; do sleep 1; done"]
  db:
    image: bcon-test/busybox:1
    network_mode: none
    restart: unless-stopped
    command: ["sh", "-c", "echo 'LOG:  starting PostgreSQL 16.4'; echo 'FATAL:  invalid value for parameter \\"shared_buffers\\": \\"512MBB\\"'; exit 1"]
`;

  beforeAll(() => {
    stack = upStack(Q, { 'compose.yaml': BAD, 'bcon.yaml': SELF_HEAL }, 'app and a db with a bad setting');
    ({ dir: repo, home } = stack);
    waitFor(() => Number(docker(['inspect', '-f', '{{.RestartCount}}', name('db')])) >= 2, 30_000, 'the db to loop under its restart policy');
  }, 120_000);
  afterAll(() => stack?.cleanup());

  it('its start fails, and the next decision is a proposal saying a fresh container failed the same way', async () => {
    const before = docker(['inspect', '-f', '{{.Id}}', name('db')]);
    const seen: PassDecision[] = [];
    let tried: PassDecision | undefined;
    for (let i = 0; i < 10 && !tried; i++) {
      const ds = on((await reconcilePass(repo, home)).decisions, 'db');
      seen.push(...ds);
      tried = ds.find((d) => /^container\.(start|restart)$/.test(d.action) && d.mode !== 'refused');
      if (!tried) await new Promise((r) => setTimeout(r, 1_000));
    }
    expect(tried, JSON.stringify(seen)).toMatchObject({ result: expect.stringMatching(/^failed: /) });
    let proposed: PassDecision | undefined;
    for (let i = 0; i < 12 && !proposed; i++) {
      await new Promise((r) => setTimeout(r, 2_500));
      const ds = on((await reconcilePass(repo, home)).decisions, 'db');
      seen.push(...ds);
      proposed = ds.find((d) => d.mode === 'proposed');
    }
    // a start and a restart are one repair: the one proposed may be either (the container may be caught exited)
    expect(proposed, JSON.stringify(seen)).toMatchObject({ action: expect.stringMatching(/^container\.(start|restart)$/) });
    // and no second one ran by itself after the first failed
    expect(seen.filter((d) => /^container\.(start|restart)$/.test(d.action) && (d.mode === 'executed' || d.mode === 'notified')), JSON.stringify(seen)).toHaveLength(1);
    expect(proposed?.reasons.join('\n')).toMatch(/no re-create: a fresh container from the same configuration failed the same way: its first run died after \d+\.\d s \(exit code 1\)/);
    expect(proposed?.reasons.join('\n')).toMatch(/its apply failed at commit [0-9a-f]{12}/);
    expect(seen.filter((d) => d.action === 'service.recreate' && d.mode !== 'refused'), JSON.stringify(seen)).toEqual([]);
    expect(docker(['inspect', '-f', '{{.Id}}', name('db')])).toBe(before);
  }, 180_000);
});

describe('a dependency still starting: its dependents wait until its healthcheck passes', () => {
  const R = 'e2eready';
  const RPORT = 24881;
  const READY = `services:
  db:
    image: bcon-test/busybox:1
    network_mode: host
    # after each start it recovers (replays its log) until told it may answer: the test decides when it is ready
    command:
      - sh
      - -c
      - |
        rm -f /tmp/go; mkdir -p /srv && echo ok > /srv/ping
        echo "LOG:  database system was interrupted; last known up at 10:41:02"
        echo "LOG:  redo starts at 0/1A2B3C0"
        while [ ! -f /tmp/go ]; do sleep 0.2; done
        echo "LOG:  database system is ready to accept connections"
        exec httpd -f -p 127.0.0.1:${RPORT} -h /srv
    healthcheck:
      test: ["CMD-SHELL", "nc -w 1 127.0.0.1 ${RPORT} </dev/null"]
      interval: 1s
      timeout: 2s
      retries: 3
      start_period: 120s
  api:
    image: bcon-test/busybox:1
    network_mode: host
    depends_on: [db]
${apiThatExitsWhenRefused(RPORT)}
`;
  let stack: ComposeStack | undefined;
  let repo: string;
  let home: string;
  const name = (svc: string) => `${R}_${svc}_1`;
  const health = () => docker(['inspect', '-f', '{{.State.Health.Status}}', name('db')]);
  const status = () => docker(['inspect', '-f', '{{.State.Status}}', name('api')]);
  const mine = (ds: PassDecision[]) => ds.filter((d) => d.service === `${R}/api`);
  // touched until healthy: a touch before the db's own `rm -f /tmp/go` at start (a busy machine) is undone by it
  const ready = (what: string) => waitFor(() => (docker(['exec', name('db'), 'touch', '/tmp/go'], { allowFail: true }), health() === 'healthy'), 60_000, what);

  beforeAll(() => {
    stack = upStack(R, { 'compose.yaml': READY, 'bcon.yaml': SELF_HEAL }, 'api and a db that recovers at start');
    ({ dir: repo, home } = stack);
    ready('the db to be healthy');
    // compose v1 started the api before the db answered: it died; start it now the db is ready
    if (status() !== 'running') docker(['start', name('api')]);
    waitFor(() => docker(['logs', name('api')]).includes('200'), 30_000, 'the api to reach the db');
  }, 120_000);
  afterAll(() => stack?.cleanup());

  it('the db restarted and recovering: the api that died of it waits; once the db is healthy the api is started and holds', async () => {
    docker(['restart', '-t', '1', name('db')]);
    waitFor(() => status() === 'exited', 30_000, 'the api to die of the db restart');
    expect(health()).toBe('starting');

    const first = mine((await reconcilePass(repo, home)).decisions);
    expect(first.length, JSON.stringify(first)).toBeGreaterThan(0);
    expect(first.every((d) => d.mode === 'refused'), JSON.stringify(first)).toBe(true);
    expect(first.map((d) => d.reasons.join(' ')).join(' ')).toContain(`waiting: ${R}/db, which it depends on, is starting`);
    expect(status()).toBe('exited');

    ready('the db to be healthy again');
    const second = mine((await reconcilePass(repo, home)).decisions);
    expect(second.filter((d) => d.mode === 'executed'), JSON.stringify(second)).toHaveLength(1);
    waitFor(() => status() === 'running' && docker(['logs', '--since', '5s', name('api')]).includes('200'), 30_000, 'the api to serve again');
  }, 150_000);
});

describe('a service the files start only once its dependency is healthy (depends_on condition: service_healthy)', () => {
  const H = 'e2ehealthy';
  const FILES = `services:
  db:
    image: bcon-test/busybox:1
    network_mode: none
    restart: unless-stopped
    command: ["sh", "-c", "trap 'exit 0' TERM; echo 'mariadbd: ready for connections'; while true; do sleep 1; done"]
    # its check fails until /tmp/ok exists (a check calling a tool the image no longer ships, then mended)
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ok"]
      interval: 1s
      timeout: 2s
      retries: 1
  app:
    image: bcon-test/busybox:1
    network_mode: none
    restart: unless-stopped
    depends_on:
      db:
        condition: service_healthy
    command: ["sh", "-c", "trap 'exit 0' TERM; echo 'app: serving'; while true; do sleep 1; done"]
`;
  let stack: ComposeStack | undefined;
  let repo: string;
  let home: string;
  const health = () => docker(['inspect', '-f', '{{.State.Health.Status}}', `${H}_db_1`]);
  const apps = () => docker(['ps', '-aq', '--filter', `label=com.docker.compose.project=${H}`, '--filter', 'label=com.docker.compose.service=app']);
  const mine = (ds: PassDecision[]) => ds.filter((d) => d.service === `${H}/app`);

  beforeAll(() => {
    // compose itself would not create app under an unhealthy db ("dependency failed"): only the db is up
    stack = upStack(H, { 'compose.yaml': FILES, 'bcon.yaml': SELF_HEAL }, 'app waits for a healthy db', { up: false });
    ({ dir: repo, home } = stack);
    composeUp(H, repo, ['db']);
    waitFor(() => health() === 'unhealthy', 30_000, 'the db to be unhealthy');
  }, 120_000);
  afterAll(() => stack?.cleanup());

  it('is not made while the db is unhealthy (it waits, saying why); made once the db is healthy', async () => {
    const first = mine((await reconcilePass(repo, home)).decisions);
    expect(first.length, JSON.stringify(first)).toBeGreaterThan(0);
    expect(first.every((d) => d.mode === 'refused'), JSON.stringify(first)).toBe(true);
    expect(first.map((d) => d.reasons.join(' ')).join(' ')).toContain(`waiting: ${H}/db, which it depends on, is not healthy, and the files start it only once it is (depends_on condition: service_healthy)`);
    expect(apps()).toBe('');

    docker(['exec', `${H}_db_1`, 'touch', '/tmp/ok']);
    waitFor(() => health() === 'healthy', 60_000, 'the db to be healthy');
    const second = mine((await reconcilePass(repo, home)).decisions);
    expect(second.filter((d) => d.mode === 'executed'), JSON.stringify(second)).toHaveLength(1);
    waitFor(() => apps() !== '' && docker(['inspect', '-f', '{{.State.Status}}', apps().split('\n')[0] as string]) === 'running', 30_000, 'the app to run');
  }, 150_000);
});
