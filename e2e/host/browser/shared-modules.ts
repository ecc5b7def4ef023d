/**
 * The modules Grafana shares with plugins (the scaffold's .config/bundler/externals.ts), registered
 * with SystemJS under the names a plugin's AMD `define([...])` asks for, as Grafana's plugin loader does.
 */
import * as EmotionCss from '@emotion/css';
import * as EmotionReact from '@emotion/react';
import * as GrafanaData from '@grafana/data';
import * as GrafanaDataUnstable from '@grafana/data/unstable';
import * as GrafanaRuntime from '@grafana/runtime';
import * as GrafanaRuntimeUnstable from '@grafana/runtime/unstable';
import * as GrafanaUi from '@grafana/ui';
import * as GrafanaUiUnstable from '@grafana/ui/unstable';
import * as I18next from 'i18next';
import * as Lodash from 'lodash';
import * as Moment from 'moment';
import * as React from 'react';
import * as ReactJsxRuntime from 'react/jsx-runtime';
import * as ReactDom from 'react-dom';
// Grafana maps `react-router` to react-router-dom v6, which re-exports react-router.
import * as ReactRouterDom from 'react-router-dom';
import * as Rxjs from 'rxjs';

import type { SharedModuleName } from '../externals.js';

export const SHARED_MODULES: Record<SharedModuleName, object> = {
  react: React,
  'react/jsx-runtime': ReactJsxRuntime,
  'react-dom': ReactDom,
  'react-router': ReactRouterDom,
  '@grafana/data': GrafanaData,
  '@grafana/data/unstable': GrafanaDataUnstable,
  '@grafana/ui': GrafanaUi,
  '@grafana/ui/unstable': GrafanaUiUnstable,
  '@grafana/runtime': GrafanaRuntime,
  '@grafana/runtime/unstable': GrafanaRuntimeUnstable,
  '@emotion/css': EmotionCss,
  '@emotion/react': EmotionReact,
  rxjs: Rxjs,
  lodash: Lodash,
  moment: Moment,
  i18next: I18next,
};

/**
 * A module namespace SystemJS keeps as is (Symbol.toStringTag 'Module'), reading through to the
 * bundled module: a copy would freeze `let` exports such as @grafana/runtime's PluginPage.
 */
function liveNamespace(source: object): object {
  const ns = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    Object.defineProperty(ns, key, { enumerable: true, get: () => (source as Record<string, unknown>)[key] });
  }
  Object.defineProperty(ns, Symbol.toStringTag, { value: 'Module' });
  return ns;
}

export function registerSharedModules(): void {
  const imports: Record<string, string> = {};
  for (const [name, module] of Object.entries(SHARED_MODULES)) {
    const id = `app:${name}`;
    imports[name] = id;
    System.set(id, liveNamespace(module) as System.Module);
  }
  System.addImportMap({ imports });
}

/** Loads SystemJS's AMD extra only now, so that nothing bundled above saw a global `define`. */
export function loadAmdExtra(): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/host/systemjs/extras/amd.min.js';
    script.onload = () => resolve();
    script.onerror = () => reject(new Error('the SystemJS AMD extra did not load'));
    document.head.appendChild(script);
  });
}
