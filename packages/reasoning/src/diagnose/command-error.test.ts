import { describe, expect, it } from 'vitest';
import { commandError } from './command-error.js';

describe('commandError', () => {
  it("is Postgres's ERROR level: one command aborted", () => {
    expect(commandError('2026-12-06 09:00:01.013 UTC [311] ERROR:  column invoices_invoice.due_on does not exist at character 214')).toBe(true);
    expect(commandError('2026-12-06 09:00:01.014 UTC [311] STATEMENT:  SELECT "invoices_invoice"."id" FROM "invoices_invoice" LIMIT 25')).toBe(true);
    expect(commandError('2026-12-06 09:00:01 UTC [7] app@shop ERROR:  duplicate key value violates unique constraint "users_email_key"')).toBe(true);
  });
  it('is not a session or server failure, nor another software\'s error word', () => {
    expect(commandError('2026-12-06 09:00:01.013 UTC [88] FATAL:  role "root" does not exist')).toBe(false);
    expect(commandError('2026-12-06 09:00:01.013 UTC [1] PANIC:  could not write to file "pg_wal/xlogtemp.31": No space left on device')).toBe(false);
    expect(commandError('2026-12-06 09:00:01,013 ERROR django.request Internal Server Error: /invoices/')).toBe(false);
    expect(commandError('ERROR: failed to connect to upstream')).toBe(false);
    expect(commandError('2026-12-06 09:00:01 UTC [7] ERROR:  deadlock detected')).toBe(false);
    expect(commandError('2026-12-06 09:00:01 UTC [7] ERROR:  cannot execute INSERT in a read-only transaction')).toBe(false);
    expect(commandError('2026-12-06 09:00:01 UTC [7] ERROR:  canceling statement due to statement timeout')).toBe(false);
  });
});
