import type { ContainerFacts, LogLine, Snapshot } from '@bcon/sensor';
import { lockOfLabels } from '@bcon/sensor';
import type { ContainerStatus, ServiceStatus, StatusReport, Verdict } from './schema.js';
import type { ContainerAssessment } from './assess.js';
import { assessContainer } from './assess.js';
import { dependenciesOf, describeEdge } from './dependencies.js';
import { describeErrorDominance, errorDominance } from './log-errors.js';

const rank: Record<Verdict, number> = { ok: 0, degraded: 1, down: 2 };
const worst = (vs: Verdict[]): Verdict => vs.reduce<Verdict>((a, b) => (rank[b] > rank[a] ? b : a), 'ok');

/** A serving container whose recent output is dominated by error lines is degraded, whatever its state says. */
function withLogs(a: ContainerAssessment, c: ContainerFacts, lines: readonly LogLine[] | undefined, now: number): ContainerAssessment {
  if (!lines || c.state !== 'running' || (a.verdict !== 'ok' && a.verdict !== 'degraded')) return a;
  const d = errorDominance(lines, now);
  if (!d) return a;
  const problem = describeErrorDominance(d);
  return { verdict: 'degraded', problem: a.problem ? `${a.problem}; ${problem}` : problem, available: a.available };
}

function containerStatus(c: ContainerFacts, snapshot: Snapshot, now: number, logs: Record<string, LogLine[]> | undefined): ContainerStatus & { available: boolean } {
  const stats = snapshot.stats[c.id];
  const a = withLogs(assessContainer(c, stats, now), c, logs?.[c.id], now);
  const limit = c.limits.memoryBytes ?? null;
  const usage = stats?.memory.usageBytes ?? null;
  const running = c.state === 'running';
  return {
    id: c.id,
    name: c.name,
    image: c.image,
    state: c.state,
    health: c.health.status,
    startedAt: c.startedAt ?? null,
    finishedAt: running ? null : (c.finishedAt ?? null),
    uptimeSeconds: running && c.startedAt ? Math.max(0, Math.round((now - Date.parse(c.startedAt)) / 1000)) : null,
    restartCount: c.restartCount,
    exitCode: running || c.state === 'created' ? null : c.exitCode,
    oomKilled: c.oomKilled,
    oneoff: c.compose?.oneoff ?? false,
    cpuPercent: stats?.cpu.percent !== undefined ? Math.round(stats.cpu.percent * 100) / 100 : null,
    statsSource: stats?.source ?? null,
    memory: {
      usageBytes: usage,
      limitBytes: limit,
      percent: usage !== null && limit ? Math.round((usage / limit) * 1000) / 10 : null,
    },
    verdict: a.verdict,
    problem: a.problem ?? null,
    available: a.available,
  };
}

function serviceStatus(name: string, project: string | null, members: Array<ContainerStatus & { available: boolean }>): ServiceStatus {
  const replicas = members.filter((m) => !m.oneoff);
  const counted = replicas.length > 0 ? replicas : members;
  const running = counted.filter((m) => m.state === 'running').length;
  const containers = members
    .map(({ available: _a, ...rest }) => rest)
    .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  let verdict: Verdict;
  let reason: string | null = null;
  const troubled = counted.filter((m) => m.verdict === 'down' || m.verdict === 'degraded');
  const describe = (m: ContainerStatus) => (counted.length > 1 ? `${m.name}: ${m.problem}` : (m.problem ?? ''));
  if (counted.every((m) => m.verdict === 'completed')) {
    verdict = 'ok';
    reason = 'completed (exit 0)';
  } else if (!counted.some((m) => m.available)) {
    verdict = 'down';
    const first = troubled.find((m) => m.verdict === 'down') ?? troubled[0];
    reason = first ? describe(first) : 'not running';
  } else if (troubled.length > 0) {
    verdict = 'degraded';
    const parts = troubled.slice(0, 2).map(describe);
    if (troubled.length > 2) parts.push(`${troubled.length - 2} more`);
    const notRunning = counted.length - running;
    reason = (notRunning > 0 ? `${running}/${counted.length} running; ` : '') + parts.join('; ');
  } else {
    verdict = 'ok';
  }
  return { name, project, verdict, reason, replicas: { running, total: counted.length }, containers };
}

/**
 * A service that needs another of its project that is down (declared `depends_on`, or inferred as diagnose infers
 * it) cannot be serving well: ok becomes degraded, with the dependency named. Judged on the verdicts before this
 * rule, so a chain does not cascade (a service behind a degraded one stays as it is).
 */
function withDependencies(list: ServiceStatus[], containers: ReadonlyMap<string, readonly ContainerFacts[]>, project: string): ServiceStatus[] {
  const edges = dependenciesOf(containers, project);
  const before = new Map(list.map((s) => [s.name, s]));
  return list.map((s) => {
    if (s.verdict === 'down') return s;
    const down = (edges.get(s.name) ?? []).filter((e) => before.get(e.to)?.verdict === 'down');
    if (!down.length) return s;
    const why = down.map((e) => `dependency ${describeEdge(e)} is down${before.get(e.to)?.reason ? `: ${before.get(e.to)?.reason}` : ''}`).join('; ');
    return { ...s, verdict: 'degraded', reason: s.reason ? `${s.reason}; ${why}` : why };
  });
}

/**
 * Group a snapshot by compose project and service and give each service a verdict (ok / degraded / down). `logs`
 * (a bounded tail of each running container's recent output, by container id) adds the log rule; the dependency
 * rule needs nothing more than the snapshot.
 */
export function buildStatusReport(snapshot: Snapshot, options: { now?: number; notices?: string[]; logs?: Record<string, LogLine[]> } = {}): StatusReport {
  const now = options.now ?? Date.parse(snapshot.collectedAt);
  const projects = new Map<string, Map<string, Array<ContainerStatus & { available: boolean }>>>();
  const standalone: ServiceStatus[] = [];
  const notices = [...(options.notices ?? [])];
  for (const c of snapshot.containers) {
    // bcon's own per-host lock (a created, never started container): a notice, not a service
    const lock = lockOfLabels(c.labels, c.createdAt);
    if (lock) {
      notices.push(`this host is locked by ${lock.holder} since ${lock.since}${lock.message ? `: ${lock.message}` : ''} (bcon lock)`);
      continue;
    }
    const status = containerStatus(c, snapshot, now, options.logs);
    if (!c.compose) {
      standalone.push(serviceStatus(c.name, null, [status]));
      continue;
    }
    const services = projects.get(c.compose.project) ?? new Map<string, Array<ContainerStatus & { available: boolean }>>();
    projects.set(c.compose.project, services);
    const members = services.get(c.compose.service) ?? [];
    services.set(c.compose.service, members);
    members.push(status);
  }
  const facts = new Map<string, Map<string, ContainerFacts[]>>();
  for (const c of snapshot.containers) {
    if (!c.compose || !projects.get(c.compose.project)?.has(c.compose.service)) continue;
    const services = facts.get(c.compose.project) ?? new Map<string, ContainerFacts[]>();
    facts.set(c.compose.project, services);
    services.set(c.compose.service, [...(services.get(c.compose.service) ?? []), c]);
  }
  const projectList = [...projects.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, services]) => {
      const plain = [...services.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([svc, members]) => serviceStatus(svc, name, members));
      const list = withDependencies(plain, facts.get(name) ?? new Map(), name);
      return { name, verdict: worst(list.map((s) => s.verdict)), services: list };
    });
  standalone.sort((a, b) => a.name.localeCompare(b.name));
  const allServices = [...projectList.flatMap((p) => p.services), ...standalone];
  return {
    schemaVersion: 1,
    collectedAt: snapshot.collectedAt,
    durationMs: snapshot.durationMs,
    engine: {
      address: snapshot.engine.address,
      runtime: snapshot.engine.runtime,
      version: snapshot.engine.version,
      apiVersion: snapshot.engine.apiVersion,
      os: snapshot.engine.os,
      arch: snapshot.engine.arch,
      cpus: snapshot.engine.cpus ?? null,
      memoryBytes: snapshot.engine.memoryBytes ?? null,
    },
    summary: {
      projects: projectList.length,
      services: allServices.length,
      containers: snapshot.containers.length,
      running: snapshot.containers.filter((c) => c.state === 'running').length,
      ok: allServices.filter((s) => s.verdict === 'ok').length,
      degraded: allServices.filter((s) => s.verdict === 'degraded').length,
      down: allServices.filter((s) => s.verdict === 'down').length,
    },
    projects: projectList,
    standalone,
    notices,
  };
}
