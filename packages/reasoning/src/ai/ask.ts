import { z } from 'zod';
import type { ChatMessage, LlmGateway, ToolSpec } from './gateway.js';
import { estimateTokens } from './gateway.js';
import { AiUnavailableError } from './errors.js';
import { FENCE_RULE, dataJson, fence } from './fence.js';
import type { Redactor } from './redactor.js';

/** A read-only tool the model may call: a name, a description, a zod schema for the arguments, and a read. */
export interface AskTool<A = unknown> {
  name: string;
  description: string;
  parameters: z.ZodType<A>;
  run(args: A): Promise<unknown>;
}

export interface AskLimits {
  maxSteps: number;
  maxPromptTokens: number;
  timeoutMs: number;
  /** most characters of one tool result sent back to the model */
  maxResultChars: number;
}

/**
 * A tool result as the model gets it: redacted whole first (all of it learned, then masked), then cut to
 * `maxChars` — a secret cut in half would escape its mask — and sent inside the data fence as one line of JSON,
 * which has no raw line break nor angle bracket, so a cut anywhere stays inside the fence.
 */
export function toolResultContent(redactor: Redactor, value: unknown, maxChars: number): string {
  const out = dataJson(redactor.redactDeep(value));
  return out.length > maxChars ? `${fence([`${out.slice(0, maxChars)}…`])}\n(cut at ${maxChars} characters; the JSON above is incomplete)` : fence([out]);
}

export const DEFAULT_ASK_LIMITS: AskLimits = { maxSteps: 8, maxPromptTokens: 60_000, timeoutMs: 120_000, maxResultChars: 8_000 };

export interface AskStep {
  tool: string;
  args: unknown;
  outcome: 'ok' | 'refused' | 'failed';
  /** why a call was refused or failed */
  reason?: string;
}

export interface AskResult {
  question: string;
  answer: string;
  steps: AskStep[];
  /** calls the model asked for that were refused (unknown tool, arguments that fail their schema) */
  refused: AskStep[];
  promptTokens: number;
  completionTokens: number;
  /** why the loop stopped early, when it did */
  stopped?: string;
}

const SYSTEM = `You are bcon ask, a read-only assistant for a Docker Compose host. Answer the user's question about
the containers by calling the tools you are given (they only read), then answer in a few sentences that name the
facts you used. You cannot change anything: there is no tool that writes, restarts or runs commands; say what a
person should do instead. Tool results come inside <data> ... </data>. ${FENCE_RULE}`;

/**
 * A bounded agent loop over read-only tools from an allowlist. A call to a tool not in the list, or with
 * arguments that fail its schema, is refused (the model is told, and the refusal is reported); the loop stops at
 * `maxSteps`, `maxPromptTokens` or `timeoutMs` and says so. Every tool result is redacted whole (all of it learned
 * first, so a secret seen late in it is masked early in it too), then cut to `maxResultChars`, then sent inside
 * the data fence as JSON: a secret is never cut in half before it is masked, and no result can close the fence.
 */
export async function askLoop(gateway: LlmGateway, question: string, tools: readonly AskTool[], limits: AskLimits = DEFAULT_ASK_LIMITS): Promise<AskResult> {
  const byName = new Map(tools.map((t) => [t.name, t]));
  const specs: ToolSpec[] = tools.map((t) => ({ name: t.name, description: t.description, parameters: z.toJSONSchema(t.parameters) as Record<string, unknown> }));
  const messages: ChatMessage[] = [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: question },
  ];
  const result: AskResult = { question, answer: '', steps: [], refused: [], promptTokens: 0, completionTokens: 0 };
  const deadline = Date.now() + limits.timeoutMs;
  for (let step = 0; step < limits.maxSteps; step++) {
    if (Date.now() > deadline) {
      result.stopped = `stopped after ${limits.timeoutMs / 1000} s`;
      break;
    }
    if (result.promptTokens + estimateTokens(messages.map((m) => m.content ?? '').join('\n')) > limits.maxPromptTokens) {
      result.stopped = `stopped at the token limit (${limits.maxPromptTokens} prompt tokens)`;
      break;
    }
    const turn = await gateway.chat({ task: 'ask', messages, tools: specs });
    result.promptTokens += turn.promptTokens;
    result.completionTokens += turn.completionTokens;
    messages.push(turn.message);
    const calls = turn.message.tool_calls ?? [];
    if (!calls.length) {
      result.answer = (turn.message.content ?? '').trim();
      return result;
    }
    for (const call of calls) {
      const tool = byName.get(call.function.name);
      let args: unknown;
      try {
        args = call.function.arguments ? (JSON.parse(call.function.arguments) as unknown) : {};
      } catch {
        args = call.function.arguments;
      }
      let content: string;
      if (!tool) {
        const s: AskStep = { tool: call.function.name, args, outcome: 'refused', reason: `no tool named "${call.function.name}": only ${[...byName.keys()].join(', ')} (all read-only)` };
        result.steps.push(s);
        result.refused.push(s);
        content = `refused: ${fence([dataJson(gateway.redactor.redact(s.reason ?? ''))])}`;
      } else {
        const parsed = tool.parameters.safeParse(args);
        if (!parsed.success) {
          const s: AskStep = { tool: tool.name, args, outcome: 'refused', reason: `arguments do not match the schema: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}` };
          result.steps.push(s);
          result.refused.push(s);
          content = `refused: ${fence([dataJson(gateway.redactor.redact(s.reason ?? ''))])}`;
        } else {
          try {
            content = toolResultContent(gateway.redactor, await tool.run(parsed.data), limits.maxResultChars);
            result.steps.push({ tool: tool.name, args: parsed.data, outcome: 'ok' });
          } catch (err) {
            const s: AskStep = { tool: tool.name, args: parsed.data, outcome: 'failed', reason: (err as Error).message };
            result.steps.push(s);
            content = `failed: ${fence([dataJson(gateway.redactor.redact(s.reason ?? ''))])}`;
          }
        }
      }
      messages.push({ role: 'tool', tool_call_id: call.id, content });
    }
  }
  result.stopped ??= `stopped after ${limits.maxSteps} steps`;
  if (!result.answer) {
    if (result.steps.length === 0) throw new AiUnavailableError('the model gave no answer', 'ai_unreachable');
    result.answer = '';
  }
  return result;
}
