import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { appendAudit, verifyAudit } from './audit-log.js';
import { openStore } from './open.js';

const dir = mkdtempSync(path.join(tmpdir(), 'bcon-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function filled(name: string) {
  const file = path.join(dir, `${name}.db`);
  const s = openStore({ file });
  for (let i = 1; i <= 4; i++) {
    appendAudit(s, { timestamp: `2026-01-01T10:0${i}:00Z`, actor: 'user/alice', action: 'container.restart', target: 'api', approval: 'explicit', result: 'success', context: { reason: `r${i}`, proposed_by: 'bcon' } });
  }
  s.close();
  return file;
}

describe('the audit log in a real SQLite file', () => {
  it('verifies an intact chain', () => {
    const s = openStore({ file: filled('intact') });
    expect(verifyAudit(s)).toEqual({ ok: true, entries: 4 });
    s.close();
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
    ];
    for (const [name, tamper, seq, problem] of cases) {
      const file = filled(name);
      const db = new Database(file);
      tamper(db);
      db.close();
      const s = openStore({ file });
      const v = verifyAudit(s);
      expect(v.ok, name).toBe(false);
      expect(v.firstBad?.seq, name).toBe(seq);
      expect(v.firstBad?.problem, name).toMatch(problem);
      s.close();
    }
  });
});

describe('audit entries with an undefined context value', () => {
  it('hash as they are stored (the undefined key left out), so the chain verifies', () => {
    const store = openStore({ home: path.join(dir, 'undef') });
    try {
      appendAudit(store, { timestamp: '2026-01-01T00:00:00Z', actor: 'user/a', action: 'proposal.create', target: 'web', approval: 'none', result: 'ok', context: { host: undefined, proposal: 'p-1' } });
      expect(verifyAudit(store).ok).toBe(true);
    } finally {
      store.close();
    }
  });
});
