import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, renameSync } from 'node:fs';
import { writePrivateFile } from './open.js';

/**
 * The audit log's anchor: a file kept OUTSIDE the database, beside it (`bcon.db.anchor`, 0600), holding a random
 * key and the newest entry the log had (its seq and hash), with an HMAC over them. Entries written under the anchor
 * carry an HMAC with that key, so someone who can only write the database can neither rewrite the chain (the
 * recomputed sha256 hashes have no valid HMACs) nor cut off its newest entries or put an older copy back (the
 * anchor's head says how far the log went). It does not help against someone who can read this file.
 */

export interface AnchorHead {
  seq: number;
  hash: string;
}

export interface AuditAnchor {
  key: Buffer;
  /** the first entry the anchor covers; the ones before it were written before it existed (sha256 chain only) */
  since: number;
  /** the newest entry of the log as of the last append (seq 0 and the genesis hash for an empty log) */
  head: AnchorHead;
  /** an entry being appended (written before its transaction commits): the log may end at it or at `head` */
  pending?: AnchorHead;
  /** the anchor was made again when the log already had entries it had covered: its file was missing or damaged */
  restarted?: { seq: number; reason: 'missing' | 'damaged' };
}

export type AnchorRead = { state: 'absent' } | { state: 'bad'; problem: string } | { state: 'ok'; anchor: AuditAnchor };

/** Where a database's anchor lives (none for an in-memory database). */
export function anchorPath(dbFile: string): string | undefined {
  return dbFile === ':memory:' || dbFile === '' ? undefined : `${dbFile}.anchor`;
}

export function newAnchorKey(): Buffer {
  return randomBytes(32);
}

export function hmacHex(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text).digest('hex');
}

export function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The MAC'd part of the anchor, in a fixed order. */
function anchorText(a: AuditAnchor): string {
  return JSON.stringify(['bcon-audit-anchor', 1, a.since, a.head.seq, a.head.hash, a.pending?.seq ?? null, a.pending?.hash ?? null, a.restarted?.seq ?? null, a.restarted?.reason ?? null]);
}

interface AnchorFile {
  version: 1;
  key: string;
  since: number;
  head: AnchorHead;
  pending?: AnchorHead;
  restarted?: { seq: number; reason: 'missing' | 'damaged' };
  mac: string;
}

const isHead = (h: unknown): h is AnchorHead =>
  !!h && typeof h === 'object' && Number.isInteger((h as AnchorHead).seq) && (h as AnchorHead).seq >= 0 && typeof (h as AnchorHead).hash === 'string';

export function readAnchor(file: string): AnchorRead {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'absent' };
    return { state: 'bad', problem: `cannot be read (${(err as Error).message})` };
  }
  let raw: AnchorFile;
  try {
    raw = JSON.parse(text) as AnchorFile;
  } catch {
    return { state: 'bad', problem: 'is not valid JSON: it was edited or damaged' };
  }
  if (
    !raw ||
    raw.version !== 1 ||
    typeof raw.key !== 'string' ||
    !/^[0-9a-f]{64}$/.test(raw.key) ||
    !Number.isInteger(raw.since) ||
    raw.since < 1 ||
    !isHead(raw.head) ||
    (raw.pending !== undefined && !isHead(raw.pending)) ||
    (raw.restarted !== undefined && !(Number.isInteger(raw.restarted.seq) && (raw.restarted.reason === 'missing' || raw.restarted.reason === 'damaged'))) ||
    typeof raw.mac !== 'string'
  ) {
    return { state: 'bad', problem: 'does not have the expected fields: it was edited or damaged' };
  }
  const anchor: AuditAnchor = {
    key: Buffer.from(raw.key, 'hex'),
    since: raw.since,
    head: { seq: raw.head.seq, hash: raw.head.hash },
    ...(raw.pending ? { pending: { seq: raw.pending.seq, hash: raw.pending.hash } } : {}),
    ...(raw.restarted ? { restarted: { seq: raw.restarted.seq, reason: raw.restarted.reason } } : {}),
  };
  if (!sameHex(hmacHex(anchor.key, anchorText(anchor)), raw.mac)) return { state: 'bad', problem: 'does not match its own HMAC: it was edited' };
  return { state: 'ok', anchor };
}

/** Replace the anchor atomically (a temporary 0600 file renamed over it). */
export function writeAnchor(file: string, a: AuditAnchor): void {
  const body: AnchorFile = {
    version: 1,
    key: a.key.toString('hex'),
    since: a.since,
    head: a.head,
    ...(a.pending ? { pending: a.pending } : {}),
    ...(a.restarted ? { restarted: a.restarted } : {}),
    mac: hmacHex(a.key, anchorText(a)),
  };
  writePrivateFile(file, `${JSON.stringify(body, null, 2)}\n`);
}

/** Keep a damaged anchor for inspection (its key may still be there) before a new one takes its place. */
export function setAsideAnchor(file: string): string | undefined {
  const to = `${file}.damaged-${Date.now()}`;
  try {
    renameSync(file, to);
    return to;
  } catch {
    return undefined;
  }
}
