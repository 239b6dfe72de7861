import { createHash } from 'node:crypto';
import type { Store } from './open.js';

/** One audit entry, in the architecture document's format. */
export interface AuditEntry {
  timestamp: string;
  actor: string;
  action: string;
  target: string;
  approval: 'autonomous' | 'notified' | 'explicit' | 'two-person' | 'none';
  result: string;
  context: Record<string, unknown>;
}

export interface AuditRow extends AuditEntry {
  seq: number;
  prevHash: string;
  hash: string;
}

const GENESIS = '0'.repeat(64);

/** Keys in a fixed order, so the hash of an entry does not depend on how its context object was built. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    // an undefined value is left out, as JSON (and so the stored entry) leaves it out
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function entryHash(seq: number, prevHash: string, e: AuditEntry): string {
  return createHash('sha256').update(canonical({ seq, prevHash, ...e })).digest('hex');
}

/** Append an entry, chained to the last one (in one IMMEDIATE transaction: two writers cannot fork the chain). */
export function appendAudit(store: Store, entry: AuditEntry): AuditRow {
  return store.sqlite.transaction(() => {
    const last = store.sqlite.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
    const seq = (last?.seq ?? 0) + 1;
    const prevHash = last?.hash ?? GENESIS;
    const hash = entryHash(seq, prevHash, entry);
    store.sqlite
      .prepare('INSERT INTO audit_log (seq, timestamp, actor, action, target, approval, result, context, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(seq, entry.timestamp, entry.actor, entry.action, entry.target, entry.approval, entry.result, JSON.stringify(entry.context), prevHash, hash);
    return { ...entry, seq, prevHash, hash };
  }).immediate();
}

function rows(store: Store, sinceIso?: string): AuditRow[] {
  const raw = store.sqlite.prepare('SELECT * FROM audit_log ORDER BY rowid').all() as Array<{
    seq: number;
    timestamp: string;
    actor: string;
    action: string;
    target: string;
    approval: AuditEntry['approval'];
    result: string;
    context: string;
    prev_hash: string;
    hash: string;
  }>;
  return raw
    .map((r) => {
      let context: Record<string, unknown>;
      try {
        context = JSON.parse(r.context) as Record<string, unknown>;
      } catch {
        context = { unreadable: r.context };
      }
      return { seq: r.seq, timestamp: r.timestamp, actor: r.actor, action: r.action, target: r.target, approval: r.approval, result: r.result, context, prevHash: r.prev_hash, hash: r.hash };
    })
    .filter((r) => !sinceIso || r.timestamp >= sinceIso);
}

/** The audit log in order (optionally from a time on). */
export function listAudit(store: Store, sinceIso?: string): AuditRow[] {
  return rows(store, sinceIso);
}

export interface AuditVerdict {
  ok: boolean;
  entries: number;
  /** the first entry that breaks the chain, and how */
  firstBad?: { seq: number; problem: string };
}

/**
 * Check the whole chain in storage order: each entry's hash recomputed (an edit), its seq one more than the one
 * before (a deletion or an insertion), its prev_hash the previous entry's hash (a deletion or a reorder).
 */
export function verifyAudit(store: Store): AuditVerdict {
  const all = rows(store);
  let prev = GENESIS;
  for (let i = 0; i < all.length; i++) {
    const r = all[i] as AuditRow;
    const expectedSeq = i + 1;
    const { seq, prevHash, hash, ...entry } = r;
    if (seq !== expectedSeq) return { ok: false, entries: all.length, firstBad: { seq, problem: `expected entry ${expectedSeq} here, found ${seq} (an entry was deleted, inserted or moved)` } };
    if (prevHash !== prev) return { ok: false, entries: all.length, firstBad: { seq, problem: 'it does not chain to the entry before it (an entry was deleted or reordered)' } };
    if (entryHash(seq, prevHash, entry) !== hash) return { ok: false, entries: all.length, firstBad: { seq, problem: 'its content does not match its hash (it was edited)' } };
    prev = hash;
  }
  return { ok: true, entries: all.length };
}
