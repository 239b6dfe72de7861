import { describe, expect, it } from 'vitest';
import { boltLogger } from './bolt-logger.js';

describe('boltLogger', () => {
  it('writes warnings and errors only, redacted, never the bot\'s own secrets', () => {
    const lines: string[] = [];
    const log = boltLogger(['own-signing-secret-123'], (l) => lines.push(l));
    log.debug('body: token=xoxb-1');
    log.info('hello');
    log.warn('request failed with own-signing-secret-123 and password=Hunter2-Long');
    log.error(new Error('boom'));
    expect(lines).toHaveLength(2);
    expect(lines.join('')).not.toMatch(/own-signing-secret-123|Hunter2-Long|xoxb/);
    expect(lines[1]).toBe('bcon slack: error (bolt): boom\n');
  });
});
