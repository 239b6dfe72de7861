import { describe, expect, it } from 'vitest';
import type { ContainerFacts } from '@bcon/sensor';
import { composeFileOf } from './memory-intent.js';

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
