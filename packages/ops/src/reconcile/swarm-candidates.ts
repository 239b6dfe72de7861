import type { Proposal, ProposalOption } from '@bcon/decision';
import type { Target } from '../target.js';
import { targetLabel } from '../target.js';
import type { CandidateAction } from './policy/decide.js';

/** One swarm repair the pass may decide on: the same shape as a compose host's candidates. */
export interface SwarmCandidate {
  target: Target;
  host: string;
  option: ProposalOption;
  proposal: Proposal;
  candidate: CandidateAction;
  evidence: string[];
}

/**
 * A swarm manager is one more host to the reconciler: each stack named like a compose project of the repository is
 * compared with the committed file (bcon swarm drift), and the differences a catalog action repairs become
 * candidates — replicas → `swarm.scale` to the file's count, image → `swarm.deploy` of the file's image (swarm's
 * own rolling update; production explicit). Env, command and limit differences need `docker stack deploy` and are
 * left to a person (bcon swarm drift shows them). An engine that is not a swarm manager has none.
 */
export async function swarmCandidatesOn(target: Target, repo: string, commit: string | null): Promise<SwarmCandidate[]> {
  const { EngineClient, endpointFromEnv, readSwarm } = await import('@bcon/sensor');
  const client = new EngineClient(endpointFromEnv(target.env), { env: target.env });
  let swarm;
  try {
    const info = await client.info();
    if (info.Swarm?.LocalNodeState !== 'active' || !info.Swarm.ControlAvailable) return [];
    swarm = await readSwarm(client);
  } finally {
    client.close();
  }
  if (!swarm.active) return [];
  const stacks = new Set(swarm.services.flatMap((s) => (s.stack ? [s.stack] : [])));
  const { readDesired } = await import('../drift.js');
  const desired = await readDesired({ repo, ref: 'HEAD', worktree: false });
  const { buildStackDriftReport } = await import('@bcon/reasoning');
  const { containersOn } = await import('../containers.js');
  const { buildSwarmProposal } = await import('../swarm/write-use-cases.js');
  const { currentGuardrails } = await import('../guardrails.js');
  const guardrails = await currentGuardrails(desired.root);
  const all = await containersOn(target);
  const host = targetLabel(target);
  const out: SwarmCandidate[] = [];
  for (const project of desired.desired.projects.filter((p) => stacks.has(p.name))) {
    const report = buildStackDriftReport(project, project.name, swarm.services, { source: desired.desired.source });
    for (const d of report.differences) {
      const s = swarm.services.find((x) => x.stack === project.name && x.shortName === d.service);
      const spec = project.services[d.service];
      if (!s || !spec) continue;
      const common = { service: s.name, stack: project.name, version: s.version };
      const action =
        d.field === 'replicas' && s.mode === 'replicated'
          ? ({ type: 'swarm.scale', ...common, from: s.desired, to: spec.replicas } as const)
          : d.field === 'image' && spec.image && !(s.update && /^(updating|rollback_started)$/.test(s.update.state))
            ? ({ type: 'swarm.deploy', ...common, image: spec.image, currentImage: s.image } as const)
            : undefined;
      if (!action) continue;
      const cause = d.field === 'replicas' ? 'replica_drift' : 'image_drift';
      const evidence = [`${s.name}: ${d.field} ${JSON.stringify(d.actual)} on the manager, ${JSON.stringify(d.expected)} in ${desired.desired.source}`];
      const proposal = await buildSwarmProposal({ target, action, guardrails, cause, containers: all, repo: desired.root });
      const option = proposal.options[0] as ProposalOption;
      out.push({
        target,
        host,
        option,
        proposal,
        evidence,
        candidate: {
          host,
          service: `${project.name}/${d.service}`,
          actionType: option.action,
          tier: option.tier,
          reasons: [...option.reasons, ...(commit ? [`desired state at commit ${commit.slice(0, 12)}`] : [])],
          production: option.reasons.includes('marked production'),
          origin: 'drift',
        },
      });
    }
  }
  return out;
}
