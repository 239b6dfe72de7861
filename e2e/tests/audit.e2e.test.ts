// The audit log's anchor, through the built CLI and a real SQLite file: `bcon audit --verify` exits 0 on an intact
// log and 1 (naming the first bad entry, or how many of the newest are missing) when the database is tampered with
// the way someone who can write bcon.db but not read the anchor would: an edit, a reorder, the newest entries or all
// of them deleted, the chain rewritten with recomputed sha256 hashes, an older copy of the database put back; and
// when the anchor itself is missing or edited. A log written before the anchor existed still verifies. BCON_HOME
// is 0700, the database and the anchor 0600.
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '@bcon/store';
import { entryHash, openStore, saveProposal } from '@bcon/store';
import { runBcon } from '../harness/bcon.js';

const root = mkdtempSync(path.join(tmpdir(), 'bcon-audit-e2e-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const mode = (f: string) => (statSync(f).mode & 0o777).toString(8);
let n = 0;

/** `bcon reject` of a stored proposal: one audit entry, no engine needed. */
async function rejectOne(home: string): Promise<void> {
  const id = `p-audit${++n}`;
  const store = openStore({ home });
  saveProposal(store, { id, createdAt: Date.now(), expiresAt: Date.now() + 3600_000, target: 'api', status: 'pending', body: { id, target: 'api', options: [] } });
  store.close();
  const r = await runBcon(['reject', id, '--reason', `e2e ${n}`], { BCON_HOME: home, BCON_ACTOR: 'user/e2e' });
  expect(r.code, r.stderr).toBe(0);
}

const verify = (home: string) => runBcon(['audit', '--verify'], { BCON_HOME: home });

/** A copy of a BCON_HOME (the database through SQLite's backup, the anchor as a file), to tamper with. */
async function copyHome(from: string, label: string, withAnchor = true): Promise<string> {
  const to = path.join(mkdtempSync(path.join(root, `${label}-`)), 'home');
  mkdirSync(to, { mode: 0o700 });
  const src = new Database(path.join(from, 'bcon.db'));
  await src.backup(path.join(to, 'bcon.db'));
  src.close();
  if (withAnchor) copyFileSync(path.join(from, 'bcon.db.anchor'), path.join(to, 'bcon.db.anchor'));
  return to;
}

function sql(home: string, fn: (db: Database.Database) => void): void {
  const db = new Database(path.join(home, 'bcon.db'));
  try {
    fn(db);
  } finally {
    db.close();
  }
}

type Raw = { seq: number; timestamp: string; actor: string; action: string; target: string; approval: AuditEntry['approval']; result: string; context: string };

/** Edit an entry and recompute every sha256 hash from it on: all a database-only attacker can do. */
function rewriteChain(db: Database.Database, edit: (r: Raw) => Raw): void {
  const all = db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Raw[];
  let prev = '0'.repeat(64);
  for (const raw of all) {
    const r = edit(raw);
    const e: AuditEntry = { timestamp: r.timestamp, actor: r.actor, action: r.action, target: r.target, approval: r.approval, result: r.result, context: JSON.parse(r.context) as Record<string, unknown> };
    const hash = entryHash(r.seq, prev, e);
    db.prepare('UPDATE audit_log SET result = ?, context = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(r.result, r.context, prev, hash, r.seq);
    prev = hash;
  }
}

describe('bcon audit --verify with the anchor', () => {
  let home: string;
  beforeAll(async () => {
    home = path.join(root, 'main', 'home');
    for (let i = 0; i < 6; i++) await rejectOne(home);
  }, 120_000);

  it('is intact, says what the anchor covers; BCON_HOME is 0700, the database and anchor 0600', async () => {
    const r = await verify(home);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^audit log intact: 6 entries\n {2}every entry is covered by the anchor .*bcon\.db\.anchor/);
    const json = await runBcon(['audit', '--verify', '--json'], { BCON_HOME: home });
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, entries: 6, unanchored: 0, anchor: { since: 1 } });
    expect(mode(home)).toBe('700');
    for (const f of ['bcon.db', 'bcon.db.anchor']) expect(mode(path.join(home, f)), f).toBe('600');
    for (const f of ['bcon.db-wal', 'bcon.db-shm']) if (existsSync(path.join(home, f))) expect(mode(path.join(home, f)), f).toBe('600');
    // the listing does not show the entries' HMACs
    const list = JSON.parse((await runBcon(['audit', '--json'], { BCON_HOME: home })).stdout) as { audit_log: Array<{ context: Record<string, unknown> }> };
    expect(list.audit_log).toHaveLength(6);
    expect(list.audit_log[0]?.context).not.toHaveProperty('$mac');
  });

  const cases: Array<[string, (db: Database.Database) => void, RegExp]> = [
    ['newest-deleted', (db) => db.prepare('DELETE FROM audit_log WHERE seq >= 5').run(), /^audit log TAMPERED: the newest 2 entries are missing \(the anchor records entry 6 as the newest; the log ends at entry 4\)/m],
    ['all-deleted', (db) => db.prepare('DELETE FROM audit_log').run(), /^audit log TAMPERED: the newest 6 entries are missing .*the log ends at nothing/m],
    ['rewritten', (db) => rewriteChain(db, (r) => (r.seq === 3 ? { ...r, result: 'approved' } : r)), /^audit log TAMPERED at entry 3: its HMAC does not match/m],
    ['rewritten-without-macs', (db) => rewriteChain(db, (r) => ({ ...r, context: JSON.stringify({ ...(JSON.parse(r.context) as object), $mac: undefined }) })), /^audit log TAMPERED at entry 1: it carries no HMAC/m],
    ['edited', (db) => db.prepare("UPDATE audit_log SET result = 'approved' WHERE seq = 2").run(), /^audit log TAMPERED at entry 2: its content does not match its hash \(it was edited\)/m],
    ['reordered', (db) => db.exec('UPDATE audit_log SET seq = -2 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 4; UPDATE audit_log SET seq = 4 WHERE seq = -2'), /^audit log TAMPERED at entry 2/m],
  ];
  for (const [label, tamper, message] of cases) {
    it(`exits 1: ${label}`, async () => {
      const copy = await copyHome(home, label);
      expect((await verify(copy)).code).toBe(0);
      sql(copy, tamper);
      const r = await verify(copy);
      expect(r.code, r.stdout).toBe(1);
      expect(r.stdout).toMatch(message);
    });
  }

  it('exits 1 when the anchor is missing or edited', async () => {
    const missing = await copyHome(home, 'anchor-missing', false);
    let r = await verify(missing);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^audit log TAMPERED: the audit anchor .*bcon\.db\.anchor is missing, but entries from 1 on were written under one/m);

    const edited = await copyHome(home, 'anchor-edited');
    const file = path.join(edited, 'bcon.db.anchor');
    const a = JSON.parse(readFileSync(file, 'utf8')) as { head: { seq: number } };
    a.head.seq = 4;
    writeFileSync(file, JSON.stringify(a));
    r = await verify(edited);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^audit log TAMPERED: the audit anchor .* does not match its own HMAC: it was edited/m);
  });

  it('exits 1 when an older copy of the database is put back', async () => {
    const live = await copyHome(home, 'old-copy');
    const old = await copyHome(live, 'old-copy-saved');
    await rejectOne(live);
    await rejectOne(live);
    expect((await verify(live)).code).toBe(0);
    copyFileSync(path.join(old, 'bcon.db'), path.join(live, 'bcon.db'));
    for (const f of ['bcon.db-wal', 'bcon.db-shm']) rmSync(path.join(live, f), { force: true });
    const r = await verify(live);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/the newest 2 entries are missing \(the anchor records entry 8 as the newest; the log ends at entry 6\)/);
  }, 60_000);
});

describe('a database written before the anchor existed', () => {
  it('verifies by its sha256 chain and says so; the anchor covers the entries appended after', async () => {
    const home = path.join(mkdtempSync(path.join(root, 'legacy-')), 'home');
    openStore({ home }).close();
    // what bcon wrote before the anchor: a plain sha256 chain, no anchor file
    sql(home, (db) => {
      let prev = '0'.repeat(64);
      for (let seq = 1; seq <= 3; seq++) {
        const e: AuditEntry = { timestamp: `2026-01-01T10:0${seq}:00Z`, actor: 'user/old', action: 'proposal.reject', target: 'api', approval: 'explicit', result: 'rejected', context: { proposal: `p-old${seq}`, proposed_by: 'bcon' } };
        const hash = entryHash(seq, prev, e);
        db.prepare('INSERT INTO audit_log (seq, timestamp, actor, action, target, approval, result, context, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
          seq, e.timestamp, e.actor, e.action, e.target, e.approval, e.result, JSON.stringify(e.context), prev, hash,
        );
        prev = hash;
      }
    });
    let r = await verify(home);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^audit log intact: 3 entries\n {2}no anchor yet: these 3 entries were written before the anchor existed and are checked by their sha256 chain only/);
    await rejectOne(home);
    r = await verify(home);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^audit log intact: 4 entries\n {2}entries 1 to 3 were written before the anchor existed and are checked by their sha256 chain only; entries from 4 on are covered by the anchor/);
    // the old entries are now pinned too: cutting them off is noticed
    sql(home, (db) => db.prepare('DELETE FROM audit_log WHERE seq >= 3').run());
    r = await verify(home);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/the newest 2 entries are missing/);
  }, 60_000);

  it('tightens an existing BCON_HOME that others could read', async () => {
    const home = path.join(mkdtempSync(path.join(root, 'loose-')), 'home');
    await rejectOne(home);
    chmodSync(home, 0o755);
    chmodSync(path.join(home, 'bcon.db'), 0o644);
    const r = await verify(home);
    expect(r.code).toBe(0);
    expect(mode(home)).toBe('700');
    expect(mode(path.join(home, 'bcon.db'))).toBe('600');
  });
});
