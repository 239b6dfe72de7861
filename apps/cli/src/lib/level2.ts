import type { Proposal, ProposalHost } from '@bcon/decision';
import type { Hypothesis } from '@bcon/reasoning';
import type { ContainerFacts } from '@bcon/sensor';
import type { BconConfig } from '@bcon/sensor/desired';
import type { AuditEntry, Store } from '@bcon/store';
import { endpointFromEnv } from '@bcon/sensor';

export { actorName } from '@bcon/ops';

export async function openLevel2Store(): Promise<Store> {
  const { openStore } = await import('@bcon/store');
  return openStore();
}

export async function audit(store: Store, entry: Omit<AuditEntry, 'timestamp'>): Promise<void> {
  (await import('@bcon/ops')).audit(store, entry);
}

/** How a proposal's host is named in messages and the audit log: its bcon.yaml name, else its address. */
export function hostLabel(h: ProposalHost | undefined): string | undefined {
  return h ? (h.name ?? h.address) : undefined;
}

/**
 * The engine this command points at (DOCKER_HOST, set by --host too, else the default socket) and its bcon.yaml
 * name when it has one.
 */
async function currentHost(name: string | undefined, config: { hosts?: unknown } | undefined, repo: string): Promise<ProposalHost> {
  const address = endpointFromEnv().address;
  if (name) return { address, name };
  const hosts = config ? (await (await import('@bcon/sensor/desired')).hostSettings(config as BconConfig, repo)).addresses : {};
  const found = Object.entries(hosts).find(([, a]) => a === address)?.[0];
  return { address, ...(found ? { name: found } : {}) };
}

/** `propose --json` and `diagnose --propose --json`: the proposal as scripts see it. */
export function proposalJson(p: Proposal) {
  return {
    id: p.id,
    target: p.target,
    expiresAt: p.expiresAt,
    options: p.options.map(({ n, action, params, risk, tier, reasons, summary }) => ({ n, action, params, risk, tier, reasons, summary })),
    notes: p.notes,
    ...(p.host ? { host: p.host } : {}),
  };
}

export function renderProposal(p: Proposal): string {
  const out = [`Proposal ${p.id} for ${p.target}${p.host ? ` on ${hostLabel(p.host)}` : ''} (expires ${p.expiresAt})`];
  if (!p.options.length) out.push('  no catalog action answers these causes');
  for (const o of p.options) {
    out.push(`  ${o.n}. ${o.summary}   risk: ${o.risk}   tier: ${o.tier}`);
    for (const r of o.reasons) out.push(`       - ${r}`);
  }
  for (const n of p.notes) out.push(`  note: ${n}`);
  return out.join('\n');
}

/** Build and store a proposal from a diagnosis (bcon propose, bcon diagnose --propose), with its audit entry. */
export async function storeProposal(
  diagnosis: { signals: { services: Array<{ name: string; containers: ContainerFacts[]; untracked?: boolean; spec?: { replicas: number; image?: string | undefined } | undefined }> }; report: { target: string | null } },
  hypotheses: Hypothesis[],
  repo: string,
  ttlMs = 3600_000,
  hostName?: string,
): Promise<Proposal> {
  const { buildProposal } = await import('@bcon/decision');
  const { bconYaml } = await import('./bcon-yaml.js');
  const config = await bconYaml(repo);
  const services = Object.fromEntries(
    diagnosis.signals.services.map((s) => [s.name, { containers: s.containers, ...(s.spec ? { declaredReplicas: s.spec.replicas } : {}), ...(s.spec?.image ? { committedImage: s.spec.image } : {}), ...(s.untracked ? { untracked: true } : {}) }]),
  );
  const host = await currentHost(hostName, config, repo);
  const { currentGuardrails, repositoryRoot } = await import('@bcon/ops');
  const root = repositoryRoot(repo);
  const proposal = { ...buildProposal({ target: diagnosis.report.target ?? '', hypotheses, services, ttlMs, guardrails: await currentGuardrails(root), host }), ...(root ? { repo: root } : {}) };
  const store = await openLevel2Store();
  try {
    const { saveProposal } = await import('@bcon/store');
    saveProposal(store, { id: proposal.id, createdAt: Date.parse(proposal.createdAt), expiresAt: Date.parse(proposal.expiresAt), target: proposal.target, status: 'pending', body: proposal });
    await audit(store, {
      actor: 'bcon',
      action: 'proposal.create',
      target: proposal.target,
      approval: 'none',
      result: `${proposal.options.length} options`,
      context: { proposal: proposal.id, host: hostLabel(host), reason: hypotheses[0]?.summary ?? 'no hypothesis', proposed_by: 'bcon', options: proposal.options.map((o) => `${o.n}. ${o.action} (${o.tier})`) },
    });
  } finally {
    store.close();
  }
  return proposal;
}
