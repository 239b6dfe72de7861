import type { ContainerFacts, ImageFacts } from '@bcon/sensor';
import { isLockContainer, isSwarmTask } from '@bcon/sensor';
import type { BindMountFacts, DesiredState } from '@bcon/sensor/desired';
import { compareService } from './compare.js';
import type { FingerprintKey } from './redact.js';
import type { DriftReport } from './schema.js';

export const UNTRACKED_RECOMMENDATION = 'remove it, or add it to the repository';
export const ORPHAN_RECOMMENDATION = 'its service is no longer in the compose file: remove it (docker compose up --remove-orphans)';

/** A container of a project that bcon.yaml places on other hosts only. */
export function misplacedRecommendation(project: string, hosts: readonly string[]): string {
  return `bcon.yaml places project ${project} on ${hosts.join(', ')}, not on this host: remove it here, or add this host to the project's host:`;
}

/**
 * Compare the desired state with the engine's containers: field-level differences per service, containers of no
 * desired project (untracked), and containers of a desired project whose service is gone (orphans).
 */
export function buildDriftReport(
  desired: DesiredState,
  allContainers: readonly ContainerFacts[],
  images: ReadonlyMap<string, ImageFacts>,
  options: {
    now?: Date;
    bindFiles?: ReadonlyMap<string, BindMountFacts>;
    /** projects bcon.yaml places only on other hosts (project → those hosts): their containers here are misplaced */
    elsewhere?: ReadonlyMap<string, readonly string[]>;
    /** the per-installation key secret-named values are fingerprinted with (HMAC); without it they only show as changed */
    fingerprintKey?: FingerprintKey;
  } = {},
): DriftReport {
  // bcon's own per-host lock container is not drift, nor are a swarm's task containers (swarm owns them; bcon swarm
  // drift compares a stack's service specs with its file)
  const containers = allContainers.filter((c) => !isLockContainer(c.labels) && !isSwarmTask(c.labels));
  const byProject = new Map(desired.projects.map((p) => [p.name, p]));
  const differences: DriftReport['differences'] = [];
  const untracked: DriftReport['untracked'] = [];
  const orphans: DriftReport['orphans'] = [];

  for (const project of desired.projects) {
    const mine = containers.filter((c) => c.compose?.project === project.name);
    for (const spec of Object.values(project.services).sort((a, b) => a.name.localeCompare(b.name))) {
      differences.push(
        ...compareService(project.name, spec, mine.filter((c) => c.compose?.service === spec.name), images, options.bindFiles, options.fingerprintKey ? { fingerprintKey: options.fingerprintKey } : {}),
      );
    }
  }
  for (const c of containers) {
    if (!c.compose) {
      untracked.push({ container: c.name, recommendation: UNTRACKED_RECOMMENDATION });
      continue;
    }
    const project = byProject.get(c.compose.project);
    if (!project) {
      const placed = options.elsewhere?.get(c.compose.project);
      if (!c.compose.oneoff) untracked.push({ container: c.name, project: c.compose.project, recommendation: placed ? misplacedRecommendation(c.compose.project, placed) : UNTRACKED_RECOMMENDATION });
      continue;
    }
    if (c.compose.oneoff || c.compose.service in project.services || project.disabled.includes(c.compose.service)) continue;
    orphans.push({ container: c.name, project: project.name, service: c.compose.service, recommendation: ORPHAN_RECOMMENDATION });
  }
  untracked.sort((a, b) => a.container.localeCompare(b.container));
  orphans.sort((a, b) => a.container.localeCompare(b.container));
  const drifted = differences.length > 0 || untracked.length > 0 || orphans.length > 0;
  return {
    timestamp: (options.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    status: drifted ? 'DRIFTED' : 'IN_SYNC',
    source: desired.source,
    projects: desired.projects.map((p) => p.name),
    differences,
    untracked,
    orphans,
  };
}
