import { createHash } from 'node:crypto';

import { SECRET_NAME } from '../redact/secret-name.js';

/**
 * Environment values are untrusted and may be secrets: a value whose name looks secret is shown as a short
 * fingerprint, so a difference stays visible without the value leaving the process.
 */
export function redactEnvValue(name: string, value: string | null): string | null {
  if (value === null) return null;
  if (!SECRET_NAME.test(name)) return value;
  return `<redacted sha256:${createHash('sha256').update(value).digest('hex').slice(0, 8)}>`;
}
