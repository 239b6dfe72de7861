import { z } from 'zod';
import { AiConfigError } from './errors.js';
import type { PriceTable } from './prices.js';

/** bcon.yaml `llm:` — an OpenAI-compatible endpoint; the key is named, never written in the file. */
export const LlmConfigSchema = z
  .object({
    base_url: z.string().url(),
    model: z.string().min(1),
    /** the NAME of the environment variable that holds the API key (none for a local server) */
    api_key_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional(),
    timeout_seconds: z.number().positive().max(600).optional(),
    /** USD per million tokens, per model: overrides the defaults */
    prices: z.record(z.string(), z.object({ input: z.number().min(0), output: z.number().min(0) })).optional(),
    /** how long the same redacted request is answered from the cache (default 600) */
    cache_ttl_seconds: z.number().min(0).optional(),
  })
  .strict();

export interface LlmSettings {
  baseUrl: string;
  model: string;
  apiKey: string | undefined;
  timeoutMs: number;
  prices: PriceTable;
  cacheTtlMs: number;
  /** the endpoint's host, for the ledger */
  provider: string;
  /** where the settings came from, for notices */
  from: 'env' | 'bcon.yaml';
}

/**
 * The model to use: BCON_LLM_BASE_URL / BCON_LLM_MODEL / BCON_LLM_API_KEY override bcon.yaml's `llm:`; undefined
 * when neither names a model (AI off: every command works with the deterministic analyzers).
 */
export function resolveLlmSettings(env: NodeJS.ProcessEnv, fromFile: unknown): LlmSettings | undefined {
  let file: z.infer<typeof LlmConfigSchema> | undefined;
  if (fromFile !== undefined && fromFile !== null) {
    const parsed = LlmConfigSchema.safeParse(fromFile);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AiConfigError(`bcon.yaml: llm.${issue?.path.join('.') || ''}: ${issue?.message ?? 'invalid'} (expected base_url, model, and api_key_env naming the variable that holds the key)`);
    }
    file = parsed.data;
  }
  const baseUrl = env['BCON_LLM_BASE_URL'] || file?.base_url;
  const model = env['BCON_LLM_MODEL'] || file?.model;
  if (!baseUrl && !model) return undefined;
  if (!baseUrl || !model) throw new AiConfigError(`the model needs both a base URL and a model name: set ${baseUrl ? 'BCON_LLM_MODEL (or llm.model)' : 'BCON_LLM_BASE_URL (or llm.base_url)'}`);
  let provider: string;
  try {
    provider = new URL(baseUrl).host;
  } catch {
    throw new AiConfigError(`BCON_LLM_BASE_URL is not a URL: ${baseUrl}`);
  }
  const keyVar = file?.api_key_env;
  const apiKey = env['BCON_LLM_API_KEY'] || (keyVar ? env[keyVar] : undefined) || undefined;
  if (keyVar && !apiKey && !env['BCON_LLM_API_KEY']) throw new AiConfigError(`bcon.yaml names ${keyVar} for the model's API key, but it is not set in the environment`);
  return {
    baseUrl,
    model,
    apiKey,
    timeoutMs: (file?.timeout_seconds ?? 30) * 1000,
    prices: file?.prices ?? {},
    cacheTtlMs: (file?.cache_ttl_seconds ?? 600) * 1000,
    provider,
    from: env['BCON_LLM_BASE_URL'] || env['BCON_LLM_MODEL'] ? 'env' : 'bcon.yaml',
  };
}
