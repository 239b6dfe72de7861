export type LogLevel = 'error' | 'warn' | 'info';

const ERROR =
  /\b(error|err|fatal|panic|exception|fail(?:ed|ure)?|critical|crit|severe|emerg|alert|traceback|refused|denied|unreachable|timed? ?out|segmentation fault|E(?:CONNREFUSED|CONNRESET|NOTFOUND|ADDRINUSE|NOSPC|ACCES|MFILE|TIMEDOUT|PIPE|PERM|AI_AGAIN))\b/i;
const WARN = /\b(warn(?:ing)?|deprecated|retry(?:ing)?|slow)\b/i;

/** error / warn / info from the words of a line (levels written by the software, or what the message says). */
export function levelOf(text: string): LogLevel {
  if (ERROR.test(text)) return 'error';
  if (WARN.test(text)) return 'warn';
  return 'info';
}
