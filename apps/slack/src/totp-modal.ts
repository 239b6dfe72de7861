import type { Proposal } from '@bcon/decision';
import { plain } from './blocks.js';
import type { MessageRef } from './approvals.js';
import type { ButtonValue } from './shown-fingerprint.js';
import { buttonValue } from './shown-fingerprint.js';

export const TOTP_CALLBACK = 'bcon_totp';
export const CODE_BLOCK = 'code';
export const CODE_ACTION = 'value';

/** The modal a prohibited-tier approval asks each approver's one-time code with (views.open). */
export function totpModal(p: Proposal, v: ButtonValue, message: MessageRef | undefined): Record<string, unknown> {
  const o = p.options.find((x) => x.n === v.n);
  return {
    type: 'modal',
    callback_id: TOTP_CALLBACK,
    private_metadata: JSON.stringify({ v: buttonValue(v), ...(message ? { c: message.channel, t: message.ts } : {}) }),
    title: { type: 'plain_text', text: 'Two-person approval' },
    submit: { type: 'plain_text', text: 'Approve' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${plain(o?.summary ?? `option ${v.n}`)}* on *${plain(p.target)}* is prohibited-tier: it runs only with a one-time code from each of two different approvers.` } },
      { type: 'input', block_id: CODE_BLOCK, label: { type: 'plain_text', text: 'Your 6-digit code' }, element: { type: 'plain_text_input', action_id: CODE_ACTION, min_length: 6, max_length: 6 } },
    ],
  };
}
