import type { Proposal, ProposalHost } from '@bcon/decision';

/** How a proposal's host is named in messages and the audit log: its bcon.yaml name, else its address. */
export function hostLabel(h: ProposalHost | undefined): string | undefined {
  return h ? (h.name ?? h.address) : undefined;
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
