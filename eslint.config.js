// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** An import of any of these folders, at any depth. */
const layer = (folders, message) => ({ regex: `(^|/)(${folders.join('|')})(/|$)`, message });
const stoqeyOnlyInIb = {
  group: ['@stoqey/ib', '@stoqey/ib/*'],
  message: 'only src/adapters/ib imports @stoqey/ib',
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'bench/results/**',
      'coverage/**',
      'eslint.config.js',
      'scripts/*.mjs',
      'bin/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  // Layer fences (docs/architecture.md "Layers and the dependency rule"). Patterns are regular
  // expressions on the import string, so they hold at any folder depth.
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [stoqeyOnlyInIb] }],
    },
  },
  {
    // The pure domain: no I/O, no clock, no randomness, no environment, nothing outside src/domain.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            stoqeyOnlyInIb,
            {
              group: ['node:*', 'fs', 'net', 'path', 'os', 'child_process'],
              message: 'domain is pure: no I/O',
            },
            layer(
              ['adapters', 'sim', 'cli', 'config', 'app', 'ports'],
              'the domain imports nothing outside src/domain',
            ),
            {
              regex: '(^|/)errors(\\.ts)?$',
              message: 'the domain throws no IronvixError: return a Result or a domain error',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'domain is pure: take time as input' },
        { object: 'DateTime', property: 'now', message: 'domain is pure: take time as input' },
        { object: 'DateTime', property: 'local', message: 'domain is pure: take time as input' },
        { object: 'Math', property: 'random', message: 'domain is pure: take randomness as input' },
        { object: 'process', property: 'env', message: 'domain is pure: config is read in src/config' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'domain is pure: take time as input',
        },
      ],
      'no-restricted-globals': ['error', 'process'],
    },
  },
  {
    files: ['src/ports/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            stoqeyOnlyInIb,
            layer(['adapters', 'sim', 'cli', 'config', 'app'], 'ports are interfaces over the domain'),
          ],
        },
      ],
    },
  },
  {
    files: ['src/app/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            stoqeyOnlyInIb,
            layer(
              ['adapters', 'sim', 'cli', 'config'],
              'use cases see ports and the domain; the composition root passes adapters in',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['src/sim/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            stoqeyOnlyInIb,
            layer(
              ['adapters', 'cli', 'config', 'app'],
              'the simulator is a server: whoever starts it hands it logger, calendar and clock',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['src/adapters/**/*.ts'],
    ignores: ['src/adapters/memory/**', 'src/adapters/sim/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            stoqeyOnlyInIb,
            layer(['sim', 'cli', 'app'], 'adapters implement ports over the domain'),
          ],
        },
      ],
    },
  },
  {
    // The in-process adapters wrap the simulator's engine: they may import src/sim, nothing above.
    files: ['src/adapters/memory/**/*.ts', 'src/adapters/sim/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [stoqeyOnlyInIb, layer(['cli', 'app'], 'adapters implement ports over the domain')] },
      ],
    },
  },
  {
    files: ['src/adapters/ib/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [layer(['sim', 'cli', 'app'], 'adapters implement ports over the domain')] },
      ],
    },
  },
  {
    // CLI output and tests may write to the console.
    files: ['src/cli/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
