// @ts-check
// ESLint 9 flat config, run by `npm run lint` and .ci/run (docs/decisions/0015-lint-and-format.md).
// Rules that need no type information only, so that a full run stays fast.
import js from '@eslint/js'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'
import { importX } from 'eslint-plugin-import-x'
import reactHooks from 'eslint-plugin-react-hooks'
import { defineConfig } from 'eslint/config'
import tseslint from 'typescript-eslint'

export default defineConfig(
  {
    ignores: ['build/', 'public/', '.data/', '.cache/', 'coverage/', 'test-results/', 'bench/results/'],
  },

  js.configs.recommended,
  tseslint.configs.recommended,

  {
    files: ['**/*.tsx'],
    ...reactHooks.configs.flat.recommended,
  },

  {
    plugins: { 'import-x': importX },
    settings: {
      // import-x must parse the TypeScript files it follows, or it sees no imports in them and so
      // no cycles: the extensions and parser of import-x's own TypeScript preset.
      'import-x/extensions': importX.flatConfigs.typescript.settings['import-x/extensions'],
      'import-x/parsers': importX.flatConfigs.typescript.settings['import-x/parsers'],
      // Resolves tsconfig.json's `~/…` alias as well as relative imports.
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },

  {
    rules: {
      // A leading underscore marks a parameter or binding that is unused on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      // Type-only imports are erased by esbuild and Remix's compiler and add nothing to the module graph.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'smart'],
      // The app serves a strict Content-Security-Policy: no code from strings.
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      // Off: the zod schemas and the redirect check match control characters on purpose, to strip or refuse them.
      'no-control-regex': 'off',
    },
  },

  // The layout's boundaries (docs/architecture.md).
  {
    files: ['app/domain/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(~/(?!domain/)|\\.\\./|kysely|pg|pg-boss|stripe|nodemailer|node:)|\\.server$',
              message: 'app/domain holds pure rules: no database, jobs, email, network or other app modules.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['app/models/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^~/|/)(components|routes)/',
              message: 'A model never imports a component or a route: move what both need to app/schemas or app/utils.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['app/jobs/queues.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // The database's row types (db/schema.ts imports nothing) are the one thing it may use.
              regex: '^(~/|\\./|\\.\\./(?!\\.\\./db/schema$))',
              message: 'Queue names and payload types stay a leaf module that imports nothing of the app.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['tests/**'],
    rules: {
      // Tests read loaders' JSON bodies loosely; the assertion itself checks the shape.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['db/migrations/**'],
    ignores: ['db/migrations/index.ts'],
    rules: {
      // Migrations take Kysely<any> on purpose: they must not depend on today's schema types.
      '@typescript-eslint/no-explicit-any': 'off',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(~/|\\.\\./)',
              message: "A migration never imports app code or today's schema: it must run the same in a year.",
            },
          ],
        },
      ],
    },
  },
)
