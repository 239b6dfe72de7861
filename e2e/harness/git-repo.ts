import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const git = (dir: string, args: string[]) =>
  execFileSync('git', ['-c', 'user.email=e2e@bcon.local', '-c', 'user.name=bcon e2e', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, encoding: 'utf8' }).trim();

/** A real git repository holding a copy of a fixture directory, committed; its directory is named `name`. */
export function fixtureRepo(fixture: string, name: string, extraFiles: Record<string, string> = {}): GitRepo {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'bcon-repo-')), name);
  cpSync(fixture, dir, { recursive: true });
  return committed(dir, extraFiles);
}

/**
 * A real git repository holding `files`, committed; its directory is named `name` (the compose project), in a temp
 * directory of its own (`path.dirname(dir)`: room for a BCON_HOME beside it; remove that to clean up).
 */
export function filesRepo(name: string, files: Record<string, string>, message = 'initial stack'): GitRepo {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'bcon-repo-')), name);
  mkdirSync(dir);
  return committed(dir, files, message);
}

export interface GitRepo {
  dir: string;
  commit(message: string): string;
  git(args: string[]): string;
}

function committed(dir: string, files: Record<string, string>, first = 'initial stack'): GitRepo {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  git(dir, ['init', '-q']);
  const commit = (message: string) => {
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', message]);
    return git(dir, ['rev-parse', 'HEAD']);
  };
  commit(first);
  return { dir, commit, git: (args) => git(dir, args) };
}
