import { describe, expect, it } from 'vitest';
import { Redactor } from '../ai/redactor.js';
import { redactText } from './text.js';

/** Each text, the secret in it that must never be printed (or sent). */
const CASES: Array<[string, string, string]> = [
  ['a URL with an empty user', 'connecting to redis://:Emp7yUserPw@cache:6379/0', 'Emp7yUserPw'],
  ['a URL password holding "/"', 'DATABASE_URL=postgres://app:pa/ss/w0rd9@db:5432/app', 'pa/ss/w0rd9'],
  ["redis-cli's -a <password>", 'redis-cli -h cache -a RedisCli9pw ping', 'RedisCli9pw'],
  ["redis-cli's -a<password>", 'redis-cli -aRedisCli8pw ping', 'RedisCli8pw'],
  ["mysql's -p<password>", 'mysqladmin ping -uroot -pMyRootPw77 --silent', 'MyRootPw77'],
  ['--password <value>', 'pg_dump --password Flag5paceVal -h db', 'Flag5paceVal'],
  ['--password=<value>', 'backup --password=FlagEqVal6 --verbose', 'FlagEqVal6'],
  ['--requirepass <value>', 'redis-server --appendonly yes --requirepass ReqPass4val', 'ReqPass4val'],
  ['--api-key=<value>', 'client --api-key=KeyFlagVal3', 'KeyFlagVal3'],
  ['flags of an argv rendered as JSON', 'command: ["redis-server","--requirepass","JsonArgvPw2"] in image redis:7', 'JsonArgvPw2'],
  ['-p<password> in a JSON argv', 'command: ["mysql","-uroot","-pJsonMyPw1"]', 'JsonMyPw1'],
  ['Korean 비밀번호=…', '접속 실패: 비밀번호=KoEqPw11 사용자=app', 'KoEqPw11'],
  ['Korean 비밀번호: …', '비밀번호: KoColonPw12', 'KoColonPw12'],
  ['Korean 암호=…', 'db 암호=KoAmhoPw13', 'KoAmhoPw13'],
  ['Korean 패스워드: …', '패스워드: KoPassPw14', 'KoPassPw14'],
  ['a full-width colon', 'password：FullWidth15', 'FullWidth15'],
  ['a full-width colon after a Korean key', '비밀번호：FullKo16', 'FullKo16'],
  ['PASSPHRASE=…', 'PASSPHRASE=correct-horse-17', 'correct-horse-17'],
  ['a password holding "/"', 'login failed, password=sl/ash/pw18 rejected', 'sl/ash/pw18'],
  ['a quoted password with spaces', 'config {"db_password": "two words 19"}', 'two words 19'],
  ['a password inside JSON text', String.raw`{"line":"retry with password=\"QuotedInJson20\""}`, 'QuotedInJson20'],
  ['DB_PASS=…', 'env DB_PASS=DbPassVal21', 'DbPassVal21'],
  ['ENCRYPTION_KEY=…', 'ENCRYPTION_KEY=EncKeyVal22', 'EncKeyVal22'],
  ['JWT_KEY=…', 'JWT_KEY: JwtKeyVal23', 'JwtKeyVal23'],
  ['curl -u user:password', 'curl -fsS -u admin:CurlUserPw24 http://localhost/health', 'CurlUserPw24'],
];

const PGP = [
  '-----BEGIN PGP PRIVATE KEY BLOCK-----',
  '',
  'lQOYBGXc0aUBCADKj8Fz3mZk1p9QeYwVvNnR2s7tXbLqPzK4HcW5uJyA0fTgEoRi',
  'PgpBody25xq',
  '=Zx9Q',
  '-----END PGP PRIVATE KEY BLOCK-----',
].join('\n');

describe('the rules (one table): what redactText masks with *** for printing', () => {
  for (const [what, text, secret] of CASES) {
    it(`masks ${what}`, () => {
      const out = redactText(text);
      expect(out).not.toContain(secret);
      expect(out).toContain('***');
    });
  }

  it('masks a PGP private key block, and one whose END line was cut off', () => {
    expect(redactText(`key:\n${PGP}\ndone`)).toBe('key:\n***\ndone');
    expect(redactText(PGP.split('\n').slice(0, 4).join('\n'))).not.toContain('PgpBody25xq');
  });

  it('masks a value found late in the text where it appeared first too', () => {
    const text = 'user bob logged in with LateSecret26x\nretry: password=LateSecret26x';
    expect(redactText(text)).toBe('user bob logged in with ***\nretry: password=***');
    expect(redactText('started --requirepass LateFlag27x; echo LateFlag27x')).not.toContain('LateFlag27x');
  });

  it('keeps the key, the flag and the scheme, so the text still says what it was', () => {
    expect(redactText('redis-cli -a RedisCli9pw ping')).toBe('redis-cli -a *** ping');
    expect(redactText('mysql -pMyRootPw77')).toBe('mysql -p***');
    expect(redactText('redis://:Emp7yUserPw@cache:6379')).toBe('redis://:***@cache:6379');
    expect(redactText('비밀번호: KoColonPw12')).toBe('비밀번호: ***');
    expect(redactText('a=1, password=p,w;d, b=2')).toBe('a=1, password=***, b=2');
    expect(redactText('echo password=LeakHealthA-0Vc7x')).toBe('echo password=***');
    expect(redactText('GET /x?sig=Zx9Qw2Ls8Kd7Pm3Nv6BtQ1 200')).toBe('GET /x?sig=*** 200');
  });

  it('leaves ordinary text, variable references and the names of missing variables alone', () => {
    for (const plain of [
      'GET /api/orders?page=2 200 41 ms; connect ECONNREFUSED 127.0.0.1:5432; took[1.7s]; com.acme.reports.ReportJob',
      "KeyError: 'STRIPE_API_KEY'",
      'mysqladmin ping -p$MYSQL_ROOT_PASSWORD',
      'password: ${DB_PASSWORD}',
      'container 3f2a9c1b8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3 image sha256:abc',
    ]) {
      expect(redactText(plain), plain).toBe(plain);
    }
  });
});

describe('one table, two replacers', () => {
  it('masks exactly what the redactor masks (*** where the gateway puts [REDACTED:…])', () => {
    const texts = [
      ...CASES.map(([, text]) => text),
      PGP,
      'SENTRY_DSN=https://abc123@o1.ingest.sentry.io/4',
      'authorization: xyzabc12345',
      'Authorization: Bearer abcdefghijklmnop1234',
      'api_key: "Zx9Qw2Ls8Kd7Pm3Nv6Bt"  stripe sk_live_abcdefghij0123456789 aws AKIAABCDEFGHIJKLMNOP',
    ];
    for (const text of texts) expect(new Redactor().redact(text).replace(/\[REDACTED:[^\]]*\]/g, '***'), text).toBe(redactText(text));
  });
});
