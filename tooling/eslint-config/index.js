// Shared flat config for every bcon package: typescript-eslint's recommended rules plus the layer rule.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { layersRule } from './rules/layers.js';

export const bconPlugin = { rules: { layers: layersRule } };

/** @param {{ root: string }} options  the repository root the layer map is relative to */
export function bconEslintConfig({ root }) {
  return tseslint.config(
    {
      ignores: ['**/node_modules/**', '**/dist/**', '**/.turbo/**', '**/coverage/**', '**/*.d.ts', '**/oclif.manifest.json'],
    },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
      languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
      plugins: { bcon: bconPlugin },
      rules: {
        'bcon/layers': ['error', { root }],
        '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
        '@typescript-eslint/consistent-type-imports': 'error',
        // the deprecated URL-style escape() type-checks where a regular-expression escape was meant (regexp-escape.ts)
        'no-restricted-globals': ['error', { name: 'escape', message: 'use escapeRegExp (a regular expression) or encodeURIComponent' }, { name: 'unescape', message: 'use decodeURIComponent' }],
      },
    },
    {
      files: ['**/*.js', '**/*.mjs'],
      rules: { '@typescript-eslint/consistent-type-imports': 'off' },
    },
  );
}
