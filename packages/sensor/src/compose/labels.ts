/** The labels docker compose (v2, `proj-svc-1`), docker-compose (v1, `proj_svc_1`) and podman-compose put on containers. */
export const COMPOSE_LABELS = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  containerNumber: 'com.docker.compose.container-number',
  oneoff: 'com.docker.compose.oneoff',
  configHash: 'com.docker.compose.config-hash',
  /** podman-compose puts its config hash here (and the com.docker.compose project/service/container-number labels) */
  podmanConfigHash: 'io.podman.compose.config-hash',
  version: 'com.docker.compose.version',
  workingDir: 'com.docker.compose.project.working_dir',
  configFiles: 'com.docker.compose.project.config_files',
} as const;

export interface ComposeIdentity {
  project: string;
  service: string;
  /** Replica number (1-based); undefined when the label is missing. */
  number: number | undefined;
  /** A `compose run` container rather than a service replica. */
  oneoff: boolean;
  configHash: string | undefined;
  /** `1` for docker-compose v1, `2` for the compose plugin, undefined when unknown. */
  composeMajor: 1 | 2 | undefined;
  workingDir: string | undefined;
  configFiles: string[];
}

/** Read the compose identity of a container from its labels; undefined for containers compose did not make. */
export function composeIdentity(labels: Record<string, string> | null | undefined): ComposeIdentity | undefined {
  if (!labels) return undefined;
  const project = labels[COMPOSE_LABELS.project];
  const service = labels[COMPOSE_LABELS.service];
  if (!project || !service) return undefined;
  const numberLabel = labels[COMPOSE_LABELS.containerNumber];
  const number = numberLabel !== undefined && /^\d+$/.test(numberLabel) ? Number(numberLabel) : undefined;
  const version = labels[COMPOSE_LABELS.version];
  const major = version ? Number(version.split('.')[0]) : NaN;
  const files = labels[COMPOSE_LABELS.configFiles];
  return {
    project,
    service,
    number,
    oneoff: (labels[COMPOSE_LABELS.oneoff] ?? '').toLowerCase() === 'true',
    configHash: labels[COMPOSE_LABELS.configHash] || labels[COMPOSE_LABELS.podmanConfigHash] || undefined,
    composeMajor: major === 1 ? 1 : major >= 2 ? 2 : undefined,
    workingDir: labels[COMPOSE_LABELS.workingDir] || undefined,
    configFiles: files ? files.split(',').filter(Boolean) : [],
  };
}
