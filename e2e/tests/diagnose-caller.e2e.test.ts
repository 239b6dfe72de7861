// A fault in front of the service asked about, on a real engine: an nginx proxy out of file descriptors (a real
// `nofile` limit of 512, worker_connections far above it) answers 500 for checkouts the API never sees, and the
// person asks about the API, which is healthy and logs only 200s. What calls the target is read as a lead
// (ops/diagnose.ts: the same project, the target in its dependency closure): the cause is found on the proxy. Before,
// the scope was the target and what it needs, and the proxy was never read. A second caller of the API that only
// logs successes gets no claim.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiagnosisReportSchema } from '@bcon/reasoning/schemas';
import { type ComposeStack, upStack } from '../harness/compose-stack.js';
import { runBcon } from '../harness/bcon.js';

const P = 'e2ecaller';
// `$$` is compose's escape for a `$` the shell is to see
const loop = (body: string) => JSON.stringify(['sh', '-c', `trap 'exit 0' TERM; ${body}`.replaceAll('$', '$$$$')]);
const API = loop(
  `while :; do echo "{\\"level\\":30,\\"time\\":$(date +%s)000,\\"msg\\":\\"request completed\\",\\"req\\":{\\"method\\":\\"GET\\",\\"url\\":\\"/api/cart\\"},\\"res\\":{\\"statusCode\\":200},\\"responseTime\\":14}"; sleep 1; done`,
);
const PROXY = loop(
  `echo "$(date -u '+%Y/%m/%d %H:%M:%S') [warn] 1#1: 4096 worker_connections exceed open file resource limit: $(ulimit -n)"; ` +
    `while :; do t=$(date -u '+%Y/%m/%d %H:%M:%S'); ` +
    `echo "$t [crit] 29#29: *4411 socket() failed (24: Too many open files) while connecting to upstream, client: 127.0.0.1, server: shop, request: \\"POST /api/checkout HTTP/1.1\\", upstream: \\"http://127.0.0.1:3000/api/checkout\\", host: \\"shop.example\\"" >&2; ` +
    `echo "127.0.0.1 - - [$(date -u '+%d/%b/%Y:%H:%M:%S') +0000] \\"POST /api/checkout HTTP/1.1\\" 500 177 \\"-\\" \\"Mozilla/5.0\\""; sleep 1; done`,
);
const ADMIN = loop(`while :; do echo "$(date -u '+%Y-%m-%dT%H:%M:%SZ') INFO admin: GET /api/cart 200 in 12ms"; sleep 2; done`);
const COMPOSE = `services:
  api:
    image: bcon-test/busybox:1
    network_mode: none
    restart: unless-stopped
    command: ${API}
  proxy:
    image: bcon-test/busybox:1
    network_mode: none
    restart: unless-stopped
    depends_on: [api]
    ulimits:
      nofile: { soft: 512, hard: 512 }
    command: ${PROXY}
  admin:
    image: bcon-test/busybox:1
    network_mode: none
    restart: unless-stopped
    depends_on: [api]
    command: ${ADMIN}
`;

describe('a healthy API behind a proxy out of file descriptors', () => {
  let stack: ComposeStack | undefined;
  beforeAll(async () => {
    stack = upStack(P, { 'compose.yaml': COMPOSE }, 'shop: api, proxy, admin');
    await new Promise((r) => setTimeout(r, 8_000));
  }, 120_000);
  afterAll(() => stack?.cleanup());

  it('asked about the API: the proxy in front of it is the cause, the other caller is not blamed', async () => {
    if (!stack) throw new Error('no stack');
    const res = await runBcon(['diagnose', 'api', 'checkout fails with 500', '--repo', stack.dir, '--json'], { BCON_HOME: stack.home });
    expect(res.code, res.stderr).toBe(0);
    const report = DiagnosisReportSchema.parse(JSON.parse(res.stdout));
    const all = JSON.stringify(report.hypotheses.map((h) => [h.cause, h.culprit, h.confidence]));
    expect(report.hypotheses[0]?.cause, all).toBe('too_many_open_files');
    expect(report.hypotheses[0]?.culprit, all).toBe('proxy');
    const cited = report.evidence.filter((e) => report.hypotheses[0]?.evidence.includes(e.id)).map((e) => e.text);
    expect(cited.join('\n'), all).toMatch(/Too many open files/);
    // (read beside the API too, where a lead is capped under 0.45: nothing at all is said of it)
    expect(report.hypotheses.filter((h) => h.culprit === 'admin'), all).toEqual([]);
  }, 60_000);
});
