import { homedir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DesiredStateError } from '../errors.js';
import type { NormalizeContext } from './normalize.js';
import { normalizePorts, normalizeService, normalizeVolumes } from './normalize.js';
import type { MountSpec, PortSpec } from './service-spec.js';

const REPO = path.resolve('/srv/repo');
const ctx = (over: Partial<NormalizeContext> = {}): NormalizeContext => ({
  project: 'shop',
  projectDirAbs: path.join(REPO, 'app'),
  repoRootAbs: REPO,
  file: 'app/compose.yaml',
  volumes: {},
  envFromFiles: {},
  ...over,
});
const port = (p: Partial<PortSpec> & { target: number }): PortSpec => ({ hostIp: '', published: '', protocol: 'tcp', ...p });
const W = 'compose.yaml: services.web.ports';

describe('normalizePorts: short syntax', () => {
  it('"80": container port only, not published', () => {
    expect(normalizePorts(['80'], W)).toEqual([port({ target: 80 })]);
  });
  it('a YAML number is read like its string', () => {
    expect(normalizePorts([3000], W)).toEqual([port({ target: 3000 })]);
  });
  it('"8080:80": host port and container port', () => {
    expect(normalizePorts(['8080:80'], W)).toEqual([port({ published: '8080', target: 80 })]);
  });
  it('"127.0.0.1:8080:80/udp": address, ports and protocol', () => {
    expect(normalizePorts(['127.0.0.1:8080:80/udp'], W)).toEqual([{ hostIp: '127.0.0.1', published: '8080', target: 80, protocol: 'udp' }]);
  });
  it('"127.0.0.1::80": bound to an address with a random host port', () => {
    expect(normalizePorts(['127.0.0.1::80'], W)).toEqual([port({ hostIp: '127.0.0.1', target: 80 })]);
  });
  it('"53/udp" and "[::1]:5353:53/udp"', () => {
    expect(normalizePorts(['53/udp', '[::1]:5353:53/udp'], W)).toEqual([
      port({ target: 53, protocol: 'udp' }),
      { hostIp: '::1', published: '5353', target: 53, protocol: 'udp' },
    ]);
  });
  it('"8000-8001:80-81": a range expands to one mapping per port, pairwise', () => {
    expect(normalizePorts(['8000-8001:80-81'], W)).toEqual([port({ published: '8000', target: 80 }), port({ published: '8001', target: 81 })]);
  });
  it('"3000-3002": a container range without host ports', () => {
    expect(normalizePorts(['3000-3002'], W)).toEqual([port({ target: 3000 }), port({ target: 3001 }), port({ target: 3002 })]);
  });
  it('"8000-8010:80": a host range for one container port stays a range (the engine allocates in it)', () => {
    expect(normalizePorts(['8000-8010:80'], W)).toEqual([port({ published: '8000-8010', target: 80 })]);
  });
  it('"8000-8002:80-81": ranges of different lengths are refused, as docker does', () => {
    expect(() => normalizePorts(['8000-8002:80-81'], W)).toThrow(DesiredStateError);
  });
  it('refuses what is not a port mapping, naming where', () => {
    expect(() => normalizePorts(['http'], W)).toThrow(`${W}: "http" is not a port mapping`);
    expect(() => normalizePorts(['8080:abc'], W)).toThrow(/"8080:abc" is not a port mapping/);
  });
  it('gives no ports for a missing value', () => {
    expect(normalizePorts(undefined, W)).toEqual([]);
  });
});

describe('normalizePorts: long syntax', () => {
  it('reads target, published, host_ip and protocol', () => {
    expect(normalizePorts([{ target: 80, published: '8080', host_ip: '127.0.0.1', protocol: 'udp', mode: 'host' }], W)).toEqual([
      { hostIp: '127.0.0.1', published: '8080', target: 80, protocol: 'udp' },
    ]);
  });
  it('defaults to tcp, no address and unpublished; a numeric published becomes a string', () => {
    expect(normalizePorts([{ target: 9000 }, { target: 443, published: 8443 }], W)).toEqual([
      port({ target: 9000 }),
      port({ published: '8443', target: 443 }),
    ]);
  });
  it('mixes with the short syntax in order', () => {
    expect(normalizePorts(['80', { target: 81, published: '8081' }, '82:82'], W).map((p) => p.target)).toEqual([80, 81, 82]);
  });
});

describe('normalizeVolumes', () => {
  const bind = (source: string, target: string, repoPath: string | undefined, readOnly = false): MountSpec => ({ type: 'bind', source, target, readOnly, repoPath });
  it('a relative bind resolves against the project directory, with its path in the repository', () => {
    expect(normalizeVolumes(['./conf:/etc/nginx/conf.d'], ctx())).toEqual([bind(path.join(REPO, 'app/conf'), '/etc/nginx/conf.d', 'app/conf')]);
  });
  it('a bind going up out of the project directory but still inside the repository', () => {
    expect(normalizeVolumes(['../shared/certs:/certs:ro'], ctx())).toEqual([bind(path.join(REPO, 'shared/certs'), '/certs', 'shared/certs', true)]);
  });
  it('an absolute bind outside the repository has no repoPath', () => {
    expect(normalizeVolumes(['/var/run/docker.sock:/var/run/docker.sock'], ctx())).toEqual([bind('/var/run/docker.sock', '/var/run/docker.sock', undefined)]);
  });
  it('an absolute bind inside the repository gets its repoPath', () => {
    expect(normalizeVolumes([`${REPO}/app/static:/static`], ctx())).toEqual([bind(path.join(REPO, 'app/static'), '/static', 'app/static')]);
  });
  it('a relative bind escaping the repository has no repoPath', () => {
    expect(normalizeVolumes(['../../outside:/o'], ctx())).toEqual([bind(path.resolve(REPO, '../outside'), '/o', undefined)]);
  });
  it('":ro" (also among other options) makes the mount read-only; ":rw" does not', () => {
    const out = normalizeVolumes(['./a:/a:ro', './b:/b:rw', './c:/c:z,ro', 'data:/d:ro'], ctx());
    expect(out.map((m) => m.readOnly)).toEqual([true, false, true, true]);
  });
  it('a named volume becomes <project>_<name>', () => {
    expect(normalizeVolumes(['pgdata:/var/lib/postgresql/data'], ctx({ volumes: { pgdata: {} } }))).toEqual([
      { type: 'volume', source: 'shop_pgdata', target: '/var/lib/postgresql/data', readOnly: false, repoPath: undefined },
    ]);
  });
  it('a named volume also becomes <project>_<name> when its top-level entry is null', () => {
    expect(normalizeVolumes(['pgdata:/data'], ctx({ volumes: { pgdata: null } }))[0]?.source).toBe('shop_pgdata');
  });
  it('an external volume keeps its name', () => {
    expect(normalizeVolumes(['certs:/certs'], ctx({ volumes: { certs: { external: true } } }))[0]?.source).toBe('certs');
  });
  it('a volume with name: is mounted under that name, external or not', () => {
    const volumes = { data: { name: 'shared-data' }, ext: { external: true, name: 'real-ext' } };
    expect(normalizeVolumes(['data:/d', 'ext:/e'], ctx({ volumes })).map((m) => m.source)).toEqual(['shared-data', 'real-ext']);
  });
  it('an anonymous volume has no source', () => {
    expect(normalizeVolumes(['/var/cache'], ctx())).toEqual([{ type: 'volume', source: undefined, target: '/var/cache', readOnly: false, repoPath: undefined }]);
  });
  it('long syntax: bind, volume, tmpfs and anonymous volume', () => {
    const out = normalizeVolumes(
      [
        { type: 'bind', source: './html', target: '/usr/share/nginx/html', read_only: true },
        { type: 'volume', source: 'data', target: '/data' },
        { type: 'tmpfs', target: '/run', tmpfs: { size: 1024 } },
        { type: 'volume', target: '/anon' },
      ],
      ctx({ volumes: { data: {} } }),
    );
    expect(out).toEqual([
      bind(path.join(REPO, 'app/html'), '/usr/share/nginx/html', 'app/html', true),
      { type: 'volume', source: 'shop_data', target: '/data', readOnly: false, repoPath: undefined },
      { type: 'tmpfs', source: undefined, target: '/run', readOnly: false, repoPath: undefined },
      { type: 'volume', source: undefined, target: '/anon', readOnly: false, repoPath: undefined },
    ]);
  });
  it('long syntax volume honours an external volume', () => {
    const out = normalizeVolumes([{ type: 'volume', source: 'certs', target: '/certs', read_only: true }], ctx({ volumes: { certs: { external: true } } }));
    expect(out).toEqual([{ type: 'volume', source: 'certs', target: '/certs', readOnly: true, repoPath: undefined }]);
  });
  it('gives no mounts for a missing value', () => {
    expect(normalizeVolumes(undefined, ctx())).toEqual([]);
  });
});

describe('normalizeService: basics', () => {
  it('reads image, build, container name, labels, depends_on, network_mode and profiles', () => {
    const s = normalizeService(
      'web',
      {
        image: 'nginx:1.27',
        build: { context: '.' },
        container_name: 'shop-web',
        labels: ['a=1', 'bare'],
        depends_on: { db: { condition: 'service_healthy' }, cache: {} },
        network_mode: 'host',
        profiles: ['front'],
      },
      ctx(),
    );
    expect(s).toMatchObject({
      name: 'web',
      image: 'nginx:1.27',
      hasBuild: true,
      containerName: 'shop-web',
      labels: { a: '1', bare: '' },
      dependsOn: ['db', 'cache'],
      healthyDependencies: ['db'],
      networkMode: 'host',
      profiles: ['front'],
    });
  });
  it('defaults: no image, no build, one replica, nothing set', () => {
    const s = normalizeService('job', { depends_on: ['db'] }, ctx());
    expect(s).toEqual({
      name: 'job',
      image: undefined,
      hasBuild: false,
      containerName: undefined,
      command: null,
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
      dependsOn: ['db'],
      networkMode: undefined,
      profiles: [],
      unrendered: ['image (none)'],
    });
  });
  it('lists what bcon cannot render into a container of its own, and nothing for what it can', () => {
    const plain = normalizeService('web', { image: 'nginx:1', user: '101', working_dir: '/srv', tmpfs: '/run:size=1m', stop_grace_period: '20s', environment: { A: '1' }, volumes: ['./conf:/etc/conf:ro', 'data:/data'], deploy: { replicas: 2, resources: { limits: { memory: '64m' } }, restart_policy: { condition: 'on-failure' } }, 'x-note': 'ignored' }, ctx());
    expect(plain.unrendered).toEqual([]);
    expect(normalizeService('web', { image: 'nginx:1', volumes: ['../../outside:/o', '~/certs:/certs:ro', '/etc/ssl:/ssl:ro', './in:/in'] }, ctx()).unrendered).toEqual(['volumes (../../outside: outside the repository)', 'volumes (~/certs: outside the repository)']);
    expect(plain).toMatchObject({ user: '101', workingDir: '/srv', tmpfs: ['/run:size=1m'], stopGraceNs: 20e9 });
    const more = normalizeService('es', { image: 'es:8', ulimits: { nofile: { soft: 1024, hard: 2048 }, nproc: 512 }, extra_hosts: ['db=10.0.0.2', 'cache:10.0.0.3'], cap_add: ['IPC_LOCK'], read_only: true, shm_size: '64m', sysctls: ['net.core.somaxconn=1024'], expose: ['9300', 9301] }, ctx());
    expect(more.unrendered).toEqual([]);
    expect(more).toMatchObject({ ulimits: [{ name: 'nofile', soft: 1024, hard: 2048 }, { name: 'nproc', soft: 512, hard: 512 }], extraHosts: ['db:10.0.0.2', 'cache:10.0.0.3'], capAdd: ['IPC_LOCK'], readOnly: true, shmSizeBytes: 64 * 1024 * 1024, sysctls: { 'net.core.somaxconn': '1024' }, expose: ['9300', '9301'] });
    const odd = normalizeService('web', { build: '.', privileged: true, cpu_quota: 50000, ulimits: { nofile: 'unlimited' }, networks: ['back'], environment: ['FROM_SHELL'], volumes: ['./a:/a:z', { type: 'bind', source: './b', target: '/b', bind: { propagation: 'rshared' } }], deploy: { placement: { constraints: [] }, restart_policy: { delay: '5s' } } }, ctx());
    expect(odd.unrendered).toEqual(['privileged', 'cpu_quota', 'networks', 'build (no image)', 'deploy.placement', 'deploy.restart_policy.delay', 'environment.FROM_SHELL (from the shell)', 'volumes (mode z)', 'volumes (bind, bind)', 'ulimits']);
  });
  it('expands ~ in a bind source to the home directory, as compose does', () => {
    const [m] = normalizeVolumes(['~/certs:/certs:ro'], ctx());
    expect(m).toMatchObject({ type: 'bind', source: path.join(homedir(), 'certs'), target: '/certs', readOnly: true });
  });
  it('knows where compose mounts secrets and configs, and notes volumes_from', () => {
    const s = normalizeService('web', { secrets: ['db_pass', { source: 'tls', target: 'cert.pem' }], configs: ['nginx', { source: 'app', target: '/etc/app.conf' }], volumes_from: ['data'] }, ctx());
    expect(s.managedMountTargets).toEqual(['/run/secrets/db_pass', '/run/secrets/cert.pem', '/nginx', '/etc/app.conf']);
    expect(s.volumesFrom).toBe(true);
  });
  it('splits a string command and entrypoint like a shell; keeps list forms', () => {
    const s = normalizeService('web', { command: 'sh -c "echo hi && sleep 1"', entrypoint: ['/init', '--'] }, ctx());
    expect(s.command).toEqual(['sh', '-c', 'echo hi && sleep 1']);
    expect(s.entrypoint).toEqual(['/init', '--']);
  });
  it('keeps an explicitly empty command as an empty list, distinct from the image default (null)', () => {
    expect(normalizeService('web', { command: [] }, ctx()).command).toEqual([]);
    expect(normalizeService('web', { command: null }, ctx()).command).toBeNull();
  });
  it('names the service in a port error', () => {
    expect(() => normalizeService('web', { ports: ['x'] }, ctx())).toThrow('app/compose.yaml: services.web.ports: "x" is not a port mapping');
  });
});

describe('normalizeService: healthcheck', () => {
  it('a string test runs through the shell (CMD-SHELL), with durations in nanoseconds', () => {
    const s = normalizeService('web', { healthcheck: { test: 'curl -f http://localhost || exit 1', interval: '30s', timeout: '5s', start_period: '1m', retries: 3 } }, ctx());
    expect(s.healthcheck).toEqual({
      test: ['CMD-SHELL', 'curl -f http://localhost || exit 1'],
      intervalNs: 30e9,
      timeoutNs: 5e9,
      startPeriodNs: 60e9,
      retries: 3,
    });
  });
  it('a list test is kept as it is; unset fields stay undefined', () => {
    const s = normalizeService('web', { healthcheck: { test: ['CMD', 'pg_isready', '-U', 'postgres'] } }, ctx());
    expect(s.healthcheck).toEqual({ test: ['CMD', 'pg_isready', '-U', 'postgres'], intervalNs: undefined, timeoutNs: undefined, startPeriodNs: undefined, retries: undefined });
  });
  it('disable: true and test: ["NONE"] both disable the image healthcheck', () => {
    expect(normalizeService('web', { healthcheck: { disable: true } }, ctx()).healthcheck).toBe('disabled');
    expect(normalizeService('web', { healthcheck: { test: ['NONE'] } }, ctx()).healthcheck).toBe('disabled');
  });
  it('a healthcheck without test keeps the image test but sets the timings', () => {
    expect(normalizeService('web', { healthcheck: { interval: '1m30s' } }, ctx()).healthcheck).toMatchObject({ test: undefined, intervalNs: 90e9 });
  });
  it('a bad duration names the field', () => {
    expect(() => normalizeService('web', { healthcheck: { interval: 'often' } }, ctx())).toThrow('app/compose.yaml: services.web.healthcheck.interval: "often" is not a duration');
  });
});

describe('normalizeService: restart', () => {
  const restart = (svc: Record<string, unknown>) => normalizeService('web', svc, ctx()).restart;
  it('reads restart strings, with the retry count of on-failure', () => {
    expect(restart({ restart: 'always' })).toEqual({ name: 'always', maximumRetryCount: 0 });
    expect(restart({ restart: 'unless-stopped' })).toEqual({ name: 'unless-stopped', maximumRetryCount: 0 });
    expect(restart({ restart: 'no' })).toEqual({ name: 'no', maximumRetryCount: 0 });
    expect(restart({ restart: 'on-failure' })).toEqual({ name: 'on-failure', maximumRetryCount: 0 });
    expect(restart({ restart: 'on-failure:5' })).toEqual({ name: 'on-failure', maximumRetryCount: 5 });
  });
  it('maps deploy.restart_policy conditions to engine policies', () => {
    expect(restart({ deploy: { restart_policy: { condition: 'on-failure', max_attempts: 3 } } })).toEqual({ name: 'on-failure', maximumRetryCount: 3 });
    expect(restart({ deploy: { restart_policy: { condition: 'any' } } })).toEqual({ name: 'always', maximumRetryCount: 0 });
    expect(restart({ deploy: { restart_policy: { condition: 'none' } } })).toEqual({ name: 'no', maximumRetryCount: 0 });
  });
  it('deploy.restart_policy wins over restart when both are set (docker compose applies it last)', () => {
    expect(restart({ restart: 'always', deploy: { restart_policy: { condition: 'on-failure', max_attempts: 2 } } })).toEqual({ name: 'on-failure', maximumRetryCount: 2 });
  });
  it('no restart and no policy: undefined (the engine default)', () => {
    expect(restart({ deploy: { replicas: 2 } })).toBeUndefined();
  });
});

describe('normalizeService: replicas and resources', () => {
  const spec = (svc: Record<string, unknown>) => normalizeService('web', svc, ctx());
  it('deploy.replicas and scale each set the replica count; equal values agree', () => {
    expect(spec({ deploy: { replicas: 3 } }).replicas).toBe(3);
    expect(spec({ scale: 2 }).replicas).toBe(2);
    expect(spec({ scale: 4, deploy: { replicas: 4 } }).replicas).toBe(4);
    expect(spec({ deploy: { replicas: 0 } }).replicas).toBe(0);
  });
  it('mem_limit and deploy.resources.limits.memory each set the memory limit', () => {
    expect(spec({ mem_limit: '512m' }).memoryBytes).toBe(512 * 1024 ** 2);
    expect(spec({ deploy: { resources: { limits: { memory: '1g' } } } }).memoryBytes).toBe(1024 ** 3);
    expect(spec({ mem_limit: 1073741824, deploy: { resources: { limits: { memory: '1g' } } } }).memoryBytes).toBe(1024 ** 3);
  });
  it('mem_reservation and deploy.resources.reservations.memory set the reservation', () => {
    expect(spec({ mem_reservation: '256m' }).memoryReservationBytes).toBe(256 * 1024 ** 2);
    expect(spec({ deploy: { resources: { reservations: { memory: '128m' } } } }).memoryReservationBytes).toBe(128 * 1024 ** 2);
  });
  it('cpus and deploy.resources.limits.cpus become nano CPUs', () => {
    expect(spec({ cpus: 1.5 }).nanoCpus).toBe(1_500_000_000);
    expect(spec({ deploy: { resources: { limits: { cpus: '0.25' } } } }).nanoCpus).toBe(250_000_000);
  });
  it('cpu_quota (over cpu_period, default 100000) is a CPU limit too, as the engine reports it', () => {
    expect(spec({ cpu_quota: 50_000 }).nanoCpus).toBe(500_000_000);
    expect(spec({ cpu_quota: 50_000, cpu_period: 200_000 }).nanoCpus).toBe(250_000_000);
    expect(spec({ cpu_quota: -1 }).nanoCpus).toBeUndefined();
    expect(spec({}).nanoCpus).toBeUndefined();
  });
  it('a bad memory value names the field', () => {
    expect(() => spec({ mem_limit: 'big' })).toThrow('app/compose.yaml: services.web.mem_limit: "big" is not a size');
  });
});

describe('normalizeService: environment', () => {
  it('env_file values come first, environment wins on the same key', () => {
    const s = normalizeService('web', { environment: { B: 'from-environment', C: 3 } }, ctx({ envFromFiles: { A: 'file-a', B: 'file-b' } }));
    expect(s.environment).toEqual({ A: 'file-a', B: 'from-environment', C: '3' });
  });
  it('list syntax; a bare KEY is null (taken from the shell at up time)', () => {
    const s = normalizeService('web', { environment: ['A=1', 'B', 'C=x=y'] }, ctx());
    expect(s.environment).toEqual({ A: '1', B: null, C: 'x=y' });
  });
});
