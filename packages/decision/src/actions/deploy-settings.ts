import { z } from 'zod';

/**
 * How a deploy replaces a service's replicas: compose's `deploy.update_config` / `rollback_config` (the Swarm
 * vocabulary; compose itself ignores them outside Swarm) and bcon.yaml `recovery:`. Durations in milliseconds.
 */
export const DeploySettingsSchema = z
  .object({
    /** replicas replaced at once */
    parallelism: z.number().int().min(1).max(100),
    /** pause between batches */
    delayMs: z.number().int().min(0).max(3_600_000),
    /** start-first: the new replica serves before the old one stops; stop-first: the old one stops first */
    order: z.enum(['start-first', 'stop-first']),
    /** how long a new replica is watched after it passed its health gate (exits, probes, errors, latency) */
    monitorMs: z.number().int().min(0).max(3_600_000),
    /** the share of replicas that may fail before failureAction runs */
    maxFailureRatio: z.number().min(0).max(1),
    failureAction: z.enum(['pause', 'continue', 'rollback']),
    /** a new replica must be healthy (or, with no healthcheck, running) within this */
    healthTimeoutMs: z.number().int().min(1000).max(3_600_000),
    /** previous images kept (tagged, so a prune does not remove them) and restorable by `bcon rollback` */
    keepPrevious: z.number().int().min(0).max(10),
    /** how long an old replica keeps its open requests after it left the proxy, before it stops */
    drainMs: z.number().int().min(0).max(600_000),
    /** canary: the analysis window, and the traffic weight of the canary beside each old replica (1 = even) */
    canaryWindowMs: z.number().int().min(1000).max(3_600_000),
  })
  .strict();
export type DeploySettings = z.infer<typeof DeploySettingsSchema>;

export const DEPLOY_STRATEGIES = ['rolling', 'canary', 'blue-green'] as const;
export type DeployStrategy = (typeof DEPLOY_STRATEGIES)[number];

/** Which reverse proxy fronts the service (label `bcon.proxy=SERVICE` on it) and how its replicas are addressed. */
export const DeployProxySchema = z
  .object({
    /** the proxy's compose service, in the same project */
    service: z.string().min(1).max(255),
    /** the port a replica listens on (label `bcon.proxy.port`) */
    port: z.number().int().min(1).max(65535),
    /**
     * host networking: every replica needs its own port, given in this env variable (label `bcon.proxy.port-env`);
     * bcon gives each new replica the lowest free port from `port` up among the service's containers
     */
    portEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional(),
    /** where the proxy includes bcon's upstream files from (label `bcon.proxy.config-dir`, default /etc/nginx/bcon) */
    configDir: z.string().regex(/^\/[A-Za-z0-9_./-]+$/),
  })
  .strict();
export type DeployProxy = z.infer<typeof DeployProxySchema>;

export const DEFAULT_DEPLOY_SETTINGS: DeploySettings = {
  parallelism: 1,
  delayMs: 0,
  order: 'start-first',
  monitorMs: 5_000,
  maxFailureRatio: 0,
  failureAction: 'rollback',
  healthTimeoutMs: 60_000,
  keepPrevious: 1,
  drainMs: 2_000,
  canaryWindowMs: 15_000,
};

const durationMs = (v: unknown): number | undefined => {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.round(v * 1000);
  if (typeof v !== 'string') return undefined;
  const parts = [...v.trim().matchAll(/(\d+(?:\.\d+)?)(ms|us|ns|s|m|h)/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== v.trim().replace(/\s+/g, '')) return undefined;
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  return Math.round(parts.reduce((t, p) => t + Number(p[1]) * (unit[p[2] as string] as number), 0));
};

export class DeploySettingsError extends Error {}

/**
 * The settings of one deploy from a compose service's `deploy.update_config` (or `rollback_config` for a rollback)
 * and bcon.yaml `recovery:` (health_check_timeout seconds, keep_previous, max_failure_rate when the service names
 * none). A named volume makes stop-first the default order (two writers on one volume is worse than a short gap).
 */
export function deploySettings(
  updateConfig: Record<string, unknown> | undefined,
  recovery: { max_failure_rate?: number; health_check_timeout?: number; keep_previous?: number; auto_rollback?: boolean } = {},
  opts: { namedVolume?: boolean; /** label bcon.deploy.canary-window (compose's update_config has no such key) */ canaryWindow?: string } = {},
): DeploySettings {
  const u = updateConfig ?? {};
  const where = (k: string) => `deploy.update_config.${k}`;
  const num = (k: string): number | undefined => {
    const v = u[k];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new DeploySettingsError(`${where(k)}: expected a number, got ${JSON.stringify(v)}`);
    return v;
  };
  const dur = (k: string): number | undefined => {
    if (u[k] === undefined) return undefined;
    const ms = durationMs(u[k]);
    if (ms === undefined) throw new DeploySettingsError(`${where(k)}: expected a duration like 10s or 1m30s, got ${JSON.stringify(u[k])}`);
    return ms;
  };
  const order = u['order'];
  if (order !== undefined && order !== 'start-first' && order !== 'stop-first') throw new DeploySettingsError(`${where('order')}: expected start-first or stop-first, got ${JSON.stringify(order)}`);
  const action = u['failure_action'];
  if (action !== undefined && action !== 'pause' && action !== 'continue' && action !== 'rollback') throw new DeploySettingsError(`${where('failure_action')}: expected pause, continue or rollback, got ${JSON.stringify(action)}`);
  const canary = opts.canaryWindow === undefined ? undefined : durationMs(opts.canaryWindow);
  if (opts.canaryWindow !== undefined && canary === undefined) throw new DeploySettingsError(`label bcon.deploy.canary-window: expected a duration like 30s, got ${JSON.stringify(opts.canaryWindow)}`);
  const parsed = DeploySettingsSchema.safeParse({
    parallelism: num('parallelism') === 0 ? 100 : (num('parallelism') ?? DEFAULT_DEPLOY_SETTINGS.parallelism),
    delayMs: dur('delay') ?? DEFAULT_DEPLOY_SETTINGS.delayMs,
    order: order ?? (opts.namedVolume ? 'stop-first' : DEFAULT_DEPLOY_SETTINGS.order),
    monitorMs: dur('monitor') ?? DEFAULT_DEPLOY_SETTINGS.monitorMs,
    maxFailureRatio: num('max_failure_ratio') ?? recovery.max_failure_rate ?? DEFAULT_DEPLOY_SETTINGS.maxFailureRatio,
    failureAction: action ?? (recovery.auto_rollback === false ? 'pause' : DEFAULT_DEPLOY_SETTINGS.failureAction),
    healthTimeoutMs: recovery.health_check_timeout !== undefined ? Math.round(recovery.health_check_timeout * 1000) : DEFAULT_DEPLOY_SETTINGS.healthTimeoutMs,
    keepPrevious: recovery.keep_previous ?? DEFAULT_DEPLOY_SETTINGS.keepPrevious,
    drainMs: DEFAULT_DEPLOY_SETTINGS.drainMs,
    canaryWindowMs: canary ?? DEFAULT_DEPLOY_SETTINGS.canaryWindowMs,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DeploySettingsError(`deploy.update_config: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}
