import type Docker from 'dockerode';
import { mineTemplates } from '@bcon/reasoning';
import { demultiplex, splitLines } from '@bcon/sensor';

/** What the proxy and a replica's own logs say about a set of replicas over a window. */
export interface SideFigures {
  replicas: string[];
  /** requests the proxy sent them */
  requests: number;
  /** of those, answered 5xx or not at all */
  failed: number;
  /** mean upstream response time, ms (requests with a time) */
  meanMs: number | null;
  /** their log lines in the window, and the share at error level (by log template) */
  logLines: number;
  errorLineShare: number | null;
}

export interface Comparison {
  fresh: SideFigures;
  old: SideFigures;
  /** why the new replicas are worse, when they are */
  worse: string[];
  windowSeconds: number;
}

/**
 * One access-log line of the proxy in bcon's format (docs/deploy.md): `upstream=ADDR status=NNN rt=SECONDS`, fields
 * anywhere in the line. nginx writes several addresses (`a, b`) when it retried: the last one answered.
 */
export function parseAccessLine(line: string): { upstream: string; status: number; ms: number | null } | undefined {
  const m = /\bupstream=(\S+(?:, \S+)*) status=(\d{3}) rt=(\S+)/.exec(line);
  if (!m) return undefined;
  const addrs = (m[1] as string).split(/,\s*/);
  const times = (m[3] as string).split(/,\s*/);
  const t = Number(times[times.length - 1]);
  return { upstream: addrs[addrs.length - 1] as string, status: Number(m[2]), ms: Number.isFinite(t) ? Math.round(t * 1000) : null };
}

async function logLines(docker: Docker, container: string, sinceSec: number): Promise<string[]> {
  const c = docker.getContainer(container);
  const info = await c.inspect().catch(() => undefined);
  if (!info) return [];
  const buf = (await c.logs({ stdout: true, stderr: true, follow: false, since: sinceSec, timestamps: false })) as unknown as Buffer;
  return splitLines(demultiplex(Buffer.isBuffer(buf) ? buf : Buffer.from(String(buf)), Boolean(info.Config.Tty)), false).map((l) => l.text);
}

/** The share of lines at error level, by the miner's templates (the same reading as `bcon logs`). */
export function errorLineShare(lines: readonly string[]): number | null {
  if (!lines.length) return null;
  const report = mineTemplates(lines);
  let errors = 0;
  for (const t of report.templates) if (t.level === 'error') errors += t.count;
  return errors / lines.length;
}

/**
 * New replicas against old ones over the same window: the proxy's requests to each (5xx share, mean latency) and
 * each replica's error-line share. Worse when, with enough requests to judge (≥ 5 on each side), the failure share is
 * 10 points and twice above the old one, or the mean latency is more than twice the old one plus 250 ms; or when the
 * error-line share of its logs is 20 points and twice above the old one's.
 */
export async function compare(
  docker: Docker,
  args: {
    proxies: readonly string[];
    sinceSec: number;
    fresh: ReadonlyArray<{ name: string; address?: string }>;
    old: ReadonlyArray<{ name: string; address?: string }>;
    /** the old replicas' figures from before (blue-green: before the switch, when they served everything) */
    baseline?: SideFigures;
  },
): Promise<Comparison> {
  const access: Array<NonNullable<ReturnType<typeof parseAccessLine>>> = [];
  for (const p of args.proxies) for (const l of await logLines(docker, p, args.sinceSec)) {
    const a = parseAccessLine(l);
    if (a) access.push(a);
  }
  const side = async (set: ReadonlyArray<{ name: string; address?: string }>): Promise<SideFigures> => {
    const addrs = new Set(set.map((r) => r.address).filter(Boolean));
    const mine = access.filter((a) => addrs.has(a.upstream));
    const timed = mine.filter((a) => a.ms !== null);
    const lines: string[] = [];
    for (const r of set) lines.push(...(await logLines(docker, r.name, args.sinceSec)));
    return {
      replicas: set.map((r) => r.name),
      requests: mine.length,
      failed: mine.filter((a) => a.status >= 500).length,
      meanMs: timed.length ? Math.round(timed.reduce((s, a) => s + (a.ms as number), 0) / timed.length) : null,
      logLines: lines.length,
      errorLineShare: errorLineShare(lines),
    };
  };
  const fresh = await side(args.fresh);
  const now = await side(args.old);
  // the old replicas got too little of the window to compare with (blue-green after the switch): their figures from before
  const old = now.requests < 5 && args.baseline && args.baseline.requests >= 5 ? { ...args.baseline, replicas: now.replicas } : now;
  const worse: string[] = [];
  const share = (s: SideFigures) => (s.requests ? s.failed / s.requests : 0);
  if (fresh.requests >= 5 && (old.requests >= 5 || !args.old.length)) {
    const f = share(fresh);
    const o = share(old);
    if (f >= o + 0.1 && f > 2 * o) worse.push(`${pct(f)} of its requests failed (5xx) against ${pct(o)} on the old replicas`);
    if (fresh.meanMs !== null && old.meanMs !== null && fresh.meanMs > 2 * old.meanMs + 250) worse.push(`mean latency ${fresh.meanMs} ms against ${old.meanMs} ms on the old replicas`);
  }
  if (fresh.errorLineShare !== null && fresh.logLines >= 5) {
    const o = old.errorLineShare ?? 0;
    if (fresh.errorLineShare >= o + 0.2 && fresh.errorLineShare > 2 * o) worse.push(`${pct(fresh.errorLineShare)} of its log lines are errors against ${pct(o)} on the old replicas`);
  }
  return { fresh, old, worse, windowSeconds: Math.max(0, Math.round(Date.now() / 1000 - args.sinceSec)) };
}

const pct = (x: number) => `${Math.round(x * 100)} %`;

/** One line for the steps: the two sides' figures. */
export function describeComparison(c: Comparison): string {
  const side = (s: SideFigures) => `${s.requests} requests, ${s.requests ? pct(s.failed / s.requests) : '–'} failed, mean ${s.meanMs ?? '–'} ms, error lines ${s.errorLineShare === null ? '–' : pct(s.errorLineShare)} of ${s.logLines}`;
  return `new (${c.fresh.replicas.join(', ')}): ${side(c.fresh)} | old (${c.old.replicas.join(', ') || 'none'}): ${side(c.old)} over ${c.windowSeconds} s`;
}
