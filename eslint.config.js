import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'training/', 'coverage/', '**/*.d.ts', '**/*.tmp.ts', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['warn', { allow: ['error', 'warn'] }],
    },
  },
  {
    files: ['src/cli.ts', 'src/cli/**', 'bench/**', 'test/**', '**/*.mjs', 'examples/**', 'training/**'],
    rules: { 'no-console': 'off' },
  },
  { files: ['**/*.mjs'], languageOptions: { globals: globals.node } },
  { files: ['bench/**/*.js'], languageOptions: { globals: { ...globals.browser, ...globals.audioWorklet } } },
);
