import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { DesiredStateError } from '../errors.js';

// The official Compose Specification schema (schemas/compose-spec.json, Apache-2.0, see schemas/NOTICE.md).
const require = createRequire(import.meta.url);
type AjvConstructor = new (options: Record<string, unknown>) => { compile(schema: object): ValidateFunction };
let validator: ValidateFunction | undefined;

function compile(): ValidateFunction {
  if (validator) return validator;
  try {
    // precompiled at build time (scripts/build-validator.mjs): no schema compilation at run time
    validator = require('./compose-spec.validate.cjs') as ValidateFunction;
    return validator;
  } catch {
    // running from sources (unit tests): compile now
  }
  const Ajv = require('ajv') as AjvConstructor;
  const schema = require('../../../schemas/compose-spec.json') as object;
  const ajv = new Ajv({ allErrors: false, strict: false, validateSchema: false });
  validator = ajv.compile(schema);
  return validator;
}

function dotted(instancePath: string): string {
  return instancePath
    .split('/')
    .filter(Boolean)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return `unknown key "${String(p['additionalProperty'])}"`;
    case 'type':
      return `expected ${String(p['type']).replace(',', ' or ')}`;
    case 'enum':
      return `expected one of ${(p['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'required':
      return `missing required key "${String(p['missingProperty'])}"`;
    case 'pattern':
      return `does not match the expected pattern ${String(p['pattern'])}`;
    case 'oneOf':
    case 'anyOf':
      return 'does not match any of the allowed forms';
    default:
      return e.message ?? e.keyword;
  }
}

/** Validate one (interpolated) compose document; throws naming the file, the path inside it, and what was expected. */
export function validateCompose(doc: unknown, file: string): void {
  const validate = compile();
  if (validate(doc)) return;
  const errors = validate.errors ?? [];
  // the most specific error: the deepest path, preferring ones that are not a oneOf summary
  const best = [...errors].sort((a, b) => b.instancePath.length - a.instancePath.length || Number(a.keyword === 'oneOf') - Number(b.keyword === 'oneOf'))[0];
  if (!best) throw new DesiredStateError(`${file}: does not follow the Compose Specification`, 'compose_invalid', file);
  const where = dotted(best.instancePath) || '(top level)';
  throw new DesiredStateError(`${file}: ${where}: ${describe(best)} (Compose Specification)`, 'compose_invalid', file, where);
}
