// Lint rules that hold the architecture: a folder per process, contracts that import nothing
// process-specific, and no import that climbs out of its folder with ../../../. Import cycles are
// checked by dependency-cruiser (.dependency-cruiser.cjs, `npm run lint:cycles`): import-x/no-cycle
// did not see imports from .svelte files, so the renderer's call.ts -> PreJoin.svelte -> app ->
// import('./call') cycle passed it.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

const climbing = {
  regex: '^(\\.\\./){3,}',
  message: 'Climb at most two folders; use the folder alias (@main, @server, @renderer, @contracts, …).',
};
const processAliases = (allowed) =>
  ['@main', '@preload', '@renderer', '@server', '@test', '@bench', '@scripts']
    .filter((alias) => !allowed.includes(alias))
    .map((alias) => ({ group: [`${alias}/*`], message: `This folder may not import from ${alias}/ (see docs/architecture.md).` }));
const restrict = (...patterns) => ['error', { patterns: [climbing, ...patterns] }];

export default tseslint.config(
  {
    ignores: ['out/**', 'node_modules/**', '.tools/**', '.data/**', 'coverage/**', 'renderer/public/**', 'docs/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  prettier,
  ...svelte.configs['flat/prettier'],
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // `typeof import('./x')` is how a lazily loaded module's type is named without loading it.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      'no-restricted-imports': restrict(),
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'], svelteConfig } },
    rules: {
      // State classes keep private bookkeeping (timers, ids seen) in plain collections on purpose:
      // only fields declared with $state are meant to be reactive.
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },
  {
    // TypeScript checks names itself (DOM and Node types included); the core rule cannot see types.
    files: ['**/*.ts', '**/*.svelte'],
    rules: { 'no-undef': 'off' },
  },
  // The contracts are shared by every process: zod and each other, nothing else.
  {
    files: ['contracts/**'],
    rules: {
      'no-restricted-imports': restrict({
        regex: '^(?!zod$|\\./|@contracts/).*',
        message: 'Contracts import nothing process-specific: only zod and other contracts.',
      }),
    },
  },
  // The renderer sees the server only through the API contract and client.
  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': restrict(...processAliases(['@renderer']), {
        group: ['electron', 'node:*'],
        message: 'The renderer runs in a sandboxed page: no Electron or Node imports.',
      }),
    },
  },
  // Main never imports renderer code; the team server arrives by dynamic import of its build.
  {
    files: ['main/**'],
    rules: { 'no-restricted-imports': restrict(...processAliases(['@main'])) },
  },
  {
    files: ['preload/**'],
    rules: { 'no-restricted-imports': restrict(...processAliases(['@preload'])) },
  },
  {
    files: ['server/**'],
    rules: {
      'no-restricted-imports': restrict(...processAliases(['@server']), {
        group: ['electron'],
        message: 'The team server runs on plain Node.',
      }),
    },
  },
);
