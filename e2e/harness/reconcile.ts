import { expect } from 'vitest';
import { runBcon } from './bcon.js';

/** A decision of `bcon reconcile --once --json`, as the single-stack e2e tests read it. */
export interface PassDecision {
  id: string;
  service: string;
  action: string;
  tier: string;
  mode: string;
  reasons: string[];
  result: string;
}

/** One reconciler pass on `repo` with its own BCON_HOME, as a person would run it; it must run (exit 0). */
export async function reconcilePass(repo: string, home: string, extra: string[] = []): Promise<{ commit: string; decisions: PassDecision[]; dryRun: boolean }> {
  const r = await runBcon(['reconcile', '--once', '--json', '--repo', repo, ...extra], { BCON_HOME: home, BCON_ACTOR: 'user/e2e' });
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { pass: { commit: string; decisions: PassDecision[]; dryRun: boolean } }).pass;
}
