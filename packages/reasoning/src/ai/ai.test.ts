import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { resolveLlmSettings } from './config.js';
import { AiConfigError } from './errors.js';
import { validateAiHypotheses } from './explain.js';
import { LlmGateway } from './gateway.js';
import type { LlmCallRecord } from './gateway.js';
import { extractJson } from './json-answer.js';
import { costOf, isLocalEndpoint, priceOf } from './prices.js';
import type { DiagnosisReport } from '../diagnose/schema.js';

describe('model settings', () => {
  it('is off when nothing names a model', () => {
    expect(resolveLlmSettings({}, undefined)).toBeUndefined();
  });
  it('takes the URL and the key variable from the user config, the model from the repository too; BCON_LLM_* override', () => {
    const user = { base_url: 'https://api.openai.com/v1', model: 'gpt-4o-mini', api_key_env: 'OPENAI_API_KEY', timeout_seconds: 5 };
    expect(resolveLlmSettings({ OPENAI_API_KEY: 'sk-x' }, undefined, user)).toMatchObject({ baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini', apiKey: 'sk-x', timeoutMs: 5000, provider: 'api.openai.com', from: 'user config' });
    expect(resolveLlmSettings({ OPENAI_API_KEY: 'sk-x', BCON_LLM_BASE_URL: 'http://127.0.0.1:9/v1' }, { model: 'gpt-4.1' }, user)).toMatchObject({ model: 'gpt-4o-mini', from: 'env' });
    expect(resolveLlmSettings({ BCON_LLM_BASE_URL: 'http://127.0.0.1:9/v1' }, { model: 'repo-model', timeout_seconds: 7 })).toMatchObject({ model: 'repo-model', timeoutMs: 7000 });
  });
  it('never lets a repository choose where the request and the key go', () => {
    // a repository naming its own server and a variable holding some other credential: neither is used
    const repo = { base_url: 'https://attacker.example/v1', model: 'm', api_key_env: 'GITHUB_TOKEN' };
    expect(resolveLlmSettings({ GITHUB_TOKEN: 'ghp_secret' }, repo)).toBeUndefined();
    const s = resolveLlmSettings({ GITHUB_TOKEN: 'ghp_secret', BCON_LLM_BASE_URL: 'http://127.0.0.1:9/v1' }, repo);
    expect(s).toMatchObject({ baseUrl: 'http://127.0.0.1:9/v1', apiKey: undefined });
    expect(s?.ignored.join('\n')).toMatch(/llm\.base_url .*is ignored[\s\S]*llm\.api_key_env is ignored/);
  });
  it('says what is missing or wrong', () => {
    expect(() => resolveLlmSettings({ BCON_LLM_MODEL: 'x' }, undefined)).toThrow(/set BCON_LLM_BASE_URL/);
    expect(() => resolveLlmSettings({}, undefined, { base_url: 'http://x', model: 'm', api_key_env: 'NOPE' })).toThrow(/names NOPE for the model's API key, but it is not set/);
    expect(() => resolveLlmSettings({}, undefined, { base_url: 'not a url', model: 'm' })).toThrow(AiConfigError);
    expect(() => resolveLlmSettings({}, { base_url: 'http://x', model: 'm', api_key: 'sk-inline' })).toThrow(/llm\.: Unrecognized key/);
  });
});

describe('prices', () => {
  it('prices hosted models by the table and local ones at 0', () => {
    expect(priceOf('gpt-4o-mini-2024-07-18', 'https://api.openai.com/v1')).toEqual({ input: 0.15, output: 0.6 });
    expect(priceOf('llama3.1:8b', 'http://127.0.0.1:11434/v1')).toEqual({ input: 0, output: 0 });
    expect(priceOf('llama3.1:8b', 'http://127.0.0.1:11434/v1', { 'llama3.1:8b': { input: 1, output: 2 } })).toEqual({ input: 1, output: 2 });
    expect(isLocalEndpoint('http://192.168.1.20:8000/v1')).toBe(true);
    expect(isLocalEndpoint('https://api.openai.com/v1')).toBe(false);
    expect(costOf({ input: 3, output: 15 }, 1000, 200)).toBe(0.006);
  });
});

describe('answers', () => {
  it('finds the JSON in prose and fences', () => {
    expect(extractJson('{"a":1}')).toEqual({ a: 1 });
    expect(extractJson('Here you go:\n```json\n{"a":2}\n```')).toEqual({ a: 2 });
    expect(extractJson('The answer is {"a":3}. Hope it helps')).toEqual({ a: 3 });
    expect(extractJson('no json here')).toBeUndefined();
  });

  it('keeps only model hypotheses that cite evidence that exists, name a cause code and a checked service', () => {
    const report: DiagnosisReport = {
      target: 'api',
      complaint: null,
      hypotheses: [{ cause: 'dependency_down', culprit: 'db', confidence: 0.9, summary: 's', evidence: ['e1'], suggestions: [] }],
      evidence: [{ id: 'e1', kind: 'log', source: 'api', text: 'ECONNREFUSED' }],
      durationMs: 1,
      symptoms: [],
      checked: ['api', 'db'],
      notices: [],
    };
    const h = (over: object) => ({ cause: 'dependency_down', culprit: 'db', confidence: 0.8, summary: 'password=hunter2 leaked', evidence: ['e1'], suggestions: [], ...over });
    const { accepted, rejected } = validateAiHypotheses(report, { hypotheses: [h({}), h({ evidence: [] }), h({ evidence: ['e1', 'e7'] }), h({ cause: 'gremlins' }), h({ culprit: 'prod-db' })], explanation: '' });
    expect(accepted).toHaveLength(1);
    expect(accepted[0]?.summary).toBe('password=*** leaked');
    expect(rejected.map((r) => r.reason)).toEqual([
      'it cites no evidence',
      'it cites evidence "e7", which does not exist',
      'cause "gremlins" is not a cause code',
      'culprit "prod-db" is not a service that was checked',
    ]);
  });
});

describe('the gateway', () => {
  it('asks the usage gate before a call, and a refusal is recorded nowhere and sent nowhere', async () => {
    const calls: LlmCallRecord[] = [];
    const settings = resolveLlmSettings({ BCON_LLM_BASE_URL: 'http://127.0.0.1:9/v1', BCON_LLM_MODEL: 'm' }, undefined);
    if (!settings) throw new Error('settings');
    const gateway = new LlmGateway(settings, { ledger: { record: (c) => calls.push(c) }, gate: { check: () => ({ allowed: false, reason: 'the monthly budget is spent' }) } });
    await expect(gateway.structured({ task: 'troubleshooting', system: 's', user: 'u', schema: z.object({}), schemaName: 'x', jsonSchema: {} })).rejects.toMatchObject({ code: 'ai_denied', message: 'the model was not asked: the monthly budget is spent' });
    expect(calls).toEqual([]);
  });

  it('reports an unreachable endpoint as unavailable and records the failed call', async () => {
    const calls: LlmCallRecord[] = [];
    const settings = resolveLlmSettings({ BCON_LLM_BASE_URL: 'http://127.0.0.1:9/v1', BCON_LLM_MODEL: 'm' }, undefined);
    if (!settings) throw new Error('settings');
    const gateway = new LlmGateway(settings, { ledger: { record: (c) => calls.push(c) }, maxRetries: 0 });
    await expect(gateway.structured({ task: 'log_analysis', system: 's', user: 'u', schema: z.object({}), schemaName: 'x', jsonSchema: {} })).rejects.toMatchObject({ code: 'ai_unreachable' });
    expect(calls).toMatchObject([{ task: 'log_analysis', outcome: 'error', promptTokens: 0, costUsd: 0 }]);
  });
});
