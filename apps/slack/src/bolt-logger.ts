import type { Logger } from '@slack/bolt';
import { LogLevel } from '@slack/bolt';
import { redactPayload } from './redact-payload.js';

/**
 * Bolt's and the Socket Mode client's logs: warnings and errors on stderr, one line each, redacted (their debug
 * lines hold whole request bodies, so they are never enabled here).
 */
export function boltLogger(own: readonly string[], write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  let name = 'bolt';
  const line = (level: string) => (...msg: unknown[]) => write(`bcon slack: ${level} (${name}): ${redactPayload(msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' '), own)}\n`);
  return {
    debug: () => {},
    info: () => {},
    warn: line('warning'),
    error: line('error'),
    setLevel: () => {},
    getLevel: () => LogLevel.WARN,
    setName: (n: string) => {
      name = n;
    },
  };
}
