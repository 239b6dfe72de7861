// A service recreated from a compose file that was never committed, on a real engine and a real git repository:
// someone debugged the mailer with a local override (`-f compose.yaml -f compose.debug.yaml`: one worker instead of
// eight) and left it. Compose records both files on the container; the desired state is what is committed, so the
// override's change is drift, and the diagnosis names it (before: the uncommitted file made the whole read fail, and
// nothing was found). A stack brought up from the committed file alone has no such finding.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiagnosisReportSchema } from '@bcon/reasoning/schemas';
import { type ComposeStack, upStack } from '../harness/compose-stack.js';
import { runBcon } from '../harness/bcon.js';

const P = 'e2eoverride';
const worker = (concurrency: number) => JSON.stringify(['sh', '-c', `trap 'exit 0' TERM; while :; do echo 'mailer: sent 1 email'; sleep 1; done`, 'mailer', `--concurrency=${concurrency}`]);
const COMPOSE = `services:
  mailer:
    image: bcon-test/busybox:1
    network_mode: none
    restart: unless-stopped
    command: ${worker(8)}
`;
const DEBUG = `services:
  mailer:
    command: ${worker(1)}
`;

async function diagnose(stack: ComposeStack) {
  const res = await runBcon(['diagnose', 'mailer', 'emails arrive late', '--repo', stack.dir, '--json'], { BCON_HOME: stack.home });
  expect(res.code, res.stderr).toBe(0);
  return DiagnosisReportSchema.parse(JSON.parse(res.stdout));
}

describe('a service recreated from a local override that is not committed', () => {
  let stack: ComposeStack | undefined;
  beforeAll(() => {
    stack = upStack(P, { 'compose.yaml': COMPOSE }, 'mailer with eight workers');
  }, 120_000);
  afterAll(() => stack?.cleanup());

  it('from the committed file alone: no drift', async () => {
    if (!stack) throw new Error('no stack');
    const report = await diagnose(stack);
    expect(report.hypotheses.filter((h) => h.cause === 'config_drift'), JSON.stringify(report.hypotheses)).toEqual([]);
  }, 60_000);

  it('recreated with the override: config drift of the mailer, and a notice naming the file that is not committed', async () => {
    if (!stack) throw new Error('no stack');
    writeFileSync(path.join(stack.dir, 'compose.debug.yaml'), DEBUG);
    execFileSync('docker-compose', ['-p', P, '-f', 'compose.yaml', '-f', 'compose.debug.yaml', 'up', '-d', 'mailer'], { cwd: stack.dir, env: process.env, stdio: ['ignore', 'ignore', 'pipe'] });
    const report = await diagnose(stack);
    const h = report.hypotheses.find((x) => x.cause === 'config_drift' && x.culprit === 'mailer');
    expect(h, JSON.stringify(report.hypotheses)).toBeDefined();
    const cited = report.evidence.filter((e) => h?.evidence.includes(e.id)).map((e) => e.text);
    expect(cited.join('\n')).toMatch(/concurrency/);
    const labels = execFileSync('docker', ['inspect', '-f', '{{index .Config.Labels "com.docker.compose.project.config_files"}} {{index .Config.Labels "com.docker.compose.project.working_dir"}}', `${P}_mailer_1`], { encoding: 'utf8' });
    expect(report.notices.join('\n'), labels).toMatch(/compose\.debug\.yaml, not in HEAD/);
  }, 60_000);
});
