import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const git = (dir: string, args: string[]) =>
  execFileSync('git', ['-c', 'user.email=e2e@bcon.local', '-c', 'user.name=bcon e2e', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, encoding: 'utf8' }).trim();

/** A real git repository holding a copy of a fixture directory, committed; its directory is named `name`. */
export function fixtureRepo(fixture: string, name: string, extraFiles: Record<string, string> = {}): { dir: string; commit(message: string): string; git(args: string[]): string } {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'bcon-repo-')), name);
  cpSync(fixture, dir, { recursive: true });
  for (const [file, text] of Object.entries(extraFiles)) writeFileSync(path.join(dir, file), text);
  git(dir, ['init', '-q']);
  const commit = (message: string) => {
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', message]);
    return git(dir, ['rev-parse', 'HEAD']);
  };
  commit('initial stack');
  return { dir, commit, git: (args) => git(dir, args) };
}
