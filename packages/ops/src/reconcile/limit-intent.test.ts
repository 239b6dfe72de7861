import { describe, expect, it } from 'vitest';
import type { ContainerFacts } from '@bcon/sensor';
import type { Proposal, ProposalOption } from '@bcon/decision';
import { composeFileOf, limitAwayFromFiles, oomUncured } from './limit-intent.js';

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

describe('limitAwayFromFiles', () => {
  const MiB = 1024 * 1024;
  const cpus = (n: number) => ({ action: 'service.set_cpus', params: { service: 'plex', containers: ['media_plex_1'], cpus: n, previousCpus: 0.5 } }) as unknown as ProposalOption;
  const memory = (bytes: number) => ({ action: 'service.set_memory', params: { service: 'plex', containers: ['media_plex_1'], memoryBytes: bytes, previousBytes: 64 * MiB } }) as unknown as ProposalOption;

  it('is a limit the files do not say: a raise the next drift repair would set back', () => {
    expect(limitAwayFromFiles(cpus(1), { nanoCpus: 0.5e9 })).toEqual({ what: 'CPU limit', committed: '0.5 CPUs' });
    expect(limitAwayFromFiles(cpus(1), { nanoCpus: undefined })).toEqual({ what: 'CPU limit', committed: 'none' });
    expect(limitAwayFromFiles(memory(256 * MiB), { memoryBytes: 128 * MiB })).toEqual({ what: 'memory limit', committed: '128 MiB' });
  });

  it('is nothing for a change to what the files say (drift repair itself), a service not in the files, another action', () => {
    expect(limitAwayFromFiles(cpus(0.5), { nanoCpus: 0.5e9 })).toBeUndefined();
    expect(limitAwayFromFiles(memory(96 * MiB), { memoryBytes: 96 * MiB })).toBeUndefined();
    expect(limitAwayFromFiles(cpus(1), undefined)).toBeUndefined();
    expect(limitAwayFromFiles({ action: 'container.restart', params: { container: 'media_plex_1' } } as unknown as ProposalOption, { nanoCpus: 0.5e9 })).toBeUndefined();
  });
});
