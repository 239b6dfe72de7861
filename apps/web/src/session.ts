import { randomBytes, timingSafeEqual } from 'node:crypto';

/** The cookie that carries a browser's session (HttpOnly, SameSite=Strict, path /). */
export const SESSION_COOKIE = 'bcon_session';
/** The header every state-changing request carries its session's CSRF token in. */
export const CSRF_HEADER = 'x-bcon-csrf';

const secret = (): string => randomBytes(32).toString('base64url');

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface Session {
  id: string;
  csrf: string;
  createdAt: number;
}

/**
 * Who may use the server: one token, printed once in the URL, that opens exactly one session and is then spent;
 * each session has its own CSRF token (given to the page by GET /api/session, sent back in a header). Everything
 * is in memory: a restarted server prints a new token and forgets every session.
 */
export class SessionGuard {
  private token: string | undefined = secret();
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly ttlMs = 12 * 3600_000) {}

  /** The one-time token (undefined once spent). */
  get pendingToken(): string | undefined {
    return this.token;
  }

  /** Spend the token: a new session, or undefined when the token is wrong or was used before. */
  exchange(token: string): Session | undefined {
    if (!this.token || !same(token, this.token)) return undefined;
    this.token = undefined;
    const s: Session = { id: secret(), csrf: secret(), createdAt: Date.now() };
    this.sessions.set(s.id, s);
    return s;
  }

  /** The live session of a cookie value, if any. */
  session(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const s = this.sessions.get(id);
    if (!s) return undefined;
    if (Date.now() - s.createdAt > this.ttlMs) {
      this.sessions.delete(id);
      return undefined;
    }
    return s;
  }

  /** A state-changing request's CSRF header matches its session's token. */
  csrfOk(s: Session, header: string | string[] | undefined): boolean {
    return typeof header === 'string' && same(header, s.csrf);
  }
}

/**
 * A state-changing request came from this server's own page: its Origin (or, when a browser sends none, its
 * Referer) is the origin the page was served from. A missing Origin and Referer is refused too.
 */
export function sameOrigin(headers: Record<string, string | string[] | undefined>, ownOrigin: string): boolean {
  const origin = headers['origin'];
  if (typeof origin === 'string') return origin === ownOrigin;
  const referer = headers['referer'];
  if (typeof referer !== 'string') return false;
  try {
    return new URL(referer).origin === ownOrigin;
  } catch {
    return false;
  }
}
