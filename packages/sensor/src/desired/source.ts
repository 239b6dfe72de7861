import fs from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import git from 'isomorphic-git';
import { DesiredStateError } from './errors.js';

/**
 * Where the desired state is read from: a git ref (without a checkout: blobs straight from the object store) or
 * the working tree. Paths are relative to the repository root, with `/` separators.
 */
export interface DesiredSource {
  /** The repository root on disk. */
  readonly root: string;
  /** e.g. `main@3f2a9c1` or `worktree`. */
  readonly label: string;
  readonly commit: string | undefined;
  readFile(relPath: string): Promise<string | undefined>;
  /** The git blob id of a file at the ref (undefined in the working tree or when absent). */
  blobId(relPath: string): Promise<string | undefined>;
  /** Files under a directory at the ref (repository-relative paths); empty in the working tree. */
  listFiles(relDir: string): Promise<string[]>;
}

function normal(relPath: string): string {
  return path.posix.normalize(relPath.split(path.sep).join('/')).replace(/^\.\//, '');
}

/** Find the repository root containing `dir` (a `.git` directory above it). */
export async function findRepositoryRoot(dir: string): Promise<string> {
  try {
    return await git.findRoot({ fs, filepath: path.resolve(dir) });
  } catch (err) {
    throw new DesiredStateError(
      `${path.resolve(dir)} is not inside a git repository: run bcon drift in the repository that holds your compose files, or pass --repo PATH`,
      'desired_not_a_repo',
      undefined,
      undefined,
      { cause: err },
    );
  }
}

/** Resolve `ref`, `ref~N`, `ref^` and `ref^N` (first parents) to a commit id. */
async function resolveCommit(root: string, ref: string): Promise<string> {
  const m = /^(.*?)((?:[~^]\d*)+)$/.exec(ref);
  const base = m ? (m[1] ?? '') : ref;
  let oid: string;
  try {
    oid = await git.resolveRef({ fs, dir: root, ref: base });
  } catch {
    oid = await git.expandOid({ fs, dir: root, oid: base });
  }
  for (const step of (m?.[2] ?? '').match(/[~^]\d*/g) ?? []) {
    const n = step.length > 1 ? Number(step.slice(1)) : 1;
    if (n === 0) continue; // ref^0 and ref~0 are the commit itself
    const count = step[0] === '~' ? n : 1;
    const parentIndex = step[0] === '^' ? n - 1 : 0;
    for (let i = 0; i < count; i++) {
      const { commit } = await git.readCommit({ fs, dir: root, oid });
      const parent = commit.parent[i === count - 1 ? parentIndex : 0];
      if (!parent) throw new Error(`${ref}: no such ancestor`);
      oid = parent;
    }
  }
  return oid;
}

export async function gitRefSource(root: string, ref = 'HEAD'): Promise<DesiredSource> {
  let commit: string;
  try {
    commit = await resolveCommit(root, ref);
  } catch (err) {
    const branches = await git.listBranches({ fs, dir: root }).catch(() => [] as string[]);
    const tags = await git.listTags({ fs, dir: root }).catch(() => [] as string[]);
    throw new DesiredStateError(
      `unknown git ref "${ref}" in ${root}: use a branch (${branches.join(', ') || 'none'}), a tag (${tags.slice(0, 5).join(', ') || 'none'}), a commit id, or one of those with ~N / ^`,
      'desired_unknown_ref',
      undefined,
      undefined,
      { cause: err },
    );
  }
  // an annotated tag points at a tag object; follow it to the commit
  try {
    const { type, object } = await git.readObject({ fs, dir: root, oid: commit, format: 'parsed' });
    if (type === 'tag') commit = (object as { object: string }).object;
  } catch {
    /* a plain commit */
  }
  const cache = {};
  // each path is read once: the loader probes compose files, then parses them; bind files ask for id and content
  const blobs = new Map<string, Promise<{ oid: string; blob: Uint8Array } | undefined>>();
  const readBlob = (relPath: string) => {
    const key = normal(relPath);
    let blob = blobs.get(key);
    if (!blob) {
      blob = git.readBlob({ fs, dir: root, oid: commit, filepath: key, cache }).catch(() => undefined);
      blobs.set(key, blob);
    }
    return blob;
  };
  let all: Promise<string[]> | undefined;
  return {
    root,
    label: `${ref}@${commit.slice(0, 7)}`,
    commit,
    async listFiles(relDir) {
      all ??= git.listFiles({ fs, dir: root, ref: commit, cache }).catch(() => []);
      const prefix = normal(relDir).replace(/\/$/, '') + '/';
      return (await all).filter((f) => f.startsWith(prefix));
    },
    async readFile(relPath) {
      const blob = await readBlob(relPath);
      return blob ? Buffer.from(blob.blob).toString('utf8') : undefined;
    },
    async blobId(relPath) {
      return (await readBlob(relPath))?.oid;
    },
  };
}

export function worktreeSource(root: string): DesiredSource {
  return {
    root,
    label: 'worktree',
    commit: undefined,
    async readFile(relPath) {
      const file = path.join(root, normal(relPath));
      try {
        if (!(await stat(file)).isFile()) return undefined;
        return await readFile(file, 'utf8');
      } catch {
        return undefined;
      }
    },
    async blobId() {
      return undefined;
    },
    async listFiles() {
      return [];
    },
  };
}

/** Commits of the repository newer than `sinceMs` (newest first, at most `max`): recent changes to the stack. */
export async function recentCommits(root: string, sinceMs: number, max = 5): Promise<Array<{ commit: string; at: number; message: string }>> {
  const log = await git.log({ fs, dir: root, depth: max }).catch(() => []);
  return log
    .map((c) => ({ commit: c.oid.slice(0, 7), at: c.commit.committer.timestamp * 1000, message: c.commit.message.split('\n')[0] ?? '' }))
    .filter((c) => c.at >= sinceMs);
}
