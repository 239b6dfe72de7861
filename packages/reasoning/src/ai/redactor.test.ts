import { describe, expect, it } from 'vitest';
import { Redactor, entropy } from './redactor.js';

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
});
