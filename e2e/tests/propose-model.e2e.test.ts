// The model in proposals, against a local server that speaks the OpenAI protocol (the one allowed fake) and a real
// engine: `bcon propose` adds what the model suggests only when it is a typed catalog action on the diagnosed
// service, citing evidence the diagnosis has; bcon scores and tiers it, `bcon approve` runs it on the engine; an
// out-of-catalog, other-service, evidence-less or invalid suggestion is refused and reported; secrets never reach
// the model; with no model configured the proposal is the rules' alone.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit, openStore } from '@bcon/store';
import { runBcon } from '../harness/bcon.js';
import { docker, removeProject, waitFor } from '../harness/docker.js';
import type { FakeLlm, RecordedLlmRequest } from '../harness/fake-llm.js';
import { startFakeLlm } from '../harness/fake-llm.js';
import { inspect, runComposeContainer } from '../harness/fixtures.js';
import { BUSYBOX_IMAGE } from '../testbed/images.mjs';

const P = 'e2epm';
const CANARY = 'canary-pm-Zq81xW4';
const MiB = 1024 * 1024;
let llm: FakeLlm;
let home: string;
let repo: string;
/** the options of a proposal made with no model: what the rules propose */
let offlineOptions: Array<[string, Record<string, unknown>]> = [];

interface JsonOption { n: number; action: string; params: Record<string, unknown>; risk: string; tier: string; reasons: string[]; summary: string; source?: string; evidence?: string[] }
interface JsonProposal { id: string; target: string; options: JsonOption[]; notes: string[]; modelRefused?: Array<{ reason: string; suggestion: string }> }

const withModel = () => ({ BCON_HOME: home, BCON_ACTOR: 'user/e2e', BCON_LLM_BASE_URL: llm.baseUrl, BCON_LLM_MODEL: 'fake-model' });
const offline = () => ({ BCON_HOME: home, BCON_ACTOR: 'user/e2e' });

async function propose(env: Record<string, string>, json = true) {
  const res = await runBcon(['propose', 'api', 'the api answers 500s', '--repo', repo, ...(json ? ['--json'] : [])], env);
  expect(res.code, res.stderr).toBe(0);
  return res;
}

/** The evidence ids the model was sent. */
const idsOf = (req: RecordedLlmRequest) => [...(req.body.messages.find((m) => m.role === 'user')?.content ?? '').matchAll(/- (e\d+) \[/g)].map((m) => m[1] as string);

describe('bcon propose with a model', () => {
  beforeAll(async () => {
    llm = await startFakeLlm();
    home = mkdtempSync(path.join(tmpdir(), 'bcon-pm-home-'));
    repo = path.join(mkdtempSync(path.join(tmpdir(), 'bcon-pm-')), P);
    mkdirSync(repo);
    execFileSync('git', ['init', '-q'], { cwd: repo });
    removeProject(P);
    runComposeContainer({ project: P, service: 'db', image: BUSYBOX_IMAGE, restart: 'no', command: ['sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait'] });
    runComposeContainer({ project: P, service: 'cache', image: BUSYBOX_IMAGE, command: ['sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait'] });
    runComposeContainer({
      project: P,
      service: 'api',
      image: BUSYBOX_IMAGE,
      memory: '32m',
      env: { DB_PASSWORD: CANARY, DATABASE_URL: `postgres://app:${CANARY}@db:5432/app` },
      labels: { 'com.docker.compose.depends_on': 'db:service_started:false' },
      command: ['sh', '-c', 'trap "exit 0" TERM; while :; do echo "Error: connect ECONNREFUSED db:5432" >&2; sleep 0.5; done & wait'],
    });
    docker(['kill', `${P}-db-1`]);
    waitFor(() => inspect(`${P}-db-1`, '{{.State.Status}}') === 'exited', 20_000, 'db to exit');
    await new Promise((r) => setTimeout(r, 3000));
  }, 120_000);

  afterAll(async () => {
    removeProject(P);
    await llm.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(path.dirname(repo), { recursive: true, force: true });
  });

  it('with no model configured: the rules\' options only, no model fields, no request', async () => {
    llm.requests.length = 0;
    const { proposal } = JSON.parse((await propose(offline())).stdout) as { proposal: JsonProposal };
    expect(llm.requests).toHaveLength(0);
    expect(proposal.options.length).toBeGreaterThan(0);
    expect(proposal.options.some((o) => 'source' in o || 'evidence' in o)).toBe(false);
    expect('modelRefused' in proposal).toBe(false);
    offlineOptions = proposal.options.map((o) => [o.action, o.params]);
    const text = await propose(offline(), false);
    expect(text.stdout).not.toMatch(/model/i);
  });

  it('a model suggestion is checked, scored and tiered by bcon, approved and run on the engine; bad ones are refused and reported', async () => {
    llm.requests.length = 0;
    llm.fallback = (req) => {
      const ids = idsOf(req);
      const cite = ids.slice(0, 2);
      return {
        kind: 'content',
        content: JSON.stringify({
          suggestions: [
            // the one to take: more memory for the api (no rule proposes it for a refused connection)
            { action: { type: 'service.set_memory', service: 'api', containers: [`${P}-api-1`], memoryBytes: 96 * MiB, previousBytes: 1 }, cause: 'connection_refused', evidence: cite, why: 'give the api headroom while it retries' },
            // out of the catalog
            { action: { type: 'container.exec', container: `${P}-api-1`, cmd: ['sh', '-c', 'cat /proc/1/environ'] }, cause: 'connection_refused', evidence: cite },
            // another service than the diagnosed one and its culprits
            { action: { type: 'container.restart', container: `${P}-cache-1` }, cause: 'connection_refused', evidence: cite },
            // evidence that does not exist, and none at all
            { action: { type: 'service.recreate', service: 'api', container: `${P}-api-1` }, cause: 'connection_refused', evidence: ['e999'] },
            { action: { type: 'container.restart', container: `${P}-api-1` }, cause: 'connection_refused', evidence: [] },
            // invalid parameters (the catalog's schema)
            { action: { type: 'service.scale', service: 'api', to: -3 }, cause: 'connection_refused', evidence: cite },
          ],
        }),
      };
    };
    const res = await propose(withModel());
    expect(llm.requests).toHaveLength(1);
    expect(llm.requests[0]?.raw).not.toContain(CANARY);
    expect(idsOf(llm.requests[0]!).length).toBeGreaterThan(0);
    const { proposal } = JSON.parse(res.stdout) as { proposal: JsonProposal };
    const rules = proposal.options.filter((o) => o.source === undefined);
    const model = proposal.options.filter((o) => o.source === 'model');
    // the rules' options are the same with a model as without one
    expect(rules.map((o) => [o.action, o.params])).toEqual(offlineOptions);
    expect(model).toHaveLength(1);
    const m = model[0]!;
    // bcon's facts, not the model's: the current limit is what an undo puts back
    expect(m).toMatchObject({ action: 'service.set_memory', params: { service: 'api', containers: [`${P}-api-1`], memoryBytes: 96 * MiB, previousBytes: 32 * MiB }, tier: 'explicit' });
    expect(m.n).toBe(rules.length + 1);
    expect(m.evidence?.length).toBeGreaterThan(0);
    expect(m.reasons[0]).toMatch(/^suggested by the model for connection_refused of api, citing e\d+/);
    expect(proposal.modelRefused?.map((r) => r.reason)).toEqual([
      expect.stringMatching(/^"container.exec" is not a catalog action a model may suggest/),
      `container "${P}-cache-1" is not a container of the services this proposal may act on (api, db)`,
      'it cites evidence "e999", which the diagnosis does not have',
      'it cites no evidence',
      expect.stringMatching(/^not a valid service.scale action \(to: /),
    ]);
    for (const r of proposal.modelRefused ?? []) expect(r.suggestion).not.toContain(CANARY);

    // the text keeps the model's options apart
    llm.requests.length = 0;
    const text = (await propose(withModel(), false)).stdout;
    expect(text).toMatch(/\n\s+Suggested by the model[^\n]*\n\s+\d+\. set the memory limit of api to 96 MiB/);
    expect(text).toMatch(/note: a suggestion of the model was refused: "container.exec" is not a catalog action/);

    // approved like any option, it runs on the real engine through bcon's one write path
    const approved = await runBcon(['approve', proposal.id, '--option', String(m.n), '--yes', '--json', '--timeout', '20'], withModel());
    expect(approved.code, approved.stderr).toBe(0);
    expect(JSON.parse(approved.stdout)).toMatchObject({ status: 'succeeded' });
    expect(inspect(`${P}-api-1`, '{{.HostConfig.Memory}}')).toBe(String(96 * MiB));
    const store = openStore({ home });
    try {
      const created = listAudit(store).find((e) => e.action === 'proposal.create' && JSON.stringify(e.context ?? {}).includes(proposal.id));
      expect(JSON.stringify(created?.context)).toContain('bcon+model');
    } finally {
      store.close();
    }
  });

  it('a model that cannot answer leaves the rules\' proposal whole, with a note', async () => {
    llm.requests.length = 0;
    llm.fallback = () => ({ kind: 'status', status: 500, message: 'overloaded' });
    const { proposal } = JSON.parse((await propose({ ...withModel(), BCON_LLM_MODEL: 'fake-model-2' })).stdout) as { proposal: JsonProposal };
    expect(proposal.options.length).toBeGreaterThan(0);
    expect(proposal.options.some((o) => o.source === 'model')).toBe(false);
    expect(proposal.notes.join('\n')).toMatch(/the model's suggestions were not used/);
  });
});
