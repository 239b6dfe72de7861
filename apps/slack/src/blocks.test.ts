import { describe, expect, it } from 'vitest';
import type { Proposal } from '@bcon/decision';
import type { DiagnosisReport } from '@bcon/reasoning';
import { diagnosisMessage, proposalMessage } from './blocks.js';
import { readButtonValue, shownFingerprint } from './shown-fingerprint.js';

const report: DiagnosisReport = {
  target: 'api',
  complaint: 'slow',
  hypotheses: [{ cause: 'oom_killed', culprit: 'api', confidence: 0.92, summary: 'api was killed <@U1> for memory', evidence: ['e1'], suggestions: ['raise the limit'] }],
  evidence: [{ id: 'e1', kind: 'state', source: 'p-api-1', text: 'OOMKilled=true exit 137' }],
  durationMs: 10,
  symptoms: [{ service: 'api', text: 'api is down', evidence: ['e1'] }],
  checked: ['api'],
  notices: [],
} as unknown as DiagnosisReport;

describe('Block Kit answers', () => {
  it('a diagnosis leads with the top cause and cites its evidence; untrusted text cannot mention anyone', () => {
    const m = diagnosisMessage(report, 'http://127.0.0.1:7070/');
    expect(m.text).toBe('api: oom_killed in api (92%)');
    const all = JSON.stringify(m.blocks);
    expect(all).toContain('OOMKilled=true exit 137');
    expect(all).toContain('&lt;@U1&gt;');
    expect(all).not.toContain('<@U1>');
    expect(all).toContain('http://127.0.0.1:7070/?view=diagnose&service=api');
  });
  it('a proposal has one Approve per option and a Reject, bound to the fingerprint shown', () => {
    const p = {
      id: 'p-abcdef12', target: 'api', createdAt: 'c', expiresAt: 'e', fingerprint: 'f', containers: [], notes: [],
      options: [1, 2].map((n) => ({ n, action: 'container.restart', params: { container: 'x' }, summary: `do ${n}`, risk: 'low', tier: 'explicit', reasons: [], cause: 'crash_loop', culprit: 'api' })),
    } as unknown as Proposal;
    const m = proposalMessage(p);
    const actions = m.blocks.find((b) => b['type'] === 'actions') as { elements: Array<{ action_id: string; value: string }> };
    expect(actions.elements.map((e) => e.action_id)).toEqual(['bcon_approve_1', 'bcon_approve_2', 'bcon_reject']);
    expect(readButtonValue(actions.elements[1]?.value)).toEqual({ p: 'p-abcdef12', n: 2, h: shownFingerprint(p) });
  });
});

describe('status and drift answers', () => {
  it('status leads with the counts, lists what is not OK with its reason, names the OK ones', async () => {
    const { statusMessage } = await import('./blocks.js');
    const svc = (name: string, verdict: 'ok' | 'down', reason: string | null) => ({ name, project: 'shop', verdict, reason, replicas: { running: verdict === 'ok' ? 1 : 0, total: 1 }, containers: [] });
    const report = { summary: { projects: 1, services: 2, containers: 2, running: 1, ok: 1, degraded: 0, down: 1 }, projects: [{ name: 'shop', verdict: 'down', services: [svc('api', 'down', 'exited (137, OOM killed)'), svc('web', 'ok', null)] }], standalone: [], notices: [] };
    const m = statusMessage([{ name: undefined, report: report as never }]);
    expect(m.text).toBe('bcon status: 1 down, 1 ok');
    const all = JSON.stringify(m.blocks);
    expect(all).toContain('*api* (shop) down — exited (137, OOM killed) · 0/1 running');
    expect(all).toContain('ok: web');
    expect(statusMessage([{ name: 'b', error: 'connection refused' }]).text).toBe('bcon status: *b*: unreachable (connection refused)');
  });
  it('drift names each difference with expected and actual', async () => {
    const { driftMessage } = await import('./blocks.js');
    const m = driftMessage({ timestamp: 't', status: 'DRIFTED', source: 'HEAD@abc1234', projects: ['shop'], differences: [{ project: 'shop', service: 'api', field: 'memory', expected: { memory: '512M' }, actual: { memory: '256M' } }], untracked: [{ container: 'stray', recommendation: 'remove or declare it' }], orphans: [] });
    expect(m.text).toBe('bcon drift: 2 findings');
    const all = JSON.stringify(m.blocks);
    expect(all).toContain('*api* (shop) memory: expected memory=512M, actual memory=256M');
    expect(all).toContain('untracked stray: remove or declare it');
  });
});
