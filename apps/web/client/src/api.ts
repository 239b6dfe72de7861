/** The page's side of the server's rules: the session cookie goes by itself; state-changing requests carry the CSRF token. */
let csrf = '';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface SessionInfo {
  csrf: string;
  actor: string;
  hosts: string[];
  repo: string;
}

async function parse<T>(r: Response): Promise<T> {
  const body = (await r.json().catch(() => ({}))) as { error?: { code: string; message: string } };
  if (!r.ok) throw new ApiError(body.error?.message ?? `HTTP ${r.status}`, body.error?.code ?? 'http', r.status);
  return body as T;
}

export async function openSession(): Promise<SessionInfo> {
  const s = await parse<SessionInfo>(await fetch('/api/session', { headers: { accept: 'application/json' } }));
  csrf = s.csrf;
  return s;
}

export async function get<T>(path: string): Promise<T> {
  return parse<T>(await fetch(path, { headers: { accept: 'application/json' } }));
}

export async function post<T>(path: string, body: unknown): Promise<T> {
  return parse<T>(await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-bcon-csrf': csrf, accept: 'application/json' }, body: JSON.stringify(body) }));
}

/** A POST answered as server-sent events (the chat): each event as it arrives. */
export async function postStream(path: string, body: unknown, onEvent: (event: string, data: unknown) => void): Promise<void> {
  const r = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-bcon-csrf': csrf, accept: 'text/event-stream' }, body: JSON.stringify(body) });
  if (!r.ok || !r.body) {
    await parse(r);
    return;
  }
  const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let at: number;
    while ((at = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, at);
      buffer = buffer.slice(at + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (data !== undefined) onEvent(event, JSON.parse(data));
    }
  }
}

/** The live stream: board refreshes and approvals. */
export function liveEvents(onEvent: (event: string, data: unknown) => void): () => void {
  const es = new EventSource('/api/events');
  for (const name of ['board', 'approval']) es.addEventListener(name, (e) => onEvent(name, JSON.parse((e as MessageEvent<string>).data)));
  return () => es.close();
}
