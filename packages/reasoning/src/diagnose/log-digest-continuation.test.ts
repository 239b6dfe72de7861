import { describe, expect, it } from 'vitest';
import { continuationReader, digestLogs } from './log-digest.js';
import type { ServiceSignals } from './signals.js';

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

  it('a bare traceback is an event of its own, a chained one with its link and blank lines too', () => {
    expect(read(['Traceback (most recent call last):', '  File "x.py", line 1, in <module>', "KeyError: 'DATABASE_URL'", 'next line'])).toBe('.++.');
    expect(
      read([
        'Traceback (most recent call last):',
        '  File "/usr/lib/python3/urllib3/connection.py", line 198, in _new_conn',
        'ConnectionRefusedError: [Errno 111] Connection refused',
        '',
        'The above exception was the direct cause of the following exception:',
        '',
        'Traceback (most recent call last):',
        '  File "/app/main.py", line 9, in <module>',
        'requests.exceptions.ConnectionError: HTTPConnectionPool(host=127.0.0.1, port=5432)',
        'INFO retrying in 5s',
      ]),
    ).toBe('.++++++++.');
  });

  it("a database error's message parts under the exception (psycopg's LINE and caret) belong to it, and so does the exception chained after them", () => {
    expect(
      read([
        '2026-12-06 09:30:35,002 ERROR django.request Internal Server Error: /invoices/',
        'Traceback (most recent call last):',
        '  File "/usr/local/lib/python3.12/site-packages/django/db/backends/utils.py", line 105, in _execute',
        'psycopg2.errors.UndefinedColumn: column invoices_invoice.due_on does not exist',
        'LINE 1: ...invoice"."currency", "invoices_invoice"."issued_on", "invoices_...',
        '                                                             ^',
        '',
        'The above exception was the direct cause of the following exception:',
        '',
        'Traceback (most recent call last):',
        '  File "/app/billing/invoices/views.py", line 42, in invoice_list',
        'django.db.utils.ProgrammingError: column invoices_invoice.due_on does not exist',
        'HINT:  Perhaps you meant to reference the column "invoices_invoice.issued_on".',
        '127.0.0.1 - - [06/Dec/2026:09:30:35 +0000] "GET /invoices/ HTTP/1.1" 500 145 "-" "Mozilla/5.0"',
      ]),
    ).toBe('.++++++++++++.');
  });

  it('Java and Node traces: the frames, Caused by and "... n more" belong to the exception line, whatever its words', () => {
    expect(
      read([
        'java.lang.NullPointerException: Cannot invoke "String.length()" because "s" is null',
        '\tat com.acme.Ledger.post(Ledger.java:42)',
        'Caused by: java.net.ConnectException: Connection refused',
        '\t... 12 more',
        '2026-12-03 08:00:01.000 INFO 1 --- [main] shutting down',
      ]),
    ).toBe('.+++.');
    expect(read(["TypeError: Cannot read properties of undefined (reading 'id')", '    at handler (/app/server.js:12:9)', 'GET /x 200 3 ms'])).toBe('.+.');
  });

  it("logback: the exception a logger prints on its own line under its error message belongs to that message", () => {
    expect(
      read([
        '2026-12-03 08:00:01.000 ERROR 1 --- [nio-8080-exec-1] c.a.OrderController : request failed',
        'java.net.ConnectException: Connection refused',
        '\tat java.base/sun.nio.ch.Net.connect0(Native Method)',
        '2026-12-03 08:00:02.000 ERROR 1 --- [nio-8080-exec-2] c.a.OrderController : request failed',
        'java.lang.NullPointerException: id',
        '2026-12-03 08:00:03.000 INFO 1 --- [main] ok',
      ]),
    ).toBe('.++.+.');
    // single-line errors in a row stay events of their own, exception-shaped or not
    expect(read(['Error: connect ECONNREFUSED 127.0.0.1:5432', 'Error: connect ECONNREFUSED 127.0.0.1:5432', 'ERROR boom', 'ERROR boom'])).toBe('....');
    // under an ordinary line, an exception line is an event of its own
    expect(read(['INFO starting', 'java.lang.IllegalStateException: not ready'])).toBe('..');
  });

  it('indented lines after an ordinary line, or carrying a level of their own, are lines of their own', () => {
    expect(read(['INFO loaded config:', '  port: 8080', '  workers: 4', 'INFO ready'])).toBe('....');
    expect(read(['ERROR could not reach the cache', '  ERROR could not reach the queue', '  INFO ready'])).toBe('...');
  });
});

describe('digestLogs counts events', () => {
  const failure = (n: number) => [
    `2026-12-03 08:00:0${n},001 ERROR [billing.charges] Error al cobrar la factura FAC-${n}: respuesta 401`,
    'Traceback (most recent call last):',
    '  File "/app/billing/charges.py", line 88, in charge_invoice',
    '    resp.raise_for_status()',
    '  File "/usr/local/lib/python3.12/site-packages/requests/models.py", line 1021, in raise_for_status',
    '    raise HTTPError(http_error_msg, response=self)',
    `requests.exceptions.HTTPError: 401 Client Error: Unauthorized for url: http://127.0.0.1:24951/v1/charges`,
    `2026-12-03 08:00:0${n},002 WARNING [billing.worker] Reintentando FAC-${n} en 60s`,
  ];
  const svc = (lines: string[]): ServiceSignals =>
    ({ name: 'billing', logs: { billing_1: lines.map((text, i) => ({ text, timestamp: new Date(Date.UTC(2026, 11, 3, 8, 0, 0, i * 10)).toISOString() })) } }) as unknown as ServiceSignals;

  it('a failure logged as 8 lines with its traceback is 2 events, 1 of them an error', () => {
    const d = digestLogs(svc(['2026-12-03 08:00:00,000 INFO [billing.worker] Iniciando', ...failure(1), ...failure(2), ...failure(3)]));
    expect([d.lines, d.errors, d.warnings]).toEqual([7, 3, 3]);
    expect(d.errorTemplates[0]).toMatchObject({ count: 3, linesBefore: 1, errorsBefore: 0 });
  });

  it('a bare traceback is told by the exception that closes it', () => {
    const d = digestLogs(svc(['Traceback (most recent call last):', '  File "/app/main.py", line 3, in <module>', "KeyError: 'DATABASE_URL'"]));
    expect([d.lines, d.errors]).toEqual([1, 1]);
    expect(d.errorTemplates[0]?.example.text).toBe("KeyError: 'DATABASE_URL'");
  });
});
