import { existsSync } from 'node:fs';
import path from 'node:path';
import { BCON_CONFIG_FILE } from '@bcon/sensor';

/** The root of the git repository around `dir` (the nearest directory holding `.git`), as git finds it. */
export function repositoryRoot(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

export type RepositoryConfig = { llm?: unknown; budgets?: unknown; guardrails?: unknown; hosts?: unknown; projects?: unknown };

/**
 * bcon.yaml (working tree) of the repository around `dir`, and the root it sits in; undefined without one. The
 * desired-state modules (yaml, zod, isomorphic-git) load only when there is a bcon.yaml to read.
 */
export async function readRepositoryConfig(dir: string): Promise<{ config: RepositoryConfig; root: string } | undefined> {
  const root = repositoryRoot(dir);
  if (!root || !existsSync(path.join(root, BCON_CONFIG_FILE))) return undefined;
  const { readBconConfig, worktreeSource } = await import('@bcon/sensor/desired');
  const config = await readBconConfig(worktreeSource(root));
  return config ? { config: config as RepositoryConfig, root } : undefined;
}
