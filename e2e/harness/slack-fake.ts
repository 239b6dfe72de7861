// The local stand-in for Slack (the one allowed fake besides a hosted model): the Web API methods the bot calls
// (auth.test, chat.postMessage, chat.update, chat.postEphemeral, views.open, apps.connections.open), the
// response_url endpoint a slash command's answer is posted to, and the Socket Mode websocket that
// apps.connections.open hands out. Every request is recorded with its raw body, for assertions and leak checks.
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';

export interface SlackCall {
  /** a Web API method (chat.postMessage …), or `response_url` */
  method: string;
  /** the form or JSON body, with `blocks`/`view` decoded */
  body: Record<string, unknown>;
  raw: string;
  /** the bearer token the call carried */
  token: string | undefined;
  /** for response_url: the path's id */
  responseId?: string;
  /** what the fake answered (a Web API method) */
  response?: Record<string, unknown>;
  at: number;
}

export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export interface FakeSlack {
  /** base of the Web API, as SLACK_API_URL */
  apiUrl: string;
  /** a response_url for one slash command or click */
  responseUrl(id: string): string;
  calls: SlackCall[];
  /** every text Slack received, raw bodies and websocket messages (leak checks) */
  allText(): string;
  /** what the bot sent over the Socket Mode websocket (acks with their payloads) */
  socketMessages(): string[];
  waitForCall(pred: (c: SlackCall) => boolean, timeoutMs?: number, what?: string): Promise<SlackCall>;
  /** Socket Mode: resolves when a bot connected through apps.connections.open and got hello */
  socketConnected(timeoutMs?: number): Promise<void>;
  /** Socket Mode: send an envelope, resolve with the bot's ack */
  sendEnvelope(type: 'slash_commands' | 'interactive' | 'events_api', payload: Record<string, unknown>, timeoutMs?: number): Promise<SocketAck>;
  close(): Promise<void>;
}

const BOT_USER = 'UBCONBOT1';
const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    let s = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (s += d));
    req.on('end', () => resolve(s));
    req.on('error', reject);
  });

function decode(raw: string, type: string | undefined): Record<string, unknown> {
  let body: Record<string, unknown>;
  if ((type ?? '').includes('application/json')) body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  else body = Object.fromEntries(new URLSearchParams(raw));
  for (const k of ['blocks', 'view', 'attachments']) {
    const v = body[k];
    if (typeof v === 'string') {
      try {
        body[k] = JSON.parse(v);
      } catch {
        // kept as sent
      }
    }
  }
  return body;
}

export async function startFakeSlack(options: { appToken?: string; botToken: string }): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  const socketText: string[] = [];
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const w of [...waiters]) w();
  };
  let ts = 1_700_000_000;
  let base = '';
  let socket: WebSocket | undefined;
  let helloSent = false;
  const acks = new Map<string, (a: SocketAck) => void>();

  const answer = (method: string, body: Record<string, unknown>, token: string | undefined): Record<string, unknown> => {
    if (method === 'apps.connections.open') {
      if (!options.appToken || token !== options.appToken) return { ok: false, error: 'invalid_auth' };
      return { ok: true, url: `${base.replace(/^http/, 'ws')}/link/?ticket=e2e` };
    }
    if (token !== options.botToken) return { ok: false, error: 'invalid_auth' };
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://e2e.slack.local/', team: 'e2e', user: 'bcon', team_id: 'T0E2E0001', user_id: BOT_USER, bot_id: 'B0E2E0001', is_enterprise_install: false };
      case 'chat.postMessage': {
        ts += 1;
        return { ok: true, channel: body['channel'], ts: `${ts}.000100`, message: { text: body['text'], ts: `${ts}.000100`, user: BOT_USER } };
      }
      case 'chat.update':
        return { ok: true, channel: body['channel'], ts: body['ts'], text: body['text'] };
      case 'chat.postEphemeral':
        ts += 1;
        return { ok: true, message_ts: `${ts}.000200` };
      case 'views.open':
        return { ok: true, view: { id: `V${ts}`, ...(body['view'] as object) } };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://x');
      const auth = req.headers.authorization;
      const token = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
      const body = decode(raw, req.headers['content-type']);
      const api = /^\/api\/([A-Za-z.]+)$/.exec(url.pathname);
      const resp = /^\/response\/([A-Za-z0-9_-]+)$/.exec(url.pathname);
      if (api?.[1]) {
        const method = api[1];
        const given = token ?? (typeof body['token'] === 'string' ? body['token'] : undefined);
        const response = answer(method, body, given);
        calls.push({ method, body, raw, token: given, response, at: Date.now() });
        notify();
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(response));
        return;
      }
      if (resp?.[1]) {
        calls.push({ method: 'response_url', body, raw, token: undefined, responseId: resp[1], at: Date.now() });
        notify();
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
        return;
      }
      res.writeHead(404);
      res.end();
    })();
  });
  const wss = new WebSocketServer({ server, path: '/link/' });
  wss.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (data) => {
      const text = String(data);
      socketText.push(text);
      try {
        const m = JSON.parse(text) as SocketAck;
        acks.get(m.envelope_id)?.(m);
      } catch {
        // not an ack
      }
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'e2e', approximate_connection_time: 3600 }, connection_info: { app_id: 'A0E2E0001' } }));
    helloSent = true;
    notify();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const until = (ok: () => boolean, timeoutMs: number, what: string) =>
    new Promise<void>((resolve, reject) => {
      if (ok()) return resolve();
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`fake Slack: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const check = () => {
        if (!ok()) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
    });

  let envelopes = 0;
  return {
    apiUrl: `${base}/api/`,
    responseUrl: (id) => `${base}/response/${id}`,
    calls,
    allText: () => [...calls.map((c) => c.raw), ...socketText].join('\n'),
    socketMessages: () => [...socketText],
    async waitForCall(pred, timeoutMs = 60_000, what = 'a Slack call') {
      let found: SlackCall | undefined;
      await until(() => (found = calls.find(pred)) !== undefined, timeoutMs, what);
      return found as SlackCall;
    },
    socketConnected: (timeoutMs = 30_000) => until(() => helloSent && socket !== undefined, timeoutMs, 'the bot to open a Socket Mode connection'),
    sendEnvelope(type, payload, timeoutMs = 10_000) {
      const ws = socket;
      if (!ws) return Promise.reject(new Error('fake Slack: no Socket Mode connection'));
      envelopes += 1;
      const id = `env-${envelopes}-${Date.now()}`;
      return new Promise<SocketAck>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`fake Slack: no ack for envelope ${id} within ${timeoutMs} ms`)), timeoutMs);
        acks.set(id, (a) => {
          clearTimeout(timer);
          resolve(a);
        });
        ws.send(JSON.stringify({ envelope_id: id, type, payload, accepts_response_payload: type !== 'events_api' }));
      });
    },
    async close() {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
