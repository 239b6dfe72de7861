import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
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

/** What bcon itself keeps in BCON_HOME: a directory holding only these is bcon's own, and bcon may tighten it. */
const BCON_ENTRY = /^(?:bcon\.db(?:-wal|-shm|-journal|\.anchor(?:\.damaged-\d+)?)?|[\w-]+\.key|config\.yaml|ssh|\.[\w.-]+\.tmp-[\w-]+)$/;

const mine = (uid: number) => typeof process.getuid === 'function' && uid === process.getuid();
const warned = new Set<string>();

/**
 * BCON_HOME holds the database, the audit anchor and keys: only its owner may read it. Created 0700; an existing
 * one that others can read is tightened when it is bcon's own (the default ~/.bcon, or holding only what bcon puts
 * there) and owned by this user, else bcon warns (once per process) and leaves it: it may be a directory others use.
 */
function secureHome(dir: string, isDefault: boolean): void {
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700); // the umask may have taken bits away, never added: this is a no-op kept for clarity
    return;
  }
  let st;
  try {
    st = statSync(dir);
  } catch {
    return; // opening the database reports what is wrong
  }
  if (!st.isDirectory() || (st.mode & 0o077) === 0) return;
  let ownDir = isDefault;
  if (!ownDir) {
    try {
      ownDir = readdirSync(dir).every((n) => BCON_ENTRY.test(n));
    } catch {
      ownDir = false;
    }
  }
  if (mine(st.uid) && ownDir) {
    try {
      chmodSync(dir, 0o700);
      return;
    } catch {
      // warn below
    }
  }
  if (warned.has(dir)) return;
  warned.add(dir);
  process.emitWarning(
    `BCON_HOME ${dir} can be read by other users (mode ${(st.mode & 0o777).toString(8)}); it holds bcon's database, audit anchor and keys: chmod 700 it`,
    { code: 'BCON_HOME_MODE' },
  );
}

/** Owner-only, when this user owns the file (another owner's file is left as it is). */
function tighten(file: string): void {
  try {
    const st = statSync(file);
    if ((st.mode & 0o077) !== 0 && mine(st.uid)) chmodSync(file, 0o600);
  } catch {
    // absent: nothing to tighten
  }
}

/**
 * Write a file only its owner can read, atomically: a temporary file (0600) beside it, flushed, then renamed over
 * it, so a reader sees the old content or the new one, never a part.
 */
export function writePrivateFile(file: string, data: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    chmodSync(tmp, 0o600);
    renameSync(tmp, file);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
    throw err;
  }
}

/**
 * A per-installation random key (32 bytes) kept in BCON_HOME/<name>.key (0600), created on first use. Two processes
 * creating it at once agree on one: the new key is linked into place only if no file is there yet.
 */
export function installationKey(name: string, options: { home?: string } = {}): Buffer {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new StoreError(`bad key name ${JSON.stringify(name)}`);
  const home = options.home ?? bconHome();
  secureHome(home, options.home === undefined && home === path.join(homedir(), '.bcon'));
  const file = path.join(home, `${name}.key`);
  const read = (): Buffer | undefined => {
    try {
      const text = readFileSync(file, 'utf8').trim();
      if (!/^[0-9a-f]{64}$/.test(text)) throw new StoreError(`the key file ${file} is damaged (expected 64 hex digits): move it aside and bcon makes a new one`);
      tighten(file);
      return Buffer.from(text, 'hex');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  };
  const existing = read();
  if (existing) return existing;
  const tmp = path.join(home, `.${name}.key.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, `${randomBytes(32).toString('hex')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(tmp);
  }
  const key = read();
  if (!key) throw new StoreError(`could not create the key file ${file}`);
  return key;
}

/**
 * Open (creating and migrating when needed) the bcon database in WAL mode. BCON_HOME is created 0700 and the
 * database files (bcon.db, -wal, -shm: SQLite gives the last two the database file's mode) are 0600.
 */
export function openStore(options: { file?: string; home?: string } = {}): Store {
  const file = options.file ?? path.join(options.home ?? bconHome(), 'bcon.db');
  let sqlite: Database.Database | undefined;
  try {
    if (file !== ':memory:') {
      if (options.file === undefined) {
        const home = path.dirname(file);
        secureHome(home, options.home === undefined && home === path.join(homedir(), '.bcon'));
      } else if (!existsSync(path.dirname(file))) mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      // created 0600 here rather than by SQLite with the umask's 0644
      if (!existsSync(file)) {
        try {
          closeSync(openSync(file, 'wx', 0o600));
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        }
      }
      for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) tighten(f);
    }
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
