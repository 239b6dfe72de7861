import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';

/**
 * Apply the SQL migrations drizzle-kit generated from schema.ts (drizzle/, checked in), keeping the same
 * `__drizzle_migrations` ledger as drizzle-orm's own migrator, so either can run on the same file. Written here
 * rather than imported because loading drizzle-orm costs ~70 ms, paid by every bcon command.
 */
export function applyMigrations(sqlite: Database.Database, folder: string): number {
  const journal = JSON.parse(readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: Array<{ when: number; tag: string }> };
  sqlite.exec('CREATE TABLE IF NOT EXISTS "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)');
  const record = sqlite.prepare('INSERT INTO "__drizzle_migrations" ("hash", "created_at") VALUES (?, ?)');
  const latest = sqlite.prepare('SELECT created_at FROM "__drizzle_migrations" ORDER BY created_at DESC LIMIT 1');
  // IMMEDIATE: two bcon processes opening a new file at once migrate one after the other, not both
  return sqlite
    .transaction(() => {
      const last = latest.get() as { created_at: number } | undefined;
      const pending = journal.entries.filter((e) => !last || Number(last.created_at) < e.when);
      for (const entry of pending) {
        const sql = readFileSync(path.join(folder, `${entry.tag}.sql`), 'utf8');
        for (const statement of sql.split('--> statement-breakpoint')) if (statement.trim()) sqlite.exec(statement);
        record.run(createHash('sha256').update(sql).digest('hex'), entry.when);
      }
      return pending.length;
    })
    .immediate();
}
