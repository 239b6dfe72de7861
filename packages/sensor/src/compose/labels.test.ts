import { describe, expect, it } from 'vitest';
import { composeIdentity } from './labels.js';

describe('composeIdentity', () => {
  it('reads compose v2 and docker-compose v1 labels', () => {
    expect(
      composeIdentity({
        'com.docker.compose.project': 'shop',
        'com.docker.compose.service': 'api',
        'com.docker.compose.container-number': '2',
        'com.docker.compose.oneoff': 'False',
        'com.docker.compose.config-hash': 'abc',
        'com.docker.compose.version': '2.24.0',
        'com.docker.compose.project.config_files': '/srv/a.yaml,/srv/b.yaml',
      }),
    ).toMatchObject({ project: 'shop', service: 'api', number: 2, oneoff: false, configHash: 'abc', composeMajor: 2, configFiles: ['/srv/a.yaml', '/srv/b.yaml'] });
    expect(
      composeIdentity({ 'com.docker.compose.project': 'old', 'com.docker.compose.service': 'db', 'com.docker.compose.version': '1.29.2', 'com.docker.compose.oneoff': 'True' }),
    ).toMatchObject({ composeMajor: 1, oneoff: true, number: undefined });
  });
  it('reads podman-compose labels: the project, service and number as Docker names them, its own config hash', () => {
    expect(
      composeIdentity({
        'com.docker.compose.project': 'pcx',
        'com.docker.compose.service': 'web',
        'com.docker.compose.container-number': '1',
        'io.podman.compose.config-hash': '123',
        'io.podman.compose.project': 'pcx',
        'io.podman.compose.version': '0.0.1',
      }),
    ).toMatchObject({ project: 'pcx', service: 'web', number: 1, oneoff: false, configHash: '123', composeMajor: undefined });
  });
  it('is undefined for containers compose did not make', () => {
    expect(composeIdentity({ 'com.docker.compose.project': 'x' })).toBeUndefined();
    expect(composeIdentity(null)).toBeUndefined();
  });
});
