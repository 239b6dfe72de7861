import { userInfo } from 'node:os';
import type { GuardrailTier, Proposal, ProposalHost } from '@bcon/decision';
import type { Hypothesis } from '@bcon/reasoning';
import type { ContainerFacts } from '@bcon/sensor';
import type { BconConfig } from '@bcon/sensor/desired';
import type { AuditEntry, Store } from '@bcon/store';
import { EngineClient, collectContainers, endpointFromEnv } from '@bcon/sensor';
import { InputError } from './input-error.js';

/** Who is acting: --actor, else BCON_ACTOR, else user/<login>. */
export function actorName(flag: string | undefined): string {
  if (flag) return flag;
  if (process.env['BCON_ACTOR']) return process.env['BCON_ACTOR'];
  try {
    return `user/${userInfo().username}`;
  } catch {
    return 'user/unknown';
  }
}

/** bcon.yaml `guardrails:` — tiers by service, by action type, or `service:action`. */
export function guardrailOverrides(raw: unknown): Record<string, GuardrailTier> {
  if (raw === undefined || raw === null) return {};
  const tiers = ['autonomous', 'notify', 'explicit', 'prohibited'];
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new InputError('bcon.yaml: guardrails: expected a map of service, action type or service:action to a tier', 'config_invalid');
  const out: Record<string, GuardrailTier> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof v !== 'string' || !tiers.includes(v)) throw new InputError(`bcon.yaml: guardrails.${k}: expected one of ${tiers.join(', ')}, got ${JSON.stringify(v)}`, 'config_invalid');
    out[k] = v as GuardrailTier;
  }
  return out;
}

export async function openLevel2Store(): Promise<Store> {
  const { openStore } = await import('@bcon/store');
  return openStore();
}

export async function audit(store: Store, entry: Omit<AuditEntry, 'timestamp'>): Promise<void> {
  const { appendAudit } = await import('@bcon/store');
  appendAudit(store, { timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), ...entry });
}

/** The current fingerprint of the containers a proposal covers (a container that is gone changes it). */
export async function currentFingerprint(p: Proposal): Promise<string> {
  const { fingerprintOf } = await import('@bcon/decision');
  const client = new EngineClient(endpointFromEnv());
  try {
    const all = await collectContainers(client, { concurrency: 16 });
    return fingerprintOf(all.filter((c) => p.containers.includes(c.name)));
  } finally {
    client.close();
  }
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
  diagnosis: { signals: { services: Array<{ name: string; containers: ContainerFacts[]; spec?: { replicas: number; image?: string | undefined } | undefined }> }; report: { target: string | null } },
  hypotheses: Hypothesis[],
  repo: string,
  ttlMs = 3600_000,
  hostName?: string,
): Promise<Proposal> {
  const { buildProposal } = await import('@bcon/decision');
  const { bconYaml } = await import('./bcon-yaml.js');
  const config = await bconYaml(repo);
  const services = Object.fromEntries(
    diagnosis.signals.services.map((s) => [s.name, { containers: s.containers, ...(s.spec ? { declaredReplicas: s.spec.replicas } : {}), ...(s.spec?.image ? { committedImage: s.spec.image } : {}) }]),
  );
  const host = await currentHost(hostName, config, repo);
  const proposal = buildProposal({ target: diagnosis.report.target ?? '', hypotheses, services, ttlMs, overrides: guardrailOverrides(config?.guardrails), host });
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
