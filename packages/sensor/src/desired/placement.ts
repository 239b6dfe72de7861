import type { DesiredState } from './desired-state.js';

/**
 * The desired state of one host: the projects bcon.yaml places on it (`projects[].host`), and those placed nowhere
 * in particular (they run on every host). `elsewhere` names, for each project placed only on other hosts, where it
 * belongs — so a container of it found here is reported as being on the wrong host, not as unknown.
 */
export function desiredOnHost(desired: DesiredState, host: string): { desired: DesiredState; elsewhere: Map<string, string[]> } {
  const placement = desired.placement ?? {};
  const elsewhere = new Map<string, string[]>();
  const projects = desired.projects.filter((p) => {
    const hosts = placement[p.name];
    if (!hosts || hosts.includes(host)) return true;
    elsewhere.set(p.name, hosts);
    return false;
  });
  return { desired: { ...desired, projects }, elsewhere };
}

/** The bcon.yaml host name of an engine address (`--host ssh://…` or DOCKER_HOST naming a declared host). */
export function hostNameOf(desired: Pick<DesiredState, 'hosts'>, address: string): string | undefined {
  return Object.entries(desired.hosts ?? {}).find(([, a]) => a === address)?.[0];
}
