import type { HostFiles } from '../engine/host-files.js';
import { STATFS_PREFIX, isReadableHostFile, parseStatfs, withHostFiles } from '../engine/host-files.js';
import type { ContainerFacts } from './containers.js';

/** How full one tmpfs of a container's own is, read with statfs(2) inside its root as its main process sees it. */
export interface TmpfsUsage {
  target: string;
  sizeBytes: number;
  usedBytes: number;
  availableBytes: number;
}

/**
 * The tmpfs mounts of the running containers that have any, with their size and use: `statfs` of
 * /proc/<pid>/root/<mount point> on the engine's host (this machine, or an SSH host through its shell). Only when the
 * process's cgroup file names the container's id (a pid from another namespace is not trusted), like the cgroup
 * counters. Containers whose figures cannot be read are left out; nothing is read for a host without host files.
 */
export async function collectTmpfsUsage(files: HostFiles | undefined, containers: readonly ContainerFacts[]): Promise<Map<string, TmpfsUsage[]>> {
  const out = new Map<string, TmpfsUsage[]>();
  const wanted = containers.filter((c) => c.state === 'running' && c.pid > 0 && c.tmpfs.length > 0);
  if (!files || !wanted.length) return out;
  const results = await withHostFiles(files, (read) =>
    Promise.all(
      wanted.map(async (c) => {
        const own = await read(`/proc/${c.pid}/cgroup`);
        if (!own?.includes(c.id)) return [] as TmpfsUsage[];
        const usage = await Promise.all(
          c.tmpfs.map(async (target) => {
            const name = `${STATFS_PREFIX}/proc/${c.pid}/root${target.replace(/\/+$/, '')}`;
            if (!isReadableHostFile(name)) return undefined;
            const fig = parseStatfs(await read(name));
            return fig && fig.sizeBytes > 0 ? { target, ...fig } : undefined;
          }),
        );
        return usage.filter((u): u is TmpfsUsage => u !== undefined);
      }),
    ),
  ).catch(() => [] as TmpfsUsage[][]);
  wanted.forEach((c, i) => {
    const u = results[i];
    if (u?.length) out.set(c.id, u);
  });
  return out;
}
