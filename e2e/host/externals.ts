/**
 * The module names the host shares with plugins: what Grafana provides to a plugin's AMD `define([...])`
 * (the scaffold's .config/bundler/externals.ts) that this repository's plugins can use. `module` is the
 * loader's own (it carries the module URL the plugin derives its public path from).
 */
export const SHARED_MODULE_NAMES = [
  'react',
  'react/jsx-runtime',
  'react-dom',
  'react-router',
  '@grafana/data',
  '@grafana/data/unstable',
  '@grafana/ui',
  '@grafana/ui/unstable',
  '@grafana/runtime',
  '@grafana/runtime/unstable',
  '@emotion/css',
  '@emotion/react',
  'rxjs',
  'lodash',
  'moment',
  'i18next',
] as const;

export type SharedModuleName = (typeof SHARED_MODULE_NAMES)[number];

export const LOADER_MODULES = ['module'] as const;
