import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from './audit-log.js';
import { readAnchor, writeAnchor } from './audit-anchor.js';
import { appendAudit, entryHash, listAudit, verifyAudit } from './audit-log.js';
import { openStore } from './open.js';

const dir = mkdtempSync(path.join(tmpdir(), 'bcon-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const entry = (i: number): AuditEntry => ({
  timestamp: `2026-01-01T10:0${i}:00Z`,
  actor: 'user/alice',
  action: 'container.restart',
  target: 'api',
  approval: 'explicit',
  result: 'success',
  context: { reason: `r${i}`, proposed_by: 'bcon' },
});

function filled(name: string, n = 4) {
  const file = path.join(dir, `${name}.db`);
  const s = openStore({ file });
  for (let i = 1; i <= n; i++) appendAudit(s, entry(i));
  s.close();
  return file;
}

function verifyFile(file: string) {
  const s = openStore({ file });
  try {
    return verifyAudit(s);
  } finally {
    s.close();
  }
}

function tamper(file: string, fn: (db: Database.Database) => void) {
  const db = new Database(file);
  try {
    fn(db);
  } finally {
    db.close();
  }
}

type Raw = { seq: number; timestamp: string; actor: string; action: string; target: string; approval: AuditEntry['approval']; result: string; context: string; prev_hash: string; hash: string };

/** What someone who can write the database but not read the anchor can do: recompute every sha256 hash. */
function rehash(db: Database.Database, edit: (r: Raw) => Raw = (r) => r) {
  const all = db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Raw[];
  let prev = '0'.repeat(64);
  const set = db.prepare('UPDATE audit_log SET context = ?, result = ?, prev_hash = ?, hash = ? WHERE seq = ?');
  for (const raw of all) {
    const r = edit(raw);
    const e: AuditEntry = { timestamp: r.timestamp, actor: r.actor, action: r.action, target: r.target, approval: r.approval, result: r.result, context: JSON.parse(r.context) as Record<string, unknown> };
    const hash = entryHash(r.seq, prev, e);
    set.run(r.context, r.result, prev, hash, r.seq);
    prev = hash;
  }
}

describe('the audit log in a real SQLite file', () => {
  it('verifies an intact chain, every entry covered by the anchor', () => {
    const file = filled('intact');
    expect(verifyFile(file)).toEqual({ ok: true, entries: 4, unanchored: 0, anchor: { file: `${file}.anchor`, since: 1 } });
  });

  it('keeps its MACs out of what it lists', () => {
    const s = openStore({ file: filled('list') });
    try {
      expect(listAudit(s).map((r) => r.context)).toEqual([1, 2, 3, 4].map((i) => ({ reason: `r${i}`, proposed_by: 'bcon' })));
      const raw = s.sqlite.prepare('SELECT context FROM audit_log WHERE seq = 1').get() as { context: string };
      expect(JSON.parse(raw.context)).toHaveProperty('$mac', expect.stringMatching(/^[0-9a-f]{64}$/));
    } finally {
      s.close();
    }
  });

  it('names the first edited, deleted or reordered entry', () => {
    const cases: Array<[string, (db: Database.Database) => void, number, RegExp]> = [
      ['edit', (db) => db.prepare("UPDATE audit_log SET result = 'failure' WHERE seq = 2").run(), 2, /edited/],
      ['edit-context', (db) => db.prepare(`UPDATE audit_log SET context = '{"reason":"nothing to see"}' WHERE seq = 3`).run(), 3, /edited/],
      ['delete', (db) => db.prepare('DELETE FROM audit_log WHERE seq = 2').run(), 3, /deleted/],
      ['delete-last-and-renumber', (db) => { db.prepare('DELETE FROM audit_log WHERE seq = 2').run(); db.prepare('UPDATE audit_log SET seq = seq - 1 WHERE seq > 2').run(); }, 2, /does not chain/],
      [
        'reorder',
        (db) => {
          // rows 2 and 3 swap places: each keeps its content and hashes, under the other's position
          const cols = 'timestamp, actor, action, target, approval, result, context, prev_hash, hash';
          const two = db.prepare(`SELECT ${cols} FROM audit_log WHERE seq = 2`).get() as Record<string, unknown>;
          const three = db.prepare(`SELECT ${cols} FROM audit_log WHERE seq = 3`).get() as Record<string, unknown>;
          const set = db.prepare('UPDATE audit_log SET timestamp=@timestamp, actor=@actor, action=@action, target=@target, approval=@approval, result=@result, context=@context, prev_hash=@prev_hash, hash=@hash WHERE seq = @seq');
          set.run({ ...three, seq: 2 });
          set.run({ ...two, seq: 3 });
        },
        2,
        /does not chain/,
      ],
      // edit one entry and recompute every sha256 hash after it: the HMAC (keyed with the anchor) gives it away
      ['rewrite', (db) => rehash(db, (r) => (r.seq === 2 ? { ...r, result: 'failure' } : r)), 2, /HMAC does not match/],
      // the same with the MACs stripped
      ['rewrite-without-macs', (db) => rehash(db, (r) => ({ ...r, context: JSON.stringify({ ...JSON.parse(r.context), $mac: undefined }) })), 1, /no HMAC/],
    ];
    for (const [name, fn, seq, problem] of cases) {
      const file = filled(name);
      tamper(file, fn);
      const v = verifyFile(file);
      expect(v.ok, name).toBe(false);
      expect(v.firstBad?.seq, name).toBe(seq);
      expect(v.firstBad?.problem, name).toMatch(problem);
    }
  });

  it('notices the newest entries deleted, all of them, or an older copy of the database put back', () => {
    const newest = filled('truncate');
    tamper(newest, (db) => db.prepare('DELETE FROM audit_log WHERE seq >= 3').run());
    expect(verifyFile(newest)).toMatchObject({ ok: false, entries: 2, missing: { count: 2, anchorHead: 4, lastSeq: 2 } });
    expect(verifyFile(newest).firstBad).toBeUndefined();

    const all = filled('truncate-all');
    tamper(all, (db) => db.prepare('DELETE FROM audit_log').run());
    expect(verifyFile(all)).toMatchObject({ ok: false, entries: 0, missing: { count: 4, anchorHead: 4, lastSeq: 0 } });

    const file = filled('old-copy', 2);
    copyFileSync(file, `${file}.bak`);
    const s = openStore({ file });
    appendAudit(s, entry(3));
    appendAudit(s, entry(4));
    s.close();
    copyFileSync(`${file}.bak`, file);
    for (const f of [`${file}-wal`, `${file}-shm`]) if (existsSync(f)) unlinkSync(f);
    expect(verifyFile(file)).toMatchObject({ ok: false, entries: 2, missing: { count: 2 } });
  });

  it('keeps the gap visible after more entries are appended to a truncated log', () => {
    const file = filled('truncate-then-append');
    tamper(file, (db) => db.prepare('DELETE FROM audit_log WHERE seq = 4').run());
    const s = openStore({ file });
    expect(appendAudit(s, entry(5)).seq).toBe(5);
    s.close();
    expect(verifyFile(file)).toMatchObject({ ok: false, firstBad: { seq: 5, problem: expect.stringMatching(/expected entry 4 here, found 5/) } });
  });

  it('says when the anchor is missing, edited, or older than the log', () => {
    const missing = filled('anchor-missing');
    unlinkSync(`${missing}.anchor`);
    const v = verifyFile(missing);
    expect(v.ok).toBe(false);
    expect(v.anchorProblem).toMatch(/anchor .*anchor-missing\.db\.anchor is missing, but entries from 1 on were written under one/);
    // appending does not make the loss go away: the new anchor records it
    const s = openStore({ file: missing });
    appendAudit(s, entry(5));
    s.close();
    expect(verifyFile(missing)).toMatchObject({ ok: false, anchorProblem: expect.stringMatching(/was missing when entry 5 was written/) });

    const edited = filled('anchor-edited');
    const a = JSON.parse(readFileSync(`${edited}.anchor`, 'utf8')) as { head: { seq: number } };
    a.head.seq = 2;
    writeFileSync(`${edited}.anchor`, JSON.stringify(a));
    expect(verifyFile(edited)).toMatchObject({ ok: false, anchorProblem: expect.stringMatching(/does not match its own HMAC: it was edited/) });

    const garbled = filled('anchor-garbled');
    writeFileSync(`${garbled}.anchor`, '{');
    expect(verifyFile(garbled)).toMatchObject({ ok: false, anchorProblem: expect.stringMatching(/not valid JSON/) });

    const older = filled('anchor-older', 2);
    copyFileSync(`${older}.anchor`, `${older}.anchor.bak`);
    const o = openStore({ file: older });
    appendAudit(o, entry(3));
    o.close();
    copyFileSync(`${older}.anchor.bak`, `${older}.anchor`);
    expect(verifyFile(older)).toMatchObject({ ok: false, anchorProblem: expect.stringMatching(/records entry 2 as the newest, but the log goes on to entry 3/) });
  });

  it('accepts an append interrupted between its commit and settling the anchor, and one that never committed', () => {
    const file = filled('pending', 3);
    const anchorFile = `${file}.anchor`;
    const read = () => {
      const r = readAnchor(anchorFile);
      if (r.state !== 'ok') throw new Error(r.state);
      return r.anchor;
    };
    const three = read();
    const s = openStore({ file });
    const four = appendAudit(s, entry(4));
    s.close();
    // committed, not settled: the head is still 3, entry 4 pending
    writeAnchor(anchorFile, { ...three, pending: { seq: 4, hash: four.hash } });
    expect(verifyFile(file)).toMatchObject({ ok: true, entries: 4 });
    // never committed: the log ends at the head, the pending entry is not there
    tamper(file, (db) => db.prepare('DELETE FROM audit_log WHERE seq = 4').run());
    expect(verifyFile(file)).toMatchObject({ ok: true, entries: 3 });
    // the next append settles it and numbers on from the head
    const t = openStore({ file });
    expect(appendAudit(t, entry(5)).seq).toBe(4);
    t.close();
    expect(verifyFile(file)).toMatchObject({ ok: true, entries: 4 });
    expect(read().pending).toBeUndefined();
    // without the pending mark, entry 4 gone is the newest entry missing
    tamper(file, (db) => db.prepare('DELETE FROM audit_log WHERE seq = 4').run());
    expect(verifyFile(file)).toMatchObject({ ok: false, missing: { count: 1 } });
  });

  it('hashes what is stored: a Date or undefined inside the context verifies after reading it back', () => {
    const store = openStore({ home: path.join(dir, 'undef') });
    try {
      appendAudit(store, { timestamp: '2026-01-01T00:00:00Z', actor: 'user/a', action: 'proposal.create', target: 'web', approval: 'none', result: 'ok', context: { host: undefined, proposal: 'p-1' } });
      appendAudit(store, { timestamp: '2026-01-01T00:00:01Z', actor: 'user/a', action: 'proposal.create', target: 'web', approval: 'none', result: 'ok', context: { at: new Date('2026-01-01T00:00:00Z'), list: [1, undefined, new Date(0)], nested: { x: undefined } } });
      expect(verifyAudit(store)).toMatchObject({ ok: true, entries: 2 });
      expect(listAudit(store)[1]?.context).toEqual({ at: '2026-01-01T00:00:00.000Z', list: [1, null, '1970-01-01T00:00:00.000Z'], nested: {} });
    } finally {
      store.close();
    }
  });
});

describe('a database written before the anchor existed', () => {
  /** The log as bcon wrote it before the anchor: a plain sha256 chain, no anchor file. */
  function legacy(name: string, n = 3) {
    const file = path.join(dir, `${name}.db`);
    openStore({ file }).close();
    tamper(file, (db) => {
      let prev = '0'.repeat(64);
      for (let i = 1; i <= n; i++) {
        const e = entry(i);
        const hash = entryHash(i, prev, e);
        db.prepare('INSERT INTO audit_log (seq, timestamp, actor, action, target, approval, result, context, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
          i, e.timestamp, e.actor, e.action, e.target, e.approval, e.result, JSON.stringify(e.context), prev, hash,
        );
        prev = hash;
      }
    });
    return file;
  }

  it('verifies by its sha256 chain, and the anchor covers what is appended after', () => {
    const file = legacy('legacy');
    expect(verifyFile(file)).toEqual({ ok: true, entries: 3, unanchored: 3 });
    expect(existsSync(`${file}.anchor`)).toBe(false);
    const s = openStore({ file });
    appendAudit(s, entry(4));
    s.close();
    expect(verifyFile(file)).toEqual({ ok: true, entries: 4, unanchored: 3, anchor: { file: `${file}.anchor`, since: 4 } });
    // an edit of an old entry is still found by the sha256 chain
    const edited = legacy('legacy-edit');
    tamper(edited, (db) => db.prepare("UPDATE audit_log SET result = 'failure' WHERE seq = 2").run());
    expect(verifyFile(edited)).toMatchObject({ ok: false, firstBad: { seq: 2, problem: expect.stringMatching(/edited/) } });
  });

  it('once anchored, its old entries can no longer be rewritten or cut off unnoticed', () => {
    const file = legacy('legacy-rewrite');
    const s = openStore({ file });
    appendAudit(s, entry(4));
    s.close();
    // rewrite entries 1-3 with recomputed hashes (entry 4's prev_hash left alone)
    tamper(file, (db) => {
      const keep = db.prepare('SELECT prev_hash FROM audit_log WHERE seq = 4').get() as { prev_hash: string };
      rehash(db, (r) => (r.seq === 2 ? { ...r, result: 'failure' } : r));
      db.prepare('UPDATE audit_log SET prev_hash = ? WHERE seq = 4').run(keep.prev_hash);
    });
    expect(verifyFile(file)).toMatchObject({ ok: false, firstBad: { seq: 4, problem: expect.stringMatching(/written before the anchor \(1 to 3\) were rewritten/) } });

    const cut = legacy('legacy-cut');
    const c = openStore({ file: cut });
    appendAudit(c, entry(4));
    c.close();
    tamper(cut, (db) => db.prepare('DELETE FROM audit_log WHERE seq >= 3').run());
    expect(verifyFile(cut)).toMatchObject({ ok: false, missing: { count: 2 } });
  });
});

describe('file modes', () => {
  it('the anchor, the database and its WAL files are 0600', () => {
    const home = path.join(dir, 'modes');
    const s = openStore({ home });
    appendAudit(s, entry(1));
    const mode = (f: string) => (statSync(path.join(home, f)).mode & 0o777).toString(8);
    expect(mode('bcon.db.anchor')).toBe('600');
    expect(mode('bcon.db')).toBe('600');
    expect(mode('bcon.db-wal')).toBe('600');
    expect(mode('bcon.db-shm')).toBe('600');
    expect(mode('.')).toBe('700');
    s.close();
  });
});
