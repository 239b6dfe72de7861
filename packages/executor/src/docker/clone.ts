import type Docker from 'dockerode';

type Inspect = Docker.ContainerInspectInfo;

/**
 * The create body of a container like an existing one — same config, host config, labels, mounts and network mode —
 * with changes: what compose itself would create, so compose and bcon's drift still see the same service.
 */
export function cloneSpec(
  from: Inspect,
  change: { env?: (env: string[]) => string[]; image?: string; labels?: Record<string, string>; hostConfig?: Partial<Inspect['HostConfig']> } = {},
): Docker.ContainerCreateOptions {
  const env = change.env ? change.env(from.Config.Env ?? []) : from.Config.Env;
  const networks = from.HostConfig.NetworkMode && !/^(none|host)$|^container:/.test(from.HostConfig.NetworkMode) ? from.NetworkSettings.Networks : undefined;
  return {
    ...from.Config,
    Image: change.image ?? from.Config.Image,
    Env: env,
    Labels: { ...from.Config.Labels, ...change.labels },
    HostConfig: { ...from.HostConfig, ...(from.HostConfig.Ulimits ? { Ulimits: from.HostConfig.Ulimits.map(ulimitForCreate) } : {}), ...change.hostConfig },
    ...(networks ? { NetworkingConfig: { EndpointsConfig: Object.fromEntries(Object.entries(networks).map(([k, v]) => [k, { Aliases: v.Aliases ?? [] }])) } } : {}),
  } as Docker.ContainerCreateOptions;
}

/** Podman's inspect names ulimits as the kernel does (RLIMIT_NOFILE); a create takes Docker's names (nofile). */
function ulimitForCreate(u: { Name?: string; Soft?: number; Hard?: number }): { Name?: string; Soft?: number; Hard?: number } {
  return u.Name?.startsWith('RLIMIT_') ? { ...u, Name: u.Name.slice('RLIMIT_'.length).toLowerCase() } : u;
}

/** compose's name for replica n: `proj_svc_n` (v1) or `proj-svc-n` (v2), following the existing replica's style. */
export function replicaName(existing: string, project: string, service: string, n: number): string {
  return existing.startsWith(`${project}_${service}_`) ? `${project}_${service}_${n}` : `${project}-${service}-${n}`;
}
