export { OpsError as InputError } from '@bcon/ops/errors';
