import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bconHome, openStore } from './open.js';
import { SAMPLE_RETENTION_MS, latestSamples, recordSamples } from './samples.js';

const home = mkdtempSync(path.join(tmpdir(), 'bcon-store-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('the store, on a real SQLite file', () => {
  it('creates bcon.db in BCON_HOME, migrated, in WAL mode', () => {
    const store = openStore({ home });
    expect(store.file).toBe(path.join(home, 'bcon.db'));
    expect(statSync(store.file).isFile()).toBe(true);
    expect(store.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    store.close();
    // opening again runs no migration twice
    openStore({ home }).close();
  });

  it('keeps the newest sample per container and engine, and drops samples past retention', () => {
    const store = openStore({ home });
    const now = Date.now();
    const row = (containerId: string, at: number, totalUsage: number) => ({ containerId, at, totalUsage, systemUsage: at * 10, onlineCpus: 2 });
    recordSamples(store, 'unix:///a.sock', [row('c1', now - SAMPLE_RETENTION_MS - 1000, 1), row('c1', now - 5000, 2), row('c2', now - 4000, 3)], now);
    recordSamples(store, 'unix:///a.sock', [row('c1', now - 1000, 4)], now);
    recordSamples(store, 'unix:///b.sock', [row('c1', now, 99)], now);
    const latest = latestSamples(store, 'unix:///a.sock', ['c1', 'c2', 'c3']);
    expect(latest.get('c1')).toMatchObject({ totalUsage: 4, onlineCpus: 2 });
    expect(latest.get('c2')).toMatchObject({ totalUsage: 3 });
    expect(latest.has('c3')).toBe(false);
    const count = store.sqlite.prepare('select count(*) as n from metric_samples').get() as { n: number };
    expect(count.n).toBe(4);
    store.close();
  });

  it('names the file and what to do when it cannot open it', () => {
    const notADir = path.join(home, 'plain-file');
    writeFileSync(notADir, 'x');
    expect(() => openStore({ home: notADir })).toThrow(/cannot open the bcon database .*plain-file\/bcon\.db .*BCON_HOME/);
  });

  it('defaults to ~/.bcon', () => {
    expect(bconHome({ BCON_HOME: '/x' })).toBe('/x');
    expect(bconHome({})).toMatch(/\.bcon$/);
  });
});
