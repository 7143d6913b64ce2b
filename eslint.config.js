// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// ui/ and rpc/ are faces: they reach the engine only through its public door, src/index.ts.
const onlyEngineIndex = {
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        {
          regex: '^(\\.\\./)+src/(?!index\\.js$)',
          message: 'ui/ and rpc/ import the engine only through src/index.js.',
        },
      ],
    },
  ],
};

// The engine never reaches into a face.
const engineStaysBelow = {
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        {regex: '^(\\.\\./)+(ui|rpc|bin)/', message: 'src/ (the engine) never imports ui/, rpc/ or bin/.'},
        {regex: '^dockerode$', message: 'Only src/runtime/docker/ imports dockerode.'},
      ],
    },
  ],
};

export default tseslint.config(
  {ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.cache/**']},
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {projectService: true, tsconfigRootDir: import.meta.dirname},
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', {allowNumber: true, allowBoolean: true}],
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {files: ['src/**/*.ts'], ignores: ['src/runtime/docker/**'], rules: engineStaysBelow},
  {files: ['ui/**/*.{ts,tsx}', 'rpc/**/*.ts', 'bin/**/*.ts'], rules: onlyEngineIndex},
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {globals: globals.node},
  },
  {
    // Tests may poke at loosely typed Docker JSON and use ava's `t` freely.
    files: ['test/**/*.{ts,tsx}', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
);
