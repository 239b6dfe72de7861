// bcon slack: the Slack bot. Bolt receives (HTTP with signature verification, or Socket Mode), the handlers parse,
// call the same @bcon/ops use-cases as the CLI, and answer in Block Kit through SlackOut (redacted).
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import type { AnswerContext } from './answers.js';
import { answerAsk, answerDrift, answerStatus, answerWhy, pendingProposals } from './answers.js';
import { Approvals } from './approvals.js';
import { readApprovers } from './approvers.js';
import type { SlackMessage } from './blocks.js';
import { noteMessage, proposalMessage } from './blocks.js';
import { boltLogger } from './bolt-logger.js';
import type { SlackRequest } from './command-text.js';
import { USAGE, parseRequest } from './command-text.js';
import type { SlackSettings } from './settings.js';
import { SlackOut } from './slack-out.js';
import { CODE_ACTION, CODE_BLOCK, TOTP_CALLBACK } from './totp-modal.js';
import { ProposalFeed } from './proposal-feed.js';

export type { SlackSettings } from './settings.js';
export { SettingsError, parseListen, settingsFromEnv } from './settings.js';
import { SettingsError } from './settings.js';

export const EVENTS_PATH = '/slack/events';

export interface RunningBot {
  /** `http://HOST:PORT/slack/events` in HTTP mode; `socket` in Socket Mode */
  endpoint: string;
  stop(): Promise<void>;
}

/** Where an answer goes: the slash command's response_url, or a thread (a mention). */
interface Reply {
  answer(m: SlackMessage, inChannel?: boolean): Promise<void>;
  /** the channel a proposal is posted to (so its message can be updated when decided) */
  channel: string;
  thread?: string | undefined;
}

async function answer(req: SlackRequest, ctx: AnswerContext, out: SlackOut, reply: Reply): Promise<void> {
  switch (req.kind) {
    case 'help':
      return reply.answer(noteMessage(`${req.problem ? `${req.problem}. ` : ''}bcon answers: ${USAGE}`), false);
    case 'status':
      return reply.answer(await answerStatus(ctx));
    case 'why':
      return reply.answer(await answerWhy(ctx, req.service, req.complaint));
    case 'drift':
      for (const m of await answerDrift(ctx)) await reply.answer(m);
      return;
    case 'ask':
      return reply.answer(await answerAsk(ctx, req.question));
    case 'proposals': {
      const list = await pendingProposals();
      if (!list.length) return reply.answer(noteMessage('No pending proposals (bcon propose SERVICE, or /bcon why SERVICE then bcon propose).'), false);
      const { publicProposal } = await import('@bcon/ops');
      // posted as messages of their own: the buttons' message is updated when the proposal is decided
      for (const p of list.slice(0, 10)) await out.post(reply.channel, proposalMessage(p, await publicProposal(p)), reply.thread);
      return;
    }
  }
}

/** Start the bot; resolves once it listens (HTTP) or is connected (Socket Mode). */
export async function startSlackBot(s: SlackSettings): Promise<RunningBot> {
  const own = [s.botToken, s.signingSecret, s.appToken ?? ''];
  // a bad approvers: section is a clear error at start, not at the first click
  await readApprovers(s.repo);
  // and so is an unknown --host
  if (s.engineHost) await (await import('@bcon/ops')).resolveTargets({ cwd: s.repo, env: s.env, host: s.engineHost });
  const logger = boltLogger(own);
  // a few quick retries: an unreachable Slack is reported, not retried for minutes
  const clientOptions = { ...(s.slackApiUrl ? { slackApiUrl: s.slackApiUrl } : {}), retryConfig: { retries: 2, factor: 1.5, minTimeout: 200, maxTimeout: 2000 }, timeout: 15_000 };
  const receiver = s.appToken
    ? new SocketModeReceiver({ appToken: s.appToken, logger, installerOptions: { clientOptions } })
    : new HTTPReceiver({ signingSecret: s.signingSecret, endpoints: EVENTS_PATH, logger, processBeforeResponse: false, unhandledRequestTimeoutMillis: 2900 });
  // Bolt refuses a timestamp more than 5 minutes old; one more than 5 minutes ahead is refused here (a clock this
  // far off, or a request made to be replayed later)
  if (receiver instanceof HTTPReceiver) {
    const inner = receiver.requestListener;
    receiver.requestListener = (req, res) => {
      const ts = Number(req.headers['x-slack-request-timestamp']);
      if (Number.isFinite(ts) && ts > Date.now() / 1000 + 300) {
        res.writeHead(401).end();
        return;
      }
      inner(req, res);
    };
  }
  const app = new App({ token: s.botToken, receiver, logger, clientOptions, deferInitialization: true });
  try {
    // auth.test once, now: a wrong token or an unreachable Slack is a clear error at start
    await app.init();
  } catch (err) {
    throw new SettingsError(`Slack did not accept SLACK_BOT_TOKEN (auth.test at ${s.slackApiUrl ?? 'https://slack.com/api/'}): ${(err as Error).message}`);
  }
  const out = new SlackOut(app.client, own);
  const ctx: AnswerContext = { repo: s.repo, env: s.env, webUrl: s.webUrl, engineHost: s.engineHost };
  const approvals = new Approvals({ repo: s.repo, env: s.env, engineHost: s.engineHost, out });
  const failed = (err: unknown) => noteMessage(`bcon could not answer: ${(err as Error).message}`);

  app.command('/bcon', async ({ command, ack, respond }) => {
    const req = parseRequest(command.text);
    // Slack wants an answer within 3 s: say it is coming, then answer through response_url
    await ack(req.kind === 'help' ? undefined : { response_type: 'ephemeral', text: `bcon: working on \`${req.kind}\`…` });
    const reply: Reply = { channel: command.channel_id, answer: (m, inChannel = true) => out.respond(respond as (msg: Record<string, unknown>) => Promise<unknown>, m, inChannel) };
    await answer(req, ctx, out, reply).catch((err: unknown) => reply.answer(failed(err), false));
  });

  app.event('app_mention', async ({ event }) => {
    const req = parseRequest(event.text);
    const thread = event.thread_ts ?? event.ts;
    const reply: Reply = { channel: event.channel, thread, answer: async (m) => void (await out.post(event.channel, m, thread)) };
    await answer(req, ctx, out, reply).catch((err: unknown) => reply.answer(failed(err)));
  });

  const click = (body: { user: { id: string }; channel?: { id: string }; message?: { ts: string }; container?: { message_ts?: string; channel_id?: string }; trigger_id?: string }, value: string | undefined) => {
    const channel = body.channel?.id ?? body.container?.channel_id;
    const ts = body.message?.ts ?? body.container?.message_ts;
    return { slackUser: body.user.id, value, message: channel && ts ? { channel, ts } : undefined, triggerId: body.trigger_id };
  };
  app.action(/^bcon_approve_\d+$/, async ({ ack, body, action }) => {
    await ack();
    await approvals.approve(click(body as Parameters<typeof click>[0], 'value' in action ? (action.value as string | undefined) : undefined));
  });
  app.action('bcon_reject', async ({ ack, body, action }) => {
    await ack();
    await approvals.reject(click(body as Parameters<typeof click>[0], 'value' in action ? (action.value as string | undefined) : undefined));
  });
  app.action('bcon_details', async ({ ack }) => ack());
  app.view(TOTP_CALLBACK, async ({ ack, body, view }) => {
    const code = (view.state.values[CODE_BLOCK]?.[CODE_ACTION]?.value ?? '').trim();
    if (!/^\d{6}$/.test(code)) return void (await ack({ response_action: 'errors', errors: { [CODE_BLOCK]: 'a code is 6 digits from your authenticator app' } }));
    await ack();
    await approvals.code(body.user.id, view.private_metadata, code);
  });
  app.error(async (err) => logger.error(err));
  const feed = new ProposalFeed({ repo: s.repo, out, since: Date.now(), intervalMs: s.feedIntervalMs ?? 5000, pending: pendingProposals, onError: (err) => logger.warn(`posting new proposals: ${(err as Error).message}`) });
  const stop = async () => {
    feed.stop();
    await app.stop();
  };

  if (s.appToken) {
    await app.start();
    feed.start();
    return { endpoint: 'socket', stop };
  }
  const server = (await app.start({ port: s.port, host: s.host })) as Server;
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  feed.start();
  return { endpoint: `http://${host}:${addr.port}${EVENTS_PATH}`, stop };
}
