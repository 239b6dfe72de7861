import { describe, expect, it } from 'vitest';
import { parseListen, settingsFromEnv } from './settings.js';

describe('settings', () => {
  it('parses --listen, refuses anything else', () => {
    expect(parseListen('127.0.0.1:3000')).toEqual({ host: '127.0.0.1', port: 3000 });
    expect(parseListen('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(() => parseListen('3000')).toThrow(/--listen expects HOST:PORT/);
    expect(() => parseListen('host:70000')).toThrow(/--listen expects HOST:PORT/);
  });
  it('names every missing variable at once, and normalises SLACK_API_URL', () => {
    expect(() => settingsFromEnv({}, '127.0.0.1:3000', '/r')).toThrow(/SLACK_BOT_TOKEN is not set.*SLACK_SIGNING_SECRET is not set/);
    const s = settingsFromEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: 'http://127.0.0.1:9/api', SLACK_APP_TOKEN: '' }, '127.0.0.1:0', '/r');
    expect(s).toMatchObject({ botToken: 'xoxb-1', signingSecret: 's', slackApiUrl: 'http://127.0.0.1:9/api/', appToken: undefined, host: '127.0.0.1', port: 0, repo: '/r' });
    expect(() => settingsFromEnv({ SLACK_BOT_TOKEN: 'x', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: 'not a url' }, '127.0.0.1:0', '/r')).toThrow(/SLACK_API_URL must be a URL/);
  });
});
