import type { FsUsage } from '@bcon/sensor';
import { describe, expect, it } from 'vitest';
import { logLines, service } from '../__fixtures__/signals.js';
import { fullTmpfsOf, isFullTmpfs } from './full-tmpfs.js';

const MiB = 1 << 20;
const fs = (target: string, kind: FsUsage['kind'], sizeBytes: number, usedBytes: number): FsUsage => ({ target, kind, sizeBytes, usedBytes, availableBytes: sizeBytes - usedBytes });
const disk = fs('/', 'root', 100_000 * MiB, 40_000 * MiB);

describe('fullTmpfsOf', () => {
  const withFs = (lines: string[], filesystems: FsUsage[]) => {
    const s = service('web', { logs: logLines(lines) });
    const id = s.containers[0]?.id as string;
    return { ...s, filesystems: { [id]: filesystems } };
  };
  const enospc = (path: string) => `Error: ENOSPC: no space left on device, open '${path}'`;

  it('is the full tmpfs of its own the lines of a full disk point at, when no other file system of it is tight', () => {
    expect(fullTmpfsOf(withFs([enospc('/srv/sessions/sess_1')], [disk, fs('/srv/sessions', 'tmpfs', 4 * MiB, 4 * MiB)])).map((f) => f.usage.target)).toEqual(['/srv/sessions']);
    // a line naming no path: the tmpfs, when it is the only tight one
    expect(fullTmpfsOf(withFs(['PHP Warning:  file_put_contents(): Only 0 of 5126 bytes written, possibly out of free disk space'], [disk, fs('/srv/sessions', 'tmpfs', 4 * MiB, 4 * MiB)]))).toHaveLength(1);
  });
  it('is nothing when the lines name a path on another file system, or beside the mount on a name that only begins alike', () => {
    expect(fullTmpfsOf(withFs([enospc('/var/lib/data/x')], [disk, fs('/tmp', 'tmpfs', 4 * MiB, 4 * MiB)]))).toEqual([]);
    expect(fullTmpfsOf(withFs([enospc('/tmpdata/x')], [disk, fs('/tmp', 'tmpfs', 4 * MiB, 4 * MiB)]))).toEqual([]);
  });
  it('is nothing when a volume or its root on the host disk is tight too: that may be the full one', () => {
    const full = fs('/srv/sessions', 'tmpfs', 4 * MiB, 4 * MiB);
    expect(fullTmpfsOf(withFs(['could not write: No space left on device'], [disk, fs('/var/lib/postgresql/data', 'mount', 1000 * MiB, 990 * MiB), full]))).toEqual([]);
    expect(fullTmpfsOf(withFs(['could not write: No space left on device'], [fs('/', 'root', 1000 * MiB, 999 * MiB), full]))).toEqual([]);
  });
  it('is full only when half used and nearly no room left: an empty tiny tmpfs is not', () => {
    expect(isFullTmpfs(fs('/run', 'tmpfs', 64 * 1024, 0))).toBe(false);
    expect(isFullTmpfs(fs('/run', 'tmpfs', 64 * 1024, 60 * 1024))).toBe(true);
    expect(isFullTmpfs(fs('/tmp', 'tmpfs', 1024 * MiB, 1000 * MiB))).toBe(false);
    expect(isFullTmpfs(fs('/tmp', 'tmpfs', 1024 * MiB, 1020 * MiB))).toBe(true);
  });
});
