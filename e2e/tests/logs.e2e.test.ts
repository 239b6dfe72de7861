// bcon logs: templates from a real service's containers (all replicas) and from a file or standard input, in the
// JSON contract of the architecture document; odd input is bounded and never crashes it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BCON_BIN, runBcon } from '../harness/bcon.js';
import { removeProject, waitFor, docker } from '../harness/docker.js';
import { runComposeContainer } from '../harness/fixtures.js';
import { BUSYBOX_IMAGE } from '../testbed/images.mjs';

const PROJECT = 'e2elogs';
let dir: string;

interface Report {
  lines: number;
  templates: Array<{ id: number; template: string; count: number; level: string; lines: number[] }>;
  linesPerSecond: number;
  truncated?: string;
}

describe('bcon logs', () => {
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'bcon-logs-'));
    removeProject(PROJECT);
    const script =
      'i=0; while [ $i -lt 20 ]; do echo "GET /api/orders/$i 200 $((i*7)) ms"; i=$((i+1)); done; ' +
      'echo "ERROR: connect ECONNREFUSED 127.0.0.1:5432" >&2; echo "ERROR: connect ECONNREFUSED 127.0.0.1:5433" >&2; echo "WARN slow query took 2301 ms"; sleep 3600';
    for (const n of [1, 2]) runComposeContainer({ project: PROJECT, service: 'api', number: n, image: BUSYBOX_IMAGE, command: ['sh', '-c', script] });
    waitFor(() => docker(['logs', `${PROJECT}-api-2`], { allowFail: true }).includes('slow query') || docker(['logs', `${PROJECT}-api-2`]).length > 0, 30_000, 'logs');
  });
  afterAll(() => {
    removeProject(PROJECT);
    rmSync(dir, { recursive: true, force: true });
  });

  it('groups the lines of every replica of a service into templates with levels and line numbers', async () => {
    waitFor(() => docker(['logs', `${PROJECT}-api-2`]).includes('slow query'), 30_000, 'both replicas to log');
    const res = await runBcon(['logs', 'api', '--json']);
    expect(res.code).toBe(0);
    const report = JSON.parse(res.stdout) as Report;
    expect(report.lines).toBe(46);
    const byTemplate = Object.fromEntries(report.templates.map((t) => [t.template, t]));
    const seen = JSON.stringify(report.templates.map((t) => [t.template, t.count]));
    expect(byTemplate['GET /api/orders/<*> <*> <*> ms'], seen).toMatchObject({ count: 40, level: 'info' });
    expect(byTemplate['ERROR: connect ECONNREFUSED <*>']).toMatchObject({ count: 4, level: 'error' });
    expect(byTemplate['WARN slow query took <*> ms']).toMatchObject({ count: 2, level: 'warn' });
    const all = report.templates.flatMap((t) => t.lines).sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 46 }, (_, i) => i + 1));
    expect(report.linesPerSecond).toBeGreaterThan(0);
    const text = await runBcon(['logs', 'api']);
    expect(text.stdout).toMatch(/46 lines from e2elogs-api-1, e2elogs-api-2/);
    expect(text.stdout).toMatch(/40\s+info\s+-\s+GET \/api\/orders\/<\*> <\*> <\*> ms/);
  });

  it('names the known services when the one asked for does not exist', async () => {
    const res = await runBcon(['logs', 'nosuch']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^bcon: no service or container named "nosuch" on .*; known: .*\bapi\b/);
  });

  it('reads a file or standard input, and survives binary bytes, invalid UTF-8 and a 1 MB line', async () => {
    const file = path.join(dir, 'odd.log');
    const odd = Buffer.concat([
      Buffer.from('2026-01-01T10:00:00Z worker 17 started\n'),
      Buffer.from([0xff, 0xfe, 0x00, 0x1b, 0x5b, 0x32, 0x4a, 0x0a]),
      Buffer.from(`${'A'.repeat(1024 * 1024)}\n`),
      Buffer.from('2026-01-01T10:00:01Z worker 18 started\n'),
    ]);
    writeFileSync(file, odd);
    const res = await runBcon(['logs', '--file', file, '--json']);
    expect(res.code).toBe(0);
    const report = JSON.parse(res.stdout) as Report;
    expect(report.lines).toBe(4);
    expect(report.templates.find((t) => t.template === '<*> worker <*> started')?.lines).toEqual([1, 4]);

    const piped = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, [BCON_BIN, 'logs', '--file', '-', '--json', '--max-lines', '3']);
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.on('close', (code) => resolve({ code, out }));
      child.stdin.end('a 1\nb 2\na 3\na 4\n');
    });
    expect(piped.code).toBe(0);
    const cut = JSON.parse(piped.out) as Report;
    expect(cut.lines).toBe(3);
    expect(cut.truncated).toMatch(/first 3 lines only/);
  });
});
