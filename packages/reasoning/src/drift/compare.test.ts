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
  unrendered: [],
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
    // the commit bcon made a container from is bcon's mark, not a setting
    expect(fields(spec(), { ...base(), labels: { ...labels, 'bcon.created-from-commit': '28788a45e403' } })).toEqual([]);
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

describe('compareService: a stopped replica of a service whose other replicas run', () => {
  // base() is container({}) with the image's settings: replicas of one service differ in number, id and name only
  const replica = (number: number, over: Partial<ReturnType<typeof base>> = {}) => {
    const b = base();
    const c = container({ number, imageId: b.imageId, image: b.image, config: b.config });
    return { ...c, ...over };
  };
  const exited0 = { state: 'exited' as const, exitCode: 0, finishedAt: '2026-01-01T11:59:00Z' };

  it('reports replica 2 that exited 0 while replica 1 runs (a docker stop of a process that exits 0 on SIGTERM)', () => {
    const diffs = compareService('shop', spec({ replicas: 2 }), [replica(1), replica(2, exited0)], images);
    expect(diffs.map((d) => [d.field, d.container, d.expected, d.actual])).toEqual([['status', 'shop-api-2', { status: 'running' }, { status: 'exited (0)' }]]);
  });

  it('reads every replica exited 0 as jobs that completed (restart no or on-failure), in sync', () => {
    expect(compareService('shop', spec({ replicas: 2 }), [replica(1, exited0), replica(2, exited0)], images)).toEqual([]);
    const onFailure = { ...exited0, restartPolicy: { name: 'on-failure', maximumRetryCount: 0 } };
    expect(compareService('shop', spec({ replicas: 2, restart: { name: 'on-failure', maximumRetryCount: 0 } }), [replica(1, onFailure), replica(2, onFailure)], images)).toEqual([]);
  });

  it('keeps a single replica that exited 0 a completed job', () => {
    expect(compareService('shop', spec(), [replica(1, exited0)], images)).toEqual([]);
  });

  it('does not count a one-off compose run container as a running peer, nor report it', () => {
    const oneoff = { ...container({ number: 1, oneoff: true, imageId: 'sha256:aaa', config: base().config }), name: 'shop-api-run-1a2b' };
    expect(compareService('shop', spec(), [replica(1, exited0), oneoff], images)).toEqual([]);
    const oneoffExited = { ...oneoff, ...exited0 };
    expect(compareService('shop', spec(), [replica(1), oneoffExited], images)).toEqual([]);
  });

  it('still reports a replica that failed (exit 1) or was killed (137) whatever its peers do', () => {
    expect(compareService('shop', spec({ replicas: 2 }), [replica(1, { ...exited0, exitCode: 1 }), replica(2, exited0)], images).map((d) => [d.container, d.actual])).toEqual([['shop-api-1', { status: 'exited (1)' }]]);
  });
});

describe('compareService: a memory limit the files do not set', () => {
  it('reports a limit added to a running container (docker update --memory 128m) as memory drift: unlimited → 128 MiB', () => {
    const c = { ...base(), limits: { memoryBytes: 128 * 1024 * 1024, memoryReservationBytes: undefined, nanoCpus: undefined } };
    expect(compareService('shop', spec(), [c], images).map((d) => [d.field, d.expected, d.actual])).toEqual([['memory', { memory: 'unlimited' }, { memory: '128 MiB' }]]);
  });
});
