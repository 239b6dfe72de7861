import { describe, expect, it } from 'vitest';
import { mergeCompose, mergeValues, toMap } from './merge.js';

type Obj = Record<string, unknown>;
const svc = (doc: Obj, name: string): Obj => (doc['services'] as Obj)[name] as Obj;

describe('toMap', () => {
  it('reads KEY=VALUE lists, with null for a bare KEY and only the first = splitting', () => {
    expect(toMap(['A=1', 'B', 'C=x=y', 'D='])).toEqual({ A: '1', B: null, C: 'x=y', D: '' });
  });
  it('reads maps, stringifying scalars and keeping null', () => {
    expect(toMap({ A: 1, B: true, C: null, D: 'd' })).toEqual({ A: '1', B: 'true', C: null, D: 'd' });
  });
  it('gives an empty map for anything else', () => {
    expect(toMap(undefined)).toEqual({});
    expect(toMap('A=1')).toEqual({});
  });
  it('honours another separator', () => {
    expect(toMap(['host:10.0.0.1'], ':')).toEqual({ host: '10.0.0.1' });
  });
});

describe('mergeCompose: mappings', () => {
  it('merges mappings recursively, the override winning on scalars', () => {
    const base = { name: 'p', services: { web: { image: 'nginx:1', restart: 'always', deploy: { replicas: 1, resources: { limits: { memory: '1g' } } } } } };
    const over = { services: { web: { image: 'nginx:2', deploy: { resources: { limits: { cpus: '0.5' } } } }, db: { image: 'postgres' } } };
    expect(mergeCompose(base, over)).toEqual({
      name: 'p',
      services: {
        web: { image: 'nginx:2', restart: 'always', deploy: { replicas: 1, resources: { limits: { memory: '1g', cpus: '0.5' } } } },
        db: { image: 'postgres' },
      },
    });
  });
  it('does not modify its inputs', () => {
    const base = { services: { web: { image: 'a', environment: { A: '1' } } } };
    const over = { services: { web: { image: 'b', environment: { B: '2' } } } };
    const copyBase = structuredClone(base);
    const copyOver = structuredClone(over);
    mergeCompose(base, over);
    expect(base).toEqual(copyBase);
    expect(over).toEqual(copyOver);
  });
  it('keeps the base when the override leaves a key undefined', () => {
    expect(mergeValues('image', 'a', undefined)).toBe('a');
  });
  it('lets a scalar in the override replace a mapping and vice versa', () => {
    expect(mergeValues('x', { a: 1 }, 'flat')).toBe('flat');
    expect(mergeValues('x', 'flat', { a: 1 })).toEqual({ a: 1 });
  });
});

describe('mergeCompose: replaced keys', () => {
  it('replaces command and entrypoint instead of concatenating them', () => {
    const out = mergeCompose(
      { services: { web: { command: ['npm', 'start'], entrypoint: ['/init', '--'] } } },
      { services: { web: { command: ['node', 'server.js'], entrypoint: ['/bin/sh', '-c'] } } },
    );
    expect(svc(out, 'web')['command']).toEqual(['node', 'server.js']);
    expect(svc(out, 'web')['entrypoint']).toEqual(['/bin/sh', '-c']);
  });
  it('replaces a list command with a string command', () => {
    const out = mergeCompose({ services: { web: { command: ['a', 'b'] } } }, { services: { web: { command: 'c d' } } });
    expect(svc(out, 'web')['command']).toBe('c d');
  });
  it('replaces healthcheck.test but merges the rest of healthcheck', () => {
    const out = mergeCompose(
      { services: { web: { healthcheck: { test: ['CMD', 'curl', '-f', 'http://localhost'], interval: '30s', retries: 3 } } } },
      { services: { web: { healthcheck: { test: ['CMD-SHELL', 'true'], retries: 5 } } } },
    );
    expect(svc(out, 'web')['healthcheck']).toEqual({ test: ['CMD-SHELL', 'true'], interval: '30s', retries: 5 });
  });
});

describe('mergeCompose: keyed maps', () => {
  it('merges environment by key across list and map syntax (list base, map override)', () => {
    const out = mergeCompose(
      { services: { web: { environment: ['A=1', 'B=2', 'BARE'] } } },
      { services: { web: { environment: { B: 'two', C: 3 } } } },
    );
    expect(svc(out, 'web')['environment']).toEqual({ A: '1', B: 'two', BARE: null, C: '3' });
  });
  it('merges environment by key across map and list syntax (map base, list override)', () => {
    const out = mergeCompose({ services: { web: { environment: { A: '1', B: '2' } } } }, { services: { web: { environment: ['B=3', 'D=4'] } } });
    expect(svc(out, 'web')['environment']).toEqual({ A: '1', B: '3', D: '4' });
  });
  it('lets the override turn a value into a bare KEY (null)', () => {
    const out = mergeCompose({ services: { web: { environment: { A: '1' } } } }, { services: { web: { environment: ['A'] } } });
    expect(svc(out, 'web')['environment']).toEqual({ A: null });
  });
  it('merges labels by key', () => {
    const out = mergeCompose(
      { services: { web: { labels: ['traefik.enable=true', 'com.example.team=a'] } } },
      { services: { web: { labels: { 'com.example.team': 'b', 'com.example.tier': 'front' } } } },
    );
    expect(svc(out, 'web')['labels']).toEqual({ 'traefik.enable': 'true', 'com.example.team': 'b', 'com.example.tier': 'front' });
  });
  it('merges build.args and sysctls by key', () => {
    const out = mergeCompose(
      { services: { web: { build: { context: '.', args: ['V=1', 'W=1'] }, sysctls: ['net.core.somaxconn=1024'] } } },
      { services: { web: { build: { args: { V: '2' } }, sysctls: { 'net.ipv4.tcp_syncookies': 0 } } } },
    );
    expect(svc(out, 'web')['build']).toEqual({ context: '.', args: { V: '2', W: '1' } });
    expect(svc(out, 'web')['sysctls']).toEqual({ 'net.core.somaxconn': '1024', 'net.ipv4.tcp_syncookies': '0' });
  });
  it('merges extra_hosts by host name, also in the HOST:IP list form', () => {
    const out = mergeCompose({ services: { web: { extra_hosts: ['db:10.0.0.1', 'cache=10.0.0.9'] } } }, { services: { web: { extra_hosts: ['db:10.0.0.2'] } } });
    // whatever the syntax of the result (list or map), it maps each host to one address
    const value = svc(out, 'web')['extra_hosts'];
    const hosts = Array.isArray(value)
      ? Object.fromEntries(value.map((h) => String(h).split(/[=:](.*)/s).slice(0, 2)))
      : (value as Record<string, string>);
    expect(hosts).toEqual({ db: '10.0.0.2', cache: '10.0.0.9' });
  });
});

describe('mergeCompose: volumes, ports and other sequences', () => {
  it('merges volumes by container path, the override replacing the entry with the same target in place', () => {
    const out = mergeCompose(
      { services: { web: { volumes: ['./conf:/etc/nginx:ro', 'data:/var/lib/data', '/cache'] } } },
      { services: { web: { volumes: ['./other-conf:/etc/nginx', { type: 'bind', source: './logs', target: '/var/log' }] } } },
    );
    expect(svc(out, 'web')['volumes']).toEqual([
      './other-conf:/etc/nginx',
      'data:/var/lib/data',
      '/cache',
      { type: 'bind', source: './logs', target: '/var/log' },
    ]);
  });
  it('matches short and long volume syntax on the same target', () => {
    const out = mergeCompose(
      { services: { web: { volumes: ['data:/data'] } } },
      { services: { web: { volumes: [{ type: 'volume', source: 'other', target: '/data', read_only: true }] } } },
    );
    expect(svc(out, 'web')['volumes']).toEqual([{ type: 'volume', source: 'other', target: '/data', read_only: true }]);
  });
  it('replaces an anonymous volume by a named one on the same path', () => {
    const out = mergeCompose({ services: { web: { volumes: ['/data'] } } }, { services: { web: { volumes: ['named:/data'] } } });
    expect(svc(out, 'web')['volumes']).toEqual(['named:/data']);
  });
  it('concatenates ports without duplicates', () => {
    const out = mergeCompose(
      { services: { web: { ports: ['80:80', '443:443', { target: 9000, published: '9000' }] } } },
      { services: { web: { ports: ['443:443', '8080:80', { target: 9000, published: '9000' }] } } },
    );
    expect(svc(out, 'web')['ports']).toEqual(['80:80', '443:443', { target: 9000, published: '9000' }, '8080:80']);
  });
  it('keeps two ports with the same container port but different host ports', () => {
    const out = mergeCompose({ services: { web: { ports: ['8080:80'] } } }, { services: { web: { ports: ['8081:80'] } } });
    expect(svc(out, 'web')['ports']).toEqual(['8080:80', '8081:80']);
  });
  it('concatenates other sequences (dns, profiles) without duplicates', () => {
    const out = mergeCompose(
      { services: { web: { dns: ['1.1.1.1', '8.8.8.8'], profiles: ['a'] } } },
      { services: { web: { dns: ['8.8.8.8', '9.9.9.9'], profiles: ['a', 'b'] } } },
    );
    expect(svc(out, 'web')['dns']).toEqual(['1.1.1.1', '8.8.8.8', '9.9.9.9']);
    expect(svc(out, 'web')['profiles']).toEqual(['a', 'b']);
  });
  it('merges devices by container path', () => {
    const out = mergeCompose(
      { services: { web: { devices: ['/dev/ttyUSB0:/dev/ttyUSB0', '/dev/sda:/dev/xvda:rwm'] } } },
      { services: { web: { devices: ['/dev/ttyUSB1:/dev/ttyUSB0'] } } },
    );
    expect(svc(out, 'web')['devices']).toEqual(['/dev/ttyUSB1:/dev/ttyUSB0', '/dev/sda:/dev/xvda:rwm']);
  });
  it('merges tmpfs by its mount path (PATH[:OPTIONS]), not by its options', () => {
    const out = mergeCompose({ services: { web: { tmpfs: ['/run:size=64m', '/tmp:size=64m'] } } }, { services: { web: { tmpfs: ['/tmp:size=128m'] } } });
    expect(svc(out, 'web')['tmpfs']).toEqual(['/run:size=64m', '/tmp:size=128m']);
  });
  it('merges secrets by target (long syntax) or name (short syntax)', () => {
    const out = mergeCompose(
      { services: { web: { secrets: ['db_pass', { source: 'api_key', target: 'key' }] } } },
      { services: { web: { secrets: ['db_pass', { source: 'api_key_v2', target: 'key' }, 'extra'] } } },
    );
    expect(svc(out, 'web')['secrets']).toEqual(['db_pass', { source: 'api_key_v2', target: 'key' }, 'extra']);
  });
  it('merges top-level volumes and networks as mappings', () => {
    const out = mergeCompose(
      { volumes: { data: { driver: 'local' } }, networks: { front: {} } },
      { volumes: { data: { labels: ['a=1'] }, logs: {} }, networks: { back: { internal: true } } },
    );
    expect(out).toEqual({
      volumes: { data: { driver: 'local', labels: ['a=1'] }, logs: {} },
      networks: { front: {}, back: { internal: true } },
    });
  });
});
