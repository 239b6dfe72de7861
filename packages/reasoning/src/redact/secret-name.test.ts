import { describe, expect, it } from 'vitest';
import { isSecretName } from './secret-name.js';

describe('secret names (one list for redaction, drift, risk and the ask tools)', () => {
  it('covers every name any of the former four lists covered', () => {
    for (const name of ['DB_PASSWORD', 'PGPASSWD', 'DB_PWD', 'PASSPHRASE', 'APP_SECRET', 'GITHUB_TOKEN', 'API_KEY', 'AWS_ACCESS_KEY_ID', 'ENCRYPTION_KEY', 'SSH_PRIVATE_KEY', 'GOOGLE_CREDENTIALS', 'SENTRY_DSN', 'BASIC_AUTH', 'COOKIE_SECRET', 'SESSION_KEY', 'JWT_SIGNING_KEY', 'PASSWORD_SALT', 'TLS_CERT_KEY', 'private_key', 'sessionId']) {
      expect(isSecretName(name), name).toBe(true);
    }
  });
  it('knows the words for a password in Korean (and other scripts), for keys of log lines and labels', () => {
    for (const name of ['비밀번호', 'DB_비밀번호', '암호', '패스워드', '비번', 'パスワード', '密码', 'пароль', 'DB_PASS', 'ENCRYPTION_KEY', 'JWT_KEY']) {
      expect(isSecretName(name), name).toBe(true);
    }
  });
  it('leaves ordinary settings alone', () => {
    for (const name of ['PORT', 'NODE_ENV', 'LOG_LEVEL', 'DATABASE_HOST', 'REDIS_URL', 'WORKERS', 'TZ', 'LANG']) {
      expect(isSecretName(name), name).toBe(false);
    }
  });
});
