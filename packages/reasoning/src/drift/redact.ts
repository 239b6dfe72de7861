import { createHmac } from 'node:crypto';

import { isSecretName } from '../redact/secret-name.js';
import { redactText } from '../redact/text.js';
import type { DriftDifference } from './schema.js';

/**
 * The per-installation key secret-named values are fingerprinted with (an HMAC, so a fingerprint cannot be
 * reversed by hashing a dictionary without the key). Reasoning reads no file: the caller passes it in (bcon's CLI
 * keeps it in BCON_HOME/drift.key). Without one, a secret-named value is only said to have changed.
 */
export type FingerprintKey = Uint8Array;

/** `<redacted hmac:…>` with the key; `<redacted>` without one. */
export function secretFingerprint(value: string, key?: FingerprintKey): string {
  if (!key || key.length === 0) return '<redacted>';
  return `<redacted hmac:${createHmac('sha256', key).update(value).digest('hex').slice(0, 12)}>`;
}

/** A name that is not a credential by itself: a plain user name kept in `user@host`, anything else masked. */
const PLAIN_USER = /^[a-z_][a-z0-9_.-]{0,19}$/i;

/**
 * Credentials inside a URL: `scheme://user:password@host` keeps the user and masks the password (the password may
 * itself hold `@`, `/` or `:`: everything up to the last `@` of the word is masked); a user alone (`https://TOKEN@`)
 * is masked unless it looks like a plain user name.
 */
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)([^\s:@/?#]*)(?::\S*)?@(?=[^\s@]*(?:\s|$))/gi;
const URL_USER_AND_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/)([^\s:@/?#]*):/i;

/** `NAME=value`, `NAME: value`, `"NAME": "value"`, `--NAME=value` where NAME says it is a secret. */
const SECRET_ASSIGNMENT = /([A-Za-z_][\w.-]*)((?:["']\s*:|\s*=|:\s)\s*)(["']?)([^\s"',;&}]+)/g;

/** A fingerprint made before drift had a key (an unsalted sha256 prefix: reversible with a dictionary). */
const OLD_FINGERPRINT = /<redacted sha256:[0-9a-f]{8}>/g;

/**
 * Mask every credential bcon can recognise in a value drift prints: URL passwords, secret-named assignments, and
 * the token shapes and headers of `redactText`. Idempotent.
 */
export function maskCredentials(text: string): string {
  let out = text.replace(URL_CREDENTIALS, (match: string, scheme: string, user: string) => {
    if (URL_USER_AND_PASSWORD.test(match)) return `${scheme}${user}:***@`;
    return user === '' || user === '***' || PLAIN_USER.test(user) ? match : `${scheme}***@`;
  });
  out = out.replace(SECRET_ASSIGNMENT, (match: string, name: string, sep: string, quote: string, value: string) =>
    isSecretName(name) && value !== '***' && !value.startsWith('<redacted') ? `${name}${sep}${quote}***` : match,
  );
  out = out.replace(OLD_FINGERPRINT, '<redacted>');
  return redactText(out);
}

/** A flag that names a secret and takes the next argument as its value: `--password`, `--api-key`. */
const SECRET_FLAG = /^-{1,2}[A-Za-z][\w.-]*$/;

/**
 * Every string inside a value masked; in a list, the argument after a secret-named flag too; under a secret name
 * (an env var or label of a report stored before drift fingerprinted them all), the value itself.
 */
export function maskDeep(value: unknown): unknown {
  if (typeof value === 'string') return maskCredentials(value);
  if (Array.isArray(value)) {
    return value.map((x, i) => {
      const before = i > 0 ? value[i - 1] : undefined;
      if (typeof x === 'string' && typeof before === 'string' && SECRET_FLAG.test(before) && isSecretName(before) && !x.startsWith('-')) return '***';
      return maskDeep(x);
    });
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' && isSecretName(k) && v !== '(unset)' && !v.startsWith('<redacted') ? '<redacted>' : maskDeep(v)]),
    );
  }
  return value;
}

const MASKED_DIFFERS = ' (differs in a masked credential)';

/**
 * Where two values differ only inside what was masked, the actual one says so (else the line would read
 * `x → x`). Walks expected and actual together, by key and by index.
 */
function markHidden(rawExpected: unknown, rawActual: unknown, maskedExpected: unknown, maskedActual: unknown): unknown {
  if (typeof maskedActual === 'string') {
    const hidden = typeof rawActual === 'string' && rawExpected !== rawActual && maskedExpected === maskedActual;
    return hidden ? `${maskedActual}${MASKED_DIFFERS}` : maskedActual;
  }
  const at = (v: unknown, k: string | number): unknown => (v && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined);
  if (Array.isArray(maskedActual)) return maskedActual.map((m, i) => markHidden(at(rawExpected, i), at(rawActual, i), at(maskedExpected, i), m));
  if (maskedActual && typeof maskedActual === 'object') {
    return Object.fromEntries(Object.entries(maskedActual as Record<string, unknown>).map(([k, m]) => [k, markHidden(at(rawExpected, k), at(rawActual, k), at(maskedExpected, k), m)]));
  }
  return maskedActual;
}

/**
 * Fields whose values bcon formats itself from numbers, states and image references (which cannot hold a
 * credential): not masked, so `keycloak:21` stays readable.
 */
const PLAIN_FIELDS = new Set(['replicas', 'status', 'image', 'image_id', 'memory', 'memory_reservation', 'cpus', 'restart', 'ports', 'config_file']);

/** One difference with every credential masked, and a difference that only the mask hid still visible. */
export function maskDifference<D extends Pick<DriftDifference, 'field' | 'expected' | 'actual'>>(d: D): D {
  if (PLAIN_FIELDS.has(d.field)) return d;
  const expected = maskDeep(d.expected) as Record<string, unknown>;
  const actual = markHidden(d.expected, d.actual, expected, maskDeep(d.actual)) as Record<string, unknown>;
  return { ...d, expected, actual };
}

/**
 * A value under a name (env var, label): a secret-named one is never shown, only fingerprinted with the key (or,
 * without a key, marked); any other has its credentials masked.
 */
export function redactEnvValue(name: string, value: string | null, key?: FingerprintKey): string | null {
  if (value === null) return null;
  if (isSecretName(name)) return secretFingerprint(value, key);
  return maskCredentials(value);
}

/**
 * Both sides of a secret-named value that differs. `(unset)` stays as it is; without a key, where both would read
 * `<redacted>`, the actual one says it changed.
 */
export function redactSecretPair(name: string, expected: string, actual: string, key?: FingerprintKey): [string, string] {
  const show = (v: string) => (v === '(unset)' ? v : (redactEnvValue(name, v, key) ?? v));
  const e = show(expected);
  let a = show(actual);
  if (e === a && expected !== actual) a = `${a.slice(0, -1)}, changed>`;
  return [e, a];
}
