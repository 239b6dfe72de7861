import type { ContainerFacts } from '@bcon/sensor';

/**
 * The compose projects up on an engine: those with a running container of a service the files declare (not untracked;
 * one-off runs aside). A same-named project of another checkout — none of its services in the files — is not this
 * one up here. A service of an up project with no container left is gone from a project that is up here.
 */
export function upProjectsIn(services: ReadonlyArray<{ untracked?: boolean | undefined; containers: readonly ContainerFacts[] }>): Set<string> {
  return new Set(services.filter((s) => !s.untracked).flatMap((s) => s.containers.filter((c) => c.state === 'running' && c.compose && !c.compose.oneoff).map((c) => c.compose?.project as string)));
}
