import { existsSync } from 'node:fs';
import path from 'node:path';
import { BCON_CONFIG_FILE } from '@bcon/sensor';

/** The root of the git repository around `dir` (the nearest directory holding `.git`), as git finds it. */
function repositoryRoot(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

/**
 * bcon.yaml (working tree) of the repository around `dir`, if any. Most commands ask on every run (for hosts), so
 * the desired-state modules (yaml, zod, isomorphic-git: ~80 ms) load only when there is a bcon.yaml to read.
 */
export async function bconYaml(dir: string): Promise<{ llm?: unknown; budgets?: unknown; guardrails?: unknown; hosts?: unknown } | undefined> {
  return (await bconYamlWithRoot(dir))?.config;
}

/** bcon.yaml and the repository root it sits in (paths in it are relative to that root). */
export async function bconYamlWithRoot(dir: string): Promise<{ config: { llm?: unknown; budgets?: unknown; guardrails?: unknown; hosts?: unknown }; root: string } | undefined> {
  const root = repositoryRoot(dir);
  if (!root || !existsSync(path.join(root, BCON_CONFIG_FILE))) return undefined;
  const { readBconConfig, worktreeSource } = await import('@bcon/sensor/desired');
  const config = await readBconConfig(worktreeSource(root));
  return config ? { config, root } : undefined;
}
