// A local server that speaks the OpenAI chat-completions protocol: the one fake the tests allow (no hosted model
// can be reached here). It records every request, answers from a script (queue of replies), and counts tokens
// with a real tokenizer (gpt-tokenizer, o200k_base) so usage figures are what a hosted model would report.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { countTokens } from 'gpt-tokenizer';

export interface RecordedLlmRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: {
    model: string;
    messages: Array<{ role: string; content: string | null; tool_calls?: unknown; tool_call_id?: string }>;
    response_format?: { type: string };
    tools?: Array<{ function: { name: string } }>;
  };
  raw: string;
}

export type Reply =
  | { kind: 'content'; content: string }
  | { kind: 'tools'; calls: Array<{ name: string; arguments: string }> }
  | { kind: 'status'; status: number; message: string; headers?: Record<string, string> }
  | { kind: 'delay'; ms: number; then: Reply };

export interface FakeLlm {
  baseUrl: string;
  requests: RecordedLlmRequest[];
  /** replies used in order; when empty, `fallback` answers */
  script: Reply[];
  fallback: (req: RecordedLlmRequest) => Reply;
  /** reject response_format json_schema with a 400, as servers without it do */
  rejectJsonSchema: boolean;
  close(): Promise<void>;
}

export async function startFakeLlm(): Promise<FakeLlm> {
  const fake: FakeLlm = {
    baseUrl: '',
    requests: [],
    script: [],
    fallback: () => ({ kind: 'content', content: '{"hypotheses":[],"explanation":""}' }),
    rejectJsonSchema: false,
    close: async () => undefined,
  };
  let n = 0;
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      const body = JSON.parse(raw || '{}') as RecordedLlmRequest['body'];
      const rec: RecordedLlmRequest = { path: req.url ?? '', headers: req.headers, body, raw };
      fake.requests.push(rec);
      const send = (reply: Reply): void => {
        if (reply.kind === 'delay') {
          setTimeout(() => send(reply.then), reply.ms).unref();
          return;
        }
        if (reply.kind === 'status') {
          res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
          res.end(JSON.stringify({ error: { message: reply.message, type: 'server_error' } }));
          return;
        }
        const prompt = countTokens(body.messages.map((m) => `${m.role}\n${m.content ?? ''}${m.tool_calls ? JSON.stringify(m.tool_calls) : ''}`).join('\n'));
        const message =
          reply.kind === 'content'
            ? { role: 'assistant', content: reply.content }
            : { role: 'assistant', content: null, tool_calls: reply.calls.map((c, i) => ({ id: `call_${++n}_${i}`, type: 'function', function: { name: c.name, arguments: c.arguments } })) };
        const completion = countTokens(reply.kind === 'content' ? reply.content : JSON.stringify(reply.calls));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: `chatcmpl-${++n}`,
            object: 'chat.completion',
            created: Math.floor(Date.now() / 1000),
            model: body.model,
            choices: [{ index: 0, message, finish_reason: reply.kind === 'tools' ? 'tool_calls' : 'stop' }],
            usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
          }),
        );
      };
      if (fake.rejectJsonSchema && body.response_format?.type === 'json_schema') {
        send({ kind: 'status', status: 400, message: "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model." });
        return;
      }
      send(fake.script.shift() ?? fake.fallback(rec));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
