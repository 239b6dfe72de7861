import type { ImageFacts } from '@bcon/sensor';
import type { ServiceSpec } from '@bcon/sensor/desired';
import { describe, expect, it } from 'vitest';
import { container } from '../__fixtures__/facts.js';
import { compareService } from './compare.js';

const image: ImageFacts = {
  id: 'sha256:aaa',
  repoTags: ['busybox:1'],
  env: ['PATH=/bin', 'LANG=C'],
  cmd: ['sh'],
  entrypoint: null,
  labels: { maintainer: 'x' },
  volumes: ['/data'],
  healthcheck: undefined,
};
const images = new Map([
  ['sha256:aaa', image],
  ['busybox:1', image],
]);

const spec = (over: Partial<ServiceSpec> = {}): ServiceSpec => ({
  name: 'api',
  image: 'busybox:1',
  hasBuild: false,
  containerName: undefined,
  command: ['sleep', '3600'],
  entrypoint: null,
  environment: {},
  ports: [],
  volumes: [],
  managedMountTargets: [],
  volumesFrom: false,
  replicas: 1,
  memoryBytes: undefined,
  memoryReservationBytes: undefined,
  nanoCpus: undefined,
  restart: undefined,
  healthcheck: undefined,
  labels: {},
  dependsOn: [],
  networkMode: 'none',
  profiles: [],
  ...over,
});

const base = () => container({ imageId: 'sha256:aaa', image: 'busybox:1', config: { cmd: ['sleep', '3600'], entrypoint: null, env: ['PATH=/bin', 'LANG=C'], healthcheck: undefined } });
const fields = (s: ServiceSpec, c = base()) => compareService('shop', s, [c], images).map((d) => d.field);

describe('compareService: no false drift', () => {
  it('ignores what the image brings and what compose adds', () => {
    const c = { ...base(), labels: { 'com.docker.compose.project': 'shop', maintainer: 'x' }, mounts: [{ type: 'volume', source: '/v', name: 'f'.repeat(64), target: '/data', readOnly: false }] };
    expect(fields(spec(), c)).toEqual([]);
  });

  it("ignores podman-compose's own labels (io.podman.compose.*), not a label of another name", () => {
    const labels = { 'com.docker.compose.project': 'shop', maintainer: 'x', 'io.podman.compose.config-hash': '123', 'io.podman.compose.project': 'shop', 'io.podman.compose.version': '0.0.1' };
    expect(fields(spec(), { ...base(), labels })).toEqual([]);
    expect(fields(spec(), { ...base(), labels: { ...labels, 'io.podman.other': 'y' } })).toEqual(['labels']);
  });

  it('takes the image command when the file sets none, and no command when it overrides the entrypoint', () => {
    expect(fields(spec({ command: null }), { ...base(), config: { ...base().config, cmd: ['sh'] } })).toEqual([]);
    expect(fields(spec({ command: null, entrypoint: ['run'] }), { ...base(), config: { ...base().config, cmd: null, entrypoint: ['run'] } })).toEqual([]);
  });

  it('reads 0.0.0.0 as no address, and mounts for secrets, configs and tmpfs as expected', () => {
    const c = {
      ...base(),
      portBindings: [{ hostIp: '0.0.0.0', published: '8080', target: 80, protocol: 'tcp' }],
      mounts: [
        { type: 'bind', source: '/srv/secrets/db', name: undefined, target: '/run/secrets/db', readOnly: true },
        { type: 'tmpfs', source: '', name: undefined, target: '/cache', readOnly: false },
      ],
    };
    const s = spec({
      ports: [{ hostIp: '', published: '8080', target: 80, protocol: 'tcp' }],
      managedMountTargets: ['/run/secrets/db'],
      volumes: [{ type: 'tmpfs', source: undefined, target: '/cache', readOnly: false, repoPath: undefined }],
    });
    expect(fields(s, c)).toEqual([]);
  });

  it('accepts any value for a bare environment variable', () => {
    expect(fields(spec({ environment: { TOKEN: null } }), { ...base(), config: { ...base().config, env: ['PATH=/bin', 'LANG=C', 'TOKEN=x'] } })).toEqual([]);
  });
});

describe('compareService: drift', () => {
  it('names an unexpected variable, a changed one, and one the image brings with another value', () => {
    const c = { ...base(), config: { ...base().config, env: ['PATH=/bin', 'LANG=de_DE', 'MODE=debug', 'EXTRA=1'] } };
    const [d] = compareService('shop', spec({ environment: { MODE: 'prod' } }), [c], images);
    expect(d?.field).toBe('environment');
    expect(d?.expected).toEqual({ environment: { MODE: 'prod', LANG: 'C', EXTRA: '(unset)' } });
    expect(d?.actual).toEqual({ environment: { MODE: 'debug', LANG: 'de_DE', EXTRA: '1' } });
  });

  it('reports a missing mount and an extra bind mount', () => {
    const c = { ...base(), mounts: [{ type: 'bind', source: '/tmp/x', name: undefined, target: '/x', readOnly: false }] };
    const s = spec({ volumes: [{ type: 'volume', source: 'shop_data', target: '/var/lib/data', readOnly: false, repoPath: undefined }] });
    const [d] = compareService('shop', s, [c], images);
    expect(d).toMatchObject({ field: 'volumes', expected: { volumes: ['shop_data:/var/lib/data', '(nothing at /x)'] }, actual: { volumes: ['(nothing at /var/lib/data)', '/tmp/x:/x'] } });
  });

  it('reports replicas, restart policy and cpus', () => {
    const c = { ...base(), restartPolicy: { name: 'always', maximumRetryCount: 0 }, limits: { memoryBytes: undefined, memoryReservationBytes: undefined, nanoCpus: 5e8 } };
    const diffs = compareService('shop', spec({ replicas: 2, restart: { name: 'on-failure', maximumRetryCount: 3 } }), [c], images);
    expect(diffs.map((d) => [d.field, d.expected, d.actual])).toEqual([
      ['replicas', { replicas: 2 }, { replicas: 1 }],
      ['cpus', { cpus: 'unlimited' }, { cpus: 0.5 }],
      ['restart', { restart: 'on-failure:3' }, { restart: 'always' }],
    ]);
  });
});
