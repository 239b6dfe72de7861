import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations } from './migrate.js';

const folder = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'drizzle');
const dir = mkdtempSync(path.join(tmpdir(), 'bcon-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// the tables (DDL text) bcon's migrations create, and the ledger's columns (its DDL is formatted differently)
const schemaOf = (db: Database.Database) => [
  db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name != '__drizzle_migrations' ORDER BY name").all(),
  db.prepare('PRAGMA table_info(__drizzle_migrations)').all(),
];

describe('applyMigrations', () => {
  it('builds the same database as drizzle-orm’s own migrator, with the same ledger', () => {
    const ours = new Database(path.join(dir, 'ours.db'));
    const theirs = new Database(path.join(dir, 'theirs.db'));
    const count = (JSON.parse(readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] }).entries.length;
    expect(count).toBeGreaterThanOrEqual(3);
    expect(applyMigrations(ours, folder)).toBe(count);
    migrate(drizzle(theirs), { migrationsFolder: folder });
    expect(schemaOf(ours)).toEqual(schemaOf(theirs));
    const ledger = (db: Database.Database) => db.prepare('SELECT hash, created_at FROM __drizzle_migrations ORDER BY created_at').all();
    expect(ledger(ours)).toEqual(ledger(theirs));
    expect(applyMigrations(ours, folder)).toBe(0);
    // and drizzle's migrator accepts a file migrated by ours
    migrate(drizzle(ours), { migrationsFolder: folder });
    expect(ledger(ours)).toHaveLength(count);
    ours.close();
    theirs.close();
  });

  it('declares in drizzle/ every table schema.ts has', async () => {
    const schema = await import('./schema.js');
    const db = new Database(':memory:');
    applyMigrations(db, folder);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
    const { getTableConfig } = await import('drizzle-orm/sqlite-core');
    for (const table of [schema.metricSamples, schema.driftReports]) {
      const config = getTableConfig(table);
      expect(tables).toContain(config.name);
      const columns = (db.prepare(`PRAGMA table_info(${config.name})`).all() as Array<{ name: string }>).map((c) => c.name).sort();
      expect(columns).toEqual(config.columns.map((c) => c.name).sort());
    }
    db.close();
  });
});
