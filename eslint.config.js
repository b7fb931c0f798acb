// ESLint flat config: type-aware rules, and the layer rules of ARCHITECTURE.md
// (domain ← protocol ← db ← sync ← state ← ui; sw uses sync/db/protocol/domain; server uses protocol/domain).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import globals from 'globals';

const layers = ['domain', 'protocol', 'db', 'sync', 'state', 'ui'];

/** Each layer may import only the layers to its left. */
const layerZones = layers.flatMap((layer, i) =>
  layers.slice(i + 1).map((higher) => ({
    target: `./src/${layer}`,
    from: `./src/${higher}`,
    message: `src/${layer} must not import src/${higher}: imports run domain ← protocol ← db ← sync ← state ← ui.`,
  })),
);

export default tseslint.config(
  { ignores: ['dist', 'data', 'node_modules', '.tmp', 'public', 'test/bench/results'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['vite.config.ts'], defaultProject: 'test/tsconfig.json' },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.browser, ...globals.node },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['tsconfig.json'] })],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/ban-ts-comment': [
        'error',
        { 'ts-expect-error': true, 'ts-ignore': true, 'ts-nocheck': true },
      ],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            ...layerZones,
            { target: './src', from: './server', message: 'The app must not import the backend.' },
            {
              target: './src',
              from: './sw',
              message: 'The app talks to the service worker by messages only.',
            },
            { target: './sw', from: './src/state', message: 'sw/ uses sync, db, protocol and domain only.' },
            { target: './sw', from: './src/ui', message: 'sw/ uses sync, db, protocol and domain only.' },
            {
              target: './server',
              from: ['./src/db', './src/sync', './src/state', './src/ui', './sw'],
              message: 'server/ uses src/protocol and src/domain only.',
            },
          ],
        },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'zustand', message: 'Only src/state/ imports zustand.' }],
          patterns: ['zustand/*'],
        },
      ],
    },
  },
  {
    // Vitest's asymmetric matchers (expect.any) are typed `any`, and fakes mirror async APIs without awaiting.
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['src/state/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The domain is pure: no DOM, storage or network, and no clock or randomness that is not passed in.
    files: ['src/domain/**'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-globals': [
        'error',
        'window',
        'document',
        'navigator',
        'fetch',
        'indexedDB',
        'localStorage',
        'sessionStorage',
        'crypto',
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Pass the clock in.',
        },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Pass the clock in.' },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'Pass randomness in.',
        },
      ],
    },
  },
  {
    // SQL lives in server/store: the routes and services hold the rules, the store holds the statements.
    files: ['server/services/**', 'server/http/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'Literal[value=/^\\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\\s/]',
          message: 'SQL lives in server/store.',
        },
        {
          selector:
            'TemplateLiteral > TemplateElement[value.raw=/^\\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\\s/]',
          message: 'SQL lives in server/store.',
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
