import { describe, expect, it } from 'vitest';
import { container } from '../__fixtures__/facts.js';
import { spec } from '../__fixtures__/signals.js';
import { resolveLlmSettings } from './config.js';
import { LlmGateway } from './gateway.js';
import { Redactor, entropy } from './redactor.js';

const gateway = () => {
  const settings = resolveLlmSettings({ BCON_LLM_BASE_URL: 'http://127.0.0.1:9/v1', BCON_LLM_MODEL: 'm' }, undefined);
  if (!settings) throw new Error('settings');
  return new LlmGateway(settings);
};

describe('the redactor', () => {
  it('masks env secrets, URL credentials, tokens, keys and random strings, with stable placeholders', () => {
    const r = new Redactor().seedEnv({ DB_PASSWORD: 'canary-pw-8812', DATABASE_URL: 'postgres://app:canary-url-55@db:5432/app', NODE_ENV: 'production' });
    const text = [
      'connecting with password canary-pw-8812 to postgres://app:canary-url-55@db:5432/app',
      'retry: password=canary-pw-8812',
      'Authorization: Bearer abcdefghijklmnop1234',
      'aws AKIAABCDEFGHIJKLMNOP, jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      'api_key: "Zx9Qw2Ls8Kd7Pm3Nv6Bt"  stripe sk_live_abcdefghij0123456789',
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----',
      'container 3f2a9c1b8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3 image sha256:abc',
    ].join('\n');
    const out = r.redact(text);
    for (const secret of ['canary-pw-8812', 'canary-url-55', 'abcdefghijklmnop1234', 'AKIAABCDEFGHIJKLMNOP', 'eyJhbGciOiJIUzI1NiJ9', 'Zx9Qw2Ls8Kd7Pm3Nv6Bt', 'sk_live_abcdefghij', 'MIIEowIBAAKCAQEA']) {
      expect(out).not.toContain(secret);
    }
    // the same value is the same placeholder, named after the variable it came from
    expect(out.match(/\[REDACTED:DB_PASSWORD\]/g)).toHaveLength(2);
    expect(out).toContain('postgres://app:[REDACTED:DATABASE_URL_PASSWORD]@db:5432/app');
    expect(r.redact('again canary-pw-8812')).toBe('again [REDACTED:DB_PASSWORD]');
    // ids and digests stay: they are evidence, not secrets
    expect(out).toContain('3f2a9c1b8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3');
  });

  it('leaves ordinary text alone', () => {
    const plain = 'GET /api/orders?page=2 200 41 ms; connect ECONNREFUSED 127.0.0.1:5432; took[1.7s]; com.acme.reports.ReportJob';
    expect(new Redactor().redact(plain)).toBe(plain);
    expect(entropy('aaaa')).toBe(0);
  });

  it('seeds from env by name (DB_PASS, ENCRYPTION_KEY, JWT_KEY, PASSPHRASE) and URL passwords in any value (empty user, "/")', () => {
    const r = new Redactor().seedEnv({
      DB_PASS: 'DbPassSeed31',
      ENCRYPTION_KEY: 'EncKeySeed32',
      JWT_KEY: 'JwtKeySeed33',
      PASSPHRASE: 'phrase seed 34',
      CACHE_URL: 'redis://:CacheSeed35@cache:6379',
      STORE_URL: 'postgres://app:pa/ss/Seed36@db/app',
      PORT: '8080',
      AUTH_ENABLED: 'true',
    });
    const out = r.redact('values: DbPassSeed31 EncKeySeed32 JwtKeySeed33 "phrase seed 34" CacheSeed35 pa/ss/Seed36 on port 8080, auth true');
    for (const secret of ['DbPassSeed31', 'EncKeySeed32', 'JwtKeySeed33', 'phrase seed 34', 'CacheSeed35', 'pa/ss/Seed36']) expect(out).not.toContain(secret);
    expect(out).toContain('[REDACTED:DB_PASS]');
    expect(out).toContain('[REDACTED:CACHE_URL_PASSWORD]');
    // a port and a boolean are not secrets, even under a secret-looking name
    expect(out).toContain('on port 8080, auth true');
  });

  it('seeds from a container: env, labels, command, entrypoint, healthcheck test and probe output', () => {
    const c = container({
      service: 'cache',
      config: {
        cmd: ['redis-server', '--requirepass', 'ReqSeed41', '--masterauth=MasterSeed42', '--password=PwEqSeed49'],
        entrypoint: ['docker-entrypoint.sh'],
        env: ['APP_SECRET=AppSecretSeed43', 'PATH=/bin'],
        healthcheck: { test: ['CMD-SHELL', 'redis-cli -a HealthSeed44 ping && mysqladmin ping -pHealthSeed45'], intervalNs: undefined, timeoutNs: undefined, startPeriodNs: undefined, retries: undefined },
      },
      labels: { 'traefik.http.middlewares.auth.basicauth.users': 'admin:LabelSeed46', note: 'secret=LabelSeed47' },
      health: { status: 'unhealthy', failingStreak: 3, log: [{ start: '', end: '', exitCode: 1, output: 'auth failed with password=ProbeSeed48' }] },
    });
    const r = new Redactor().seedContainer(c);
    const seeds = ['ReqSeed41', 'MasterSeed42', 'PwEqSeed49', 'AppSecretSeed43', 'HealthSeed44', 'HealthSeed45', 'LabelSeed46', 'LabelSeed47', 'ProbeSeed48'];
    const out = r.redact(`a log line that names them bare: ${seeds.join(' ')}`);
    for (const s of seeds) expect(out).not.toContain(s);
    // the names of services and containers are kept even when a value equals one
    r.seedEnv({ SESSION_STORE: 'cache' });
    expect(r.redact('cache is up (shop-cache-1)')).toBe('cache is up (shop-cache-1)');
  });

  it('seeds from a compose service: environment, command, healthcheck', () => {
    const r = new Redactor().seedService(spec('db', { environment: { DB_PASS: 'ComposeSeed51', JWT_KEY: 'ComposeSeed52' }, command: ['postgres', '-c', 'password_encryption=ComposeSeed53'] }));
    const out = r.redact('ComposeSeed51 ComposeSeed52 ComposeSeed53');
    expect(out).not.toMatch(/ComposeSeed/);
  });

  it('masks the secret arguments of an argv whole, however short', () => {
    const r = new Redactor();
    expect(r.redactArgv(['redis-cli', '-a', 'pw', 'ping'])).toEqual(['redis-cli', '-a', '[REDACTED:PASSWORD]', 'ping']);
    expect(r.redactArgv(['redis-server', '--requirepass', 'q1'])).toEqual(['redis-server', '--requirepass', '[REDACTED:REQUIREPASS]']);
    expect(new Redactor().redactArgv(['mysql', '-pq2'])[1]).toBe('-p[REDACTED:PASSWORD]');
  });

  it('learns a whole request before masking it: a value seen late is masked where it appeared first', () => {
    const g = gateway();
    const sent = g.redactRequest([
      { role: 'system', content: 'you read logs' },
      { role: 'user', content: 'first line mentions LateReq61 and LateFlag62 bare' },
      { role: 'tool', content: 'much later: password=LateReq61; then redis-server --requirepass LateFlag62' },
    ]);
    const text = sent.map((m) => m.content).join('\n');
    expect(text).not.toContain('LateReq61');
    expect(text).not.toContain('LateFlag62');
    // within one text too
    expect(new Redactor().redact('with LateOne63 first\nthen --password=LateOne63')).toBe('with [REDACTED:PASSWORD] first\nthen --password=[REDACTED:PASSWORD]');
  });

  it('redacts a tool result whole: values of secret keys, key blocks split over log lines', () => {
    const r = new Redactor();
    const out = JSON.stringify(
      r.redactDeep({
        env: { DB_PASS: 'DeepSeed71', LEVEL: 'debug' },
        lines: ['2026 api -----BEGIN PGP PRIVATE KEY BLOCK-----', '2026 api lQOYBGXc0aUBCADKj8Fz3mZk1p9QeYwV', '2026 api DeepBody72zz', '2026 api -----END PGP PRIVATE KEY BLOCK-----', '2026 api saw DeepSeed71'],
      }),
    );
    for (const s of ['DeepSeed71', 'lQOYBGXc0aUBCADKj8Fz3mZk1p9QeYwV', 'DeepBody72zz']) expect(out).not.toContain(s);
    expect(out).toContain('"LEVEL":"debug"');
  });

  it('masks a learned secret in a log template where the miner replaced a part of it by <*>', () => {
    const r = new Redactor().seedEnv({ DB_PASS: 'Frag-1234-Secret' });
    r.learn('ERROR: late password=LateFrag-77x9');
    const out = r.redact('ERROR: login with Frag-<*>-Secret failed; retrying with LateFrag-<*>x9 as before; id <*> ok');
    expect(out).toBe('ERROR: login with [REDACTED:DB_PASS] failed; retrying with [REDACTED:PASSWORD] as before; id <*> ok');
    // the template of a line and its sample get the same placeholder
    r.learn('ERROR: redis-cli -a Flag-5678-Pw ping');
    expect(r.redact('ERROR: redis-cli -a Flag-<*>-Pw ping')).toBe(r.redact('ERROR: redis-cli -a Flag-5678-Pw ping'));
  });

  it('gives different values different placeholders, even under the same name', () => {
    const r = new Redactor();
    expect(r.redact('password=FirstVal81 password=SecondVal82')).toBe('password=[REDACTED:PASSWORD] password=[REDACTED:PASSWORD_2]');
  });
});
