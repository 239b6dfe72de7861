/**
 * A structured (JSON) log line as the miner reads it: the message (`msg`, `message`, or another common message
 * field), then every other top-level field. With a message, the miner keeps the message's words and the field names
 * (`{"level":"info","msg":"request served","path":"/a/1"}` reads `request served level=<*> path=<*>`, mask.ts
 * `readLine`); without one, each field is one `key=value` token (spaces inside a value become `_`, so a field stays
 * one token). Anything that is not a JSON object on one line: undefined.
 */
export const MESSAGE_FIELDS = ['msg', 'message', 'event', 'log'];

/** A structured line read as its message (when it has one) and its other fields, in their order (with a message, the values are left empty). */
export interface StructuredLine {
  message?: string;
  fields: Array<[string, string]>;
  /** the line is its pairs alone, every value a variable: its keys name the event (`type=…, realmId=…, error=…`) */
  keyed?: boolean;
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
  // with a message, the fields are values under their names (the miner keeps only the names): no need to write them
  for (const [key, value] of Object.entries(values)) {
    if (key === messageKey) continue;
    const text = messageKey ? '' : typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
    fields.push([key.replace(/\s+/g, '_'), text.replace(/\s+/g, '_')]);
  }
  return messageKey ? { message: (values[messageKey] as string).trim(), fields } : { fields };
}
