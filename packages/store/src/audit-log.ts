import { createHash } from 'node:crypto';
import type { AuditAnchor } from './audit-anchor.js';
import { anchorPath, hmacHex, newAnchorKey, readAnchor, sameHex, setAsideAnchor, writeAnchor } from './audit-anchor.js';
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

/**
 * The context key that carries an entry's HMAC (keyed with the anchor's key). It lives inside the entry, so the
 * entry's sha256 hash covers it and a copy of the database without its anchor still verifies as a sha256 chain.
 */
const MAC_KEY = '$mac';

/** Keys in a fixed order, so the hash of an entry does not depend on how its context object was built. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * What is hashed is exactly what is stored and read back: the value goes through JSON first (a Date becomes its
 * ISO string, an undefined key disappears and an undefined array element becomes null, as in the stored text).
 */
function canonical(value: unknown): string {
  const stored: unknown = JSON.parse(JSON.stringify(value) ?? 'null');
  return canonicalJson(stored);
}

/** The entry as it will be stored and read back (context through JSON). */
function normalised(e: AuditEntry): AuditEntry {
  const context = JSON.parse(JSON.stringify(e.context ?? {})) as unknown;
  return { ...e, context: context && typeof context === 'object' && !Array.isArray(context) ? (context as Record<string, unknown>) : {} };
}

/** The sha256 chain hash: over the sequence number, the previous hash and the entry's content (its MAC included). */
export function entryHash(seq: number, prevHash: string, e: AuditEntry): string {
  return createHash('sha256').update(canonical({ seq, prevHash, ...e })).digest('hex');
}

/** The entry's HMAC with the anchor key: the same fields as the hash, without the MAC itself. */
function entryMac(key: Buffer, seq: number, prevHash: string, e: AuditEntry): string {
  const { [MAC_KEY]: _mac, ...context } = e.context;
  return hmacHex(key, canonical({ seq, prevHash, ...e, context }));
}

type RawRow = {
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
};

function rows(store: Store): AuditRow[] {
  const raw = store.sqlite.prepare('SELECT * FROM audit_log ORDER BY rowid').all() as RawRow[];
  return raw.map((r) => {
    let context: Record<string, unknown>;
    try {
      context = JSON.parse(r.context) as Record<string, unknown>;
    } catch {
      context = { unreadable: r.context };
    }
    return { seq: r.seq, timestamp: r.timestamp, actor: r.actor, action: r.action, target: r.target, approval: r.approval, result: r.result, context, prevHash: r.prev_hash, hash: r.hash };
  });
}

/** Does any entry carry a MAC, i.e. was the log covered by an anchor? */
function hasMacs(all: AuditRow[]): boolean {
  return all.some((r) => MAC_KEY in r.context);
}

/**
 * The anchor to append under (inside the append's IMMEDIATE transaction, so appenders take turns): the one on
 * disk with an interrupted append settled, or a new one. A new one over a log that has entries starts covering
 * after them; when those entries had been covered by an anchor (they carry MACs, or the file was damaged), the new
 * anchor records that, and `verifyAudit` keeps reporting it.
 */
function anchorForAppend(store: Store, file: string, last: { seq: number; hash: string } | undefined): AuditAnchor {
  const read = readAnchor(file);
  if (read.state === 'ok') {
    const a = read.anchor;
    if (!a.pending) return a;
    // an append that wrote its pending head and then stopped: did its transaction commit?
    const committed = last && last.seq === a.pending.seq && last.hash === a.pending.hash;
    const { pending, ...rest } = a;
    return committed ? { ...rest, head: pending } : rest;
  }
  const tail = last ?? { seq: 0, hash: GENESIS };
  const fresh: AuditAnchor = { key: newAnchorKey(), since: tail.seq + 1, head: { seq: tail.seq, hash: tail.hash } };
  if (read.state === 'bad') {
    setAsideAnchor(file);
    return last ? { ...fresh, restarted: { seq: tail.seq + 1, reason: 'damaged' } } : fresh;
  }
  if (!last || !hasMacs(rows(store))) return fresh;
  return { ...fresh, restarted: { seq: tail.seq + 1, reason: 'missing' } };
}

/**
 * Append an entry, chained to the last one (in one IMMEDIATE transaction: two writers cannot fork the chain), with
 * an HMAC under the anchor, whose head is moved on: first marked pending before the commit, then settled after it,
 * so an append interrupted at any point leaves an anchor that still matches the log.
 */
export function appendAudit(store: Store, entry: AuditEntry): AuditRow {
  const file = anchorPath(store.file);
  const e = normalised(entry);
  delete e.context[MAC_KEY];
  const row = store.sqlite
    .transaction(() => {
      const last = store.sqlite.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
      const anchor = file ? anchorForAppend(store, file, last) : undefined;
      // newest entries deleted from the database: number on from the anchor's head, so the gap stays visible
      const from = anchor && anchor.head.seq > (last?.seq ?? 0) ? anchor.head : (last ?? { seq: 0, hash: GENESIS });
      const seq = from.seq + 1;
      const prevHash = from.hash;
      const stored: AuditEntry = anchor ? { ...e, context: { ...e.context, [MAC_KEY]: entryMac(anchor.key, seq, prevHash, e) } } : e;
      const hash = entryHash(seq, prevHash, stored);
      store.sqlite
        .prepare('INSERT INTO audit_log (seq, timestamp, actor, action, target, approval, result, context, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(seq, stored.timestamp, stored.actor, stored.action, stored.target, stored.approval, stored.result, JSON.stringify(stored.context), prevHash, hash);
      if (file && anchor) writeAnchor(file, { ...anchor, pending: { seq, hash } });
      return { ...stored, seq, prevHash, hash };
    })
    .immediate();
  if (file) {
    // settle the head (a later append or verify also accepts the pending one: this only tidies)
    store.sqlite
      .transaction(() => {
        const now = readAnchor(file);
        if (now.state === 'ok' && now.anchor.pending?.seq === row.seq && now.anchor.pending.hash === row.hash) {
          const { pending, ...rest } = now.anchor;
          writeAnchor(file, { ...rest, head: pending });
        }
      })
      .immediate();
  }
  return { ...row, context: withoutMac(row.context) };
}

function withoutMac(context: Record<string, unknown>): Record<string, unknown> {
  if (!(MAC_KEY in context)) return context;
  const { [MAC_KEY]: _mac, ...rest } = context;
  return rest;
}

/** The audit log in order (optionally from a time on); contexts without bcon's MAC. */
export function listAudit(store: Store, sinceIso?: string): AuditRow[] {
  return rows(store)
    .filter((r) => !sinceIso || r.timestamp >= sinceIso)
    .map((r) => ({ ...r, context: withoutMac(r.context) }));
}

export interface AuditVerdict {
  ok: boolean;
  entries: number;
  /** the first entry that breaks the chain, and how */
  firstBad?: { seq: number; problem: string };
  /** the newest entries are gone: the anchor's head is entry `anchorHead`, the log ends at `lastSeq` */
  missing?: { count: number; anchorHead: number; lastSeq: number };
  /** what is wrong with the anchor itself (missing while entries need it, edited, re-created, older than the log) */
  anchorProblem?: string;
  /** the anchor file, and the first entry it covers (the ones before it carry only the sha256 chain) */
  anchor?: { file: string; since: number };
  /** entries written before the anchor existed: checked by their sha256 chain only */
  unanchored: number;
}

/**
 * Check the whole log in storage order: each entry's sha256 hash recomputed (an edit), its seq one more than the
 * one before (a deletion or an insertion), its prev_hash the previous entry's hash (a deletion or a reorder); from
 * the anchor's first entry on, its HMAC (a chain rewritten with recomputed hashes); and the log's end against the
 * anchor's head (the newest entries deleted, an older copy of the database put back). Inside an IMMEDIATE
 * transaction, so an append does not move the anchor while the log is read.
 */
export function verifyAudit(store: Store): AuditVerdict {
  const file = anchorPath(store.file);
  return store.sqlite.transaction(() => check(rows(store), file)).immediate();
}

function check(all: AuditRow[], file: string | undefined): AuditVerdict {
  const read = file ? readAnchor(file) : ({ state: 'absent' } as const);
  const anchor = read.state === 'ok' ? read.anchor : undefined;
  const verdict: AuditVerdict = { ok: true, entries: all.length, unanchored: 0 };
  const bad = (seq: number, problem: string) => {
    verdict.firstBad ??= { seq, problem };
  };

  if (read.state === 'bad') verdict.anchorProblem = `the audit anchor ${file} ${read.problem}; the entries can be checked by their sha256 chain only`;
  if (anchor) {
    verdict.anchor = { file: file as string, since: anchor.since };
    if (anchor.restarted) {
      verdict.anchorProblem =
        `the audit anchor ${file} was ${anchor.restarted.reason} when entry ${anchor.restarted.seq} was written and was made again: ` +
        `entries 1 to ${anchor.restarted.seq - 1} can be checked by their sha256 chain only (deleted, or BCON_HOME restored without it?)`;
    }
  }

  let prev = GENESIS;
  let macsWithoutAnchor: number | undefined;
  for (let i = 0; i < all.length; i++) {
    const r = all[i] as AuditRow;
    const expectedSeq = i + 1;
    const { seq, prevHash, hash, ...entry } = r;
    const keyed = anchor !== undefined && seq >= anchor.since;
    const mac = entry.context[MAC_KEY];
    if (!keyed) verdict.unanchored++;
    if (seq !== expectedSeq) bad(seq, `expected entry ${expectedSeq} here, found ${seq} (an entry was deleted, inserted or moved)`);
    else if (prevHash !== prev) {
      bad(
        seq,
        anchor && seq === anchor.since && seq > 1
          ? `it does not chain to entry ${seq - 1}: the entries written before the anchor (1 to ${seq - 1}) were rewritten, deleted or reordered`
          : 'it does not chain to the entry before it (an entry was deleted or reordered)',
      );
    } else if (entryHash(seq, prevHash, entry) !== hash) bad(seq, 'its content does not match its hash (it was edited)');
    else if (keyed && anchor) {
      if (typeof mac !== 'string') bad(seq, `it carries no HMAC although the anchor covers every entry from ${anchor.since} on: the chain was rewritten without the anchor's key`);
      else if (!sameHex(entryMac(anchor.key, seq, prevHash, entry), mac)) bad(seq, "its HMAC does not match: it was edited and the chain's hashes recomputed (without the anchor's key)");
    } else if (!anchor && typeof mac === 'string') macsWithoutAnchor ??= seq;
    prev = hash;
  }

  if (read.state === 'absent' && macsWithoutAnchor !== undefined) {
    verdict.anchorProblem = `the audit anchor ${file ?? '(none for an in-memory database)'} is missing, but entries from ${macsWithoutAnchor} on were written under one: it was deleted, or BCON_HOME was restored without it; their HMACs cannot be checked`;
  }

  if (anchor) {
    const last = all.length ? { seq: (all.at(-1) as AuditRow).seq, hash: (all.at(-1) as AuditRow).hash } : { seq: 0, hash: GENESIS };
    const matches = (h: { seq: number; hash: string } | undefined) => !!h && h.seq === last.seq && h.hash === last.hash;
    if (!matches(anchor.head) && !matches(anchor.pending)) {
      if (last.seq < anchor.head.seq) {
        verdict.missing = { count: anchor.head.seq - last.seq, anchorHead: anchor.head.seq, lastSeq: last.seq };
      } else if (last.seq === anchor.head.seq || last.seq === anchor.pending?.seq) {
        bad(last.seq, `it is not the entry the anchor recorded as the newest: the log was rewritten${last.seq < anchor.since ? ` (entries 1 to ${last.seq} predate the anchor, so the first rewritten one cannot be named)` : ''}`);
      } else {
        verdict.anchorProblem ??= `the audit anchor ${file} records entry ${anchor.head.seq} as the newest, but the log goes on to entry ${last.seq}: the anchor was replaced by an older copy`;
      }
    }
  }
  verdict.ok = !verdict.firstBad && !verdict.missing && !verdict.anchorProblem;
  return verdict;
}
