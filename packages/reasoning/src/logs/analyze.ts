import { lineLevel } from '../diagnose/log-level.js';
import { TemplateMiner } from './drain.js';
import type { MinerOptions } from './drain.js';
import type { LogLevel } from './level-words.js';

export type { LogLevel } from './level-words.js';
export { levelOf } from './level-words.js';
/** Against the earlier half of the input: `new` (absent there), `spiking` (at least 3× as many lines now). */
export type LogTrend = 'new' | 'spiking';

/** The stable JSON of `bcon logs --json` (contract in the architecture document). */
export interface LogTemplatesReport {
  lines: number;
  templates: Array<{ id: number; template: string; count: number; level: LogLevel; lines: number[]; trend?: LogTrend }>;
  linesPerSecond: number;
  /** set when the input was cut to bound the work (bytes or lines) */
  truncated?: string;
}

/** Longest line fed to the miner; longer ones are cut (a 1 MB line is data, not a message). */
export const MAX_LINE_LENGTH = 4096;

/**
 * A template's trend between the earlier and the recent half of the input (by line position: the input is in time
 * order): `new` when absent from the earlier half and at least 5 lines now, `spiking` when at least 10 lines now and
 * 3× the earlier count.
 */
export function trendOf(lineNumbers: readonly number[], total: number): LogTrend | undefined {
  if (total < 20) return undefined;
  const half = total / 2;
  let earlier = 0;
  for (const n of lineNumbers) if (n <= half) earlier++;
  const recent = lineNumbers.length - earlier;
  if (earlier === 0 && recent >= 5) return 'new';
  if (recent >= 10 && recent >= 3 * earlier) return 'spiking';
  return undefined;
}

/** Cluster lines into templates; the most frequent first. */
export function mineTemplates(lines: readonly string[], options: MinerOptions = {}): LogTemplatesReport {
  const miner = new TemplateMiner(options);
  const started = process.hrtime.bigint();
  lines.forEach((line, i) => {
    // untrusted text: control characters are dropped (invalid UTF-8 arrives as replacement marks: harmless text)
    const clean = line.length > MAX_LINE_LENGTH ? line.slice(0, MAX_LINE_LENGTH) : line;
    // eslint-disable-next-line no-control-regex
    miner.add(clean.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' '), i + 1, clean);
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    lines: lines.length,
    templates: [...miner.templates]
      .sort((a, b) => b.count - a.count || a.id - b.id)
      .map((t) => {
        const trend = trendOf(t.lines, lines.length);
        return { id: t.id, template: t.tokens.join(' '), count: t.count, level: lineLevel(t.sample), lines: t.lines, ...(trend ? { trend } : {}) };
      }),
    linesPerSecond: seconds > 0 ? Math.round(lines.length / seconds) : lines.length,
  };
}
