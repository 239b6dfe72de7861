/**
 * Secrets that show up in logs, labels and env values, masked before any text leaves the process (printed, stored
 * or sent to an LLM). Conservative: it masks the value and keeps the key, so the text still says what it was.
 */
const RULES: Array<[RegExp, string]> = [
  // credentials in URLs: scheme://user:password@host
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, '$1***@'],
  // Authorization headers and bearer tokens
  [/\b(authorization\s*[:=]\s*(?:bearer|basic|token)?\s*)[^\s"',;]+/gi, '$1***'],
  [/\b(bearer\s+)[a-z0-9._~+/-]{8,}=*/gi, '$1***'],
  // key=value / "key": "value" where the key names a secret
  [
    /((?:["']?)[\w.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential|auth[_-]?token)[\w.-]*["']?\s*[:=]\s*["']?)([^\s"',;&}]+)/gi,
    '$1***',
  ],
  // well-known token shapes
  [/\bAKIA[0-9A-Z]{16}\b/g, 'AKIA***'],
  [/\b(?:sk|pk|rk)_(?:live|test)_[0-9a-zA-Z]{10,}\b/g, '***'],
  [/\bsk-[A-Za-z0-9_-]{20,}\b/g, 'sk-***'],
  [/\bgh[pousr]_[A-Za-z0-9]{20,}\b/g, 'gh*_***'],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g, 'xox*-***'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g, '***.jwt.***'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, '***private key***'],
];

export function redactText(text: string): string {
  let out = text;
  for (const [re, to] of RULES) out = out.replace(re, to);
  return out;
}
