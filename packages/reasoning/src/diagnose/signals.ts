import type { ContainerFacts, EngineEventFact, FsUsage, LogLine, StatsFacts } from '@bcon/sensor';
import type { ServiceSpec } from '@bcon/sensor/desired';
import type { DriftDifference } from '../drift/schema.js';

/** What "usual" was for a service, measured from earlier samples in the store. */
export interface ServiceBaseline {
  samples: number;
  /** ms since epoch of the oldest sample used */
  since: number;
  cpuPercent: number | undefined;
  memoryBytes: number | undefined;
  restarts: number | undefined;
  errorsPerMinute: number | undefined;
  latencyP50Ms: number | undefined;
  latencyP95Ms: number | undefined;
}

/** Everything the sensor read about one compose service (all its replicas) or one container outside compose. */
export interface ServiceSignals {
  name: string;
  project: string | undefined;
  /** a compose service, or a container that no compose project declares */
  kind: 'service' | 'container';
  containers: ContainerFacts[];
  /** one-shot stats of the running containers, by container id */
  stats: Record<string, StatsFacts>;
  /** how full its file systems are, by container id (running containers with a tmpfs of their own, when read) */
  filesystems?: Record<string, FsUsage[]>;
  /** the log window of each container, by container name (untrusted text) */
  logs: Record<string, LogLine[]>;
  /** why a log window is incomplete (bounds on bytes and line length) */
  logNotes: string[];
  /** engine events of the window about these containers */
  events: EngineEventFact[];
  /** the service as the committed compose files declare it, when they were read */
  spec: ServiceSpec | undefined;
  /** how the running containers differ from the committed files */
  drift: DriftDifference[];
  /** a container the compose files do not declare (untracked, or an orphan of a removed service) */
  untracked: boolean;
  baseline: ServiceBaseline | undefined;
  /** containers (by id) bcon judged earlier to be jobs that finished by themselves, at the same exit */
  finishedBefore?: string[];
}

export interface RecentChange {
  /** git commit id (short) */
  commit: string;
  /** ms since epoch */
  at: number;
  message: string;
}

/** The typed input of a diagnosis: read by the sensor, judged here. */
export interface DiagnosisSignals {
  /** ISO time the signals were read */
  collectedAt: string;
  /** how far back events and logs reach, in seconds */
  windowSeconds: number;
  target: string | undefined;
  complaint: string | undefined;
  /** the target and its dependency closure (or every service that is not OK, when there is no target) */
  services: ServiceSignals[];
  /**
   * with a target: the services of its project read only because the engine shows them not OK beside it (neither the
   * target nor what it needs). What is found on them counts only when nothing on the target's side is found
   */
  beside?: string[];
  /** the runtime that serves the engine API, when known (Docker reports a stop or kill it was asked for; Podman does not) */
  runtime?: 'Docker' | 'Podman';
  /** commits of the compose repository inside the window, newest first */
  recentChanges: RecentChange[];
  /** where the desired state was read (`HEAD@3f2a9c1`), when it was */
  desiredSource: string | undefined;
  notices: string[];
}
