import type { WebClient } from '@slack/web-api';
import type { SlackMessage } from './blocks.js';
import { redactPayload } from './redact-payload.js';

/**
 * Everything the bot sends to Slack goes through here, redacted as the CLI redacts what it prints (and never
 * containing the bot's own tokens): messages, updates, ephemeral notes, response_url answers and modals.
 */
export class SlackOut {
  constructor(
    private readonly client: WebClient,
    private readonly own: readonly string[],
  ) {}

  private safe<T>(payload: T): T {
    return redactPayload(payload, this.own);
  }

  async post(channel: string, m: SlackMessage, threadTs?: string): Promise<string | undefined> {
    const res = await this.client.chat.postMessage(this.safe({ channel, text: m.text, blocks: m.blocks, ...(threadTs ? { thread_ts: threadTs } : {}), unfurl_links: false }) as Parameters<WebClient['chat']['postMessage']>[0]);
    return res.ts;
  }

  async update(channel: string, ts: string, m: SlackMessage): Promise<void> {
    await this.client.chat.update(this.safe({ channel, ts, text: m.text, blocks: m.blocks }) as Parameters<WebClient['chat']['update']>[0]);
  }

  async ephemeral(channel: string, user: string, m: SlackMessage): Promise<void> {
    await this.client.chat.postEphemeral(this.safe({ channel, user, text: m.text, blocks: m.blocks }) as Parameters<WebClient['chat']['postEphemeral']>[0]);
  }

  async openView(triggerId: string, view: Record<string, unknown>): Promise<void> {
    await this.client.views.open(this.safe({ trigger_id: triggerId, view }) as unknown as Parameters<WebClient['views']['open']>[0]);
  }

  /** An answer through a slash command's response_url (Bolt's respond), in the channel or only to the asker. */
  async respond(respond: (msg: Record<string, unknown>) => Promise<unknown>, m: SlackMessage, inChannel: boolean): Promise<void> {
    await respond(this.safe({ response_type: inChannel ? 'in_channel' : 'ephemeral', text: m.text, blocks: m.blocks, replace_original: false }));
  }
}
