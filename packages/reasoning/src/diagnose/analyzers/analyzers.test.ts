import { describe, expect, it } from 'vitest';
import { NOW } from '../../__fixtures__/facts.js';
import { logLines, service, signals } from '../../__fixtures__/signals.js';
import type { ContainerFacts } from '@bcon/sensor';
import { diagnose } from '../diagnose.js';
import { finishedJob } from '../service-state.js';
import { CAUSE_CODES } from '../log-patterns.js';
import { ANALYZERS } from './index.js';
import { spokenTails } from './blank-setting.js';

const MiB = 1024 * 1024;
const top = (s: ReturnType<typeof signals>) => diagnose(s).report.hypotheses;
const first = (s: ReturnType<typeof signals>) => {
  const h = top(s)[0];
  return h ? `${h.cause}/${h.culprit}` : 'none';
};
const repeat = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));
const access = (ms: number, status = 200) => `::ffff:127.0.0.1 - - [01/Jan/2026:12:00:00 +0000] "GET /orders HTTP/1.1" ${status} 512 "-" "curl" - ${ms.toFixed(3)} ms`;

describe('the analyzers', () => {
  it('cover every cause code', () => {
    const covered = new Set(ANALYZERS.flatMap((a) => a.causes));
    expect(CAUSE_CODES.filter((c) => !covered.has(c))).toEqual([]);
  });

  it('a healthy service with the usual noise has no claim', () => {
    const shop = service('shop', {
      logs: logLines(['(node:1) [DEP0040] DeprecationWarning: The punycode module is deprecated.', '{"level":40,"msg":"cache not ready, retrying in 500 ms","attempt":1}', ...repeat(30, (i) => access(30 + (i % 17)))]),
      stats: [{ memory: 20 * MiB }],
      containers: [{ limits: { memoryBytes: 128 * MiB, memoryReservationBytes: undefined, nanoCpus: undefined } }],
    });
    const hyps = top(signals([shop], 'shop', 'is the shop ok?'));
    expect(hyps.filter((h) => h.confidence >= 0.5)).toEqual([]);
  });

  describe('oom_killed', () => {
    it('from the OOMKilled flag', () => {
      const w = service('worker', { containers: [{ state: 'exited', exitCode: 137, oomKilled: true, limits: { memoryBytes: 32 * MiB, memoryReservationBytes: undefined, nanoCpus: undefined } }] });
      expect(first(signals([w], 'worker'))).toBe('oom_killed/worker');
    });
    it('from exit 137 under a limit with an oom event, when the flag lost the race', () => {
      const w = service('worker', { containers: [{ state: 'exited', exitCode: 137, limits: { memoryBytes: 32 * MiB, memoryReservationBytes: undefined, nanoCpus: undefined } }], events: [{ action: 'oom' }] });
      const h = top(signals([w], 'worker'))[0];
      expect(h).toMatchObject({ cause: 'oom_killed', culprit: 'worker' });
      expect(h?.confidence).toBeGreaterThanOrEqual(0.85);
    });
    it('not when the 137 was a stop asked through the engine', () => {
      const w = service('worker', { containers: [{ state: 'exited', exitCode: 137, limits: { memoryBytes: 32 * MiB, memoryReservationBytes: undefined, nanoCpus: undefined } }], events: [{ action: 'kill', attributes: { signal: '9' } }] });
      expect(top(signals([w], 'worker')).some((h) => h.cause === 'oom_killed')).toBe(false);
    });
  });

  it('memory_pressure: near the limit while running', () => {
    const t = service('thumbs', { containers: [{ limits: { memoryBytes: 48 * MiB, memoryReservationBytes: undefined, nanoCpus: undefined } }], stats: [{ memory: 46 * MiB }] });
    expect(first(signals([t], 'thumbs'))).toBe('memory_pressure/thumbs');
    const ok = service('thumbs', { containers: [{ limits: { memoryBytes: 48 * MiB, memoryReservationBytes: undefined, nanoCpus: undefined } }], stats: [{ memory: 10 * MiB }] });
    expect(first(signals([ok], 'thumbs'))).toBe('none');
  });

  it('cpu_saturation: throttled in most CPU periods', () => {
    const r = service('reporter', { containers: [{ limits: { memoryBytes: undefined, memoryReservationBytes: undefined, nanoCpus: 2e8 } }], stats: [{ percent: 19.8, periods: 150, throttledPeriods: 148 }] });
    expect(first(signals([r], 'reporter', 'reports take forever'))).toBe('cpu_saturation/reporter');
    const idle = service('reporter', { containers: [{ limits: { memoryBytes: undefined, memoryReservationBytes: undefined, nanoCpus: 2e8 } }], stats: [{ percent: 1, periods: 150, throttledPeriods: 2 }] });
    expect(first(signals([idle], 'reporter'))).toBe('none');
  });

  it('crash_loop: restarts with no deeper reason, and outranked when there is one', () => {
    const m = service('mailer', { containers: [{ state: 'restarting', exitCode: 2, restartCount: 6 }], logs: logLines(['panic: runtime error: invalid memory address or nil pointer dereference', 'goroutine 1 [running]:']) });
    expect(first(signals([m], 'mailer'))).toBe('crash_loop/mailer');
    const api = service('api', { containers: [{ state: 'restarting', exitCode: 1, restartCount: 6 }], logs: logLines(['Error: required environment variable DATABASE_URL is not set']) });
    const hyps = top(signals([api], 'api', 'api keeps restarting'));
    expect(`${hyps[0]?.cause}/${hyps[0]?.culprit}`).toBe('missing_config/api');
    expect(hyps.find((h) => h.cause === 'crash_loop')?.confidence ?? 0).toBeLessThan(hyps[0]?.confidence ?? 0);
  });

  it('bad_command: the runtime could not exec the command', () => {
    const w = service('web', { containers: [{ state: 'created', exitCode: 127, error: 'OCI runtime create failed: exec: "/srv/bin/start-web.sh": stat /srv/bin/start-web.sh: no such file or directory: unknown' }] });
    expect(first(signals([w], 'web', 'web is down'))).toBe('bad_command/web');
  });

  it('bad_command: a run that died naming a word of its own command; not a word that names a host it needs, nor a run that lives', () => {
    const gunicorn = (state: 'exited' | 'running', exitCode: number, last: string, cmd = ['gunicorn', '--bind', '127.0.0.1:8000', '--workers', '2', 'shop.wsgi:aplication']) =>
      service('web', {
        containers: [{ state, exitCode, config: { cmd, entrypoint: null, env: [], healthcheck: undefined } }],
        logs: logLines(['[2026-12-06 09:00:00 +0000] [1] [INFO] Starting gunicorn 22.0.0', '[2026-12-06 09:00:00 +0000] [1] [INFO] Listening at: http://127.0.0.1:8000 (1)', last, '[2026-12-06 09:00:01 +0000] [1] [ERROR] Reason: App failed to load.']),
      });
    const h = top(signals([gunicorn('exited', 4, "Failed to find attribute 'aplication' in 'shop.wsgi'.")], 'web'))[0];
    expect(`${h?.cause}/${h?.culprit}`).toBe('bad_command/web');
    expect(h?.confidence ?? 0).toBeGreaterThanOrEqual(0.5);
    // a flag as written
    expect(first(signals([gunicorn('exited', 2, 'Error: unknown flag: --wokers', ['api', '--wokers', '2'])], 'web'))).toBe('bad_command/web');
    // as Go's flag package quotes it back: one dash, whatever was written
    expect(first(signals([gunicorn('exited', 2, 'Error: flag provided but not defined: -migration-dir', ['dbmate', '--wait', '--migration-dir', '/app/db/migrations', 'up'])], 'web'))).toBe('bad_command/web');
    // the same line from a container that runs: nothing refused its command
    expect(top(signals([gunicorn('running', 0, "Failed to find attribute 'aplication' in 'shop.wsgi'.")], 'web')).some((x) => x.cause === 'bad_command')).toBe(false);
    // a traceback's frame naming its script is an ordinary crash, not a refused command
    const py = service('web', {
      containers: [{ state: 'exited', exitCode: 1, config: { cmd: ['python', 'main.py'], entrypoint: null, env: [], healthcheck: undefined } }],
      logs: logLines(['Traceback (most recent call last):', '  File "main.py", line 3, in <module>', 'ZeroDivisionError: division by zero']),
    });
    expect(top(signals([py], 'web')).some((x) => x.cause === 'bad_command')).toBe(false);
    // a secret the command holds is never a word, nor printed
    const sync = service('web', {
      containers: [{ state: 'exited', exitCode: 1, config: { cmd: ['sync', '--api-key', 'Tr0ub4dor3xQ'], entrypoint: null, env: [], healthcheck: undefined } }],
      logs: logLines(['error: upstream rejected the key "Tr0ub4dor3xQ"']),
    });
    const report = diagnose(signals([sync], 'web')).report;
    expect(report.hypotheses.some((x) => x.cause === 'bad_command')).toBe(false);
    expect(JSON.stringify(report)).not.toContain('Tr0ub4dor3xQ');
    // the word names another service: the host it could not reach, not its command
    const db = service('postgres');
    const api = service('api', {
      containers: [{ state: 'exited', exitCode: 1, config: { cmd: ['api', '--db-host', 'postgres'], entrypoint: null, env: [], healthcheck: undefined } }],
      logs: logLines(["could not translate host name 'postgres' to address"]),
    });
    expect(top(signals([api, db], 'api')).some((x) => x.cause === 'bad_command')).toBe(false);
  });

  it('missing_config: a variable the software warned is not set and carried on without is a lead; as an error, a claim', () => {
    const geo = (level: string) => service('plausible', { containers: [{ state: 'exited', exitCode: 1, restartCount: 3 }], logs: logLines([`10:00:01.120 [${level}] Plausible.Geo: no geolocation database configured (MAXMIND_LICENSE_KEY is not set), country data will not be recorded`, '10:00:02.000 [info] Running PlausibleWeb.Endpoint']) });
    const warned = top(signals([geo('warning')], 'plausible')).find((h) => h.cause === 'missing_config');
    expect(warned?.confidence ?? 0).toBeLessThan(0.5);
    const failed = top(signals([geo('error')], 'plausible')).find((h) => h.cause === 'missing_config');
    expect(failed?.confidence ?? 0).toBeGreaterThanOrEqual(0.5);
  });

  it('a failure to reach a name none of its settings names, in a service that runs on since (a restart before it), is a lead', () => {
    const started = new Date(NOW - 60_000).toISOString();
    const line = '2026-12-06 10:00:20.120 ERROR (MainThread) [homeassistant.components.met] Error fetching met data: Update failed: Cannot connect to host api.met.no:443 ssl:default [Temporary failure in name resolution]';
    const ha = (startedAt: string) => service('homeassistant', { containers: [{ restartCount: 1, startedAt, health: { status: 'healthy', failingStreak: 0, log: [] } }], logs: logLines([line]) });
    const sound = top(signals([ha(started)], 'homeassistant')).find((h) => h.cause === 'dns_failure');
    expect(sound?.confidence ?? 0).toBeLessThan(0.5);
    expect(sound?.summary).toContain('api.met.no');
    // restarted after the failure: it did not run on through it
    expect(top(signals([ha(new Date(NOW + 1_000).toISOString())], 'homeassistant')).find((h) => h.cause === 'dns_failure')?.confidence ?? 0).toBeGreaterThanOrEqual(0.5);
  });

  it('missing_config: a file its settings point it at that its logs say is not there', () => {
    const line = 'time="2026-12-06T10:00:01Z" level=error msg="Configuration: secrets: error loading secret path /secrets/SESSION_SECRET into key \'session.secret\': file does not exist error: open /secrets/SESSION_SECRET: no such file or directory"';
    const authelia = (state: 'exited' | 'running', restartCount: number) =>
      service('authelia', { containers: [{ state, exitCode: state === 'exited' ? 1 : 0, restartCount, config: { cmd: null, entrypoint: null, env: ['AUTHELIA_SESSION_SECRET_FILE=/secrets/SESSION_SECRET', 'TZ=UTC'], healthcheck: undefined } }], logs: logLines([line, 'time="2026-12-06T10:00:01Z" level=fatal msg="Can\'t continue due to the errors loading the configuration"']) });
    const hyps = top(signals([authelia('exited', 5)], 'authelia', 'every protected site answers 500'));
    expect(`${hyps[0]?.cause}/${hyps[0]?.culprit}`, JSON.stringify(hyps)).toBe('missing_config/authelia');
    expect(hyps[0]?.summary).toContain('/secrets/SESSION_SECRET, which AUTHELIA_SESSION_SECRET_FILE points it at');
    // running on: a lead; a path its settings do not name: nothing from this reading
    expect(top(signals([authelia('running', 0)], 'authelia')).find((h) => h.cause === 'missing_config')?.confidence ?? 0).toBeLessThan(0.5);
    const other = service('authelia', { containers: [{ state: 'exited', exitCode: 1, restartCount: 5, config: { cmd: null, entrypoint: null, env: ['TZ=UTC'], healthcheck: undefined } }], logs: logLines([line]) });
    expect(top(signals([other], 'authelia')).some((h) => h.cause === 'missing_config' && h.summary.includes('points it at'))).toBe(false);
    // a route, not a file: nothing
    const web = service('web', { containers: [{ state: 'restarting', exitCode: 1, restartCount: 2, config: { cmd: null, entrypoint: null, env: ['BASE_PATH=/api', 'STATIC_DIR=/static'], healthcheck: undefined } }], logs: logLines(['route /api not found', 'open /static: no such file or directory']) });
    expect(top(signals([web], 'web')).some((h) => h.summary.includes('points it at'))).toBe(false);
  });

  it('missing_config: a python KeyError on os.environ', () => {
    const b = service('billing', { containers: [{ state: 'exited', exitCode: 1, restartCount: 3 }], logs: logLines(['Traceback (most recent call last):', '  File "/app/main.py", line 3, in <module>', "KeyError: 'STRIPE_API_KEY'"]) });
    const h = top(signals([b], 'billing'))[0];
    expect(h).toMatchObject({ cause: 'missing_config', culprit: 'billing' });
  });

  it('missing_config: a server refusing a name only a stray client asks for is a lead; one the stack is configured with is the fault', () => {
    const pg = (role: string) =>
      service('db', {
        containers: [{ config: { cmd: null, entrypoint: null, env: ['POSTGRES_DB=feed', 'HOME=/root'], healthcheck: undefined } }],
        logs: logLines([
          '2026-12-06 09:00:00.031 UTC [1] LOG:  database system is ready to accept connections',
          ...repeat(4, (i) => `2026-12-06 09:00:0${i + 2}.402 UTC [8${i}] FATAL:  role "${role}" does not exist`),
        ]),
      });
    const app = () => service('app', { containers: [{ config: { cmd: null, entrypoint: null, env: ['DATABASE_URL=postgres://shop:pw@127.0.0.1:5432/feed'], healthcheck: undefined } }] });
    // `root` (psql or pg_isready run inside the container with no -U): no service here uses it, and HOME=/root is a path
    const stray = top(signals([app(), pg('root')], 'app')).find((h) => h.cause === 'missing_config');
    expect(stray?.culprit).toBe('db');
    expect(stray?.confidence ?? 0).toBeLessThan(0.5);
    // `shop`: the role the app connects as
    const asked = top(signals([app(), pg('shop')], 'app')).find((h) => h.cause === 'missing_config');
    expect(asked?.confidence ?? 0).toBeGreaterThanOrEqual(0.5);
    // `postgres` (a probe's -U postgres while the image runs `postgres` and the URL's scheme says postgres://): stray
    const image = (line: string, env: string[]) =>
      service('db', { containers: [{ config: { cmd: ['postgres'], entrypoint: null, env, healthcheck: undefined } }], logs: logLines(repeat(4, (i) => `2026-12-06 09:00:0${i + 2}.402 UTC [8${i}] ${line}`)) });
    const byProbe = top(signals([app(), image('FATAL:  role "postgres" does not exist', ['POSTGRES_USER=shop'])], 'app')).find((h) => h.cause === 'missing_config');
    expect(byProbe?.confidence ?? 0).toBeLessThan(0.5);
    // `pg_isready -U shop` with no -d asks for a database named like the user: `shop` is a user here, not a database
    const noDb = top(signals([app(), image('FATAL:  database "shop" does not exist', ['POSTGRES_USER=shop', 'POSTGRES_DB=feed'])], 'app')).find((h) => h.cause === 'missing_config');
    expect(noDb?.confidence ?? 0).toBeLessThan(0.5);
    // the database the app's URL names is the stack's
    const theirs = top(signals([app(), image('FATAL:  database "feed" does not exist', ['POSTGRES_USER=shop'])], 'app')).find((h) => h.cause === 'missing_config');
    expect(theirs?.confidence ?? 0).toBeGreaterThanOrEqual(0.5);
  });

  describe('dependency_down', () => {
    const db = () => service('db', { containers: [{ state: 'exited', exitCode: 143 }], events: [{ action: 'stop' }], spec: { command: ['httpd', '-p', '127.0.0.1:15432'] } });
    const api = () =>
      service('api', {
        containers: [{ config: { cmd: null, entrypoint: null, env: ['DATABASE_URL=postgres://app:pw@127.0.0.1:15432/app'], healthcheck: undefined } }],
        spec: { dependsOn: ['db'] },
        logs: logLines(repeat(20, () => '{"level":50,"msg":"connect ECONNREFUSED 127.0.0.1:15432","err":{"code":"ECONNREFUSED","port":15432}}')),
      });
    it('a dependency that crashes at every start (its policy bringing it back) leads with its crash loop, a stopped one with being down', () => {
      const looping = service('db', {
        containers: [{ state: 'restarting', exitCode: 1, restartCount: 8 }],
        events: [1, 2, 3, 4].map(() => ({ action: 'die', exitCode: 1 })),
        spec: { command: ['httpd', '-p', '127.0.0.1:15432'] },
        logs: logLines(repeat(4, () => '{"level":"fatal","ts":"2026-12-06T10:00:01Z","caller":"etcdserver/storage.go:107","msg":"failed to read WAL","error":"wal: crc mismatch"}')),
      });
      const r = diagnose(signals([api(), looping], 'api', 'api returns 500 errors')).report;
      expect(`${r.hypotheses[0]?.cause}/${r.hypotheses[0]?.culprit}`, JSON.stringify(r.hypotheses)).toBe('crash_loop/db');
      expect(r.hypotheses.some((h) => h.cause === 'dependency_down' && h.culprit === 'db')).toBe(true);
      const stopped = diagnose(signals([api(), db()], 'api', 'api returns 500 errors')).report;
      expect(`${stopped.hypotheses[0]?.cause}/${stopped.hypotheses[0]?.culprit}`).toBe('dependency_down/db');
    });
    it('a dependency killed (137) after it ran on past a missing helper of its entrypoint is down, not a command that cannot start', () => {
      const killed = (exitCode: number) =>
        service('db', {
          containers: [{ state: 'exited', exitCode }],
          spec: { command: ['httpd', '-p', '127.0.0.1:15432'] },
          logs: logLines(['sh: locale: not found', 'PostgreSQL init process complete; ready for start up.', ...repeat(6, (i) => `2026-12-07 02:3${i}:00.000 UTC [1] LOG:  checkpoint complete: wrote ${i} buffers`)]),
        });
      const r = diagnose(signals([api(), killed(137)], 'api', 'api returns 500 errors')).report;
      expect(`${r.hypotheses[0]?.cause}/${r.hypotheses[0]?.culprit}`, JSON.stringify(r.hypotheses)).toBe('dependency_down/db');
      expect(r.hypotheses.some((h) => h.cause === 'bad_command' && h.confidence >= 0.5), JSON.stringify(r.hypotheses)).toBe(false);
      // a run that died by itself after the line (exit 1): the command it could not find stays a cause
      const died = diagnose(signals([api(), killed(1)], 'api', 'api returns 500 errors')).report;
      expect(died.hypotheses.some((h) => h.cause === 'bad_command' && h.culprit === 'db' && h.confidence >= 0.5), JSON.stringify(died.hypotheses)).toBe(true);
    });
    it('a dependency restarted once that has run on since (healthy, longer than 10 s) is not down for the refusals of its restart', () => {
      const ha = (startedAgo: number) =>
        service('db', {
          containers: [{ state: 'running', restartCount: 1, startedAt: new Date(NOW - startedAgo).toISOString(), health: { status: 'healthy', failingStreak: 0, log: [] } }],
          events: [{ action: 'die', exitCode: 100, at: NOW - startedAgo - 500 }],
          spec: { command: ['httpd', '-p', '127.0.0.1:15432'] },
        });
      const refusedThen = service('api', {
        containers: [{ config: { cmd: null, entrypoint: null, env: ['DATABASE_URL=postgres://app:pw@127.0.0.1:15432/app'], healthcheck: undefined } }],
        spec: { dependsOn: ['db'] },
        logs: logLines([...repeat(3, () => '{"level":50,"msg":"connect ECONNREFUSED 127.0.0.1:15432"}'), ...repeat(30, () => '{"level":30,"msg":"GET /orders 200"}')]),
      });
      expect(top(signals([refusedThen, ha(40_000)], 'api')).filter((h) => h.cause === 'dependency_down' && h.confidence >= 0.5), 'ran on for 40 s').toEqual([]);
      // caught a moment after it came back: between two crashes it may be
      expect(top(signals([refusedThen, ha(3_000)], 'api')).some((h) => h.cause === 'dependency_down' && h.culprit === 'db' && h.confidence >= 0.5)).toBe(true);
    });
    it('blames the stopped database, not the api that reports it', () => {
      const s = signals([api(), db()], 'api', 'api returns 500 errors');
      const r = diagnose(s).report;
      expect(`${r.hypotheses[0]?.cause}/${r.hypotheses[0]?.culprit}`).toBe('dependency_down/db');
      // evidence ids cited exist, and no secret leaves the process
      const ids = new Set(r.evidence.map((e) => e.id));
      for (const h of r.hypotheses) for (const id of h.evidence) expect(ids.has(id)).toBe(true);
      expect(JSON.stringify(r)).not.toContain('pw@');
    });
    it('a dependency that runs is not blamed for a name its caller cannot resolve (the lookup fails, not the database)', () => {
      const pg = service('postgres', { spec: { command: ['httpd', '-p', '127.0.0.1:25645'] } });
      const cms = service('directus', {
        containers: [{ state: 'restarting', exitCode: 1, restartCount: 4, config: { cmd: null, entrypoint: null, env: ['DB_HOST=postgres', 'DB_PORT=25645'], healthcheck: undefined } }],
        spec: { dependsOn: ['postgres'], networkMode: 'host' },
        logs: logLines(repeat(6, () => '[12:00:01.4] ERROR: getaddrinfo ENOTFOUND postgres')),
      });
      const hyps = top(signals([cms, pg], 'directus', 'the cms is down'));
      expect(hyps.filter((h) => h.culprit === 'postgres' && h.confidence >= 0.3), JSON.stringify(hyps)).toEqual([]);
      expect(`${hyps[0]?.cause}/${hyps[0]?.culprit}`).toBe('dns_failure/directus');
      // the same lookup failing once the database's container is gone: the database is down
      const gone = service('postgres', { containers: [{ state: 'exited', exitCode: 143 }], events: [{ action: 'stop' }], spec: { command: ['httpd', '-p', '127.0.0.1:25645'] } });
      expect(top(signals([cms, gone], 'directus', 'the cms is down')).some((h) => h.cause === 'dependency_down' && h.culprit === 'postgres')).toBe(true);
    });
    it('a paused database (docker pause): its callers time out instead of being refused, and it is what is down, not slow', () => {
      const frozen = service('db', { containers: [{ state: 'paused' }], events: [{ action: 'pause' }], spec: { command: ['httpd', '-p', '127.0.0.1:15432'] } });
      const waiting = service('api', {
        containers: [{ config: { cmd: null, entrypoint: null, env: ['DATABASE_URL=postgres://app:pw@127.0.0.1:15432/app'], healthcheck: undefined } }],
        spec: { dependsOn: ['db'] },
        logs: logLines(repeat(12, () => 'prisma:error Timed out fetching a new connection from the connection pool. (Current connection pool timeout: 10, connection limit: 5) 127.0.0.1:15432')),
      });
      const hyps = top(signals([waiting, frozen], 'api', 'the dashboard just spins'));
      expect(`${hyps[0]?.cause}/${hyps[0]?.culprit}`, JSON.stringify(hyps)).toMatch(/^(dependency_down|stopped_service)\/db$/);
      expect(hyps[0]?.summary).toMatch(/paused/);
      expect(hyps.some((h) => h.cause === 'dependency_slow')).toBe(false);
      expect(hyps.filter((h) => h.culprit === 'api' && h.confidence >= 0.3)).toEqual([]);
      // asked about itself: a stopped service too, citing the pause
      const report = diagnose(signals([waiting, frozen], 'db')).report;
      const own = report.hypotheses.find((h) => h.cause === 'stopped_service' && h.culprit === 'db');
      expect(own?.confidence).toBeGreaterThanOrEqual(0.8);
      expect(report.evidence.filter((e) => own?.evidence.includes(e.id)).map((e) => e.text).join('\n')).toMatch(/state paused[\s\S]*paused through the engine/);
      // the same time-outs while the database runs say nothing of it being down
      const running = service('db', { spec: { command: ['httpd', '-p', '127.0.0.1:15432'] } });
      expect(top(signals([waiting, running], 'api')).some((h) => h.cause === 'dependency_down')).toBe(false);
    });
    it('follows a chain to its root: web ← api ← db', () => {
      const web = service('web', {
        spec: { dependsOn: ['api'] },
        logs: logLines(repeat(10, () => '2026/01/01 12:00:00 [error] 7#7: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: _, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:3000/"')),
      });
      const a = api();
      a.containers = a.containers.map((c) => ({ ...c, state: 'restarting' as const, restartCount: 5, exitCode: 1, config: { ...c.config, cmd: ['node', 'server.js', '--port', '3000'] } }));
      const r = diagnose(signals([web, a, db()], 'web', 'web returns 502')).report;
      expect(`${r.hypotheses[0]?.cause}/${r.hypotheses[0]?.culprit}`).toBe('dependency_down/db');
    });
  });

  it('dependency_slow: api latency rose, its database logs slow statements', () => {
    const pg = service('postgres', { logs: logLines(repeat(20, (i) => `2026-01-01 12:00:0${i % 10}.000 UTC [${100 + i}] app@shop LOG:  duration: ${2100 + i * 37}.412 ms  statement: SELECT o.* FROM orders o ORDER BY o.created_at DESC`)) });
    const api = service('api', { spec: { dependsOn: ['postgres'] }, logs: logLines([...repeat(10, (i) => access(40 + (i % 9))), ...repeat(25, (i) => access(2200 + i * 20))]) });
    const r = diagnose(signals([api, pg], 'api', 'api responses are slow')).report;
    expect(`${r.hypotheses[0]?.cause}/${r.hypotheses[0]?.culprit}`).toBe('dependency_slow/postgres');
    expect(r.hypotheses[0]?.summary).toMatch(/usually 4\d ms/);
  });

  describe('dependency_slow on one route: the service is fast but for the route a person names', () => {
    // Grafana logs every request (logfmt); its login binds against OpenLDAP, whose searches take seconds
    const req = (method: string, path: string, ms: number) => `logger=context userId=0 orgId=1 uname= t=2026-12-06T10:00:00Z level=info msg="Request Completed" method=${method} path=${path} status=200 remote_addr=127.0.0.1 time_ms=${ms} duration=${ms}ms size=87`;
    const grafanaLogs = () => logLines([...repeat(30, (i) => req('GET', i % 2 ? '/api/dashboards/uid/abc123' : '/api/search', 12 + (i % 20))), ...repeat(4, (i) => req('POST', '/login', 3900 + i * 400)), ...repeat(10, (i) => req('GET', '/api/health', 2 + (i % 3)))]);
    const ldapLogs = () => logLines(repeat(8, (i) => `6752f1a${i}.1c2d3e4f 0x7f2a4c0fe640 conn=100${i} op=1 SEARCH RESULT tag=101 err=0 qtime=0.000014 etime=${3 + (i % 3)}.20${i}233 nentries=1 text=`));
    const stack = () => [service('grafana', { spec: { dependsOn: ['openldap'] }, logs: grafanaLogs() }), service('openldap', { logs: ldapLogs() })];

    it('names the slow directory behind the slow login', () => {
      const r = diagnose(signals(stack(), 'grafana', 'logging in takes forever')).report;
      expect(`${r.hypotheses[0]?.cause}/${r.hypotheses[0]?.culprit}`, JSON.stringify(r.hypotheses)).toBe('dependency_slow/openldap');
      expect(r.hypotheses[0]?.confidence).toBeGreaterThanOrEqual(0.5);
      expect(r.hypotheses[0]?.summary).toMatch(/POST \/login median 4\.\d s, its other requests \d+ ms/);
    });

    it('is no slowness when nobody says the service is slow, nor when the dependency shows no slow work', () => {
      expect(diagnose(signals(stack(), 'grafana', 'dashboards show errors')).report.hypotheses.some((h) => h.cause === 'dependency_slow')).toBe(false);
      expect(diagnose(signals(stack())).report.hypotheses.some((h) => h.cause === 'dependency_slow')).toBe(false);
      const quiet = [service('grafana', { spec: { dependsOn: ['openldap'] }, logs: grafanaLogs() }), service('openldap', { logs: logLines(repeat(8, (i) => `conn=100${i} op=1 SEARCH RESULT tag=101 err=0 qtime=0.000014 etime=0.00${i}233 nentries=1 text=`)) })];
      expect(diagnose(signals(quiet, 'grafana', 'logging in takes forever')).report.hypotheses.some((h) => h.cause === 'dependency_slow' && h.confidence >= 0.5)).toBe(false);
    });

    it("a dependency's generic `took 2.4s` alone is a lead beside a caller that only logs time-outs, a claim beside a slow one", () => {
      const took = (i: number) => `time="2026-12-06T10:00:0${i}Z" level=info msg="search done" index=people took=${3 + (i % 3)}.2s`;
      const caller = (slow: boolean) => service('grafana', { spec: { dependsOn: ['directory'] }, logs: slow ? grafanaLogs() : logLines(repeat(3, () => 'logger=ldap t=2026-12-06T10:00:00Z level=error msg="ldap search failed" error="context deadline exceeded"')) });
      const dir = () => service('directory', { logs: logLines(repeat(6, took)) });
      const lead = diagnose(signals([caller(false), dir()], 'grafana', 'logging in takes forever')).report.hypotheses.find((h) => h.cause === 'dependency_slow' && h.culprit === 'directory');
      expect(lead?.confidence ?? 0).toBeLessThan(0.5);
      const claim = diagnose(signals([caller(true), dir()], 'grafana', 'logging in takes forever')).report.hypotheses[0];
      expect(`${claim?.cause}/${claim?.culprit}`).toBe('dependency_slow/directory');
      expect(claim?.confidence).toBeGreaterThanOrEqual(0.5);
    });
  });

  it("dependency_slow stated by the target and by a caller beside it: the target's own finding stands, not a lead", () => {
    const pg = service('postgres', { logs: logLines(repeat(20, (i) => `2026-01-01 12:00:0${i % 10}.000 UTC [${100 + i}] app@shop LOG:  duration: ${2100 + i * 37}.412 ms  statement: SELECT o.* FROM orders o ORDER BY o.created_at DESC`)) });
    // the app says its own requests ran too long (no latency of its own): 0.6
    const app = service('app', { spec: { dependsOn: ['postgres'] }, logs: logLines(repeat(6, (i) => `[06-Dec-2026 09:00:0${i}] WARNING: [pool www] child ${30 + i}, script '/var/www/html/cart.php' (request: "POST /cart") executing too slow (5.${i}00000 sec), logging`)) });
    // the edge in front of it: its latency rose (higher, but beside the target)
    const edge = service('edge', { spec: { dependsOn: ['app'] }, logs: logLines([...repeat(10, (i) => access(40 + (i % 9))), ...repeat(25, (i) => access(5200 + i * 20))]) });
    const hyps = top({ ...signals([edge, app, pg], 'app', 'checkout hangs'), beside: ['edge'] });
    expect(`${hyps[0]?.cause}/${hyps[0]?.culprit}`, JSON.stringify(hyps)).toBe('dependency_slow/postgres');
    expect(hyps[0]?.confidence).toBeGreaterThanOrEqual(0.5);
    expect(hyps.some((h) => h.culprit === 'app')).toBe(false);
  });

  it('connection_refused: an address no service owns', () => {
    const n = service('notifier', { logs: logLines(repeat(10, () => 'dial tcp 127.0.0.1:29999: connect: connection refused')) });
    expect(first(signals([n], 'notifier'))).toBe('connection_refused/notifier');
    expect(top(signals([n], 'notifier'))[0]?.confidence).toBeGreaterThanOrEqual(0.5);
  });

  it("connection_refused: not a server's own word that it turns its clients away (too many clients), naming no address", () => {
    const pg = service('postgres', { logs: logLines(repeat(8, (i) => `2026-12-07 05:46:1${i}.000 UTC [${200 + i}] FATAL:  sorry, too many clients already`)) });
    const wiki = service('wiki', { spec: { dependsOn: ['postgres'] }, logs: logLines(repeat(8, () => '2026-12-07T05:46:10.000Z [MASTER] error: sorry, too many clients already')) });
    const h = top(signals([wiki, pg], 'wiki', 'the wiki throws errors'));
    expect(h.some((x) => x.cause === 'connection_refused' && x.culprit === 'postgres'), JSON.stringify(h)).toBe(false);
    // the same words in a service nothing needs (a client quoting its database's reply): a refusal it met
    const alone = service('reports', { logs: logLines(repeat(8, () => 'psycopg2.OperationalError: FATAL:  sorry, too many clients already')) });
    expect(first(signals([alone], 'reports'))).toBe('connection_refused/reports');
    // a middle tier others need, that needs the database itself, quoting its reply: a refusal it met
    const api = service('api', { spec: { dependsOn: ['postgres'] }, logs: logLines(repeat(8, () => 'psycopg2.OperationalError: FATAL:  sorry, too many clients already')) });
    const web = service('web', { spec: { dependsOn: ['api'] } });
    const mid = top(signals([web, api, service('postgres', {})], 'api', 'the api fails'));
    expect(mid.some((x) => x.cause === 'connection_refused' && x.culprit === 'api'), JSON.stringify(mid)).toBe(true);
  });

  it('connection_refused: another machine none of its settings names, refusing a service that runs well, is a lead; named, a claim', () => {
    const line = '2026-12-06T10:00:03.120Z [warn][Radarr]: Failed to retrieve queue: connect ECONNREFUSED 192.168.1.40:7878';
    const lan = top(signals([service('jellyseerr', { logs: logLines(repeat(6, () => line)) })], 'jellyseerr'));
    expect(lan[0]?.cause).toBe('connection_refused');
    expect(lan[0]?.confidence).toBeLessThan(0.5);
    const told = service('jellyseerr', { containers: [{ config: { cmd: null, entrypoint: null, env: ['RADARR_URL=http://192.168.1.40:7878'], healthcheck: undefined } }], logs: logLines(repeat(6, () => line)) });
    expect(top(signals([told], 'jellyseerr'))[0]?.confidence).toBeGreaterThanOrEqual(0.5);
    // the host name its settings give resolved to the IP the line prints: the port tells; logged as an error: a claim
    const byName = service('jellyseerr', { containers: [{ config: { cmd: null, entrypoint: null, env: ['RADARR_URL=http://radarr.lan:7878'], healthcheck: undefined } }], logs: logLines(repeat(6, () => line)) });
    expect(top(signals([byName], 'jellyseerr'))[0]?.confidence).toBeGreaterThanOrEqual(0.5);
    const loud = service('jellyseerr', { logs: logLines(repeat(6, () => line.replace('[warn]', '[error]'))) });
    expect(top(signals([loud], 'jellyseerr'))[0]?.confidence).toBeGreaterThanOrEqual(0.5);
    // a port here none of its settings names, that the software logs as a warning (a scrape target gone for weeks): a
    // lead; as an error, or a port its settings give it: a claim
    const scrape = (level: string) => `2026-12-06T10:00:01.000Z\t${level}\tlib/promscrape/scrapework.go:387\tcannot scrape target "http://127.0.0.1:9187/metrics": dial tcp4 127.0.0.1:9187: connect: connection refused`;
    const vmagent = (level: string, env: string[] = []) => service('vmagent', { containers: [{ config: { cmd: null, entrypoint: null, env, healthcheck: undefined } }], logs: logLines(repeat(6, () => scrape(level))) });
    expect(top(signals([vmagent('warn')], 'vmagent'))[0]?.confidence).toBeLessThan(0.5);
    expect(top(signals([vmagent('error')], 'vmagent'))[0]?.confidence).toBeGreaterThanOrEqual(0.5);
    expect(top(signals([vmagent('warn', ['PG_EXPORTER=http://127.0.0.1:9187/metrics'])], 'vmagent'))[0]?.confidence).toBeGreaterThanOrEqual(0.5);
    // the service not running well: a claim
    const down = service('jellyseerr', { containers: [{ state: 'restarting', exitCode: 1, restartCount: 3 }], logs: logLines(repeat(6, () => line)) });
    expect(top(signals([down], 'jellyseerr')).find((x) => x.cause === 'connection_refused')?.confidence).toBeGreaterThanOrEqual(0.5);
  });

  it('connection_refused: two clients agree on a port nothing listens on, and the pooler they depend on listens on another: the pooler moved', () => {
    const refused = () => logLines(repeat(6, () => 'psycopg2.OperationalError: connection to server at "127.0.0.1", port 26682 failed: Connection refused'));
    const client = (name: string) =>
      service(name, {
        spec: { dependsOn: ['pgbouncer', 'redis'] },
        containers: [{ config: { cmd: null, entrypoint: null, env: ['DATABASE_URL=postgres://t:t@127.0.0.1:26682/t', 'BROKER_URL=redis://127.0.0.1:26685/0'], healthcheck: undefined } }],
        logs: refused(),
      });
    const pgbouncer = service('pgbouncer', { containers: [{ config: { cmd: null, entrypoint: null, env: ['LISTEN_PORT=26683', 'DB_PORT=26681'], healthcheck: undefined } }] });
    const redis = service('redis', { spec: { command: ['redis-server', '--port', '26685'] }, containers: [{ config: { cmd: ['redis-server', '--port', '26685'], entrypoint: null, env: [], healthcheck: undefined } }] });
    const both = top(signals([client('api'), client('worker'), pgbouncer, redis], 'api', 'the api fails'));
    expect(`${both[0]?.cause}/${both[0]?.culprit}`, JSON.stringify(both)).toBe('connection_refused/pgbouncer');
    expect(both[0]?.summary).toMatch(/listens on 26683/);
    // one client alone with that address: its address is the odd one
    const alone = top(signals([client('api'), pgbouncer, redis], 'api', 'the api fails'));
    expect(`${alone[0]?.cause}/${alone[0]?.culprit}`, JSON.stringify(alone)).toBe('connection_refused/api');
    // a dependency some client connects to where it listens is not where the address was meant to point
    const used = top(signals([client('api'), client('worker'), service('pgbouncer', { containers: [{ config: { cmd: null, entrypoint: null, env: ['LISTEN_PORT=26685'], healthcheck: undefined } }] })], 'api', 'the api fails'));
    expect(used[0]?.culprit, JSON.stringify(used)).toBe('api');
    // a declared dependency whose port nobody knows (postgres, no flag) may be the owner; one told by a bare *_PORT
    // (SMTP_PORT=1025) is in use: neither is blamed
    const mailClient = (name: string) =>
      service(name, {
        spec: { dependsOn: ['db', 'mailhog'] },
        containers: [{ config: { cmd: null, entrypoint: null, env: ['DATABASE_URL=postgres://t:t@127.0.0.1:5433/t', 'SMTP_HOST=127.0.0.1', 'SMTP_PORT=1025'], healthcheck: undefined } }],
        logs: logLines(repeat(6, () => 'psycopg2.OperationalError: connection to server at "127.0.0.1", port 5433 failed: Connection refused')),
      });
    const mailhog = service('mailhog', { containers: [{ config: { cmd: null, entrypoint: null, env: ['MH_SMTP_BIND_ADDR=0.0.0.0:1025'], healthcheck: undefined } }] });
    const pg = service('db', { containers: [{ config: { cmd: ['postgres'], entrypoint: null, env: [], healthcheck: undefined } }] });
    const mail = top(signals([mailClient('api'), mailClient('worker'), pg, mailhog], 'api', 'the api fails'));
    expect(mail.some((h) => h.culprit === 'mailhog'), JSON.stringify(mail)).toBe(false);
    const pgOn = service('db', { containers: [{ config: { cmd: ['postgres', '-p', '5432'], entrypoint: null, env: [], healthcheck: undefined } }] });
    const mail2 = top(signals([mailClient('api'), mailClient('worker'), pgOn, mailhog], 'api', 'the api fails'));
    expect(`${mail2[0]?.cause}/${mail2[0]?.culprit}`, JSON.stringify(mail2)).toBe('connection_refused/db');
  });

  it('connection_refused: not for refusals before the database that owns the address said it was ready; its run since is the answer', () => {
    const at = (secondsAgo: number) => new Date(NOW - secondsAgo * 1000).toISOString();
    const refusals = [30, 29, 28, 27].map((s) => ({ stream: 'stdout' as const, timestamp: at(s), text: 'main.go:71: ping database (attempt 3/3): dial tcp 127.0.0.1:26014: connect: connection refused' }));
    const api = () => service('api', { spec: { dependsOn: ['mysql'] }, containers: [{ state: 'exited', exitCode: 1, restartCount: 3, restartPolicy: { name: 'on-failure', maximumRetryCount: 3 } }], logs: refusals });
    const mysql = (readySecondsAgo: number, port = 26014, died = false) =>
      service('mysql', {
        ...(died ? { events: [{ action: 'die' }] } : {}),
        spec: { command: ['mysqld', '--port=26014'] },
        containers: [{ config: { cmd: ['mysqld', '--port=26014'], entrypoint: null, env: [], healthcheck: undefined } }],
        logs: [
          { stream: 'stdout', timestamp: at(40), text: '2026-12-06T02:17:01.000000Z 1 [Note] [MY-012552] [InnoDB] Starting crash recovery.' },
          { stream: 'stdout', timestamp: at(readySecondsAgo), text: `2026-12-06T02:17:20.000000Z 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '8.0.36'  socket: '/var/run/mysqld/mysqld.sock'  port: ${port}  MySQL Community Server - GPL.` },
        ],
      });
    const late = top(signals([api(), mysql(20)], 'api', 'the api is down'));
    expect(late.some((h) => h.cause === 'connection_refused'), JSON.stringify(late)).toBe(false);
    expect(`${late[0]?.cause}/${late[0]?.culprit}`).toBe('crash_loop/api');
    // ready before the refusals: it runs and refuses there (another port, another interface) — still the finding
    const early = top(signals([api(), mysql(35)], 'api', 'the api is down'));
    expect(early.find((h) => h.cause === 'connection_refused')?.summary).toMatch(/of mysql, which runs and does not accept there/);
    // a ready line on another port (MySQL's X Plugin on 33060) says nothing of the port refused
    const other = top(signals([api(), mysql(20, 33060)], 'api', 'the api is down'));
    expect(other.some((h) => h.cause === 'connection_refused'), JSON.stringify(other)).toBe(true);
    // ready, then dead again (a crash loop that starts after every refusal): not ready
    const looping = top(signals([api(), mysql(20, 26014, true)], 'api', 'the api is down'));
    expect(looping.some((h) => h.cause === 'crash_loop' && h.culprit === 'api' && h.confidence >= 0.5 && looping[0] === h), JSON.stringify(looping)).toBe(false);
  });

  it('a start-up race: one run that gave up on refusals before the database was ready, which is ready now, is a service to start (not a crash)', () => {
    const at = (secondsAgo: number) => new Date(NOW - secondsAgo * 1000).toISOString();
    const refusals = (ago: number[]) => ago.map((s) => ({ stream: 'stdout' as const, timestamp: at(s), text: `{"level":"error","msg":"Failed to ping DB","error":"dial tcp 127.0.0.1:26014: connect: connection refused"}` }));
    const chat = (over: Partial<ContainerFacts> = {}, ago = [40, 37, 34]) =>
      service('chat', { containers: [{ state: 'exited', exitCode: 1, restartCount: 0, restartPolicy: { name: 'no', maximumRetryCount: 0 }, startedAt: at(45), finishedAt: at(33), ...over }], logs: refusals(ago) });
    const db = (readySecondsAgo: number, running = true) =>
      service('db', {
        containers: [{ state: running ? 'running' : 'exited', config: { cmd: ['postgres', '-p', '26014'], entrypoint: null, env: [], healthcheck: undefined } }],
        logs: [
          { stream: 'stdout', timestamp: at(50), text: 'running bootstrap script ... ok' },
          { stream: 'stdout', timestamp: at(readySecondsAgo), text: '2026-12-06 09:00:00.031 UTC [1] LOG:  listening on IPv4 address "127.0.0.1", port 26014' },
          { stream: 'stdout', timestamp: at(readySecondsAgo), text: '2026-12-06 09:00:00.031 UTC [1] LOG:  database system is ready to accept connections' },
        ],
      });
    const race = top(signals([chat(), db(20)], 'chat', 'chat is down after the redeploy'));
    expect(`${race[0]?.cause}/${race[0]?.culprit}`, JSON.stringify(race)).toBe('stopped_service/chat');
    expect(race[0]?.summary).toMatch(/gave up on db: db refused it at 127\.0\.0\.1:26014 while not ready/);
    const cited = diagnose(signals([chat(), db(20)], 'chat', 'chat is down after the redeploy')).report;
    expect(cited.evidence.filter((e) => cited.hypotheses[0]?.evidence.includes(e.id)).map((e) => e.text).join('\n')).toMatch(/database system is ready to accept connections/);
    // the same after a restart policy spent its retries within the boot (on-failure:3: four runs, each refused)
    const spent = top(signals([chat({ restartCount: 3, restartPolicy: { name: 'on-failure', maximumRetryCount: 3 } }, [44, 43, 42, 41, 40, 34]), db(20)], 'chat', 'chat is down'));
    expect(`${spent[0]?.cause}/${spent[0]?.culprit}`, JSON.stringify(spent)).toBe('stopped_service/chat');
    expect(spent[0]?.summary).toMatch(/exited \(exit code 1\) after 3 restarts \(restart: on-failure:3\); db has accepted connections since, and nothing starts chat again/);
    // …but not when an earlier run died of something else (a panic), and only the last was refused
    const panicked = service('chat', {
      containers: [{ state: 'exited', exitCode: 1, restartCount: 3, restartPolicy: { name: 'on-failure', maximumRetryCount: 3 }, startedAt: at(45), finishedAt: at(33) }],
      logs: [{ stream: 'stderr' as const, timestamp: at(44), text: 'panic: runtime error: invalid memory address or nil pointer dereference' }, ...refusals([40, 37, 34])],
    });
    const crashed = top(signals([panicked, db(20)], 'chat', 'chat is down'));
    expect(crashed.some((h) => h.cause === 'stopped_service' && h.culprit === 'chat'), JSON.stringify(crashed)).toBe(false);
    // not when: the database was ready before the refusals (it refuses there: another finding), is down, or the
    // service looped (restarts it did not run out of: a policy with no cap, or restarts with none), or the refusals
    // were long before its exit
    for (const [c, d] of [
      [chat(), db(45)],
      [chat({ restartCount: 3 }), db(20)],
      [chat({ restartCount: 2, restartPolicy: { name: 'on-failure', maximumRetryCount: 5 } }), db(20)],
      [chat({ restartCount: 3, restartPolicy: { name: 'on-failure', maximumRetryCount: 0 } }), db(20)],
      [chat({ startedAt: at(200), finishedAt: at(10) }, [190, 185, 180]), db(20)],
    ] as const) {
      const hyps = top(signals([c, d], 'chat', 'chat is down'));
      expect(hyps.some((h) => h.cause === 'stopped_service' && h.culprit === 'chat'), JSON.stringify(hyps)).toBe(false);
    }
    // connected after the refusals, then failed otherwise (a migration): that failure's, not the race's
    const migrated = service('chat', {
      containers: [{ state: 'exited', exitCode: 2, restartCount: 0, restartPolicy: { name: 'no', maximumRetryCount: 0 }, startedAt: at(45), finishedAt: at(24) }],
      logs: [...refusals([40, 37, 34]), { stream: 'stdout' as const, timestamp: at(28), text: '{"level":"info","msg":"connected to database"}' }, { stream: 'stderr' as const, timestamp: at(25), text: 'panic: migration 42 failed: relation "users" already exists' }],
    });
    const failedOtherwise = top(signals([migrated, db(30)], 'chat', 'chat is down'));
    expect(failedOtherwise.some((h) => h.cause === 'stopped_service' && h.culprit === 'chat'), JSON.stringify(failedOtherwise)).toBe(false);
    const down = top(signals([chat(), db(20, false)], 'chat', 'chat is down'));
    expect(down.some((h) => h.cause === 'stopped_service' && h.culprit === 'chat' && /gave up/.test(h.summary)), JSON.stringify(down)).toBe(false);
  });

  it('a dependency that gave up on its broker while the broker restarted is named for what it is (stopped, gave up), above its caller\'s "dependency down"; one stopped by a person stays "dependency down"', () => {
    const at = (secondsAgo: number) => new Date(NOW - secondsAgo * 1000).toISOString();
    const worker = service('worker', {
      spec: { dependsOn: ['redis'] },
      containers: [{ state: 'exited', exitCode: 1, restartCount: 0, restartPolicy: { name: 'no', maximumRetryCount: 0 }, startedAt: at(120), finishedAt: at(30) }],
      logs: [
        { stream: 'stdout', timestamp: at(110), text: '[2026-12-06 09:00:00,000: INFO/MainProcess] Connected to redis://127.0.0.1:26379/0' },
        ...[40, 37, 34].map((s) => ({ stream: 'stdout' as const, timestamp: at(s), text: '[2026-12-06 09:01:00,000: ERROR/MainProcess] consumer: Cannot connect to redis://127.0.0.1:26379/0: Error 111 connecting to 127.0.0.1:26379. Connection refused..' })),
        { stream: 'stdout', timestamp: at(31), text: "[2026-12-06 09:01:10,000: CRITICAL/MainProcess] Unrecoverable error: OperationalError('Error 111 connecting to 127.0.0.1:26379. Connection refused.')" },
      ],
    });
    const redis = service('redis', {
      containers: [{ state: 'running', config: { cmd: ['redis-server', '--port', '26379'], entrypoint: null, env: [], healthcheck: undefined } }],
      logs: [{ stream: 'stdout', timestamp: at(20), text: '1:M 06 Dec 2026 09:01:20.000 * Ready to accept connections tcp' }],
    });
    const flower = service('flower', { spec: { dependsOn: ['worker', 'redis'] }, logs: logLines(repeat(6, () => '[W 261206 09:01:30 inspector:44] Inspect method stats failed')) });
    const gaveUp = top(signals([flower, worker, redis], 'flower', 'flower shows no workers'));
    expect(`${gaveUp[0]?.cause}/${gaveUp[0]?.culprit}`, JSON.stringify(gaveUp)).toBe('stopped_service/worker');
    expect(gaveUp[0]?.summary).toMatch(/worker gave up on redis/);
    expect(gaveUp.some((h) => h.cause === 'dependency_down' && h.culprit === 'worker')).toBe(true);
    // stopped by a person (a stop through the engine): "dependency down", from the caller's side
    const stopped = service('worker', { spec: { dependsOn: ['redis'] }, containers: [{ state: 'exited', exitCode: 143 }], events: [{ action: 'stop' }] });
    const byHand = top(signals([flower, stopped, redis], 'flower', 'flower shows no workers'));
    expect(`${byHand[0]?.cause}/${byHand[0]?.culprit}`, JSON.stringify(byHand)).toBe('dependency_down/worker');
  });

  it("a Redis MISCONF reply quoted by its client is the Redis's trouble: a lead on it, nothing on the client", () => {
    const misconf = logLines(repeat(6, () => `ERROR cart write failed: MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled`));
    const web = service('web', { spec: { dependsOn: ['redis'] }, logs: misconf });
    const redis = service('redis', { containers: [{ image: 'redis:7-alpine' }], logs: logLines(repeat(4, () => "1:M 06 Dec 2026 02:17:20.001 # Can't save in background: fork: Cannot allocate memory")) });
    const hyps = top(signals([web, redis], 'web', 'cart writes fail'));
    expect(hyps.some((h) => h.culprit === 'web' && h.cause === 'disk_full'), JSON.stringify(hyps)).toBe(false);
    // a lead: 0.4, and the complaint's words (writes) add at most 0.06
    expect(hyps.find((h) => h.culprit === 'redis' && h.cause === 'disk_full')?.confidence).toBeGreaterThanOrEqual(0.4);
    expect(hyps.find((h) => h.culprit === 'redis' && h.cause === 'disk_full')?.confidence).toBeLessThan(0.5);
    // with no Redis in the stack to own it, the line stays the client's own
    const alone = top(signals([service('web', { logs: misconf })], 'web', 'cart writes fail'));
    expect(`${alone[0]?.cause}/${alone[0]?.culprit}`).toBe('disk_full/web');
  });

  it('missing_config: a setting blank in the container that the files take whole from a variable with no default', () => {
    const mailer = (env: string, logs: string[]) =>
      service('mailer', {
        spec: { environmentFrom: { SMTP_URL: 'SMTP_URL' } },
        containers: [{ config: { cmd: null, entrypoint: null, env: [env, 'REDIS_URL=redis://127.0.0.1:6379'], healthcheck: undefined } }],
        logs: logLines(logs),
      });
    const noisy = repeat(20, (i) => `{"level":30,"msg":"job completed","job":${i},"transport":"stream"}`);
    const told = top(signals([mailer('SMTP_URL=', ['{"level":40,"msg":"SMTP_URL is empty, using nodemailer streamTransport: messages are rendered but not sent"}', ...noisy])], 'mailer'));
    expect(`${told[0]?.cause}/${told[0]?.culprit}`, JSON.stringify(told)).toBe('missing_config/mailer');
    expect(told[0]?.confidence).toBeGreaterThanOrEqual(0.5);
    // blank, and the service never says a word of it: a lead (a pass-through left blank on purpose says nothing)
    const quiet = top(signals([mailer('SMTP_URL=', noisy)], 'mailer'));
    expect(quiet.filter((h) => h.confidence >= 0.5)).toEqual([]);
    expect(quiet[0]?.cause).toBe('missing_config');
    // an optional feature turned off, a note at info level, or a name that is a level word: leads only
    const api = (env: string, from: Record<string, string>, logs: string[]) =>
      service('api', { spec: { environmentFrom: from }, containers: [{ config: { cmd: null, entrypoint: null, env: [env], healthcheck: undefined } }], logs: logLines(logs) });
    for (const s of [
      api('SENTRY_DSN=', { SENTRY_DSN: 'SENTRY_DSN' }, ['{"level":40,"msg":"SENTRY_DSN not set, error reporting disabled"}', ...noisy]),
      api('SENTRY_DSN=', { SENTRY_DSN: 'SENTRY_DSN' }, ['{"level":30,"msg":"SENTRY_DSN is empty, using the default transport"}', ...noisy]),
      api('DEBUG=', { DEBUG: 'DEBUG' }, ['DEBUG:urllib3: proxy not set, falling back to direct', 'WARNING: DEBUG empty, quiet logging', ...noisy]),
    ]) {
      const h = top(signals([s], 'api'));
      expect(h.filter((x) => x.confidence >= 0.5), JSON.stringify(h)).toEqual([]);
    }
    // set: nothing
    const set = top(signals([mailer('SMTP_URL=smtp://mail:587', ['{"level":40,"msg":"SMTP_URL is empty"}'])], 'mailer'));
    expect(set.some((h) => h.cause === 'missing_config' && h.confidence >= 0.5), JSON.stringify(set)).toBe(false);
  });

  it('missing_config: a blank setting the program names in words (`Secret key missing` of AUTHENTIK_SECRET_KEY), crashing', () => {
    const ak = (env: string) =>
      service('server', {
        spec: { environmentFrom: { AUTHENTIK_SECRET_KEY: 'AUTHENTIK_SECRET_KEY' } },
        containers: [{ state: 'restarting', exitCode: 1, restartCount: 6, config: { cmd: null, entrypoint: null, env: [env], healthcheck: undefined } }],
        logs: logLines(repeat(6, (i) => `{"event": "Secret key missing, check https://goauthentik.io/docs/installation/.", "level": "info", "logger": "authentik.lib.config", "timestamp": 1733480000.${i}}`)),
      });
    const h = top(signals([ak('AUTHENTIK_SECRET_KEY=')], 'server', 'nobody can log in'));
    expect(`${h[0]?.cause}/${h[0]?.culprit}`, JSON.stringify(h)).toBe('missing_config/server');
    expect(h[0]?.confidence).toBeGreaterThanOrEqual(0.5);
    // a program that says the setting must be given, naming its variable (Meilisearch in production mode)
    const meili = service('search', {
      spec: { environmentFrom: { MEILI_MASTER_KEY: 'MEILI_MASTER_KEY' } },
      containers: [{ state: 'restarting', exitCode: 1, restartCount: 7, config: { cmd: null, entrypoint: null, env: ['MEILI_MASTER_KEY=', 'MEILI_ENV=production'], healthcheck: undefined } }],
      logs: logLines(repeat(7, () => 'Error: In production mode, you must provide a master key to secure your instance. It can be specified via the MEILI_MASTER_KEY environment variable or the --master-key launch option.')),
    });
    const m = top(signals([meili], 'search', 'search is broken'));
    expect(`${m[0]?.cause}/${m[0]?.culprit}`, JSON.stringify(m)).toBe('missing_config/search');
    expect(spokenTails('AUTHENTIK_SECRET_KEY')).toEqual(['secret[ _.-]?key', 'authentik[ _.-]?secret[ _.-]?key']);
    expect(spokenTails('smtpHost')).toEqual(['smtp[ _.-]?host']);
    expect(spokenTails('KEY')).toEqual([]);
    // a service that runs well: a common pair said of something else is no word of its blank setting (a lead)
    const api = service('api', { spec: { environmentFrom: { OPENAI_API_KEY: 'OPENAI_API_KEY' } }, containers: [{ config: { cmd: null, entrypoint: null, env: ['OPENAI_API_KEY='], healthcheck: undefined } }], logs: logLines(repeat(5, () => '{"level":"warn","msg":"MaxMind api key missing, geo lookups off"}')) });
    expect(top(signals([api], 'api')).filter((x) => x.confidence >= 0.5)).toEqual([]);
  });

  it('missing_config: a blank setting the program says fails its validation, crashing', () => {
    const app = (env: string, line: string) =>
      service('server', {
        spec: { environmentFrom: { SESSION_SECRET: 'SESSION_SECRET' } },
        containers: [{ state: 'restarting', exitCode: 1, restartCount: 5, config: { cmd: null, entrypoint: null, env: [env], healthcheck: undefined } }],
        logs: logLines(repeat(5, () => line)),
      });
    // class-validator's words (a NestJS app), Joi's, zod's
    for (const line of [
      ' - property SESSION_SECRET has failed the following constraints: isNotEmpty, minLength ',
      'Error: Config validation error: "SESSION_SECRET" is not allowed to be empty',
      'ZodError: [{"code":"too_small","minimum":32,"path":["SESSION_SECRET"],"message":"String must contain at least 32 character(s)"}]',
    ]) {
      const h = top(signals([app('SESSION_SECRET=', line)], 'server', 'the site is down'));
      expect(`${h[0]?.cause}/${h[0]?.culprit}`, `${line}: ${JSON.stringify(h)}`).toBe('missing_config/server');
      expect(h[0]?.confidence).toBeGreaterThanOrEqual(0.5);
    }
    // set (too short, say): not the blank-setting finding
    const set = top(signals([app('SESSION_SECRET=abc', ' - property SESSION_SECRET has failed the following constraints: minLength ')], 'server'));
    expect(set.some((x) => x.cause === 'missing_config' && x.confidence >= 0.5 && /blank/.test(x.summary)), JSON.stringify(set)).toBe(false);
  });

  describe('dns_failure at a resolver of the stack', () => {
    const nginx = (i: number, host: string) => `2026/12/06 22:27:${10 + i} [error] 29#29: *${i} ${host} could not be resolved (2: Server failure), client: 127.0.0.1, server: portal.example.com, request: "GET /billing/ HTTP/1.1", host: "portal.example.com"`;
    const proxy = () => service('proxy', { spec: { dependsOn: ['resolver'] }, logs: logLines(repeat(8, (i) => nginx(i, i % 2 ? 'billing.corp.internal' : 'docs.corp.internal'))) });
    it('names the resolver that says it fails the very names the service could not resolve', () => {
      const resolver = service('resolver', { logs: logLines(repeat(6, (i) => `[1733480000] unbound[1:0] error: SERVFAIL <${i % 2 ? 'billing' : 'docs'}.corp.internal. A IN>: all the configured stub or forward servers failed, at zone corp.internal.`)) });
      const hyps = top(signals([proxy(), resolver], 'proxy', 'billing pages give 502'));
      expect(`${hyps[0]?.cause}/${hyps[0]?.culprit}`, JSON.stringify(hyps)).toBe('dns_failure/resolver');
      expect(hyps[0]?.confidence).toBeGreaterThanOrEqual(0.5);
    });
    it('never a dependency for its own name, nor a backend failing the same outside name', () => {
      const app = service('app', { spec: { dependsOn: ['redis'] }, containers: [{ config: { cmd: null, entrypoint: null, env: ['REDIS_URL=redis://redis:6379'], healthcheck: undefined } }], logs: logLines(repeat(6, () => 'Error: getaddrinfo ENOTFOUND redis')) });
      const redis = service('redis', { logs: logLines(['1:C 06 Dec 2026 10:00:00.000 # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf']) });
      expect(first(signals([app, redis], 'app'))).toBe('dns_failure/app');
      const worker = service('worker', { spec: { dependsOn: ['api'] }, logs: logLines(repeat(6, () => 'Error: getaddrinfo ENOTFOUND hooks.example.com')) });
      const api = service('api', { logs: logLines(repeat(6, () => '{"level":"warn","msg":"webhook failed","err":"getaddrinfo ENOTFOUND hooks.example.com"}')) });
      // (api's own failed lookup is its own lead; it is not read as the worker's resolver)
      expect(top(signals([worker, api], 'worker')).some((h) => h.culprit === 'api' && /fails the lookups/.test(h.summary))).toBe(false);
    });
    it('not a resolver whose lines name a longer name that starts with the one asked for', () => {
      const gw = service('gw', { spec: { dependsOn: ['resolver'] }, logs: logLines(repeat(6, () => 'Error: getaddrinfo ENOTFOUND api')) });
      const resolver = service('resolver', { logs: logLines(repeat(6, () => '[1733480000] unbound[1:0] error: SERVFAIL <api.partner.com. A IN>: all the configured stub or forward servers failed')) });
      expect(top(signals([gw, resolver], 'gw')).some((h) => h.culprit === 'resolver')).toBe(false);
    });
    it('not a resolver that only logs the queries (info), nor one that names other hosts', () => {
      const queries = service('resolver', { logs: logLines(repeat(6, () => '[1733480000] unbound[1:0] info: 127.0.0.1 billing.corp.internal. A IN')) });
      expect(top(signals([proxy(), queries], 'proxy', 'billing pages give 502')).some((h) => h.culprit === 'resolver')).toBe(false);
      const other = service('resolver', { logs: logLines(repeat(6, () => '[1733480000] unbound[1:0] error: SERVFAIL <mail.corp.internal. A IN>: all the configured stub or forward servers failed')) });
      expect(top(signals([proxy(), other], 'proxy', 'billing pages give 502')).some((h) => h.culprit === 'resolver')).toBe(false);
    });
  });

  it('dns_failure: a host name that does not resolve', () => {
    const w = service('webhooks', { logs: logLines(repeat(5, () => 'Error: getaddrinfo ENOTFOUND hooks.internal')) });
    expect(first(signals([w], 'webhooks'))).toBe('dns_failure/webhooks');
    // once, in a service that runs on (a background sync that could not reach an outside host): a lead only
    const wiki = service('wiki', { logs: logLines(['2026-12-06T10:00:01Z [JOB] info: Syncing locales...', '2026-12-06T10:00:03Z [JOB] error: request to https://graph.example.io/ failed, reason: getaddrinfo EAI_AGAIN graph.example.io', ...repeat(20, () => '2026-12-06T10:00:05Z [MASTER] info: GET /healthz 200')]) });
    const h = top(signals([wiki], 'wiki'));
    expect(h[0]?.cause).toBe('dns_failure');
    expect(h[0]?.confidence).toBeLessThan(0.5);
    // a name its settings give it that does not exist (ENOTFOUND), even once: a claim
    const typo = service('wiki', { containers: [{ config: { cmd: null, entrypoint: null, env: ['HOOKS_URL=https://hooks.internl/in'], healthcheck: undefined } }], logs: logLines(['2026-12-06T10:00:03Z error: getaddrinfo ENOTFOUND hooks.internl', ...repeat(20, () => '2026-12-06T10:00:05Z info: GET /healthz 200')]) });
    expect(top(signals([typo], 'wiki'))[0]?.confidence).toBeGreaterThanOrEqual(0.5);
    // or in its command (a flag's value, not a script's text)
    const flagged = service('wiki', { containers: [{ config: { cmd: ['wiki', '--hooks=hooks.internl:443'], entrypoint: null, env: [], healthcheck: undefined } }], logs: logLines(['2026-12-06T10:00:03Z error: getaddrinfo ENOTFOUND hooks.internl']) });
    expect(top(signals([flagged], 'wiki'))[0]?.confidence).toBeGreaterThanOrEqual(0.5);
    // a line that names no host (`getaddrinfo` is none) says nothing of what it needs: written as a warning by a
    // service that ran on since (a federation worker whose peers are gone), a lead; as an error, or by a service that
    // keeps dying, a claim
    const work = ['2026-01-01T11:51:03.120Z pid=7 tid=2x6 INFO: start', '2026-01-01T11:51:03.220Z pid=7 tid=2x6 INFO: done', '2026-01-01T11:52:03.120Z pid=7 tid=2x7 INFO: start', '2026-01-01T11:52:03.420Z pid=7 tid=2x7 INFO: done'];
    const nameless = (level: string, after = work) => logLines([...repeat(4, () => `2026-01-01T11:50:03.120Z pid=7 tid=2x5 ${level}: HTTP::ConnectionError: failed to connect: getaddrinfo: Name or service not known`), ...after]);
    const fed = top(signals([service('sidekiq', { logs: nameless('WARN') })], 'sidekiq')).find((x) => x.cause === 'dns_failure');
    expect(fed?.confidence).toBeLessThan(0.5);
    expect(fed?.summary).not.toContain('getaddrinfo');
    expect(top(signals([service('sidekiq', { logs: nameless('ERROR') })], 'sidekiq')).find((x) => x.cause === 'dns_failure')?.confidence).toBeGreaterThanOrEqual(0.5);
    // warnings and nothing else after them (an app retrying the one name it needs): a claim
    expect(top(signals([service('sidekiq', { logs: nameless('WARN', []) })], 'sidekiq')).find((x) => x.cause === 'dns_failure')?.confidence).toBeGreaterThanOrEqual(0.5);
    expect(top(signals([service('sidekiq', { containers: [{ state: 'restarting', exitCode: 1, restartCount: 3 }], logs: nameless('WARN') })], 'sidekiq')).find((x) => x.cause === 'dns_failure')?.confidence).toBeGreaterThanOrEqual(0.5);
    // the name its settings give it, read from php's and ruby's words: a claim
    for (const text of ['PHP Warning:  mysqli::real_connect(): php_network_getaddresses: getaddrinfo for mysql.example.com failed: Name or service not known', 'E, [2026-12-06T10:00:03] ERROR -- : Failed to open TCP connection to mysql.example.com:443 (getaddrinfo: Name or service not known)']) {
      const wp = service('wordpress', { containers: [{ config: { cmd: null, entrypoint: null, env: ['WORDPRESS_DB_HOST=mysql.example.com'], healthcheck: undefined } }], logs: logLines(repeat(4, () => text)) });
      const h = top(signals([wp], 'wordpress')).find((x) => x.cause === 'dns_failure');
      expect(h?.confidence, text).toBeGreaterThanOrEqual(0.5);
      expect(h?.summary).toContain('mysql.example.com');
    }
    // the same failing again, a name its settings give it: a claim
    const lines = logLines(repeat(2, () => '2026-12-06T10:00:03Z [JOB] error: request to https://graph.example.io/ failed, reason: getaddrinfo EAI_AGAIN graph.example.io'));
    const told = { containers: [{ config: { cmd: null, entrypoint: null, env: ['GRAPH_URL=https://graph.example.io/v1'], healthcheck: undefined } }] };
    expect(top(signals([service('wiki', { ...told, logs: lines })], 'wiki'))[0]?.confidence).toBeGreaterThanOrEqual(0.5);
    // again and again, names none of its settings gives it (its own update checks) in a service that runs well: a lead
    const checks = logLines(['logger=grafana.update.checker level=error msg="Update check failed" error="Get \\"https://raw.githubusercontent.com/grafana/grafana/main/latest.json\\": dial tcp: lookup raw.githubusercontent.com on 127.0.0.53:53: server misbehaving"', 'logger=plugins.update.checker level=error msg="Update check failed" error="Get \\"https://grafana.com/api/plugins/versioncheck\\": dial tcp: lookup grafana.com on 127.0.0.53:53: server misbehaving"', ...repeat(3, () => 'logger=plugin.angulardetectorsprovider level=warn msg="Error while fetching patterns" error="dial tcp: lookup grafana.com on 127.0.0.53:53: server misbehaving"')]);
    const grafana = top(signals([service('grafana', { logs: checks })], 'grafana'));
    expect(grafana.find((x) => x.cause === 'dns_failure')?.confidence, JSON.stringify(grafana)).toBeLessThan(0.5);
    expect(top(signals([service('wiki', { logs: lines })], 'wiki'))[0]?.confidence).toBeLessThan(0.5);
    // the service down meanwhile (not running well), or a name that does not exist: a claim still
    expect(top(signals([service('grafana', { containers: [{ state: 'restarting', exitCode: 1, restartCount: 3 }], logs: checks })], 'grafana')).find((x) => x.cause === 'dns_failure')?.confidence).toBeGreaterThanOrEqual(0.5);
  });

  it('disk_full: ENOSPC', () => {
    const u = service('uploader', { containers: [{ state: 'restarting', exitCode: 1, restartCount: 4 }], logs: logLines(['dd: error writing \'/data/x.bin\': No space left on device', 'fatal: cannot write cache segment']) });
    expect(first(signals([u], 'uploader', 'uploader keeps failing'))).toBe('disk_full/uploader');
  });

  it('disk_full leads over the failing healthcheck it causes on the same service', () => {
    const firefly = service('firefly', {
      containers: [{ health: { status: 'unhealthy', failingStreak: 12, log: [{ start: '', end: '', exitCode: 1, output: 'HTTP/1.1 500 Internal Server Error' }] }, config: { cmd: null, entrypoint: null, env: [], healthcheck: { test: ['CMD-SHELL', 'nc 127.0.0.1 8080'], intervalNs: undefined, timeoutNs: undefined, startPeriodNs: undefined, retries: undefined } } }],
      logs: logLines(repeat(8, () => '[2026-12-06 10:00:01] production.ERROR: file_put_contents(): Only 0 of 5126 bytes written, possibly out of free disk space {"exception":"[object] (ErrorException(code: 0): file_put_contents(): Only 0 of 5126 bytes written')),
    });
    const hyps = top(signals([firefly], 'firefly', 'firefly is unhealthy and I get a 500 error when I open the login page'));
    expect(`${hyps[0]?.cause}/${hyps[0]?.culprit}`, JSON.stringify(hyps)).toBe('disk_full/firefly');
  });

  it('port_conflict: cannot bind', () => {
    const p = service('proxy', { containers: [{ state: 'exited', exitCode: 1, restartCount: 3 }], logs: logLines(['Error: listen EADDRINUSE: address already in use 127.0.0.1:18090']) });
    expect(first(signals([p], 'proxy', 'proxy does not come up'))).toBe('port_conflict/proxy');
  });

  it('port_conflict names a running container outside the project that holds the port (published, or host network naming it)', () => {
    const p = service('proxy', { containers: [{ state: 'restarting', exitCode: 1, restartCount: 3 }], logs: logLines(['Error: listen EADDRINUSE: address already in use 127.0.0.1:18090']) });
    const stray = { ...service('proxy-old', { containers: [{ networkMode: 'host', config: { cmd: ['serve', '--listen', '127.0.0.1:18090'], entrypoint: null, env: [], healthcheck: undefined } }] }), kind: 'container' as const, project: undefined };
    const elsewhere = { ...service('web', { containers: [{ portBindings: [{ hostIp: '127.0.0.1', published: '18090', target: 80, protocol: 'tcp' }] }] }), project: 'legacy' };
    const unrelated = { ...service('cache', { containers: [{ networkMode: 'host', config: { cmd: ['redis-server', '--port', '180901'], entrypoint: null, env: [], healthcheck: undefined } }] }), kind: 'container' as const, project: undefined };
    for (const other of [stray, elsewhere]) {
      const r = diagnose(signals([p, other, unrelated], 'proxy', 'proxy does not come up')).report;
      expect(`${r.hypotheses[0]?.cause}/${r.hypotheses[0]?.culprit}`).toBe('port_conflict/proxy');
      const holder = other.containers[0]?.name ?? '';
      expect(r.evidence.some((e) => e.kind === 'dependency' && (e.text.startsWith(holder) || e.text.startsWith(other.name)) && /listens on port 18090|likely holds the port/.test(e.text)), JSON.stringify(r.evidence)).toBe(true);
      expect(r.evidence.some((e) => e.text.includes('cache'))).toBe(false);
    }
  });

  it('healthcheck_failing: unhealthy with its probe output', () => {
    const w = service('portal', {
      containers: [{ health: { status: 'unhealthy', failingStreak: 5, log: [{ start: '', end: '', exitCode: 1, output: 'HTTP/1.0 404 Not Found' }] }, config: { cmd: null, entrypoint: null, env: [], healthcheck: { test: ['CMD-SHELL', 'nc 127.0.0.1 8080'], intervalNs: undefined, timeoutNs: undefined, startPeriodNs: undefined, retries: undefined } } }],
    });
    const r = diagnose(signals([w], 'portal', 'portal shows as unhealthy')).report;
    expect(`${r.hypotheses[0]?.cause}/${r.hypotheses[0]?.culprit}`).toBe('healthcheck_failing/portal');
    expect(r.evidence.some((e) => e.text.includes('404 Not Found'))).toBe(true);
  });

  it('healthcheck_failing: a password on the probe command line is masked in the summary people read', () => {
    const w = service('cache', {
      containers: [{ health: { status: 'unhealthy', failingStreak: 5, log: [{ start: '', end: '', exitCode: 1, output: 'NOAUTH' }] }, config: { cmd: null, entrypoint: null, env: [], healthcheck: { test: ['CMD', 'redis-cli', '-a', 'Sup3rS3cretPw', 'ping'], intervalNs: undefined, timeoutNs: undefined, startPeriodNs: undefined, retries: undefined } } }],
    });
    const r = diagnose(signals([w], 'cache', 'cache is unhealthy')).report;
    expect(r.hypotheses[0]?.cause).toBe('healthcheck_failing');
    expect(JSON.stringify(r)).not.toContain('Sup3rS3cretPw');
  });

  it('a fault the software wrote only as informational is a lead, not a claim; said louder it stands', () => {
    const entry = '10-listen-on-ipv6-by-default.sh: info: can not modify /etc/nginx/conf.d/default.conf (read-only file system?)';
    // a lead, there but below the claim threshold
    const lead = (hyps: ReturnType<typeof top>, cause: string) => hyps.some((h) => h.cause === cause && h.confidence > 0 && h.confidence <= 0.4) && hyps.every((h) => h.confidence < 0.5);
    const quiet = top(signals([service('edge', { logs: logLines([entry]) })], 'edge'));
    expect(lead(quiet, 'permission_denied'), JSON.stringify(quiet)).toBe(true);
    for (const [line, cause] of [
      ['{"level":30,"msg":"EACCES: permission denied, open \'/data/x\'"}', 'permission_denied'],
      ['level=debug msg="open /data/x: permission denied"', 'permission_denied'],
      ['2026-12-05 10:00:00 INFO config file not found, using defaults', 'missing_config'],
    ] as const) {
      const hyps = top(signals([service('api', { logs: logLines([line]) })], 'api'));
      expect(lead(hyps, cause), `${line}: ${JSON.stringify(hyps)}`).toBe(true);
    }
    // a level word deep in the message is the message's: this error line is not informational
    const deep = top(signals([service('api', { containers: [{ state: 'exited', exitCode: 1 }], logs: logLines([`open /data/uploads/x.bin: permission denied while writing the nightly export for tenant 42 of the reporting subsystem, retry budget exhausted after 3 attempts (set LOG_LEVEL to DEBUG)`]) })], 'api'));
    expect(deep[0]?.cause, JSON.stringify(deep)).toBe('permission_denied');
    expect(deep[0]?.confidence).toBeGreaterThanOrEqual(0.5);
    const loud = service('edge', { containers: [{ state: 'restarting', exitCode: 1, restartCount: 3 }], logs: logLines([entry, 'nginx: [emerg] open() "/var/log/nginx/error.log" failed (13: Permission denied)']) });
    expect(first(signals([loud], 'edge'))).toBe('permission_denied/edge');
  });

  it('missing_config: a config path that is a directory where a host path is bind-mounted (a missing bind source)', () => {
    const bound = { type: 'bind', source: '/srv/site/nginx/edge.conf', name: undefined, target: '/etc/nginx/nginx.conf', readOnly: true };
    const edge = (mounts: ContainerFacts['mounts']) =>
      service('edge', { containers: [{ state: 'restarting', exitCode: 1, restartCount: 7, mounts }], logs: logLines(repeat(7, () => 'nginx: [emerg] pread() "/etc/nginx/nginx.conf" failed (21: Is a directory)')) });
    const hyps = top(signals([edge([bound])], 'edge'));
    expect(`${hyps[0]?.cause}/${hyps[0]?.culprit}`).toBe('missing_config/edge');
    const plain = top(signals([edge([])], 'edge'));
    expect(plain[0]?.cause).toBe('missing_config');
    expect(hyps[0]?.confidence).toBeGreaterThan(plain[0]?.confidence ?? 1);
  });

  it("memory_pressure: RabbitMQ's memory alarm blocks publishers until it clears; one cleared since is history", () => {
    const set = "2026-12-06 10:00:01.000000+00:00 [warning] <0.451.0> memory resource limit alarm set on node 'rabbit@mq1'.";
    const blocked = '2026-12-06 10:00:01.000000+00:00 [warning] <0.451.0> *** Publishers will be blocked until this alarm clears ***';
    const cleared = "2026-12-06 10:00:05.000000+00:00 [warning] <0.451.0> memory resource limit alarm cleared on node 'rabbit@mq1'.";
    const api = service('api', { spec: { dependsOn: ['rabbitmq'] }, logs: logLines(repeat(6, () => '{"level":50,"msg":"request errored","err":{"message":"publish timed out after 30000ms: channel is blocked"}}')) });
    const mq = (lines: string[]) => service('rabbitmq', { containers: [{ image: 'rabbitmq:3.13' }], logs: logLines(lines) });
    const hyps = top(signals([api, mq([set, blocked])], 'api', 'orders fail'));
    expect(`${hyps[0]?.cause}/${hyps[0]?.culprit}`, JSON.stringify(hyps)).toBe('memory_pressure/rabbitmq');
    const after = top(signals([api, mq([set, blocked, cleared])], 'api', 'orders fail'));
    expect(after.some((h) => h.cause === 'memory_pressure' && h.culprit === 'rabbitmq'), JSON.stringify(after)).toBe(false);
    // set again after it cleared: now again
    const again = top(signals([api, mq([set, cleared, set])], 'api', 'orders fail'));
    expect(again.some((h) => h.cause === 'memory_pressure' && h.culprit === 'rabbitmq')).toBe(true);
    // two nodes: one cleared its alarm, the other's is still set
    const two = service('rabbitmq', { containers: [{ name: 'mq-1', image: 'rabbitmq:3.13' }, { name: 'mq-2', image: 'rabbitmq:3.13' }] });
    two.logs = { 'mq-1': logLines([set, blocked]), 'mq-2': logLines([set, cleared]) };
    const one = top(signals([api, two], 'api', 'orders fail'));
    expect(one.some((h) => h.cause === 'memory_pressure' && h.culprit === 'rabbitmq'), JSON.stringify(one)).toBe(true);
  });

  it('missing_config: a path of any name that is a directory counts only where the engine bind-mounts a host path at it', () => {
    const bound = { type: 'bind', source: '/srv/site/Caddyfile', name: undefined, target: '/etc/caddy/Caddyfile', readOnly: false };
    const caddy = (mounts: ContainerFacts['mounts']) =>
      service('caddy', { containers: [{ state: 'restarting', exitCode: 1, restartCount: 7, mounts }], logs: logLines(repeat(7, () => 'Error: reading config from file: read /etc/caddy/Caddyfile: is a directory')) });
    const hyps = top(signals([caddy([bound])], 'caddy'));
    expect(`${hyps[0]?.cause}/${hyps[0]?.culprit}`, JSON.stringify(hyps)).toBe('missing_config/caddy');
    expect(hyps[0]?.confidence).toBeGreaterThanOrEqual(0.8);
    // not mounted there: the words alone do not say it is configuration (a program reading a directory it was given)
    expect(top(signals([caddy([])], 'caddy')).some((h) => h.cause === 'missing_config')).toBe(false);
    // said by a container that runs well (a script's grep on a mounted directory): a lead only
    const dir = { type: 'bind', source: '/srv/site/conf.d', name: undefined, target: '/etc/nginx/conf.d', readOnly: true };
    const fine = service('edge', { containers: [{ mounts: [dir] }], logs: logLines(['grep: /etc/nginx/conf.d: Is a directory']) });
    const stray = top(signals([fine], 'edge')).find((h) => h.cause === 'missing_config');
    expect(stray?.confidence ?? 0).toBeLessThanOrEqual(0.4);
  });

  it('permission_denied only warned about (a fallback) is a lead, and leaves a failing healthcheck first', () => {
    const warn = '2026-12-06 16:37:23 0 [Warning] mariadbd: io_uring_queue_init() failed with EPERM: sysctl kernel.io_uring_disabled has the value 2 (see man 2 io_uring_setup).';
    const maria = service('mariadb', {
      containers: [{ health: { status: 'unhealthy', failingStreak: 12, log: [{ start: '', end: '', exitCode: 127, output: 'sh: mysqladmin: not found' }] }, config: { cmd: null, entrypoint: null, env: [], healthcheck: { test: ['CMD-SHELL', 'mysqladmin ping --silent'], intervalNs: undefined, timeoutNs: undefined, startPeriodNs: undefined, retries: undefined } } }],
      logs: logLines([warn, '2026-12-06 16:37:24 0 [Note] mariadbd: ready for connections.']),
    });
    const hyps = top(signals([maria], 'mariadb', 'mariadb is unhealthy'));
    expect(`${hyps[0]?.cause}/${hyps[0]?.culprit}`, JSON.stringify(hyps)).toBe('healthcheck_failing/mariadb');
    expect(hyps.find((h) => h.cause === 'permission_denied')?.confidence ?? 0).toBeLessThan(0.5);
  });

  it('permission_denied warned about, then the container died on it: the fault, not a lead', () => {
    const warn = '[start] 2026/12/07 05:59:20 WARNING: Failure on home directory: mkdir /var/syncthing/config: permission denied';
    const sync = (state: 'running' | 'restarting', exitCode: number, after: string[] = []) =>
      service('syncthing', { containers: [{ state, exitCode, restartCount: 7 }], logs: logLines([...Array.from({ length: 7 }, () => warn), ...after]) });
    const died = top(signals([sync('restarting', 1)], 'syncthing', 'sync is down'));
    expect(`${died[0]?.cause}/${died[0]?.culprit}`, JSON.stringify(died)).toBe('permission_denied/syncthing');
    // stopped by a person (exit 143): not a death of its own
    const stopped = top(signals([sync('restarting', 1)].map((x) => ({ ...x, containers: x.containers.map((c) => ({ ...c, state: 'exited' as const, exitCode: 143 })) })), 'syncthing', 'sync is down'));
    expect(stopped.find((h) => h.cause === 'permission_denied')?.confidence ?? 0).toBeLessThan(0.5);
    // it carried on past it (it runs, and said more): a lead
    const on = top(signals([sync('running', 0, ['[ABCDE] 2026/12/07 05:59:21 INFO: GUI and API listening on 127.0.0.1:29451', '[ABCDE] 2026/12/07 05:59:22 INFO: Ready to synchronize'])], 'syncthing', 'sync is down'));
    expect(on.find((h) => h.cause === 'permission_denied')?.confidence ?? 0).toBeLessThan(0.5);
  });

  it('permission_denied: EACCES on a path', () => {
    const e = service('exporter', { containers: [{ state: 'exited', exitCode: 1, restartCount: 2 }], logs: logLines(["Error: EACCES: permission denied, open '/var/lib/export/out.csv'"]) });
    expect(first(signals([e], 'exporter'))).toBe('permission_denied/exporter');
  });

  it('too_many_open_files: EMFILE', () => {
    const c = service('crawler', { logs: logLines(repeat(5, () => "Error: EMFILE: too many open files, open '/tmp/page-1.html'")) });
    expect(first(signals([c], 'crawler'))).toBe('too_many_open_files/crawler');
  });

  it('log_error_spike: a new error template at a high rate, not a steady trickle', () => {
    const info = repeat(60, (i) => `INFO tracker: flushed batch ${i}`);
    const errors = repeat(120, (i) => `ERROR [pool-3] com.acme.Tracker - failed to flush batch ${i}: upstream rejected`);
    const t = service('tracker', { logs: logLines([...info, ...errors], 500) });
    expect(first(signals([t], 'tracker'))).toBe('log_error_spike/tracker');
    // the same template at a trickle first, then at 20/s: a spike of a known error
    const trickle = [...repeat(16, (i) => (i % 5 === 4 ? 'ERROR [pool-3] com.acme.Tracker - failed to flush batch 7: upstream rejected' : `INFO flushed ${i}`))];
    const burst = repeat(200, (i) => `ERROR [pool-3] com.acme.Tracker - failed to flush batch ${i}: upstream rejected`);
    const known = service('tracker', { logs: [...logLines(trickle, 500).map((l) => ({ ...l, timestamp: new Date(Date.parse(l.timestamp ?? '') - 10_000).toISOString() })), ...logLines(burst, 50)] });
    expect(first(signals([known], 'tracker'))).toBe('log_error_spike/tracker');
    const steady = service('tracker', { logs: logLines(repeat(100, (i) => (i % 20 === 0 ? 'ERROR cache miss storm' : `INFO ok ${i}`)), 1000) });
    expect(top(signals([steady], 'tracker')).some((h) => h.cause === 'log_error_spike')).toBe(false);
  });

  it('replica_drift, image_drift, config_drift from drift differences', () => {
    const api = service('api', { containers: [{}, {}], drift: [{ project: 'shop', service: 'api', field: 'replicas', expected: { replicas: 3 }, actual: { replicas: 2 } }] });
    expect(first(signals([api], 'api', 'less capacity than usual'))).toBe('replica_drift/api');
    const img = service('api', { drift: [{ project: 'shop', service: 'api', field: 'image', container: 'shop-api-1', expected: { image: 'api:1.4' }, actual: { image: 'api:1.5-rc' } }] });
    expect(first(signals([img], 'api'))).toBe('image_drift/api');
    const cfg = service('api', { drift: [{ project: 'shop', service: 'api', field: 'environment', container: 'shop-api-1', expected: { environment: { LOG_LEVEL: 'info' } }, actual: { environment: { LOG_LEVEL: 'debug' } } }] });
    expect(first(signals([cfg], 'api'))).toBe('config_drift/api');
  });

  it('a CPU limit lowered by hand below the committed one, the container throttled by it: the drift leads the saturation', () => {
    const cpus = { project: 'shop', service: 'reporter', field: 'cpus', container: 'shop-reporter-1', expected: { cpus: 1 }, actual: { cpus: 0.2 } };
    const drift = [cpus];
    const lowered = service('reporter', { containers: [{ limits: { memoryBytes: undefined, memoryReservationBytes: undefined, nanoCpus: 2e8 } }], stats: [{ percent: 19.8, periods: 150, throttledPeriods: 148 }], drift });
    expect(first(signals([lowered], 'reporter', 'reports got slow')), JSON.stringify(top(signals([lowered], 'reporter', 'reports got slow')).map((h) => [h.cause, h.confidence]))).toBe('config_drift/reporter');
    // (raised by hand, or not throttled: the saturation, if any, is its own)
    const raised = service('reporter', { containers: [{ limits: { memoryBytes: undefined, memoryReservationBytes: undefined, nanoCpus: 2e8 } }], stats: [{ percent: 19.8, periods: 150, throttledPeriods: 148 }], drift: [{ ...cpus, expected: { cpus: 0.1 }, actual: { cpus: 0.2 } }] });
    expect(first(signals([raised], 'reporter', 'reports got slow'))).toBe('cpu_saturation/reporter');
  });

  it('a target that shows only errors, calling a service whose settings drifted from the files: the drift leads', () => {
    const typesense = service('typesense', { drift: [{ project: 'shop', service: 'typesense', field: 'environment', container: 'shop-typesense-1', expected: { environment: { TYPESENSE_API_KEY: '<set>' } }, actual: { environment: { TYPESENSE_API_KEY: '<other>' } } }] });
    const recipes = service('recipes', {
      containers: [{ config: { cmd: null, entrypoint: null, env: ['TYPESENSE_URL=http://typesense:8108'], healthcheck: undefined } }],
      logs: logLines([...repeat(30, (i) => `{"time":"2026-12-06T10:00:${String(i).padStart(2, '0')}Z","level":"INFO","msg":"GET /recipes 200"}`), ...repeat(40, () => '{"time":"2026-12-06T10:01:00Z","level":"ERROR","msg":"search failed","err":"typesense: status code 401: Forbidden"}')]),
    });
    const hyps = top(signals([recipes, typesense], 'recipes', 'recipe search returns errors for every query'));
    expect(`${hyps[0]?.cause}/${hyps[0]?.culprit}`, JSON.stringify(hyps)).toBe('config_drift/typesense');
  });

  it('untracked_container: a container the compose files do not declare', () => {
    const x = service('adhoc-redis', { untracked: true, spec: false });
    expect(first(signals([x], 'adhoc-redis'))).toBe('untracked_container/adhoc-redis');
  });

  it('untracked_container: one that writes the same volume as a declared service is told so, and outranks what that service logs', () => {
    const vol = (readOnly = false, name = 'kuma-data') => [{ type: 'volume', source: `/var/lib/docker/volumes/${name}/_data`, name, target: '/app/data', readOnly }];
    const kuma = service('kuma', { containers: [{ mounts: vol() }], logs: logLines(repeat(12, (i) => (i % 2 ? 'Error: SQLITE_BUSY: database is locked' : '2026-01-01T12:00:00Z [MONITOR] ERROR: Please report to https://github.com/louislam/uptime-kuma/issues'))) });
    const old = (mounts: ContainerFacts['mounts']) => service('uptime-kuma', { untracked: true, spec: false, containers: [{ mounts }] });
    const both = top(signals([kuma, old(vol())], 'uptime-kuma'));
    expect(both[0]).toMatchObject({ cause: 'untracked_container', culprit: 'uptime-kuma', confidence: 0.8 });
    expect(both[0]?.summary).toMatch(/writes the same data as kuma/);
    // read-only (a backup), another volume, or the engine's socket: no shared data, drift as before
    for (const mounts of [vol(true), vol(false, 'other'), [{ type: 'bind', source: '/var/run/docker.sock', name: undefined, target: '/var/run/docker.sock', readOnly: false }]]) {
      const k = service('kuma', { containers: [{ mounts: [...vol(), { type: 'bind', source: '/var/run/docker.sock', name: undefined, target: '/var/run/docker.sock', readOnly: false }] }] });
      expect(top(signals([k, old(mounts)], 'uptime-kuma'))[0]).toMatchObject({ cause: 'untracked_container', confidence: 0.7 });
    }
  });

  it('a service compose never created because what it waits to be healthy is not: the dependency is the answer', () => {
    const probe = { cmd: null, entrypoint: null, env: [], healthcheck: { test: ['CMD', 'curl', '-f', 'http://127.0.0.1:9000/minio/health/live'], intervalNs: undefined, timeoutNs: undefined, startPeriodNs: undefined, retries: undefined } };
    const store = (status: 'unhealthy' | 'healthy') => service('minio', { containers: [{ health: { status, failingStreak: status === 'healthy' ? 0 : 6, log: [{ start: '', end: '', exitCode: status === 'healthy' ? 0 : 127, output: 'exec: "curl": executable file not found' }] }, config: probe }] });
    const wiki = service('wiki', { containers: [], spec: { dependsOn: ['minio', 'cache'], healthyDependencies: ['minio'] } });
    const hyps = top(signals([wiki, store('unhealthy'), service('cache')], 'wiki', 'the wiki is down'));
    expect(`${hyps[0]?.cause}/${hyps[0]?.culprit}`, JSON.stringify(hyps)).toBe('healthcheck_failing/minio');
    expect(hyps.find((h) => h.culprit === 'wiki')?.confidence ?? 0).toBeLessThan(0.5);
    // with that dependency healthy, no container is the service's own (stopped, or never brought up)
    expect(first(signals([wiki, store('healthy'), service('cache')], 'wiki', 'the wiki is down'))).toBe('stopped_service/wiki');
  });

  it('Compose v2: a container created and never started (it waits for an unhealthy dependency) is the same as none', () => {
    const probe = { cmd: null, entrypoint: null, env: [], healthcheck: { test: ['CMD', 'pg_isready'], intervalNs: undefined, timeoutNs: undefined, startPeriodNs: undefined, retries: undefined } };
    const db = (status: 'unhealthy' | 'healthy') => service('db', { containers: [{ health: { status, failingStreak: status === 'healthy' ? 0 : 5, log: [{ start: '', end: '', exitCode: status === 'healthy' ? 0 : 1, output: '127.0.0.1:5432 - no response' }] }, config: probe }] });
    const created = { state: 'created' as const, startedAt: undefined, finishedAt: undefined, exitCode: 0, pid: 0 };
    const api = (extra: Partial<ContainerFacts> = {}) => service('api', { containers: [{ ...created, ...extra }], spec: { dependsOn: ['db'], healthyDependencies: ['db'] } });
    const waiting = top(signals([api(), db('unhealthy')], 'api', 'the api is down'));
    expect(`${waiting[0]?.cause}/${waiting[0]?.culprit}`, JSON.stringify(waiting)).toBe('healthcheck_failing/db');
    expect(waiting.find((h) => h.culprit === 'api' && h.cause === 'stopped_service')?.summary).toMatch(/never started: it waits for db/);
    // the dependency healthy: the container nobody started is the service's own
    const own = top(signals([api(), db('healthy')], 'api', 'the api is down'));
    expect(own[0]).toMatchObject({ cause: 'stopped_service', culprit: 'api' });
    expect(own[0]?.confidence).toBeGreaterThanOrEqual(0.8);
    expect(own[0]?.summary).toMatch(/created but never started/);
    // a start that failed (a port taken, a mount refused) leaves an error: not this finding
    const refused = top(signals([api({ error: 'driver failed programming external connectivity: port is already allocated', exitCode: 128 }), db('healthy')], 'api', 'the api is down'));
    expect(refused.some((h) => h.cause === 'stopped_service' && h.confidence >= 0.5), JSON.stringify(refused)).toBe(false);
    // compose's own up caught half-way (created seconds ago), or a migration it waits to finish still running: no finding
    const fresh = top(signals([api({ createdAt: new Date(NOW - 5_000).toISOString() }), db('healthy')], 'api', 'the api is down'));
    expect(fresh.some((h) => h.cause === 'stopped_service' && h.culprit === 'api'), JSON.stringify(fresh)).toBe(false);
    const migrate = (state: 'running' | 'exited') => service('migrate', { containers: [{ state, exitCode: 0 }], spec: { completionAwaitedBy: ['api'] } });
    const migrating = top(signals([api(), db('healthy'), migrate('running')], 'api', 'the api is down'));
    expect(migrating.some((h) => h.cause === 'stopped_service' && h.culprit === 'api'), JSON.stringify(migrating)).toBe(false);
    expect(first(signals([api(), db('healthy'), migrate('exited')], 'api', 'the api is down'))).toBe('stopped_service/api');
  });

  it('stopped_service: stopped by hand and not started again', () => {
    const cron = service('cron', { containers: [{ state: 'exited', exitCode: 137 }], events: [{ action: 'kill', attributes: { signal: '15' } }, { action: 'stop' }] });
    expect(first(signals([cron], 'cron', 'cron is down'))).toBe('stopped_service/cron');
  });

  it("a Redis reply quoted by its client (-OOM … 'maxmemory') blames the Redis whose command sets that ceiling, not the client", () => {
    const oom = logLines(repeat(6, () => `{"event": "OOM command not allowed when used memory > 'maxmemory'.", "level": "error", "logger": "authentik.flows.views.executor"}`));
    const app = (deps: string[]) => service('server', { spec: { dependsOn: deps }, logs: oom });
    const capped = { config: { cmd: ['valkey-server', '--maxmemory', '16mb'], entrypoint: null, env: [], healthcheck: undefined } };
    const hyps = top(signals([app(['cache', 'db']), service('cache', { containers: [{ image: 'valkey/valkey:8', ...capped }] }), service('db')], 'server', 'login fails'));
    // the ceiling its command sets (--maxmemory, noeviction): bad_command of the Redis, whose answer is that command
    expect(`${hyps[0]?.cause}/${hyps[0]?.culprit}`, JSON.stringify(hyps)).toBe('bad_command/cache');
    // the same Redis near its container's memory limit: the memory is short (a higher maxmemory would be OOM-killed
    // there), the setting a lead below it
    const near = { ...capped, limits: { memoryBytes: 64 * MiB, memoryReservationBytes: undefined, nanoCpus: undefined } };
    const full = top(signals([app(['cache', 'db']), service('cache', { containers: [{ image: 'valkey/valkey:8', ...near }], stats: [{ memory: 56 * MiB }] }), service('db')], 'server', 'login fails'));
    expect(`${full[0]?.cause}/${full[0]?.culprit}`, JSON.stringify(full)).toBe('memory_pressure/cache');
    const lead = full.find((h) => h.cause === 'bad_command' && h.culprit === 'cache');
    expect(lead, JSON.stringify(full)).toBeDefined();
    expect(lead?.confidence).toBeLessThanOrEqual(0.4);
    // set elsewhere (a redis.conf): nothing names the setting, the line stays the client's
    expect(first(signals([app(['cache']), service('cache', { containers: [{ image: 'redis:7' }] })], 'server'))).toBe('memory_pressure/server');
    expect(hyps.some((h) => h.culprit === 'server' && h.cause === 'memory_pressure')).toBe(false);
    // a Redis of another compose project is not the one it talks to
    const other = service('cache', { containers: [{ image: 'redis:7', ...capped }] });
    other.project = 'elsewhere';
    expect(first(signals([app(['db']), service('db'), other], 'server'))).toBe('memory_pressure/server');
    // with no Redis to name (or two that could be it), the line stays the client's own
    expect(first(signals([app(['db']), service('db')], 'server'))).toBe('memory_pressure/server');
    expect(first(signals([app(['cache', 'sessions']), service('cache', { containers: [{ image: 'redis:7', ...capped }] }), service('sessions', { containers: [{ image: 'redis:7', ...capped }] })], 'server'))).toBe('memory_pressure/server');
  });

  it('a service read only because it is not OK beside the target is the answer only when the target has none', () => {
    const cron = service('cron', { containers: [{ state: 'exited', exitCode: 137 }], events: [{ action: 'kill', attributes: { signal: '15' } }, { action: 'kill', attributes: { signal: '9' } }, { action: 'stop' }] });
    const quiet = service('app');
    const lead = top({ ...signals([quiet, cron], 'app', 'recurring transactions did not run'), beside: ['cron'] });
    expect(lead[0]).toMatchObject({ cause: 'stopped_service', culprit: 'cron' });
    // a lead, not a claim: nothing known ties it to the complaint
    expect(lead[0]?.confidence).toBeLessThan(0.5);
    // the app's own fault stands alone: what is beside it is not mixed in
    const oom = service('app', { containers: [{ state: 'exited', exitCode: 137, oomKilled: true, limits: { memoryBytes: 64 * MiB, memoryReservationBytes: undefined, nanoCpus: undefined } }] });
    const own = top({ ...signals([oom, cron], 'app'), beside: ['cron'] });
    expect(own[0]).toMatchObject({ cause: 'oom_killed', culprit: 'app' });
    expect(own.some((h) => h.culprit === 'cron')).toBe(false);
    // what a caller beside a stopped target says of it (its refusals: dependency_down) stands behind the target's own
    const db = service('db', { containers: [{ state: 'exited', exitCode: 0 }], events: [{ action: 'kill', attributes: { signal: '15' } }, { action: 'stop' }] });
    const api = service('api', { spec: { dependsOn: ['db'] }, containers: [{ state: 'restarting', exitCode: 1, restartCount: 4 }], logs: logLines(repeat(6, () => '{"level":50,"msg":"connect ECONNREFUSED 127.0.0.1:5432"}')) });
    const asked = top({ ...signals([db, api], 'db', 'db is down'), beside: ['api'] });
    expect(`${asked[0]?.cause}/${asked[0]?.culprit}`, JSON.stringify(asked)).toBe('stopped_service/db');
    expect(asked.some((h) => h.cause === 'dependency_down')).toBe(false);
  });

  it('the same facts about the target give the same report (evidence ids too), whatever a neighbour read beside it says', () => {
    const job = () => service('job', { containers: [{ state: 'exited', exitCode: 1, restartPolicy: { name: 'no', maximumRetryCount: 0 } }], logs: logLines(['Error: required environment variable VAULT_ADDR is not set']) });
    const api = (restarts: number, lines: string[]) => service('api', { containers: [{ state: 'restarting', exitCode: 1, restartCount: restarts }], logs: logLines(lines) });
    const report = (neighbour: ReturnType<typeof service>) => diagnose({ ...signals([neighbour, job()], 'job'), beside: ['api'] }).report;
    const a = report(api(3, ['Error: required environment variable VAULT_ADDR is not set']));
    const b = report(api(9, ['Error: EACCES: permission denied, open \'/data/x\'', 'Error: listen EADDRINUSE: address already in use :::8080', 'FATAL: out of memory']));
    expect(a.hypotheses[0]).toMatchObject({ cause: 'missing_config', culprit: 'job' });
    expect(JSON.stringify({ h: b.hypotheses, e: b.evidence })).toBe(JSON.stringify({ h: a.hypotheses, e: a.evidence }));
    expect(a.evidence.map((e) => e.id)).toEqual(a.evidence.map((_, i) => `e${i + 1}`));
  });

  it('a restart (a kill and a stop, then a start) is no stop by hand: what dies after it died by itself', () => {
    const restarted = [{ action: 'kill', attributes: { signal: '15' } }, { action: 'die', exitCode: 143 }, { action: 'stop' }, { action: 'start' }, { action: 'restart' }];
    const db = (state: 'restarting' | 'exited', extra: NonNullable<NonNullable<Parameters<typeof service>[1]>['events']>) =>
      service('db', { containers: [{ state, exitCode: 1, restartCount: state === 'restarting' ? 6 : 0, restartPolicy: { name: state === 'restarting' ? 'unless-stopped' : 'no', maximumRetryCount: 0 } }], events: [...restarted, ...extra] });
    // caught between two policy restarts after bcon's (or a person's) restart: a crash loop, never "stopped"
    const looping = top(signals([db('restarting', [{ action: 'die', exitCode: 1 }, { action: 'start' }, { action: 'die', exitCode: 1 }])], 'db'));
    expect(looping.some((h) => h.cause === 'stopped_service'), JSON.stringify(looping)).toBe(false);
    expect(looping[0]?.cause).toBe('crash_loop');
    // exited 1 once after the restart, with no policy: a crash, not a stop
    const once = top(signals([db('exited', [{ action: 'die', exitCode: 1 }])], 'db'));
    expect(once.some((h) => h.cause === 'stopped_service'), JSON.stringify(once)).toBe(false);
    // a stop asked after the last start still is one
    expect(first(signals([db('exited', [{ action: 'kill', attributes: { signal: '15' } }, { action: 'die', exitCode: 1 }, { action: 'stop' }])], 'db'))).toBe('stopped_service/db');
  });

  it('a reload signal (docker kill -s HUP) the program handled is no stop: a crash after it is a crash', () => {
    const T = NOW - 60_000;
    const db = (events: Array<{ action: string; at: number; attributes?: Record<string, string>; exitCode?: number }>) =>
      service('db', { containers: [{ state: 'exited', exitCode: 1, restartPolicy: { name: 'no', maximumRetryCount: 0 } }], events: [{ action: 'start', at: T }, ...events] });
    // HUP at +5 s, handled (still running), then a crash 40 s later: not stopped by a person
    const hup = top(signals([db([{ action: 'kill', at: T + 5_000, attributes: { signal: '1' } }, { action: 'die', at: T + 45_000, exitCode: 1 }])], 'db'));
    expect(hup.some((h) => h.cause === 'stopped_service'), JSON.stringify(hup)).toBe(false);
    // Podman names it: the same
    const named = top(signals([db([{ action: 'kill', at: T + 5_000, attributes: { signal: 'SIGHUP' } }, { action: 'die', at: T + 45_000, exitCode: 1 }])], 'db'));
    expect(named.some((h) => h.cause === 'stopped_service'), JSON.stringify(named)).toBe(false);
    // a HUP the program did not handle ended it at once (exit 128 + 1): that kill was the stop
    expect(first(signals([db([{ action: 'kill', at: T + 5_000, attributes: { signal: '1' } }, { action: 'die', at: T + 5_050, exitCode: 129 }])], 'db'))).toBe('stopped_service/db');
    // handled, then a reload into a bad configuration failed by itself (exit 1) within seconds: not a stop
    const reload = top(signals([db([{ action: 'kill', at: T + 5_000, attributes: { signal: 'SIGHUP' } }, { action: 'die', at: T + 7_000, exitCode: 1 }])], 'db'));
    expect(reload.some((h) => h.cause === 'stopped_service'), JSON.stringify(reload)).toBe(false);
    // a KILL asked by hand still is a stop, with or without its die read
    expect(first(signals([db([{ action: 'kill', at: T + 5_000, attributes: { signal: '9' } }])], 'db'))).toBe('stopped_service/db');
  });

  it('a job that finished by itself is not a stopped service, nor what refused its caller — on positive evidence only', () => {
    const policy = { state: 'exited' as const, exitCode: 0, restartPolicy: { name: 'no', maximumRetryCount: 0 } };
    const job = (over: Parameters<typeof service>[1] = {}) => service('migrate', { containers: [policy], ...over });
    const on = (runtime: 'Docker' | 'Podman' | undefined, ...ss: ReturnType<typeof service>[]) => ({ ...signals(ss, ss[0]?.name), ...(runtime ? { runtime } : {}) });
    const stopped = (sig: ReturnType<typeof signals>) => top(sig).some((h) => h.culprit === 'migrate' && h.confidence >= 0.3);
    const died = [{ action: 'die', exitCode: 0 }];
    // Docker reports a stop it was asked for: a die with exit 0 and no kill or stop is a finish
    expect(stopped(on('Docker', job({ events: died })))).toBe(false);
    const web = service('web', { spec: { dependsOn: ['migrate'] }, logs: logLines(repeat(6, () => 'Bunny::TCPConnectionFailed: could not establish TCP connection to 127.0.0.1:5672: Connection refused')) });
    expect(stopped(on('Docker', web, job({ events: died })))).toBe(false);
    // the same die after a stop asked through the engine, or while a replica of it runs, was a stop
    expect(first(on('Docker', job({ events: [{ action: 'kill', attributes: { signal: '15' } }, { action: 'stop' }, ...died] })))).toBe('stopped_service/migrate');
    const pair = service('migrate', { containers: [policy, { state: 'running' }], events: died });
    expect(finishedJob(pair, pair.containers[0] as ContainerFacts, { signals: on('Docker', pair) })).toBe(false);
    // Podman's Docker API reports no kill or stop: a die alone proves nothing there; nor does no event at all
    expect(first(on('Podman', job({ events: died })))).toBe('stopped_service/migrate');
    expect(first(on('Docker', job()))).toBe('stopped_service/migrate');
    expect(first(on(undefined, job({ events: died })))).toBe('stopped_service/migrate');
    // a server stopped from inside (`docker exec db pg_ctl stop`, `nginx -s quit`) exits 0 with no kill or stop too:
    // a die is no proof for one with a healthcheck or a published port, nor after a command run in it
    const server = (over: Partial<ContainerFacts>) => job({ containers: [{ ...policy, ...over }], events: died });
    expect(first(on('Docker', server({ config: { cmd: null, entrypoint: null, env: [], healthcheck: { test: ['CMD-SHELL', 'pg_isready'], intervalNs: undefined, timeoutNs: undefined, startPeriodNs: undefined, retries: undefined } } })))).toBe('stopped_service/migrate');
    expect(first(on('Docker', server({ portBindings: [{ hostIp: '127.0.0.1', published: '8080', target: 80, protocol: 'tcp' }] })))).toBe('stopped_service/migrate');
    expect(first(on('Docker', job({ events: [{ action: 'exec_start: pg_ctl stop', at: NOW - 3000 }, ...died] })))).toBe('stopped_service/migrate');
    // compose's declaration (a service waits for it to complete successfully) holds on any runtime, with no event
    expect(stopped(on('Podman', job({ spec: { completionAwaitedBy: ['web'] } })))).toBe(false);
    // what bcon saw finish earlier stays finished when the engine has dropped the event
    expect(stopped(on('Docker', { ...job(), finishedBefore: ['shop-migrate-1-id'] }))).toBe(false);
    // a crash (exit 1) or an OOM kill is never a finished job
    expect(stopped(on('Docker', service('migrate', { containers: [{ ...policy, oomKilled: true }], spec: { completionAwaitedBy: ['web'] } })))).toBe(true);
  });

  it('reads the complaint in Korean too', () => {
    const r = service('reporter', { containers: [{ limits: { memoryBytes: undefined, memoryReservationBytes: undefined, nanoCpus: 2e8 } }], stats: [{ percent: 19.8, periods: 150, throttledPeriods: 100 }] });
    const en = top(signals([r], 'reporter'))[0]?.confidence ?? 0;
    const ko = top(signals([r], 'reporter', '리포트가 너무 느려요'))[0]?.confidence ?? 0;
    expect(ko).toBeGreaterThan(en);
    void NOW;
  });
});

describe('dependencies named by no address', () => {
  const mysql = () => service('mysql', { containers: [{ state: 'exited', exitCode: 0 }], events: [{ action: 'stop' }] });
  it("a MySQL client's \"Can't connect\" and libpq's bare \"Connection refused\" blame the one dependency that is down", () => {
    const app = service('app', {
      spec: { dependsOn: ['mysql'] },
      logs: logLines(Array.from({ length: 6 }, (_, i) => (i % 2 ? "ERROR 2002 (HY000): Can't connect to local MySQL server through socket '/run/mysqld/mysqld.sock' (2)" : 'could not connect to server: Connection refused'))),
    });
    const r = diagnose(signals([app, mysql()], 'app', 'app returns errors')).report;
    expect(`${r.hypotheses[0]?.cause}/${r.hypotheses[0]?.culprit}`).toBe('dependency_down/mysql');
  });
  it('an unhealthy service whose dependency is down: the dependency, not the probe', () => {
    const app = service('app', {
      spec: { dependsOn: ['mysql'] },
      containers: [{ health: { status: 'unhealthy', failingStreak: 4, log: [{ start: '', end: '', exitCode: 1, output: 'db ping failed' }] } }],
    });
    const r = diagnose(signals([app, mysql()], 'app', 'app shows as unhealthy')).report;
    expect(`${r.hypotheses[0]?.cause}/${r.hypotheses[0]?.culprit}`).toBe('dependency_down/mysql');
  });
});

describe('refused by a dependency that runs', () => {
  const refusals = logLines(Array.from({ length: 8 }, () => '2026/11/25 10:00:00 [error] 31#31: *7 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: shop, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:23080/"'));
  const api = () => service('api', { containers: [{ config: { cmd: ['httpd', '-p', '127.0.0.1:23080'], entrypoint: null, env: [], healthcheck: undefined } }] });
  const blame = (state: 'running' | 'exited') => diagnose(signals([service('edge', { spec: { dependsOn: ['api'] }, logs: refusals, containers: [{ state, exitCode: state === 'exited' ? 1 : 0 }] }), api()], 'edge')).report.hypotheses.find((h) => h.cause === 'dependency_down' && h.culprit === 'api');
  it('is blamed while the caller runs to be refused', () => {
    expect(blame('running')?.confidence).toBeGreaterThanOrEqual(0.5);
  });
  it('is only a hint when the caller has exited: it was refused in the past, when the dependency may have been starting', () => {
    expect(blame('exited')?.confidence ?? 0).toBeLessThan(0.3);
  });
  // a server that loads for a while before it listens: its callers' refusals while it loaded, then its healthcheck passes
  const healthyApi = (passedSecondsAgo: number) =>
    service('api', {
      containers: [
        {
          config: { cmd: ['httpd', '-p', '127.0.0.1:23080'], entrypoint: null, env: [], healthcheck: undefined },
          health: { status: 'healthy', failingStreak: 0, log: [{ start: new Date(NOW - passedSecondsAgo * 1000 - 50).toISOString(), end: new Date(NOW - passedSecondsAgo * 1000).toISOString(), exitCode: 0, output: 'ok' }] },
        },
      ],
    });
  const early = refusals.map((l, i) => ({ ...l, timestamp: new Date(NOW - (60 - i) * 1000).toISOString() }));
  const blameHealthy = (passedSecondsAgo: number) =>
    diagnose(signals([service('edge', { spec: { dependsOn: ['api'] }, logs: early }), healthyApi(passedSecondsAgo)], 'edge')).report.hypotheses.find((h) => h.cause === 'dependency_down' && h.culprit === 'api');
  it('is not blamed for refusals that all came before its healthcheck last passed: it answers now', () => {
    expect(blameHealthy(5)).toBeUndefined();
  });
  it('is still blamed when refusals came after its last passing probe', () => {
    expect(blameHealthy(120)?.confidence).toBeGreaterThanOrEqual(0.5);
  });
  // no healthcheck to say when it answered: a cache loading its snapshot, its callers refused meanwhile, then fine
  const served = (quietSeconds: number) => {
    const refused = refusals.map((l, i) => ({ ...l, timestamp: new Date(NOW - (quietSeconds + 8 - i) * 1000).toISOString() }));
    const ok = Array.from({ length: quietSeconds }, (_, i) => ({ ...refusals[0]!, text: `2026/11/25 10:00:00 [info] GET /v1/slots 200 ${i}ms`, timestamp: new Date(NOW - (quietSeconds - 1 - i) * 1000).toISOString() }));
    return diagnose(signals([service('edge', { spec: { dependsOn: ['api'] }, logs: [...refused, ...ok] }), api()], 'edge')).report.hypotheses.filter((h) => (h.cause === 'dependency_down' && h.culprit === 'api') || h.cause === 'connection_refused');
  };
  it('is not blamed, nor the caller, for refusals that stopped: the caller logged on 40 s without them', () => {
    expect(served(40)).toEqual([]);
  });
  it('is still blamed when the caller logged on only a few seconds after them', () => {
    expect(served(4).find((h) => h.cause === 'dependency_down')?.confidence).toBeGreaterThanOrEqual(0.5);
  });
});

describe('a dependency with its own root cause', () => {
  it('ranks the dependency\'s root (OOM-killed) above "dependency down", whatever the complaint', () => {
    const api = service('api', {
      containers: [{ state: 'exited', exitCode: 137, oomKilled: true, limits: { memoryBytes: 24 * 1024 * 1024, memoryReservationBytes: undefined, nanoCpus: undefined }, config: { cmd: ['httpd', '-p', '127.0.0.1:23080'], entrypoint: null, env: [], healthcheck: undefined } }],
    });
    const edge = service('edge', {
      spec: { dependsOn: ['api'] },
      logs: logLines(Array.from({ length: 8 }, () => '2026/11/25 10:00:00 [error] 31#31: *7 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: shop, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:23080/"')),
    });
    for (const complaint of ['the site returns 502 bad gateway', 'site is down', undefined]) {
      const r = diagnose(signals([edge, api], 'edge', complaint)).report;
      expect(r.hypotheses.slice(0, 2).map((h) => `${h.cause}/${h.culprit}`)).toEqual(['oom_killed/api', 'dependency_down/api']);
    }
  });
});

describe('baselines and recent changes', () => {
  const access = (ms: number) => `::ffff:127.0.0.1 - - [01/Jan/2026:12:00:00 +0000] "GET /orders HTTP/1.1" 200 512 "-" "curl" - ${ms.toFixed(3)} ms`;
  it('measures "usual" from the stored baseline when there is one', () => {
    const pg = service('postgres', { logs: logLines(Array.from({ length: 5 }, () => 'LOG:  duration: 2301.412 ms  statement: SELECT 1')) });
    // every request in the window is slow: only the baseline knows it used to be fast
    const api = service('api', {
      spec: { dependsOn: ['postgres'] },
      logs: logLines(Array.from({ length: 12 }, (_, i) => access(2200 + i))),
      baseline: { samples: 40, since: 0, cpuPercent: 2, memoryBytes: 1, restarts: 0, errorsPerMinute: 0, latencyP50Ms: 45, latencyP95Ms: 80 },
    });
    const r = diagnose(signals([api, pg], 'api', 'slow')).report;
    expect(r.hypotheses[0]).toMatchObject({ cause: 'dependency_slow', culprit: 'postgres' });
    expect(r.evidence.find((e) => e.kind === 'baseline')?.text).toMatch(/usual 45 ms \(baseline\)/);
  });
  it('cites a commit and a re-created container inside the window', () => {
    const w = service('worker', { containers: [{ state: 'exited', exitCode: 137, oomKilled: true, createdAt: new Date(NOW - 120_000).toISOString() }] });
    const s = signals([w], 'worker');
    s.recentChanges = [{ commit: 'abc1234', at: NOW - 300_000, message: 'worker: lower mem_limit to 32m' }];
    const r = diagnose(s).report;
    const cited = r.evidence.filter((e) => r.hypotheses[0]?.evidence.includes(e.id) && e.kind === 'change').map((e) => e.text);
    expect(cited).toEqual(['container created 2026-01-01 11:58:00 UTC from busybox:1', 'commit abc1234 at 2026-01-01 11:55:00 UTC: worker: lower mem_limit to 32m']);
  });
});
