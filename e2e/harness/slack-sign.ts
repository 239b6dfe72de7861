// Requests as Slack sends them to a bot's HTTP endpoint: form bodies signed with the app's signing secret,
// `x-slack-signature: v0=HMAC-SHA256(secret, "v0:{timestamp}:{body}")`.
import { createHmac } from 'node:crypto';

export interface SignedPostOptions {
  /** seconds since the epoch (default: now) */
  timestamp?: number;
  /** sign with this secret instead (a forged request) */
  secret?: string;
}

export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** POST a form body to the bot, signed; resolves with the status, the body and how long the answer took. */
export function signedPost(url: string, form: Record<string, string>, secret: string, options: SignedPostOptions = {}): Promise<{ status: number; text: string; ms: number }> {
  return signedBody(url, new URLSearchParams(form).toString(), 'application/x-www-form-urlencoded', secret, options);
}

/** POST an Events API callback (JSON) to the bot, signed. */
export function signedEvent(url: string, event: Record<string, unknown>, secret: string, options: SignedPostOptions = {}): Promise<{ status: number; text: string; ms: number }> {
  const body = JSON.stringify({ token: 'legacy', team_id: 'T0E2E0001', api_app_id: 'A0E2E0001', type: 'event_callback', event_id: `Ev${Date.now()}`, event_time: Math.floor(Date.now() / 1000), authorizations: [{ team_id: 'T0E2E0001', user_id: 'UBCONBOT1', is_bot: true }], event });
  return signedBody(url, body, 'application/json', secret, options);
}

async function signedBody(url: string, body: string, contentType: string, secret: string, options: SignedPostOptions): Promise<{ status: number; text: string; ms: number }> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': slackSignature(options.secret ?? secret, timestamp, body) },
    body,
  });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - started };
}

/** The form of a `/bcon …` slash command. */
export function slashCommand(text: string, user: string, responseUrl: string, channel = 'C0E2EOPS1'): Record<string, string> {
  return { token: 'legacy', team_id: 'T0E2E0001', team_domain: 'e2e', channel_id: channel, channel_name: 'ops', user_id: user, user_name: user.toLowerCase(), command: '/bcon', text, api_app_id: 'A0E2E0001', response_url: responseUrl, trigger_id: `trig.${Date.now()}` };
}

/** The form of a button click (block_actions) on a message the bot posted. */
export function buttonClick(actionId: string, value: string, user: string, message: { channel: string; ts: string }, responseUrl: string): Record<string, string> {
  const payload = {
    type: 'block_actions',
    team: { id: 'T0E2E0001', domain: 'e2e' },
    user: { id: user, username: user.toLowerCase(), team_id: 'T0E2E0001' },
    api_app_id: 'A0E2E0001',
    token: 'legacy',
    container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false },
    trigger_id: `trig.${Date.now()}.${Math.random().toString(16).slice(2, 8)}`,
    channel: { id: message.channel, name: 'ops' },
    message: { type: 'message', ts: message.ts, text: 'proposal', user: 'UBCONBOT1' },
    response_url: responseUrl,
    actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, action_ts: String(Date.now() / 1000) }],
  };
  return { payload: JSON.stringify(payload) };
}

/** The form of a modal's submission (view_submission) with one text input. */
export function viewSubmission(callbackId: string, privateMetadata: string, user: string, values: Record<string, Record<string, string>>): Record<string, string> {
  const state = Object.fromEntries(Object.entries(values).map(([block, actions]) => [block, Object.fromEntries(Object.entries(actions).map(([a, v]) => [a, { type: 'plain_text_input', value: v }]))]));
  const payload = {
    type: 'view_submission',
    team: { id: 'T0E2E0001', domain: 'e2e' },
    user: { id: user, username: user.toLowerCase(), team_id: 'T0E2E0001' },
    api_app_id: 'A0E2E0001',
    token: 'legacy',
    trigger_id: `trig.${Date.now()}`,
    view: { id: 'V0E2E', type: 'modal', callback_id: callbackId, private_metadata: privateMetadata, state: { values: state }, hash: 'h', team_id: 'T0E2E0001', app_id: 'A0E2E0001', blocks: [] },
  };
  return { payload: JSON.stringify(payload) };
}
