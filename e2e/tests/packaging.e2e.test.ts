// Every package is publishable: `pnpm pack` works, tarballs hold built code and no tests, workspace links are
// turned into versions, and the packed CLI, installed from tarballs alone, runs against the real engine.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../harness/bcon.js';
import { dockerHost } from '../harness/docker.js';

const run = promisify(execFile);
const PUBLISHABLE = ['packages/sensor', 'packages/store', 'packages/reasoning', 'packages/decision', 'packages/executor', 'packages/ops', 'apps/web', 'apps/slack', 'apps/cli'];
/** Front-ends the CLI starts (bcon serve, bcon slack): one entry each, not an index. */
const ENTRY: Record<string, string[]> = { 'apps/web': ['package/dist/server.js', 'package/dist/server.d.ts', 'package/dist/client/index.html'], 'apps/slack': ['package/dist/bot.js', 'package/dist/bot.d.ts'] };
let work: string;
const tarballs: Record<string, string> = {};

function tarList(file: string): string[] {
  return execFileSync('tar', ['tzf', file], { encoding: 'utf8' }).trim().split('\n');
}
function tarJson(file: string, member: string): Record<string, unknown> {
  return JSON.parse(execFileSync('tar', ['xzf', file, '-O', member], { encoding: 'utf8' })) as Record<string, unknown>;
}

describe('packages are publishable', () => {
  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'bcon-pack-'));
    for (const dir of PUBLISHABLE) {
      const dest = path.join(work, path.basename(dir));
      mkdirSync(dest);
      await run('pnpm', ['pack', '--pack-destination', dest], { cwd: path.join(REPO, dir) });
      const file = readdirSync(dest).find((f) => f.endsWith('.tgz'));
      if (!file) throw new Error(`pnpm pack made no tarball for ${dir}`);
      tarballs[dir] = path.join(dest, file);
    }
  }, 120_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('packs built code and declarations, no tests, no workspace: links', () => {
    for (const [dir, file] of Object.entries(tarballs)) {
      const files = tarList(file);
      const manifest = tarJson(file, 'package/package.json') as { dependencies?: Record<string, string>; exports?: Record<string, unknown> };
      expect(files.filter((f) => /\.test\.(js|ts|d\.ts)/.test(f)), dir).toEqual([]);
      expect(JSON.stringify(manifest.dependencies ?? {}), dir).not.toContain('workspace:');
      if (dir === 'apps/cli') {
        expect(files).toEqual(expect.arrayContaining(['package/bin/run.js', 'package/dist/commands/status.js', 'package/oclif.manifest.json']));
      } else if (ENTRY[dir]) {
        expect(files).toEqual(expect.arrayContaining(ENTRY[dir]));
      } else {
        expect(files).toEqual(expect.arrayContaining(['package/dist/index.js', 'package/dist/index.d.ts']));
      }
    }
    expect(tarList(tarballs['packages/store']!)).toEqual(expect.arrayContaining(['package/drizzle/0000_init.sql', 'package/drizzle/meta/_journal.json']));
  });

  it('installs the CLI from its tarballs alone and runs bcon status on the engine', async () => {
    const app = path.join(work, 'app');
    mkdirSync(app);
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'bcon-from-tarballs', private: true }));
    // --ignore-scripts: better-sqlite3's native build is not needed for `--no-stats` and takes a minute.
    await run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', ...Object.values(tarballs)], { cwd: app, timeout: 240_000 });
    const bin = path.join(app, 'node_modules', '.bin', 'bcon');
    const { stdout } = await run(bin, ['status', '--json', '--no-stats'], { env: { ...process.env, DOCKER_HOST: dockerHost(), BCON_HOME: path.join(work, 'home') } });
    const report = JSON.parse(stdout) as { schemaVersion: number; engine: { apiVersion: string } };
    expect(report.schemaVersion).toBe(1);
    expect(report.engine.apiVersion).toMatch(/^1\.\d+$/);
    // the SSH connection keeper's program is found from the installed CLI, and says what is wrong as one JSON line
    const keeper = execFileSync(process.execPath, ['--input-type=module', '-e', "process.stdout.write(new URL(import.meta.resolve('@bcon/sensor/ssh-keeper')).pathname)"], { cwd: path.join(app, 'node_modules', '@bcon', 'cli'), encoding: 'utf8' });
    expect(keeper).toMatch(/node_modules\/@bcon\/sensor\/dist\/engine\/ssh-keeper-main\.js$/);
    const key = path.join(work, 'k_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    const refused = spawnSync(process.execPath, [keeper, JSON.stringify({ target: { host: '127.0.0.1', port: 9, user: 'root' }, socketPath: path.join(work, 'k.sock'), idleMs: 1000 })], { encoding: 'utf8', env: { ...process.env, SSH_AUTH_SOCK: '', BCON_SSH_KEY: key } });
    expect(refused.status).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ error: { code: 'ssh_unreachable', detail: expect.stringMatching(/connection refused/) } });
    const help = await run(bin, ['--help']);
    expect(help.stdout).toContain('status');
  }, 300_000);
});
