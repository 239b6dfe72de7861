import type { SwarmFacts, SwarmServiceFacts, SwarmTaskFacts } from '@bcon/sensor';
import { renderTable } from '../render/table.js';
import { oneLine } from '../status/format.js';

export type SwarmVerdict = 'ok' | 'degraded' | 'down';

export interface SwarmServiceStatus {
  name: string;
  stack: string | null;
  mode: 'replicated' | 'global';
  image: string;
  desired: number;
  running: number;
  verdict: SwarmVerdict;
  reason: string;
  /** the last update's state (updating, paused, completed, rollback_completed …) and message */
  update: { state: string; message: string } | null;
  /** the newest task that failed or was rejected: where, how, with the orchestrator's own error */
  lastFailure: { task: string; slot: number | null; node: string | null; state: string; error: string | null; exitCode: number | null; at: string | null } | null;
}

export interface SwarmStatusReport {
  node: string;
  nodes: Array<{ hostname: string; role: string; state: string; availability: string; leader: boolean }>;
  stacks: Array<{ name: string; services: SwarmServiceStatus[] }>;
  summary: Record<SwarmVerdict, number>;
}

const FAILED = new Set(['failed', 'rejected', 'orphaned']);

/** The newest task that failed, was rejected, or exited non-zero (a crash the orchestrator then shut down). */
export function lastFailedTask(s: SwarmServiceFacts): SwarmTaskFacts | undefined {
  return s.tasks.find((t) => FAILED.has(t.state) || Boolean(t.error) || (t.exitCode !== undefined && t.exitCode !== 0));
}

function describeTask(t: SwarmTaskFacts): string {
  return `task ${t.slot !== undefined ? `.${t.slot} ` : ''}${t.state}${t.error ? `: ${oneLine(t.error, 160)}` : t.exitCode !== undefined ? ` (exit ${t.exitCode})` : ''}`;
}

/** One service's verdict from its desired vs running tasks, its last failure and its update state. */
export function assessSwarmService(s: SwarmServiceFacts): SwarmServiceStatus {
  const failure = lastFailedTask(s);
  const paused = s.update && /paused$/.test(s.update.state);
  let verdict: SwarmVerdict = 'ok';
  let reason = s.desired === 0 ? 'scaled to 0' : `${s.running}/${s.desired} running`;
  if (s.desired > 0 && s.running === 0) {
    verdict = 'down';
    reason = `0/${s.desired} running${failure ? `; ${describeTask(failure)}` : ''}`;
  } else if (s.running < s.desired) {
    verdict = 'degraded';
    reason = `${s.running}/${s.desired} running${failure ? `; ${describeTask(failure)}` : ''}`;
  }
  if (paused) {
    verdict = verdict === 'down' ? 'down' : 'degraded';
    reason += `; update ${s.update?.state.replace('_', ' ')}: ${oneLine(s.update?.message ?? '', 160)}`;
  } else if (s.update?.state === 'rollback_completed') reason += `; the last update was rolled back (${oneLine(s.update.message, 120)})`;
  else if (s.update?.state === 'updating' || s.update?.state === 'rollback_started') reason += `; ${s.update.state === 'updating' ? 'update' : 'rollback'} in progress`;
  return {
    name: s.name,
    stack: s.stack ?? null,
    mode: s.mode,
    image: s.image,
    desired: s.desired,
    running: s.running,
    verdict,
    reason,
    update: s.update ? { state: s.update.state, message: s.update.message } : null,
    lastFailure: failure ? { task: failure.id, slot: failure.slot ?? null, node: failure.node ?? null, state: failure.state, error: failure.error ?? null, exitCode: failure.exitCode ?? null, at: failure.timestamp ?? null } : null,
  };
}

/** `bcon swarm status`: the manager's nodes, and each stack's services with a verdict (services of no stack under "-"). */
export function buildSwarmStatus(facts: Extract<SwarmFacts, { active: true }>): SwarmStatusReport {
  const byStack = new Map<string, SwarmServiceStatus[]>();
  const summary: Record<SwarmVerdict, number> = { ok: 0, degraded: 0, down: 0 };
  for (const s of facts.services) {
    const st = assessSwarmService(s);
    summary[st.verdict]++;
    const key = s.stack ?? '-';
    byStack.set(key, [...(byStack.get(key) ?? []), st]);
  }
  const self = facts.nodes.find((n) => n.id === facts.nodeId);
  return {
    node: self?.hostname ?? facts.nodeId,
    nodes: facts.nodes.map((n) => ({ hostname: n.hostname, role: n.role, state: n.state, availability: n.availability, leader: n.leader })),
    stacks: [...byStack.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, services]) => ({ name, services })),
    summary,
  };
}

export function renderSwarmStatusText(r: SwarmStatusReport): string {
  const lines = [`swarm: ${r.nodes.length} node${r.nodes.length === 1 ? '' : 's'} (${r.nodes.map((n) => `${n.hostname} ${n.role}${n.leader ? ' leader' : ''} ${n.state}${n.availability !== 'active' ? ` ${n.availability}` : ''}`).join(', ')}); services: ${r.summary.ok} ok, ${r.summary.degraded} degraded, ${r.summary.down} down`];
  for (const stack of r.stacks) {
    lines.push('', `stack ${stack.name}`);
    const rows = [['SERVICE', 'MODE', 'REPLICAS', 'IMAGE', 'VERDICT', 'WHY']];
    for (const s of stack.services) rows.push([s.name, s.mode, `${s.running}/${s.desired}`, s.image, s.verdict, oneLine(s.reason, 140)]);
    lines.push(renderTable(rows, { indent: '  ' }));
  }
  return lines.join('\n');
}
