// @bcon/web/server — `bcon serve`: the web chat UI. A Fastify server over the same ops use-cases as the CLI; every
// route needs the session a one-time token opened; state-changing requests need its CSRF token and this origin.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import Fastify from 'fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { BoardKeeper } from './board.js';
import type { ServeContext } from './context.js';
import { EventHub } from './event-hub.js';
import { ViewRedactor } from './redaction.js';
import { registerChatRoute } from './routes/chat-route.js';
import { registerEventsRoute } from './routes/events-route.js';
import { registerReadRoutes } from './routes/read-routes.js';
import { registerWriteRoutes } from './routes/write-routes.js';
import { CSRF_HEADER, SESSION_COOKIE, SessionGuard, sameOrigin } from './session.js';
import { NEEDS_TOKEN_PAGE, registerStaticFiles } from './static-files.js';

export interface ServeOptions {
  /** HOST:PORT (default 127.0.0.1:7070; port 0 picks a free one) */
  listen?: string;
  /** the compose repository and where bcon.yaml is looked for (default: the working directory) */
  repo?: string;
  /** who approves from the page (default: BCON_ACTOR, else user/<login>) */
  actor?: string;
  /** the --host of bcon serve, if any */
  host?: string;
  env?: NodeJS.ProcessEnv;
  /** how often the board is read while a page is open (default 5 s) */
  refreshMs?: number;
  /** where the built client is (default: dist/client beside this file) */
  clientDir?: string;
}

export interface RunningServer {
  /** the URL with the one-time token, to print once */
  url: string;
  /** the URL without the token */
  origin: string;
  close(): Promise<void>;
}

function parseListen(listen: string): { host: string; port: number } {
  const m = /^(\[[0-9a-f:]+\]|[^:]+):(\d{1,5})$/i.exec(listen.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) {
    throw Object.assign(new Error(`--listen expects HOST:PORT, such as 127.0.0.1:7070 (got "${listen}")`), { code: 'bad_listen', exitCode: 2 });
  }
  return { host: (m[1] as string).replace(/^\[|\]$/g, ''), port };
}

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** Start `bcon serve`; resolves once it listens. */
export async function startServer(options: ServeOptions = {}): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const repo = path.resolve(options.repo ?? process.cwd());
  const { host, port } = parseListen(options.listen ?? '127.0.0.1:7070');
  const { actorName } = await import('@bcon/ops');
  const { resolveTargets, selectedTargets } = await import('@bcon/ops/targets');
  const selection = await resolveTargets({ cwd: repo, host: options.host, env });
  const targets = selectedTargets(selection);
  const hub = new EventHub();
  const ctx: ServeContext = { selection, targets, repo, actor: actorName(options.actor, env), redactor: new ViewRedactor(() => targets), hub, windowSeconds: 1800 };
  const board = new BoardKeeper(ctx, options.refreshMs ?? 5000);
  const guard = new SessionGuard();
  const clientDir = options.clientDir ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'client');

  // open event streams would keep close() waiting: every connection is ended with the server
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024, forceCloseConnections: true });
  await app.register(cookie);
  let origins = new Set<string>();

  const refuse = (req: FastifyRequest, reply: FastifyReply, status: number, code: string, message: string) => {
    if (req.url.startsWith('/api/') || req.method !== 'GET') return reply.code(status).headers(SECURITY_HEADERS).send({ error: { code, message } });
    return reply.code(status).headers(SECURITY_HEADERS).type('text/html; charset=utf-8').send(NEEDS_TOKEN_PAGE);
  };

  app.addHook('onRequest', async (req, reply) => {
    // a name this server does not answer to (DNS rebinding) gets nothing
    const own = `http://${req.headers.host ?? ''}`;
    if (!origins.has(own)) return refuse(req, reply, 421, 'wrong_host', 'this server answers to its own address only');
    const url = new URL(req.url, own);
    const token = url.searchParams.get('token');
    if (token !== null) {
      const s = req.method === 'GET' ? guard.exchange(token) : undefined;
      if (!s) return refuse(req, reply, 401, 'needs_token', 'the token is wrong or was used before: restart bcon serve for a new one');
      url.searchParams.delete('token');
      return reply
        .headers(SECURITY_HEADERS)
        .setCookie(SESSION_COOKIE, s.id, { httpOnly: true, sameSite: 'strict', path: '/' })
        .redirect(`${url.pathname}${url.search}`, 303);
    }
    const session = guard.session(req.cookies[SESSION_COOKIE]);
    if (!session) return refuse(req, reply, 401, 'needs_token', 'open the URL bcon serve printed (it carries a one-time token)');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      if (!sameOrigin(req.headers, own)) return refuse(req, reply, 403, 'cross_origin', 'refused: the request did not come from this page (Origin)');
      if (!guard.csrfOk(session, req.headers[CSRF_HEADER])) return refuse(req, reply, 403, 'csrf', 'refused: the request has no valid CSRF token');
    }
    void reply.headers(SECURITY_HEADERS);
    (req as FastifyRequest & { csrf?: string }).csrf = session.csrf;
  });

  // everything the server says passes the redaction (the page shows nothing the CLI would not print)
  app.addHook('preSerialization', async (req, _reply, payload) => {
    // the session's own CSRF token is random enough to look like a secret: that one route is left as it is
    if ((req.routeOptions.config as { redact?: boolean } | undefined)?.redact === false) return payload;
    await ctx.redactor.seed();
    return ctx.redactor.value(payload);
  });

  app.setErrorHandler((err: Error & { code?: string; exitCode?: number; statusCode?: number }, _req, reply) => {
    if (err instanceof ZodError) return reply.code(400).send({ error: { code: 'bad_request', message: err.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') } });
    if (err.name === 'OpsError') return reply.code(err.code === 'unknown_proposal' || err.code === 'unknown_service' ? 404 : 409).send({ error: { code: err.code, message: err.message } });
    if (err.statusCode && err.statusCode < 500) return reply.code(err.statusCode).send({ error: { code: 'bad_request', message: err.message } });
    return reply.code(500).send({ error: { code: err.code ?? 'internal', message: err.message } });
  });

  app.get('/api/session', { config: { redact: false } }, async (req) => ({ csrf: (req as FastifyRequest & { csrf?: string }).csrf, actor: ctx.actor, hosts: targets.map((t) => t.name ?? 'local'), repo }));
  registerReadRoutes(app, ctx, board);
  registerWriteRoutes(app, ctx, () => void board.refresh().catch(() => undefined));
  registerChatRoute(app, ctx, board);
  registerEventsRoute(app, ctx, board);
  registerStaticFiles(app, clientDir);

  await app.listen({ host, port });
  const address = app.server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  const shown = host.includes(':') ? `[${host}]` : host;
  origins = new Set([`http://${shown}:${bound}`, ...(host === '127.0.0.1' || host === '::1' ? [`http://localhost:${bound}`] : [])]);
  if (host === '0.0.0.0' || host === '::') origins = new Set([...origins, `http://127.0.0.1:${bound}`, `http://localhost:${bound}`]);
  board.start();
  const origin = `http://${shown}:${bound}`;
  return {
    url: `${origin}/?token=${guard.pendingToken}`,
    origin,
    close: async () => {
      board.stop();
      await app.close();
    },
  };
}
