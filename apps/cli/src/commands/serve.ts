import { Flags } from '@oclif/core';
import { BconCommand } from '../lib/base-command.js';
import { InputError } from '../lib/input-error.js';

export default class Serve extends BconCommand {
  static override summary = 'Run the web UI: a live status board, diagnoses, drift, logs, cost, the audit log, proposals to approve, and a chat box.';
  static override description = `Serves the same read-only use-cases and the same approvals as the CLI in a browser, redacted as the CLI
redacts. It prints its URL once, with a one-time token: the first browser to open it gets an HttpOnly session cookie
and the token is spent; nothing (page, API, event stream, asset) is served without that session, and every
state-changing request also needs the session's CSRF token and this server's Origin. Approvals run through the one
write path (channel web, actor BCON_ACTOR or --actor). Binds 127.0.0.1 unless --listen says otherwise. Runs until
SIGINT/SIGTERM. See docs/web.md.`;
  static override examples = ['<%= config.bin %> serve', 'cd ~/stacks && <%= config.bin %> serve --listen 127.0.0.1:8080', 'BCON_LLM_BASE_URL=http://127.0.0.1:11434/v1 BCON_LLM_MODEL=llama3.1 <%= config.bin %> serve'];
  static override flags = {
    listen: Flags.string({ description: 'HOST:PORT to listen on (port 0: any free port).', default: '127.0.0.1:7070' }),
    repo: Flags.string({ description: 'The compose repository (bcon.yaml, drift, guardrails); default: the working directory.' }),
    actor: Flags.string({ description: 'Who approves from the page (default: BCON_ACTOR, else user/<login>).' }),
    refresh: Flags.integer({ description: 'Seconds between board refreshes while a page is open.', default: 5, min: 1 }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Serve);
    const { startServer } = await import('@bcon/web/server');
    let server: Awaited<ReturnType<typeof startServer>>;
    try {
      server = await startServer({ listen: flags.listen, repo: flags.repo ?? process.cwd(), actor: flags.actor, host: flags.host, refreshMs: flags.refresh * 1000 });
    } catch (err) {
      const e = err as Error & { code?: string };
      if (e.code === 'bad_listen' || e.code === 'EADDRINUSE' || e.code === 'EACCES' || e.code === 'EADDRNOTAVAIL') throw new InputError(e.code === 'bad_listen' ? e.message : `cannot listen on ${flags.listen}: ${e.message}`, e.code === 'bad_listen' ? 'bad_listen' : 'listen_failed');
      throw err;
    }
    const host = new URL(server.origin).hostname;
    if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') this.warn(`listening on ${host}: anyone who can reach it and gets the URL can use it; keep it on 127.0.0.1 and tunnel (ssh -L) instead`);
    this.log(`bcon serve: open ${server.url}`);
    this.log('(the token works once: the first browser that opens it gets the session)');
    await new Promise<void>((resolve) => {
      const stop = () => {
        void server.close().finally(resolve);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  }
}
