import { SecretBook } from '@bcon/reasoning/redact';

function strings(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
}

function mapStrings<T>(value: T, f: (s: string) => string): T {
  if (typeof value === 'string') return f(value) as T;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)])) as T;
  return value;
}

/**
 * Every string of a Slack payload (text, blocks, a view) masked as the CLI masks what it prints (redactText's
 * rules, `***`), with one book for the whole message: a value named as a secret in one block is masked in every
 * other block too. `known` are values that are secret whatever their shape (the bot's own tokens).
 */
export function redactPayload<T>(payload: T, known: readonly string[] = []): T {
  const book = new SecretBook();
  for (const k of known) if (k) book.add(k, 'slack', true);
  const all: string[] = [];
  strings(payload, all);
  book.learn(all.join('\n'));
  return mapStrings(payload, (s) => book.mask(s, () => '***'));
}
