// @bcon/reasoning/redact — what bcon masks before text leaves the process, without loading the rest of reasoning
// (the decision package asks whether an env name is a secret).
export { SECRET_NAME, isSecretName } from './secret-name.js';
export { redactText } from './text.js';
export type { SecretSpan } from './rules.js';
export { RULES, argvSecrets, entropy, findSecrets, learnable, looksRandom } from './rules.js';
export type { Replacer } from './book.js';
export { SecretBook } from './book.js';
