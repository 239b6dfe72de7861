import type { DriftReport } from '@bcon/reasoning';
import { EngineClient, collectContainers, collectImages, endpointFromEnv } from '@bcon/sensor';

export interface DriftRun {
  report: DriftReport;
  /** the engine address and repository root: the scope of drift history */
  engine: string;
  repo: string;
}

/**
 * `bcon drift`: the engine's containers and the desired state (from git or the working tree) are read at the same
 * time, read-only. The engine is asked first and the modules that read git, YAML and the compose schema are loaded
 * while it answers; a problem with the desired state is still reported before one with the engine.
 */
export async function collectDrift(options: { repo: string; ref: string; worktree: boolean }): Promise<DriftRun> {
  const client = new EngineClient(endpointFromEnv());
  try {
    const readEngine = client.connect().then(() => collectContainers(client, { concurrency: 16 }));
    readEngine.catch(() => undefined); // awaited below, after the desired state
    const readDesired = (async () => {
      const { findRepositoryRoot, gitRefSource, loadDesiredState, worktreeSource } = await import('@bcon/sensor/desired');
      const root = await findRepositoryRoot(options.repo);
      const source = options.worktree ? worktreeSource(root) : await gitRefSource(root, options.ref);
      return { root, source, desired: await loadDesiredState(source) };
    })();
    const [d, e] = await Promise.allSettled([readDesired, readEngine]);
    if (d.status === 'rejected') throw d.reason;
    if (e.status === 'rejected') throw e.reason;
    const { root, source, desired } = d.value;
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
    return { report: buildDriftReport(desired, containers, images, { bindFiles }), engine: client.endpoint.address, repo: root };
  } finally {
    client.close();
  }
}
