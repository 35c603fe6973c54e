// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The pure core may not reach IO, UI or state libraries, nor the layers that use them.
 * @type {import('eslint').Linter.Config}
 */
const pureCore = {
  files: ['src/domain/**/*.ts', 'src/projections/**/*.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: [
              'idb',
              'idb/*',
              'react',
              'react/*',
              'react-dom',
              'react-dom/*',
              'zustand',
              'zustand/*',
            ],
            message:
              'The domain and the projections are pure: no IndexedDB, React or zustand here.',
          },
          {
            regex: '^(\\.\\./)+(eventstore|commands|worker|stores|views)(/|$)',
            message: 'The domain and the projections import only the domain.',
          },
        ],
      },
    ],
    'no-restricted-globals': [
      'error',
      { name: 'indexedDB', message: 'Pure code does no IO.' },
      { name: 'crypto', message: 'Ids are passed in with the command metadata.' },
      { name: 'fetch', message: 'Pure code does no IO.' },
      { name: 'localStorage', message: 'Pure code does no IO.' },
    ],
    'no-restricted-syntax': [
      'error',
      {
        selector: "MemberExpression[object.name='Date'][property.name='now']",
        message: 'Time is passed in with the command metadata.',
      },
      {
        selector: "NewExpression[callee.name='Date'][arguments.length=0]",
        message: 'Time is passed in with the command metadata.',
      },
      {
        selector: "MemberExpression[object.name='Math'][property.name='random']",
        message: 'Randomness is passed in.',
      },
    ],
  },
};

export default tseslint.config(
  {
    ignores: [
      'dist',
      '.bench-dist',
      'node_modules',
      'test-results',
      'playwright-report',
      '.reports',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { ignoreRestSiblings: true, argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['src/views/**/*.{ts,tsx}', 'src/main.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // This rule advises the React Compiler, which this project does not use.
      'react-hooks/incompatible-library': 'off',
    },
  },
  pureCore,
  {
    files: ['**/*.test.ts', 'e2e/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
);
