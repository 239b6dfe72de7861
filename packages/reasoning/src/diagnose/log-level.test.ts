import { describe, expect, it } from 'vitest';
import { lineLevel, toldInformational, writtenLevel } from './log-level.js';

describe('the level a line was written at', () => {
  it("MySQL/MariaDB's bracketed levels: a [Note] that mentions an error is a note", () => {
    const note = "2026-12-05T10:00:05.123456Z 41 [Note] [MY-010914] [Server] Aborted connection 41 to db: 'payroll' user: 'payroll' host: '127.0.0.1' (Got an error reading communication packets).";
    expect(lineLevel(note)).toBe('info');
    expect(toldInformational(note)).toBe(true);
    expect(lineLevel('2026-12-05T10:00:00.000000Z 0 [Warning] [MY-010068] [Server] CA certificate ca.pem is self signed.')).toBe('warn');
    expect(lineLevel('2026-12-05T10:00:00.000000Z 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections.')).toBe('info');
    expect(lineLevel("2026-12-05 10:00:00 0 [ERROR] mysqld: Can't create/write to file '/tmp/ibXXXX' (Errcode: 28 \"No space left on device\")")).toBe('error');
  });

  it('the first level word of the header wins, upper-case or bracketed', () => {
    expect(writtenLevel('2026/12/05 10:00:00 [error] 7#7: *1 connect() failed (111: Connection refused)')).toBe('error');
    expect(writtenLevel('[Info] ERROR count reset to 0')).toBe('info');
    expect(writtenLevel('ERROR [Info] handler failed')).toBe('error');
  });

  it('a message with no level word is read by its words', () => {
    expect(writtenLevel('Got an error reading communication packets')).toBeUndefined();
    // a lower-case level in its own tab-separated field (zap's console encoder, VictoriaMetrics)
    expect(writtenLevel('2026-12-06T10:00:01.000Z\twarn\tlib/promscrape/scrapework.go:387\tcannot scrape target: connection refused')).toBe('warn');
    expect(writtenLevel('2026-12-06T10:00:01.000Z\terror\tapp/vmagent/main.go:12\tcannot start')).toBe('error');
    expect(writtenLevel('name\twarn\tvalue')).toBeUndefined();
    expect(lineLevel('Got an error reading communication packets')).toBe('error');
  });

  it('what the software calls informational: not postgres LOG, nor an error', () => {
    expect(toldInformational('10-listen-on-ipv6-by-default.sh: info: can not modify /etc/nginx/conf.d/default.conf (read-only file system?)')).toBe(true);
    expect(toldInformational('{"level":30,"msg":"EACCES: permission denied"}')).toBe(true);
    expect(toldInformational('2026-12-05 10:00:00.000 UTC [1] LOG:  checkpointer process (PID 12) was terminated by signal 9: Killed')).toBe(false);
    expect(toldInformational('failed to fetch info: connection refused')).toBe(false);
    expect(toldInformational('2026/12/05 10:00:00 [emerg] 1#1: bind() to 0.0.0.0:80 failed (98: Address in use)')).toBe(false);
  });
});
