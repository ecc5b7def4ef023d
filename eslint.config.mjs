// One flat ESLint config for the whole monorepo (`npm run lint` = `eslint --max-warnings=0 .`).
// - Grafana plugins: the same rules as the scaffold's own `<plugin>/.config/eslint.config.mjs`
//   (@grafana/eslint-config, typed `no-deprecated` on src), scoped to each plugin folder.
// - Everything else: typescript-eslint recommended for TypeScript (collector, scripts, tests) and
//   @eslint/js recommended for plain JavaScript, both for Node.
import path from 'node:path';

import js from '@eslint/js';
import grafanaConfig from '@grafana/eslint-config/flat.js';
import prettierConfig from 'eslint-config-prettier';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const rootDir = import.meta.dirname;
const PLUGINS = ['datasource-plugin', 'app-plugin'];
const pluginDirs = PLUGINS.map((plugin) => `${plugin}/**`);
const pluginFiles = PLUGINS.map((plugin) => `${plugin}/**/*.{js,jsx,mjs,cjs,ts,tsx}`);

export default defineConfig([
  globalIgnores([
    '**/node_modules/',
    '**/dist/',
    '**/coverage/',
    '**/.config/',
    '**/data/',
    '**/.data-test/',
    '**/test-results/',
    '**/playwright-report/',
    '**/artifacts/',
    '**/*.log',
  ]),

  // Grafana plugins (mirrors the scaffold's .config/eslint.config.mjs)
  {
    name: 'infrazen/plugins',
    files: pluginFiles,
    extends: [grafanaConfig],
    rules: {
      'react/prop-types': 'off',
    },
  },
  ...PLUGINS.map((plugin) => ({
    name: `infrazen/${plugin}/typed`,
    files: [`${plugin}/src/**/*.{ts,tsx}`],
    languageOptions: {
      parserOptions: {
        project: './tsconfig.json',
        tsconfigRootDir: path.join(rootDir, plugin),
      },
    },
    rules: {
      '@typescript-eslint/no-deprecated': 'warn',
    },
  })),

  // Collector and any other TypeScript outside the plugins (Node, ESM)
  {
    name: 'infrazen/typescript',
    files: ['**/*.{ts,mts,cts,tsx}'],
    ignores: pluginDirs,
    extends: [tseslint.configs.recommended],
    languageOptions: {
      globals: globals.node,
    },
    rules: {
      // `_`-prefixed names are deliberate discards; `{ dropped, ...rest }` picks the rest.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },

  // DESIGN.md §8: connectors fetch and map — they never touch storage, and never see the sandbox.
  {
    name: 'infrazen/collector/provider-boundaries',
    files: ['collector/src/providers/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/sandbox/**', '**/sandbox/index.js'], message: 'Connectors must not import the sandbox.' },
            { group: ['**/storage/**'], message: 'Connectors return data; the sync engine stores it.' },
          ],
        },
      ],
    },
  },

  // Plain JavaScript outside the plugins (config files, scripts)
  {
    name: 'infrazen/javascript',
    files: ['**/*.{js,mjs,cjs}'],
    ignores: pluginDirs,
    extends: [js.configs.recommended],
    languageOptions: {
      globals: globals.node,
    },
  },

  // Formatting is prettier's job
  prettierConfig,
]);
