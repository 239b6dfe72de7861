import { EngineClient, collectContainers, collectImages, endpointFromEnv } from '@bcon/sensor';
import { collectBindFiles, findRepositoryRoot, gitRefSource, loadDesiredState, worktreeSource } from '@bcon/sensor/desired';
import type { DriftReport } from '@bcon/reasoning';
import { buildDriftReport } from '@bcon/reasoning';

export interface DriftRun {
  report: DriftReport;
  /** the engine address and repository root: the scope of drift history */
  engine: string;
  repo: string;
}

/**
 * `bcon drift`: the desired state (from git or the working tree) and the engine's containers are read at the same
 * time, read-only; a problem with the desired state is reported before one with the engine.
 */
export async function collectDrift(options: { repo: string; ref: string; worktree: boolean }): Promise<DriftRun> {
  const client = new EngineClient(endpointFromEnv());
  try {
    const readDesired = (async () => {
      const root = await findRepositoryRoot(options.repo);
      const source = options.worktree ? worktreeSource(root) : await gitRefSource(root, options.ref);
      return { root, source, desired: await loadDesiredState(source) };
    })();
    const readEngine = client.connect().then(() => collectContainers(client, { concurrency: 32 }));
    const [d, e] = await Promise.allSettled([readDesired, readEngine]);
    if (d.status === 'rejected') throw d.reason;
    if (e.status === 'rejected') throw e.reason;
    const { root, source, desired } = d.value;
    const containers = e.value;
    const wanted = desired.projects.flatMap((p) => Object.values(p.services).flatMap((s) => (s.image ? [s.image] : [])));
    const images = await collectImages(client, [...containers.map((c) => c.imageId), ...wanted]);
    // bind-mounted files can only be read where the engine runs: on this host
    const bindFiles =
      client.endpoint.kind === 'unix' && !options.worktree
        ? await collectBindFiles(source, desired.projects.flatMap((p) => Object.values(p.services).flatMap((s) => s.volumes)))
        : new Map();
    return { report: buildDriftReport(desired, containers, images, { bindFiles }), engine: client.endpoint.address, repo: root };
  } finally {
    client.close();
  }
}
