import { bconEslintConfig } from '@bcon/eslint-config';

export default bconEslintConfig({ root: import.meta.dirname });
