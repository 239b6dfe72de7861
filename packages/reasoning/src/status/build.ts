import type { ContainerFacts, Snapshot } from '@bcon/sensor';
import { lockOfLabels } from '@bcon/sensor';
import type { ContainerStatus, ServiceStatus, StatusReport, Verdict } from './schema.js';
import { assessContainer } from './assess.js';

const rank: Record<Verdict, number> = { ok: 0, degraded: 1, down: 2 };
const worst = (vs: Verdict[]): Verdict => vs.reduce<Verdict>((a, b) => (rank[b] > rank[a] ? b : a), 'ok');

function containerStatus(c: ContainerFacts, snapshot: Snapshot, now: number): ContainerStatus & { available: boolean } {
  const stats = snapshot.stats[c.id];
  const a = assessContainer(c, stats, now);
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

/** Group a snapshot by compose project and service and give each service a verdict (ok / degraded / down). */
export function buildStatusReport(snapshot: Snapshot, options: { now?: number; notices?: string[] } = {}): StatusReport {
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
    const status = containerStatus(c, snapshot, now);
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
  const projectList = [...projects.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, services]) => {
      const list = [...services.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([svc, members]) => serviceStatus(svc, name, members));
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
