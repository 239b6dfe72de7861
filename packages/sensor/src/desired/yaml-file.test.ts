// The limits on what bcon reads from the desired state: a YAML alias bomb and a huge file each get a typed error
// naming the file, at once and in bounded memory (the review measured the loader exhausting memory on both).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readBconConfig } from './bcon-config.js';
import { loadComposeProject } from './compose/load.js';
import { interpolateTree } from './compose/interpolate.js';
import { mergeValues } from './compose/merge.js';
import { loadDesiredState } from './desired-state.js';
import { DesiredStateError } from './errors.js';
import { gitBlobSize } from './git-blob-size.js';
import { gitRefSource, worktreeSource } from './source.js';
import { MAX_ALIAS_NODES, MAX_DESIRED_FILE_BYTES, NodeBudget, expandedSize, parseYamlText } from './yaml-file.js';

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function fixture(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bcon-limits-'));
  temps.push(root);
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(root, ...rel.split('/'));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return root;
}

const git = (root: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=x@y', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
  }).trim();

/** "Billion laughs": 9 levels of 10 aliases each, 10^9 strings once expanded, in a few hundred bytes. */
function aliasBomb(at: string): string {
  let text = 'x-l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  for (let i = 1; i <= 9; i++) text += `x-l${i}: &l${i} [${Array.from({ length: 10 }, () => `*l${i - 1}`).join(',')}]\n`;
  return text + at;
}
const COMPOSE_BOMB = aliasBomb('services:\n  app:\n    image: busybox\n    command: *l9\n');
// (`llm:` is accepted as it is by the schema: before, the 10^9-value tree went on to whoever read it)
const CONFIG_BOMB = aliasBomb('projects:\n  - path: .\nllm: *l9\n');

/** Run `fn`, measuring its time and how much the resident set grew meanwhile (sampled every 5 ms). */
async function measured<T>(fn: () => Promise<T>): Promise<{ result: T | undefined; error: unknown; ms: number; rssGrowthMb: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const started = performance.now();
  let result: T | undefined;
  let error: unknown;
  try {
    result = await fn();
  } catch (err) {
    error = err;
  }
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { result, error, ms, rssGrowthMb: (peak - before) / 1024 / 1024 };
}

function expectRefused(run: { error: unknown; ms: number; rssGrowthMb: number }, code: string, file: string, message: RegExp, what: string): void {
  // the issue asks for "within a second": printed here, not asserted (a timed unit test fails on a busy machine; the
  // refusal itself comes from counting expanded values, which does not depend on the clock)
  console.log(`${what}: refused in ${run.ms.toFixed(0)} ms, resident set +${run.rssGrowthMb.toFixed(0)} MB`);
  expect(run.error).toBeInstanceOf(DesiredStateError);
  const err = run.error as DesiredStateError;
  expect(err.code).toBe(code);
  expect(err.file).toBe(file);
  expect(err.message).toMatch(message);
  expect(run.rssGrowthMb).toBeLessThan(150);
}

describe('YAML alias bombs', () => {
  it(`a compose file of ${COMPOSE_BOMB.length} bytes expanding to 10^9 values is refused, naming the file`, async () => {
    expect(COMPOSE_BOMB.length).toBeLessThan(600);
    const root = fixture({ 'compose.yaml': COMPOSE_BOMB });
    const run = await measured(() => loadComposeProject(worktreeSource(root), { env: {} }));
    expectRefused(run, 'compose_too_large', 'compose.yaml', /^compose\.yaml: its YAML aliases \(\*name\) expand to more than 100,000 values beyond the \d+ written .*"alias bomb"/, 'compose alias bomb');
  });

  it('an alias bomb in an extends: file: or an include: is refused as well', async () => {
    const cases: Array<Record<string, string>> = [
      { 'compose.yaml': 'services:\n  app:\n    extends: { file: base.yaml, service: base }\n', 'base.yaml': COMPOSE_BOMB.replace('app:', 'base:') },
      { 'compose.yaml': 'include: [other/compose.yaml]\nservices:\n  web:\n    image: nginx\n', 'other/compose.yaml': COMPOSE_BOMB },
    ];
    for (const files of cases) {
      const root = fixture(files);
      const run = await measured(() => loadComposeProject(worktreeSource(root), { env: {} }));
      const bad = Object.keys(files).find((f) => f !== 'compose.yaml') as string;
      expectRefused(run, 'compose_too_large', bad, /alias bomb/, `alias bomb in ${bad}`);
    }
  });

  it('bcon.yaml goes through the same reader: an alias bomb there is refused too', async () => {
    const root = fixture({ 'bcon.yaml': CONFIG_BOMB, 'compose.yaml': 'services:\n  web:\n    image: nginx\n' });
    const run = await measured(() => readBconConfig(worktreeSource(root)));
    expectRefused(run, 'config_too_large', 'bcon.yaml', /^bcon\.yaml: its YAML aliases .*alias bomb/, 'bcon.yaml alias bomb');
    const state = await measured(() => loadDesiredState(worktreeSource(root), { env: {} }));
    expectRefused(state, 'config_too_large', 'bcon.yaml', /alias bomb/, 'bcon.yaml alias bomb (loadDesiredState)');
  });

  it('an alias inside the node it names (a cycle) is refused, not a stack overflow', async () => {
    for (const text of ['services:\n  app: &a\n    image: busybox\n    labels:\n      self: *a\n', 'x-loop: &l [1, *l]\nservices:\n  app:\n    image: busybox\n']) {
      const root = fixture({ 'compose.yaml': text });
      const run = await measured(() => loadComposeProject(worktreeSource(root), { env: {} }));
      expectRefused(run, 'compose_too_large', 'compose.yaml', /^compose\.yaml: a YAML alias \(\*name\) refers to a node that contains it/, 'alias cycle');
    }
  });

  it('anchors as people use them (x- defaults shared by many services) still load', async () => {
    const services = Array.from({ length: 200 }, (_, i) => `  s${i}:\n    <<: *defaults\n    image: app:${i}\n    environment: *env\n`).join('');
    const env = Array.from({ length: 50 }, (_, i) => `  VAR_${i}: "value ${i}"`).join('\n');
    const text = `x-env: &env\n${env}\nx-defaults: &defaults\n  restart: always\n  logging: { driver: json-file, options: { max-size: 10m } }\nservices:\n${services}`;
    const root = fixture({ 'compose.yaml': text });
    const project = await loadComposeProject(worktreeSource(root), { env: {} });
    expect(Object.keys(project.services)).toHaveLength(200);
    expect(project.services['s199']?.environment['VAR_49']).toBe('value 49');
  });

  it('counts what aliases add without expanding them, and refuses just past the limit', () => {
    const shared = { a: 1, b: [1, 2, 3] };
    expect(expandedSize({ x: shared, y: shared }, 1e6)).toEqual({ expanded: 13, written: 10 });
    // an anchor of 1 001 values (the sequence and its items) adds 1 000 more each time it is used
    const big = `x-big: &big [${Array.from({ length: 1000 }, (_, i) => i).join(',')}]\n`;
    const uses = (n: number) => `${big}services:\n${Array.from({ length: n }, (_, i) => `  s${i}: { image: x, labels: { a: "1" }, x-data: *big }\n`).join('')}`;
    expect(() => parseYamlText(uses(90), 'compose.yaml', 'compose')).not.toThrow();
    expect(() => parseYamlText(uses(110), 'compose.yaml', 'compose')).toThrow(new RegExp(`more than ${MAX_ALIAS_NODES.toLocaleString('en')} values`));
  });
});

describe('huge files', () => {
  /** A valid compose file of at least `bytes` bytes (one service with that many labels). */
  function hugeCompose(bytes: number): string {
    const parts = ['services:\n  app:\n    image: busybox\n    labels:\n'];
    let n = parts[0]?.length ?? 0;
    for (let i = 0; n < bytes; i++) {
      const line = `      label.${i}: "value value value value value value"\n`;
      parts.push(line);
      n += line.length;
    }
    return parts.join('');
  }
  const FIFTY_MB = 50 * 1024 * 1024;

  it('a 50 MB compose file in the working tree is refused before it is read', async () => {
    const root = fixture({ 'compose.yaml': hugeCompose(FIFTY_MB) });
    const run = await measured(() => loadComposeProject(worktreeSource(root), { env: {} }));
    expectRefused(run, 'desired_file_too_large', 'compose.yaml', /^compose\.yaml: \d+ bytes \(50\.0 MiB\) at worktree, more than the 4 MiB bcon reads from one file of the desired state/, '50 MB compose file (worktree)');
  });

  it('a 50 MB compose file committed to git is refused from its object header, loose or packed, without inflating it', async () => {
    const root = fixture({ 'compose.yaml': hugeCompose(FIFTY_MB), 'bcon.yaml': `projects:\n  - path: .\n` });
    git(root, 'init', '-q');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'huge');
    const state = await measured(async () => loadDesiredState(await gitRefSource(root, 'HEAD'), { env: {} }));
    expectRefused(state, 'desired_file_too_large', 'compose.yaml', /^compose\.yaml: \d+ bytes \(50\.0 MiB\) at HEAD@[0-9a-f]{7}, more than the 4 MiB/, '50 MB compose file (git, loose)');
    // a second version (stored as a delta once packed), then everything packed
    writeFileSync(path.join(root, 'compose.yaml'), hugeCompose(FIFTY_MB).replace('image: busybox', 'image: busybox:1.36'));
    git(root, 'commit', '-q', '-am', 'huge 2');
    git(root, 'gc', '-q', '--aggressive');
    for (const ref of ['HEAD', 'HEAD~1']) {
      const oid = git(root, 'rev-parse', `${ref}:compose.yaml`);
      expect(await gitBlobSize(path.join(root, '.git'), oid)).toBe(Number(git(root, 'cat-file', '-s', oid)));
      const run = await measured(async () => loadComposeProject(await gitRefSource(root, ref), { env: {} }));
      expectRefused(run, 'desired_file_too_large', 'compose.yaml', /50\.0 MiB/, `50 MB compose file (git, packed, ${ref})`);
    }
  }, 60_000);

  it('the limit is 4 MiB: a file one byte over it is refused, in the working tree and in git; bcon.yaml and .env too', async () => {
    const over = hugeCompose(MAX_DESIRED_FILE_BYTES).slice(0, MAX_DESIRED_FILE_BYTES + 1);
    expect(Buffer.byteLength(over)).toBe(MAX_DESIRED_FILE_BYTES + 1);
    const root = fixture({ 'compose.yaml': over });
    await expect(loadComposeProject(worktreeSource(root), { env: {} })).rejects.toMatchObject({ code: 'desired_file_too_large', file: 'compose.yaml' });
    git(root, 'init', '-q');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'over');
    await expect(loadComposeProject(await gitRefSource(root, 'HEAD'), { env: {} })).rejects.toMatchObject({ code: 'desired_file_too_large', file: 'compose.yaml' });

    // in a subdirectory (the blob found through its tree), next to files of normal size
    const nested = fixture({ 'bcon.yaml': 'projects:\n  - path: apps/api\n', 'apps/api/compose.yaml': over, 'apps/api/.env': 'A=1\n' });
    git(nested, 'init', '-q');
    git(nested, 'add', '-A');
    git(nested, 'commit', '-q', '-m', 'nested');
    const oid = git(nested, 'rev-parse', 'HEAD:apps/api/compose.yaml');
    expect(await gitBlobSize(path.join(nested, '.git'), oid)).toBe(MAX_DESIRED_FILE_BYTES + 1);
    await expect(loadDesiredState(await gitRefSource(nested, 'HEAD'), { env: {} })).rejects.toMatchObject({ code: 'desired_file_too_large', file: 'apps/api/compose.yaml' });
    expect(await (await gitRefSource(nested, 'HEAD')).readFile('apps/api/.env', { maxBytes: 10 })).toBe('A=1\n');
    expect(await (await gitRefSource(nested, 'HEAD')).readFile('apps/api/absent.yaml', { maxBytes: 10 })).toBeUndefined();

    const padding = `# ${'x'.repeat(MAX_DESIRED_FILE_BYTES)}\n`;
    const others = fixture({ 'bcon.yaml': `projects: []\n${padding}`, 'compose.yaml': 'services:\n  web:\n    image: nginx\n', 'web/.env': `A=1\n${padding}`, 'web/compose.yaml': 'services:\n  web:\n    image: nginx:${A}\n' });
    await expect(readBconConfig(worktreeSource(others))).rejects.toMatchObject({ code: 'desired_file_too_large', file: 'bcon.yaml' });
    await expect(loadComposeProject(worktreeSource(others), { dir: 'web', env: {} })).rejects.toMatchObject({ code: 'desired_file_too_large', file: 'web/.env' });
  });

  it('parseYamlText refuses text over the limit whoever read it', () => {
    expect(() => parseYamlText(`a: "${'é'.repeat(MAX_DESIRED_FILE_BYTES / 2)}"`, 'bcon.yaml', 'config')).toThrow(/^bcon\.yaml: \d+ bytes .* more than the 4 MiB/);
  });
});

describe('the work of loading a project is counted', () => {
  it('interpolation copies count against a budget', () => {
    const budget = new NodeBudget(10);
    expect(interpolateTree({ a: ['x', 'y'], b: 'z' }, () => undefined, 'c.yaml', '', budget)).toEqual({ a: ['x', 'y'], b: 'z' });
    expect(budget.count).toBe(5);
    expect(() => interpolateTree({ a: Array.from({ length: 10 }, () => 'x') }, () => undefined, 'c.yaml', '', budget)).toThrow(/^c\.yaml: loading it makes more than 10 values/);
  });

  it('merges count the entries they make', () => {
    let entries = 0;
    mergeValues('', { environment: { A: '1' }, ports: ['80:80'] }, { environment: ['B=2'], ports: ['81:81'] }, (n) => (entries += n));
    expect(entries).toBe(2 + 2 + 2 + 2); // the service mapping, environment, ports
  });

  it('an extends chain deeper than 64 is refused', async () => {
    const services = Array.from({ length: 70 }, (_, i) => (i === 0 ? '  s0:\n    image: busybox\n' : `  s${i}:\n    extends: s${i - 1}\n`)).reverse().join('');
    const root = fixture({ 'compose.yaml': `services:\n${services}` });
    await expect(loadComposeProject(worktreeSource(root), { env: {} })).rejects.toThrow(/^compose\.yaml: services\.s\d+\.extends: a chain of more than 64 extends: bcon stops here$/);
  });

  it('many services extending one large base are refused once the project passes a million values, at once', async () => {
    // a base of 20 000 labels extended by 60 services: 1.2 million values to normalise, in a 600 KB file
    const labels = Array.from({ length: 20_000 }, (_, i) => `      l${i}: v`).join('\n');
    const users = Array.from({ length: 60 }, (_, i) => `  u${i}:\n    extends: base\n`).join('');
    const root = fixture({ 'compose.yaml': `services:\n  base:\n    image: busybox\n    labels:\n${labels}\n${users}` });
    const run = await measured(() => loadComposeProject(worktreeSource(root), { env: {} }));
    expectRefused(run, 'compose_too_large', 'compose.yaml', /^compose\.yaml: loading it makes more than 1,000,000 values/, 'extends amplification');
  });
});
