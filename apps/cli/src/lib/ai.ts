import type { LlmGateway, LlmSettings } from '@bcon/reasoning/ai';
import type { Store } from '@bcon/store';

export const AI_OFF_NOTICE = 'AI is off: no model configured (set BCON_LLM_BASE_URL and BCON_LLM_MODEL, or llm: in bcon.yaml); the deterministic analyzers answered';

/** bcon.yaml's `llm:` section from the repository around `dir` (working tree), if any. */
async function llmSection(dir: string): Promise<unknown> {
  const { findRepositoryRoot, readBconConfig, worktreeSource } = await import('@bcon/sensor/desired');
  let root: string;
  try {
    root = await findRepositoryRoot(dir);
  } catch {
    return undefined;
  }
  return (await readBconConfig(worktreeSource(root)))?.llm;
}

export interface AiSession {
  gateway: LlmGateway;
  settings: LlmSettings;
  close(): void;
}

/**
 * The model to use, wired to the store: every call in the ledger (`bcon cost`), answers cached by their redacted
 * request. Undefined when no model is configured.
 */
export async function openAi(dir: string): Promise<AiSession | undefined> {
  const ai = await import('@bcon/reasoning/ai');
  const settings = ai.resolveLlmSettings(process.env, await llmSection(dir));
  if (!settings) return undefined;
  const { openStore, recordLlmCall, cachedLlmAnswer, cacheLlmAnswer } = await import('@bcon/store');
  let store: Store | undefined;
  try {
    store = openStore();
  } catch {
    store = undefined;
  }
  const opened = store;
  const gateway = new ai.LlmGateway(settings, {
    ...(opened
      ? {
          ledger: { record: (call) => recordLlmCall(opened, call) },
          cache: { get: (key, ttl) => cachedLlmAnswer(opened, key, ttl), put: (key, answer) => cacheLlmAnswer(opened, key, answer) },
        }
      : {}),
  });
  return { gateway, settings, close: () => opened?.close() };
}
