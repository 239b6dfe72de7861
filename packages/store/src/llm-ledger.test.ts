import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheLlmAnswer, cachedLlmAnswer, llmCallsSince, recordLlmCall } from './llm-ledger.js';
import { openStore } from './open.js';

const dir = mkdtempSync(path.join(tmpdir(), 'bcon-ledger-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the LLM ledger and cache in a real SQLite file', () => {
  it('keeps every call, in order', () => {
    const s = openStore({ home: dir });
    const base = { provider: 'api.openai.com', model: 'gpt-4o-mini', task: 'troubleshooting', latencyMs: 800, cacheHit: false, outcome: 'ok' as const };
    recordLlmCall(s, { ...base, at: 1000, promptTokens: 1200, completionTokens: 300, costUsd: 0.00036 });
    recordLlmCall(s, { ...base, at: 2000, promptTokens: 0, completionTokens: 0, costUsd: 0, cacheHit: true });
    expect(llmCallsSince(s, 1500)).toEqual([{ ...base, at: 2000, promptTokens: 0, completionTokens: 0, costUsd: 0, cacheHit: true }]);
    expect(llmCallsSince(s, 0)).toHaveLength(2);
    s.close();
  });

  it('answers from the cache within the TTL only', () => {
    const s = openStore({ home: dir });
    cacheLlmAnswer(s, 'k1', { response: '{"a":1}', promptTokens: 10, completionTokens: 2 }, 10_000);
    expect(cachedLlmAnswer(s, 'k1', 5_000, 14_000)).toMatchObject({ response: '{"a":1}', promptTokens: 10 });
    expect(cachedLlmAnswer(s, 'k1', 5_000, 16_000)).toBeUndefined();
    expect(cachedLlmAnswer(s, 'k2', 5_000, 14_000)).toBeUndefined();
    s.close();
  });
});
