import { describe, expect, it } from 'vitest';
import { readyAfter, saidListening } from './ready-after.js';
import type { ServiceSignals } from './signals.js';

const T = Date.parse('2026-12-07T10:00:00Z');
const redis = (text: string) =>
  ({ name: 'redis', containers: [{ state: 'running' }], events: [], logs: { 'p-redis-1': [{ stream: 'stdout', timestamp: new Date(T + 5000).toISOString(), text }] } }) as unknown as ServiceSignals;

describe('readyAfter', () => {
  it("reads a time's minutes and seconds as no port: Redis's own stamp does not hide its ready line", () => {
    expect(readyAfter(redis('1:M 07 Dec 2026 10:00:05.123 * Ready to accept connections tcp'), T, 6379)).toBe(true);
    expect(readyAfter(redis('Ready to accept connections'), T, 6379)).toBe(true);
    // the entrypoint's setup server (networking off: port 0) is not the server clients reach
    expect(readyAfter(redis("2026-12-07 10:00:57 0 [Note] mariadbd: ready for connections. Version: '10.11.9-MariaDB'  socket: '/run/mysqld/mysqld.sock'  port: 0  mariadb.org binary distribution"), T, 29621)).toBe(false);
    expect(readyAfter(redis("2026-12-07T10:00:05.123456Z 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '8.0.36'  socket: '/var/run/mysqld/mysqld.sock'  port: 0  MySQL Community Server - GPL."), T, 3306)).toBe(false);
    // MariaDB's stamp ends in seconds and a space: `:57` before the words is no port
    expect(readyAfter(redis('2026-12-07 10:00:57 0 [Note] mariadbd: ready for connections.'), T, 29621)).toBe(true);
    expect(readyAfter(redis("2026-12-07 10:00:57 0 [Note] /usr/sbin/mariadbd: ready for connections. Version: '10.11.9-MariaDB'  socket: '/run/mysqld/mysqld.sock'  port: 3306"), T, 29621)).toBe(false);
    // a port named, and another: not that port's readiness
    expect(readyAfter(redis('ready for connections. port: 33060'), T, 6379)).toBe(false);
    expect(readyAfter(redis('* Running mode=standalone, port=6379. listening on 127.0.0.1:6379'), T, 6379)).toBe(true);
  });
});

describe('saidListening', () => {
  const svc = (lines: Array<[number, string]>, state = 'running') =>
    ({ containers: [{ name: 'p-db-1', state, startedAt: new Date(T).toISOString() }], logs: { 'p-db-1': lines.map(([at, text]) => ({ stream: 'stdout', timestamp: new Date(T + at).toISOString(), text })) } }) as unknown as ServiceSignals;
  it('the ports the current run says it listens on', () => {
    expect(saidListening(svc([[1000, '2026-12-07 10:00:01.000 UTC [1] LOG:  listening on IPv4 address "127.0.0.1", port 29051'], [1200, '2026-12-07 10:00:01.200 UTC [1] LOG:  database system is ready to accept connections']]))).toEqual([29051]);
    expect(saidListening(svc([[500, 'level=info msg="Listening on :8080"']]))).toEqual([8080]);
    // a stamp's minutes and seconds before the words are no port
    expect(saidListening(svc([[500, '[ABCDE] 2026/12/07 05:59:21 INFO: GUI and API listening on 127.0.0.1:29451']]))).toEqual([29451]);
  });
  it("not a client's address, an error, an earlier run's line, or a container that is not running", () => {
    expect(saidListening(svc([[500, 'worker ready, connecting to redis at 127.0.0.1:6379 (listener for jobs)']]))).toEqual([]);
    expect(saidListening(svc([[500, 'ERROR: could not bind listener on 127.0.0.1:5432: address in use']]))).toEqual([]);
    expect(saidListening(svc([[-60_000, 'LOG:  listening on IPv4 address "127.0.0.1", port 5433']]))).toEqual([]);
    expect(saidListening(svc([[500, 'LOG:  listening on IPv4 address "127.0.0.1", port 5432']], 'exited'))).toEqual([]);
  });
});
