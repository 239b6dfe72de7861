import { createHash } from 'node:crypto';
import type { OpenAI } from 'openai';
import type { z } from 'zod';
import type { LlmSettings } from './config.js';
import { AiInvalidAnswerError, AiUnavailableError } from './errors.js';
import { extractJson } from './json-answer.js';
import { costOf, priceOf } from './prices.js';
import { Redactor } from './redactor.js';

/** What a call is for, in the ledger and in `bcon cost`. */
export type TaskType = 'troubleshooting' | 'status_analysis' | 'log_analysis' | 'ask' | 'intent' | 'proposal';
export const TASK_TYPES: readonly TaskType[] = ['troubleshooting', 'status_analysis', 'log_analysis', 'ask', 'intent', 'proposal'];

export interface LlmCallRecord {
  at: number;
  provider: string;
  model: string;
  task: TaskType;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  latencyMs: number;
  cacheHit: boolean;
  outcome: 'ok' | 'invalid' | 'error';
}

/** Where every call is recorded (the SQLite ledger in the CLI). */
export interface LlmLedger {
  record(call: LlmCallRecord): void;
}

/** Answers kept by a hash of the redacted request. */
export interface LlmCache {
  get(key: string, ttlMs: number): { response: string; promptTokens: number; completionTokens: number } | undefined;
  put(key: string, answer: { response: string; promptTokens: number; completionTokens: number }): void;
}

/** Asked before each call; budgets (level 2, @bcon/decision) plug in here. */
export interface UsageGate {
  check(request: { task: TaskType; model: string; estimatedPromptTokens: number }): { allowed: true } | { allowed: false; reason: string };
}

export const ALLOW_ALL: UsageGate = { check: () => ({ allowed: true }) };

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | null;
  tool_call_id?: string;
  tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }>;
}

export interface ToolSpec {
  name: string;
  description: string;
  /** JSON schema of the arguments */
  parameters: Record<string, unknown>;
}

export interface StructuredResult<T> {
  value: T;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  cached: boolean;
}

/** Rough token estimate (4 characters per token) for the usage gate, before the server counts. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

type OpenAIClient = OpenAI;
type ResponseMode = 'json_schema' | 'json_object' | 'none';

/**
 * The one way to a model: an OpenAI-compatible endpoint through the `openai` package. Every message is redacted
 * (stable placeholders within a request) before it leaves; answers are JSON validated by a zod schema (json_schema
 * where the server supports it, a tolerant parse otherwise), retried once when invalid, then dropped; every call —
 * and every cache hit — is recorded with its tokens and cost. Time-outs and HTTP errors become AiUnavailableError,
 * so callers show the deterministic result instead.
 */
export class LlmGateway {
  private client: OpenAIClient | undefined;
  private mode: ResponseMode = 'json_schema';
  readonly redactor: Redactor;

  constructor(
    readonly settings: LlmSettings,
    private readonly deps: { ledger?: LlmLedger; cache?: LlmCache; gate?: UsageGate; redactor?: Redactor; now?: () => number; maxRetries?: number } = {},
  ) {
    this.redactor = deps.redactor ?? new Redactor();
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  private async openai(): Promise<OpenAIClient> {
    if (!this.client) {
      const { OpenAI } = await import('openai');
      this.client = new OpenAI({ baseURL: this.settings.baseUrl, apiKey: this.settings.apiKey ?? 'none', timeout: this.settings.timeoutMs, maxRetries: this.deps.maxRetries ?? 2 });
    }
    return this.client;
  }

  private record(task: TaskType, promptTokens: number, completionTokens: number, latencyMs: number, cacheHit: boolean, outcome: LlmCallRecord['outcome']): void {
    const price = priceOf(this.settings.model, this.settings.baseUrl, this.settings.prices);
    this.deps.ledger?.record({
      at: this.now(),
      provider: this.settings.provider,
      model: this.settings.model,
      task,
      promptTokens,
      completionTokens,
      costUsd: cacheHit ? 0 : costOf(price, promptTokens, completionTokens),
      latencyMs,
      cacheHit,
      outcome,
    });
  }

  /**
   * What leaves for the model: the whole request is learned first, then each message redacted, so a secret seen
   * in the last message is masked in the first too (placeholders stay stable across the calls of this gateway).
   */
  redactRequest(messages: readonly ChatMessage[]): ChatMessage[] {
    for (const m of messages) this.redactor.learn(m.content);
    return messages.map((m) => ({ ...m, content: m.content === null ? null : this.redactor.redact(m.content) }));
  }

  private gate(task: TaskType, messages: readonly ChatMessage[]): void {
    const verdict = (this.deps.gate ?? ALLOW_ALL).check({ task, model: this.settings.model, estimatedPromptTokens: estimateTokens(messages.map((m) => m.content ?? '').join('\n')) });
    if (!verdict.allowed) throw new AiUnavailableError(`the model was not asked: ${verdict.reason}`, 'ai_denied');
  }

  private unavailable(err: unknown): AiUnavailableError {
    const e = err as { status?: number; name?: string; message?: string };
    if (e.name === 'APIConnectionTimeoutError' || /timed? ?out/i.test(e.message ?? '')) {
      return new AiUnavailableError(`the model at ${this.settings.provider} did not answer within ${this.settings.timeoutMs / 1000} s`, 'ai_timeout', { cause: err });
    }
    if (typeof e.status === 'number') return new AiUnavailableError(`the model at ${this.settings.provider} answered HTTP ${e.status}: ${(e.message ?? '').slice(0, 200)}`, 'ai_http', { cause: err });
    return new AiUnavailableError(`the model at ${this.settings.provider} cannot be reached: ${(e.message ?? String(err)).slice(0, 200)}`, 'ai_unreachable', { cause: err });
  }

  /** One completion with the response format the server accepts (json_schema, else json_object, else plain). */
  private async complete(messages: ChatMessage[], schemaName: string, jsonSchema: Record<string, unknown>): Promise<{ text: string; promptTokens: number; completionTokens: number }> {
    const client = await this.openai();
    for (;;) {
      const format =
        this.mode === 'json_schema'
          ? { response_format: { type: 'json_schema' as const, json_schema: { name: schemaName, schema: jsonSchema, strict: false } } }
          : this.mode === 'json_object'
            ? { response_format: { type: 'json_object' as const } }
            : {};
      try {
        const res = await client.chat.completions.create({ model: this.settings.model, messages: messages as never, temperature: 0, ...format });
        return { text: res.choices[0]?.message?.content ?? '', promptTokens: res.usage?.prompt_tokens ?? 0, completionTokens: res.usage?.completion_tokens ?? 0 };
      } catch (err) {
        const e = err as { status?: number; message?: string };
        // a server that does not know the response format says 400/422 about it: step down once per mode
        if ((e.status === 400 || e.status === 422) && this.mode !== 'none' && /response_format|json_schema|json_object|schema/i.test(e.message ?? '')) {
          this.mode = this.mode === 'json_schema' ? 'json_object' : 'none';
          continue;
        }
        throw err;
      }
    }
  }

  /**
   * Ask for JSON matching `schema`. The request is redacted, answered from the cache when the same redacted request
   * was answered within the TTL, retried once with the validation error when the answer is invalid, then dropped.
   */
  async structured<T>(request: { task: TaskType; system: string; user: string; schema: z.ZodType<T>; schemaName: string; jsonSchema: Record<string, unknown> }): Promise<StructuredResult<T>> {
    const messages = this.redactRequest([
      { role: 'system', content: request.system },
      { role: 'user', content: request.user },
    ]);
    const key = createHash('sha256').update(JSON.stringify([this.settings.baseUrl, this.settings.model, request.schemaName, messages])).digest('hex');
    const hit = this.deps.cache?.get(key, this.settings.cacheTtlMs);
    if (hit) {
      const parsed = request.schema.safeParse(extractJson(hit.response));
      if (parsed.success) {
        this.record(request.task, hit.promptTokens, hit.completionTokens, 0, true, 'ok');
        return { value: parsed.data, promptTokens: hit.promptTokens, completionTokens: hit.completionTokens, latencyMs: 0, cached: true };
      }
    }
    this.gate(request.task, messages);
    let prompt = 0;
    let completion = 0;
    const started = this.now();
    let problem = '';
    for (let attempt = 0; attempt < 2; attempt++) {
      const convo = attempt === 0 ? messages : [...messages, { role: 'user' as const, content: `Your previous answer was not valid: ${problem}. Answer again with only the JSON object the schema asks for.` }];
      let answer: { text: string; promptTokens: number; completionTokens: number };
      try {
        answer = await this.complete(convo, request.schemaName, request.jsonSchema);
      } catch (err) {
        this.record(request.task, prompt, completion, this.now() - started, false, 'error');
        throw this.unavailable(err);
      }
      prompt += answer.promptTokens;
      completion += answer.completionTokens;
      const json = extractJson(answer.text);
      const parsed = json === undefined ? undefined : request.schema.safeParse(json);
      if (parsed?.success) {
        const latencyMs = this.now() - started;
        this.record(request.task, prompt, completion, latencyMs, false, 'ok');
        this.deps.cache?.put(key, { response: JSON.stringify(parsed.data), promptTokens: prompt, completionTokens: completion });
        return { value: parsed.data, promptTokens: prompt, completionTokens: completion, latencyMs, cached: false };
      }
      problem = json === undefined ? 'it was not JSON' : (parsed?.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') ?? 'invalid');
    }
    this.record(request.task, prompt, completion, this.now() - started, false, 'invalid');
    throw new AiInvalidAnswerError(`the model's answer did not match the expected JSON twice (${problem}); it was dropped`);
  }

  /** One tool-calling turn (for `bcon ask`): the messages are redacted; the reply is returned as the server sent it. */
  async chat(request: { task: TaskType; messages: readonly ChatMessage[]; tools: readonly ToolSpec[] }): Promise<{ message: ChatMessage; promptTokens: number; completionTokens: number }> {
    const messages = this.redactRequest(request.messages);
    this.gate(request.task, messages);
    const started = this.now();
    const client = await this.openai();
    try {
      const res = await client.chat.completions.create({
        model: this.settings.model,
        messages: messages as never,
        temperature: 0,
        ...(request.tools.length ? { tools: request.tools.map((t) => ({ type: 'function' as const, function: { name: t.name, description: t.description, parameters: t.parameters } })) } : {}),
      });
      const msg = res.choices[0]?.message;
      const promptTokens = res.usage?.prompt_tokens ?? 0;
      const completionTokens = res.usage?.completion_tokens ?? 0;
      this.record(request.task, promptTokens, completionTokens, this.now() - started, false, 'ok');
      return {
        message: {
          role: 'assistant',
          content: msg?.content ?? null,
          ...(msg?.tool_calls?.length
            ? { tool_calls: msg.tool_calls.filter((c) => c.type === 'function').map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.function.name, arguments: c.function.arguments } })) }
            : {}),
        },
        promptTokens,
        completionTokens,
      };
    } catch (err) {
      this.record(request.task, 0, 0, this.now() - started, false, 'error');
      throw this.unavailable(err);
    }
  }
}
