/**
 * Plugin loading as Grafana does it: meta from /api/plugins/:id/settings, module.js through SystemJS
 * (public path taken from the AMD `module.uri`), then `init(meta)` for apps and the DataSourceClass for
 * datasources (Grafana's DatasourceSrv), which receive proxy-URL instance settings.
 */
import {
  AppPlugin,
  DataSourceApi,
  DataSourceInstanceSettings,
  DataSourcePlugin,
  DataSourcePluginMeta,
  DataSourceRef,
  AppPluginMeta,
} from '@grafana/data';
import type { DataSourceSrv, GetDataSourceListFilters } from '@grafana/runtime';

import type { DataSourceDto, PluginSettingsDto } from '../types.js';
import { hostBackendSrv } from './backend-srv.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a plugin of any query and options types
export type AnyDataSourcePlugin = DataSourcePlugin<DataSourceApi<any, any>, any, any, any>;

async function importPluginModule(meta: PluginSettingsDto): Promise<Record<string, unknown>> {
  // Grafana resolves `public/plugins/<id>/module.js` against its app sub-URL; the version busts caches.
  const url = `/${meta.module}?_cache=${encodeURIComponent(meta.info.version)}`;
  return (await System.import(url)) as Record<string, unknown>;
}

export function getPluginSettings(id: string): Promise<PluginSettingsDto> {
  return hostBackendSrv.get<PluginSettingsDto>(`/api/plugins/${id}/settings`);
}

export async function loadAppPlugin(id: string): Promise<AppPlugin> {
  const meta = await getPluginSettings(id);
  const exports = await importPluginModule(meta);
  const plugin = (exports.plugin as AppPlugin | undefined) ?? new AppPlugin();
  const appMeta = meta as unknown as AppPluginMeta;
  plugin.init(appMeta);
  plugin.meta = appMeta;
  return plugin;
}

const dsPlugins = new Map<string, Promise<AnyDataSourcePlugin>>();

export function loadDataSourcePlugin(meta: PluginSettingsDto): Promise<AnyDataSourcePlugin> {
  let loading = dsPlugins.get(meta.id);
  if (!loading) {
    loading = importPluginModule(meta).then((exports) => {
      const plugin = exports.plugin as AnyDataSourcePlugin | undefined;
      if (!plugin) {
        throw new Error(`${meta.id}: module.js exports no plugin`);
      }
      plugin.meta = meta as unknown as DataSourcePluginMeta;
      return plugin;
    });
    dsPlugins.set(meta.id, loading);
  }
  return loading;
}

export function instanceSettings(dto: DataSourceDto, meta: PluginSettingsDto): DataSourceInstanceSettings {
  return {
    id: dto.id,
    uid: dto.uid,
    type: dto.type,
    name: dto.name,
    meta: meta as unknown as DataSourcePluginMeta,
    // The browser only ever talks to the data proxy.
    url: `/api/datasources/proxy/uid/${dto.uid}`,
    jsonData: dto.jsonData,
    access: 'proxy',
    readOnly: dto.readOnly,
    isDefault: dto.isDefault,
  } as DataSourceInstanceSettings;
}

/** Grafana's DatasourceSrv over the org's datasources; instances are rebuilt after `reload()`. */
export class HostDataSourceSrv implements DataSourceSrv {
  private settings: DataSourceInstanceSettings[] = [];
  private instances = new Map<string, Promise<DataSourceApi>>();

  constructor(
    private dtos: DataSourceDto[],
    private readonly metas: PluginSettingsDto[]
  ) {
    this.index();
  }

  private index(): void {
    this.settings = this.dtos.flatMap((dto) => {
      const meta = this.metas.find((m) => m.id === dto.type);
      return meta ? [instanceSettings(dto, meta)] : [];
    });
  }

  /** Refetches the datasource list, as Grafana does after a datasource is saved. */
  async refresh(): Promise<void> {
    this.dtos = await hostBackendSrv.get<DataSourceDto[]>('/api/datasources');
    this.index();
    this.instances.clear();
  }

  reload(): void {
    void this.refresh();
  }

  getList(filters?: GetDataSourceListFilters): DataSourceInstanceSettings[] {
    return this.settings.filter((s) => !filters?.pluginId || s.type === filters.pluginId);
  }

  getInstanceSettings(ref?: DataSourceRef | string | null): DataSourceInstanceSettings | undefined {
    if (!ref) {
      return this.settings.find((s) => s.isDefault) ?? this.settings[0];
    }
    const key = typeof ref === 'string' ? ref : ref.uid;
    return this.settings.find((s) => s.uid === key || s.name === key);
  }

  get(ref?: DataSourceRef | string | null): Promise<DataSourceApi> {
    const settings = this.getInstanceSettings(ref);
    if (!settings) {
      return Promise.reject(new Error(`datasource ${JSON.stringify(ref)} was not found`));
    }
    let instance = this.instances.get(settings.uid);
    if (!instance) {
      const meta = this.metas.find((m) => m.id === settings.type)!;
      instance = loadDataSourcePlugin(meta).then((plugin) => {
        const ds = new plugin.DataSourceClass(settings);
        ds.components = plugin.components;
        ds.meta = settings.meta;
        return ds;
      });
      this.instances.set(settings.uid, instance);
    }
    return instance;
  }

  registerRuntimeDataSource(): void {
    throw new Error('runtime datasources are not emulated by the test host');
  }
}
