/**
 * A structured (JSON) log line as words the miner can compare: the message first (`msg`, `message`, or another
 * common message field), then every other top-level field as one `key=value` token (spaces inside a value become
 * `_`, so a field stays one token). `{"level":"info","msg":"request served","path":"/a/1"}` reads `request served
 * level=info path=/a/1`: the message's words key the tree and tell events apart, the fields are values under their
 * keys. Anything that is not a JSON object on one line: undefined.
 */
const MESSAGE_FIELDS = ['msg', 'message', 'event', 'log'];

export function jsonLineText(line: string): string | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const fields = parsed as Record<string, unknown>;
  const messageKey = MESSAGE_FIELDS.find((k) => typeof fields[k] === 'string');
  const words: string[] = messageKey ? [(fields[messageKey] as string).trim()] : [];
  for (const [key, value] of Object.entries(fields)) {
    if (key === messageKey) continue;
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    words.push(`${key.replace(/\s+/g, '_')}=${(text ?? '').replace(/\s+/g, '_')}`);
  }
  return words.join(' ');
}
