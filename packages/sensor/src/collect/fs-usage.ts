import type { HostFiles } from '../engine/host-files.js';
import { STATFS_PREFIX, isReadableHostFile, parseStatfs, withHostFiles } from '../engine/host-files.js';
import type { ContainerFacts } from './containers.js';

/** statfs(2)'s f_type of a tmpfs (TMPFS_MAGIC). */
export const TMPFS_MAGIC = 0x01021994;

/**
 * How full one file system of a container is, read with statfs(2) inside its root as its main process sees it:
 * its root (`/`, the image's writable layer on the host's disk), each volume and bind mount, each tmpfs of its own.
 */
export interface FsUsage {
  target: string;
  /** `tmpfs`: a tmpfs of its own (declared so, and read as one); `mount`: a volume or bind mount; `root`: `/` */
  kind: 'tmpfs' | 'mount' | 'root';
  sizeBytes: number;
  usedBytes: number;
  availableBytes: number;
}

/**
 * The file systems of the running containers that have a tmpfs of their own (the only ones a diagnosis asks about:
 * a full tmpfs is the one full disk a restart clears, and whether another of its file systems is full says whether
 * the tmpfs is the one): `statfs` of /proc/<pid>/root/<mount point> on the engine's host (this machine, or an SSH host
 * through its shell). Only when the process's cgroup file names the container's id (a pid from another namespace is
 * not trusted). A declared tmpfs whose reading is not a tmpfs (a symlink on the way led elsewhere) is not taken for
 * one. Containers whose figures cannot be read (bcon without the right to enter /proc/<pid>/root) are left out.
 */
export async function collectFsUsage(files: HostFiles | undefined, containers: readonly ContainerFacts[]): Promise<Map<string, FsUsage[]>> {
  const out = new Map<string, FsUsage[]>();
  const wanted = containers.filter((c) => c.state === 'running' && c.pid > 0 && c.tmpfs.length > 0);
  if (!files || !wanted.length) return out;
  const results = await withHostFiles(files, (read) =>
    Promise.all(
      wanted.map(async (c) => {
        const own = await read(`/proc/${c.pid}/cgroup`);
        if (!own?.includes(c.id)) return [] as FsUsage[];
        const tmpfs = new Set(c.tmpfs.map((t) => t.replace(/\/+$/, '')));
        const targets: Array<[string, FsUsage['kind']]> = [['/', 'root'], ...c.mounts.filter((m) => m.type !== 'tmpfs' && !m.readOnly).map((m): [string, FsUsage['kind']] => [m.target, 'mount']), ...[...tmpfs].map((t): [string, FsUsage['kind']] => [t, 'tmpfs'])];
        const usage = await Promise.all(
          targets.map(async ([target, kind]) => {
            const name = `${STATFS_PREFIX}/proc/${c.pid}/root${target === '/' ? '' : target.replace(/\/+$/, '')}`;
            if (!isReadableHostFile(name)) return undefined;
            const fig = parseStatfs(await read(name));
            if (!fig || fig.sizeBytes <= 0) return undefined;
            // declared a tmpfs, read as something else: not one (the path led elsewhere)
            const k: FsUsage['kind'] = kind === 'tmpfs' && fig.type !== TMPFS_MAGIC ? 'mount' : kind;
            return { target, kind: k, sizeBytes: fig.sizeBytes, usedBytes: fig.usedBytes, availableBytes: fig.availableBytes };
          }),
        );
        return usage.filter((u): u is FsUsage => u !== undefined);
      }),
    ),
  ).catch(() => [] as FsUsage[][]);
  wanted.forEach((c, i) => {
    const u = results[i];
    if (u?.length) out.set(c.id, u);
  });
  return out;
}
