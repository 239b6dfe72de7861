import { describe, expect, it } from 'vitest';
import type { Proposal } from '@bcon/decision';
import { buttonValue, readButtonValue, shownFingerprint } from './shown-fingerprint.js';

const proposal: Proposal = {
  id: 'p-1a2b3c4d',
  target: 'api',
  createdAt: '2026-01-01T00:00:00.000Z',
  expiresAt: '2026-01-01T01:00:00.000Z',
  fingerprint: 'f1',
  containers: ['x-api-1'],
  notes: [],
  options: [{ n: 1, action: 'service.set_memory', params: { service: 'api', memoryBytes: 64 }, summary: 'raise', risk: 'low', tier: 'notify', reasons: ['r'], cause: 'oom_killed', culprit: 'api' }],
} as Proposal;

describe('shownFingerprint', () => {
  it('is stable for the same proposal and changes with an option, the engine fingerprint or the expiry', () => {
    const h = shownFingerprint(proposal);
    expect(shownFingerprint(structuredClone(proposal))).toBe(h);
    expect(shownFingerprint({ ...proposal, fingerprint: 'f2' })).not.toBe(h);
    expect(shownFingerprint({ ...proposal, expiresAt: '2026-01-01T02:00:00.000Z' })).not.toBe(h);
    const o = proposal.options[0]!;
    expect(shownFingerprint({ ...proposal, options: [{ ...o, params: { ...o.params, memoryBytes: 128 } }] })).not.toBe(h);
    expect(shownFingerprint({ ...proposal, options: [{ ...o, tier: 'explicit' }] })).not.toBe(h);
  });
  it('round-trips a button value and refuses a malformed one', () => {
    const v = { p: 'p-1a2b3c4d', n: 1, h: shownFingerprint(proposal) };
    expect(readButtonValue(buttonValue(v))).toEqual(v);
    expect(readButtonValue('{"p":"p-1","n":"1","h":"x"}')).toBeUndefined();
    expect(readButtonValue('not json')).toBeUndefined();
    expect(readButtonValue(undefined)).toBeUndefined();
  });
});
