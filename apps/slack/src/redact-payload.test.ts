import { describe, expect, it } from 'vitest';
import { redactPayload } from './redact-payload.js';

describe('redactPayload', () => {
  it('masks a secret in any block, also where it appears bare in another block', () => {
    const out = redactPayload({
      text: 'api is down',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'log: connecting with password=Sup3rS3cret-77x' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'retry Sup3rS3cret-77x failed' }] },
      ],
    });
    expect(JSON.stringify(out)).not.toContain('Sup3rS3cret-77x');
    expect(out.blocks[0]?.text?.text).toContain('password=***');
    expect(out.text).toBe('api is down');
  });
  it('masks the bot\'s own tokens whatever their shape', () => {
    const out = redactPayload({ text: 'token is xoxb-1-abcdefghijkl and plain-signing-abc123' }, ['plain-signing-abc123']);
    expect(out.text).not.toContain('plain-signing-abc123');
  });
  it('keeps numbers, booleans and structure', () => {
    expect(redactPayload({ a: 1, b: true, c: null, d: ['x'] })).toEqual({ a: 1, b: true, c: null, d: ['x'] });
  });
});
