import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Notification } from './notify.js';
import { notificationText, notifyAll } from './notify.js';

const got: Array<{ path: string; auth: string | undefined; body: Record<string, unknown> }> = [];
const server = createServer((req, res) => {
  let raw = '';
  req.on('data', (d) => (raw += d));
  req.on('end', () => {
    got.push({ path: req.url ?? '', auth: req.headers.authorization, body: JSON.parse(raw) as Record<string, unknown> });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, ts: '1.2' }));
  });
});
let base = '';
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const n: Notification = { event: 'after', host: 'web1', service: 'api', action: 'restart p-api-1', tier: 'notify', reasons: ['crashed; DB_URL=postgres://app:Hunter2-Secret@db/app'], commit: 'abc', result: 'succeeded' };

describe('notify: slack', () => {
  it('posts chat.postMessage to the channel with the bot token, the text redacted', async () => {
    got.length = 0;
    await notifyAll([{ kind: 'slack', channel: '#ops' }, { kind: 'webhook', url: `${base}/hook` }], n, { SLACK_BOT_TOKEN: 'xoxb-test-1', SLACK_API_URL: `${base}/api/` });
    const slack = got.find((g) => g.path === '/api/chat.postMessage');
    expect(slack).toMatchObject({ auth: 'Bearer xoxb-test-1', body: { channel: '#ops' } });
    expect(String(slack?.body['text'])).toMatch(/^bcon reconciler ran on web1: restart p-api-1 \(api, tier notify\)/);
    expect(JSON.stringify(slack?.body)).not.toContain('Hunter2-Secret');
    expect(got.some((g) => g.path === '/hook')).toBe(true);
  });
  it('without a token the channel is skipped with a note, and the webhooks still go out', async () => {
    got.length = 0;
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await notifyAll([{ kind: 'slack', channel: '#ops' }, { kind: 'webhook', url: `${base}/hook` }], n, {});
      expect(err.mock.calls.map((c) => String(c[0])).join('')).toMatch(/#ops is skipped: SLACK_BOT_TOKEN is not set/);
    } finally {
      err.mockRestore();
    }
    expect(got.map((g) => g.path)).toEqual(['/hook']);
  });
});

describe('notify: a report', () => {
  it('says the service needs a person and what is wrong, without an action or tier', () => {
    const text = notificationText({ event: 'reported', host: 'web1', service: 'shop/api', action: 'bad_command: the command api runs is not found', tier: 'explicit', reasons: [], commit: 'abc', result: 'fix the command in compose.yaml' });
    expect(text).toBe('bcon reconciler: shop/api on web1 needs a person (no action bcon may take answers it): bad_command: the command api runs is not found — fix the command in compose.yaml');
  });
});
