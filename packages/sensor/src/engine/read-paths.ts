/**
 * The engine endpoints the sensor reads, and nothing else: an allow-list, checked on the path as the engine will
 * route it. A deny-list of dangerous paths cannot work here: the engine (Go's net/http) percent-decodes the path
 * before routing, so `/containers/x/attach/w%73` is the websocket attach endpoint, and other spellings (a trailing
 * slash, `//`, `/./`, `..`) are cleaned up or redirected by it. So a path is accepted only when it is written the one
 * way the sensor's own client writes it (each segment exactly `encodeURIComponent` of its value) and, decoded
 * once, names one of the endpoints below.
 */

/** One allowed endpoint: its segments after the optional `/vX.Y` version prefix; a function matches a variable one. */
type Segment = string | ((value: string) => boolean);

/** A container id or name, as the engine accepts it (names: `[a-zA-Z0-9][a-zA-Z0-9_.-]+`). */
const CONTAINER = (v: string) => /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(v);
/**
 * An image id or reference (`sha256:…`, `nginx:1.25`, `registry:5000/team/app@sha256:…`): one segment as the client
 * writes it (its `/` encoded as %2F), decoded to path components of reference characters, none empty or a dot path.
 */
const IMAGE = (v: string) => /^[a-zA-Z0-9][a-zA-Z0-9._:@/-]*$/.test(v) && v.split('/').every((part) => part !== '' && !part.startsWith('.'));

/**
 * Every endpoint `EngineClient` reads (engine/client.ts), with GET or HEAD. Adding a read to the client means
 * adding its endpoint here, deliberately.
 */
export const READ_ENDPOINTS: ReadonlyArray<{ pattern: string; segments: readonly Segment[] }> = [
  { pattern: '/_ping', segments: ['_ping'] },
  { pattern: '/version', segments: ['version'] },
  { pattern: '/info', segments: ['info'] },
  { pattern: '/events', segments: ['events'] },
  // Podman's own events read (stream=false): its /events answers nothing when `until` is in the past (client.ts)
  { pattern: '/libpod/events', segments: ['libpod', 'events'] },
  { pattern: '/containers/json', segments: ['containers', 'json'] },
  { pattern: '/containers/{id}/json', segments: ['containers', CONTAINER, 'json'] },
  { pattern: '/containers/{id}/stats', segments: ['containers', CONTAINER, 'stats'] },
  { pattern: '/containers/{id}/logs', segments: ['containers', CONTAINER, 'logs'] },
  { pattern: '/images/{ref}/json', segments: ['images', IMAGE, 'json'] },
  // a swarm manager's services, tasks and nodes (docs/swarm.md): reads like the rest
  { pattern: '/services', segments: ['services'] },
  { pattern: '/services/{id}', segments: ['services', CONTAINER] },
  { pattern: '/services/{id}/logs', segments: ['services', CONTAINER, 'logs'] },
  { pattern: '/tasks', segments: ['tasks'] },
  { pattern: '/nodes', segments: ['nodes'] },
];

const VERSION = /^v[0-9]{1,2}\.[0-9]{1,3}$/;
/** What a query string may hold: URLSearchParams' output (letters, digits, `*-._`, `+` for a space, %XX, `=`, `&`). */
const QUERY = /^[A-Za-z0-9*\-._+=&%]*$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export type ReadPathCheck = { ok: true; endpoint: string } | { ok: false; reason: string };

/**
 * Is `requestPath` (a request target: path and optional query, as sent on the wire) one of the read endpoints,
 * written canonically? Returns the endpoint's pattern, or why not.
 */
export function checkReadPath(requestPath: string): ReadPathCheck {
  const no = (reason: string): ReadPathCheck => ({ ok: false, reason });
  if (CONTROL.test(requestPath) || /[^\x21-\x7e]/.test(requestPath)) return no('it holds spaces, control or non-ASCII characters');
  if (requestPath.includes('#')) return no('it holds a fragment (#)');
  if (requestPath.includes('\\')) return no('it holds a backslash');
  const q = requestPath.indexOf('?');
  const rawPath = q === -1 ? requestPath : requestPath.slice(0, q);
  const query = q === -1 ? '' : requestPath.slice(q + 1);
  if (!QUERY.test(query)) return no('its query holds characters the sensor never sends');
  if (/%(?![0-9A-Fa-f]{2})/.test(query)) return no('its query holds a malformed percent-escape');
  if (!rawPath.startsWith('/')) return no('it does not start with "/"');
  const rawSegments = rawPath.slice(1).split('/');
  const segments: string[] = [];
  for (const raw of rawSegments) {
    if (raw === '') return no('it has an empty segment (a trailing slash or "//")');
    let value: string;
    try {
      value = decodeURIComponent(raw);
    } catch {
      return no('it holds a malformed percent-escape');
    }
    if (value.includes('%')) return no('it is percent-encoded twice (a "%" is left after decoding once)');
    if (value.includes('\\')) return no('it holds an encoded backslash');
    if (CONTROL.test(value)) return no('it holds an encoded control character');
    if (value === '.' || value === '..' || value.includes('//') || value.split('/').some((p) => p === '.' || p === '..')) {
      return no('it holds a dot segment or "//" (the engine would clean the path up and route it elsewhere)');
    }
    if (encodeURIComponent(value) !== raw) return no(`it is not written canonically ("${raw}" is "${encodeURIComponent(value)}" as the sensor writes it)`);
    segments.push(value);
  }
  const rest = VERSION.test(segments[0] ?? '') ? segments.slice(1) : segments;
  for (const endpoint of READ_ENDPOINTS) {
    if (endpoint.segments.length !== rest.length) continue;
    if (endpoint.segments.every((s, i) => (typeof s === 'string' ? s === rest[i] : s(rest[i] as string)))) return { ok: true, endpoint: endpoint.pattern };
  }
  return no('it is not one of the engine endpoints the sensor reads');
}

/** Request headers that would turn a read into something else (a protocol switch: websocket attach, h2c). */
export function upgradeHeader(headers: Record<string, string | string[] | number | undefined> | undefined): string | undefined {
  if (!headers) return undefined;
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    const text = ([] as unknown[]).concat(value ?? '').join(',');
    if (lower === 'upgrade') return `${name}: ${text}`;
    if (lower === 'connection' && text.split(',').some((t) => t.trim().toLowerCase() === 'upgrade')) return `${name}: ${text}`;
    if (lower === 'http2-settings') return `${name}: ${text}`;
  }
  return undefined;
}
