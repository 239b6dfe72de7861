import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { installationKey, openStore } from './open.js';

const dir = mkdtempSync(path.join(tmpdir(), 'bcon-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const mode = (f: string) => (statSync(f).mode & 0o777).toString(8);

describe('BCON_HOME and its files are the owner’s only', () => {
  it('creates BCON_HOME 0700 and bcon.db, -wal, -shm 0600', () => {
    const home = path.join(dir, 'new', 'home');
    const s = openStore({ home });
    s.sqlite.prepare('CREATE TABLE IF NOT EXISTS t (x)').run();
    expect(mode(home)).toBe('700');
    for (const f of ['bcon.db', 'bcon.db-wal', 'bcon.db-shm']) expect(mode(path.join(home, f)), f).toBe('600');
    s.close();
  });

  it('tightens an existing BCON_HOME and database that others could read, when they are bcon’s', () => {
    const home = path.join(dir, 'loose');
    openStore({ home }).close();
    chmodSync(home, 0o755);
    chmodSync(path.join(home, 'bcon.db'), 0o644);
    const s = openStore({ home });
    expect(mode(home)).toBe('700');
    expect(mode(path.join(home, 'bcon.db'))).toBe('600');
    s.close();
  });

  it('warns about, and leaves alone, a loose directory that holds other things too', () => {
    const home = path.join(dir, 'shared');
    mkdirSync(home, { mode: 0o755 });
    chmodSync(home, 0o755);
    writeFileSync(path.join(home, 'notes.txt'), 'not bcon’s');
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      openStore({ home }).close();
      openStore({ home }).close();
      expect(mode(home)).toBe('755');
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]?.[0])).toMatch(/BCON_HOME .*shared can be read by other users \(mode 755\).*chmod 700/);
    } finally {
      warn.mockRestore();
    }
    expect(mode(path.join(home, 'bcon.db'))).toBe('600');
  });
});

describe('installationKey', () => {
  it('makes a random 32-byte key once, in a 0600 file, and returns the same one after', () => {
    const home = path.join(dir, 'keys');
    const a = installationKey('drift', { home });
    expect(a).toHaveLength(32);
    expect(installationKey('drift', { home }).equals(a)).toBe(true);
    expect(mode(path.join(home, 'drift.key'))).toBe('600');
    expect(readFileSync(path.join(home, 'drift.key'), 'utf8').trim()).toBe(a.toString('hex'));
    expect(installationKey('drift', { home: path.join(dir, 'other-keys') }).equals(a)).toBe(false);
  });
});
