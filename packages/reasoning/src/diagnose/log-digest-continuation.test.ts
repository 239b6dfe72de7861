import { describe, expect, it } from 'vitest';
import { continuationReader } from './log-digest.js';

const read = (lines: string[]) => {
  const follows = continuationReader();
  return lines.map((l) => (follows(l) ? '+' : '.')).join('');
};

describe('continuationReader: the lines of a stack trace belong to the event above them', () => {
  it('a Python logger.exception: the message, its traceback, and the exception that closes it are one event', () => {
    expect(
      read([
        '2026-12-03 08:00:01,001 ERROR [billing.charges] Error al cobrar la factura FAC-1',
        'Traceback (most recent call last):',
        '  File "/app/billing/charges.py", line 88, in charge_invoice',
        '    resp.raise_for_status()',
        'requests.exceptions.HTTPError: 401 Unauthorized for url: http://127.0.0.1/v1/charges',
        '2026-12-03 08:00:01,002 WARNING [billing.worker] Reintentando FAC-1 en 60s',
      ]),
    ).toBe('.++++.');
  });

  it('a bare traceback is an event of its own; the frames of a Java trace, Caused by and "... n more" belong to the exception line above them', () => {
    expect(read(['Traceback (most recent call last):', '  File "x.py", line 1, in <module>', 'KeyError: \'DATABASE_URL\'', 'next line'])).toBe('.++.');
    expect(
      read([
        '2026-12-03 08:00:00.000 ERROR 1 --- [main] o.s.boot.SpringApplication : Application run failed',
        'java.lang.IllegalStateException: Failed to execute CommandLineRunner',
        '\tat org.springframework.boot.SpringApplication.callRunner(SpringApplication.java:771)',
        'Caused by: java.net.ConnectException: Connection refused',
        '\t... 12 more',
        '2026-12-03 08:00:01.000 INFO 1 --- [main] shutting down',
      ]),
    ).toBe('..+++.');
  });

  it('indented lines after an ordinary line are lines of their own (a pretty-printed config, a table)', () => {
    expect(read(['INFO loaded config:', '  port: 8080', '  workers: 4', 'INFO ready'])).toBe('....');
  });
});
