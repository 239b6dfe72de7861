// The parts of Docker Engine API responses (v1.41+) the sensor reads. Anything else is ignored.

export interface ApiVersionInfo {
  Version: string;
  ApiVersion: string;
  MinAPIVersion?: string;
  Os: string;
  Arch: string;
  KernelVersion?: string;
  /** the engine's parts: Podman names itself here ("Podman Engine") */
  Components?: Array<{ Name: string; Version?: string }>;
}

/** Which runtime serves the Docker API: Podman says so in /version's Components; anything else is Docker. */
export function engineRuntime(v: Pick<ApiVersionInfo, 'Components'>): 'Docker' | 'Podman' {
  return (v.Components ?? []).some((c) => /podman/i.test(c.Name)) ? 'Podman' : 'Docker';
}

export interface ApiInfo {
  Name?: string;
  NCPU?: number;
  MemTotal?: number;
  CgroupVersion?: string;
  CgroupDriver?: string;
  ServerVersion?: string;
  /** this engine's place in a swarm: LocalNodeState `active` and ControlAvailable on a manager */
  Swarm?: { NodeID?: string; LocalNodeState?: string; ControlAvailable?: boolean; Nodes?: number; Managers?: number };
}

export interface ApiContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  ImageID: string;
  Command: string;
  Created: number;
  State: string;
  Status: string;
  Labels: Record<string, string> | null;
}

export interface ApiHealthLog {
  Start: string;
  End: string;
  ExitCode: number;
  Output: string;
}

export interface ApiContainerInspect {
  Id: string;
  Name: string;
  Created: string;
  Image: string;
  RestartCount: number;
  Path?: string;
  Args?: string[];
  State: {
    Status: string;
    Running: boolean;
    Paused: boolean;
    Restarting: boolean;
    OOMKilled: boolean;
    Dead: boolean;
    Pid: number;
    ExitCode: number;
    Error: string;
    StartedAt: string;
    FinishedAt: string;
    Health?: { Status: string; FailingStreak: number; Log: ApiHealthLog[] | null };
  };
  Config: {
    Image: string;
    Labels: Record<string, string> | null;
    Env: string[] | null;
    Cmd: string[] | null;
    Entrypoint: string[] | null;
    Tty: boolean;
    Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; Retries?: number; StartPeriod?: number };
  };
  HostConfig: {
    Memory?: number;
    MemoryReservation?: number;
    NanoCpus?: number;
    CpuQuota?: number;
    CpuPeriod?: number;
    NetworkMode?: string;
    RestartPolicy?: { Name: string; MaximumRetryCount: number };
    PortBindings?: Record<string, Array<{ HostIp: string; HostPort: string }> | null> | null;
    /** compose's `tmpfs:` (and `docker run --tmpfs`): the mount point and its options (`size=4m`) */
    Tmpfs?: Record<string, string> | null;
  };
  Mounts?: Array<{ Type: string; Name?: string; Source: string; Destination: string; RW: boolean }>;
}

export interface ApiStats {
  read: string;
  pids_stats?: { current?: number };
  cpu_stats: {
    cpu_usage: { total_usage: number; percpu_usage?: number[] };
    system_cpu_usage?: number;
    online_cpus?: number;
    throttling_data?: { periods: number; throttled_periods: number; throttled_time: number };
  };
  memory_stats: {
    usage?: number;
    limit?: number;
    stats?: Record<string, number>;
  };
}

export interface ApiEvent {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes?: Record<string, string> };
  time: number;
  timeNano: number;
}

export interface ApiImageInspect {
  Id: string;
  RepoTags: string[] | null;
  RepoDigests: string[] | null;
  Created: string;
  Config: {
    Env?: string[] | null;
    Cmd?: string[] | null;
    Entrypoint?: string[] | null;
    Labels?: Record<string, string> | null;
    Volumes?: Record<string, unknown> | null;
    Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; Retries?: number; StartPeriod?: number } | null;
  } | null;
}

/** A swarm service (GET /services): the fields bcon reads. */
export interface ApiService {
  ID: string;
  Version?: { Index?: number };
  CreatedAt?: string;
  UpdatedAt?: string;
  Spec: ApiServiceSpec;
  PreviousSpec?: ApiServiceSpec;
  UpdateStatus?: { State?: string; StartedAt?: string; CompletedAt?: string; Message?: string };
}

export interface ApiServiceSpec {
  Name: string;
  Labels?: Record<string, string>;
  TaskTemplate?: {
    ContainerSpec?: { Image?: string; Command?: string[]; Args?: string[]; Env?: string[]; Labels?: Record<string, string> };
    Resources?: { Limits?: { MemoryBytes?: number; NanoCPUs?: number }; Reservations?: { MemoryBytes?: number; NanoCPUs?: number } };
    RestartPolicy?: { Condition?: string; MaxAttempts?: number };
    Placement?: { Constraints?: string[] };
    ForceUpdate?: number;
  };
  Mode?: { Replicated?: { Replicas?: number }; Global?: Record<string, never> };
  UpdateConfig?: { Parallelism?: number; Delay?: number; FailureAction?: string; Monitor?: number; MaxFailureRatio?: number; Order?: string };
  RollbackConfig?: { Parallelism?: number; Delay?: number; FailureAction?: string; Monitor?: number; MaxFailureRatio?: number; Order?: string };
}

/** A swarm task (GET /tasks): one slot's attempt to run a container. */
export interface ApiTask {
  ID: string;
  ServiceID: string;
  Slot?: number;
  NodeID?: string;
  DesiredState?: string;
  CreatedAt?: string;
  UpdatedAt?: string;
  Spec?: { ContainerSpec?: { Image?: string } };
  Status?: { Timestamp?: string; State?: string; Message?: string; Err?: string; ContainerStatus?: { ContainerID?: string; PID?: number; ExitCode?: number } };
}

/** A swarm node (GET /nodes). */
export interface ApiNode {
  ID: string;
  Description?: { Hostname?: string };
  Spec?: { Role?: string; Availability?: string };
  Status?: { State?: string; Addr?: string; Message?: string };
  ManagerStatus?: { Leader?: boolean; Reachability?: string };
}
