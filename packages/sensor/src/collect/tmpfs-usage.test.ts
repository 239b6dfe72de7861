import { describe, expect, it } from 'vitest';
import type { HostFiles } from '../engine/host-files.js';
import type { ContainerFacts } from './containers.js';
import { collectTmpfsUsage } from './tmpfs-usage.js';

const container = (id: string, pid: number, tmpfs: string[], state: ContainerFacts['state'] = 'running') => ({ id, pid, tmpfs, state }) as ContainerFacts;

describe('collectTmpfsUsage', () => {
  it("reads each tmpfs of a running container's own inside its root, only where the pid's cgroup names the container", async () => {
    const asked: string[] = [];
    const files: HostFiles = {
      remote: true,
      async readMany(paths) {
        asked.push(...paths);
        const text: Record<string, string> = {
          '/proc/10/cgroup': '0::/system.slice/docker-aaa.scope\n',
          '/proc/20/cgroup': '0::/system.slice/docker-other.scope\n',
          'statfs:/proc/10/root/srv/sessions': '4096 256 0 0',
          'statfs:/proc/10/root/tmp': '4096 1024 1000 1000',
        };
        return new Map(paths.map((p) => [p, text[p]]));
      },
    };
    const got = await collectTmpfsUsage(files, [container('aaa', 10, ['/srv/sessions/', '/tmp']), container('bbb', 20, ['/tmp']), container('ccc', 0, ['/tmp'], 'exited'), container('ddd', 30, [])]);
    expect(Object.fromEntries(got)).toEqual({
      aaa: [
        { target: '/srv/sessions/', sizeBytes: 1 << 20, usedBytes: 1 << 20, availableBytes: 0 },
        { target: '/tmp', sizeBytes: 4 << 20, usedBytes: 24 * 4096, availableBytes: 1000 * 4096 },
      ],
    });
    // the pid whose cgroup names another container is not read inside; nothing is asked of a stopped one
    expect(asked.filter((p) => p.startsWith('statfs:/proc/20') || p.includes('/proc/30'))).toEqual([]);
    expect(await collectTmpfsUsage(undefined, [container('aaa', 10, ['/tmp'])])).toEqual(new Map());
  });
});
