import type { DriftReport } from '@bcon/reasoning';
import type { DesiredSource, DesiredState } from '@bcon/sensor/desired';
import { EngineClient, collectContainers, collectImages, endpointFromEnv } from '@bcon/sensor';

/**
 * The per-installation key secret-named values are fingerprinted with (BCON_HOME/drift.key, 0600, made on first
 * use): reasoning reads no file, so it is passed in. Without it (BCON_HOME not writable) they only show as changed.
 */
async function driftKey(): Promise<Buffer | undefined> {
  try {
    const { installationKey } = await import('@bcon/store');
    return installationKey('drift');
  } catch {
    return undefined;
  }
}

export interface DriftRun {
  report: DriftReport;
  /** the engine address and repository root: the scope of drift history */
  engine: string;
  repo: string;
}

export interface DriftOptions {
  repo: string;
  ref: string;
  worktree: boolean;
  /** the engine to read (default: this process's DOCKER_HOST) */
  env?: NodeJS.ProcessEnv;
  /** the bcon.yaml host this engine is: only the projects placed on it are expected (default: found by address) */
  host?: string;
}

export interface Desired {
  root: string;
  source: DesiredSource;
  desired: DesiredState;
}

/** The desired state at the ref (or the working tree): read once, compared with one engine or several. */
export async function readDesired(options: Pick<DriftOptions, 'repo' | 'ref' | 'worktree'>): Promise<Desired> {
  const { findRepositoryRoot, gitRefSource, loadDesiredState, worktreeSource } = await import('@bcon/sensor/desired');
  const root = await findRepositoryRoot(options.repo);
  const source = options.worktree ? worktreeSource(root) : await gitRefSource(root, options.ref);
  return { root, source, desired: await loadDesiredState(source) };
}

/**
 * `bcon drift` on one engine: its containers and the desired state are read at the same time, read-only. The
 * engine is asked first and the modules that read git, YAML and the compose schema load while it answers; a
 * problem with the desired state is still reported before one with the engine. `desired` may be given (read once
 * for several hosts).
 */
export async function collectDrift(options: DriftOptions, given?: Promise<Desired>): Promise<DriftRun> {
  const env = options.env ?? process.env;
  const client = new EngineClient(endpointFromEnv(env), { env });
  try {
    const readEngine = client.connect().then(() => collectContainers(client, { concurrency: 16 }));
    readEngine.catch(() => undefined); // awaited below, after the desired state
    const [d, e] = await Promise.allSettled([given ?? readDesired(options), readEngine]);
    if (d.status === 'rejected') throw d.reason;
    if (e.status === 'rejected') throw e.reason;
    const { root, source } = d.value;
    // on a host named in bcon.yaml, only the projects placed on it are expected there
    const { desiredOnHost, hostNameOf } = await import('@bcon/sensor/desired');
    const host = options.host ?? hostNameOf(d.value.desired, client.endpoint.address);
    const { desired, elsewhere } = host ? desiredOnHost(d.value.desired, host) : { desired: d.value.desired, elsewhere: new Map<string, string[]>() };
    const containers = e.value;
    const wanted = desired.projects.flatMap((p) => Object.values(p.services).flatMap((s) => (s.image ? [s.image] : [])));
    const [images, bindFiles, { buildDriftReport }] = await Promise.all([
      collectImages(client, [...containers.map((c) => c.imageId), ...wanted]),
      // bind-mounted files can only be read where the engine runs: on this host
      client.endpoint.kind === 'unix' && !options.worktree
        ? import('@bcon/sensor/desired').then(({ collectBindFiles }) => collectBindFiles(source, desired.projects.flatMap((p) => Object.values(p.services).flatMap((s) => s.volumes))))
        : Promise.resolve(new Map()),
      import('@bcon/reasoning'),
    ]);
    const fingerprintKey = await driftKey();
    return { report: buildDriftReport(desired, containers, images, { bindFiles, elsewhere, ...(fingerprintKey ? { fingerprintKey } : {}) }), engine: client.endpoint.address, repo: root };
  } finally {
    client.close();
  }
}
