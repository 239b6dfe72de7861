import { SHORT_RUN_MS } from '@bcon/executor/short-run';
import type { ContainerFacts, EngineEventFact } from '@bcon/sensor';

/**
 * Why a re-create cannot help a container, if the engine's events show it: its very first run — in the fresh
 * filesystem a re-create would give it again — died as soon as the later ones (every run shorter than 30 s, the first
 * no longer than the longest later one plus 2 s, every one with the same exit code, at least two runs since it was
 * created). A bad value in its settings does that; a stale file a run left behind does not (the first run lasted
 * longer, or died otherwise). Unknown — undefined — when the events do not reach back to its making (an older
 * container, or the engine's events rolled over: dockerd keeps 256) or it died once.
 */
export function whyFreshFails(container: Pick<ContainerFacts, 'id' | 'createdAt'>, events: readonly Pick<EngineEventFact, 'at' | 'action' | 'containerId' | 'exitCode'>[]): string | undefined {
  const created = Date.parse(container.createdAt);
  if (!Number.isFinite(created)) return undefined;
  const mine = events.filter((e) => e.containerId === container.id && (e.action === 'start' || e.action === 'die' || e.action === 'create')).sort((a, b) => a.at - b.at);
  // the events must reach back to its making (the engine keeps few), and its first start follow it
  const made = mine.findIndex((e) => e.action === 'create');
  if (made < 0 || Math.abs(mine[made]!.at - created) > 2_000) return undefined;
  const runs: number[] = [];
  let startedAt: number | undefined;
  for (const e of mine.slice(made + 1)) {
    if (e.action === 'start') startedAt = e.at;
    else if (e.action === 'die' && startedAt !== undefined) {
      runs.push(e.at - startedAt);
      startedAt = undefined;
    }
  }
  // the first run no longer than the later ones (a run that served a while, then left a stale file, is longer)
  if (runs.length < 2 || runs.some((ms) => ms >= SHORT_RUN_MS) || runs[0]! > Math.max(...runs.slice(1)) + 2_000) return undefined;
  // the same way: one exit code for every run (a first run that died otherwise — a dependency not up yet — says
  // nothing of what a fresh container meets now)
  const exits = new Set(mine.slice(made + 1).filter((e) => e.action === 'die').map((e) => e.exitCode ?? null));
  if (exits.size !== 1 || exits.has(null)) return undefined;
  const first = mine.slice(made + 1).find((e) => e.action === 'die');
  return `a fresh container from the same configuration failed the same way: its first run died after ${(runs[0]! / 1000).toFixed(1)} s${first ? ` (exit code ${first.exitCode})` : ''}, and none of its ${runs.length} runs lasted 30 s`;
}
