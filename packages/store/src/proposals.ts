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

export interface ExecutionRow {
  id: number;
  proposalId: string;
  action: string;
  target: string;
  startedAt: number;
  finishedAt: number | null;
  status: 'started' | 'succeeded' | 'failed' | 'rolled_back';
  detail: string | null;
}

/** Journal an execution before it starts; returns its id. */
export function journalStart(store: Store, e: { proposalId: string; action: string; target: string; startedAt: number }): number {
  return Number(store.sqlite.prepare("INSERT INTO executions (proposal_id, action, target, started_at, status) VALUES (?, ?, ?, ?, 'started')").run(e.proposalId, e.action, e.target, e.startedAt).lastInsertRowid);
}

export function journalFinish(store: Store, id: number, status: Exclude<ExecutionRow['status'], 'started'>, detail: string, finishedAt = Date.now()): void {
  store.sqlite.prepare('UPDATE executions SET status = ?, detail = ?, finished_at = ? WHERE id = ?').run(status, detail, finishedAt, id);
}

/** Executions that started and never finished: a crash mid-action. */
export function unfinishedExecutions(store: Store): ExecutionRow[] {
  const rows = store.sqlite.prepare("SELECT * FROM executions WHERE status = 'started' ORDER BY id").all() as Array<{
    id: number;
    proposal_id: string;
    action: string;
    target: string;
    started_at: number;
    finished_at: number | null;
    status: ExecutionRow['status'];
    detail: string | null;
  }>;
  return rows.map((r) => ({ id: r.id, proposalId: r.proposal_id, action: r.action, target: r.target, startedAt: r.started_at, finishedAt: r.finished_at, status: r.status, detail: r.detail }));
}
