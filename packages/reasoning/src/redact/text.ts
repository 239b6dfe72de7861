import { SecretBook } from './book.js';

/**
 * Secrets that show up in logs, labels, env values and commands, masked with `***` before text is printed or
 * stored (the LLM gateway masks the same finds with placeholders: ai/redactor.ts). Conservative: it masks the
 * value and keeps the key or flag, so the text still says what it was. A value found anywhere in the text
 * (`password=X` on its last line) is masked everywhere in it.
 */
export function redactText(text: string): string {
  return new SecretBook().mask(text, () => '***');
}
