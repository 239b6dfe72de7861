import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * One row per container per sample: the raw counters behind CPU% (so the next `bcon status` needs no second
 * sample) and the memory working set, kept for baselines.
 */
export const metricSamples = sqliteTable(
  'metric_samples',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    engine: text('engine').notNull(),
    containerId: text('container_id').notNull(),
    /** ms since epoch, as the engine read the sample */
    at: integer('at').notNull(),
    cpuTotal: real('cpu_total').notNull(),
    cpuSystem: real('cpu_system').notNull(),
    onlineCpus: integer('online_cpus').notNull(),
    memoryBytes: integer('memory_bytes'),
    memoryLimitBytes: integer('memory_limit_bytes'),
  },
  (t) => [index('metric_samples_container_at').on(t.engine, t.containerId, t.at)],
);

/** Every drift report bcon made (one-off runs and `--watch` alike), for `bcon drift history`. */
export const driftReports = sqliteTable(
  'drift_reports',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** ms since epoch */
    at: integer('at').notNull(),
    engine: text('engine').notNull(),
    /** the repository root the desired state came from */
    repo: text('repo').notNull(),
    /** `HEAD@3f2a9c1`, `worktree` */
    source: text('source').notNull(),
    status: text('status', { enum: ['IN_SYNC', 'DRIFTED', 'ERROR'] }).notNull(),
    differences: integer('differences').notNull(),
    /** the whole report as JSON (or the error message when status is ERROR) */
    report: text('report').notNull(),
  },
  (t) => [index('drift_reports_scope_at').on(t.engine, t.repo, t.at)],
);

/**
 * Per-service samples for baselines ("usual" is a measured number): taken by every `bcon diagnose` and
 * `bcon watch` run. A service keeps its history across container re-creations (keyed by project and service).
 */
export const serviceSamples = sqliteTable(
  'service_samples',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    engine: text('engine').notNull(),
    /** compose project ('' for a container outside compose) */
    project: text('project').notNull(),
    /** compose service, or the container name outside compose */
    service: text('service').notNull(),
    /** ms since epoch */
    at: integer('at').notNull(),
    /** percent of one CPU, summed over replicas */
    cpuPercent: real('cpu_percent'),
    memoryBytes: integer('memory_bytes'),
    restarts: integer('restarts').notNull(),
    errorsPerMinute: real('errors_per_minute'),
    latencyP50Ms: real('latency_p50_ms'),
    latencyP95Ms: real('latency_p95_ms'),
  },
  (t) => [index('service_samples_scope_at').on(t.engine, t.project, t.service, t.at)],
);

/** Every model call through the gateway (and every cache hit): what `bcon cost` adds up. */
export const llmCalls = sqliteTable(
  'llm_calls',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** ms since epoch */
    at: integer('at').notNull(),
    /** the endpoint's host (api.openai.com, 127.0.0.1:11434, …) */
    provider: text('provider').notNull(),
    model: text('model').notNull(),
    /** troubleshooting | status_analysis | log_analysis | ask | intent | proposal */
    task: text('task').notNull(),
    promptTokens: integer('prompt_tokens').notNull(),
    completionTokens: integer('completion_tokens').notNull(),
    /** USD, from the price table at the time of the call (0 for a cache hit or a local model) */
    costUsd: real('cost_usd').notNull(),
    latencyMs: integer('latency_ms').notNull(),
    cacheHit: integer('cache_hit').notNull(),
    /** ok | invalid (answer dropped) | error (no answer) */
    outcome: text('outcome').notNull(),
  },
  (t) => [index('llm_calls_at').on(t.at)],
);

/** Answers of the gateway, keyed by a hash of the redacted request: the same request within the TTL is not sent again. */
export const llmCache = sqliteTable('llm_cache', {
  key: text('key').primaryKey(),
  /** ms since epoch */
  at: integer('at').notNull(),
  response: text('response').notNull(),
  promptTokens: integer('prompt_tokens').notNull(),
  completionTokens: integer('completion_tokens').notNull(),
});

/** Proposals waiting for a person (level 2): the options as JSON, with an expiry and a fingerprint of the target. */
export const proposals = sqliteTable('proposals', {
  id: text('id').primaryKey(),
  /** ms since epoch */
  createdAt: integer('created_at').notNull(),
  expiresAt: integer('expires_at').notNull(),
  target: text('target').notNull(),
  /** pending | approved | rejected | expired */
  status: text('status').notNull(),
  /** the whole proposal as JSON */
  body: text('body').notNull(),
});

/** The audit log: append-only, each row hash-chained to the one before (`bcon audit --verify`). */
export const auditLog = sqliteTable('audit_log', {
  seq: integer('seq').primaryKey(),
  timestamp: text('timestamp').notNull(),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  target: text('target').notNull(),
  /** autonomous | notified | explicit | two-person | none */
  approval: text('approval').notNull(),
  result: text('result').notNull(),
  /** JSON: reason, proposed_by, proposal, option, … */
  context: text('context').notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
});

/** The execution journal: written before an action starts, completed after; a row left `started` is a crash. */
export const executions = sqliteTable('executions', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  proposalId: text('proposal_id').notNull(),
  action: text('action').notNull(),
  target: text('target').notNull(),
  startedAt: integer('started_at').notNull(),
  finishedAt: integer('finished_at'),
  /** started | succeeded | failed | rolled_back | interrupted | undone | finished */
  status: text('status').notNull(),
  detail: text('detail'),
  /** who runs it, JSON { host, pid, startedAt }: a row left `started` whose owner is gone is an interrupted run */
  owner: text('owner'),
  /** the engine it runs on (bcon.yaml name or address) */
  host: text('host'),
  /** the typed action, JSON: what a later run needs to finish or undo it */
  actionJson: text('action_json'),
});

/** TOTP codes already used, per approver and time step: a code is accepted once (RFC 6238 §5.2). */
export const totpUsed = sqliteTable('totp_used', {
  actor: text('actor').notNull(),
  step: integer('step').notNull(),
  usedAt: integer('used_at').notNull(),
}, (t) => [primaryKey({ columns: [t.actor, t.step] })]);

/**
 * Containers bcon judged to be jobs that finished by themselves (exit 0, on positive evidence), keyed by their exit
 * (`finished_at`): the engine keeps few events, so the `die` that proved it is soon gone; a later exit is judged anew.
 */
export const finishedJobs = sqliteTable('finished_jobs', {
  engine: text('engine').notNull(),
  containerId: text('container_id').notNull(),
  finishedAt: text('finished_at').notNull(),
  /** ms since epoch it was last judged so */
  seenAt: integer('seen_at').notNull(),
}, (t) => [primaryKey({ columns: [t.engine, t.containerId] })]);
