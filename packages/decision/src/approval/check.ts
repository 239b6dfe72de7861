import type { Proposal, ProposalOption } from '../proposal.js';
import { verifyTotp } from './totp.js';

export interface Approver {
  actor: string;
  /** a TOTP code, needed for prohibited-tier actions */
  code?: string;
}

export type ApprovalCheck =
  | { ok: true; option: ProposalOption; approval: 'explicit' | 'two-person' }
  | { ok: false; code: 'no_such_option' | 'expired' | 'stale' | 'not_pending' | 'needs_two_approvers' | 'bad_code'; message: string };

/**
 * May this option of this proposal run now? Refused when the proposal expired or is no longer pending, when the
 * target changed since it was made (re-propose instead), and — for a prohibited-tier action — unless two different
 * approvers each give a valid TOTP code (RFC 6238) for the secret bcon knows for them.
 */
export function checkApproval(input: {
  proposal: Proposal;
  status: string;
  option: number;
  approvers: readonly Approver[];
  now: number;
  currentFingerprint: string;
  totpSecret: (actor: string) => string | undefined;
}): ApprovalCheck {
  const p = input.proposal;
  const option = p.options.find((o) => o.n === input.option);
  if (!option) return { ok: false, code: 'no_such_option', message: `proposal ${p.id} has no option ${input.option} (options: ${p.options.map((o) => o.n).join(', ') || 'none'})` };
  if (input.status !== 'pending') return { ok: false, code: 'not_pending', message: `proposal ${p.id} is ${input.status}, not pending` };
  if (input.now > Date.parse(p.expiresAt)) return { ok: false, code: 'expired', message: `proposal ${p.id} expired at ${p.expiresAt}: run bcon propose ${p.target} again` };
  if (input.currentFingerprint !== p.fingerprint) {
    return { ok: false, code: 'stale', message: `${p.target} changed since proposal ${p.id} was made (containers re-created or reconfigured): run bcon propose ${p.target} again` };
  }
  if (option.tier !== 'prohibited') return { ok: true, option, approval: 'explicit' };
  const actors = [...new Set(input.approvers.map((a) => a.actor))];
  if (actors.length < 2) return { ok: false, code: 'needs_two_approvers', message: `option ${option.n} (${option.summary}) is prohibited-tier: it needs two different approvers, each with a one-time code (--approver NAME:CODE twice)` };
  for (const a of input.approvers) {
    const secret = input.totpSecret(a.actor);
    if (!secret) return { ok: false, code: 'bad_code', message: `no TOTP secret is known for ${a.actor} (set BCON_TOTP_SECRET_${a.actor.toUpperCase().replace(/[^A-Z0-9]/g, '_')})` };
    if (!a.code || !verifyTotp(secret, a.code, input.now)) return { ok: false, code: 'bad_code', message: `the one-time code of ${a.actor} is missing or wrong` };
  }
  return { ok: true, option, approval: 'two-person' };
}
