#!/usr/bin/env node
// bcon-reconciler: the Level 3 loop. Every interval, one pass of @bcon/ops reconcileOnce over every bcon.yaml host
// (the same pass as `bcon reconcile --once`); /metrics (Prometheus text) and /healthz on 127.0.0.1; SIGTERM lets
// the current pass finish, then stops. See docs/reconciler.md.
import { runReconciler } from './loop.js';

runReconciler(process.argv.slice(2)).catch((err: Error & { exitCode?: number }) => {
  process.stderr.write(`bcon-reconciler: ${err.message}\n`);
  process.exitCode = err.exitCode ?? 2;
});
