import { z } from 'zod';

/**
 * The stable JSON schema of `bcon status --json` (documented in docs/status.md). Fields are only ever added;
 * `schemaVersion` changes if one is removed or changes meaning.
 */
export const VerdictSchema = z.enum(['ok', 'degraded', 'down']);

export const ContainerStatusSchema = z.object({
  id: z.string(),
  name: z.string(),
  image: z.string(),
  state: z.enum(['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead']),
  /** not_run: a healthcheck the runtime does not run (Podman without systemd): its health is not known */
  health: z.enum(['none', 'starting', 'healthy', 'unhealthy', 'not_run']),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  uptimeSeconds: z.number().nullable(),
  restartCount: z.number().int(),
  exitCode: z.number().int().nullable(),
  oomKilled: z.boolean(),
  oneoff: z.boolean(),
  cpuPercent: z.number().nullable(),
  /** `cgroup` (read on the engine's host), `engine` (its stats endpoint), null when not sampled. */
  statsSource: z.enum(['cgroup', 'engine']).nullable(),
  memory: z.object({
    usageBytes: z.number().nullable(),
    limitBytes: z.number().nullable(),
    percent: z.number().nullable(),
  }),
  verdict: z.enum(['ok', 'degraded', 'down', 'completed']),
  problem: z.string().nullable(),
});

export const ServiceStatusSchema = z.object({
  name: z.string(),
  project: z.string().nullable(),
  verdict: VerdictSchema,
  reason: z.string().nullable(),
  replicas: z.object({ running: z.number().int(), total: z.number().int() }),
  containers: z.array(ContainerStatusSchema),
});

export const StatusReportSchema = z.object({
  schemaVersion: z.literal(1),
  collectedAt: z.string(),
  durationMs: z.number(),
  engine: z.object({
    /** Docker, or Podman serving the Docker-compatible API */
    runtime: z.enum(['Docker', 'Podman']).optional(),
    address: z.string(),
    version: z.string(),
    apiVersion: z.string(),
    os: z.string(),
    arch: z.string(),
    cpus: z.number().nullable(),
    memoryBytes: z.number().nullable(),
  }),
  summary: z.object({
    projects: z.number().int(),
    services: z.number().int(),
    containers: z.number().int(),
    running: z.number().int(),
    ok: z.number().int(),
    degraded: z.number().int(),
    down: z.number().int(),
  }),
  projects: z.array(z.object({ name: z.string(), verdict: VerdictSchema, services: z.array(ServiceStatusSchema) })),
  standalone: z.array(ServiceStatusSchema),
  notices: z.array(z.string()),
});

export type Verdict = z.infer<typeof VerdictSchema>;
export type ContainerStatus = z.infer<typeof ContainerStatusSchema>;
export type ServiceStatus = z.infer<typeof ServiceStatusSchema>;
export type StatusReport = z.infer<typeof StatusReportSchema>;
