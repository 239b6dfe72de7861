import ansis from 'ansis';
import type { ContainerStatus, ServiceStatus, StatusReport, Verdict } from '../status/schema.js';
import { formatBytes, formatDuration, printable } from '../status/format.js';
import { renderTable } from './table.js';

const paint: Record<Verdict, (s: string) => string> = {
  ok: (s) => ansis.green(s),
  degraded: (s) => ansis.yellow(s),
  down: (s) => ansis.red.bold(s),
};

function stateText(c: ContainerStatus): string {
  if (c.state === 'running') return c.health === 'none' ? 'running' : c.health === 'not_run' ? 'running (health not run by the runtime)' : `running (${c.health})`;
  if (c.state === 'exited' || c.state === 'restarting') return `${c.state} (${c.exitCode ?? '?'}${c.oomKilled ? ', OOM' : ''})`;
  return c.state;
}

function memoryText(c: ContainerStatus): string {
  if (c.memory.usageBytes === null) return '-';
  const used = formatBytes(c.memory.usageBytes);
  return c.memory.limitBytes ? `${used} / ${formatBytes(c.memory.limitBytes)}` : used;
}

const cpuText = (c: ContainerStatus) => (c.cpuPercent === null ? '-' : `${c.cpuPercent.toFixed(1)}%`);
const uptimeText = (c: ContainerStatus) => (c.uptimeSeconds === null ? '-' : formatDuration(c.uptimeSeconds));

function serviceRows(s: ServiceStatus, rawLabel: string): string[][] {
  const label = printable(rawLabel);
  const single = s.containers.length === 1 ? s.containers[0] : undefined;
  const head = [
    label,
    paint[s.verdict](s.verdict),
    `${s.replicas.running}/${s.replicas.total}`,
    single ? stateText(single) : '',
    single ? uptimeText(single) : '',
    single ? String(single.restartCount) : '',
    single ? cpuText(single) : '',
    single ? memoryText(single) : '',
    printable(s.reason ?? ''),
  ];
  if (single) return [head];
  return [
    head,
    ...s.containers.map((c) => [
      ansis.dim(`  ${printable(c.name)}`),
      '',
      '',
      stateText(c),
      uptimeText(c),
      String(c.restartCount),
      cpuText(c),
      memoryText(c),
      c.problem ? ansis.dim(printable(c.problem)) : '',
    ]),
  ];
}

const HEADER = ['SERVICE', 'VERDICT', 'UP', 'STATE', 'UPTIME', 'RESTARTS', 'CPU', 'MEMORY', 'REASON'].map((h) => ansis.dim(h));

/** The one screen that answers "is everything OK?". */
export function renderStatusText(report: StatusReport): string {
  const e = report.engine;
  const s = report.summary;
  const facts = [`API ${e.apiVersion}`, e.cpus ? `${e.cpus} CPUs` : '', e.memoryBytes ? formatBytes(e.memoryBytes) : '']
    .filter(Boolean)
    .join(', ');
  const tally = [
    `${s.ok} ok`,
    s.degraded ? ansis.yellow(`${s.degraded} degraded`) : `${s.degraded} degraded`,
    s.down ? ansis.red.bold(`${s.down} down`) : `${s.down} down`,
  ].join(', ');
  const lines = [
    `${ansis.bold(e.runtime ?? 'Docker')} ${e.version} at ${e.address} (${facts})`,
    `${s.services} service${s.services === 1 ? '' : 's'} in ${s.projects} project${s.projects === 1 ? '' : 's'}, ${s.containers} containers (${s.running} running): ${tally}`,
  ];
  for (const n of report.notices) lines.push(ansis.dim(`note: ${n}`));
  if (s.containers === 0) {
    lines.push('', 'No containers on this engine.');
    return lines.join('\n');
  }
  const rows: string[][] = [HEADER];
  for (const p of report.projects) {
    rows.push([ansis.bold(printable(p.name)), paint[p.verdict](p.verdict)]);
    for (const svc of p.services) rows.push(...serviceRows(svc, `  ${svc.name}`));
  }
  if (report.standalone.length > 0) {
    rows.push([ansis.bold('(not compose)')]);
    for (const svc of report.standalone) rows.push(...serviceRows(svc, `  ${svc.name}`));
  }
  lines.push('', renderTable(rows));
  return lines.join('\n');
}
