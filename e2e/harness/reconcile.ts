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

/** bcon.yaml for a stack whose reconciler sweeps every 10 s (the sweep reports a fault the second time it finds it). */
export const SWEEP_EVERY_10S = 'reconcile:\n  self_heal: true\n  sweep: 10s\n';

/**
 * Two reconciler passes on a stack configured with SWEEP_EVERY_10S, the second after the sweep interval: a finding
 * the first sweep saw once is reported by the second.
 */
export async function sweptTwice(repo: string, home: string): Promise<{ first: Awaited<ReturnType<typeof reconcilePass>>; second: Awaited<ReturnType<typeof reconcilePass>> }> {
  const first = await reconcilePass(repo, home);
  await new Promise((r) => setTimeout(r, 10_500));
  const second = await reconcilePass(repo, home);
  return { first, second };
}
