/** A compose service as bcon compares it: every field normalised to the form the engine stores. */
export interface PortSpec {
  /** '' when not bound to one address */
  hostIp: string;
  /** '' when not published */
  published: string;
  target: number;
  protocol: 'tcp' | 'udp' | 'sctp';
}

export interface MountSpec {
  type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'image' | 'cluster';
  /** absolute host path for a bind, the engine's volume name for a named volume, undefined when anonymous */
  source: string | undefined;
  target: string;
  readOnly: boolean;
  /** for a bind inside the repository: its path relative to the repository root */
  repoPath: string | undefined;
}

export interface HealthcheckSpec {
  test: string[] | undefined;
  intervalNs: number | undefined;
  timeoutNs: number | undefined;
  startPeriodNs: number | undefined;
  retries: number | undefined;
}

export interface ServiceSpec {
  name: string;
  image: string | undefined;
  hasBuild: boolean;
  containerName: string | undefined;
  /** null: the image's default */
  command: string[] | null;
  entrypoint: string[] | null;
  /** env_file entries, then `environment`; null for a bare `KEY` (taken from the shell at `up` time) */
  environment: Record<string, string | null>;
  /**
   * the settings whose whole value in the files is one variable with no default (`SMTP_URL: ${SMTP_URL}`): setting →
   * variable. Compose fills them from the shell or `.env` at `up` and leaves them blank when the variable is unset.
   */
  environmentFrom?: Record<string, string>;
  ports: PortSpec[];
  volumes: MountSpec[];
  /** container paths compose mounts for `secrets` and `configs` (not drift when present) */
  managedMountTargets: string[];
  /** `volumes_from` is set: the container also carries another container's mounts */
  volumesFrom: boolean;
  replicas: number;
  memoryBytes: number | undefined;
  memoryReservationBytes: number | undefined;
  nanoCpus: number | undefined;
  restart: { name: string; maximumRetryCount: number } | undefined;
  healthcheck: HealthcheckSpec | 'disabled' | undefined;
  labels: Record<string, string>;
  dependsOn: string[];
  /** the services it waits for to be healthy before it starts (`depends_on: {<dep>: {condition: service_healthy}}`) */
  healthyDependencies?: string[];
  /**
   * the services of the project that wait for this one to finish successfully (`depends_on: {<this>: {condition:
   * service_completed_successfully}}`): compose's own declaration that this service is a one-off job
   */
  completionAwaitedBy?: string[];
  networkMode: string | undefined;
  profiles: string[];
  /** `user`, `working_dir`, `hostname`, `stop_signal`, `stop_grace_period` (ns), `tty`, `stdin_open`, `init`, `tmpfs` as written */
  user?: string;
  workingDir?: string;
  hostname?: string;
  stopSignal?: string;
  stopGraceNs?: number;
  tty?: boolean;
  stdinOpen?: boolean;
  init?: boolean;
  tmpfs?: string[];
  /** `ulimits` (soft and hard), `extra_hosts` (host:ip), `cap_add`, `cap_drop`, `read_only`, `shm_size`, `sysctls`, `expose` as written */
  ulimits?: Array<{ name: string; soft: number; hard: number }>;
  extraHosts?: string[];
  capAdd?: string[];
  capDrop?: string[];
  readOnly?: boolean;
  shmSizeBytes?: number;
  sysctls?: Record<string, string>;
  expose?: string[];
  /**
   * the settings of this service bcon cannot render into a container of its own (keys like `cap_add`, `networks`,
   * `build` with no image, a variable taken from the shell, long volume options): when any is listed, bcon never
   * creates a container for it from the files (`docker compose up` does that)
   */
  unrendered: string[];
  /** deploy.update_config / rollback_config as written (bcon deploy reads them: parallelism, delay, order, monitor, …) */
  updateConfig?: Record<string, unknown>;
  rollbackConfig?: Record<string, unknown>;
}

export interface ComposeProject {
  /** compose's project name (what the containers' com.docker.compose.project label holds) */
  name: string;
  /** the project directory, relative to the repository root ('.' for the root) */
  dir: string;
  /** compose files read, relative to the repository root */
  files: string[];
  /** services enabled by the active profiles */
  services: Record<string, ServiceSpec>;
  /** services declared but disabled by profiles (not expected to run, not orphans either) */
  disabled: string[];
  activeProfiles: string[];
}
