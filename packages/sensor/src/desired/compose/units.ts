import { DesiredStateError } from '../errors.js';

// as go-units RAMInBytes reads them: binary multiples whatever the spelling (k, kb, kib, …)
const MULTIPLIER: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** Compose byte values (`512m`, `1g`, `1.5GB`, 2048) in bytes, binary units as Docker reads them. */
export function parseBytes(value: string | number, where: string): number {
  if (typeof value === 'number') return Math.round(value);
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:([kmgtp])i?)?b?\s*$/i.exec(value);
  if (!m) throw new DesiredStateError(`${where}: "${value}" is not a size (expected e.g. 512m, 1g, 1GiB, 1073741824)`, 'compose_invalid');
  return Math.round(Number(m[1]) * (MULTIPLIER[(m[2] ?? '').toLowerCase()] ?? 1));
}

const DURATION_UNITS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Compose durations (`1m30s`, `10s`, `500ms`) in nanoseconds, as the engine stores them. */
export function parseDuration(value: string | number, where: string): number {
  if (typeof value === 'number') return Math.round(value * 1e9);
  const text = value.trim();
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * (DURATION_UNITS[m[2] ?? 's'] ?? 0);
    consumed = re.lastIndex;
  }
  if (consumed === 0 || consumed !== text.length) {
    throw new DesiredStateError(`${where}: "${value}" is not a duration (expected e.g. 10s, 1m30s, 500ms)`, 'compose_invalid');
  }
  return Math.round(total);
}

/** `cpus: 0.5` → nano CPUs as the engine stores them. */
export function parseCpus(value: string | number, where: string): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n) || n < 0) throw new DesiredStateError(`${where}: "${value}" is not a number of CPUs (expected e.g. 0.5, 2)`, 'compose_invalid');
  return Math.round(n * 1e9);
}
