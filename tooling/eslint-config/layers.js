// The level map of bcon (see ../../docs/architecture.md). One row per workspace package:
// `dir` is where it lives, `level` its place in the stack, `may` the bcon packages it is allowed to import.
// Imports point down only; @bcon/store is a leaf usable from reasoning upward, never from sensor.
const sensor = '@bcon/sensor';
const store = '@bcon/store';
const reasoning = '@bcon/reasoning';
const decision = '@bcon/decision';
const executor = '@bcon/executor';
const ops = '@bcon/ops';
/** What a front-end may import: everything but the executor (only @bcon/ops may, through executeApproved). */
const frontEnd = [sensor, store, reasoning, decision, ops];

export const LAYERS = {
  [sensor]: { dir: 'packages/sensor', level: 'level 1 (sensor)', may: [] },
  [store]: { dir: 'packages/store', level: 'storage leaf (store)', may: [] },
  [reasoning]: { dir: 'packages/reasoning', level: 'level 1 (reasoning)', may: [sensor, store] },
  [decision]: { dir: 'packages/decision', level: 'level 2 (decision)', may: [reasoning, sensor, store] },
  [executor]: { dir: 'packages/executor', level: 'level 3 (executor)', may: [decision, reasoning, sensor, store] },
  [ops]: { dir: 'packages/ops', level: 'use-cases (ops)', may: [executor, decision, reasoning, sensor, store] },
  '@bcon/web': { dir: 'apps/web', level: 'app (web)', may: frontEnd },
  '@bcon/slack': { dir: 'apps/slack', level: 'app (slack)', may: frontEnd },
  '@bcon/cli': { dir: 'apps/cli', level: 'app (cli)', may: [...frontEnd, '@bcon/web', '@bcon/slack'] },
  '@bcon/reconciler': { dir: 'apps/reconciler', level: 'app (reconciler)', may: frontEnd },
};

export const ORDER = 'sensor < reasoning < decision < executor < ops < apps; store is a leaf for reasoning and above; only ops imports the executor';

/** Shared dev configuration (tooling/): any package may use it; it is never a runtime dependency. */
export const TOOLING = ['@bcon/tsconfig', '@bcon/eslint-config', '@bcon/vitest-config'];
