import { describe, expect, it } from 'vitest';
import type { ProposalOption, ServiceFacts } from '@bcon/decision';
import { buildProposal } from '@bcon/decision';
import type { Hypothesis } from '@bcon/reasoning';
import { redactText } from '@bcon/reasoning/redact';
import { CAUSE_CODES } from '@bcon/reasoning/schemas';
import type { ContainerFacts } from '@bcon/sensor';
import { actionableServices, vetSuggestions } from './propose-model.js';

const MiB = 1024 * 1024;
function container(service: string, over: Partial<ContainerFacts> = {}): ContainerFacts {
  return {
    id: `${service}-id`,
    name: `shop-${service}-1`,
    image: 'shop/api:2',
    imageId: 'sha256:1',
    createdAt: new Date(0).toISOString(),
    state: 'running',
    pid: 1,
    startedAt: new Date(0).toISOString(),
    finishedAt: undefined,
    exitCode: 0,
    oomKilled: false,
    error: undefined,
    restartCount: 0,
    restartPolicy: { name: 'no', maximumRetryCount: 0 },
    health: { status: 'none', failingStreak: 0, log: [] },
    limits: { memoryBytes: 64 * MiB, memoryReservationBytes: undefined, nanoCpus: undefined },
    networkMode: 'none',
    tty: false,
    labels: {},
    compose: { project: 'shop', service, number: 1, oneoff: false, configHash: undefined, composeMajor: 2, workingDir: undefined, configFiles: [] },
    config: { cmd: ['sleep', '3600'], entrypoint: null, env: [], healthcheck: undefined },
    portBindings: [],
    mounts: [],
    tmpfs: [],
    ...over,
  };
}

const services: Record<string, ServiceFacts> = {
  api: { containers: [container('api')], committedImage: 'shop/api:1', declaredReplicas: 1 },
  db: { containers: [container('db', { image: 'postgres:16', state: 'exited', exitCode: 137 })] },
};
const hypotheses: Hypothesis[] = [{ cause: 'dependency_down', culprit: 'db', confidence: 0.9, summary: 'db is down', evidence: ['e1'], suggestions: [] }];
const report = { evidence: [{ id: 'e1', kind: 'state' as const, source: 'shop-db-1', text: 'exited (137)' }, { id: 'e2', kind: 'log' as const, source: 'shop-api-1', text: 'ECONNREFUSED' }], hypotheses };
const rules: ProposalOption[] = buildProposal({ target: 'api', hypotheses, services }).options;

const vet = (suggestions: unknown[], allowed = ['api']) => vetSuggestions({ suggestions, report, services, allowed, ruleOptions: rules, causeCodes: CAUSE_CODES, redact: redactText });
const ok = (action: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ action, cause: 'connection_refused', evidence: ['e2'], why: 'the api holds broken pooled connections', ...extra });

describe('vetSuggestions: the model proposes only what bcon can check', () => {
  it('takes a typed catalog action on the diagnosed service, citing real evidence; risk and tier are bcon\'s, at least explicit', () => {
    const r = vet([ok({ type: 'container.restart', container: 'shop-api-1' }, { risk: 'low', tier: 'autonomous' })]);
    // the model's own risk/tier fields make the suggestion unreadable: refused, never taken
    expect(r.options).toEqual([]);
    expect(r.refused[0]?.reason).toMatch(/not a suggestion bcon can read .*Unrecognized key/);
    const good = vet([ok({ type: 'container.restart', container: 'shop-api-1' })]);
    expect(good.refused).toEqual([]);
    expect(good.options).toHaveLength(1);
    expect(good.options[0]).toMatchObject({ action: 'container.restart', params: { container: 'shop-api-1' }, source: 'model', evidence: ['e2'], cause: 'connection_refused', culprit: 'api', tier: 'explicit' });
    expect(good.options[0]?.reasons[0]).toMatch(/^suggested by the model for connection_refused of api, citing e2: the api holds broken pooled connections$/);
  });

  it('refuses what is not in the catalog, and a deploy', () => {
    const r = vet([ok({ type: 'container.exec', container: 'shop-api-1', cmd: 'rm -rf /' }), ok({ type: 'service.deploy', service: 'api', image: 'evil:latest' }), { action: { container: 'shop-api-1' }, evidence: ['e2'] }]);
    expect(r.options).toEqual([]);
    expect(r.refused.map((x) => x.reason)).toEqual([
      expect.stringMatching(/^"container.exec" is not a catalog action a model may suggest/),
      expect.stringMatching(/^"service.deploy" is not a catalog action a model may suggest/),
      expect.stringMatching(/^null is not a catalog action/),
    ]);
  });

  it('refuses another service, an unknown container, and a mix of services', () => {
    const r = vet([ok({ type: 'container.start', container: 'shop-db-1' }), ok({ type: 'container.restart', container: 'prod-payments-1' }), ok({ type: 'service.recreate', service: 'api', container: 'shop-db-1' })]);
    expect(r.options).toEqual([]);
    expect(r.refused.map((x) => x.reason)).toEqual([
      'db is not a service this proposal may act on (api)',
      'container "prod-payments-1" is not a container of the services this proposal may act on (api)',
      'it names containers and services of api and db: an option acts on one service',
    ]);
  });

  it('refuses a suggestion without evidence or citing evidence the diagnosis does not have', () => {
    const r = vet([ok({ type: 'service.recreate', service: 'api', container: 'shop-api-1' }, { evidence: [] }), ok({ type: 'service.recreate', service: 'api', container: 'shop-api-1' }, { evidence: ['e2', 'e99'] })]);
    expect(r.options).toEqual([]);
    expect(r.refused.map((x) => x.reason)).toEqual(['it cites no evidence', 'it cites evidence "e99", which the diagnosis does not have']);
  });

  it('validates the action with the catalog\'s schema: invalid or extra fields are refused', () => {
    const r = vet([ok({ type: 'service.set_memory', service: 'api', memoryBytes: -5 }), ok({ type: 'container.restart', container: 'shop-api-1', force: true })]);
    expect(r.options).toEqual([]);
    expect(r.refused[0]?.reason).toMatch(/^not a valid service.set_memory action \(memoryBytes: /);
    expect(r.refused[1]?.reason).toMatch(/^not a valid container.restart action \(\(root\): Unrecognized key/);
  });

  it('fills in what bcon knows (the undo values, the replica count), whatever the model wrote', () => {
    const r = vet([ok({ type: 'service.set_memory', service: 'api', memoryBytes: 256 * MiB, previousBytes: 1 }), ok({ type: 'service.scale', service: 'api', from: 7, to: 2, project: 'other' })]);
    expect(r.refused).toEqual([]);
    expect(r.options.map((o) => o.params)).toEqual([
      { service: 'api', containers: ['shop-api-1'], memoryBytes: 256 * MiB, previousBytes: 64 * MiB },
      { service: 'api', from: 1, to: 2, project: 'shop' },
    ]);
  });

  it('rolls back to the committed image only, and never puts a redaction mask in an env value', () => {
    const r = vet([
      ok({ type: 'service.rollback_image', service: 'api', container: 'shop-api-1', image: 'attacker/api:latest' }),
      ok({ type: 'service.set_env', service: 'api', container: 'shop-api-1', name: 'DB_PASSWORD', value: '[REDACTED:DB_PASSWORD]' }),
      ok({ type: 'service.rollback_image', service: 'api', container: 'shop-api-1', image: 'shop/api:1' }),
    ]);
    expect(r.refused.map((x) => x.reason)).toEqual(['api may be rolled back to its committed image (shop/api:1) only, not "attacker/api:latest"', 'the value is a redaction mask, not a value']);
    expect(r.options[0]?.params).toEqual({ service: 'api', container: 'shop-api-1', image: 'shop/api:1', currentImage: 'shop/api:2' });
  });

  it('leaves out what a rule option already proposes, and a repeated suggestion', () => {
    const rule = rules.find((o) => o.action === 'container.start');
    expect(rule).toBeDefined();
    const r = vet([ok({ type: 'container.start', container: 'shop-db-1' }, { cause: 'dependency_down', evidence: ['e1'] }), ok({ type: 'container.restart', container: 'shop-api-1' }), ok({ type: 'container.restart', container: 'shop-api-1' })], ['api', 'db']);
    expect(r.options.map((o) => o.action)).toEqual(['container.restart']);
    expect(r.notes).toEqual([`the model also suggested option ${rule?.n} (${rule?.summary})`]);
  });

  it('refuses an action whose precondition fails, and masks secrets in what it reports', () => {
    const r = vet([ok({ type: 'container.start', container: 'shop-api-1' }), { action: { type: 'container.restart', container: 'shop-api-1', note: 'postgres://app:hunter2secretpw@db/app' }, evidence: ['e2'] }]);
    expect(r.refused[0]?.reason).toBe('shop-api-1 is already running');
    expect(r.refused[1]?.suggestion).not.toContain('hunter2secretpw');
  });

  it('acts on the diagnosed service and the culprits bcon names, nothing else', () => {
    const signals = { services: [{ name: 'api', containers: [container('api')] }, { name: 'db', containers: [] }, { name: 'cache', containers: [] }] };
    expect(actionableServices({ report: { target: 'shop-api-1' }, signals } as never, hypotheses)).toEqual(['api', 'db']);
    expect(actionableServices({ report: { target: 'api' }, signals } as never, [])).toEqual(['api']);
  });
});
