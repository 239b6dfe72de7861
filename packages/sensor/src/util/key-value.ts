/**
 * `KEY=VALUE` items (a container's Env, compose's list syntax) as a map; a bare `KEY` maps to null. `separators`
 * are tried in order (compose's extra_hosts accepts `HOST=IP` and `HOST:IP`).
 */
export function keyValueList(items: readonly string[], separators = '='): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const text of items) {
    let at = -1;
    for (const sep of separators) if (at < 0) at = text.indexOf(sep);
    if (at < 0) out[text] = null;
    else out[text.slice(0, at)] = text.slice(at + 1);
  }
  return out;
}
