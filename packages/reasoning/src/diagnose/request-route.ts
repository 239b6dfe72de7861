// The route a request log line names (`POST /login`), so that one slow route shows beside fast ones: a service whose
// median is fine can still be slow where a person feels it (a login that waits on a directory server).

const METHOD = '(GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS|PROPFIND|PROPPATCH|MKCOL|COPY|MOVE|LOCK|UNLOCK|REPORT)';
// `"POST /login HTTP/1.1"` (combined log, uvicorn, gunicorn, traefik); morgan `POST /login 200 38.1 ms`
const PLAIN = new RegExp(String.raw`(?:^|[\s"])${METHOD} (/[^\s"?#]{0,2048})`);
// gin `| POST     "/login"`
const GIN = new RegExp(String.raw`\|\s{0,8}${METHOD}\s{1,12}"(/[^"?#]{0,2048})`);
// logfmt `method=POST path=/login` (also uri=, url=, route=); JSON `"method":"POST" … "path":"/login"`
const LOGFMT_METHOD = new RegExp(String.raw`(?<!\S)method="?${METHOD}"?(?!\S)`);
const LOGFMT_PATH = /(?<!\S)(?:path|uri|url|route|request_uri)="?(\/[^\s"?#]{0,2048})/;
const JSON_METHOD = new RegExp(String.raw`"(?:method|http_method|RequestMethod)"\s?:\s?"${METHOD}"`);
const JSON_PATH = /"(?:path|uri|url|route|request_uri|requestURI|RequestPath)"\s?:\s?"(\/[^"?#]{0,2048})/;

/** A path segment that is an identifier (a number, a UUID, a hash, a long token): one route whatever its value. */
function segment(s: string): string {
  if (/^\d+$/.test(s)) return ':n';
  if (/^[0-9a-f]{8,}$/i.test(s) && /\d/.test(s)) return ':id';
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s)) return ':id';
  // a generated id (a Grafana uid, a ULID, a nanoid): eight or more letters and digits mixed
  if (s.length >= 8 && /^[\w-]+$/.test(s) && /\d/.test(s) && /[a-z]/i.test(s)) return ':id';
  if (s.length > 40) return ':x';
  return s;
}

/** `/api/orders/1234/items?x=1` → `/api/orders/:n/items` (six segments at most). */
export function routePath(path: string): string {
  const parts = path.split('/').filter((p) => p.length > 0).slice(0, 6).map(segment);
  return `/${parts.join('/')}`;
}

/** `POST /login` for a request line that names its method and path, undefined otherwise. */
export function requestRoute(text: string): string | undefined {
  const line = text.length > 4096 ? text.slice(0, 4096) : text;
  for (const re of [GIN, PLAIN]) {
    const m = re.exec(line);
    if (m?.[1] && m[2] !== undefined) return `${m[1]} ${routePath(m[2])}`;
  }
  const json = /^\s{0,16}\{/.test(line);
  const method = (json ? JSON_METHOD : LOGFMT_METHOD).exec(line)?.[1];
  const path = (json ? JSON_PATH : LOGFMT_PATH).exec(line)?.[1];
  return method && path !== undefined ? `${method} ${routePath(path)}` : undefined;
}
