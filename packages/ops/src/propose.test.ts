import { describe, expect, it } from 'vitest';
import type { ContainerFacts } from '@bcon/sensor';
import { goneServer, serviceFacts } from './propose.js';

const container = (name: string, project: string, service: string): ContainerFacts => ({ name, compose: { project, service, number: 1, oneoff: false } }) as unknown as ContainerFacts;

describe('serviceFacts', () => {
  it('gives each service its containers and what the files declare', () => {
    const facts = serviceFacts({ signals: { services: [{ name: 'api', containers: [container('shop_api_1', 'shop', 'api')], spec: { replicas: 2, image: 'api:2' } }] }, report: { target: null } });
    expect(facts['api']).toMatchObject({ declaredReplicas: 2, committedImage: 'api:2' });
    expect(facts['api']?.containers.map((c) => c.name)).toEqual(['shop_api_1']);
  });

  it('leaves out a name two compose projects on the host both use: which one is meant is unknown, so nothing is proposed for it', () => {
    const facts = serviceFacts({
      signals: {
        services: [
          { name: 'web', containers: [container('shop_web_1', 'shop', 'web')] },
          { name: 'web', containers: [container('blog_web_1', 'blog', 'web')] },
          { name: 'db', containers: [container('shop_db_1', 'shop', 'db')] },
        ],
      },
      report: { target: null },
    });
    expect(Object.keys(facts)).toEqual(['db']);
  });
});

describe('goneServer', () => {
  type Gone = Parameters<typeof goneServer>[0];
  const ev = (action: string, at: number, attributes: Record<string, string> = {}, exitCode?: number) => ({ at, type: 'container', action, containerId: 'c1', containerName: 'shop_api_1', exitCode, attributes });
  const gone = (over: Partial<Gone> & { restart?: string } = {}): Gone => {
    const { restart, ...rest } = over;
    return { name: 'api', project: 'shop', containers: [], spec: { replicas: 1, ...(restart ? { restart: { name: restart, maximumRetryCount: 0 } } : {}) }, events: [], ...rest } as unknown as Gone;
  };
  const up = new Set(['shop']);

  it('is a server declared to restart always, gone from a host where its project runs', () => {
    expect(goneServer(gone({ restart: 'always' }), up)).toBe(true);
    expect(goneServer(gone({ restart: 'unless-stopped' }), up)).toBe(true);
  });

  it('is not one when its project is not up on this host (placed elsewhere, or never brought up)', () => {
    expect(goneServer(gone({ restart: 'always' }), new Set(['blog']))).toBe(false);
  });

  it('needs positive evidence it is a server: no restart policy and no forced removal is nothing', () => {
    expect(goneServer(gone(), up)).toBe(false);
    expect(goneServer(gone({ restart: 'on-failure' }), up)).toBe(false);
  });

  it('takes a removal while it ran (SIGKILL then destroy, as docker rm -f) as that evidence', () => {
    expect(goneServer(gone({ events: [ev('kill', 1000, { signal: '9' }), ev('die', 1001, {}, 137), ev('destroy', 1002)] } as Partial<Gone>), up)).toBe(true);
    // the kill long before the removal is another story
    expect(goneServer(gone({ events: [ev('kill', 1000, { signal: '9' }), ev('destroy', 9000)] } as Partial<Gone>), up)).toBe(false);
    // a one-off container (compose run) removed is a job's
    expect(goneServer(gone({ events: [ev('kill', 1000, { signal: '9' }), ev('destroy', 1002, { 'com.docker.compose.oneoff': 'True' })] } as Partial<Gone>), up)).toBe(false);
  });

  it('never undoes a removal someone meant: stopped first, whatever the restart policy', () => {
    expect(goneServer(gone({ restart: 'always', events: [ev('kill', 1000, { signal: '15' }), ev('stop', 1500), ev('destroy', 1600)] } as Partial<Gone>), up)).toBe(false);
  });

  it('a stop followed by a start is not that: the container ran again when it was removed by force', () => {
    const events = [ev('stop', 500), ev('start', 700), ev('die', 1001, {}, 137), ev('destroy', 1002)];
    expect(goneServer(gone({ events } as Partial<Gone>), up)).toBe(true);
    expect(goneServer(gone({ events: [...events.slice(0, 2), ev('stop', 900), ...events.slice(2)] } as Partial<Gone>), up)).toBe(false);
  });

  it('is never a job, a service scaled to 0, or a service with a container here', () => {
    expect(goneServer(gone({ restart: 'always', spec: { replicas: 1, restart: { name: 'always', maximumRetryCount: 0 }, completionAwaitedBy: ['web'] } } as Partial<Gone>), up)).toBe(false);
    expect(goneServer(gone({ restart: 'always', spec: { replicas: 0, restart: { name: 'always', maximumRetryCount: 0 } } } as Partial<Gone>), up)).toBe(false);
    expect(goneServer(gone({ restart: 'always', containers: [container('shop_api_1', 'shop', 'api')] } as Partial<Gone>), up)).toBe(false);
  });
});
