import { EngineClient, collectBindFiles, collectContainers, collectImages, endpointFromEnv, findRepositoryRoot, gitRefSource, loadDesiredState, worktreeSource } from '@bcon/sensor';
import type { DriftReport } from '@bcon/reasoning';
import { buildDriftReport } from '@bcon/reasoning';

export interface DriftRun {
  report: DriftReport;
  /** the engine address and repository root: the scope of drift history */
  engine: string;
  repo: string;
}

/**
 * `bcon drift`: the desired state from git (or the working tree) is read first, so a bad compose file fails before
 * the engine is asked anything; then containers and the images involved, read-only.
 */
export async function collectDrift(options: { repo: string; ref: string; worktree: boolean }): Promise<DriftRun> {
  const root = await findRepositoryRoot(options.repo);
  const source = options.worktree ? worktreeSource(root) : await gitRefSource(root, options.ref);
  const desired = await loadDesiredState(source);
  const client = new EngineClient(endpointFromEnv());
  try {
    await client.connect();
    const containers = await collectContainers(client);
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
