// bcon.yaml's `reconcile:`, `recovery:` and `notify:` sections (docs/architecture.md, "Level 3 contracts"): the
// schemas, their defaults, and the policy they parse into (camelCase, durations in milliseconds).
import { OpsError } from '../../errors.js';
import { parseMemory } from '@bcon/decision';
import { z } from 'zod';
import { parseDuration } from './duration.js';
import { DenyWindowSchema, type DenyWindow } from './windows.js';

/** Autonomous actions allowed per sliding hour. */
export interface BudgetLimits {
  perServicePerHour: number;
  perHostPerHour: number;
}

export interface ReconcilePolicy {
  intervalMs: number;
  /** repair drift on its own (false: every drift repair is a proposal) */
  selfHeal: boolean;
  /** remove what the repository no longer declares (off unless asked; never on an empty or unreadable compose file) */
  prune: boolean;
  /** fetch the desired state from the repository's remote (fast-forward) before each pass */
  pull: boolean;
  /**
   * how often every service is judged, also those whose containers look fine (a running service whose logs or stats
   * show a fault is reported, never acted on by itself); 0: never
   */
  sweepMs: number;
  budget: BudgetLimits;
  windows: DenyWindow[];
  /**
   * how long a container paused through the engine is left paused before the reconciler unpauses it: a snapshot or
   * backup script pauses for seconds, on purpose (a pause bcon did not see happen is not waited for)
   */
  pauseGraceMs: number;
  /**
   * how long a dependency with no healthcheck is given after its start before its dependents are brought up or
   * restarted (nothing else says when it accepts connections); 0: not waited for
   */
  minReadyMs: number;
  /**
   * the highest memory limit the reconciler may commit by itself for a service OOM-killed at its committed limit
   * (memory-raise.ts); 0: off — a raise is a proposal
   */
  memoryCeilingBytes: number;
}

/** The seed's RecoveryPolicy. */
export interface RecoveryPolicy {
  /** stop a multi-replica change when more than this share of it fails */
  maxFailureRate: number;
  healthCheckTimeoutMs: number;
  autoRollback: boolean;
  /** previous images and configs kept, protected from pruning, and restorable */
  keepPrevious: number;
}

export type NotifyTarget = { kind: 'webhook'; url: string } | { kind: 'slack'; channel: string };

export interface PolicyConfig {
  reconcile: ReconcilePolicy;
  recovery: RecoveryPolicy;
  notify: NotifyTarget[];
}

function count(what: string) {
  const error = `expected a whole number ≥ 0 (${what})`;
  return z.number({ error }).int({ error }).min(0, { error });
}
const SHARE = 'expected a share between 0 and 1, e.g. 0.1';
const flag = z.boolean({ error: 'expected true or false' });
const CEILING = 'expected a memory size of at least 8m such as 1g or 512m (binary units, as Docker reads them), or off';

/** A duration in bcon.yaml: `30s`, `5m`, `1h30m`; a bare number is seconds when `seconds` is set. */
function duration(example: string, minMs: number, seconds = false) {
  const what = `a duration of at least ${minMs / 1000}s such as ${example}${seconds ? ' (a bare number is seconds)' : ''}`;
  return z.union([z.string(), z.number()], { error: `expected ${what}` }).transform((v, ctx) => {
    const ms = typeof v === 'number' ? (seconds ? v * 1000 : Number.NaN) : parseDuration(v);
    if (ms === undefined || !Number.isFinite(ms) || ms < minMs) {
      ctx.addIssue({ code: 'custom', message: `expected ${what}, got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return ms;
  });
}

/** null (a key written with nothing after it) reads as the defaults. */
const orDefaults = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === null ? undefined : v), schema);

export const BudgetConfigSchema = z
  .object({
    per_service_per_hour: count('actions per service per hour').default(3),
    per_host_per_hour: count('actions per host per hour').default(10),
  }, { error: 'expected { per_service_per_hour, per_host_per_hour }' })
  .strict()
  .transform((b): BudgetLimits => ({ perServicePerHour: b.per_service_per_hour, perHostPerHour: b.per_host_per_hour }));

export const ReconcileConfigSchema = z
  .object({
    interval: duration('30s', 1000).default(30_000),
    self_heal: flag.default(true),
    prune: flag.default(false),
    /** fetch the branch from its remote and fast-forward the checkout before each pass */
    pull: flag.default(false),
    /** every service judged, the quiet ones too, this often (`off`: only the services that look wrong) */
    sweep: z.union([z.literal('off'), z.literal(false), duration('5m', 10_000)], { error: 'expected a duration of at least 10s such as 5m, or off' }).default(300_000),
    budget: orDefaults(BudgetConfigSchema.prefault({})),
    windows: z.array(DenyWindowSchema, { error: 'expected a list of { deny: "<cron>", duration: 60h }' }).default([]),
    /** a container paused through the engine is unpaused once it has been paused this long (a snapshot pauses for seconds) */
    pause_grace: duration('1m', 0).default(60_000),
    /** a dependency with no healthcheck is given this long after its start before its dependents are started */
    min_ready: duration('10s', 0).default(10_000),
    /** a memory limit the reconciler may raise to by itself, committed, after an OOM kill at the committed limit */
    memory_ceiling: z.union([z.literal('off'), z.literal(false), z.string(), z.number()], { error: CEILING }).transform((v, ctx) => {
      if (v === 'off' || v === false) return 0;
      const bytes = typeof v === 'number' ? v : parseMemory(v);
      if (bytes === undefined || !Number.isInteger(bytes) || bytes < 8 * 1024 * 1024) {
        ctx.addIssue({ code: 'custom', message: `${CEILING}, got ${JSON.stringify(v)}` });
        return z.NEVER;
      }
      return bytes;
    }).default(0),
  }, { error: 'expected { interval, self_heal, prune, pull, sweep, budget, windows, pause_grace, min_ready, memory_ceiling }' })
  .strict()
  .transform((r): ReconcilePolicy => ({ intervalMs: r.interval, selfHeal: r.self_heal, prune: r.prune, pull: r.pull, sweepMs: typeof r.sweep === 'number' ? r.sweep : 0, budget: r.budget, windows: r.windows, pauseGraceMs: r.pause_grace, minReadyMs: r.min_ready, memoryCeilingBytes: r.memory_ceiling }));

export const RecoveryConfigSchema = z
  .object({
    max_failure_rate: z.number({ error: SHARE }).min(0, { error: SHARE }).max(1, { error: SHARE }).default(0.1),
    health_check_timeout: duration('60 or 90s', 1000, true).default(60_000),
    auto_rollback: flag.default(true),
    keep_previous: count('previous versions kept').default(1),
  }, { error: 'expected { max_failure_rate, health_check_timeout, auto_rollback, keep_previous }' })
  .strict()
  .superRefine((r, ctx) => {
    if (r.auto_rollback && r.keep_previous < 1) {
      ctx.addIssue({ code: 'custom', path: ['keep_previous'], message: 'auto_rollback needs at least 1 previous version kept' });
    }
  })
  .transform((r): RecoveryPolicy => ({
    maxFailureRate: r.max_failure_rate,
    healthCheckTimeoutMs: r.health_check_timeout,
    autoRollback: r.auto_rollback,
    keepPrevious: r.keep_previous,
  }));

const NOTIFY_FORMS = 'expected { webhook: "https://…" } or { slack: "#channel" }';

export const NotifyTargetSchema = z
  .union([
    z.object({ webhook: z.string() }).strict(),
    z.object({ slack: z.string() }).strict(),
  ], { error: NOTIFY_FORMS })
  .transform((t, ctx): NotifyTarget => {
    if ('webhook' in t) {
      let url: URL | undefined;
      try {
        url = new URL(t.webhook);
      } catch {
        url = undefined;
      }
      if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
        ctx.addIssue({ code: 'custom', path: ['webhook'], message: `expected an http(s) URL, got ${JSON.stringify(t.webhook)}` });
        return z.NEVER;
      }
      return { kind: 'webhook', url: t.webhook };
    }
    // a channel name as Slack writes them (#ops, lower case, ≤ 80) or a channel id (C0123ABCD)
    if (!/^#[a-z0-9][a-z0-9._-]{0,79}$/.test(t.slack) && !/^[CG][A-Z0-9]{8,}$/.test(t.slack)) {
      const message = `expected a channel such as "#ops" (lower case, quoted in YAML) or a channel id, got ${JSON.stringify(t.slack)}`;
      ctx.addIssue({ code: 'custom', path: ['slack'], message });
      return z.NEVER;
    }
    return { kind: 'slack', channel: t.slack };
  });

/** The three sections out of the whole bcon.yaml (other keys are bcon.yaml's loader's business). */
export const PolicyConfigSchema = z.object({
  reconcile: orDefaults(ReconcileConfigSchema.prefault({})),
  recovery: orDefaults(RecoveryConfigSchema.prefault({})),
  notify: orDefaults(z.array(NotifyTargetSchema, { error: NOTIFY_FORMS.replace('expected', 'expected a list of') }).default([])),
}, { error: 'expected a mapping of sections (reconcile:, recovery:, notify:, …)' });

type Issue = z.ZodError['issues'][number];

function where(issue: Issue): { path: string; message: string } {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys' && issue.keys.length === 1) {
    return { path: [...path, issue.keys[0]].join('.'), message: 'unknown key (a typo?)' };
  }
  if (issue.code === 'unrecognized_keys') {
    return { path: path.join('.') || '(top level)', message: `unknown keys ${issue.keys.join(', ')} (typos?)` };
  }
  return { path: path.join('.') || '(top level)', message: issue.message };
}

/**
 * `reconcile:`, `recovery:` and `notify:` of a parsed bcon.yaml, with the defaults for what is left out. Throws an
 * OpsError (code config_invalid, exit 2) naming the file and the key path of each problem.
 */
export function parsePolicyConfig(raw: unknown, file = 'bcon.yaml'): PolicyConfig {
  const parsed = PolicyConfigSchema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(where);
  const lines = problems.map((p) => `${file}: ${p.path}: ${p.message}`);
  throw new OpsError(lines.join('\n'), 'config_invalid', 2, { file, problems });
}

/** The policy bcon runs with when bcon.yaml says nothing. */
export const DEFAULT_POLICY_CONFIG: PolicyConfig = parsePolicyConfig({});
