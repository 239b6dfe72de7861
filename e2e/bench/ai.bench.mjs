#!/usr/bin/env node
// pnpm bench (AI part): prompt tokens per `bcon diagnose --ai` (counted with a real tokenizer, o200k_base, by a
// local OpenAI-protocol server: no hosted model is reachable here) on the incident scenarios and on a 20-service
// stack with every incident at once (e2e/fixtures/diagnose, no target: every service that is not OK), and the
// gateway's overhead (diagnose --ai against a server that answers at once, minus diagnose). Prints figures only.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { countTokens } from 'gpt-tokenizer';
import { REPO } from '../testbed/engine.mjs';
import { BCON, benchEngine, spread } from './bench-engine.mjs';

// the model server lives in this process: children that call it must be awaited asynchronously, never with *Sync
const run = (cmd, args, options) =>
  new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.on('close', (code) => resolve({ code, stdout, seconds: Number(process.hrtime.bigint() - started) / 1e9 }));
  });
const requests = [];
const server = createServer((req, res) => {
  let raw = '';
  req.on('data', (d) => (raw += d));
  req.on('end', () => {
    const body = JSON.parse(raw);
    const prompt = countTokens(body.messages.map((m) => `${m.role}\n${m.content ?? ''}`).join('\n'));
    const content = '{"hypotheses":[],"explanation":""}';
    requests.push({ prompt });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 0, model: body.model, choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: { prompt_tokens: prompt, completion_tokens: countTokens(content), total_tokens: prompt } }));
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const llmEnv = { BCON_LLM_BASE_URL: `http://127.0.0.1:${server.address().port}/v1`, BCON_LLM_MODEL: 'bench-model' };

const bench = await benchEngine();
const home = mkdtempSync(path.join(tmpdir(), 'bcon-bench-ai-'));
const env = { ...bench.env, ...llmEnv, BCON_HOME: home };
const out = ['bcon diagnose --ai: prompt tokens per diagnosis (o200k_base, counted by the local server)'];
try {
  // the incident scenarios, each with its own target
  const runner = path.join(REPO, '..', 'shared', 'scenarios', 'bin', 'run-all.mjs');
  for (const dir of [path.join(REPO, '..', 'shared', 'scenarios', 'dev'), path.join(REPO, 'e2e', 'scenarios')].filter(existsSync)) {
    if (!existsSync(runner)) break;
    const before = requests.length;
    await run(process.execPath, [runner, dir, '--', process.execPath, BCON, 'diagnose', '{target}', '{complaint}', '--ai', '--json'], { env });
    const tokens = requests.slice(before).map((r) => r.prompt);
    if (tokens.length) out.push(`  ${path.relative(path.join(REPO, '..'), dir).padEnd(24)} ${tokens.length} diagnoses: median ${spread(tokens).median}, max ${spread(tokens).max} prompt tokens`);
  }
  // a 20-service stack with every incident at once
  const work = path.join(mkdtempSync(path.join(tmpdir(), 'bcon-bench-ai-stack-')), 'benchai');
  cpSync(path.join(REPO, 'e2e', 'fixtures', 'diagnose'), work, { recursive: true });
  execFileSync('git', ['init', '-q'], { cwd: work });
  execFileSync('git', ['add', '-A'], { cwd: work });
  execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@b', 'commit', '-qm', 'stack'], { cwd: work });
  spawnSync('docker-compose', ['-p', 'benchai', 'up', '-d'], { cwd: work, env: bench.env, stdio: 'ignore' });
  execFileSync('sleep', ['20']);
  const services = bench.docker(['ps', '-a', '--filter', 'label=com.docker.compose.project=benchai', '--format', '{{.Label "com.docker.compose.service"}}']).split('\n').filter(Boolean);
  const before = requests.length;
  const all = await run(process.execPath, [BCON, 'diagnose', '--ai', '--json', '--repo', work], { env: { ...env } });
  const checked = JSON.parse(all.stdout).checked.length;
  out.push(`  ${new Set(services).size}-service stack, no target (${checked} services not OK checked): ${requests.slice(before).map((r) => r.prompt).join(', ')} prompt tokens`);
  // overhead of the gateway: the same diagnosis with and without --ai (the server answers at once)
  const times = async (args) => {
    const out = [];
    for (let i = 0; i < 5; i++) out.push((await run(process.execPath, [BCON, 'diagnose', 'billing', '--json', '--repo', work, ...args], { env: { ...env, BCON_HOME: mkdtempSync(path.join(home, 'h')) } })).seconds);
    return out;
  };
  const plain = spread(await times([]));
  const withAi = spread(await times(['--ai']));
  out.push(`gateway overhead (diagnose billing, 5 runs, fresh store each): ${plain.median.toFixed(3)} s without --ai, ${withAi.median.toFixed(3)} s with --ai → +${((withAi.median - plain.median) * 1000).toFixed(0)} ms`);
  out.push('target: under 4,000 prompt tokens for a 10-service stack');
  spawnSync('docker-compose', ['-p', 'benchai', 'down', '-t', '1'], { cwd: work, env: bench.env, stdio: 'ignore' });
  bench.removeProject('benchai');
  rmSync(path.dirname(work), { recursive: true, force: true });
} finally {
  process.stdout.write(`${out.join('\n')}\n`);
  server.close();
  rmSync(home, { recursive: true, force: true });
  await bench.stop();
}
