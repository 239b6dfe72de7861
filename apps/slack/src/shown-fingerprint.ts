import { createHash } from 'node:crypto';
import type { Proposal } from '@bcon/decision';

/**
 * What an Approve button is bound to: a hash of the proposal as it was posted — its id, the engine fingerprint it
 * was made on, when it expires, and each option's action, parameters, risk and tier. A click is honoured only
 * while the stored proposal still hashes the same; anything else (changed, re-made, forged) is refused.
 */
export function shownFingerprint(p: Proposal): string {
  const options = p.options.map((o) => ({ n: o.n, action: o.action, params: o.params, risk: o.risk, tier: o.tier }));
  const canonical = JSON.stringify({ id: p.id, fingerprint: p.fingerprint, expiresAt: p.expiresAt, target: p.target, host: p.host?.address ?? null, options });
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}

/** An Approve or Reject button's value: which proposal and option, and the fingerprint shown. */
export interface ButtonValue {
  p: string;
  n: number;
  h: string;
}

export function buttonValue(v: ButtonValue): string {
  return JSON.stringify(v);
}

/** A button value as Slack sends it back; anything malformed is undefined (refused by the caller). */
export function readButtonValue(raw: string | undefined): ButtonValue | undefined {
  if (!raw || raw.length > 500) return undefined;
  try {
    const v = JSON.parse(raw) as Partial<ButtonValue>;
    if (typeof v.p === 'string' && /^p-[A-Za-z0-9-]{1,64}$/.test(v.p) && Number.isInteger(v.n) && typeof v.h === 'string' && /^[0-9a-f]{32}$/.test(v.h)) return { p: v.p, n: v.n as number, h: v.h };
  } catch {
    // not JSON: refused below
  }
  return undefined;
}
