/** @grafana/runtime's PluginPage setter, reached through an esbuild alias (see host/build.ts). */
declare module 'grafana-runtime-plugin-page' {
  import type { ComponentType } from 'react';
  import type { PluginPageProps } from '@grafana/runtime';

  export function setPluginPage(component: ComponentType<PluginPageProps>): void;
}
