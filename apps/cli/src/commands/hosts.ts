import type { HostLock } from '@bcon/sensor';
import { BconCommand } from '../lib/base-command.js';

interface HostCheck {
  name: string;
  address: string;
  reachable: boolean;
  /** wall time to connect and read, in ms */
  ms: number;
  version?: string;
  /** Docker, or Podman serving the Docker-compatible API */
  runtime?: 'Docker' | 'Podman';
  containers?: number;
  running?: number;
  lock?: HostLock | null;
  /** why the lock is stale (lease ran out, its process is gone) */
  lockStale?: string;
  error?: { code: string; message: string };
}

export default class Hosts extends BconCommand {
  static override summary = 'The hosts bcon.yaml names: can each be reached (SSH, host key, engine), what runs there, who holds its lock.';
  static override description = `Connects to every host of bcon.yaml at the same time, read-only, the way every other command does (keys,
known_hosts, time-outs), and prints one line per host: the engine's version, its containers, the per-host lock, and
how long it took — or why it could not be reached. A first check after writing bcon.yaml. Without hosts in
bcon.yaml, the engine of DOCKER_HOST (else the default socket). Exit code: 0 all reachable, 2 otherwise.`;
  static override examples = ['<%= config.bin %> hosts', '<%= config.bin %> hosts --json'];

  async run(): Promise<void> {
    const { flags } = await this.parse(Hosts);
    const { list } = await this.targets();
    const results = await Promise.all(list.map((t) => check(t.name ?? 'default', t.address, t.env)));
    if (flags.json) this.printJson({ hosts: results });
    else {
      const { renderTable } = await import('@bcon/reasoning');
      const rows = [['HOST', 'ADDRESS', 'ENGINE', 'CONTAINERS', 'LOCK', 'TIME']];
      for (const r of results) {
        rows.push([
          r.name,
          r.address,
          r.reachable ? `${r.runtime ?? 'Docker'} ${r.version}` : 'unreachable',
          r.reachable ? `${r.running}/${r.containers} running` : '-',
          r.lock ? `${r.lock.holder} since ${r.lock.since}${r.lockStale ? ' (STALE)' : ''}` : r.reachable ? 'free' : '-',
          `${(r.ms / 1000).toFixed(2)} s`,
        ]);
      }
      this.log(renderTable(rows));
      for (const r of results) if (r.error) this.log(`\n${r.name}: ${r.error.message}`);
      for (const r of results) if (r.lockStale) this.log(`\n${r.name}: the lock is stale (${r.lockStale}): bcon lock break --host ${r.name} --reason TEXT`);
    }
    if (results.some((r) => !r.reachable)) process.exitCode = 2;
  }
}

/** Connect to one engine and read what the overview shows; never throws (the error is the result). */
async function check(name: string, address: string, env: NodeJS.ProcessEnv): Promise<HostCheck> {
  const started = performance.now();
  const { EngineClient, endpointFromEnv, isLockContainer, lockOfLabels, engineRuntime } = await import('@bcon/sensor');
  let client;
  try {
    client = new EngineClient(endpointFromEnv(env), { env });
    const version = await client.connect();
    const all = await client.listContainers({ all: true });
    const lockContainer = all.find((c) => isLockContainer(c.Labels));
    const { viewLock } = await import('@bcon/ops');
    const view = await viewLock(lockOfLabels(lockContainer?.Labels, '') ?? undefined);
    return {
      name,
      address,
      reachable: true,
      ms: Math.round(performance.now() - started),
      runtime: engineRuntime(version),
      version: version.Version,
      containers: all.length - (lockContainer ? 1 : 0),
      running: all.filter((c) => c.State === 'running').length,
      lock: view.lock,
      ...(view.stale ? { lockStale: view.stale } : {}),
    };
  } catch (err) {
    const e = err as Error & { code?: string };
    return { name, address, reachable: false, ms: Math.round(performance.now() - started), error: { code: e.code ?? 'internal', message: e.message } };
  } finally {
    client?.close();
  }
}
