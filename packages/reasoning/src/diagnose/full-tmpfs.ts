import type { ContainerFacts, FsUsage } from '@bcon/sensor';
import { matchLogLine } from './log-patterns.js';
import type { ServiceSignals } from './signals.js';

/** A tmpfs with less room than this left cannot take a session file, a compiled view, an upload's first chunk… */
const FULL_ROOM_BYTES = 64 * 1024;
/** …nor with less than this share of its size left… */
const FULL_ROOM_SHARE = 0.01;
/** …and it is full of something: at least half of it used (a tiny tmpfs, empty, has little room and is not full). */
const FULL_USED_SHARE = 0.5;
/** Another file system of the container with less than this share left may be the one it cannot write to. */
const OTHER_TIGHT_SHARE = 0.05;

/** Whether a tmpfs is full: at least half used, and less than 64 KiB or 1 % of its size left. */
export function isFullTmpfs(u: Pick<FsUsage, 'sizeBytes' | 'usedBytes' | 'availableBytes'>): boolean {
  return u.usedBytes >= u.sizeBytes * FULL_USED_SHARE && u.availableBytes <= Math.max(FULL_ROOM_BYTES, u.sizeBytes * FULL_ROOM_SHARE);
}

/** `path` is `mount` or lies under it (on path boundaries: /tmp holds /tmp/x, not /tmpdata). */
const under = (path: string, mount: string): boolean => path === mount || path.startsWith(mount.endsWith('/') ? mount : `${mount}/`);

/** The paths the service's lines of a full disk name (ENOSPC on a file), from the logs read. */
function diskFullPaths(service: Pick<ServiceSignals, 'logs'>): string[] {
  const paths = new Set<string>();
  for (const lines of Object.values(service.logs)) {
    for (const line of lines) {
      const path = matchLogLine(line.text).find((x) => x.pattern.cause === 'disk_full')?.target?.path;
      if (path) paths.add(path);
    }
  }
  return [...paths];
}

/**
 * The full tmpfs mounts of a service's own containers a restart clears — what a tmpfs holds is lost at every start
 * by design — when they are what it cannot write to, on the engine's readings (statfs inside each container):
 * - the tmpfs is full (isFullTmpfs), and read as a tmpfs;
 * - no other file system of that container is tight (its root on the host's disk, a volume, a bind mount: 5 % or
 *   less left) — that one could be the full disk, and a restart would not free it;
 * - every path the service's full-disk lines name lies under one of its full tmpfs mounts (a line naming no path is
 *   read through the rule above).
 */
export function fullTmpfsOf(service: Pick<ServiceSignals, 'containers' | 'filesystems' | 'logs'>): Array<{ container: ContainerFacts; usage: FsUsage }> {
  const candidates = service.containers.flatMap((container) => {
    const fs = service.filesystems?.[container.id] ?? [];
    const full = fs.filter((u) => u.kind === 'tmpfs' && isFullTmpfs(u));
    return full.length && !fs.some((u) => u.kind !== 'tmpfs' && u.availableBytes <= u.sizeBytes * OTHER_TIGHT_SHARE) ? [{ container, full }] : [];
  });
  // the logs are read again (every pattern on every line) only for a service that has a full tmpfs: the reconciler
  // asks this of every service it diagnoses, at every pass
  if (!candidates.length) return [];
  const paths = diskFullPaths(service);
  return candidates.filter(({ full }) => paths.every((p) => full.some((u) => under(p, u.target)))).flatMap(({ container, full }) => full.map((usage) => ({ container, usage })));
}
