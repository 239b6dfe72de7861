import { describe, expect, it } from 'vitest';
import type { ContainerFacts } from '@bcon/sensor';
import { serviceFacts } from './propose.js';

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
