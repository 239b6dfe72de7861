import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readBconConfig } from './bcon-config.js';
import { loadDesiredState, readProjectPlacement } from './desired-state.js';
import { DesiredStateError } from './errors.js';
import { worktreeSource } from './source.js';

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function fixture(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bcon-desired-'));
  temps.push(root);
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(root, ...rel.split('/'));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return root;
}

const TWO_PROJECTS = {
  'bcon.yaml': [
    'projects:',
    '  - path: apps/api',
    '  - path: apps/web',
    '    name: Storefront',
    '    files: [compose.yaml, compose.prod.yaml]',
    '    profiles: [edge]',
    'hosts:',
    '  prod: ssh://deploy@prod',
    'llm:',
    '  provider: none',
    '',
  ].join('\n'),
  'apps/api/compose.yaml': 'services:\n  api:\n    image: api:${API_TAG}\n    volumes: ["./migrations:/migrations:ro"]\n',
  'apps/api/.env': 'API_TAG=2.0\n',
  'apps/web/compose.yaml': 'services:\n  web:\n    image: web:1\n  proxy:\n    image: caddy\n    profiles: [edge]\n  debug:\n    image: busybox\n    profiles: [debug]\n',
  'apps/web/compose.prod.yaml': 'services:\n  web:\n    image: web:1-prod\n',
  'apps/web/compose.override.yaml': 'services:\n  web:\n    image: web:dev\n',
  'compose.yaml': 'services:\n  root:\n    image: not-read\n',
};

describe('loadDesiredState with bcon.yaml', () => {
  it('loads every project listed, each from its own directory, with its files, name and profiles', async () => {
    const root = fixture(TWO_PROJECTS);
    const state = await loadDesiredState(worktreeSource(root), { env: {} });
    expect(state.source).toBe('worktree');
    expect(state.commit).toBeUndefined();
    expect(state.projects.map((p) => p.name)).toEqual(['api', 'storefront']);

    const [api, web] = state.projects;
    expect(api?.dir).toBe('apps/api');
    expect(api?.files).toEqual(['apps/api/compose.yaml']);
    expect(api?.services['api']?.image).toBe('api:2.0');
    expect(api?.services['api']?.volumes[0]).toMatchObject({ type: 'bind', source: path.join(root, 'apps/api/migrations'), repoPath: 'apps/api/migrations', readOnly: true });

    expect(web?.dir).toBe('apps/web');
    expect(web?.files).toEqual(['apps/web/compose.yaml', 'apps/web/compose.prod.yaml']);
    expect(web?.services['web']?.image).toBe('web:1-prod');
    expect(Object.keys(web?.services ?? {})).toEqual(['web', 'proxy']);
    expect(web?.disabled).toEqual(['debug']);
    expect(web?.activeProfiles).toEqual(['edge']);
  });
  it('passes the shell environment to every project', async () => {
    const root = fixture(TWO_PROJECTS);
    const state = await loadDesiredState(worktreeSource(root), { env: { API_TAG: 'shell' } });
    expect(state.projects[0]?.services['api']?.image).toBe('api:shell');
  });
  it('reads the root compose file when there is no bcon.yaml', async () => {
    const { 'bcon.yaml': _config, ...files } = TWO_PROJECTS;
    const state = await loadDesiredState(worktreeSource(fixture(files)), { env: {} });
    expect(state.projects).toHaveLength(1);
    expect(state.projects[0]?.dir).toBe('.');
    expect(state.projects[0]?.files).toEqual(['compose.yaml']);
    expect(Object.keys(state.projects[0]?.services ?? {})).toEqual(['root']);
  });
  it('reads the root compose file when bcon.yaml lists no projects', async () => {
    const root = fixture({ ...TWO_PROJECTS, 'bcon.yaml': 'projects: []\n' });
    const state = await loadDesiredState(worktreeSource(root), { env: {} });
    expect(state.projects.map((p) => p.files)).toEqual([['compose.yaml']]);
  });
  it('a project path defaults to the repository root', async () => {
    const root = fixture({ ...TWO_PROJECTS, 'bcon.yaml': 'projects:\n  - name: main\n' });
    const state = await loadDesiredState(worktreeSource(root), { env: {} });
    expect(state.projects.map((p) => [p.name, p.dir])).toEqual([['main', '.']]);
  });
  it('names the project directory that has no compose file', async () => {
    const root = fixture({ ...TWO_PROJECTS, 'bcon.yaml': 'projects:\n  - path: apps/none\n' });
    await expect(loadDesiredState(worktreeSource(root), { env: {} })).rejects.toThrow(/^no compose file in apps\/none at worktree/);
  });
});

describe('invalid bcon.yaml', () => {
  it('an unknown key in a project names bcon.yaml and the path', async () => {
    const root = fixture({ ...TWO_PROJECTS, 'bcon.yaml': 'projects:\n  - path: apps/api\n  - pth: apps/web\n' });
    let error: unknown;
    try {
      await loadDesiredState(worktreeSource(root), { env: {} });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DesiredStateError);
    const err = error as DesiredStateError;
    expect(err.message).toMatch(/^bcon\.yaml: projects\.1: .*"pth"/);
    expect(err.code).toBe('config_invalid');
    expect(err.file).toBe('bcon.yaml');
    expect(err.path).toBe('projects.1');
  });
  it('an unknown top-level key is reported at (top level)', async () => {
    const root = fixture({ 'bcon.yaml': 'projets: []\n' });
    await expect(readBconConfig(worktreeSource(root))).rejects.toThrow(/^bcon\.yaml: \(top level\): .*"projets"/);
  });
  it('a wrong type names the path', async () => {
    const root = fixture({ 'bcon.yaml': 'projects:\n  - path: 3\n' });
    await expect(readBconConfig(worktreeSource(root))).rejects.toThrow(/^bcon\.yaml: projects\.0\.path: /);
  });
  it('invalid YAML names bcon.yaml', async () => {
    const root = fixture({ 'bcon.yaml': 'projects: [\n' });
    const err = await readBconConfig(worktreeSource(root)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DesiredStateError);
    expect((err as DesiredStateError).message).toMatch(/^bcon\.yaml:2:1: invalid YAML: /);
    expect((err as DesiredStateError).code).toBe('config_yaml');
  });
  it('no bcon.yaml: undefined; an empty one: no projects', async () => {
    expect(await readBconConfig(worktreeSource(fixture({})))).toBeUndefined();
    expect(await readBconConfig(worktreeSource(fixture({ 'bcon.yaml': '' })))).toEqual({});
  });
});

describe('projects placed on hosts', () => {
  const placed = (host: string) =>
    fixture({
      'bcon.yaml': `hosts:\n  web1: ssh://deploy@web1\n  db1: ssh://deploy@db1\nprojects:\n  - path: shop\n    host: web1\n  - path: data\n    host: [db1]\n  - path: tools\n${host}`,
      'shop/compose.yaml': 'services:\n  web:\n    image: web:1\n',
      'data/compose.yaml': 'services:\n  db:\n    image: postgres:16\n',
      'tools/compose.yaml': 'services:\n  cron:\n    image: busybox\n',
    });
  it('records where each project runs; a project without host: runs on every host', async () => {
    const { desiredOnHost, hostNameOf } = await import('./placement.js');
    const state = await loadDesiredState(worktreeSource(placed('')), { env: {} });
    expect(state.placement).toEqual({ shop: ['web1'], data: ['db1'] });
    const web1 = desiredOnHost(state, 'web1');
    expect(web1.desired.projects.map((p) => p.name)).toEqual(['shop', 'tools']);
    expect([...web1.elsewhere]).toEqual([['data', ['db1']]]);
    expect(desiredOnHost(state, 'db1').desired.projects.map((p) => p.name)).toEqual(['data', 'tools']);
    expect(hostNameOf(state, 'ssh://deploy@db1')).toBe('db1');
    expect(hostNameOf(state, 'ssh://deploy@other')).toBeUndefined();
  });
  it('refuses a project placed on a host that hosts: does not name, saying where', async () => {
    const err = await loadDesiredState(worktreeSource(placed('    host: web2\n')), { env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DesiredStateError);
    expect((err as Error).message).toBe('bcon.yaml: projects.2.host: no host named "web2" in hosts: (web1, db1)');
  });
  it('readProjectPlacement: the hosts of one project from bcon.yaml alone, by its path and name; no compose file is read', async () => {
    const root = placed('');
    // a compose file that cannot be read: only bcon.yaml is
    writeFileSync(path.join(root, 'shop', 'compose.yaml'), 'services: [\n');
    const source = worktreeSource(root);
    const hosts = { web1: 'ssh://deploy@web1', db1: 'ssh://deploy@db1' };
    expect(await readProjectPlacement(source, { dir: './shop', name: 'shop' })).toEqual({ hosts, placement: { shop: ['web1'] } });
    expect(await readProjectPlacement(source, { dir: 'data', name: 'nightly' })).toEqual({ hosts, placement: { nightly: ['db1'] } });
    expect(await readProjectPlacement(source, { dir: 'tools', name: 'tools' })).toEqual({ hosts });
    expect(await readProjectPlacement(source, { dir: 'elsewhere', name: 'x' })).toEqual({ hosts });
    const named = fixture({ 'bcon.yaml': 'hosts:\n  a: unix:///a.sock\nprojects:\n  - path: .\n    name: Blog\n    host: a\n' });
    expect(await readProjectPlacement(worktreeSource(named), { dir: '', name: 'blog' })).toEqual({ hosts: { a: 'unix:///a.sock' }, placement: { blog: ['a'] } });
    expect(await readProjectPlacement(worktreeSource(named), { dir: '.', name: 'other' })).toEqual({ hosts: { a: 'unix:///a.sock' } });
    // a named entry is its project wherever compose ran it from; a nameless one matches its path, trailing slash or not
    expect(await readProjectPlacement(worktreeSource(named), { dir: 'deploy', name: 'blog' })).toEqual({ hosts: { a: 'unix:///a.sock' }, placement: { blog: ['a'] } });
    const slashes = fixture({ 'bcon.yaml': 'hosts:\n  a: unix:///a.sock\nprojects:\n  - path: ./\n    host: a\n  - path: shop/\n    host: a\n' });
    expect(await readProjectPlacement(worktreeSource(slashes), { dir: '', name: 'x' })).toEqual({ hosts: { a: 'unix:///a.sock' }, placement: { x: ['a'] } });
    expect(await readProjectPlacement(worktreeSource(slashes), { dir: 'shop', name: 'shop' })).toEqual({ hosts: { a: 'unix:///a.sock' }, placement: { shop: ['a'] } });
    expect(await readProjectPlacement(worktreeSource(fixture({ 'compose.yaml': 'services: {}\n' })), { dir: '.', name: 'x' })).toEqual({});
    await expect(readProjectPlacement(worktreeSource(fixture({ 'bcon.yaml': 'projects: 5\n' })), { dir: '.', name: 'x' })).rejects.toThrow(DesiredStateError);
  });
});

describe('bcon.yaml hosts', () => {
  it('takes an address, or an address and a key file; says what a host entry should be', async () => {
    const { hostAddresses, hostKeyFiles, parseBconConfig } = await import('./bcon-config.js');
    const config = parseBconConfig('hosts:\n  web1: ssh://deploy@web1\n  db1:\n    address: ssh://deploy@db1:2222\n    key: keys/db1\n  ops:\n    address: ssh://ops@ops\n    key: ~/.ssh/ops\n');
    expect(hostAddresses(config)).toEqual({ web1: 'ssh://deploy@web1', db1: 'ssh://deploy@db1:2222', ops: 'ssh://ops@ops' });
    expect(hostKeyFiles(config, '/repo')).toEqual({ db1: '/repo/keys/db1', ops: path.join(os.homedir(), '.ssh/ops') });
    expect(() => parseBconConfig('hosts:\n  k: 5\n')).toThrow('bcon.yaml: hosts.k: expected an engine address (ssh://user@host[:port], unix:///path) or { address, key }');
  });
});
