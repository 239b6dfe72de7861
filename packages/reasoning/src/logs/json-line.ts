/**
 * A structured (JSON) log line as words the miner can compare: the message first (`msg`, `message`, or another
 * common message field), then every other top-level field as one `key=value` token (spaces inside a value become
 * `_`, so a field stays one token). `{"level":"info","msg":"request served","path":"/a/1"}` reads `request served
 * level=info path=/a/1`: the message's words key the tree and tell events apart, the fields are values under their
 * keys. Anything that is not a JSON object on one line: undefined.
 */
export const MESSAGE_FIELDS = ['msg', 'message', 'event', 'log'];

/** A structured line read as its message (when it has one) and its other fields, in their order. */
export interface StructuredLine {
  message?: string;
  fields: Array<[string, string]>;
}

/** The message and fields of a JSON object on one line; anything else: undefined. */
export function jsonLineFields(line: string): StructuredLine | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const values = parsed as Record<string, unknown>;
  const messageKey = MESSAGE_FIELDS.find((k) => typeof values[k] === 'string');
  const fields: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(values)) {
    if (key === messageKey) continue;
    fields.push([key.replace(/\s+/g, '_'), (typeof value === 'string' ? value : (JSON.stringify(value) ?? '')).replace(/\s+/g, '_')]);
  }
  return messageKey ? { message: (values[messageKey] as string).trim(), fields } : { fields };
}

export function jsonLineText(line: string): string | undefined {
  const read = jsonLineFields(line);
  if (!read) return undefined;
  const words = read.message !== undefined ? [read.message] : [];
  for (const [key, value] of read.fields) words.push(`${key}=${value}`);
  return words.join(' ');
}
