/**
 * A last run shorter than this is read as "it died by itself soon after starting": the executor then waits as long
 * after a start, and the reconciler reads a fresh container whose every run was this short as failing by its settings.
 * Its own entry point (`@bcon/executor/short-run`), so a reader of it does not load the executor.
 */
export const SHORT_RUN_MS = 30_000;
