import type { DriftReport, SwarmDiagnosis, SwarmStatusReport } from '@bcon/reasoning';
import type { LogLine } from '@bcon/sensor';
import { OpsError } from '../errors.js';
import type { Target } from '../target.js';
import { pickService, readSwarmOn } from './read.js';

/** `bcon swarm status`: the manager's nodes and each stack's services with a verdict. */
export async function swarmStatus(target: Target, options: { stack?: string } = {}): Promise<SwarmStatusReport> {
  const swarm = await readSwarmOn(target, options);
  const { buildSwarmStatus } = await import('@bcon/reasoning');
  return buildSwarmStatus(swarm);
}

/**
 * `bcon swarm drift`: each stack deployed from a compose file of the repository (at the ref, or the working tree)
 * against the services' specs. The stack is the compose project's name unless `stack` names it.
 */
export async function swarmDrift(options: { target: Target; repo: string; ref: string; worktree: boolean; stack?: string }): Promise<DriftReport> {
  const { readDesired } = await import('../drift.js');
  const [desired, swarm] = await Promise.all([readDesired(options), readSwarmOn(options.target)]);
  const stacks = [...new Set(swarm.services.flatMap((s) => (s.stack ? [s.stack] : [])))];
  const projects = desired.desired.projects;
  if (!projects.length) throw new OpsError(`no compose file in ${desired.root}`, 'no_desired', 2);
  if (options.stack && projects.length > 1) throw new OpsError(`the repository has ${projects.length} compose projects (${projects.map((p) => p.name).join(', ')}): --stack names the stack of one project only`, 'ambiguous_project', 2);
  const pairs = options.stack ? [{ project: projects[0] as (typeof projects)[number], stack: options.stack }] : projects.filter((p) => stacks.includes(p.name)).map((p) => ({ project: p, stack: p.name }));
  if (!pairs.length) throw new OpsError(`no stack on this swarm is named like a compose project of the repository (projects: ${projects.map((p) => p.name).join(', ')}; stacks: ${stacks.join(', ') || 'none'}): pass --stack NAME`, 'no_stack', 2);
  const { buildStackDriftReport } = await import('@bcon/reasoning');
  let key: Buffer | undefined;
  try {
    key = (await import('@bcon/store')).installationKey('drift');
  } catch {
    key = undefined;
  }
  const reports = pairs.map(({ project, stack }) => buildStackDriftReport(project, stack, swarm.services, { source: desired.desired.source, ...(key ? { fingerprintKey: key } : {}) }));
  const first = reports[0] as DriftReport;
  return {
    ...first,
    status: reports.some((r) => r.status === 'DRIFTED') ? 'DRIFTED' : 'IN_SYNC',
    projects: reports.flatMap((r) => r.projects),
    differences: reports.flatMap((r) => r.differences),
    orphans: reports.flatMap((r) => r.orphans),
  };
}

/** `bcon swarm logs`: a service's lines through the service logs endpoint. */
export async function swarmLogs(options: { target: Target; service: string; stack?: string; tail?: number; sinceSeconds?: number }): Promise<{ service: string; lines: LogLine[]; truncated: string | undefined }> {
  const swarm = await readSwarmOn(options.target);
  const s = pickService(swarm, options.service, options.stack);
  const { EngineClient, collectServiceLogs, endpointFromEnv } = await import('@bcon/sensor');
  const client = new EngineClient(endpointFromEnv(options.target.env), { env: options.target.env });
  try {
    const { lines, truncated } = await collectServiceLogs(client, s.id, { tail: options.tail ?? 200, ...(options.sinceSeconds ? { sinceSeconds: options.sinceSeconds } : {}) });
    return { service: s.name, lines, truncated };
  } finally {
    client.close();
  }
}

/** `bcon swarm diagnose`: a service's tasks, update state and logs → hypotheses with evidence. */
export async function swarmDiagnose(options: { target: Target; service: string; stack?: string }): Promise<SwarmDiagnosis> {
  const swarm = await readSwarmOn(options.target);
  const s = pickService(swarm, options.service, options.stack);
  const { EngineClient, collectServiceLogs, endpointFromEnv } = await import('@bcon/sensor');
  const client = new EngineClient(endpointFromEnv(options.target.env), { env: options.target.env });
  let lines: LogLine[] = [];
  const notices: string[] = [];
  try {
    lines = (await collectServiceLogs(client, s.id, { tail: 200, sinceSeconds: 3600 })).lines;
  } catch (err) {
    notices.push(`the service's logs could not be read (${(err as Error).message})`);
  } finally {
    client.close();
  }
  const { diagnoseSwarmService } = await import('@bcon/reasoning');
  const d = diagnoseSwarmService(s, lines);
  return { ...d, notices: [...d.notices, ...notices] };
}
