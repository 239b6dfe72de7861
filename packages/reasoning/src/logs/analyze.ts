import { TemplateMiner } from './drain.js';
import type { MinerOptions } from './drain.js';

export type LogLevel = 'error' | 'warn' | 'info';

/** The stable JSON of `bcon logs --json` (contract in the architecture document). */
export interface LogTemplatesReport {
  lines: number;
  templates: Array<{ id: number; template: string; count: number; level: LogLevel; lines: number[] }>;
  linesPerSecond: number;
  /** set when the input was cut to bound the work (bytes or lines) */
  truncated?: string;
}

const ERROR =
  /\b(error|err|fatal|panic|exception|fail(?:ed|ure)?|critical|crit|severe|emerg|alert|traceback|refused|denied|unreachable|timed? ?out|segmentation fault|E(?:CONNREFUSED|CONNRESET|NOTFOUND|ADDRINUSE|NOSPC|ACCES|MFILE|TIMEDOUT|PIPE|PERM|AI_AGAIN))\b/i;
const WARN = /\b(warn(?:ing)?|deprecated|retry(?:ing)?|slow)\b/i;

/** error / warn / info from the words of a line (levels written by the software, or what the message says). */
export function levelOf(text: string): LogLevel {
  if (ERROR.test(text)) return 'error';
  if (WARN.test(text)) return 'warn';
  return 'info';
}

/** Longest line fed to the miner; longer ones are cut (a 1 MB line is data, not a message). */
export const MAX_LINE_LENGTH = 4096;

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
      .map((t) => ({ id: t.id, template: t.tokens.join(' '), count: t.count, level: levelOf(t.sample), lines: t.lines })),
    linesPerSecond: seconds > 0 ? Math.round(lines.length / seconds) : lines.length,
  };
}
