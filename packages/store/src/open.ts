import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { StoreError } from './errors.js';
import { applyMigrations } from './migrate.js';

export interface Store {
  readonly file: string;
  /** The better-sqlite3 handle (prepared statements; tables are declared in schema.ts for drizzle-kit). */
  readonly sqlite: Database.Database;
  close(): void;
}

/** BCON_HOME (default ~/.bcon): the only place bcon writes, apart from the executor. */
export function bconHome(env: NodeJS.ProcessEnv = process.env): string {
  return env['BCON_HOME'] && env['BCON_HOME'].trim() !== '' ? env['BCON_HOME'] : path.join(homedir(), '.bcon');
}

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'drizzle');

/** Open (creating and migrating when needed) the bcon database in WAL mode. */
export function openStore(options: { file?: string; home?: string } = {}): Store {
  const file = options.file ?? path.join(options.home ?? bconHome(), 'bcon.db');
  let sqlite: Database.Database | undefined;
  try {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    sqlite = new Database(file);
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('journal_mode = WAL');
  } catch (err) {
    sqlite?.close();
    throw new StoreError(
      `cannot open the bcon database ${file} (${(err as Error).message}): check that BCON_HOME points at a writable directory`,
      { cause: err },
    );
  }
  const db = sqlite;
  try {
    applyMigrations(db, migrationsFolder);
  } catch (err) {
    db.close();
    throw new StoreError(
      `cannot migrate the bcon database ${file} (${(err as Error).message}): it may come from a newer bcon; move it aside to start afresh`,
      { cause: err },
    );
  }
  return { file, sqlite: db, close: () => db.close() };
}
