// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'ui/dist/**', 'ui/vite.config.ts', 'ui/src/api/openapi.d.ts', 'coverage/**', 'bin/**', 'eslint.config.js', 'vitest.config.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Use `as const` objects, not enums.' }],
    },
  },
  {
    files: ['src/engine/**/*.ts', 'src/model/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['fastify', 'kysely', 'react', '**/store/**', '**/api/**'] }],
    },
  },
  {
    // The web UI: the root rules plus React's hook rules and accessibility checks of the JSX.
    files: ['ui/src/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
  },
  {
    files: ['ui/src/**/*.tsx'],
    ...jsxA11y.flatConfigs.recommended,
  },
  {
    files: ['ui/src/**/*.tsx'],
    // Scrollable regions (JSON, logs) must be focusable to be scrolled by keyboard (axe: scrollable-region-focusable).
    rules: { 'jsx-a11y/no-noninteractive-tabindex': ['error', { tags: [], roles: ['tabpanel', 'region'], allowExpressionValues: true }] },
  },
  {
    files: ['ui/src/**/*.{ts,tsx}'],
    rules: {
      // The UI talks to the server only through ui/src/api; it never reaches into the server's code.
      'no-restricted-imports': ['error', { patterns: ['**/src/api/**', '**/src/engine/**', '**/src/store/**', 'node:*'] }],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // HTTP tests read JSON answers field by field; typing every body would only restate the assertions.
    files: ['test/api/**/*.ts', 'test/e2e/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
