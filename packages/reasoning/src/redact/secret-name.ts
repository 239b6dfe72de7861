/**
 * A name (env var, label, JSON key, the key of `key=value` in a log line, a `--flag`) that says its value is a
 * secret: the value is never printed, stored in clear or sent to a model, and changing it is a secret change for
 * risk. One list for all of bcon (it was four that differed), the union of them: masking a value too many is cheap,
 * one too few is not. Words for "password", "secret" and "token" in other scripts are part of it (Korean 비밀번호,
 * 암호, 패스워드, 비번, 토큰; Japanese, Chinese, Russian), so `비밀번호: …` in a log is a secret like `password: …`.
 */
export const SECRET_NAME = /PASS|PWD|SECRET|TOKEN|KEY|CREDENTIAL|DSN|PRIVATE|AUTH|COOKIE|SESSION|SIGNING|SALT|비밀|암호|패스워드|비번|토큰|パスワード|暗証|密码|密碼|口令|пароль/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}
