/**
 * A name (env var, label, JSON key) that says its value is a secret: the value is never printed, stored in clear or
 * sent to a model, and changing it is a secret change for risk. One list for all of bcon (it was four that
 * differed), the union of them: masking a value too many is cheap, one too few is not.
 */
export const SECRET_NAME = /PASS|PWD|SECRET|TOKEN|KEY|CREDENTIAL|DSN|PRIVATE|AUTH|COOKIE|SESSION|SIGNING|SALT/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}
