import { describe, expect, it } from 'vitest';
import type { ContainerFacts } from '@bcon/sensor';
import type { Proposal, ProposalOption } from '@bcon/decision';
import { composeFileOf, oomUncured } from './memory-intent.js';

const made = (workingDir: string | undefined, configFiles: string[]) => [{ name: 'shop_search_1', compose: { project: 'shop', service: 'search', oneoff: false, workingDir, configFiles } } as unknown as ContainerFacts];

describe('composeFileOf', () => {
  it('places the one compose file the containers were made from inside the repository', () => {
    expect(composeFileOf(made('/srv/repo/shop', ['/srv/repo/shop/compose.yaml']), '/srv/repo')).toEqual({ file: '/srv/repo/shop/compose.yaml' });
    expect(composeFileOf(made('/srv/repo', ['compose.yaml']), '/srv/repo')).toEqual({ file: '/srv/repo/compose.yaml' });
  });

  it('says why it edits nothing: several files (an override may win), a file outside the repository, no labels', () => {
    expect(composeFileOf(made('/srv/repo', ['compose.yaml', 'compose.override.yaml']), '/srv/repo')).toMatchObject({ unavailable: expect.stringMatching(/2 compose files/) });
    expect(composeFileOf(made('/srv/other', ['/srv/other/compose.yaml']), '/srv/repo')).toMatchObject({ unavailable: expect.stringMatching(/not inside the repository/) });
    expect(composeFileOf(made(undefined, []), '/srv/repo')).toMatchObject({ unavailable: expect.stringMatching(/do not name/) });
  });
});

describe('oomUncured', () => {
  const MiB = 1024 * 1024;
  const opt = (action: string, params: Record<string, unknown>): ProposalOption => ({ n: 1, action, params, summary: action, risk: 'low', tier: 'autonomous', reasons: [], cause: 'oom_killed', culprit: 'search' }) as unknown as ProposalOption;
  const start = opt('container.start', { container: 'shop_search_1' });
  const memory = (previousBytes: number | null) => opt('service.set_memory', { service: 'search', containers: ['shop_search_1'], memoryBytes: 128 * MiB, previousBytes });
  const c = (previousBytes: number | null) => ({ option: start, proposal: { options: [start, memory(previousBytes)] } as Pick<Proposal, 'options'>, candidate: { service: 'shop/search' } });
  const killed = (oomKilled: boolean) => [{ name: 'shop_search_1', state: 'exited', oomKilled } as unknown as ContainerFacts];
  const failed = { at: '2026-12-03T10:00:00Z' };

  it('answers a start that failed at this commit, or an open breaker, with the memory option', () => {
    expect(oomUncured(c(48 * MiB), failed, 'closed', killed(true))).toMatchObject({ option: { action: 'service.set_memory' }, because: expect.stringMatching(/start at 2026-12-03T10:00:00Z did not cure the OOM kill of search/) });
    expect(oomUncured(c(48 * MiB), undefined, 'open', killed(true))?.because).toMatch(/breaker opened on shop\/search/);
  });

  it('is nothing when the start has not failed yet, when the last exit was no OOM kill, or when there was no limit to raise', () => {
    expect(oomUncured(c(48 * MiB), undefined, 'closed', killed(true))).toBeUndefined();
    expect(oomUncured(c(48 * MiB), failed, 'closed', killed(false))).toBeUndefined();
    expect(oomUncured(c(null), failed, 'closed', killed(true))).toBeUndefined();
  });
});
