import { Flags } from '@oclif/core';
import { BconCommand } from '../lib/base-command.js';
import { InputError } from '../lib/input-error.js';

export default class Slack extends BconCommand {
  static override summary = 'Run the Slack bot: /bcon status, why, drift, ask, proposals, and Approve/Reject buttons.';
  static override description = `Answers the slash command /bcon and @mentions with the same read-only use-cases as the CLI, in Block Kit,
redacted as the CLI redacts. Proposals are posted with Approve/Reject buttons; the clicking Slack user must be an
approver in bcon.yaml (approvers: { alice: { slack: U0123 } }); prohibited-tier options need a one-time code from each
of two approvers. Needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET; with SLACK_APP_TOKEN it connects in Socket Mode
(no public endpoint), otherwise it listens on --listen at /slack/events. SLACK_API_URL points it at a
Slack-compatible Web API; BCON_WEB_URL adds "details" links. Runs until SIGINT/SIGTERM. See docs/slack.md.`;
  static override examples = ['SLACK_BOT_TOKEN=xoxb-… SLACK_SIGNING_SECRET=… <%= config.bin %> slack --repo ~/stacks', 'SLACK_APP_TOKEN=xapp-… <%= config.bin %> slack'];
  static override flags = {
    listen: Flags.string({ description: 'HOST:PORT for HTTP mode (port 0: any free port).', default: '127.0.0.1:3000' }),
    repo: Flags.string({ description: 'The compose repository holding bcon.yaml (approvers, hosts); default: the working directory.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Slack);
    const { settingsFromEnv, startSlackBot, SettingsError } = await import('@bcon/slack/bot');
    let bot: Awaited<ReturnType<typeof startSlackBot>>;
    try {
      bot = await startSlackBot(settingsFromEnv(process.env, flags.listen, flags.repo ?? process.cwd(), flags.host));
    } catch (err) {
      if (err instanceof SettingsError) throw new InputError(err.message, 'slack_settings');
      throw err;
    }
    this.log(bot.endpoint === 'socket' ? 'bcon slack: connected in Socket Mode' : `bcon slack: listening on ${bot.endpoint}`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        void bot.stop().finally(resolve);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    // a server command: once stopped, nothing is left to finish (the Web API client may still hold retry timers)
    process.exit(0);
  }
}
