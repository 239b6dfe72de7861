/** bcon.yaml (working tree) of the repository around `dir`, if any (loads the desired-state modules lazily). */
export async function bconYaml(dir: string): Promise<{ llm?: unknown; budgets?: unknown; guardrails?: unknown; hosts?: unknown } | undefined> {
  const { findRepositoryRoot, readBconConfig, worktreeSource } = await import('@bcon/sensor/desired');
  let root: string;
  try {
    root = await findRepositoryRoot(dir);
  } catch {
    return undefined;
  }
  return (await readBconConfig(worktreeSource(root))) ?? undefined;
}
