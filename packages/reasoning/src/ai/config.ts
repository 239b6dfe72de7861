import { z } from 'zod';
import { AiConfigError } from './errors.js';
import type { PriceTable } from './prices.js';

/** bcon.yaml `llm:` — an OpenAI-compatible endpoint; the key is named, never written in the file. */
export const LlmConfigSchema = z
  .object({
    base_url: z.string().url().optional(),
    model: z.string().min(1).optional(),
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
  from: 'env' | 'bcon.yaml' | 'user config';
  /** settings of the repository's bcon.yaml that were not used, and why */
  ignored: string[];
}

function parseSection(raw: unknown, where: string): z.infer<typeof LlmConfigSchema> | undefined {
  if (raw === undefined || raw === null) return undefined;
  const parsed = LlmConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AiConfigError(`${where}: llm.${issue?.path.join('.') || ''}: ${issue?.message ?? 'invalid'} (expected model, and base_url and api_key_env in the user config)`);
  }
  return parsed.data;
}

/**
 * The model to use. Where the request and the key GO is the user's choice only: the base URL and the key come from
 * BCON_LLM_BASE_URL / BCON_LLM_API_KEY, else the user-level config (BCON_HOME/config.yaml `llm:`), never from the
 * repository — a repository's bcon.yaml could otherwise send the user's key (or any variable, named by
 * api_key_env) to a server it names. The repository's `llm:` may name the model, prices, time-out and cache; its
 * base_url and api_key_env are ignored (listed in `ignored`). Undefined when no base URL and model are known (AI
 * off: every command works with the deterministic analyzers).
 */
/** What a repository's `llm:` asks that bcon does not take from a repository (where requests and keys go), in words. */
export function ignoredRepositoryLlmSettings(fromRepository: unknown): string[] {
  if (!fromRepository || typeof fromRepository !== 'object') return [];
  const repo = fromRepository as { base_url?: unknown; api_key_env?: unknown };
  const out: string[] = [];
  if (repo.base_url !== undefined) out.push(`bcon.yaml's llm.base_url (${String(repo.base_url)}) is ignored: a repository may not choose where requests and keys go; set BCON_LLM_BASE_URL or llm.base_url in BCON_HOME/config.yaml`);
  if (repo.api_key_env !== undefined) out.push(`bcon.yaml's llm.api_key_env is ignored: a repository may not choose which variable is sent as the key; set BCON_LLM_API_KEY or llm.api_key_env in BCON_HOME/config.yaml`);
  return out;
}

export function resolveLlmSettings(env: NodeJS.ProcessEnv, fromRepository: unknown, fromUser?: unknown): LlmSettings | undefined {
  const repo = parseSection(fromRepository, 'bcon.yaml');
  const user = parseSection(fromUser, 'the user config');
  const ignored = ignoredRepositoryLlmSettings(fromRepository);
  const baseUrl = env['BCON_LLM_BASE_URL'] || user?.base_url;
  const model = env['BCON_LLM_MODEL'] || user?.model || repo?.model;
  if (!baseUrl && !env['BCON_LLM_MODEL'] && !user?.model) return undefined;
  // a server in the user config, and no model named anywhere (this repository names none): AI off
  if (!model && !env['BCON_LLM_BASE_URL']) return undefined;
  if (!baseUrl || !model) throw new AiConfigError(`the model needs both a base URL and a model name: set ${baseUrl ? 'BCON_LLM_MODEL (or llm.model)' : 'BCON_LLM_BASE_URL (or llm.base_url in BCON_HOME/config.yaml)'}`);
  let provider: string;
  try {
    provider = new URL(baseUrl).host;
  } catch {
    throw new AiConfigError(`BCON_LLM_BASE_URL is not a URL: ${baseUrl}`);
  }
  const keyVar = user?.api_key_env;
  const apiKey = env['BCON_LLM_API_KEY'] || (keyVar ? env[keyVar] : undefined) || undefined;
  if (keyVar && !apiKey) throw new AiConfigError(`the user config names ${keyVar} for the model's API key, but it is not set in the environment`);
  const tuning = { ...repo, ...user };
  return {
    baseUrl,
    model,
    apiKey,
    timeoutMs: (tuning.timeout_seconds ?? 30) * 1000,
    prices: { ...repo?.prices, ...user?.prices },
    cacheTtlMs: (tuning.cache_ttl_seconds ?? 600) * 1000,
    provider,
    from: env['BCON_LLM_BASE_URL'] ? 'env' : 'user config',
    ignored,
  };
}
