import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Proposal } from '@bcon/decision';
import type { Store } from '@bcon/store';

const calls: Array<Record<string, unknown>> = [];
vi.mock('./execute-approved.js', () => ({
  executeApproved: vi.fn(async (input: Record<string, unknown>) => {
    calls.push(input);
    return { proposal: 'p', approval: 'autonomous', approvedBy: 'x', tier: 'autonomous', results: [], ok: true };
  }),
}));
vi.mock('./guardrails.js', () => ({ currentGuardrails: vi.fn(async (repo: string | undefined) => ({ from: repo ?? 'none' })) }));
vi.mock('./intent.js', () => ({
  intentSteps: vi.fn(() => ({ recheck: async () => undefined, beforeExecute: async () => ({ commit: 'c' }), extraTier: async () => 'notify' })),
}));

const { runProposal } = await import('./run-proposal.js');
const target = { name: 'local', address: 'unix:///x.sock', env: {} } as never;
const store = {} as Store;
const options = [
  { n: 1, action: 'container.restart', params: { container: 'a' }, summary: 's', risk: 'low', tier: 'autonomous', reasons: [] },
  { n: 2, action: 'container.start', params: { container: 'a' }, summary: 's', risk: 'low', tier: 'autonomous', reasons: [] },
];
const plain = { id: 'p-1', target: 'api', repo: '/repo', options } as unknown as Proposal;
const intent = { id: 'p-2', target: 'api', options, intent: { root: '/root-of-intent', file: 'compose.yaml' } } as unknown as Proposal;

describe('runProposal: every front-end and the reconciler run a stored proposal the same way', () => {
  beforeEach(() => void calls.splice(0));

  it('runs the one option named of a plain proposal, with no intent steps, under the guardrails of its repository', async () => {
    await runProposal({ store, proposal: plain, option: 2, actor: 'user/t', authority: 'person', target, channel: 'web' });
    expect(calls[0]).toMatchObject({ options: [2], status: 'pending', authority: 'person', channel: 'web', approvers: [], guardrails: { from: '/repo' } });
    expect(calls[0]).not.toHaveProperty('recheck');
    expect(calls[0]).not.toHaveProperty('beforeExecute');
  });

  it('runs every option of an intent with its steps (re-check, commit, extra tier), whatever option is named', async () => {
    await runProposal({ store, proposal: intent, option: 2, actor: 'bcon-reconciler', authority: 'autonomous', target, status: 'pending' });
    expect(calls[0]).toMatchObject({ options: [1, 2], authority: 'autonomous', guardrails: { from: '/root-of-intent' } });
    expect(typeof calls[0]?.['recheck']).toBe('function');
    expect(typeof calls[0]?.['beforeExecute']).toBe('function');
    expect(typeof calls[0]?.['extraTier']).toBe('function');
  });

  it('takes the guardrails it is given, and option 1 when none is named', async () => {
    await runProposal({ store, proposal: plain, actor: 'user/t', authority: 'confirmed', target, guardrails: { given: true } as never });
    expect(calls[0]).toMatchObject({ options: [1], authority: 'confirmed', guardrails: { given: true } });
  });
});
