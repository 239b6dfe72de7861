import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { MountSpec } from './compose/service-spec.js';
import type { DesiredSource } from './source.js';

/** A file of a bind mount from the repository: what the ref holds and what this host holds. */
export interface BindFileFacts {
  /** repository-relative path */
  repoPath: string;
  committedBlob: string | undefined;
  hostBlob: string | undefined;
  /** ms since epoch; undefined when the file is not on this host */
  hostModifiedAt: number | undefined;
}

/** Files of one bind mount source (a file or a directory), keyed by the mount's absolute host path. */
export interface BindMountFacts {
  source: string;
  repoPath: string;
  files: BindFileFacts[];
}

/** git's blob id of some content: sha1("blob <size>\0<content>"). */
export function gitBlobId(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

async function hostFile(abs: string): Promise<{ blob: string; mtime: number } | undefined> {
  try {
    const [content, st] = await Promise.all([readFile(abs), stat(abs)]);
    return { blob: gitBlobId(content), mtime: st.mtimeMs };
  } catch {
    return undefined;
  }
}

/**
 * For bind mounts whose source lies inside the repository: the content the ref holds (git blob ids) and the content
 * on this host (blob ids and modification times), read-only. Used to tell config files edited on the host, or edited
 * after the container started, which compose itself never notices.
 */
export async function collectBindFiles(source: DesiredSource, mounts: readonly MountSpec[]): Promise<Map<string, BindMountFacts>> {
  const out = new Map<string, BindMountFacts>();
  for (const m of mounts) {
    if (m.type !== 'bind' || !m.source || m.repoPath === undefined || out.has(m.source)) continue;
    // only what the ref holds is compared: data written into a mounted directory is never read or hashed
    const committedFile = await source.blobId(m.repoPath);
    const paths = committedFile ? [m.repoPath] : await source.listFiles(m.repoPath);
    if (paths.length === 0) continue;
    const files: BindFileFacts[] = [];
    for (const repoPath of [...paths].sort()) {
      const abs = committedFile ? m.source : path.join(m.source, path.posix.relative(m.repoPath, repoPath));
      const host = await hostFile(abs);
      files.push({ repoPath, committedBlob: await source.blobId(repoPath), hostBlob: host?.blob, hostModifiedAt: host?.mtime });
    }
    out.set(m.source, { source: m.source, repoPath: m.repoPath, files });
  }
  return out;
}
