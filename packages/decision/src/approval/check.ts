import type { Proposal, ProposalOption } from '../proposal.js';
import { totpStep } from './totp.js';

export interface Approver {
  actor: string;
  /** a TOTP code, needed for prohibited-tier actions */
  code?: string;
}

export type ApprovalCheck =
  | { ok: true; option: ProposalOption; approval: 'explicit' | 'two-person'; /** who approved, by their one spelling */ approvers: string[]; /** the TOTP steps the codes used: record them, each may be used once */ codes: Array<{ actor: string; step: number }> }
  | { ok: false; code: 'no_such_option' | 'expired' | 'stale' | 'not_pending' | 'needs_two_approvers' | 'bad_code' | 'code_reused'; message: string };

/**
 * One person, one name: approver names are compared (and their TOTP secrets looked up) after Unicode NFKC folding,
 * trimming and lower-casing, so `alice`, `ALICE` and `ａｌｉｃｅ` are the same approver.
 */
export function normalizeActor(name: string): string {
  return name.normalize('NFKC').trim().toLowerCase();
}

/** An approver name bcon accepts: after folding, ASCII letters, digits and `.`, `_`, `-` only (no look-alikes). */
export const APPROVER_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/**
 * Who an approver IS: the secret they prove with. Two names that read the same secret variable (`ops-lead` and
 * `ops_lead`) are one person, whatever their spelling.
 */
export function approverIdentity(name: string): string {
  return totpSecretVariable(name);
}

/** The environment variable that holds an approver's TOTP secret: BCON_TOTP_SECRET_<NAME>. */
export function totpSecretVariable(actor: string): string {
  return `BCON_TOTP_SECRET_${normalizeActor(actor).toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

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
  /** was this approver's code for this time step used before (a replay)? */
  codeUsed?: (actor: string, step: number) => boolean;
}): ApprovalCheck {
  const p = input.proposal;
  const option = p.options.find((o) => o.n === input.option);
  if (!option) return { ok: false, code: 'no_such_option', message: `proposal ${p.id} has no option ${input.option} (options: ${p.options.map((o) => o.n).join(', ') || 'none'})` };
  if (input.status !== 'pending') return { ok: false, code: 'not_pending', message: `proposal ${p.id} is ${input.status}, not pending` };
  if (input.now > Date.parse(p.expiresAt)) return { ok: false, code: 'expired', message: `proposal ${p.id} expired at ${p.expiresAt}: run bcon propose ${p.target} again` };
  if (input.currentFingerprint !== p.fingerprint) {
    return { ok: false, code: 'stale', message: `${p.target} changed since proposal ${p.id} was made (containers re-created or reconfigured): run bcon propose ${p.target} again` };
  }
  return checkTier(option, input);
}

/**
 * The approval an option's tier needs, given who approves: explicit for everything up to the explicit tier (the
 * person running approve is the approval); the prohibited tier needs two different people (by normalizeActor), each
 * with a valid, unused TOTP code.
 */
export function checkTier(
  option: ProposalOption,
  input: { approvers: readonly Approver[]; now: number; totpSecret: (actor: string) => string | undefined; codeUsed?: (actor: string, step: number) => boolean },
): ApprovalCheck {
  const first = input.approvers[0]?.actor ?? '';
  if (option.tier !== 'prohibited') return { ok: true, option, approval: 'explicit', approvers: [first], codes: [] };
  const needsTwo = { ok: false as const, code: 'needs_two_approvers' as const, message: `option ${option.n} (${option.summary}) is prohibited-tier: it needs two different approvers, each with a one-time code (--approver NAME:CODE twice; names are compared ignoring case)` };
  if (new Set(input.approvers.map((a) => normalizeActor(a.actor))).size < 2) return needsTwo;
  const bad = input.approvers.find((a) => !APPROVER_NAME.test(normalizeActor(a.actor)));
  if (bad) return { ok: false, code: 'bad_code', message: `"${bad.actor}" is not an approver name bcon accepts (letters a-z, digits, ".", "_" and "-")` };
  // one entry per person: names that read the same secret are the same person
  const byName = new Map<string, Approver>();
  const seen = new Set<string>();
  for (const a of input.approvers) {
    const id = approverIdentity(a.actor);
    if (seen.has(id)) continue;
    seen.add(id);
    byName.set(normalizeActor(a.actor), a);
  }
  if (byName.size < 2) return { ok: false, code: 'needs_two_approvers', message: `option ${option.n} (${option.summary}) is prohibited-tier: it needs two different approvers, each with a one-time code (--approver NAME:CODE twice; names are compared ignoring case)` };
  const codes: Array<{ actor: string; step: number }> = [];
  for (const [actor, a] of byName) {
    const secret = input.totpSecret(actor);
    if (!secret) return { ok: false, code: 'bad_code', message: `no TOTP secret is known for ${actor} (set ${totpSecretVariable(actor)})` };
    const step = a.code ? totpStep(secret, a.code, input.now) : undefined;
    if (step === undefined) return { ok: false, code: 'bad_code', message: `the one-time code of ${actor} is missing or wrong` };
    if (input.codeUsed?.(approverIdentity(actor), step)) return { ok: false, code: 'code_reused', message: `the one-time code of ${actor} was used before: wait for the next code` };
    codes.push({ actor: approverIdentity(actor), step });
  }
  return { ok: true, option, approval: 'two-person', approvers: [...byName.keys()], codes };
}
