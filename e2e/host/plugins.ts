/** The built plugins as the host serves them: dist/ read as-is, routes checked against what is emulated. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { validateRoutes, type PluginRoute } from './proxy.js';
import type { PluginJson } from './types.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface LoadedPlugin {
  id: string;
  type: 'app' | 'datasource';
  dir: string;
  json: PluginJson;
  routes: PluginRoute[];
}

/** The AMD dependencies a built module.js asks its loader for. */
export function amdDependencies(source: string): string[] {
  const match = /\bdefine\(\s*(\[[^\]]*\])/.exec(source);
  if (!match) {
    throw new Error('module.js is not an AMD module (no define([...]) call)');
  }
  return JSON.parse(match[1]!) as string[];
}

export function loadPlugin(dir: string): LoadedPlugin {
  const jsonPath = path.join(dir, 'plugin.json');
  if (!fs.existsSync(jsonPath) || !fs.existsSync(path.join(dir, 'module.js'))) {
    throw new Error(`${dir} has no built plugin (run \`npm run build:plugins\` first)`);
  }
  const json = JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as PluginJson;
  if (json.type !== 'app' && json.type !== 'datasource') {
    throw new Error(`${json.id}: plugin type ${json.type} is not hosted`);
  }
  return {
    id: json.id,
    type: json.type,
    dir,
    json,
    routes: validateRoutes(json.routes, json.type),
  };
}

/** Both plugins of this repository, from their dist/ folders. */
export function repoPlugins(): LoadedPlugin[] {
  return ['datasource-plugin', 'app-plugin'].map((p) => loadPlugin(path.join(REPO_ROOT, p, 'dist')));
}
