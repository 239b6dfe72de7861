import fs from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import git from 'isomorphic-git';
import { DesiredStateError } from './errors.js';
import { gitBlobSize } from './git-blob-size.js';

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
  /**
   * The file's text, undefined when absent. With `maxBytes`, a larger file is refused (DesiredStateError
   * `desired_file_too_large`, naming the file) before its content is read or inflated.
   */
  readFile(relPath: string, options?: ReadOptions): Promise<string | undefined>;
  /** The git blob id of a file at the ref (undefined in the working tree or when absent). */
  blobId(relPath: string): Promise<string | undefined>;
  /** Files under a directory at the ref (repository-relative paths); empty in the working tree. */
  listFiles(relDir: string): Promise<string[]>;
}

export interface ReadOptions {
  /** refuse a file larger than this many bytes */
  maxBytes?: number;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;

/** A file of the desired state larger than bcon reads (`maxBytes`). */
export function fileTooLarge(relPath: string, size: number, maxBytes: number, where: string): DesiredStateError {
  return new DesiredStateError(
    `${relPath}: ${size} bytes (${mib(size)}) at ${where}, more than the ${mib(maxBytes)} bcon reads from one file of the desired state: ` +
      'a compose file or bcon.yaml that large is not one people write; check what was committed, or split it (include:, extends:)',
    'desired_file_too_large',
    relPath,
  );
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
  const gitdir = path.join(root, '.git');
  const label = `${ref}@${commit.slice(0, 7)}`;
  /** the blob's id and size from its tree entry and its object's header, without inflating it */
  const sizeOf = async (relPath: string): Promise<number | undefined> => {
    const key = normal(relPath);
    const dir = path.posix.dirname(key);
    try {
      const { tree } = await git.readTree({ fs, dir: root, oid: commit, ...(dir === '.' ? {} : { filepath: dir }), cache });
      const entry = tree.find((e) => e.path === path.posix.basename(key));
      return entry?.type === 'blob' ? await gitBlobSize(gitdir, entry.oid) : undefined;
    } catch {
      return undefined;
    }
  };
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
    label,
    commit,
    async listFiles(relDir) {
      all ??= git.listFiles({ fs, dir: root, ref: commit, cache }).catch(() => []);
      const prefix = normal(relDir).replace(/\/$/, '') + '/';
      return (await all).filter((f) => f.startsWith(prefix));
    },
    async readFile(relPath, options) {
      const max = options?.maxBytes;
      if (max !== undefined && !blobs.has(normal(relPath))) {
        const size = await sizeOf(relPath);
        if (size !== undefined && size > max) throw fileTooLarge(normal(relPath), size, max, label);
      }
      const blob = await readBlob(relPath);
      if (blob && max !== undefined && blob.blob.length > max) throw fileTooLarge(normal(relPath), blob.blob.length, max, label);
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
    async readFile(relPath, options) {
      const file = path.join(root, normal(relPath));
      let fh: FileHandle;
      try {
        fh = await open(file, 'r');
      } catch {
        return undefined;
      }
      try {
        const st = await fh.stat();
        if (!st.isFile()) return undefined;
        const max = options?.maxBytes;
        if (max === undefined) return await fh.readFile('utf8');
        if (st.size > max) throw fileTooLarge(normal(relPath), st.size, max, 'worktree');
        // never more than max + 1 bytes, even if the file grows meanwhile
        let buf = Buffer.alloc(st.size + 1);
        let length = 0;
        for (;;) {
          if (length === buf.length) buf = Buffer.concat([buf, Buffer.alloc(max + 1 - length)]);
          const { bytesRead } = await fh.read(buf, length, buf.length - length, length);
          if (bytesRead === 0) break;
          length += bytesRead;
          if (length > max) throw fileTooLarge(normal(relPath), length, max, 'worktree');
        }
        return buf.toString('utf8', 0, length);
      } catch (err) {
        if (err instanceof DesiredStateError) throw err;
        return undefined;
      } finally {
        await fh.close();
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
