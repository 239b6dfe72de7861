import type { ServiceSignals } from '@bcon/reasoning';
import { describe, expect, it } from 'vitest';
import { probedPorts, refusedNowhere, rememberRefusals, settingAddresses } from './refused-nowhere.js';

const line = (text: string) => ({ stream: 'stderr' as const, timestamp: '2026-12-07T02:33:07.000Z', text });
const svc = (name: string, state: string, env: string[], logs: string[] = [], dependsOn: string[] = []) =>
  ({ name, containers: [{ id: `${name}0123456789abcdef`, startedAt: '2026-12-07T02:30:00Z', name: `p-${name}-1`, state, config: { cmd: null, entrypoint: null, env, healthcheck: undefined }, portBindings: [] }], logs: { [`p-${name}-1`]: logs.map(line) }, spec: { dependsOn } }) as unknown as ServiceSignals;

// the graph's answer as the diagnosis gives it: postgres listens on 27887 (its healthcheck probes it there)
const graph = { addressOwner: (_from: string, _host: string | undefined, port: number | undefined) => (port === 27887 ? 'postgres' : undefined), surePorts: (name: string) => (name === 'postgres' ? [27887] : []) };

describe('refusedNowhere', () => {
  const refused = 'psycopg2.OperationalError: connection to server at "127.0.0.1", port 27878 failed: Connection refused';
  it('an address no running service of the stack listens on: named', () => {
    const odoo = svc('odoo', 'running', ['ODOO_DB_PORT=27878'], [refused, refused], ['postgres']);
    const pg = svc('postgres', 'running', ['PGPORT=27887']);
    const all = [odoo, pg];
    expect(refusedNowhere(odoo, all, graph)).toBe('127.0.0.1:27878');
    // no dependency known to run and listen elsewhere (where the database listens is not known, or it is down): the
    // address may be its (a restart is how a stuck client reconnects)
    const alone = svc('odoo', 'running', ['ODOO_DB_PORT=27878'], [refused], []);
    expect(refusedNowhere(alone, [alone, pg], graph)).toBeUndefined();
    expect(refusedNowhere(odoo, [odoo, svc('postgres', 'exited', ['PGPORT=27887'])], graph)).toBeUndefined();
    // another dependency not known to listen anywhere (Redis with no port declared): the address may be its
    const redis = svc('redis', 'running', []);
    const two = svc('odoo', 'running', [], [refused], ['postgres', 'redis']);
    expect(refusedNowhere(two, [two, pg, redis], graph)).toBeUndefined();
    // a container IP (bridge network): not known whose
    const bridge = svc('app', 'running', [], ['Error: connect ECONNREFUSED 172.20.0.3:6379'], ['postgres']);
    expect(refusedNowhere(bridge, [bridge, pg], graph)).toBeUndefined();
  });
  it("a dependency known to listen by its own word (nothing in its definition names the port): named", () => {
    const hasura = svc('hasura', 'running', [], [refused], ['db']);
    const said = (port: number) => svc('db', 'running', [], [`2026-12-07 02:33:00.000 UTC [1] LOG:  listening on IPv4 address "127.0.0.1", port ${port}`]);
    expect(refusedNowhere(hasura, [hasura, said(27887)], graph)).toBe('127.0.0.1:27878');
    // it says it listens where the service is refused: it may answer now
    expect(refusedNowhere(hasura, [hasura, said(27878)], graph)).toBeUndefined();
    // it says nothing of where it listens: not known
    expect(refusedNowhere(hasura, [hasura, svc('db', 'running', [], ['LOG:  database system is ready to accept connections'])], graph)).toBeUndefined();
  });
  it('refusals that name no address: where its settings tell it to connect, when nothing of the stack serves there', () => {
    const php = '  SQLSTATE[HY000] [2002] Connection refused  ';
    const app = (env: string[]) => svc('app', 'restarting', env, [php, php], ['postgres']);
    const pg = svc('postgres', 'running', ['PGPORT=27887']);
    const wrong = app(['APP_URL=http://127.0.0.1:29442', 'DB_HOST=127.0.0.1', 'DB_PORT=27878', 'PORT=29442']);
    expect(settingAddresses(wrong)).toEqual({ here: [27878], elsewhere: false });
    expect(refusedNowhere(wrong, [wrong, pg], graph)).toBe('127.0.0.1:27878 (its settings)');
    // told the database's own port: the refusal may be its (a restart reconnects)
    const right = app(['DB_HOST=127.0.0.1', 'DB_PORT=27887']);
    expect(refusedNowhere(right, [right, pg], graph)).toBeUndefined();
    // one setting served, another not: which one refused is not known
    const both = app(['DB_HOST=127.0.0.1', 'DB_PORT=27887', 'MAIL_HOST=localhost', 'MAIL_PORT=1025']);
    expect(refusedNowhere(both, [both, pg], graph)).toBeUndefined();
    // nothing in its settings: not known; another machine in its settings: not this machine's
    const none = app([]);
    expect(refusedNowhere(none, [none, pg], graph)).toBeUndefined();
    // an address elsewhere beside it: the nameless refusal may be that one's
    const mixed = app(['DB_HOST=db.internal', 'DB_PORT=5432', 'REDIS_URL=redis://127.0.0.1:26379/0']);
    expect(settingAddresses(mixed)).toEqual({ here: [26379], elsewhere: true });
    expect(refusedNowhere(mixed, [mixed, pg], graph)).toBeUndefined();
    const hostDb = app(['DB_HOST=host.docker.internal', 'DB_PORT=5432']);
    expect(refusedNowhere(hostDb, [hostDb, pg], graph)).toBeUndefined();
    // its own bind address and port are no address it connects to (Next.js's HOSTNAME=0.0.0.0, PORT=3000)
    expect(settingAddresses(app(['HOSTNAME=0.0.0.0', 'PORT=3000', 'SERVER_HOST=0.0.0.0', 'SERVER_PORT=8080']))).toEqual({ here: [], elsewhere: false });
  });
  it('the address of a service of the stack that runs: undefined (it may answer now)', () => {
    const odoo = svc('odoo', 'running', ['ODOO_DB_PORT=27887'], [refused.replace('27878', '27887')], ['postgres']);
    const pg = svc('postgres', 'running', ['PGPORT=27887']);
    const all = [odoo, pg];
    expect(refusedNowhere(odoo, all, graph)).toBeUndefined();
    // no refusal naming an address
    const quiet = svc('odoo', 'running', [], ['ERROR: Connection refused'], ['postgres']);
    expect(refusedNowhere(quiet, [quiet, pg], graph)).toBeUndefined();
  });
});

describe('probedPorts', () => {
  const agent = [
    'check failed: dial tcp 127.0.0.1:3306: connect: connection refused',
    'check failed: dial tcp 127.0.0.1:5432: connect: connection refused',
    'check failed: dial tcp 127.0.0.1:6379: connect: connection refused',
  ];
  it('refusals at three ports or more, none named by its settings: discovery', () => {
    expect(probedPorts(svc('agent', 'running', [], agent))).toEqual([3306, 5432, 6379]);
  });
  it('fewer ports, or one its settings name: a dependency it needs', () => {
    expect(probedPorts(svc('app', 'running', [], agent.slice(0, 2)))).toBeUndefined();
    expect(probedPorts(svc('app', 'running', ['DB_HOST=127.0.0.1', 'DB_PORT=5432'], agent))).toBeUndefined();
    expect(probedPorts(svc('app', 'running', ['REDIS_URL=redis://127.0.0.1:6379/0'], agent))).toBeUndefined();
  });
  it('over the run: ports refused in earlier windows of the same containers count; a new run starts afresh', () => {
    const start = svc('agent', 'running', [], agent);
    const earlier = rememberRefusals(start, undefined);
    expect(earlier?.ports).toEqual([3306, 5432, 6379]);
    // the start out of the window: two ports retried
    const later = svc('agent', 'running', [], agent.slice(0, 2));
    expect(probedPorts(later)).toBeUndefined();
    expect(probedPorts(later, earlier)).toEqual([3306, 5432, 6379]);
    expect(rememberRefusals(later, earlier)).toEqual(earlier);
    // restarted (a new start time): what the run before was refused at is not this run's
    const restarted = { ...later, containers: later.containers.map((c) => ({ ...c, startedAt: '2026-12-07T03:00:00Z' })) } as ServiceSignals;
    expect(probedPorts(restarted, earlier)).toBeUndefined();
    // (its lines read now are from before that start: the run before's)
    expect(rememberRefusals(restarted, earlier)).toBeUndefined();
    // refused later in the run (a dependency one day, another the next): not what it probed at its start
    const lateLine = (text: string) => ({ stream: 'stderr' as const, timestamp: '2026-12-09T10:00:00.000Z', text });
    const late = { ...start, logs: { 'p-agent-1': agent.map(lateLine) } } as ServiceSignals;
    expect(rememberRefusals(late, undefined)).toBeUndefined();
    expect(probedPorts(late)).toEqual([3306, 5432, 6379]);
    expect(probedPorts({ ...late, logs: { 'p-agent-1': agent.slice(0, 2).map(lateLine) } } as ServiceSignals, rememberRefusals(late, { run: 'x', ports: [] }))).toBeUndefined();
    // nothing refused, nothing remembered
    expect(rememberRefusals(svc('agent', 'running', [], []), undefined)).toBeUndefined();
  });
});
