import { describe, expect, it } from 'vitest';
import type { HostFiles } from '../engine/host-files.js';
import type { ContainerFacts } from './containers.js';
import { collectFsUsage } from './fs-usage.js';

const container = (id: string, pid: number, tmpfs: string[], state: ContainerFacts['state'] = 'running', mounts: ContainerFacts['mounts'] = []) => ({ id, pid, tmpfs, state, mounts }) as ContainerFacts;
const MiB = 1 << 20;

describe('collectFsUsage', () => {
  it("reads a container's root, writable mounts and own tmpfs inside it, only where the pid's cgroup names the container", async () => {
    const asked: string[] = [];
    const files: HostFiles = {
      remote: true,
      async readMany(paths) {
        asked.push(...paths);
        const text: Record<string, string> = {
          '/proc/10/cgroup': '0::/system.slice/docker-aaa.scope\n',
          '/proc/20/cgroup': '0::/system.slice/docker-other.scope\n',
          'statfs:/proc/10/root': 'ef53 4096 1000000 500000 450000',
          'statfs:/proc/10/root/data': 'ef53 4096 1000000 10 0',
          'statfs:/proc/10/root/srv/sessions': '1021994 4096 256 0 0',
          // declared a tmpfs, read as the host's disk (a symlink on the way): not taken for one
          'statfs:/proc/10/root/var/run': 'ef53 4096 1000000 500000 450000',
        };
        return new Map(paths.map((p) => [p, text[p]]));
      },
    };
    const volume = { type: 'volume', source: '/v', name: 'd', target: '/data', readOnly: false };
    const ro = { type: 'bind', source: '/etc/x', name: undefined, target: '/etc/x', readOnly: true };
    const got = await collectFsUsage(files, [container('aaa', 10, ['/srv/sessions/', '/var/run'], 'running', [volume, ro]), container('bbb', 20, ['/tmp']), container('ccc', 0, ['/tmp'], 'exited'), container('ddd', 30, [])]);
    expect(Object.fromEntries(got)).toEqual({
      aaa: [
        { target: '/', kind: 'root', sizeBytes: 4096 * 1e6, usedBytes: 4096 * 5e5, availableBytes: 4096 * 45e4 },
        { target: '/data', kind: 'mount', sizeBytes: 4096 * 1e6, usedBytes: 4096 * (1e6 - 10), availableBytes: 0 },
        { target: '/srv/sessions', kind: 'tmpfs', sizeBytes: MiB, usedBytes: MiB, availableBytes: 0 },
        { target: '/var/run', kind: 'mount', sizeBytes: 4096 * 1e6, usedBytes: 4096 * 5e5, availableBytes: 4096 * 45e4 },
      ],
    });
    // a read-only mount is not asked about; the pid whose cgroup names another container is not read inside; nothing
    // is asked of a stopped one
    expect(asked.some((p) => p.includes('/etc/x') || p.startsWith('statfs:/proc/20') || p.includes('/proc/30'))).toBe(false);
    expect(await collectFsUsage(undefined, [container('aaa', 10, ['/tmp'])])).toEqual(new Map());
  });
});
