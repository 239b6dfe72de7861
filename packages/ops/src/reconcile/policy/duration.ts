// Durations and instants as the policy writes them in bcon.yaml and in its reasons.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30s`, `5m`, `60h`, `1h30m`, `2d`, `250ms` → milliseconds; undefined when the text is not such a duration. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(s)) return undefined;
  let total = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) total += Number(m[1]) * (UNIT_MS[m[2] as string] ?? 0);
  return total;
}

/** 40_000 → `40s`, 5_400_000 → `1h30m`, 216_000_000 → `60h` (no days: bcon.yaml's windows say `60h`). */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  let rest = Math.round(ms / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [['h', 3600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.join('');
}

/** An instant for a reason: ISO 8601 in UTC to the second (`2026-01-02T18:00:40Z`). */
export function instant(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Where the policy reads the time from; the loop passes `Date`, tests a fake. Every function here takes `now`. */
export interface Clock {
  now(): number;
}
