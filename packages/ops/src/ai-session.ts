import type { LlmGateway, LlmSettings } from '@bcon/reasoning/ai';
import type { Store } from '@bcon/store';

export const AI_OFF_NOTICE = 'AI is off: no model configured (set BCON_LLM_BASE_URL and BCON_LLM_MODEL, or llm: in BCON_HOME/config.yaml; a repository may name the model); the deterministic analyzers answered';

import { readRepositoryConfig } from './repository-config.js';
import { readUserConfig } from './user-config.js';
import { OpsError } from './errors.js';

/** bcon.yaml's `budgets:` etc. of the repository around `dir`, if any. */
export async function repositoryConfig(dir: string) {
  return (await readRepositoryConfig(dir))?.config;
}

export interface AiSession {
  gateway: LlmGateway;
  settings: LlmSettings;
  /** the budget's notice (50 % and over), if any */
  budgetNotice: string | undefined;
  close(): void;
}

function budgetsOf(raw: unknown): { daily_usd?: number; monthly_usd?: number } {
  const b = (raw ?? {}) as Record<string, unknown>;
  const num = (v: unknown, key: string) => {
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || v < 0) throw new OpsError(`bcon.yaml: budgets.${key}: expected a number of USD ≥ 0`, 'config_invalid');
    return v;
  };
  const daily = num(b['daily_usd'], 'daily_usd');
  const monthly = num(b['monthly_usd'], 'monthly_usd');
  return { ...(daily !== undefined ? { daily_usd: daily } : {}), ...(monthly !== undefined ? { monthly_usd: monthly } : {}) };
}

/**
 * The model to use, wired to the store: every call in the ledger (`bcon cost`), answers cached by their redacted
 * request. Undefined when no model is configured.
 */
export async function openAi(dir: string, options: { critical?: boolean } = {}): Promise<AiSession | undefined> {
  const ai = await import('@bcon/reasoning/ai');
  const config = (await readRepositoryConfig(dir))?.config;
  // where requests and the key go comes from the environment or the user config, never the repository
  const settings = ai.resolveLlmSettings(process.env, config?.llm, (await readUserConfig()).llm);
  for (const note of ai.ignoredRepositoryLlmSettings(config?.llm)) process.stderr.write(`bcon: note: ${note}\n`);
  if (!settings) return undefined;
  const { openStore, recordLlmCall, cachedLlmAnswer, cacheLlmAnswer, llmCallsSince } = await import('@bcon/store');
  let store: Store | undefined;
  try {
    store = openStore();
  } catch {
    store = undefined;
  }
  const opened = store;
  // the budget is the gateway's usage gate: spent today and this month (UTC), from the ledger
  const { budgetGate, budgetNotice, budgetStatus } = await import('@bcon/decision');
  const d = new Date();
  const dayStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const monthStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const calls = opened ? llmCallsSince(opened, Math.min(dayStart, monthStart)) : [];
  const status = budgetStatus(
    budgetsOf(config?.budgets),
    calls.filter((c) => c.at >= dayStart).reduce((a, c) => a + c.costUsd, 0),
    calls.filter((c) => c.at >= monthStart).reduce((a, c) => a + c.costUsd, 0),
  );
  const gateway = new ai.LlmGateway(settings, {
    gate: budgetGate(status, options.critical ?? false),
    ...(opened
      ? {
          ledger: { record: (call) => recordLlmCall(opened, call) },
          cache: { get: (key, ttl) => cachedLlmAnswer(opened, key, ttl), put: (key, answer) => cacheLlmAnswer(opened, key, answer) },
        }
      : {}),
  });
  return { gateway, settings, budgetNotice: budgetNotice(status), close: () => opened?.close() };
}
