import { describe, expect, it } from 'vitest';
import type { Proposal } from '@bcon/decision';
import { listAudit, openStore, saveProposal } from '@bcon/store';
import { approveProposal } from './approve-proposal.js';
import { rejectProposal } from './reject-proposal.js';

function seeded() {
  const store = openStore({ file: ':memory:' });
  const now = Date.now();
  const body: Proposal = {
    id: 'p-unit0001',
    target: 'api',
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + 3600_000).toISOString(),
    fingerprint: 'x',
    containers: [],
    notes: [],
    options: [{ n: 1, action: 'container.restart', params: { container: 'proj-api-1' }, summary: 'restart proj-api-1', risk: 'low', tier: 'autonomous', reasons: ['r'], cause: 'crash_loop', culprit: 'api' }],
  } as Proposal;
  saveProposal(store, { id: body.id, createdAt: now, expiresAt: now + 3600_000, target: 'api', status: 'pending', body });
  return store;
}

describe('approveProposal / rejectProposal (before any engine is asked)', () => {
  it('an unknown id is refused as unknown_proposal', async () => {
    const store = seeded();
    await expect(approveProposal({ store, id: 'p-nothere', option: 1, actor: 'user/t' })).rejects.toMatchObject({ code: 'unknown_proposal' });
    store.close();
  });

  it('a proposal that is not an intent needs an option', async () => {
    const store = seeded();
    await expect(approveProposal({ store, id: 'p-unit0001', actor: 'user/t' })).rejects.toMatchObject({ code: 'no_option' });
    store.close();
  });

  it('a rejection is audited with its channel, and a decided proposal cannot be rejected again', async () => {
    const store = seeded();
    await expect(rejectProposal({ store, id: 'p-unit0001', actor: 'user/t', channel: 'web', reason: 'not now' })).resolves.toEqual({ id: 'p-unit0001', status: 'rejected' });
    expect(listAudit(store).at(-1)).toMatchObject({ action: 'proposal.reject', actor: 'user/t', context: { channel: 'web', reason: 'not now' } });
    await expect(rejectProposal({ store, id: 'p-unit0001', actor: 'user/t' })).rejects.toMatchObject({ code: 'not_pending' });
    await expect(approveProposal({ store, id: 'p-unit0001', option: 1, actor: 'user/t' })).rejects.toMatchObject({ code: 'not_pending' });
    store.close();
  });
});
