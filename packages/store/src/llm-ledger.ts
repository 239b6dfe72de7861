import type { Store } from './open.js';

export interface LlmCallRow {
  at: number;
  provider: string;
  model: string;
  task: string;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  latencyMs: number;
  cacheHit: boolean;
  outcome: 'ok' | 'invalid' | 'error';
}

/** Append one call to the usage ledger. */
export function recordLlmCall(store: Store, row: LlmCallRow): void {
  store.sqlite
    .prepare(
      'INSERT INTO llm_calls (at, provider, model, task, prompt_tokens, completion_tokens, cost_usd, latency_ms, cache_hit, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    )
    .run(row.at, row.provider, row.model, row.task, row.promptTokens, row.completionTokens, row.costUsd, row.latencyMs, row.cacheHit ? 1 : 0, row.outcome);
}

/** Every call at or after `since` (ms since epoch), oldest first. */
export function llmCallsSince(store: Store, since: number): LlmCallRow[] {
  const rows = store.sqlite
    .prepare('SELECT at, provider, model, task, prompt_tokens, completion_tokens, cost_usd, latency_ms, cache_hit, outcome FROM llm_calls WHERE at >= ? ORDER BY at, id')
    .all(since) as Array<{
    at: number;
    provider: string;
    model: string;
    task: string;
    prompt_tokens: number;
    completion_tokens: number;
    cost_usd: number;
    latency_ms: number;
    cache_hit: number;
    outcome: LlmCallRow['outcome'];
  }>;
  return rows.map((r) => ({
    at: r.at,
    provider: r.provider,
    model: r.model,
    task: r.task,
    promptTokens: r.prompt_tokens,
    completionTokens: r.completion_tokens,
    costUsd: r.cost_usd,
    latencyMs: r.latency_ms,
    cacheHit: r.cache_hit === 1,
    outcome: r.outcome,
  }));
}

export interface CachedAnswer {
  response: string;
  promptTokens: number;
  completionTokens: number;
  at: number;
}

/** A cached answer younger than `ttlMs`, or undefined. */
export function cachedLlmAnswer(store: Store, key: string, ttlMs: number, now = Date.now()): CachedAnswer | undefined {
  const row = store.sqlite.prepare('SELECT response, prompt_tokens, completion_tokens, at FROM llm_cache WHERE key = ? AND at >= ?').get(key, now - ttlMs) as
    | { response: string; prompt_tokens: number; completion_tokens: number; at: number }
    | undefined;
  return row ? { response: row.response, promptTokens: row.prompt_tokens, completionTokens: row.completion_tokens, at: row.at } : undefined;
}

/** Keep an answer (replacing an older one for the same key) and drop entries older than a day past their use. */
export function cacheLlmAnswer(store: Store, key: string, answer: Omit<CachedAnswer, 'at'>, now = Date.now()): void {
  store.sqlite.transaction(() => {
    store.sqlite
      .prepare('INSERT INTO llm_cache (key, at, response, prompt_tokens, completion_tokens) VALUES (?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET at = excluded.at, response = excluded.response, prompt_tokens = excluded.prompt_tokens, completion_tokens = excluded.completion_tokens')
      .run(key, now, answer.response, answer.promptTokens, answer.completionTokens);
    store.sqlite.prepare('DELETE FROM llm_cache WHERE at < ?').run(now - 7 * 24 * 3600 * 1000);
  })();
}
