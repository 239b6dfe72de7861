import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { GuardrailTier } from '@bcon/decision';
import { GUARDRAIL_TIERS } from '@bcon/decision';
import { bconHome } from '@bcon/store';
import { OpsError } from './errors.js';

const Tier = z.enum(GUARDRAIL_TIERS);

/**
 * The user-level config, BCON_HOME/config.yaml: what only the person running bcon may decide, never a repository —
 * where model requests and the key go (`llm.base_url`, `llm.api_key_env`), and guardrail overrides that LOOSEN a
 * tier. Optional; every key is optional.
 */
export const UserConfigSchema = z
  .object({
    llm: z.record(z.string(), z.unknown()).optional(),
    guardrails: z.record(z.string(), Tier).optional(),
  })
  .strict();

export type UserConfig = z.infer<typeof UserConfigSchema>;

export function userConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(bconHome(env), 'config.yaml');
}

/** Read BCON_HOME/config.yaml ({} when absent); a clear error naming the file and the key when it is invalid. */
export async function readUserConfig(env: NodeJS.ProcessEnv = process.env): Promise<UserConfig> {
  const file = userConfigPath(env);
  if (!existsSync(file)) return {};
  if (statSync(file).size > 1024 * 1024) throw new OpsError(`${file} is larger than 1 MiB: not read`, 'config_invalid');
  const { parse } = await import('yaml');
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'), { maxAliasCount: 100 });
  } catch (err) {
    throw new OpsError(`${file} is not valid YAML (${(err as Error).message.split('\n')[0]})`, 'config_invalid');
  }
  const parsed = UserConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new OpsError(`${file}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'} (expected llm: and guardrails: of service, action type or service:action to ${GUARDRAIL_TIERS.join(', ')})`, 'config_invalid');
  }
  return parsed.data;
}

/** bcon.yaml `guardrails:` — tiers by service, by action type, or `service:action` (they may only tighten). */
export function repositoryGuardrails(raw: unknown): Record<string, GuardrailTier> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new OpsError('bcon.yaml: guardrails: expected a map of service, action type or service:action to a tier', 'config_invalid');
  const out: Record<string, GuardrailTier> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof v !== 'string' || !(GUARDRAIL_TIERS as readonly string[]).includes(v)) throw new OpsError(`bcon.yaml: guardrails.${k}: expected one of ${GUARDRAIL_TIERS.join(', ')}, got ${JSON.stringify(v)}`, 'config_invalid');
    out[k] = v as GuardrailTier;
  }
  return out;
}
