import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PassResult } from '@bcon/ops/reconcile';

/** The reconciler's Prometheus metrics (prom-client): passes, decisions by mode and tier, open reports, hosts, timings. */
export function reconcilerMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'bcon_reconciler_' });
  const passes = new Counter({ name: 'bcon_reconcile_passes_total', help: 'Reconciler passes run', labelNames: ['outcome'], registers: [registry] });
  const decisions = new Counter({ name: 'bcon_reconcile_decisions_total', help: 'Decisions by mode and tier', labelNames: ['mode', 'tier'], registers: [registry] });
  const duration = new Histogram({ name: 'bcon_reconcile_pass_duration_seconds', help: 'Time a pass takes', buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60], registers: [registry] });
  const lastPass = new Gauge({ name: 'bcon_reconcile_last_pass_timestamp_seconds', help: 'When the last pass ended', registers: [registry] });
  const hosts = new Gauge({ name: 'bcon_reconcile_hosts', help: 'Hosts by status in the last pass', labelNames: ['status'], registers: [registry] });
  // a report is listed in every pass while it lasts: a gauge of the open ones, not a count of passes that listed them
  const reports = new Gauge({ name: 'bcon_reconcile_open_reports', help: 'Services reported in the last pass (wrong, no action bcon may take answers it)', registers: [registry] });
  return {
    registry,
    recordPass(pass: PassResult) {
      passes.inc({ outcome: 'ok' });
      duration.observe(pass.durationMs / 1000);
      lastPass.set(Date.now() / 1000);
      hosts.reset();
      for (const h of pass.hosts) hosts.inc({ status: h.status });
      for (const d of pass.decisions) if (d.mode !== 'reported') decisions.inc({ mode: d.mode, tier: d.tier });
      reports.set(pass.decisions.filter((d) => d.mode === 'reported').length);
    },
    recordFailure() {
      passes.inc({ outcome: 'error' });
    },
  };
}
