import type { Proposal, ProposalHost } from '@bcon/decision';

/** How a proposal's host is named in messages and the audit log: its bcon.yaml name, else its address. */
export function hostLabel(h: ProposalHost | undefined): string | undefined {
  return h ? (h.name ?? h.address) : undefined;
}

/** `propose --json` and `diagnose --propose --json`: the proposal as scripts see it. */
/** A proposal's option the model suggested (bcon checked, scored and tiered it), with the evidence it cites. */
type MaybeModel = { source?: 'model'; evidence?: string[] };
type WithRefusals = { modelRefused?: Array<{ reason: string; suggestion: string }> };

export function proposalJson(p: Proposal & WithRefusals) {
  return {
    id: p.id,
    target: p.target,
    expiresAt: p.expiresAt,
    options: p.options.map((o) => {
      const { n, action, params, risk, tier, reasons, summary } = o;
      const m = o as MaybeModel;
      return { n, action, params, risk, tier, reasons, summary, ...(m.source ? { source: m.source, evidence: m.evidence ?? [] } : {}) };
    }),
    notes: p.notes,
    ...(p.modelRefused ? { modelRefused: p.modelRefused } : {}),
    ...(p.host ? { host: p.host } : {}),
  };
}

export function renderProposal(p: Proposal & WithRefusals): string {
  const out = [`Proposal ${p.id} for ${p.target}${p.host ? ` on ${hostLabel(p.host)}` : ''} (expires ${p.expiresAt})`];
  const rules = p.options.filter((o) => (o as MaybeModel).source !== 'model');
  const model = p.options.filter((o) => (o as MaybeModel).source === 'model');
  if (!p.options.length) out.push('  no catalog action answers these causes');
  const option = (o: Proposal['options'][number]) => {
    out.push(`  ${o.n}. ${o.summary}   risk: ${o.risk}   tier: ${o.tier}`);
    for (const r of o.reasons) out.push(`       - ${r}`);
  };
  rules.forEach(option);
  if (model.length) {
    out.push('', '  Suggested by the model (checked, risk and tier by bcon\'s rules):');
    model.forEach(option);
  }
  for (const n of p.notes) out.push(`  note: ${n}`);
  for (const r of p.modelRefused ?? []) out.push(`  note: a suggestion of the model was refused: ${r.reason}`);
  return out.join('\n');
}
