import type { Guardrails } from '@bcon/decision';
import { readUserConfig, repositoryGuardrails } from './user-config.js';

/**
 * The guardrail overrides in force now: the repository's bcon.yaml (working tree; they may only tighten) and the
 * user config (BCON_HOME/config.yaml; it may loosen). Read at propose time and again at approval.
 */
export async function currentGuardrails(repo: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<Guardrails> {
  const user = (await readUserConfig(env)).guardrails ?? {};
  let repository = {};
  if (repo) {
    const { readRepositoryConfig } = await import('./repository-config.js');
    repository = repositoryGuardrails((await readRepositoryConfig(repo))?.config.guardrails);
  }
  return { repository, user };
}
