import { describe, expect, it } from 'vitest';
import type { ContainerFacts } from '@bcon/sensor';
import { container } from '../__fixtures__/facts.js';
import { dependenciesOf, describeEdge } from './dependencies.js';

const byService = (cs: ContainerFacts[]) => {
  const m = new Map<string, ContainerFacts[]>();
  for (const c of cs) m.set(c.compose!.service, [...(m.get(c.compose!.service) ?? []), c]);
  return m;
};

describe('dependenciesOf (what status knows a service needs)', () => {
  it('reads the depends_on label compose writes', () => {
    const api = container({ service: 'api', labels: { 'com.docker.compose.depends_on': 'db:service_started:false,cache:service_healthy:true' } });
    const deps = dependenciesOf(byService([api, container({ service: 'db' }), container({ service: 'cache' })]), 'shop');
    expect(deps.get('api')?.map(describeEdge)).toEqual(['db (depends_on)', 'cache (depends_on)']);
    expect(deps.get('db')).toEqual([]);
  });

  it('infers from an env value naming another service, and from a shared network namespace', () => {
    const api = container({ service: 'api', config: { cmd: null, entrypoint: null, env: ['DATABASE_URL=postgres://app:pw@db:5432/app'], healthcheck: undefined } });
    const side = container({ service: 'side', networkMode: 'container:shop-api-1' });
    const deps = dependenciesOf(byService([api, side, container({ service: 'db' })]), 'shop');
    expect(deps.get('api')?.map(describeEdge)).toEqual(['db (DATABASE_URL)']);
    expect(deps.get('side')?.map(describeEdge)).toEqual(['api (network_mode)']);
  });

  it('infers a loopback address from the one service that listens on its port', () => {
    const db = container({ service: 'db', config: { cmd: ['nc', '-lk', '-p', '15432'], entrypoint: null, env: [], healthcheck: undefined } });
    const api = container({ service: 'api', config: { cmd: null, entrypoint: null, env: ['DB_ADDR=127.0.0.1:15432'], healthcheck: undefined } });
    expect(dependenciesOf(byService([api, db]), 'shop').get('api')?.map((e) => e.to)).toEqual(['db']);
  });

  it('leaves out a declared dependency with no container in view', () => {
    const api = container({ service: 'api', labels: { 'com.docker.compose.depends_on': 'gone:service_started:false' } });
    expect(dependenciesOf(byService([api]), 'shop').get('api')).toEqual([]);
  });
});
