// The level boundary is physical: `pnpm lint` fails when a lower package imports a higher one (even for a type),
// reaches into another package's files, or when a package.json declares a bcon package above it.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAYERS } from '@bcon/eslint-config/layers';
import { REPO } from '../harness/bcon.js';

const run = promisify(execFile);
const ESLINT = path.join(REPO, 'node_modules', 'eslint', 'bin', 'eslint.js');
let copy: string;

/** Lint the temp copy with the project's own config (the layer rule rooted at the copy). */
async function lint(files: string[]): Promise<{ code: number; out: string }> {
  let code = 0;
  let stdout: string;
  try {
    ({ stdout } = await run(process.execPath, [ESLINT, '--config', path.join(copy, 'eslint.config.js'), '--format', 'json', ...files], { cwd: copy }));
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    if (!e.stdout) throw new Error(`eslint failed: ${e.stderr}`, { cause: err });
    code = e.code;
    stdout = e.stdout;
  }
  const results = JSON.parse(stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string | null; message: string }> }>;
  const out = results.flatMap((r) => r.messages.map((m) => `${path.relative(copy, r.filePath)}: ${m.message} [${m.ruleId}]`)).join('\n');
  return { code, out };
}

function plant(rel: string, text: string): string {
  const file = path.join(copy, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

describe('the layer rule', () => {
  beforeAll(() => {
    copy = mkdtempSync(path.join(tmpdir(), 'bcon-layers-'));
    for (const dir of ['packages', 'apps']) {
      for (const pkg of readdirSync(path.join(REPO, dir))) {
        cpSync(path.join(REPO, dir, pkg, 'src'), path.join(copy, dir, pkg, 'src'), { recursive: true });
      }
    }
    writeFileSync(
      path.join(copy, 'eslint.config.js'),
      `import { bconEslintConfig } from ${JSON.stringify(path.join(REPO, 'tooling', 'eslint-config', 'index.js'))};\nexport default bconEslintConfig({ root: import.meta.dirname });\n`,
    );
  });

  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it('passes on the real sources', async () => {
    const res = await lint(['packages', 'apps']);
    expect(res.out).toBe('');
    expect(res.code).toBe(0);
  });

  it('only @bcon/ops may import the executor: a front-end (the CLI, the reconciler) that does is refused', async () => {
    const files = [
      plant('apps/cli/src/planted-executor.ts', "export const load = () => import('@bcon/executor');\n"),
      plant('apps/reconciler/src/planted-executor.ts', "import type { ExecutionResult } from '@bcon/executor';\nexport type R = ExecutionResult;\n"),
      plant('packages/ops/src/planted-executor.ts', "export const load = () => import('@bcon/executor');\n"),
    ];
    const res = await lint(files);
    expect(res.code).toBe(1);
    const problems = res.out.split('\n').filter((l) => l.includes('bcon/layers'));
    expect(problems).toHaveLength(2);
    expect(res.out).toContain('@bcon/cli is app (cli) and must not import @bcon/executor');
    expect(res.out).toContain('@bcon/reconciler is app (reconciler) and must not import @bcon/executor');
  });

  it('fails on an upward import, a type-only one, a dynamic one, a store import in sensor, and a relative reach-in', async () => {
    const files = [
      plant('packages/sensor/src/planted-upward.ts', "import { buildStatusReport } from '@bcon/reasoning';\nexport const x = buildStatusReport;\n"),
      plant('packages/sensor/src/planted-type.ts', "import type { GuardrailTier } from '@bcon/decision';\nexport type T = GuardrailTier;\n"),
      plant('packages/reasoning/src/planted-dynamic.ts', "export const load = () => import('@bcon/executor');\n"),
      plant('packages/sensor/src/planted-store.ts', "export { openStore } from '@bcon/store';\n"),
      plant('packages/decision/src/planted-relative.ts', "export * from '../../executor/src/index.js';\n"),
      plant('packages/reasoning/src/planted-deep.ts', "export * from '@bcon/sensor/src/engine/client.js';\n"),
    ];
    const res = await lint(files);
    expect(res.code).toBe(1);
    const problems = res.out.split('\n').filter((l) => l.includes('bcon/layers'));
    expect(problems).toHaveLength(6);
    expect(res.out).toContain('@bcon/sensor is level 1 (sensor) and must not import @bcon/reasoning');
    expect(res.out).toContain('must not import @bcon/decision');
    expect(res.out).toContain('@bcon/reasoning is level 1 (reasoning) and must not import @bcon/executor');
    expect(res.out).toContain('@bcon/sensor is level 1 (sensor) and must not import @bcon/store');
    expect(res.out).toContain('@bcon/decision is level 2 (decision) and must not import @bcon/executor');
    expect(res.out).toContain('Deep import "@bcon/sensor/src/engine/client.js"');
  });

  it('allows imports that point down', async () => {
    const files = [
      plant('packages/reasoning/src/planted-down.ts', "import type { Snapshot } from '@bcon/sensor';\nexport type S = Snapshot;\n"),
      plant('packages/executor/src/planted-down.ts', "import { GUARDRAIL_TIERS } from '@bcon/decision';\nexport const t = GUARDRAIL_TIERS;\n"),
    ];
    const res = await lint(files);
    expect(res.out).toBe('');
    expect(res.code).toBe(0);
  });
});

describe('package manifests', () => {
  it('declare only the bcon packages below them', () => {
    for (const [name, info] of Object.entries(LAYERS)) {
      const manifest = JSON.parse(readFileSync(path.join(REPO, info.dir, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
      expect(manifest['name']).toBe(name);
      const runtime = Object.keys({ ...manifest['dependencies'], ...manifest['peerDependencies'], ...manifest['optionalDependencies'] }).filter((d) =>
        d.startsWith('@bcon/'),
      );
      const notAllowed = runtime.filter((d) => !(info.may as readonly string[]).includes(d));
      expect(notAllowed, `${name} declares ${notAllowed.join(', ')}`).toEqual([]);
    }
  });

  it('expose only their public entry points', () => {
    for (const info of Object.values(LAYERS)) {
      const manifest = JSON.parse(readFileSync(path.join(REPO, info.dir, 'package.json'), 'utf8')) as { exports?: Record<string, unknown> };
      expect(manifest.exports, info.dir).toBeDefined();
      for (const key of Object.keys(manifest.exports ?? {})) expect(key).not.toMatch(/\*|src|dist/);
    }
  });
});
