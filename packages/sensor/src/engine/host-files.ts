import { randomBytes } from 'node:crypto';
import { readFile, statfs } from 'node:fs/promises';
import { SensorError } from './errors.js';

/**
 * Read-only access to the few files of the engine's host that hold container counters (cgroupfs, /proc): on this
 * machine with fs reads, on an SSH host with `head -v` (and `stat -f` for a file system's figures) in one shell round
 * trip for many files. Only paths that match the allow-list below can be asked for, so the remote side never runs
 * anything but those reads of those paths.
 */
export interface HostFiles {
  /** Many files at once; a file that is missing or unreadable maps to undefined. */
  readMany(paths: readonly string[]): Promise<Map<string, string | undefined>>;
  /** true when each readMany is a round trip to another host (callers batch their reads into rounds) */
  readonly remote: boolean;
  /** Start what the first read needs (the remote shell) while other work goes on. */
  prepare?(): void;
}

/** One file's text, or undefined. */
export type TextReader = (file: string) => Promise<string | undefined>;

/**
 * A file system's figures rather than a file's text: `statfs:<path>` reads as `<type, hex> <fragment size> <blocks>
 * <free> <available>` (statfs(2); `stat -f` on an SSH host, under a 2 s `timeout`). Only for a path in a container's
 * root as its process sees it (/proc/<pid>/root, /proc/<pid>/root/…): how full its file systems are.
 */
export const STATFS_PREFIX = 'statfs:';
const ALLOWED = [/^\/proc\/\d+\/cgroup$/, /^\/proc\/stat$/, /^\/sys\/fs\/cgroup\/[A-Za-z0-9_.,:@=+/-]+$/, /^statfs:\/proc\/\d+\/root(?:\/[A-Za-z0-9_.,:@=+-]+)*$/];

/** The figures a `statfs:` read gives, in bytes, and the file system's type (f_type). */
export interface FsFigures {
  type: number;
  sizeBytes: number;
  usedBytes: number;
  availableBytes: number;
}

/** Parse what a `statfs:` read gave (`<type, hex> <fragment size> <blocks> <free> <available>`). */
export function parseStatfs(text: string | undefined): FsFigures | undefined {
  const parts = (text ?? '').trim().split(/\s+/);
  if (parts.length !== 5 || !/^[0-9a-f]+$/i.test(parts[0] as string)) return undefined;
  const n = parts.slice(1).map(Number);
  if (n.some((x) => !Number.isFinite(x) || x < 0)) return undefined;
  const [frsize = 0, blocks = 0, free = 0, avail = 0] = n;
  return { type: parseInt(parts[0] as string, 16), sizeBytes: frsize * blocks, usedBytes: frsize * (blocks - free), availableBytes: frsize * avail };
}

/** Only counters: /proc/<pid>/cgroup, /proc/stat, files under /sys/fs/cgroup, and `statfs:` of a path in a container's root; no `..`, no quotes. */
export function isReadableHostFile(file: string): boolean {
  return ALLOWED.some((re) => re.test(file)) && !file.split('/').includes('..');
}

export function assertReadableHostFiles(paths: readonly string[]): void {
  const bad = paths.find((p) => !isReadableHostFile(p));
  if (bad !== undefined) throw new SensorError(`refusing to read ${JSON.stringify(bad)} on the engine's host: only cgroup and /proc counters are read`, 'host_file_refused');
}

async function readLocal(file: string): Promise<string | undefined> {
  try {
    if (file.startsWith(STATFS_PREFIX)) {
      // (Node gives f_bsize, which for the file systems asked about is the fragment size `stat -f`'s %S prints)
      const st = await statfs(file.slice(STATFS_PREFIX.length) || '/');
      return `${st.type.toString(16)} ${st.bsize} ${st.blocks} ${st.bfree} ${st.bavail}`;
    }
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The files of this machine (the engine listens on a local socket; tests point cgroup roots elsewhere). */
export const localHostFiles: HostFiles = {
  remote: false,
  async readMany(paths) {
    const texts = await Promise.all(paths.map(readLocal));
    return new Map(paths.map((p, i) => [p, texts[i]]));
  },
};

/**
 * A shell line that prints every readable file with one process, `head -v` (GNU and busybox): each file after a
 * `==> path <==` header; then an end marker. The paths passed the allow-list (no quote can occur in them), so
 * single quotes make them inert; a missing file only writes to stderr, which is dropped.
 */
export function catScript(paths: readonly string[], marker: string): string {
  assertReadableHostFiles(paths);
  const files = paths.filter((p) => !p.startsWith(STATFS_PREFIX));
  const head = files.length ? `head -v -n 1000000 -- ${files.map((p) => `'${p}'`).join(' ')} 2>/dev/null; ` : '';
  // a file system's figures under the same header as a file's text (GNU and busybox `stat -f`); nothing when it fails
  const stats = paths
    .filter((p) => p.startsWith(STATFS_PREFIX))
    .map((p) => `s=$(timeout 2 stat -f -c '%t %S %b %f %a' -- '${p.slice(STATFS_PREFIX.length) || '/'}' 2>/dev/null) && printf '\n==> %s <==\n%s\n' '${p}' "$s"; `)
    .join('');
  return `${head}${stats}printf '\n%s END\n' '${marker}'\n`;
}

export function newMarker(): string {
  return `@@bcon-${randomBytes(6).toString('hex')}@@`;
}

/** Parse what catScript printed (up to the end marker): files without a header were missing or unreadable. */
export function parseCatOutput(output: string, marker: string, paths: readonly string[]): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>(paths.map((p) => [p, undefined]));
  const end = output.lastIndexOf(`\n${marker} END\n`);
  const body = `\n${end >= 0 ? output.slice(0, end) : output}`;
  const headers = [...body.matchAll(/\n==> (.+?) <==\n/g)].filter((m) => out.has(m[1] as string));
  headers.forEach((m, i) => {
    const from = (m.index as number) + m[0].length;
    const to = headers[i + 1]?.index ?? body.length;
    // head's blank line between files is the newline the header pattern starts with
    out.set(m[1] as string, body.slice(from, to));
  });
  return out;
}

/**
 * Run `run` with a reader of the host's files. Locally each read is a file read. Remotely, reads are gathered in
 * rounds: `run` is replayed with what is known so far, and every file it asked for and did not have is fetched in
 * one round trip, until it asks for nothing new (at most `maxRounds` trips).
 */
export async function withHostFiles<T>(files: HostFiles, run: (read: TextReader) => Promise<T>, maxRounds = 6): Promise<T> {
  if (!files.remote) return run(files === localHostFiles ? readLocal : async (f) => (await files.readMany([f])).get(f));
  const known = new Map<string, string | undefined>();
  for (let round = 0; ; round++) {
    const missing = new Set<string>();
    const read: TextReader = async (f) => {
      if (known.has(f)) return known.get(f);
      if (isReadableHostFile(f)) missing.add(f);
      return undefined;
    };
    const result = await run(read);
    if (!missing.size || round >= maxRounds) return result;
    const got = await files.readMany([...missing]);
    for (const f of missing) known.set(f, got.get(f));
  }
}
