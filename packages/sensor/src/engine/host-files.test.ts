import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { catScript, isReadableHostFile, localHostFiles, newMarker, parseCatOutput, parseStatfs, withHostFiles } from './host-files.js';
import type { HostFiles } from './host-files.js';

const dir = mkdtempSync(path.join(tmpdir(), 'bcon-hostfiles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('host files', () => {
  it('allows only cgroup and /proc counters, with no way out of them', () => {
    expect(isReadableHostFile('/proc/123/cgroup')).toBe(true);
    expect(isReadableHostFile('/proc/stat')).toBe(true);
    expect(isReadableHostFile('/sys/fs/cgroup/memory/docker/abc/memory.stat')).toBe(true);
    for (const bad of ['/etc/shadow', '/proc/1/environ', '/sys/fs/cgroup/../../etc/passwd', "/sys/fs/cgroup/x'; rm -rf /; '", '/sys/fs/cgroup/a b', '/proc/self/cgroup']) {
      expect(isReadableHostFile(bad), bad).toBe(false);
    }
    expect(() => catScript(['/etc/shadow'], 'm')).toThrow(/refusing to read "\/etc\/shadow"/);
  });

  it('reads many files with one head -v run in sh, telling missing, empty and multi-line files apart', () => {
    // the script is run for real by sh, as on a host; file names are made to pass the allow-list by a symlink root
    const a = path.join(dir, 'a');
    const b = path.join(dir, 'b');
    const e = path.join(dir, 'e');
    writeFileSync(a, 'total_cache 5\ninactive_file 7\n');
    writeFileSync(b, '42\n');
    writeFileSync(e, '');
    const marker = newMarker();
    const names = ['/sys/fs/cgroup/a', '/sys/fs/cgroup/missing', '/sys/fs/cgroup/b', '/sys/fs/cgroup/e'];
    const script = catScript(names, marker).replaceAll("'/sys/fs/cgroup/", `'${dir}/`);
    const output = execFileSync('sh', ['-c', script], { encoding: 'utf8' }).replaceAll(`==> ${dir}/`, '==> /sys/fs/cgroup/');
    const got = parseCatOutput(output, marker, names);
    expect(got.get('/sys/fs/cgroup/a')).toBe('total_cache 5\ninactive_file 7\n');
    expect(got.get('/sys/fs/cgroup/missing')).toBeUndefined();
    expect(got.get('/sys/fs/cgroup/b')).toBe('42\n');
    expect(got.get('/sys/fs/cgroup/e')).toBe('');
  });

  it("reads a file system's figures only inside a container's root, the same with sh's stat -f as with statfs(2)", async () => {
    expect(isReadableHostFile('statfs:/proc/123/root/var/www/html/storage')).toBe(true);
    expect(isReadableHostFile('statfs:/proc/123/root')).toBe(true);
    for (const bad of ['statfs:/etc', 'statfs:/proc/1/rootx', 'statfs:/proc/1/root/../../etc', "statfs:/proc/1/root/a'b", 'statfs:/proc/self/root/tmp', 'statfs:/proc/1/root/a b', 'statfs:/proc/1/root/$(id)']) {
      expect(isReadableHostFile(bad), bad).toBe(false);
    }
    // this process's root is the host's: /proc/<pid>/root/tmp is this machine's /tmp, read both ways
    const name = `statfs:/proc/${process.pid}/root/tmp`;
    const marker = newMarker();
    const output = execFileSync('sh', ['-c', catScript(['/proc/stat', name], marker)], { encoding: 'utf8' });
    const viaShell = parseStatfs(parseCatOutput(output, marker, ['/proc/stat', name]).get(name));
    const viaNode = parseStatfs(await withHostFiles(localHostFiles, (read) => read(name)));
    expect(viaShell?.sizeBytes).toBeGreaterThan(0);
    expect(viaShell?.sizeBytes).toBe(viaNode?.sizeBytes);
    expect(viaShell?.type).toBe(viaNode?.type);
    // /dev/shm is a tmpfs on Linux: the type read both ways is TMPFS_MAGIC
    const shm = `statfs:/proc/${process.pid}/root/dev/shm`;
    const shmOut = execFileSync('sh', ['-c', catScript([shm], marker)], { encoding: 'utf8' });
    expect(parseStatfs(parseCatOutput(shmOut, marker, [shm]).get(shm))?.type).toBe(0x01021994);
    expect(parseCatOutput(output, marker, ['/proc/stat']).get('/proc/stat')).toMatch(/^cpu /);
    // a path that is not there gives nothing, not zeros
    const gone = `statfs:/proc/${process.pid}/root/no-such-dir-here`;
    const none = execFileSync('sh', ['-c', catScript([gone], marker)], { encoding: 'utf8' });
    expect(parseCatOutput(none, marker, [gone]).get(gone)).toBeUndefined();
    expect(await withHostFiles(localHostFiles, (read) => read(gone))).toBeUndefined();
  });

  it("batches a remote host's reads into rounds: one trip per layer of files asked for", async () => {
    const trips: string[][] = [];
    const files: HostFiles = {
      remote: true,
      async readMany(paths) {
        trips.push([...paths]);
        return new Map(paths.map((p) => [p, p.endsWith('cgroup') ? '/sys/fs/cgroup/x' : `value of ${p}`]));
      },
    };
    const result = await withHostFiles(files, async (read) => {
      const where = await Promise.all([read('/proc/1/cgroup'), read('/proc/2/cgroup')]);
      return Promise.all(where.map((w) => (w ? read(`${w}/memory.current`) : undefined)));
    });
    expect(result).toEqual(['value of /sys/fs/cgroup/x/memory.current', 'value of /sys/fs/cgroup/x/memory.current']);
    expect(trips).toEqual([['/proc/1/cgroup', '/proc/2/cgroup'], ['/sys/fs/cgroup/x/memory.current']]);
  });
});
