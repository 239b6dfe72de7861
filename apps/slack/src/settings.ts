import { z } from 'zod';

/** What `bcon slack` needs to run, read from its environment and flags (docs/slack.md). */
export interface SlackSettings {
  botToken: string;
  signingSecret: string;
  /** Socket Mode when set (xapp-…): no public endpoint needed */
  appToken?: string | undefined;
  /** a Slack-compatible Web API base (ends with /api/); default Slack's */
  slackApiUrl?: string | undefined;
  /** where HTTP mode listens */
  host: string;
  port: number;
  /** the web UI's address, for the "details" link of an answer */
  webUrl?: string | undefined;
  /** where bcon.yaml (approvers, hosts) and the compose repository are looked for */
  repo: string;
  /** the environment the engine, BCON_HOME and TOTP secrets come from */
  env: NodeJS.ProcessEnv;
  /** `--host`: one bcon.yaml host (or an address) instead of every host */
  engineHost?: string | undefined;
  /** how often new proposals are looked for, to post them to the notify channels (default 5 s) */
  feedIntervalMs?: number;
}

const LISTEN = /^(?<host>\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(?<port>\d{1,5})$/;

/** `--listen HOST:PORT` (port 0: any free port); a bad value is a clear error, never a guess. */
export function parseListen(value: string): { host: string; port: number } {
  const m = LISTEN.exec(value.trim());
  const port = Number(m?.groups?.['port']);
  if (!m?.groups || !Number.isInteger(port) || port > 65535) throw new SettingsError(`--listen expects HOST:PORT such as 127.0.0.1:3000, got ${JSON.stringify(value)}`);
  return { host: m.groups['host']!.replace(/^\[|\]$/g, ''), port };
}

export class SettingsError extends Error {
  readonly code = 'slack_settings';
}

const EnvSchema = z.object({
  SLACK_BOT_TOKEN: z.string({ error: 'SLACK_BOT_TOKEN is not set (the bot token, xoxb-…)' }).min(1, { error: 'SLACK_BOT_TOKEN is empty' }),
  SLACK_SIGNING_SECRET: z.string({ error: 'SLACK_SIGNING_SECRET is not set (Basic Information → Signing Secret of the Slack app)' }).min(1, { error: 'SLACK_SIGNING_SECRET is empty' }),
  SLACK_APP_TOKEN: z.string().min(1).optional(),
  SLACK_API_URL: z.url({ error: 'SLACK_API_URL must be a URL such as https://slack.com/api/' }).optional(),
  BCON_WEB_URL: z.url({ error: 'BCON_WEB_URL must be a URL such as http://127.0.0.1:7070/' }).optional(),
});

/** The settings from the environment and `--listen`; every problem is named at once. */
export function settingsFromEnv(env: NodeJS.ProcessEnv, listen: string, repo: string, engineHost?: string): SlackSettings {
  const parsed = EnvSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')));
  if (!parsed.success) throw new SettingsError(parsed.error.issues.map((i) => i.message).join('; '));
  const e = parsed.data;
  const apiUrl = e.SLACK_API_URL ? (e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`) : undefined;
  return { botToken: e.SLACK_BOT_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET, appToken: e.SLACK_APP_TOKEN, slackApiUrl: apiUrl, webUrl: e.BCON_WEB_URL, ...parseListen(listen), repo, env, ...(engineHost ? { engineHost } : {}) };
}
