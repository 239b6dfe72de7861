import type { ContainerFacts } from '@bcon/sensor';
import { describe, expect, it } from 'vitest';
import { upProjectsIn } from './up-projects.js';

const running = (name: string, project: string, service: string, oneoff = false) => ({ name, state: 'running', compose: { project, service, number: 1, oneoff } }) as unknown as ContainerFacts;

describe('upProjectsIn', () => {
  it('a project is up here when a service the files declare runs; a same-named project of another checkout (none of its services declared) is not', () => {
    const ours = { containers: [running('shop_db_1', 'shop', 'db')], untracked: false };
    const theirs = { containers: [running('shop_blog_1', 'shop', 'blog')], untracked: true };
    expect([...upProjectsIn([ours, theirs])]).toEqual(['shop']);
    expect([...upProjectsIn([theirs])]).toEqual([]);
  });

  it('a one-off run or a stopped container is no sign its project is up', () => {
    const stopped = { containers: [{ ...running('shop_db_1', 'shop', 'db'), state: 'exited' } as ContainerFacts] };
    expect([...upProjectsIn([stopped, { containers: [running('shop_run_1', 'shop', 'db', true)] }])]).toEqual([]);
  });
});
