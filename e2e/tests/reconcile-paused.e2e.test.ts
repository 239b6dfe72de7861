// A paused container, on a real engine and a real git repository: a database frozen by `docker pause` (a snapshot or
// backup script that never thawed it) still holds its port, so its callers hang until their own time-out instead of
// being refused, and the engine still calls it "up". It is a stopped service all the same — its processes do not run
// — and the repair is the one that keeps everything as it was: unpause it. Not a restart of the database (its work
// in memory would be lost for nothing), never a restart of the api that waits for it.
// - a pause fresher than reconcile.pause_grace (60 s by default) waits: a snapshot or backup pauses on purpose, for
//   seconds; a dry run names the unpause and changes nothing;
// - with self_heal the pass unpauses it (autonomous: the same container, the same configuration), the audit entry
//   cites the pause, and the api is not touched;
// - with self_heal: false it is a proposal, which `bcon approve` runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { type ComposeStack, pingServerCommand, SELF_HEAL, upStack } from '../harness/compose-stack.js';
import { runBcon } from '../harness/bcon.js';
import { docker, waitFor } from '../harness/docker.js';
import { reconcilePass } from '../harness/reconcile.js';

const P = 'e2epaused';
const PORT = 24891;
const COMPOSE = `services:
  db:
    image: bcon-test/busybox:1
    network_mode: host
    restart: unless-stopped
    command: ${pingServerCommand(PORT)}
  api:
    image: bcon-test/busybox:1
    network_mode: host
    restart: unless-stopped
    depends_on: [db]
    environment:
      DATABASE_URL: http://127.0.0.1:${PORT}/
    command:
      - sh
      - -c
      - |
        trap 'exit 0' TERM
        while :; do
          if printf 'GET /ping HTTP/1.0\\r\\n\\r\\n' | timeout 2 nc 127.0.0.1 ${PORT} 2>/dev/null | grep -q ok; then echo "info: GET /orders 200 4ms"
          else echo "error: GET /orders 500: query timed out after 2000 ms waiting for a connection to 127.0.0.1:${PORT}"
          fi
          sleep 1
        done
`;

describe('a paused database', () => {
  let stack: ComposeStack | undefined;
  let repo: string;
  let home: string;
  const db = `${P}_db_1`;
  const api = `${P}_api_1`;
  const state = (name: string) => docker(['inspect', '-f', '{{.State.Status}}', name]);
  const startedAt = (name: string) => docker(['inspect', '-f', '{{.State.StartedAt}}', name]);
  const env = () => ({ BCON_HOME: home, BCON_ACTOR: 'user/e2e' });
  let edits = 0;
  const bconYaml = (text: string) => {
    writeFileSync(path.join(repo, 'bcon.yaml'), `${text}# edit ${++edits}\n`);
    stack?.repo.commit('reconcile settings');
  };
  /** pause the db and wait until the api has logged that it hangs */
  const pauseDb = () => {
    if (state(db) !== 'paused') docker(['pause', db]);
    const since = new Date().toISOString();
    waitFor(() => docker(['logs', '--since', since, api]).includes('timed out'), 30_000, `${api} to time out on the paused db`);
  };

  beforeAll(() => {
    stack = upStack(P, { 'compose.yaml': COMPOSE, 'bcon.yaml': SELF_HEAL }, 'db and api');
    ({ dir: repo, home } = stack);
    waitFor(() => docker(['logs', api]).includes('200'), 30_000, `${api} to reach the db`);
  }, 120_000);
  afterAll(() => {
    docker(['unpause', db], { allowFail: true });
    stack?.cleanup();
  });

  it('a fresh pause waits its grace (a snapshot may be under way); a dry run names the unpause and changes nothing', async () => {
    pauseDb();
    const fresh = await reconcilePass(repo, home);
    expect(fresh.decisions.find((x) => x.service === `${P}/db`), JSON.stringify(fresh.decisions)).toMatchObject({ action: 'container.unpause', mode: 'refused', result: expect.stringMatching(/^waiting: paused at .*less than 60 s ago/) });
    expect(state(db)).toBe('paused');
    // from here on, no grace
    bconYaml('reconcile:\n  self_heal: true\n  pause_grace: 0s\n');
    const p = await reconcilePass(repo, home, ['--dry-run']);
    const d = p.decisions.find((x) => x.service === `${P}/db`);
    expect(d, JSON.stringify(p.decisions)).toMatchObject({ action: 'container.unpause', tier: 'autonomous' });
    expect(state(db)).toBe('paused');
  }, 90_000);

  it('with self_heal the pass unpauses it, citing the pause, and leaves the api alone', async () => {
    pauseDb();
    const apiStarted = startedAt(api);
    const p = await reconcilePass(repo, home);
    const d = p.decisions.find((x) => x.service === `${P}/db`);
    expect(d, JSON.stringify(p.decisions)).toMatchObject({ action: 'container.unpause', tier: 'autonomous', mode: 'executed', result: expect.stringMatching(/^succeeded/) });
    expect(state(db)).toBe('running');
    // nothing for the api: its time-outs were the db's doing
    expect(p.decisions.filter((x) => x.service === `${P}/api` && x.mode === 'executed')).toEqual([]);
    expect(startedAt(api)).toBe(apiStarted);
    const audit = await runBcon(['audit', '--json'], env());
    expect(audit.code, audit.stderr).toBe(0);
    expect(audit.stdout).toMatch(/paused/);
    // served again, and the next pass has nothing to do for either
    const since = new Date().toISOString();
    waitFor(() => docker(['logs', '--since', since, api]).includes('200'), 30_000, `${api} to reach the db again`);
    const next = await reconcilePass(repo, home);
    expect(next.decisions.filter((x) => x.service === `${P}/db` || x.service === `${P}/api`)).toEqual([]);
  }, 120_000);

  it('with self_heal: false it is a proposal, which bcon approve runs', async () => {
    bconYaml('reconcile:\n  self_heal: false\n  pause_grace: 0s\n');
    pauseDb();
    const p = await reconcilePass(repo, home);
    const d = p.decisions.find((x) => x.service === `${P}/db`);
    expect(d, JSON.stringify(p.decisions)).toMatchObject({ action: 'container.unpause', mode: 'proposed', result: expect.stringMatching(/^p-/) });
    expect(state(db)).toBe('paused');
    const ok = await runBcon(['approve', d?.result ?? '', '--option', '1', '--yes'], env());
    expect(ok.code, ok.stderr).toBe(0);
    expect(state(db)).toBe('running');
  }, 120_000);
});
