import { createHash, randomBytes } from 'node:crypto';
import type { ImageFacts } from '@bcon/sensor';
import type { DesiredState, ServiceSpec } from '@bcon/sensor/desired';
import { describe, expect, it } from 'vitest';
import { container } from '../__fixtures__/facts.js';
import { renderDriftText } from '../render/drift-text.js';
import { renderDriftYaml } from '../render/drift-yaml.js';
import { driftChanges, driftItems } from './changes.js';
import { compareService } from './compare.js';
import { maskCredentials, redactEnvValue } from './redact.js';
import { buildDriftReport } from './report.js';
import type { DriftReport } from './schema.js';

const image: ImageFacts = { id: 'sha256:aaa', repoTags: ['busybox:1'], env: ['PATH=/bin'], cmd: ['sh'], entrypoint: null, labels: {}, volumes: [], healthcheck: undefined };
const images = new Map([
  ['sha256:aaa', image],
  ['busybox:1', image],
]);
const spec = (over: Partial<ServiceSpec> = {}): ServiceSpec => ({
  name: 'api',
  image: 'busybox:1',
  hasBuild: false,
  containerName: undefined,
  command: ['sleep', '3600'],
  entrypoint: null,
  environment: {},
  ports: [],
  volumes: [],
  managedMountTargets: [],
  volumesFrom: false,
  replicas: 1,
  memoryBytes: undefined,
  memoryReservationBytes: undefined,
  nanoCpus: undefined,
  restart: undefined,
  healthcheck: undefined,
  labels: {},
  dependsOn: [],
  networkMode: 'none',
  profiles: [],
  unrendered: [],
  ...over,
});
const running = (env: string[], over: Partial<ReturnType<typeof container>> = {}) =>
  container({ imageId: 'sha256:aaa', image: 'busybox:1', config: { cmd: ['sleep', '3600'], entrypoint: null, env: ['PATH=/bin', ...env], healthcheck: undefined }, ...over });

const key = randomBytes(32);
const SECRETS = ['S3cret!', 'hunter2', 'p@ss/w:rd', 'ghp_0123456789abcdefghij0123456789abcdef', 'l3aked'];
const noSecret = (text: string) => {
  for (const s of SECRETS) expect(text, s).not.toContain(s);
};

describe('maskCredentials', () => {
  it.each([
    ['postgres://app:S3cret!@db/app', 'postgres://app:***@db/app'],
    ['redis://:hunter2@cache:6379/0', 'redis://:***@cache:6379/0'],
    ['amqp://user:p@ss/w:rd@mq:5672', 'amqp://user:***@mq:5672'],
    ['https://ghp_0123456789abcdefghij0123456789abcdef@github.com/o/r.git', 'https://***@github.com/o/r.git'],
    ['ssh://git@github.com/o/r', 'ssh://git@github.com/o/r'],
    ['http://example.com/a?mail=x@y.z', 'http://example.com/a?mail=x@y.z'],
    ['--db-password=hunter2 --verbose', '--db-password=*** --verbose'],
    ['{"API_TOKEN":"hunter2","mode":"x"}', '{"API_TOKEN":"***","mode":"x"}'],
    ['<redacted sha256:0123abcd>', '<redacted>'],
  ])('%s → %s', (input, output) => {
    expect(maskCredentials(input)).toBe(output);
    expect(maskCredentials(output)).toBe(output);
  });
});

describe('drift never prints a credential', () => {
  it('masks URL passwords in values whose names are not secret, and says when only the masked part differs', () => {
    const s = spec({ environment: { DATABASE_URL: 'postgres://app:S3cret!@db/app', CACHE: 'redis://:hunter2@cache:6379' } });
    const [d] = compareService('shop', s, [running(['DATABASE_URL=postgres://app:l3aked@db/app', 'CACHE=redis://:hunter2@other:6379'])], images, new Map(), { fingerprintKey: key });
    expect(d?.expected).toEqual({ environment: { DATABASE_URL: 'postgres://app:***@db/app', CACHE: 'redis://:***@cache:6379' } });
    expect(d?.actual).toEqual({ environment: { DATABASE_URL: 'postgres://app:***@db/app (differs in a masked credential)', CACHE: 'redis://:***@other:6379' } });
    noSecret(JSON.stringify(d));
  });

  it('fingerprints secret-named values with the key (an HMAC, not a bare sha256), or only says they changed without one', () => {
    const s = spec({ environment: { DB_PASSWORD: 'hunter2' } });
    const c = running(['DB_PASSWORD=S3cret!']);
    const [keyed] = compareService('shop', s, [c], images, new Map(), { fingerprintKey: key });
    const env = keyed?.actual['environment'] as Record<string, string>;
    expect(env['DB_PASSWORD']).toMatch(/^<redacted hmac:[0-9a-f]{12}>$/);
    expect((keyed?.expected['environment'] as Record<string, string>)['DB_PASSWORD']).not.toBe(env['DB_PASSWORD']);
    // not recoverable by hashing guesses: no unkeyed sha256 of the value appears
    const sha = createHash('sha256').update('S3cret!').digest('hex');
    expect(JSON.stringify(keyed)).not.toContain(sha.slice(0, 8));
    // another installation's key gives another fingerprint
    const [other] = compareService('shop', s, [c], images, new Map(), { fingerprintKey: randomBytes(32) });
    expect((other?.actual['environment'] as Record<string, string>)['DB_PASSWORD']).not.toBe(env['DB_PASSWORD']);
    const [unkeyed] = compareService('shop', s, [c], images);
    expect(unkeyed?.expected).toEqual({ environment: { DB_PASSWORD: '<redacted>' } });
    expect(unkeyed?.actual).toEqual({ environment: { DB_PASSWORD: '<redacted, changed>' } });
    expect(redactEnvValue('API_KEY', 'x', key)).toMatch(/^<redacted hmac:/);
  });

  it('masks secret-named labels, credentials in commands (also a secret flag’s next argument) and healthchecks', () => {
    const s = spec({ labels: { 'traefik.http.middlewares.a.basicauth.users': 'admin:hunter2' }, command: ['serve', '--api-key', 'hunter2'] });
    const c = running([], { labels: { 'traefik.http.middlewares.a.basicauth.users': 'admin:S3cret!' }, config: { cmd: ['serve', '--api-key', 'l3aked', '--db', 'postgres://u:S3cret!@db/x'], entrypoint: null, env: ['PATH=/bin'], healthcheck: undefined } });
    const diffs = compareService('shop', s, [c], images, new Map(), { fingerprintKey: key });
    expect(diffs.map((d) => d.field).sort()).toEqual(['command', 'labels']);
    noSecret(JSON.stringify(diffs));
    expect(diffs.find((d) => d.field === 'command')?.actual).toEqual({ command: ['serve', '--api-key', '*** (differs in a masked credential)', '--db', 'postgres://u:***@db/x'] });
  });

  it('leaves fields bcon formats itself (an image reference) readable', () => {
    const [d] = compareService('shop', spec({ image: 'keycloak:21' }), [running([], { image: 'keycloak:22' })], images);
    expect(d).toMatchObject({ field: 'image', expected: { image: 'keycloak:21' }, actual: { image: 'keycloak:22' } });
  });

  it('in the report, its text, YAML and JSON, and what drift --watch and history print', async () => {
    const s = spec({ environment: { DATABASE_URL: 'postgres://app:S3cret!@db/app', SESSION_SECRET: 'hunter2' } });
    const c = { ...running(['DATABASE_URL=postgres://app:l3aked@db/app', 'SESSION_SECRET=S3cret!']), compose: { project: 'shop', service: 'api', number: 1, oneoff: false } };
    const desired = { source: 'HEAD@0000000', projects: [{ name: 'shop', services: { api: s }, disabled: [] }] } as unknown as DesiredState;
    const report = buildDriftReport(desired, [c as ReturnType<typeof container>], images, { fingerprintKey: key });
    expect(report.differences).toHaveLength(1);
    noSecret(JSON.stringify(report));
    noSecret(renderDriftText(report));
    noSecret(await renderDriftYaml(report));
    noSecret(JSON.stringify(driftChanges(undefined, report)));
    expect(renderDriftText(report)).toContain('postgres://app:***@db/app');
  });

  it('masks a report stored before drift masked (read back from history) when printing it', async () => {
    const old: DriftReport = {
      timestamp: '2026-01-01T00:00:00Z',
      status: 'DRIFTED',
      source: 'HEAD@0000000',
      projects: ['shop'],
      differences: [
        { project: 'shop', service: 'api', field: 'environment', container: 'shop-api-1', expected: { environment: { DATABASE_URL: 'postgres://app:S3cret!@db/app', DB_PASSWORD: '<redacted sha256:0123abcd>' } }, actual: { environment: { DATABASE_URL: 'postgres://app:l3aked@db/app', DB_PASSWORD: '<redacted sha256:89abcdef>' } } },
        { project: 'shop', service: 'api', field: 'labels', container: 'shop-api-1', expected: { labels: { 'auth.token': '(unset)' } }, actual: { labels: { 'auth.token': 'hunter2' } } },
      ],
      untracked: [],
      orphans: [],
    };
    noSecret(renderDriftText(old));
    noSecret(await renderDriftYaml(old));
    const items = JSON.stringify(driftItems(old));
    noSecret(items);
    expect(items).not.toMatch(/sha256:/);
  });
});
