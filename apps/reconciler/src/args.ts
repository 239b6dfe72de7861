import { parseArgs } from 'node:util';
import { OpsError } from '@bcon/ops/errors';

export interface ReconcilerArgs {
  repo: string;
  listen: { host: string; port: number };
  dryRun: boolean;
  /** overrides bcon.yaml reconcile.interval */
  intervalMs?: number;
  /** stop after this many passes (tests, a cron job) */
  passes?: number;
}

/** `bcon-reconciler [--repo DIR] [--listen 127.0.0.1:9464] [--interval 30s] [--dry-run] [--passes N]` */
export function parseReconcilerArgs(argv: string[]): ReconcilerArgs {
  const { values } = parseArgs({
    args: argv,
    options: { repo: { type: 'string' }, listen: { type: 'string' }, interval: { type: 'string' }, 'dry-run': { type: 'boolean' }, passes: { type: 'string' } },
    strict: true,
  });
  const listen = values.listen ?? '127.0.0.1:9464';
  const m = /^(127\.0\.0\.1|localhost|\[::1\]):(\d{1,5})$/.exec(listen);
  if (!m) throw new OpsError(`--listen ${listen}: expected 127.0.0.1:PORT (the metrics and health endpoints are local only)`, 'bad_flag');
  const interval = values.interval ? /^(\d+)(ms|s|m|h)$/.exec(values.interval) : undefined;
  if (values.interval && !interval) throw new OpsError(`--interval ${values.interval}: expected a duration such as 30s or 5m`, 'bad_flag');
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const passes = values.passes === undefined ? undefined : Number(values.passes);
  if (passes !== undefined && (!Number.isInteger(passes) || passes < 1)) throw new OpsError(`--passes ${values.passes}: expected a whole number ≥ 1`, 'bad_flag');
  return {
    repo: values.repo ?? process.cwd(),
    listen: { host: m[1] === 'localhost' ? '127.0.0.1' : (m[1] as string).replace(/[[\]]/g, ''), port: Number(m[2]) },
    dryRun: values['dry-run'] ?? false,
    ...(interval ? { intervalMs: Number(interval[1]) * (unit[interval[2] as string] as number) } : {}),
    ...(passes !== undefined ? { passes } : {}),
  };
}
