import { OpsError } from './errors.js';
/** `30s`, `5m`, `1h`, `1h30m` → milliseconds. */
export function parseInterval(text: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(text.trim()); m; m = re.exec(text.trim())) {
    total += Number(m[1]) * (unit[m[2] ?? 's'] ?? 0);
    consumed = re.lastIndex;
  }
  if (consumed === 0 || consumed !== text.trim().length || total < 1000) {
    throw new OpsError(`--interval "${text}" is not a duration of at least 1s (e.g. 30s, 5m, 1h)`, 'bad_flag');
  }
  return total;
}
