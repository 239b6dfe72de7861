import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DesiredStateError } from '../errors.js';
import { gitRefSource, worktreeSource } from '../source.js';
import type { ProjectOptions } from './load.js';
import { loadComposeProject, normalizeProjectName } from './load.js';
import type { ComposeProject, ServiceSpec } from './service-spec.js';

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** Write `files` (paths relative to the root, `/` separators) under a fresh root directory named `rootName`. */
function fixture(files: Record<string, string>, rootName = 'repo'): string {
  const base = mkdtempSync(path.join(os.tmpdir(), 'bcon-load-'));
  temps.push(base);
  const root = path.join(base, rootName);
  mkdirSync(root, { recursive: true });
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(root, ...rel.split('/'));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return root;
}

const load = (root: string, options: ProjectOptions = {}): Promise<ComposeProject> => loadComposeProject(worktreeSource(root), { env: {}, ...options });

function service(project: ComposeProject, name: string): ServiceSpec {
  const svc = project.services[name];
  if (!svc) throw new Error(`no service ${name} in ${Object.keys(project.services).join(', ')}`);
  return svc;
}

async function errorOf(promise: Promise<unknown>): Promise<DesiredStateError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(DesiredStateError);
    return err as DesiredStateError;
  }
  throw new Error('expected a DesiredStateError');
}

describe('normalizeProjectName', () => {
  it('lower-cases, drops characters other than [a-z0-9_-] and leading _ or -', () => {
    expect(normalizeProjectName('My_App.v2')).toBe('my_appv2');
    expect(normalizeProjectName('__-Shop Front!')).toBe('shopfront');
    expect(normalizeProjectName('..')).toBe('');
  });
});

describe('loadComposeProject: files', () => {
  it('reads compose.yaml and merges compose.override.yaml over it', async () => {
    const root = fixture({
      'compose.yaml': 'services:\n  web:\n    image: nginx:1.25\n    environment:\n      A: "1"\n      B: "2"\n    ports: ["80:80"]\n',
      'compose.override.yaml': 'services:\n  web:\n    image: nginx:1.27\n    environment: ["B=override"]\n    ports: ["8080:80"]\n',
    });
    const project = await load(root);
    expect(project.files).toEqual(['compose.yaml', 'compose.override.yaml']);
    expect(project.dir).toBe('.');
    const web = service(project, 'web');
    expect(web.image).toBe('nginx:1.27');
    expect(web.environment).toEqual({ A: '1', B: 'override' });
    expect(web.ports.map((p) => `${p.published}:${p.target}`)).toEqual(['80:80', '8080:80']);
  });
  it('falls back to docker-compose.yml with docker-compose.override.yml', async () => {
    const root = fixture({
      'docker-compose.yml': 'services:\n  web:\n    image: old:1\n',
      'docker-compose.override.yml': 'services:\n  web:\n    restart: always\n',
    });
    const project = await load(root);
    expect(project.files).toEqual(['docker-compose.yml', 'docker-compose.override.yml']);
    expect(service(project, 'web').restart).toEqual({ name: 'always', maximumRetryCount: 0 });
  });
  it('prefers compose.yaml over docker-compose.yml', async () => {
    const root = fixture({ 'compose.yaml': 'services:\n  a:\n    image: new\n', 'docker-compose.yml': 'services:\n  b:\n    image: old\n' });
    const project = await load(root);
    expect(project.files).toEqual(['compose.yaml']);
    expect(Object.keys(project.services)).toEqual(['a']);
  });
  it('reads only the files given, in order, without adding the override file', async () => {
    const root = fixture({
      'compose.yaml': 'services:\n  web:\n    image: base\n',
      'compose.override.yaml': 'services:\n  web:\n    image: override\n',
      'compose.prod.yaml': 'services:\n  web:\n    image: prod\n',
    });
    const project = await load(root, { files: ['compose.yaml', 'compose.prod.yaml'] });
    expect(project.files).toEqual(['compose.yaml', 'compose.prod.yaml']);
    expect(service(project, 'web').image).toBe('prod');
  });
  it('names what it looked for when there is no compose file', async () => {
    const root = fixture({ 'README.md': 'nothing here' });
    const err = await errorOf(load(root));
    expect(err.code).toBe('compose_missing_file');
    expect(err.message).toBe(
      'no compose file in the repository root at worktree (looked for compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml): add one, or list projects in bcon.yaml',
    );
  });
  it('names a listed file that does not exist', async () => {
    const root = fixture({ 'compose.yaml': 'services: {}\n' });
    await expect(load(root, { files: ['compose.yaml', 'missing.yaml'] })).rejects.toThrow('missing.yaml: not found at worktree');
  });
  it('loads a project in a subdirectory: .env, relative binds and the name come from that directory', async () => {
    const root = fixture({
      'services/api/compose.yaml': 'services:\n  api:\n    image: api:${TAG}\n    volumes: ["./data:/data"]\n',
      'services/api/.env': 'TAG=3.1\n',
      '.env': 'TAG=wrong\n',
    });
    const project = await load(root, { dir: 'services/api' });
    expect(project.name).toBe('api');
    expect(project.dir).toBe('services/api');
    expect(project.files).toEqual(['services/api/compose.yaml']);
    const api = service(project, 'api');
    expect(api.image).toBe('api:3.1');
    expect(api.volumes[0]).toMatchObject({ type: 'bind', source: path.join(root, 'services/api/data'), repoPath: 'services/api/data' });
  });
  it('accepts an empty compose file', async () => {
    const root = fixture({ 'compose.yaml': '' });
    const project = await load(root);
    expect(project.services).toEqual({});
  });
});

describe('loadComposeProject: interpolation and env files', () => {
  const files = {
    'compose.yaml': 'services:\n  app:\n    image: "registry/app:${TAG}"\n    ports: ["${PORT:-8080}:80"]\n    environment:\n      MODE: ${MODE}\n',
    '.env': 'TAG=1.2\nMODE=from-dotenv\n',
  };
  it('interpolates from .env, with defaults', async () => {
    const app = service(await load(fixture(files)), 'app');
    expect(app.image).toBe('registry/app:1.2');
    expect(app.ports).toEqual([{ hostIp: '', published: '8080', target: 80, protocol: 'tcp' }]);
    expect(app.environment).toEqual({ MODE: 'from-dotenv' });
  });
  it('lets the shell environment win over .env', async () => {
    const app = service(await load(fixture(files), { env: { TAG: '9.9', PORT: '9000' } }), 'app');
    expect(app.image).toBe('registry/app:9.9');
    expect(app.ports[0]?.published).toBe('9000');
    expect(app.environment).toEqual({ MODE: 'from-dotenv' });
  });
  it('lets .env values use shell variables', async () => {
    const root = fixture({ 'compose.yaml': 'services:\n  app:\n    image: "app:${TAG}"\n', '.env': 'TAG=${BASE_TAG}-slim\n' });
    expect(service(await load(root, { env: { BASE_TAG: '7' } }), 'app').image).toBe('app:7-slim');
  });
  it('fails on ${VAR:?message} with the file, the path and the message', async () => {
    const root = fixture({ 'compose.yaml': 'services:\n  app:\n    image: "app:${TAG:?set TAG in .env}"\n' });
    await expect(load(root)).rejects.toThrow('compose.yaml: services.app.image: required variable TAG is missing a value: set TAG in .env');
    await expect(load(root, { env: { TAG: '' } })).rejects.toThrow(/required variable TAG is missing a value/);
    expect(service(await load(root, { env: { TAG: '2' } }), 'app').image).toBe('app:2');
  });
  it('reads env_file entries relative to the project directory, later files and environment winning', async () => {
    const root = fixture({
      'compose.yaml': 'services:\n  app:\n    image: app\n    env_file: [common.env, config/app.env]\n    environment:\n      C: from-environment\n',
      'common.env': 'A=common\nB=common\nC=common\n',
      'config/app.env': 'B=app\n',
    });
    expect(service(await load(root), 'app').environment).toEqual({ A: 'common', B: 'app', C: 'from-environment' });
  });
  it('fails naming the env_file that does not exist', async () => {
    const root = fixture({ 'compose.yaml': 'services:\n  app:\n    image: app\n    env_file: secrets.env\n' });
    const err = await errorOf(load(root));
    expect(err.message).toBe('compose.yaml: services.app.env_file: secrets.env not found at worktree');
    expect(err.code).toBe('compose_missing_file');
    expect(err.path).toBe('services.app.env_file');
  });
  it('skips a missing env_file marked required: false', async () => {
    const root = fixture({
      'compose.yaml': 'services:\n  app:\n    image: app\n    env_file:\n      - path: local.env\n        required: false\n      - path: base.env\n',
      'base.env': 'X=1\n',
    });
    expect(service(await load(root), 'app').environment).toEqual({ X: '1' });
  });
});

describe('loadComposeProject: extends', () => {
  it('extends a service of the same file, the extending service winning', async () => {
    const root = fixture({
      'compose.yaml': [
        'services:',
        '  base:',
        '    image: app:1',
        '    environment: { A: "1", B: "1" }',
        '    command: ["serve"]',
        '  worker:',
        '    extends: base',
        '    environment: [B=2]',
        '    command: ["work", "--fast"]',
        '',
      ].join('\n'),
    });
    const worker = service(await load(root), 'worker');
    expect(worker.image).toBe('app:1');
    expect(worker.environment).toEqual({ A: '1', B: '2' });
    expect(worker.command).toEqual(['work', '--fast']);
  });
  it('extends a service from another file, rebasing its relative bind and env_file onto this project', async () => {
    const root = fixture({
      'compose.yaml': 'services:\n  web:\n    extends:\n      file: common/base.yaml\n      service: webbase\n    ports: ["8080:80"]\n',
      'common/base.yaml': 'services:\n  webbase:\n    image: nginx:${NGINX}\n    volumes: ["./conf:/etc/nginx/conf.d:ro", "/abs:/abs"]\n    env_file: ./web.env\n',
      'common/web.env': 'FROM_BASE=yes\n',
      '.env': 'NGINX=1.27\n',
    });
    const web = service(await load(root), 'web');
    expect(web.image).toBe('nginx:1.27');
    expect(web.volumes).toEqual([
      { type: 'bind', source: path.join(root, 'common/conf'), target: '/etc/nginx/conf.d', readOnly: true, repoPath: 'common/conf' },
      { type: 'bind', source: '/abs', target: '/abs', readOnly: false, repoPath: undefined },
    ]);
    expect(web.environment).toEqual({ FROM_BASE: 'yes' });
    expect(web.ports.map((p) => p.published)).toEqual(['8080']);
  });
  it('names a missing base service', async () => {
    const root = fixture({ 'compose.yaml': 'services:\n  web:\n    extends: nothere\n' });
    await expect(load(root)).rejects.toThrow('compose.yaml: services.nothere: not defined (needed by extends)');
  });
  it('refuses an extends cycle', async () => {
    const root = fixture({ 'compose.yaml': 'services:\n  a:\n    image: x\n    extends: b\n  b:\n    image: y\n    extends: a\n' });
    await expect(load(root)).rejects.toThrow(/extends: cycle/);
  });
});

describe('loadComposeProject: one-off jobs', () => {
  it('marks a service others wait for with condition service_completed_successfully, and no other', async () => {
    const root = fixture({
      'compose.yaml': [
        'services:',
        '  migrate:',
        '    image: app',
        '  seed:',
        '    image: app',
        '  db:',
        '    image: postgres',
        '  web:',
        '    image: app',
        '    depends_on:',
        '      migrate: {condition: service_completed_successfully}',
        '      db: {condition: service_healthy}',
        '  worker:',
        '    image: app',
        '    depends_on: {migrate: {condition: service_completed_successfully}, seed: {condition: service_started}}',
        '',
      ].join('\n'),
    });
    const project = await load(root);
    expect(service(project, 'migrate').completionAwaitedBy).toEqual(['web', 'worker']);
    for (const name of ['seed', 'db', 'web', 'worker']) expect(service(project, name).completionAwaitedBy).toBeUndefined();
  });
});

describe('loadComposeProject: include', () => {
  it('reads a bare env_file of an included file from that file\'s directory', async () => {
    const root = fixture({
      'compose.yaml': 'include: [sub/compose.yaml]\nservices:\n  web:\n    image: nginx\n',
      'sub/compose.yaml': 'services:\n  db:\n    image: postgres\n    env_file: app.env\n',
      'sub/app.env': 'FROM_SUB=yes\n',
      'app.env': 'FROM_ROOT=yes\n',
    });
    const project = await load(root);
    expect(project.services['db']?.environment).toEqual({ FROM_SUB: 'yes' });
  });

  it('adds the services of an included file', async () => {
    const root = fixture({
      'compose.yaml': 'include:\n  - db/compose.yaml\nservices:\n  web:\n    image: web\n    depends_on: [db]\n',
      'db/compose.yaml': 'services:\n  db:\n    image: postgres:${PG}\n',
      '.env': 'PG=16\n',
    });
    const project = await load(root);
    expect(Object.keys(project.services).sort()).toEqual(['db', 'web']);
    expect(service(project, 'db').image).toBe('postgres:16');
    expect(service(project, 'web').dependsOn).toEqual(['db']);
  });
  it('accepts the long form with path', async () => {
    const root = fixture({
      'compose.yaml': 'include:\n  - path: [cache/compose.yaml]\nservices:\n  web:\n    image: web\n',
      'cache/compose.yaml': 'services:\n  cache:\n    image: redis\n',
    });
    expect(Object.keys((await load(root)).services).sort()).toEqual(['cache', 'web']);
  });
  it('refuses a service defined both here and in the included file', async () => {
    const root = fixture({ 'compose.yaml': 'include: [other.yaml]\nservices:\n  web:\n    image: a\n', 'other.yaml': 'services:\n  web:\n    image: b\n' });
    await expect(load(root)).rejects.toThrow('compose.yaml: include.0: service "web" is defined both here and in other.yaml');
  });
  it('resolves relative paths of an included file against its own directory', async () => {
    const root = fixture({
      'compose.yaml': 'include: [db/compose.yaml]\nservices:\n  web:\n    image: web\n',
      'db/compose.yaml': 'services:\n  db:\n    image: postgres\n    volumes: ["./init:/docker-entrypoint-initdb.d:ro"]\n',
    });
    expect(service(await load(root), 'db').volumes[0]).toMatchObject({ type: 'bind', source: path.join(root, 'db/init'), repoPath: 'db/init' });
  });
  it('imports the volumes declared by an included file', async () => {
    const root = fixture({
      'compose.yaml': 'include: [db/compose.yaml]\nservices:\n  web:\n    image: web\n',
      'db/compose.yaml': 'services:\n  db:\n    image: postgres\n    volumes: ["pgdata:/var/lib/postgresql/data"]\nvolumes:\n  pgdata:\n    name: shared-pgdata\n',
    });
    expect(service(await load(root), 'db').volumes[0]?.source).toBe('shared-pgdata');
  });
});

describe('loadComposeProject: profiles', () => {
  const files = {
    'compose.yaml': [
      'services:',
      '  web:',
      '    image: web',
      '  debug:',
      '    image: busybox',
      '    profiles: [debug]',
      '  tools:',
      '    image: tools',
      '    profiles: [tools, ops]',
      '',
    ].join('\n'),
  };
  it('without active profiles, services with profiles are listed as disabled', async () => {
    const project = await load(fixture(files));
    expect(Object.keys(project.services)).toEqual(['web']);
    expect(project.disabled).toEqual(['debug', 'tools']);
    expect(project.activeProfiles).toEqual([]);
  });
  it('COMPOSE_PROFILES (comma-separated) enables them', async () => {
    const project = await load(fixture(files), { env: { COMPOSE_PROFILES: 'debug, ops' } });
    expect(Object.keys(project.services)).toEqual(['web', 'debug', 'tools']);
    expect(project.disabled).toEqual([]);
    expect(project.activeProfiles).toEqual(['debug', 'ops']);
  });
  it('COMPOSE_PROFILES may come from .env', async () => {
    const project = await load(fixture({ ...files, '.env': 'COMPOSE_PROFILES=tools\n' }));
    expect(Object.keys(project.services)).toEqual(['web', 'tools']);
    expect(project.disabled).toEqual(['debug']);
  });
  it('options.profiles wins over COMPOSE_PROFILES', async () => {
    const project = await load(fixture(files), { env: { COMPOSE_PROFILES: 'debug' }, profiles: ['ops'] });
    expect(Object.keys(project.services)).toEqual(['web', 'tools']);
    expect(project.disabled).toEqual(['debug']);
    expect(project.activeProfiles).toEqual(['ops']);
  });
  it('"*" enables every profile', async () => {
    const project = await load(fixture(files), { profiles: ['*'] });
    expect(project.disabled).toEqual([]);
    expect(Object.keys(project.services)).toHaveLength(3);
  });
});

describe('loadComposeProject: project name', () => {
  it('takes name: from the file, interpolated', async () => {
    const root = fixture({ 'compose.yaml': 'name: shop-${STAGE}\nservices:\n  web:\n    image: web\n' });
    expect((await load(root, { env: { STAGE: 'prod' } })).name).toBe('shop-prod');
  });
  it('takes COMPOSE_PROJECT_NAME when the file has no name:', async () => {
    const root = fixture({ 'compose.yaml': 'services:\n  web:\n    image: web\n' });
    expect((await load(root, { env: { COMPOSE_PROJECT_NAME: 'fromenv' } })).name).toBe('fromenv');
  });
  it('takes COMPOSE_PROJECT_NAME from .env', async () => {
    const root = fixture({ 'compose.yaml': 'services:\n  web:\n    image: web\n', '.env': 'COMPOSE_PROJECT_NAME=dotenvname\n' });
    expect((await load(root)).name).toBe('dotenvname');
  });
  it('COMPOSE_PROJECT_NAME wins over name: in the file, as in docker compose', async () => {
    const root = fixture({ 'compose.yaml': 'name: fromfile\nservices:\n  web:\n    image: web\n' });
    expect((await load(root, { env: { COMPOSE_PROJECT_NAME: 'fromenv' } })).name).toBe('fromenv');
  });
  it('falls back to the normalised directory name', async () => {
    const root = fixture({ 'compose.yaml': 'services:\n  web:\n    image: web\n' }, 'My_App.v2');
    const project = await load(root);
    expect(project.name).toBe('my_appv2');
  });
  it('uses the project name in named volumes', async () => {
    const root = fixture({ 'compose.yaml': 'services:\n  db:\n    image: pg\n    volumes: ["data:/data"]\nvolumes:\n  data: {}\n' }, 'My_App.v2');
    expect(service(await load(root), 'db').volumes[0]?.source).toBe('my_appv2_data');
  });
  it('options.name wins over everything', async () => {
    const root = fixture({ 'compose.yaml': 'name: fromfile\nservices:\n  web:\n    image: web\n' });
    expect((await load(root, { name: 'Given', env: { COMPOSE_PROJECT_NAME: 'fromenv' } })).name).toBe('given');
  });
  it('refuses a name that is empty once normalised', async () => {
    const root = fixture({ 'compose.yaml': 'services:\n  web:\n    image: web\n' }, '__');
    await expect(load(root)).rejects.toThrow('project name "__" is empty once normalised: set name: in compose.yaml or in bcon.yaml');
  });
});

describe('loadComposeProject: invalid files', () => {
  it('invalid YAML: file:line:col: invalid YAML', async () => {
    const root = fixture({ 'compose.yaml': 'services:\n  web:\n    image: "unclosed\n    ports: [80\n' });
    const err = await errorOf(load(root));
    expect(err.message).toMatch(/^compose\.yaml:\d+:\d+: invalid YAML: \S/);
    expect(err.code).toBe('compose_yaml');
    expect(err.file).toBe('compose.yaml');
  });
  it('invalid YAML: the position is that of the error', async () => {
    const root = fixture({ 'compose.yaml': 'services:\n  web:\n    image: a\n   bad: indentation\n' });
    const err = await errorOf(load(root));
    expect(err.message).toMatch(/^compose\.yaml:4:\d+: invalid YAML: /);
  });
  it('a top level that is not a mapping', async () => {
    const root = fixture({ 'compose.yaml': '- a\n- b\n' });
    await expect(load(root)).rejects.toThrow('compose.yaml: (top level): expected a mapping of compose keys');
  });
  it('schema violation: names the file, the path and the expected type', async () => {
    const root = fixture({ 'compose.yaml': 'services:\n  x:\n    image: nginx\n    ports: "80:80"\n' });
    const err = await errorOf(load(root));
    expect(err.message).toBe('compose.yaml: services.x.ports: expected array (Compose Specification)');
    expect(err.code).toBe('compose_invalid');
    expect(err.path).toBe('services.x.ports');
  });
  it('schema violation in an override file names that file', async () => {
    const root = fixture({ 'compose.yaml': 'services:\n  x:\n    image: nginx\n', 'compose.override.yaml': 'services:\n  x:\n    ports: 8080\n' });
    await expect(load(root)).rejects.toThrow('compose.override.yaml: services.x.ports: expected array (Compose Specification)');
  });
  it('unknown key: names it', async () => {
    const root = fixture({ 'compose.yaml': 'services:\n  x:\n    image: nginx\n    imagee: typo\n' });
    await expect(load(root)).rejects.toThrow('compose.yaml: services.x: unknown key "imagee" (Compose Specification)');
  });
  it('unknown top-level key: names it; x- extensions are accepted', async () => {
    await expect(load(fixture({ 'compose.yaml': 'servics:\n  x:\n    image: nginx\n' }))).rejects.toThrow('compose.yaml: (top level): unknown key "servics" (Compose Specification)');
    const project = await load(fixture({ 'compose.yaml': 'x-common: &c\n  image: nginx\nservices:\n  x:\n    <<: *c\n    x-note: hi\n' }));
    expect(service(project, 'x').image).toBe('nginx');
  });
  it.each([
    ['scale and deploy.replicas', 'scale: 2\n    deploy:\n      replicas: 3'],
    ['mem_limit and deploy.resources.limits.memory', 'mem_limit: 512m\n    deploy:\n      resources:\n        limits:\n          memory: 1g'],
    ['cpus and deploy.resources.limits.cpus', 'cpus: 1\n    deploy:\n      resources:\n        limits:\n          cpus: "0.5"'],
  ])('refuses distinct values on %s, as docker compose does', async (_label, yaml) => {
    const root = fixture({ 'compose.yaml': `services:\n  x:\n    image: nginx\n    ${yaml}\n` });
    await expect(load(root)).rejects.toThrow(DesiredStateError);
  });
});

describe('loadComposeProject from a git ref', () => {
  const git = (root: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=x@y', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
    }).trim();
  const compose = (tag: string) => `services:\n  web:\n    image: nginx:${tag}\n    volumes: ["./html:/usr/share/nginx/html"]\n`;

  function repo(): string {
    const root = fixture({ 'compose.yaml': compose('1.25'), '.env': 'X=1\n' }, 'gitproj');
    git(root, 'init', '-q');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'first');
    writeFileSync(path.join(root, 'compose.yaml'), compose('1.26'));
    git(root, 'commit', '-q', '-am', 'second');
    // uncommitted changes: a modified file and an untracked override file
    writeFileSync(path.join(root, 'compose.yaml'), compose('1.27'));
    writeFileSync(path.join(root, 'compose.override.yaml'), 'services:\n  web:\n    restart: always\n');
    return root;
  }

  it('HEAD reads the committed content, the worktree reads the disk, HEAD~1 the commit before', async () => {
    const root = repo();
    const head = await gitRefSource(root, 'HEAD');
    const previous = await gitRefSource(root, 'HEAD~1');
    const atHead = await loadComposeProject(head, { env: {} });
    const onDisk = await loadComposeProject(worktreeSource(root), { env: {} });
    const before = await loadComposeProject(previous, { env: {} });

    expect(service(atHead, 'web').image).toBe('nginx:1.26');
    expect(service(onDisk, 'web').image).toBe('nginx:1.27');
    expect(service(before, 'web').image).toBe('nginx:1.25');

    // the untracked override exists only on disk
    expect(atHead.files).toEqual(['compose.yaml']);
    expect(onDisk.files).toEqual(['compose.yaml', 'compose.override.yaml']);
    expect(service(atHead, 'web').restart).toBeUndefined();
    expect(service(onDisk, 'web').restart).toEqual({ name: 'always', maximumRetryCount: 0 });

    // relative binds resolve against the repository on disk in both cases
    expect(service(atHead, 'web').volumes[0]).toMatchObject({ source: path.join(root, 'html'), repoPath: 'html' });
    expect(atHead.name).toBe('gitproj');
  });
  it('labels and identifies the commit, and gives blob ids', async () => {
    const root = repo();
    const headId = git(root, 'rev-parse', 'HEAD');
    const parentId = git(root, 'rev-parse', 'HEAD~1');
    const head = await gitRefSource(root, 'HEAD');
    expect(head.commit).toBe(headId);
    expect(head.label).toBe(`HEAD@${headId.slice(0, 7)}`);
    expect(head.root).toBe(root);
    expect((await gitRefSource(root, 'HEAD~1')).commit).toBe(parentId);
    expect((await gitRefSource(root, 'main~1')).commit).toBe(parentId);
    expect((await gitRefSource(root, 'HEAD^')).commit).toBe(parentId);
    expect((await gitRefSource(root, headId.slice(0, 10))).commit).toBe(headId);
    expect(await head.blobId('compose.yaml')).toBe(git(root, 'rev-parse', 'HEAD:compose.yaml'));
    expect(await head.blobId('./compose.yaml')).toBe(git(root, 'rev-parse', 'HEAD:compose.yaml'));
    expect(await head.blobId('compose.override.yaml')).toBeUndefined();
    expect(await head.readFile('.env')).toBe('X=1\n');
    expect(await head.readFile('nope.txt')).toBeUndefined();
    expect(await worktreeSource(root).blobId('compose.yaml')).toBeUndefined();
  });
  it('names the branches when the ref is unknown or too far back', async () => {
    const root = repo();
    await expect(gitRefSource(root, 'nobranch')).rejects.toThrow('unknown git ref "nobranch" in');
    await expect(gitRefSource(root, 'nobranch')).rejects.toThrow(/use a branch \(main\)/);
    await expect(gitRefSource(root, 'HEAD~5')).rejects.toThrow(/unknown git ref "HEAD~5"/);
  });
});

describe('worktreeSource', () => {
  it('reads files relative to the root, undefined for a missing file or a directory', async () => {
    const root = fixture({ 'a/b.txt': 'hello' });
    const source = worktreeSource(root);
    expect(source.label).toBe('worktree');
    expect(source.commit).toBeUndefined();
    expect(await source.readFile('a/b.txt')).toBe('hello');
    expect(await source.readFile('./a/../a/b.txt')).toBe('hello');
    expect(await source.readFile('a')).toBeUndefined();
    expect(await source.readFile('a/missing.txt')).toBeUndefined();
  });
});

describe('what the committed files alone do not fix (never made from them by bcon)', () => {
  it('a variable interpolated from the shell, an optional env file not committed; not one the committed .env sets, nor $$', async () => {
    const root = fixture({
      'compose.yaml': [
        'services:',
        '  web:',
        '    image: app:${TAG:-latest}',
        '    environment: { DB: "postgres://$DB_HOST/x" }',
        '    env_file: [{ path: local.env, required: false }]',
        '  worker:',
        '    image: app:${PINNED}',
        '    command: ["sh", "-c", "echo $$HOME"]',
        '  child:',
        '    extends: web',
        '',
      ].join('\n'),
      '.env': 'PINNED=3\n',
    });
    const p = await load(root);
    expect(service(p, 'web').unrendered).toEqual(['${TAG} (from the shell)', '${DB_HOST} (from the shell)', 'env_file local.env (optional, not committed)']);
    expect(service(p, 'worker').unrendered).toEqual([]);
    expect(service(p, 'child').unrendered).toEqual(expect.arrayContaining(['${TAG} (from the shell)', '${DB_HOST} (from the shell)']));
    // the committed .env's value, when bcon's own environment sets it too, is not what compose used for sure
    expect(service(await load(root, { env: { PINNED: '4' } }), 'worker').unrendered).toEqual(['${PINNED} (from the shell)']);
  });

  it('environmentFrom: the settings whose whole value is one variable with no default; an override file replaces one', async () => {
    const root = fixture({
      'compose.yaml': 'services:\n  mailer:\n    image: m:1\n    environment:\n      SMTP_URL: ${SMTP_URL}\n      TOKEN: $$TOKEN\n      LEVEL: ${LEVEL:-info}\n      URL: http://${HOST}:80\n      KEY: ${KEY}\n  web:\n    image: w:1\n    environment: ["SENTRY_DSN=$SENTRY_DSN", "A=1"]\n',
      'compose.override.yaml': 'services:\n  mailer:\n    environment:\n      KEY: fixed\n',
    });
    const p = await load(root);
    expect(service(p, 'mailer').environmentFrom).toEqual({ SMTP_URL: 'SMTP_URL' });
    expect(service(p, 'web').environmentFrom).toEqual({ SENTRY_DSN: 'SENTRY_DSN' });
  });
});
