import type { Store } from './open.js';

export interface StoredProposal {
  id: string;
  createdAt: number;
  expiresAt: number;
  target: string;
  status: 'pending' | 'approved' | 'rejected' | 'expired';
  body: unknown;
}

export function saveProposal(store: Store, p: StoredProposal): void {
  store.sqlite.prepare('INSERT INTO proposals (id, created_at, expires_at, target, status, body) VALUES (?, ?, ?, ?, ?, ?)').run(p.id, p.createdAt, p.expiresAt, p.target, p.status, JSON.stringify(p.body));
}

const fromRow = (r: { id: string; created_at: number; expires_at: number; target: string; status: StoredProposal['status']; body: string }): StoredProposal => ({
  id: r.id,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  target: r.target,
  status: r.status,
  body: JSON.parse(r.body) as unknown,
});

export function getProposal(store: Store, id: string): StoredProposal | undefined {
  const r = store.sqlite.prepare('SELECT * FROM proposals WHERE id = ?').get(id) as Parameters<typeof fromRow>[0] | undefined;
  return r ? fromRow(r) : undefined;
}

export function listProposals(store: Store, status?: StoredProposal['status']): StoredProposal[] {
  const all = store.sqlite.prepare('SELECT * FROM proposals ORDER BY created_at DESC').all() as Array<Parameters<typeof fromRow>[0]>;
  return all.map(fromRow).filter((p) => !status || p.status === status);
}

/** Move a pending proposal on; false when it was not pending any more (someone else decided first). */
export function setProposalStatus(store: Store, id: string, status: StoredProposal['status']): boolean {
  return store.sqlite.prepare("UPDATE proposals SET status = ? WHERE id = ? AND status = 'pending'").run(status, id).changes === 1;
}

export interface ExecutionOwner {
  host: string;
  pid: number;
  /** ms since epoch when the owning process started the execution */
  startedAt: number;
}

export interface ExecutionRow {
  id: number;
  proposalId: string;
  action: string;
  target: string;
  startedAt: number;
  finishedAt: number | null;
  status: 'started' | 'succeeded' | 'failed' | 'rolled_back' | 'interrupted' | 'undone' | 'finished';
  detail: string | null;
  owner: ExecutionOwner | null;
  host: string | null;
  /** the typed action as stored (JSON), to finish or undo an interrupted run */
  actionJson: string | null;
}

type ExecutionDbRow = {
  id: number;
  proposal_id: string;
  action: string;
  target: string;
  started_at: number;
  finished_at: number | null;
  status: ExecutionRow['status'];
  detail: string | null;
  owner: string | null;
  host: string | null;
  action_json: string | null;
};

const executionOf = (r: ExecutionDbRow): ExecutionRow => {
  let owner: ExecutionOwner | null;
  try {
    owner = r.owner ? (JSON.parse(r.owner) as ExecutionOwner) : null;
  } catch {
    owner = null;
  }
  return { id: r.id, proposalId: r.proposal_id, action: r.action, target: r.target, startedAt: r.started_at, finishedAt: r.finished_at, status: r.status, detail: r.detail, owner, host: r.host, actionJson: r.action_json };
};

/** Journal an execution before it starts, with its owner; returns its id. */
export function journalStart(store: Store, e: { proposalId: string; action: string; target: string; startedAt: number; owner?: ExecutionOwner; host?: string; actionJson?: string }): number {
  return Number(
    store.sqlite
      .prepare("INSERT INTO executions (proposal_id, action, target, started_at, status, owner, host, action_json) VALUES (?, ?, ?, ?, 'started', ?, ?, ?)")
      .run(e.proposalId, e.action, e.target, e.startedAt, e.owner ? JSON.stringify(e.owner) : null, e.host ?? null, e.actionJson ?? null).lastInsertRowid,
  );
}

/** Close a journal entry; only one that is still `started` (false when another run closed it first). */
export function journalFinish(store: Store, id: number, status: Exclude<ExecutionRow['status'], 'started'>, detail: string, finishedAt = Date.now()): boolean {
  return store.sqlite.prepare("UPDATE executions SET status = ?, detail = ?, finished_at = ? WHERE id = ? AND status IN ('started', 'interrupted')").run(status, detail, finishedAt, id).changes === 1;
}

/** Executions that started and never finished (running now, or a crash mid-action), and those found interrupted. */
export function unfinishedExecutions(store: Store): ExecutionRow[] {
  return (store.sqlite.prepare("SELECT * FROM executions WHERE status IN ('started', 'interrupted') ORDER BY id").all() as ExecutionDbRow[]).map(executionOf);
}

export function getExecution(store: Store, id: number): ExecutionRow | undefined {
  const r = store.sqlite.prepare('SELECT * FROM executions WHERE id = ?').get(id) as ExecutionDbRow | undefined;
  return r ? executionOf(r) : undefined;
}

export function listExecutions(store: Store, limit = 50): ExecutionRow[] {
  return (store.sqlite.prepare('SELECT * FROM executions ORDER BY id DESC LIMIT ?').all(limit) as ExecutionDbRow[]).map(executionOf);
}

/** Mark a `started` row whose owner is gone as interrupted (once: false when it was not `started` any more). */
export function journalMarkInterrupted(store: Store, id: number, detail: string): boolean {
  return store.sqlite.prepare("UPDATE executions SET status = 'interrupted', detail = ? WHERE id = ? AND status = 'started'").run(detail, id).changes === 1;
}

/**
 * Record TOTP codes as used, all or none (one transaction): false when any of them was used before (a replay).
 */
export function consumeTotpCodes(store: Store, codes: ReadonlyArray<{ actor: string; step: number }>, now = Date.now()): boolean {
  const insert = store.sqlite.prepare('INSERT OR IGNORE INTO totp_used (actor, step, used_at) VALUES (?, ?, ?)');
  const consume = store.sqlite.transaction(() => {
    for (const c of codes) {
      if (insert.run(c.actor, c.step, now).changes !== 1) throw new TotpReused();
    }
  });
  try {
    consume.immediate();
    return true;
  } catch (err) {
    if (err instanceof TotpReused) return false;
    throw err;
  }
}

class TotpReused extends Error {}

export function totpCodeUsed(store: Store, actor: string, step: number): boolean {
  return store.sqlite.prepare('SELECT 1 FROM totp_used WHERE actor = ? AND step = ?').get(actor, step) !== undefined;
}
