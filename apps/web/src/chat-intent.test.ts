import { describe, expect, it } from 'vitest';
import { parseChatQuestion } from './chat-intent.js';

const services = ['api', 'api-gateway', 'worker', 'db'];

describe('parseChatQuestion (no model)', () => {
  it.each([
    ['why is api slow?', { kind: 'diagnose', service: 'api' }],
    ['Why does api-gateway keep restarting', { kind: 'diagnose', service: 'api-gateway' }],
    ['what drifted?', { kind: 'drift' }],
    ['is anything out of sync with the committed files', { kind: 'drift' }],
    ['show me the logs of worker', { kind: 'logs', service: 'worker' }],
    ['is everything ok?', { kind: 'status' }],
    ['what is wrong?', { kind: 'diagnose' }],
    ['api가 왜 느려?', { kind: 'diagnose', service: 'api' }],
    ['worker 로그 보여줘', { kind: 'logs', service: 'worker' }],
    ['뭐가 드리프트 됐어?', { kind: 'drift' }],
    ['전체 상태 어때?', { kind: 'status' }],
    ['hello there', { kind: 'help' }],
  ])('%s', (q, expected) => {
    const got = parseChatQuestion(q, services);
    expect(got).toMatchObject(expected);
    if (!('service' in expected)) expect(got.service).toBeUndefined();
  });

  it('a service name inside another word is not that service', () => {
    expect(parseChatQuestion('why is dbx slow', services).service).toBeUndefined();
    expect(parseChatQuestion('why is rapid slow', services).service).toBeUndefined();
  });
});
